"""Large record tables (one row per case, a year of a province's evaluations), checked in the engine.

A dataset declared with ``records: true`` in ``kind.yaml`` is never held in Python: its
source (a .csv DuckDB reads, an .xlsx, a PostgreSQL or Spark table; :mod:`.sources`)
becomes a raw table in the query engine. Each column's *distinct* values are fetched and
checked once with the same rules as any other table (:func:`schema.coerce`), and the
verdicts go back to the engine as small look-up tables joined to the records. Rows with a
bad value, a blank where a value is required, a date before another, or a repeated key
are found by queries and reported with their file, row and column.

The result is a :class:`RecordTable`: an Ibis table with one typed column per field —
``unit`` → the unit's position in the registry; ``date`` → date; ``int`` → integer;
``number`` → float; ``choice`` → position in the declared choices; ``text`` → text — and
``_row``, the row's position in its source. Figures and rule checks are queries on it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..core import progress
from ..config.view import Settings, bulletin_view
from .engine import Engine, EngineError, ibis_module
from ..core.errors import ProblemLog
from ..core.reads import note
from ..core.registry import Registry, UnknownUnit
from .reader import ReadError
from .schema import TYPE_NAMES, ColumnSpec, Context, DatasetSpec, coerce, limit_problems
from .unique import key_hash, keys_in_order, keys_in_order_ahead, repeated_hashes
from .sources import RawSource, csv_source, database_source, parquet_source, sheet_source

MAX_LOCATED = 20  # rows listed for one kind of mistake; the rest are counted
SMALL_LOOKUP = 64  # distinct values converted by a CASE in every query rather than a stored join
NO_ROWS = "只有表头，没有数据行：本期的记录未导出或已被删除；请放入本期导出的完整记录后重试"
ARROW_TYPES = {"unit": "int32", "date": "date32", "int": "int64", "number": "float64", "choice": "int8"}


@dataclass
class RecordTable:
    """A checked record table in the engine, and where its rows came from."""

    source: RawSource | None
    table: object = None  # Ibis table of typed fields and _row; None when the table was refused
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # labels of choice codes
    kept: int | None = None  # rows left once some were left out (records after the cut-off); None: all

    @property
    def file(self) -> str:
        return self.source.label if self.source else ""

    def __len__(self) -> int:
        if self.kept is not None:
            return self.kept
        return self.source.count if self.source and self.table is not None else 0

    def has(self, name: str) -> bool:
        return self.table is not None and name in self.table.columns

    def rows(self, positions: list[int]) -> list[int]:
        """Row numbers (as a clerk finds them) of source positions."""
        return self.source.rows(positions)


def _converted(spec: ColumnSpec, raw, registry: Registry | None):
    """(checked value for the engine, reason it is refused or None) for one distinct value."""
    try:
        value = coerce(spec, raw, Context(registry))
        reason = "；".join(limit_problems(spec, value)) or None
    except UnknownUnit as exc:
        return None, str(exc)
    except ValueError as exc:
        return None, str(exc) or f"应为{TYPE_NAMES.get(spec.type, spec.type)}，实为“{raw}”"
    if spec.type == "unit":
        value = value.order
    elif spec.type == "choice":
        value = spec.choices.index(value)
    elif spec.type == "number":
        value = float(value)
    return (None if reason else value), reason


class _Checker:
    """Located problems of one record table, listing the first few rows of each kind."""

    def __init__(self, source: RawSource, dataset: DatasetSpec, log: ProblemLog):
        self.source, self.dataset, self.log = source, dataset, log
        self.failed = False

    def header(self, field_name: str) -> str:
        return next(c.header for c in self.dataset.columns if c.field == field_name)

    def report(self, selection, column: str, message) -> None:
        """Report the rows of ``selection`` (an Ibis table with _row); ``message`` may depend on the row."""
        ordered = selection.order_by("_row")
        found = ordered.limit(MAX_LOCATED + 1).to_pyarrow().to_pylist()
        if not found:
            return
        self.failed = True
        lines = self.source.rows([r["_row"] for r in found[:MAX_LOCATED]])
        for record, line in zip(found, lines):
            text = message(record) if callable(message) else message
            self.log.add(self.source.label, text, sheet=self.source.sheet, row=line, column=column)
        if len(found) > MAX_LOCATED:
            rest = int(selection.count().to_pyarrow().as_py()) - MAX_LOCATED
            text = message(found[-1]) if callable(message) else message
            self.log.add(self.source.label, f"另有 {rest} 行同样问题：{text}", sheet=self.source.sheet, column=column)


    def report_masks(self, table, checks: list[tuple]) -> None:
        """Report the rows where each ``(mask, column, message)`` holds: counted first (in one query
        on a database server), then the rows only of the checks that found any."""
        if not checks:
            return
        if self.source.engine == "duckdb":  # a count a check: DuckDB answers from its statistics what they rule out
            found = [table.filter(mask).count().to_pyarrow().as_py() for mask, _, _ in checks]
        else:
            counts = table.aggregate(**{f"m{i}": table["_row"].count(where=mask) for i, (mask, _, _) in enumerate(checks)})
            found = list(counts.to_pyarrow().to_pylist()[0].values())
        for (mask, column, message), count in zip(checks, found):
            if count:
                self.report(table.filter(mask).select("_row"), column, message)


def _checked_values(raw, spec: ColumnSpec, registry: Registry | None, checker: _Checker) -> dict:
    """Each distinct value of the field (as text) and its checked value; bad ones reported with their rows."""
    text = raw[spec.field].cast("string")
    distinct = [v for v in raw.select(v=text).distinct().order_by("v").to_pyarrow().column("v").to_pylist() if v is not None]
    checked = {}
    for value in distinct:
        checked[value], reason = _converted(spec, value, registry)
        if reason is not None:
            checker.report(raw.filter(text == value).select("_row"), spec.header, reason)
    return checked


def _converted_column(table, spec: ColumnSpec, checked: dict, store):
    """(table, the field's checked values): a CASE over few distinct values (no join, nothing
    stored), else a join with a look-up table of them."""
    import pyarrow as pa

    ibis, kind = ibis_module(), ARROW_TYPES[spec.type].replace("date32", "date")
    text = table[spec.field].cast("string")
    if len(checked) <= SMALL_LOOKUP:
        mapping = {k: v for k, v in checked.items() if v is not None}
        return table, (text.substitute(mapping, else_=ibis.null()) if mapping else ibis.null()).cast(kind)
    arrow_type = getattr(pa, ARROW_TYPES[spec.type])()
    lookup = store(pa.table({"k": pa.array(list(checked), pa.string()), "v": pa.array(list(checked.values()), arrow_type)}))
    joined = table.left_join(lookup, text == lookup["k"])
    table = joined.select(*table.columns, **{f"{spec.field}__v": lookup["v"]})
    return table, table[f"{spec.field}__v"]


def _already_typed(raw, spec: ColumnSpec) -> bool:
    """Whether the source holds the field typed already (a date read as a date, a whole number as
    an integer): then it is used as it is."""
    dtype = raw[spec.field].type()
    return (spec.type == "date" and dtype.is_date()) or (spec.type == "int" and dtype.is_integer())


def _cell_checks(raw, dataset: DatasetSpec) -> list[tuple]:
    """(mask, column, message) of blanks where a value is required, and of integers the source
    holds typed beyond their declared limits."""
    checks = []
    for spec in dataset.columns:
        if spec.field not in raw.columns:
            continue
        column = raw[spec.field]
        if spec.required and spec.default is None:
            checks.append((column.isnull(), spec.header, f"缺少数值，应填写{TYPE_NAMES.get(spec.type, spec.type)}"))
        if spec.type == "int" and _already_typed(raw, spec):
            if spec.min is not None:
                checks.append((column < int(spec.min), spec.header, f"不能小于 {spec.min}"))
            if spec.max is not None:
                checks.append((column > int(spec.max), spec.header, f"不能大于 {spec.max}"))
    return checks


def _typed(raw, dataset: DatasetSpec, registry: Registry | None, checker: _Checker, store):
    """The raw table with every field converted."""
    checker.report_masks(raw, _cell_checks(raw, dataset))
    table, converted = raw, {}
    for spec in dataset.columns:
        if spec.field not in raw.columns or spec.type == "text" or _already_typed(raw, spec):
            continue
        table, converted[spec.field] = _converted_column(table, spec, _checked_values(raw, spec, registry, checker), store)
    return _finished(table, dataset, converted, raw.columns)


def _finished(table, dataset: DatasetSpec, converted: dict, present) -> object:
    """The fields ``present`` as the figures read them: converted, cast, defaults filled in."""
    cast = {s.field: {"text": "string", "int": "int64", "unit": "int32"}.get(s.type) for s in dataset.columns}  # as stored narrower
    defaults = {s.field: s.default for s in dataset.columns if s.default is not None}
    fields = {"_row": table["_row"]}
    for name in (s.field for s in dataset.columns if s.field in present):
        value = converted.get(name, table[name])
        value = value.cast(cast[name]) if cast.get(name) else value
        fields[name] = value.fill_null(defaults[name]) if name in defaults else value
    return table.select(**fields)


def _codes(registry: Registry | None):
    """The checked value of each of a column's possible values, or None if any is refused."""
    def codes(spec: ColumnSpec, values: list[str]) -> list | None:
        checked = [_converted(spec, value, registry) for value in values]
        return None if any(reason for _, reason in checked) else [value for value, _ in checked]
    return codes


