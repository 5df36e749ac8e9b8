"""The query engine every figure and rule check runs on (Ibis over DuckDB, PostgreSQL or Spark).

One :class:`Engine` serves a build (or a batch of builds). By default it is an embedded
DuckDB database in a scratch folder: record files are read into it by DuckDB itself,
column-wise and off the Python heap, and spill to disk when they outgrow memory. A dataset
may instead live in PostgreSQL or in a table Spark reads; its queries then run there, with
the same Ibis expressions, so the figures are the same whichever engine counts them.

Connection settings come from the period's ``bulletin.yaml`` (``postgres:`` / ``spark:``)
or the environment (``PGHOST``, ``PGPORT``, ``PGDATABASE``, ``PGUSER``, ``PGPASSWORD`` as
libpq reads them; ``SPARK_MASTER``); a password belongs in the environment, not in a file.
Ibis is imported on first use, so a build without record tables does not pay for it; while a
large record file is read into the embedded database (by DuckDB alone, on its connection), Ibis
is imported on another thread, and then wraps the same connection (:meth:`Engine.backend`).
"""

from __future__ import annotations

import functools
import os
import shutil
import tempfile
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

from ..core.errors import BulletinError
from ..config.view import Settings
from ..core.passwords import password_in, scrubbed


class EngineError(BulletinError):
    """A dataset's engine cannot be reached or its table is missing."""


def ibis_module():
    import ibis  # deferred: about half a second of imports a small build does without

    return ibis


def arrow_memtable(stem: str, table, schema: dict[str, str]):
    """An Arrow table as an Ibis in-memory table (registered by whichever engine a query on it
    runs in) of the declared ``schema``: ``ibis.memtable`` would work it out by importing every
    Arrow reader it knows, pandas among them."""
    ibis = ibis_module()
    from ibis.expr import operations
    from ibis.formats.pyarrow import PyArrowTableProxy

    op = operations.InMemoryTable(name=ibis.util.gen_name(stem), schema=ibis.schema(schema), data=PyArrowTableProxy(table))
    return op.to_expr()


class Engine:
    """An embedded DuckDB database, and the external engines datasets name, opened when first asked for."""

    def __init__(self):
        self._scratch: str | None = None
        self._connection = None  # the embedded DuckDB database, opened when first asked for
        self._backends: dict[str, object] = {}
        self._serial = 0
        self._parallel = False
        self._pool: ThreadPoolExecutor | None = None  # work begun ahead (:meth:`ahead`)
        self._backend_class: Future | None = None  # Ibis's DuckDB backend, imported ahead
        self.stopping = threading.Event()  # set when the engine closes: work begun ahead stops

    def parallel(self, size: int) -> None:
        """Every core for a record file of ``size`` bytes, when it is large, and Ibis imported
        meanwhile on another thread (the queries on the file need it once it is read). The
        embedded database otherwise runs on one thread: on small tables handing work between
        threads costs more than it saves."""
        if size >= PARALLEL_BYTES and not self._parallel:
            self.sql("RESET threads")
            self._parallel = True
            if "duckdb" not in self._backends:
                self._backend_class = self.ahead(duckdb_backend_class)

    @property
    def parallel_now(self) -> bool:
        """Whether a large record file is being read (every core, work begun ahead)."""
        return self._parallel

    def ahead(self, work) -> Future | None:
        """``work()`` begun on another thread while this one waits on the database, its result
        (or its exception) asked for later; None on a small build, which does it when asked."""
        if not self._parallel:
            return None
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-ahead")
        return self._pool.submit(work)

    def duckdb_class(self):
        """Ibis's DuckDB backend: the import begun ahead waited for (its failure raised here, as
        the import's own would be), else imported now."""
        ahead, self._backend_class = self._backend_class, None
        if ahead is not None and not ahead.cancelled():
            return ahead.result()
        return duckdb_backend_class()

    def connection(self):
        """The embedded DuckDB database, opened once: statements run on it without Ibis."""
        if self._connection is None:
            self._connection = _duckdb_connection(self)
        return self._connection

    def backend(self, name: str = "duckdb", settings: Settings | None = None):
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
        self.connection().execute(statement)

    def upload(self, stem: str, table):
        """An Arrow table stored in the embedded database, as an Ibis table."""
        name = self.fresh_name(stem)
        self.backend().con.from_arrow(table).create(name)
        return self.backend().table(name)

    def insert(self, stem: str, columns: dict[str, str], rows: list[tuple]):
        """Rows of Python values stored in the embedded database as a table of ``columns`` (name →
        SQL type), as an Ibis table. Written as SQL literals: Arrow's conversion of Python lists,
        and DuckDB's binding of parameters, import pandas, a quarter of a second a small build
        does without."""
        name, backend = self.fresh_name(stem), self.backend()
        _create(backend.con, name, columns, rows)
        # the table as backend.table(name) gives it, without asking the database for the schema just declared
        from ibis.expr import operations

        schema = _schema(backend.compiler.type_mapper, tuple(columns.items()))
        return operations.DatabaseTable(name, schema=schema, source=backend, namespace=operations.Namespace()).to_expr()

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
        self._stop_ahead()  # nothing read on another thread while its tables and files go
        if self._connection is not None:
            for (name,) in self._connection.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall():
                self.drop(f'"{name}"')
            enums = "SELECT type_name FROM duckdb_types() WHERE logical_type = 'ENUM' AND NOT internal"
            for (name,) in self._connection.execute(enums).fetchall():
                self.sql(f'DROP TYPE IF EXISTS "{name}"')
        if self._scratch is not None:
            for path in Path(self._scratch).glob("*.csv"):
                path.unlink()
        if self._parallel:
            self.sql("SET threads = 1")
            self._parallel = False
        if self._connection is not None:  # a large file's room (records._room_for) was that build's own
            self.sql(f"SET memory_limit = {_literal(MEMORY_LIMIT)}")
        self._serial = 0  # the next build's tables get the same names: its queries are compiled already

    def _stop_ahead(self) -> None:
        """Work begun ahead stopped and waited for (it may hold a scratch file open)."""
        if self._pool is not None:
            self.stopping.set()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            self.stopping.clear()

    def close(self) -> None:
        self._stop_ahead()
        for name, backend in list(self._backends.items()):
            if name != "spark":  # a Spark session belongs to whoever started it
                backend.disconnect()
        self._backends.clear()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def __enter__(self) -> "Engine":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


