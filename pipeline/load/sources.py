"""Where a record table comes from, as a raw table in the query engine.

A raw table has one column per declared field the source holds (values as stored: text
from files, typed values from databases) and ``_row``, a position in source order. A
:class:`RawSource` also turns positions back into what a clerk can find: the line of a
.csv (title rows, blank lines and quoted line breaks counted), the Excel row of an .xlsx,
or the place of a row in a database table ordered by its key.

- .csv: read by DuckDB itself into the engine's database (several cores, off the Python
  heap); files not in UTF-8 are first re-encoded, streaming, into the engine's scratch folder;
- .parquet: read where it lies by DuckDB, row numbers from the file;
- .xlsx: through the ordinary reader, then stored in the engine;
- ``{postgres: schema.table}`` or ``{spark: db.table}`` in ``files:``: the table where it
  lives; its queries run there.
"""

from __future__ import annotations

import codecs
import csv
import re
import functools
import threading
from concurrent.futures import Future
from dataclasses import dataclass, replace
from pathlib import Path

from ..config.view import Settings
from .engine import Engine, EngineError, ibis_module
from .reader import CSV_ENCODINGS, HEADER_SEARCH_ROWS, ReadError, header_key, locate_header, read_table, refuse_faults
from .schema import TYPE_NAMES, DatasetSpec
from .stored_types import FAST_TYPES, fast_type, unit_type

HEADER_SCAN_BYTES = 64 * 1024
CHUNK = 8 << 20


@dataclass
class RawSource:
    """A raw table in the engine, what to call it in messages, and how its positions map to rows."""

    label: str  # file name, or 表 schema.table (PostgreSQL)
    table: object  # Ibis table: declared fields present + _row
    engine: str  # duckdb, postgres, spark
    sheet: str | None = None
    first_row: int = 1  # the row number of position 0 when rows are regular
    csv_path: Path | None = None  # to count lines again when the file has blank lines or line breaks in cells
    csv_skip: int = 0
    count: int = 0
    stored: str | None = None  # the engine's copy of the file, dropped once checked and converted
    typed: bool = False  # every field converted and checked already but for blanks, limits and order
    counted: Future | None = None  # the file's lines, counted on another thread while it was read
    _regular: bool | None = None

    def rows(self, positions: list[int]) -> list[int]:
        """The row numbers a clerk sees for source positions."""
        if self.csv_path is not None and self._regular is None:
            ahead = self.counted is not None and not self.counted.cancelled()  # the engine stopped it: count now
            lines = self.counted.result() if ahead else None
            self._regular = (lines if lines is not None else line_count(self.csv_path)) == self.csv_skip + self.count
        if self.csv_path is None or self._regular:
            return [self.first_row + int(p) for p in positions]
        return _csv_lines(self.csv_path, self.csv_skip, positions)


def line_count(path: Path, stop: threading.Event | None = None) -> int | None:
    """The lines of the file, a last line without its newline counted (every record of the file
    is one line when they are as many as the header's lines and the records); None if ``stop``
    is set before the end."""
    lines, last = 0, b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if stop is not None and stop.is_set():
                return None
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


def _csv_lines(path: Path, skip: int, positions: list[int]) -> list[int]:
    """Line numbers of the records at ``positions``, reading the file as DuckDB does (blank lines skipped)."""
    wanted, found, index = set(int(p) for p in positions), {}, -1
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        for record in reader:
            if reader.line_num <= skip or not record:
                continue
            index += 1
            if index in wanted:
                found[index] = reader.line_num - (sum(field.count("\n") for field in record))
                if len(found) == len(wanted):
                    break
    return [found.get(int(p), 0) for p in positions]