def _order_checks(table, dataset: DatasetSpec, checker: _Checker) -> list[tuple]:
    """(mask, column, message) of 办结日期不能早于申请日期 and the like, row by row in the engine."""
    checks = []
    for spec in dataset.columns:
        for other, wrong, words in ((spec.min_column, "<", "不能早于/小于"), (spec.max_column, ">", "不能大于")):
            if other is None or spec.field not in table.columns or other not in table.columns:
                continue
            a, b = table[spec.field], table[other]
            checks.append((a < b if wrong == "<" else a > b, spec.header, f"{words}“{checker.header(other)}”"))
    return checks


def _ordered_ahead(table, dataset: DatasetSpec, engine: Engine, embedded: bool):
    """Whether the table's one key comes in order, found on another thread while the other checks
    run (a future; None for a small table, several keys or another engine)."""
    if not embedded or len(dataset.unique) != 1 or dataset.unique[0] not in table.columns:
        return None
    return keys_in_order_ahead(table, dataset.unique[0], engine)


def _check_unique(table, dataset: DatasetSpec, checker: _Checker, hashed: bool, ordered=None) -> None:
    """Rows whose identifying fields repeat an earlier row, each with the row it repeats.

    With ``hashed`` (DuckDB) ids that come in order need no grouping at all; otherwise a 64-bit
    hash of the key is grouped first, which takes a fraction of the memory of grouping the text
    (:mod:`.unique`); only rows whose hash repeats are compared exactly.
    """
    if not dataset.unique or any(f not in table.columns for f in dataset.unique):
        return
    keys = list(dataset.unique)
    candidates = table
    if hashed and len(keys) == 1:
        proven = ordered.result() if ordered is not None else None
        if proven is None:
            proven = keys_in_order(table, keys[0])
        if proven:  # each id after the one before it: none repeats
            return
        repeating = repeated_hashes(table, keys[0])
        if repeating is None:  # no hash repeats: no key does
            return
        candidates = table.filter(key_hash()(table[keys[0]].cast("string")).isin(repeating._h))
    groups = candidates.group_by(keys).aggregate(_first=candidates["_row"].min(), _n=candidates.count()).filter(lambda t: t._n > 1)
    repeats = candidates.join(groups, keys).filter(lambda t: t._row != t._first).select("_row", "_first")
    header = checker.header(keys[0])
    firsts: dict[int, int] = {}

    def message(record) -> str:
        if record["_first"] not in firsts:
            firsts[record["_first"]] = checker.source.rows([record["_first"]])[0]
        return f"与第{firsts[record['_first']]}行重复"

    checker.report(repeats, header, message)