INSERT_ROWS = 256  # rows bound in one INSERT statement


@functools.lru_cache(maxsize=256)
def _schema(type_mapper, columns: tuple[tuple[str, str], ...]):
    """The Ibis schema of ``columns`` (name, SQL type): worked out once for a batch's tables."""
    return ibis_module().schema({c: type_mapper.from_string(t) for c, t in columns})


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _create(con, name: str, columns: dict[str, str], rows: list[tuple], temporary: bool = False) -> None:
    """A table ``name`` of ``columns`` (name → SQL type) holding ``rows``, a few hundred to a statement."""
    con.execute(f"CREATE {'TEMP ' if temporary else ''}TABLE {name} ({', '.join(f'{_quoted(c)} {t}' for c, t in columns.items())})")
    for start in range(0, len(rows), INSERT_ROWS):
        values = ", ".join(f"({', '.join(map(_literal, row))})" for row in rows[start:start + INSERT_ROWS])
        con.execute(f"INSERT INTO {name} VALUES {values}")


def _literal(value) -> str:
    """A value as SQL text the column's type is cast from exactly (NUL, which SQL text cannot
    hold, as chr(0))."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        value = int(value)
    text = format(value, "f") if isinstance(value, Decimal) else str(value)
    return " || chr(0) || ".join("'" + part.replace("'", "''") + "'" for part in text.split("\x00"))


PARALLEL_BYTES = 4 << 20  # a record file from this size on is read and queried on every core
MEMORY_LIMIT = os.environ.get("BULLETIN_MEMORY_LIMIT", "500MB")  # beyond it DuckDB spills to the scratch folder


COMPILED_KEPT = 4096  # compiled queries remembered by one embedded database


_importing = threading.Lock()  # Ibis's DuckDB backend made once, whichever thread asks first


def duckdb_backend_class():
    """Ibis's DuckDB backend (:func:`_duckdb_backend`), made once whichever thread asks first."""
    with _importing:
        return _duckdb_backend()


