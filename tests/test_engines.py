"""One bulletin whichever engine counts it: the 2023Q2 好差评 records read from a .csv by the
embedded DuckDB, from a PostgreSQL table, and from a table Spark reads, give the same bytes."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import uuid

import pytest

from pipeline.run.build import build_bulletin

from .conftest import INPUTS, TEMPLATES, change_bulletin, run_cli
from .services import postgres_connection, spark_session

PERIOD = "2023Q2"
RECORDS = "办件及评价记录.csv"
COLUMNS = {  # header → PostgreSQL type: typed as a case system stores them, not as text
    "办件编号": "text", "办理窗口": "text", "申请日期": "date",
    "承诺时限（工作日）": "integer", "办结日期": "date", "评价结果": "text",
}


def period_copy(tmp_path, files_cases) -> object:
    """inputs/ with the 2023Q2 period whose case records live where ``files_cases`` says."""
    inputs = tmp_path / "inputs"
    shutil.copytree(INPUTS / PERIOD, inputs / PERIOD)
    shutil.copytree(INPUTS / "registries", inputs / "registries")
    (inputs / PERIOD / RECORDS).unlink()
    change_bulletin(inputs, {"files": {"cases": files_cases}}, PERIOD)
    return inputs


def csv_rows() -> list[list]:
    with open(INPUTS / PERIOD / RECORDS, encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))[1:]


@pytest.fixture(scope="module")
def embedded() -> bytes:
    return build_bulletin(PERIOD, INPUTS, TEMPLATES).docx


@pytest.fixture(scope="module")
def pg_schema():
    """A fresh schema holding the 2023Q2 case records as a typed table (and a view of them)."""
    connection = postgres_connection()
    schema = f"bulletin_test_{uuid.uuid4().hex[:8]}"
    columns = ", ".join(f'"{name}" {kind}' for name, kind in COLUMNS.items())
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f'CREATE TABLE {schema}."办件记录" ({columns})')
        with cursor.copy(f'COPY {schema}."办件记录" FROM STDIN') as copy:
            for row in csv_rows():
                copy.write_row([value or None for value in row])
        cursor.execute(f'CREATE VIEW {schema}."本季办件" AS SELECT * FROM {schema}."办件记录" WHERE "申请日期" >= DATE \'2023-04-01\'')
    yield schema
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    connection.close()


@pytest.mark.postgres
@pytest.mark.parametrize("relation", ["办件记录", "本季办件"])
def test_postgres_table_or_view_gives_the_same_bulletin(tmp_path, pg_schema, embedded, relation):
    inputs = period_copy(tmp_path, {"postgres": f"{pg_schema}.{relation}"})
    assert build_bulletin(PERIOD, inputs, TEMPLATES).docx == embedded


@pytest.mark.postgres
def test_bad_cells_in_postgres_are_reported_with_the_row_key(tmp_path, pg_schema):
    connection = postgres_connection()
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE {pg_schema}."有误办件" AS SELECT * FROM {pg_schema}."办件记录"')
        cursor.execute(f'UPDATE {pg_schema}."有误办件" SET "办理窗口" = \'县统计局\' WHERE "办件编号" = \'YC2023Q200002\'')
    inputs = period_copy(tmp_path, {"postgres": f"{pg_schema}.有误办件"})
    result = run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert f"PostgreSQL 表 {pg_schema}.有误办件，第2行，“办理窗口”列：单位“县统计局”不在单位名录中" in result.output


@pytest.mark.postgres
def test_unreachable_postgres_is_a_located_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PGPORT", "1")
    monkeypatch.setenv("PGHOST", "127.0.0.1")
    inputs = period_copy(tmp_path, {"postgres": "public.cases"})
    result = run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1 and "无法连接 PostgreSQL" in result.output and "Traceback" not in result.output


def test_a_password_in_the_period_configuration_is_refused(tmp_path):
    inputs = period_copy(tmp_path, {"postgres": "public.cases"})
    change_bulletin(inputs, {"postgres": {"host": "db.example", "password": "secret"}}, PERIOD)
    result = run_cli("build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES), "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1 and "PGPASSWORD" in result.output


@pytest.fixture(scope="module")
def spark():
    session = spark_session()
    rows = [
        (r[0], r[1], dt.date.fromisoformat(r[2]), int(r[3]), dt.date.fromisoformat(r[4]) if r[4] else None, r[5] or None)
        for r in csv_rows()
    ]
    schema = ", ".join(f"`{name}` {'int' if kind == 'integer' else 'string' if kind == 'text' else 'date'}" for name, kind in COLUMNS.items())
    session.createDataFrame(rows, schema).createOrReplaceTempView("cases_2023q2")
    return session


@pytest.mark.spark
def test_spark_table_gives_the_same_bulletin(tmp_path, spark, embedded):
    inputs = period_copy(tmp_path, {"spark": "cases_2023q2"})
    assert build_bulletin(PERIOD, inputs, TEMPLATES).docx == embedded