def _decode_head(raw: bytes, whole: bool) -> tuple[str, str]:
    """The first bytes of a file as text, allowing a character cut by the scan window."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw[: len(raw) - (len(raw) % 2)].decode("utf-16", errors="ignore"), "utf-16"
    for encoding in CSV_ENCODINGS:
        for cut in range(1 if whole else 4):
            try:
                return raw[: len(raw) - cut].decode(encoding), encoding
            except UnicodeDecodeError:
                continue
    raise ReadError("无法识别文件编码：应为 UTF-8 或 GBK/GB18030")


def _csv_header(path: Path, wanted: list[str]) -> tuple[int, list[str], str]:
    """(index of the header line, its cells, encoding): the first line naming every wanted header."""
    with open(path, "rb") as handle:
        head = handle.read(HEADER_SCAN_BYTES)
    if not head:
        raise ReadError("文件为空（0 字节）")
    text, encoding = _decode_head(head, whole=len(head) < HEADER_SCAN_BYTES)
    lines = text.lstrip("\ufeff").splitlines()[:HEADER_SEARCH_ROWS]
    index, cells = locate_header(list(csv.reader(lines)), wanted)  # as for any table: title rows skipped
    return index, [str(c or "") for c in cells], encoding


def _as_utf8(path: Path, encoding: str, engine: Engine) -> Path:
    """The file itself if UTF-8, else a UTF-8 copy in the engine's scratch folder (streamed)."""
    if encoding.startswith("utf-8"):
        return path
    copy = engine.scratch() / f"{engine.fresh_name('utf8')}.csv"
    try:
        with open(path, encoding=encoding, newline="") as source, open(copy, "w", encoding="utf-8", newline="") as target:
            while text := source.read(CHUNK):
                target.write(text)
    except UnicodeDecodeError as exc:
        raise ReadError(f"无法按 {encoding} 解码文件：{exc.reason}") from None
    return copy


def _positions(cells: list[str], dataset: DatasetSpec) -> dict[str, int]:
    """Declared field → column position, the first column carrying its header."""
    found = {}
    for position, cell in enumerate(cells):
        for spec in dataset.columns:
            if spec.field not in found and cell.strip() and header_key(cell) == header_key(spec.header):
                found[spec.field] = position
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def csv_source(path: Path, dataset: DatasetSpec, engine: Engine, known: dict[str, set] | None = None, codes=None) -> RawSource:
    """A .csv read by DuckDB into the engine, blank rows left out, positions kept: dates and whole
    numbers parsed while reading, units and choices stored as ENUM (a byte a cell, not the text),
    anything else as text. ``known`` gives, by field, spellings expected in a unit or choice column
    (the registry's names, the declared choices). ``codes(spec, values)`` gives the checked value of
    each of a column's possible values, or None if one is refused: when every value of every unit
    and choice column passes, the file is read converted in one pass (the source is ``typed``)."""
    index, cells, encoding = _csv_header(path, [c.header for c in dataset.columns if c.required])
    readable = _as_utf8(path, encoding, engine)
    counted = engine.ahead(functools.partial(line_count, readable, engine.stopping))  # while DuckDB reads it
    positions = _positions(cells, dataset)
    name = engine.fresh_name(dataset.name)
    skip = index + 1
    few = {positions[s.field]: set((known or {}).get(s.field, ())) for s in dataset.columns
           if s.type in FEW_VALUED and s.field in positions}
    for position, values in _head_values(readable, skip, list(few)).items():
        few[position] |= values
    enums = _enums(engine, few)
    types = _column_types(cells, positions, dataset, enums)
    columns = {f: (f"c{p}", types[f"c{p}"]) for f, p in positions.items()}
    converted = _converting_fields(dataset, columns, {f: enums[p] for f, p in positions.items() if p in enums}, codes) if codes else None
    if converted and _stored_converted(engine, name, readable, skip, types, converted, {c for c, _ in columns.values()}):
        return replace(_source_of(engine, name, path.name, readable, index, {_quote(f): _quote(f) for f in positions}, typed=True),
                       counted=counted)
    attempts = [] if converted else [lambda: _column_types(cells, positions, dataset, enums)]  # what is known and seen at the top
    attempts += [
        lambda: _column_types(cells, positions, dataset, _enums(engine, _all_values(engine, readable, skip, len(cells), few))),
        lambda: {f"c{i}": "VARCHAR" for i in range(len(cells))},
    ]
    _read_into(engine, name, readable, skip, attempts)
    return replace(_source_of(engine, name, path.name, readable, index, {f"c{p}": _quote(f) for f, p in positions.items()}),
                   counted=counted)


def _source_of(engine: Engine, name: str, label: str, path: Path, index: int, fields: dict[str, str], typed: bool = False) -> RawSource:
    """The stored file as a raw source: its ``fields`` (stored column → field) and the position,
    rows left blank left out."""
    backend = engine.backend()
    blank = " AND ".join(f"{c} IS NULL" for c in fields) or "FALSE"
    (count,), (blanks,) = (backend.con.execute(f"SELECT count(*) FROM {name}{where}").fetchone() for where in ("", f" WHERE {blank}"))
    where = f" WHERE NOT ({blank})" if blanks else ""
    table = backend.sql(f"SELECT rowid AS _row, {', '.join(f'{c} AS {f}' for c, f in fields.items())} FROM {name}{where}")
    return RawSource(label, table, "duckdb", None, index + 2, path, index + 1, count, None if typed else name, typed=typed)