def _known_values(dataset: DatasetSpec, registry: Registry | None) -> dict[str, set]:
    """Spellings a unit or choice column is expected to hold: every name the registry knows, the choices."""
    names = {n for u in registry.units for n in (u.full_name, u.short_name, u.text, *u.aliases) if n} if registry else set()
    return {s.field: set(s.choices) if s.type == "choice" else names for s in dataset.columns if s.type in ("unit", "choice")}


LARGE_FILE_BYTES = 1 << 30  # a record file from this size on outgrows the engine's memory many times over
LARGE_MEMORY_LIMIT = "1200MB"  # what DuckDB may then hold before it spills: 100,000,000 cases built in under 2 GB


def _room_for(engine: Engine, size: int) -> None:
    """More memory for the engine while it reads and checks a record file of ``size`` bytes, when it
    is large: spilling half of a province's year to disk and reading it back took longer than the
    queries themselves (100,000,000 cases from CSV: 118 s at 500 MB, 70 s at 1,400 MB, which
    peaked at 1.9 GB). A limit set in ``BULLETIN_MEMORY_LIMIT`` is kept."""
    if size >= LARGE_FILE_BYTES and not os.environ.get("BULLETIN_MEMORY_LIMIT"):
        engine.sql(f"SET memory_limit = '{LARGE_MEMORY_LIMIT}'")