@functools.cache
def _duckdb_backend():
    """Ibis's DuckDB backend, remembering the SQL of each query it compiled (a batch asks the
    same queries of every bulletin: compiling one takes longer than running it on a small table)
    and returning results without Ibis's pandas-based converter (importing pandas costs a small
    build a quarter of a second)."""
    from ibis.backends.duckdb import Backend
    from ibis.formats.pyarrow import PyArrowData

    class ArrowData(PyArrowData):  # as Ibis's DuckDB converter: a column of NULLs stays nulls
        @classmethod
        def convert_scalar(cls, scalar, dtype):
            import pyarrow as pa

            return pa.scalar(None) if dtype.is_null() else super().convert_scalar(scalar, dtype)

        @classmethod
        def convert_column(cls, column, dtype):
            import pyarrow as pa

            return pa.nulls(len(column)) if dtype.is_null() else super().convert_column(column, dtype)

    class CachingDuckDB(Backend):
        def compile(self, expr, /, *, limit=None, params=None, pretty=False):
            if params or pretty:
                return super().compile(expr, limit=limit, params=params, pretty=pretty)
            compiled = self.__dict__.setdefault("_compiled", {})
            key = (expr.op(), limit)  # the whole query: tables by name and schema, every literal
            if key not in compiled:
                if len(compiled) >= COMPILED_KEPT:
                    compiled.clear()
                compiled[key] = super().compile(expr, limit=limit)
            return compiled[key]

        def _register_in_memory_table(self, op) -> None:
            """A small in-memory table (the working-day calendar) as a temporary table: DuckDB
            reading Arrow imports pyarrow.dataset and pandas. It lasts as the connection does,
            as Ibis's registered tables do, and :meth:`Engine.release` keeps it."""
            columns = {name: self.compiler.type_mapper.from_ibis(dtype).sql("duckdb") for name, dtype in op.schema.items()}
            rows = [tuple(r.values()) for r in op.data.to_pyarrow(op.schema).to_pylist()]
            _create(self.con, _quoted(op.name), columns, rows, temporary=True)

        def to_pyarrow(self, expr, /, *, params=None, limit=None, **kwargs):
            table = self._to_duckdb_relation(expr, params=params, limit=limit, **kwargs).to_arrow_table()
            return expr.__pyarrow_result__(table, data_mapper=ArrowData)

        def to_pyarrow_batches(self, expr, /, *, params=None, limit=None, chunk_size=1_000_000, **kwargs):
            """The rows as a stream of Arrow batches, through DuckDB's own reader (Ibis's asks for
            one DuckDB has deprecated)."""
            self._run_pre_execute_hooks(expr)  # the in-memory tables it reads registered, as Ibis does
            sql = self.compile(expr.as_table(), limit=limit, params=params)
            return self.con.execute(sql).to_arrow_reader(chunk_size)

    return CachingDuckDB


def _duckdb_connection(engine: Engine):
    """An in-memory DuckDB database set up as the build's queries expect (Ibis's own settings
    included, so that a statement run before Ibis wraps the connection reads the same)."""
    import duckdb

    con = duckdb.connect(":memory:")
    for setting in (f"SET temp_directory = {_literal(str(engine.scratch()))}",  # a folder of O'Brien's too
                    f"SET memory_limit = {_literal(MEMORY_LIMIT)}",
                    "SET preserve_insertion_order = true",
                    "SET enable_progress_bar = false",  # our own progress goes to a terminal only
                    "SET threads = 1",  # until a large record file is read (Engine.parallel)
                    "SET TimeZone = 'UTC'", "SET python_enable_replacements = false"):  # as Ibis sets them
        con.execute(setting)
    return con


def _duckdb(engine: Engine, settings: dict):
    return engine.duckdb_class().from_connection(engine.connection())


def _postgres(engine: Engine, settings: Settings):
    """PostgreSQL from ``postgres:`` settings, each falling back to libpq's environment variables."""
    keys = {"host": "PGHOST", "port": "PGPORT", "database": "PGDATABASE", "user": "PGUSER"}
    params = {k: settings.value(k) or os.environ.get(v) for k, v in keys.items()}
    params = {k: v for k, v in params.items() if v}
    if settings.given("password") or any(password_in(str(settings.value(k) or "")) for k in keys):
        raise EngineError("bulletin.yaml 的 postgres 设置中不应写密码，请用环境变量 PGPASSWORD 或 ~/.pgpass")
    try:
        return ibis_module().postgres.connect(**params)
    except Exception as exc:  # psycopg's OperationalError and the like
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise EngineError(scrubbed(f"无法连接 PostgreSQL（{_where(params)}）：{detail}")) from None


def _spark(engine: Engine, settings: Settings):
    """Spark: the running session if there is one, else a new one on ``spark.master`` / SPARK_MASTER."""
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is None:
        master = settings.value("master") or os.environ.get("SPARK_MASTER") or "local[2]"
        session = SparkSession.builder.master(master).appName("bulletin").getOrCreate()
    return ibis_module().pyspark.connect(session)


def _where(params: dict) -> str:
    """Where a connection went, as may be printed: a connection string held by a setting is not shown."""
    shown = {k: ("（连接字符串）" if "=" in str(v) or "://" in str(v) else v) for k, v in params.items()}
    return "，".join(f"{k}={v}" for k, v in shown.items()) or "默认连接"


_CONNECT = {"duckdb": _duckdb, "postgres": _postgres, "spark": _spark}