SQL_CODES = {"unit": "INTEGER", "choice": "TINYINT"}  # the types of checked units (registry order) and choices
WHOLE_TYPES = ("BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER", "USMALLINT", "UTINYINT")


def _converting_fields(dataset: DatasetSpec, columns: dict[str, tuple[str, str]], enums: dict[str, tuple], codes) -> list[str] | None:
    """SQL of every field converted while read from ``columns`` (field → (SQL, its type)): a unit
    or choice looked up by its place in an ENUM of the values it may hold (``enums``: field →
    (type, values)). None when a field's values must be checked in a table first."""
    fields = []
    for spec in dataset.columns:
        if spec.field not in columns:
            continue
        sql, kind = columns[spec.field]
        if spec.type in FEW_VALUED:
            enum_type, values = enums.get(spec.field, (None, []))
            checked = codes(spec, values) if enum_type and kind in (enum_type, "VARCHAR") else None
            if checked is None:
                return None
            lookup = f"[{', '.join(str(v) for v in checked)}]"
            stored = unit_type(checked) if spec.type == "unit" else SQL_CODES[spec.type]
            fields.append(f"CAST({lookup}[{_place(sql, kind == enum_type, enum_type, values)}] AS {stored}) AS {_quote(spec.field)}")
        elif spec.type == "text" or kind == FAST_TYPES.get(spec.type) or (spec.type == "int" and kind in WHOLE_TYPES):
            fields.append(f"{sql} AS {_quote(spec.field)}")
        else:
            return None
    return fields


FEW_SEARCHED = 256  # text of at most this many values is looked up in a list, not cast to an ENUM


def _place(sql: str, is_enum: bool, enum_type: str, values: list[str]) -> str:
    """SQL of the place (from 1) of a unit or choice among ``values``: its ENUM code, or for text
    its position in the list of them, which DuckDB finds several times faster than it casts text
    to an ENUM (a Parquet file's columns are text)."""
    if is_enum:
        return f"enum_code({sql}) + 1"
    if len(values) <= FEW_SEARCHED:
        return f"list_position([{', '.join(_text_literal(v) for v in values)}], {sql})"
    return f"enum_code(CAST({sql} AS {enum_type})) + 1"


def _stored_converted(engine: Engine, name: str, path: Path, skip: int, types: dict[str, str], fields: list[str],
                      read_columns: set[str]) -> bool:
    """Whether the file could be stored as table ``name`` of ``fields`` read with column ``types``."""
    try:
        read = f"SELECT {', '.join(fields)} FROM {_scan(path, skip, types)}{_every_column(types, read_columns)}"
        engine.sql(f"CREATE TABLE {name} AS {read}")
    except Exception:  # duckdb.Error: a value outside what was seen, a date DuckDB does not parse: read as before
        return False
    return True


FEW_VALUED = ("unit", "choice")  # columns of few distinct values, stored as ENUM
MAX_ENUM = 4096


def _head_values(path: Path, skip: int, wanted: list[int]) -> dict[int, set]:
    """The values of columns ``wanted`` in the first rows of the file (a cheap sample)."""
    with open(path, encoding="utf-8-sig", errors="replace", newline="") as handle:
        lines = handle.read(HEADER_SCAN_BYTES).splitlines()[skip:-1]  # the last line may be cut
    found: dict[int, set] = {p: set() for p in wanted}
    for row in csv.reader(lines):
        for position in wanted:
            if position < len(row) and row[position] != "":
                found[position].add(row[position])
    return found


def _all_values(engine: Engine, path: Path, skip: int, width: int, few: dict[int, set]) -> dict[int, set]:
    """Every value of the ENUM columns, in one streaming pass over the file (when the sample missed some)."""
    types = {f"c{i}": "VARCHAR" for i in range(width)}
    lists = [f"list(DISTINCT c{i})" for i in few]
    every = _every_column(types, {f"c{i}" for i in few})
    try:
        found = engine.connection().execute(f"SELECT {', '.join(lists)} FROM {_scan(path, skip, types)}{every}").fetchone()
    except Exception:  # duckdb.Error: left to the reading as text, which reports it
        return {}
    return {position: set(values or ()) - {None} for position, values in zip(few, found)}


