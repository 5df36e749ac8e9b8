"""A record table shared by the offices (区县) of a province: one file or database table for all
of them, with a column naming each row's office.

The table is read into the query engine once per build of the period, not once per office
(:func:`shared_source`); each office's bulletin then checks and counts a query of its own rows
(:func:`office_records`), with the row numbers of the shared file in every message. Rows no
declared office claims are reported once (:func:`unclaimed_rows`).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from pathlib import Path

from ..config.view import Settings
from .engine import Engine, EngineError, ibis_module
from ..core.errors import Problem, ProblemLog
from ..core.suggest import suggestion
from .reader import ReadError
from .records import RecordTable, _source, checked_records
from .schema import ColumnSpec, DatasetSpec
from .sources import RawSource

OFFICE_FIELD = "_office"  # the office column, as the shared raw table holds it
VALUES_SHOWN = 10  # office values named when one office finds no rows

# engine → (location, dataset, column, sheet) → RawSource (or the error reading it gave)
_READ: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _key(location, dataset: DatasetSpec, column: str, sheet) -> tuple:
    return str(location), dataset.name, column, sheet


def _label(location) -> str:
    return location.name if isinstance(location, Path) else location[1]


def shared_source(location, dataset: DatasetSpec, column: str, engine: Engine, settings: Settings, sheet=None,
                  registry=None) -> RawSource:
    """The shared table as a raw table with the office column, read the first time it is asked for."""
    read = _READ.setdefault(engine, {})
    key = _key(location, dataset, column, sheet)
    if key not in read:
        wide = replace(dataset, columns=dataset.columns + (ColumnSpec(OFFICE_FIELD, column),))
        try:
            source = _source(location, wide, engine, settings, sheet, registry)
            read[key] = source if isinstance(location, tuple) else _kept(source, engine, len(read))
        except (ReadError, EngineError) as exc:
            read[key] = exc
    if isinstance(read[key], Exception):
        raise read[key]
    return read[key]


@dataclass
class KeptSource(RawSource):
    """A shared raw table copied into the embedded database, as the temporary table ``name``."""

    name: str = ""


def _kept(source: RawSource, engine: Engine, serial: int) -> KeptSource:
    """A file's raw table (.csv, .parquet, .xlsx) copied once into a temporary table of the embedded
    database, which the end of each office's build leaves in place: unit and choice columns as text
    (their ENUM types go), rows ordered by office so that each office's queries read its own blocks."""
    source.rows([])  # whether the .csv is one record a line: counted on the whole file, once
    name = f"_office_rows_{serial}"
    sql = ibis_module().to_sql(source.table, dialect="duckdb")
    columns = ", ".join(f'CAST("{c}" AS VARCHAR) AS "{c}"' if t.is_string() else f'"{c}"' for c, t in source.table.schema().items())
    engine.sql(f'CREATE OR REPLACE TEMP TABLE {name} AS SELECT {columns} FROM ({sql}) ORDER BY "{OFFICE_FIELD}", _row')
    if source.stored:
        engine.drop(source.stored)
    csv_path = source.csv_path
    if csv_path is not None and csv_path.parent == engine.scratch():  # a UTF-8 copy: kept past each build's clean-up
        csv_path = csv_path.rename(csv_path.with_suffix(".kept"))
    table = engine.backend().sql(f"SELECT * FROM {name}")
    return KeptSource(**{**vars(replace(source, table=table, stored=None, csv_path=csv_path)), "name": name})


OWN_ROWS = "_office_own_rows"


def office_rows(source: RawSource, value: str, engine: Engine) -> RawSource:
    """The rows of one office, as a raw table of their own (positions still those of the shared table).

    From a copy in the embedded database they are stored as a table of the same name for every
    office, so that each office asks the very same queries (compiled once in a process) of it;
    like a .csv's table it is dropped once checked and converted."""
    if not isinstance(source, KeptSource):
        table = source.table
        mine = table.filter(table[OFFICE_FIELD].cast("string") == value).drop(OFFICE_FIELD)
        return replace(source, table=mine, count=int(mine.count().to_pyarrow().as_py()), stored=None)
    quoted = "'" + value.replace("'", "''") + "'"
    engine.sql(f'CREATE OR REPLACE TABLE {OWN_ROWS} AS SELECT * EXCLUDE ("{OFFICE_FIELD}") FROM {source.name} '
               f'WHERE "{OFFICE_FIELD}" = {quoted} ORDER BY _row')
    table = engine.backend().sql(f"SELECT * FROM {OWN_ROWS}")
    fields = {k: v for k, v in vars(source).items() if k != "name"}
    return RawSource(**{**fields, "table": table, "count": int(table.count().to_pyarrow().as_py()), "stored": OWN_ROWS})


