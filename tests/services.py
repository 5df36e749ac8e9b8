"""The external engines the `postgres` and `spark` tests run on: a PostgreSQL server reached
through libpq's environment (``eval "$(.ci/services)"`` starts a throwaway one) and Spark in
local mode. Where one is missing the tests are skipped — except under CI, where that fails."""

from __future__ import annotations

import os
import shutil

import pytest


def unavailable(what: str, reason: str):
    """Skip on a developer's machine; fail in CI, where the service must be there."""
    message = f"{what} unavailable: {reason}"
    if os.environ.get("CI"):
        pytest.fail(message + " (CI is set: .ci/run starts it)")
    pytest.skip(message)


def postgres_connection():
    """A psycopg connection to the server the environment names (PGHOST, PGPORT, PGUSER, …)."""
    try:
        import psycopg

        return psycopg.connect(autocommit=True, connect_timeout=5)
    except Exception as exc:  # ImportError, OperationalError
        unavailable("PostgreSQL", str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__)


def spark_session():
    """One Spark session in local mode for the whole test session."""
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        unavailable("Spark", "no Java runtime (Debian: openjdk-17-jre-headless)")
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        unavailable("Spark", str(exc))
    return (
        SparkSession.builder.master("local[2]")
        .appName("bulletin-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