def _enums(engine: Engine, few: dict[int, set]) -> dict[int, tuple[str, list[str]]]:
    """An ENUM type per column position holding its values: (type name, its values in order)."""
    types = {}
    for position, values in few.items():
        if values and len(values) <= MAX_ENUM:
            types[position] = engine.fresh_name("enum"), sorted(values)
            engine.sql(f"CREATE TYPE {types[position][0]} AS ENUM ({', '.join(_text_literal(v) for v in types[position][1])})")
    return types


def _text_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _column_types(cells: list[str], positions: dict[str, int], dataset: DatasetSpec, enums: dict[int, tuple]) -> dict[str, str]:
    """Column types to read with: dates and whole numbers parsed, ENUM where given, the rest text."""
    kinds = {positions[s.field]: fast_type(s) for s in dataset.columns if s.field in positions and s.type in FAST_TYPES}
    kinds.update({p: enum_type for p, (enum_type, _) in enums.items()})
    return {f"c{i}": kinds.get(i, "VARCHAR") for i in range(len(cells))}


def _read_into(engine: Engine, name: str, path: Path, skip: int, attempts: list) -> None:
    """The file stored as table ``name`` with the first column types (``attempts``, computed when
    tried) every value fits, strictly parsed on every core; else as text, tolerating mixed line
    ends and short rows."""
    error = None
    tries = [(attempt, "") for attempt in attempts] + [(attempts[-1], ", strict_mode=false, null_padding=true, parallel=false")]
    for attempt, extra in tries:
        try:
            engine.sql(f"CREATE TABLE {name} AS SELECT * FROM {_scan(path, skip, attempt(), extra)}")
            return
        except Exception as exc:  # duckdb.Error: a value the type cannot hold, or not CSV at all
            error = exc
    raise _read_error(str(error)) from None


def _read_error(text: str) -> ReadError:
    """DuckDB's refusal of a file said as the clerk can act on it, at the line it names."""
    line = re.search(r"CSV Error on Line: (\d+)", text)
    row = int(line.group(1)) if line else None
    if "Invalid unicode" in text:
        return ReadError("有不是 UTF-8 编码的字符：请在 Excel 或 WPS 中另存为“CSV UTF-8（逗号分隔）”，"
                         "或把整个文件存为 GBK 编码", row=row)
    return ReadError(f"无法作为 CSV 文件读取：{text.splitlines()[0]}", row=row)


def _every_column(types: dict[str, str], read: set[str]) -> str:
    """A condition true of every row naming each column of ``types`` the query does not ``read``:
    DuckDB then reads every column of the file, and a byte that is not UTF-8 in any of them is an
    error naming its line, where a scan of some of the columns fails inside the engine and leaves
    the database unusable (DuckDB 1.5: "Attempted to access index …")."""
    rest = [column for column in types if column not in read]
    return " WHERE " + " AND ".join(f"(length(CAST({c} AS VARCHAR)) >= 0 OR {c} IS NULL)" for c in rest) if rest else ""


def _scan(path: Path, skip: int, types: dict[str, str], extra: str = "") -> str:
    """DuckDB's reading of the file from line ``skip`` on, columns of ``types`` (name → SQL type)."""
    columns = ", ".join(f"'{c}': '{t}'" for c, t in types.items())
    extra += f", buffer_size={STORE_BUFFER}" if path.stat().st_size > STORE_BUFFER else ""
    return f"read_csv({_literal(path)}, skip={skip}, header=false, auto_detect=false, delim=',', quote='\"', escape='\"', columns={{{columns}}}{extra})"


STORE_BUFFER = 32 << 20  # bytes of a large file parsed at a time: fewer, fuller row groups stored (a table of 10,000,000 cases 450 MB, not 700)