def office_values(source: RawSource) -> list[str]:
    """The office column's distinct values, in order."""
    text = source.table[OFFICE_FIELD].cast("string")
    found = source.table.select(v=text).distinct().order_by("v").to_pyarrow().column("v").to_pylist()
    return [v for v in found if v is not None]


def office_records(location, dataset: DatasetSpec, config, log: ProblemLog, engine: Engine, sheet, column: str) -> RecordTable:
    """One office's rows of the shared table, checked as any record table; an office the column
    never names is an error at its line under ``offices:``."""
    where = f"{config.period.code}/bulletin.yaml"
    if config.office is None:
        why = "本期用 offices 为每个区县各生成一份通报，此命令不能只生成其中一份（请用 bulletin build 或 validate）" \
            if config.value("offices") else "只在用 offices 为每个区县各生成一份通报时使用（本期没有 offices）"
        log.add(where, f"files.{dataset.name}.office_column：{why}")
        return RecordTable(None)
    if isinstance(location, Path) and not location.is_file():
        log.add(location.name, f"文件不存在（{dataset.title}）")
        return RecordTable(None)
    try:
        shared = shared_source(location, dataset, column, engine, config.view, sheet, config.registry)
    except ReadError as exc:
        log.add(_label(location), str(exc), sheet=exc.sheet, row=exc.row, column=exc.column)
        return RecordTable(None)
    except EngineError as exc:
        log.add(_label(location), str(exc))
        return RecordTable(None)
    mine = office_rows(shared, config.office.value, engine)
    if not mine.count:
        values = office_values(shared)
        shown = "、".join(values[:VALUES_SHOWN]) + ("……" if len(values) > VALUES_SHOWN else "")
        log.add(where, f"offices.{config.office.key}：{shared.label} 的“{column}”列中没有“{config.office.value}”的行"
                       f"{suggestion(config.office.value, values)}（该列中有：{shown or '无'}；可用 value 写出该列中的写法）",
                row=config.office.line)
        return RecordTable(None)
    return checked_records(mine, dataset, config.registry, log, engine)


def unclaimed_rows(engine: Engine, location, dataset: DatasetSpec, column: str, sheet, claimed: list[str]) -> list[Problem]:
    """One warning per office value of the shared table no declared office claims (blank included):
    how many rows, from which row on, left out of every bulletin."""
    source = _READ.get(engine, {}).get(_key(location, dataset, column, sheet))
    if not isinstance(source, RawSource):
        return []
    table = source.table
    text = table[OFFICE_FIELD].cast("string")
    rest = table.filter(text.isnull() | ~text.isin(claimed))
    groups = rest.group_by(v=rest[OFFICE_FIELD].cast("string")).aggregate(n=rest.count(), first=rest["_row"].min())
    found = groups.order_by("first").to_pyarrow().to_pylist()
    lines = source.rows([g["first"] for g in found])
    return [Problem(source.label, f"{g['n']:,} 行的“{column}”{_shown(g['v'])}，不属于 offices 中的任何区县，"
                                  "未计入任何一份通报（自此行起）", source.sheet, line, column)
            for g, line in zip(found, lines)]


def _shown(value) -> str:
    return "为空" if value is None else f"为“{value}”"


def forget(engine: Engine) -> None:
    """Drop the shared tables this engine holds and the UTF-8 copies kept of their files (the
    period's offices are all built)."""
    for source in _READ.pop(engine, {}).values():
        if isinstance(source, KeptSource):
            engine.sql(f"DROP TABLE IF EXISTS temp.{source.name}")
            if source.csv_path is not None and source.csv_path.parent == engine.scratch():  # a copy, never a file of the office
                source.csv_path.unlink(missing_ok=True)
