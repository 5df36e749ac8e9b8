"""The query engine every figure and rule check runs on (Ibis over DuckDB, PostgreSQL or Spark).

One :class:`Engine` serves a build (or a batch of builds). By default it is an embedded
DuckDB database in a scratch folder: record files are read into it by DuckDB itself,
column-wise and off the Python heap, and spill to disk when they outgrow memory. A dataset
may instead live in PostgreSQL or in a table Spark reads; its queries then run there, with
the same Ibis expressions, so the figures are the same whichever engine counts them.

Connection settings come from the period's ``bulletin.yaml`` (``postgres:`` / ``spark:``)
or the environment (``PGHOST``, ``PGPORT``, ``PGDATABASE``, ``PGUSER``, ``PGPASSWORD`` as
libpq reads them; ``SPARK_MASTER``); a password belongs in the environment, not in a file.
Ibis is imported on first use, so a build without record tables does not pay for it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class EngineError(Exception):
    """A dataset's engine cannot be reached or its table is missing."""


def ibis_module():
    import ibis  # deferred: about half a second of imports a small build does without

    return ibis


class Engine:
    """An embedded DuckDB database, and the external engines datasets name, opened when first asked for."""

    def __init__(self):
        self._scratch: str | None = None
        self._backends: dict[str, object] = {}
        self._serial = 0

    def backend(self, name: str = "duckdb", settings: dict | None = None):
        """The Ibis backend called ``name`` (duckdb, postgres, spark), connected once."""
        if name not in self._backends:
            self._backends[name] = _CONNECT[name](self, settings or {})
        return self._backends[name]

    def scratch(self) -> Path:
        """A folder for this engine's working files, removed by :meth:`close`."""
        if self._scratch is None:
            self._scratch = tempfile.mkdtemp(prefix="bulletin-engine-")
        return Path(self._scratch)

    def fresh_name(self, stem: str) -> str:
        self._serial += 1
        return f"_{stem}_{self._serial}"

    def sql(self, statement: str) -> None:
        """Run a statement on the embedded database."""
        self.backend().raw_sql(statement)

    def upload(self, stem: str, table):
        """An Arrow table stored in the embedded database, as an Ibis table."""
        name = self.fresh_name(stem)
        self.backend().con.from_arrow(table).create(name)
        return self.backend().table(name)

    def materialise(self, stem: str, expression):
        """An expression over the embedded database stored as a table (later queries read it, not its joins)."""
        name = self.fresh_name(stem)
        sql = ibis_module().to_sql(expression, dialect="duckdb")
        self.sql(f"CREATE TABLE {name} AS {sql}")
        return self.backend().table(name)

    def drop(self, name: str) -> None:
        self.sql(f"DROP TABLE IF EXISTS {name}")

    def release(self) -> None:
        """Drop what a build stored in the embedded database and the scratch folder (a batch's
        next build starts clean; the connections and imports stay)."""
        if "duckdb" in self._backends:
            for (name,) in self.backend().con.execute("SELECT table_name FROM duckdb_tables()").fetchall():
                self.drop(f'"{name}"')
            enums = "SELECT type_name FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal"
            for (name,) in self.backend().con.execute(enums).fetchall():
                self.sql(f'DROP TYPE IF EXISTS "{name}"')
        if self._scratch is not None:
            for path in Path(self._scratch).glob("*.csv"):
                path.unlink()

    def close(self) -> None:
        for name, backend in list(self._backends.items()):
            if name != "spark":  # a Spark session belongs to whoever started it
                backend.disconnect()
        self._backends.clear()
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


MEMORY_LIMIT = os.environ.get("BULLETIN_MEMORY_LIMIT", "500MB")  # beyond it DuckDB spills to the scratch folder


def _duckdb(engine: Engine, settings: dict):
    backend = ibis_module().duckdb.connect()
    backend.raw_sql(f"SET temp_directory = '{engine.scratch()}'")
    backend.raw_sql(f"SET memory_limit = '{settings.get('memory_limit', MEMORY_LIMIT)}'")
    backend.raw_sql("SET preserve_insertion_order = true")
    backend.raw_sql("SET enable_progress_bar = false")  # our own progress goes to a terminal only
    return backend


def _postgres(engine: Engine, settings: dict):
    """PostgreSQL from ``postgres:`` settings, each falling back to libpq's environment variables."""
    keys = {"host": "PGHOST", "port": "PGPORT", "database": "PGDATABASE", "user": "PGUSER"}
    params = {k: settings.get(k) or os.environ.get(v) for k, v in keys.items()}
    params = {k: v for k, v in params.items() if v}
    if "password" in settings:
        raise EngineError("bulletin.yaml 的 postgres 设置中不应写密码，请用环境变量 PGPASSWORD 或 ~/.pgpass")
    try:
        return ibis_module().postgres.connect(**params)
    except Exception as exc:  # psycopg's OperationalError and the like
        raise EngineError(f"无法连接 PostgreSQL（{_where(params)}）：{str(exc).strip().splitlines()[0]}") from None


def _spark(engine: Engine, settings: dict):
    """Spark: the running session if there is one, else a new one on ``spark.master`` / SPARK_MASTER."""
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is None:
        master = settings.get("master") or os.environ.get("SPARK_MASTER") or "local[2]"
        session = SparkSession.builder.master(master).appName("bulletin").getOrCreate()
    return ibis_module().pyspark.connect(session)


def _where(params: dict) -> str:
    return "，".join(f"{k}={v}" for k, v in params.items()) or "默认连接"


_CONNECT = {"duckdb": _duckdb, "postgres": _postgres, "spark": _spark}