def parquet_source(path: Path, dataset: DatasetSpec, engine: Engine, codes=None) -> RawSource:
    """A .parquet file read where it lies by DuckDB (no copy); positions are the file's row numbers.
    With ``codes`` (as for :func:`csv_source`), when every unit and choice value passes, each query
    reads the fields converted (the source is ``typed``)."""
    backend = engine.backend()
    try:
        described = backend.con.execute(f"DESCRIBE SELECT * FROM read_parquet({_literal(path)})").fetchall()
    except Exception as exc:
        raise ReadError(f"无法作为 Parquet 文件读取：{str(exc).splitlines()[0]}") from None
    names = [row[0] for row in described]
    positions = _positions(names, dataset)
    missing = [s.header for s in dataset.columns if s.required and s.field not in positions]
    if missing:
        raise ReadError(f"缺少列：{'、'.join(missing)}（文件中的列：{'、'.join(names)}）")
    columns = {f: (_quote(names[p]), described[p][1]) for f, p in positions.items()}
    converted = codes and _converting_fields(dataset, columns, _parquet_enums(engine, path, dataset, columns), codes)
    fields = converted or [f"{sql} AS {_quote(f)}" for f, (sql, _) in columns.items()]
    scan = f"read_parquet({_literal(path)}, file_row_number = true)"
    table = backend.sql(f"SELECT file_row_number AS _row, {', '.join(fields)} FROM {scan}")
    (count,) = backend.con.execute(f"SELECT count(*) FROM read_parquet({_literal(path)})").fetchone()
    return RawSource(path.name, table, "duckdb", None, 1, count=count, typed=bool(converted))


def _parquet_enums(engine: Engine, path: Path, dataset: DatasetSpec, columns: dict[str, tuple[str, str]]) -> dict[str, tuple]:
    """An ENUM type per unit or choice column of text holding its values (read in one pass)."""
    wanted = [s.field for s in dataset.columns if s.type in FEW_VALUED and columns.get(s.field, ("", ""))[1] == "VARCHAR"]
    if not wanted:
        return {}
    found = engine.backend().con.execute(
        f"SELECT {', '.join(f'list(DISTINCT {columns[f][0]})' for f in wanted)} FROM read_parquet({_literal(path)})").fetchone()
    enums = _enums(engine, {i: set(values or ()) - {None} for i, values in enumerate(found)})
    return {wanted[i]: enum for i, enum in enums.items()}


def _literal(path: Path) -> str:
    return _text_literal(str(path))


def sheet_source(path: Path, dataset: DatasetSpec, engine: Engine, sheet=None) -> RawSource:
    """An .xlsx record table through the ordinary reader, stored in the engine as text."""
    import pyarrow as pa

    raw = read_table(
        path,
        [c.header for c in dataset.columns if c.required],
        sheet=sheet,
        optional_headers=[c.header for c in dataset.columns if not c.required],
    )
    refuse_faults(raw, {c.header: TYPE_NAMES.get(c.type, c.type) for c in dataset.columns})  # #N/A is no blank
    columns = {"_row": pa.array([n for n, _ in raw.rows], pa.int64())}
    for spec in dataset.columns:
        if spec.header in raw.headers:
            columns[spec.field] = pa.array([None if c.get(spec.header) is None else str(c[spec.header]) for _, c in raw.rows], pa.string())
    table = engine.upload(dataset.name, pa.table(columns))
    return RawSource(path.name, table, "duckdb", raw.sheet, 0, count=len(raw.rows))


def database_source(engine_name: str, table_name: str, dataset: DatasetSpec, engine: Engine, settings: Settings) -> RawSource:
    """A table in PostgreSQL or Spark, its columns named by the declared headers (or field names)."""
    backend = engine.backend(engine_name, settings)
    schema, _, name = table_name.rpartition(".")
    try:
        table = backend.table(name, database=schema or None)
    except Exception as exc:
        raise EngineError(f"{_label(engine_name, table_name)}不存在或无法读取：{str(exc).strip().splitlines()[0]}") from None
    by_key = {header_key(c): c for c in table.columns}
    present = {s.field: by_key.get(header_key(s.header), by_key.get(header_key(s.field))) for s in dataset.columns}
    missing = [s.header for s in dataset.columns if s.required and present[s.field] is None]
    if missing:
        raise ReadError(f"缺少列：{'、'.join(missing)}（表中的列：{'、'.join(table.columns)}）")
    selected = table.select(**{f: table[c] for f, c in present.items() if c is not None})
    order = [selected[f] for f in (dataset.unique or tuple(selected.columns))]
    numbered = selected.mutate(_row=ibis_module().row_number().over(order_by=order))
    count = int(selected.count().to_pyarrow().as_py())
    return RawSource(_label(engine_name, table_name), numbered, engine_name, None, 1, count=count)


def _label(engine_name: str, table_name: str) -> str:
    return f"{'PostgreSQL' if engine_name == 'postgres' else 'Spark'} 表 {table_name}"