def _source(location, dataset: DatasetSpec, engine: Engine, settings: Settings, sheet, registry: Registry | None) -> RawSource:
    if isinstance(location, tuple):  # (engine, table) named in files:
        return database_source(location[0], location[1], dataset, engine, settings.section(location[0]))
    note(location)  # DuckDB may read the file itself, past Python's open: what the build read, for ci
    engine.parallel(location.stat().st_size)
    _room_for(engine, location.stat().st_size)
    if location.suffix.lower() == ".csv":
        return csv_source(location, dataset, engine, _known_values(dataset, registry), _codes(registry))
    if location.suffix.lower() == ".parquet":
        return parquet_source(location, dataset, engine, _codes(registry))
    return sheet_source(location, dataset, engine, sheet)


def load_records(
    location, dataset: DatasetSpec, registry: Registry | None, log: ProblemLog, engine: Engine,
    sheet=None, settings: Settings | None = None,
) -> RecordTable:
    """A record table checked in the engine; every problem goes to ``log`` with its location.

    ``location`` is a file path, or ``(engine name, table name)`` for a table in a database.
    """
    if isinstance(location, Path) and not location.is_file():
        log.add(location.name, f"文件不存在（{dataset.title}）")
        return RecordTable(None)
    label = location.name if isinstance(location, Path) else location[1]
    progress.stage(f"读取 {label}…", force=True)
    try:
        source = _source(location, dataset, engine, settings or bulletin_view({}), sheet, registry)
    except ReadError as exc:
        log.add(label, str(exc), sheet=exc.sheet, row=exc.row, column=exc.column)
        return RecordTable(None)
    except EngineError as exc:
        log.add(label, str(exc))
        return RecordTable(None)
    return checked_records(source, dataset, registry, log, engine)


def checked_records(source: RawSource, dataset: DatasetSpec, registry: Registry | None, log: ProblemLog,
                    engine: Engine) -> RecordTable:
    """The raw table of ``source`` checked and converted (see :func:`load_records`)."""
    if not source.count:  # a header and nothing under it: every figure of the bulletin would be empty
        log.add(source.label, NO_ROWS, sheet=source.sheet)
        return RecordTable(source)
    progress.stage(f"检查 {source.label}：{source.count:,} 行", force=True)
    checker = _Checker(source, dataset, log)
    embedded = source.engine == "duckdb"
    store = (lambda arrow: engine.upload("lookup", arrow)) if embedded else ibis_module().memtable
    if source.typed:  # converted while read: blanks, limits and order counted in one query
        table = _finished(source.table, dataset, {}, source.table.columns)
        ordered = _ordered_ahead(table, dataset, engine, embedded)
        checker.report_masks(table, _cell_checks(table, dataset) + _order_checks(table, dataset, checker))
    else:
        table = _typed(source.table, dataset, registry, checker, store)
        if source.stored and not checker.failed:  # a copy of a file: converted once; the checks and figures read the compact table
            table = engine.materialise(dataset.name, table)
            engine.drop(source.stored)
        ordered = _ordered_ahead(table, dataset, engine, embedded)
        checker.report_masks(table, _order_checks(table, dataset, checker))
    _check_unique(table, dataset, checker, embedded, ordered)
    if checker.failed:
        return RecordTable(source)
    choices = {s.field: s.choices for s in dataset.columns if s.type == "choice"}
    return RecordTable(source, table, choices)
