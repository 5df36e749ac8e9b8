"""Large record tables (one row per case, a year of a city's exports) read column by column.

A dataset declared with ``records: true`` in ``kind.yaml`` is read here instead of row by
row: a .csv goes straight into Arrow columns (several cores, no Python object per cell), an
.xlsx through the ordinary reader. Columns of few distinct values (units, dates, time
limits, choices) are dictionary-encoded, so each *distinct* value is checked once with the
same rules as any other table (:func:`schema.coerce`) and the verdict is spread to every
row through the codes. A bad value is still reported with its file, row and column.

The result is :class:`Records`: one numpy array per field, ready for vectorised figures.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from ..errors import ProblemLog
from ..registry import Registry, UnknownUnit
from .reader import CSV_ENCODINGS, HEADER_SEARCH_ROWS, ReadError, header_key, locate_header, read_table, refuse_faults
from .schema import TYPE_NAMES, ColumnSpec, Context, DatasetSpec, coerce, limit_problems

MAX_LOCATED = 20  # rows listed for one kind of mistake; the rest are counted
HEADER_SCAN_BYTES = 64 * 1024
DICTIONARY = pa.dictionary(pa.int32(), pa.string())
NAT = np.datetime64("NaT", "D")
FAST_TYPES = {"date": pa.date32(), "int": pa.int64()}


@dataclass
class Records:
    """A checked record table as columns.

    ``columns[field]`` is, by the field's type: ``unit`` → int32 positions in the registry
    (-1 blank); ``date`` → datetime64[D] (NaT blank); ``int``/``number`` → int64/float64;
    ``choice`` → int8 positions in the declared choices (-1 blank); ``text`` → an Arrow array.
    """

    file: str
    rows: np.ndarray  # the row number a clerk sees in Excel or a text editor
    columns: dict[str, object] = field(default_factory=dict)
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # labels of choice codes

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, name: str):
        return self.columns[name]

    def column(self, name: str, blank):
        """A field's values, or ``blank`` in every row where the file lacks that optional column."""
        if name in self.columns:
            return self.columns[name]
        return np.full(len(self.rows), blank)


def _decode_head(raw: bytes, whole: bool) -> tuple[str, str]:
    """The first bytes of a file as text, allowing a character cut by the scan window."""
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
        text, encoding = _decode_head(head, whole=len(head) < HEADER_SCAN_BYTES)
    lines = text.lstrip("\ufeff").splitlines()[:HEADER_SEARCH_ROWS]
    index, cells = locate_header(list(csv.reader(lines)), wanted)  # as for any table: title rows skipped
    return index, [str(c or "") for c in cells], encoding


def _arrow_type(spec: ColumnSpec, fast: bool):
    """How Arrow reads a column: text as strings; dates and whole numbers parsed directly on the
    fast path (ISO dates, plain integers); otherwise dictionary-encoded for checking value by value."""
    if spec.type == "text":
        return pa.string()
    if fast and spec.type in FAST_TYPES:
        return FAST_TYPES[spec.type]
    return DICTIONARY


def _read_csv(path: Path, dataset: DatasetSpec) -> tuple[dict[str, pa.ChunkedArray], int]:
    """Arrow columns by field, and the line number of the first data row."""
    required = [c.header for c in dataset.columns if c.required]
    header_index, cells, encoding = _csv_header(path, required)
    actual = {header_key(c): c for c in cells if c.strip()}
    present = {spec.field: actual[header_key(spec.header)] for spec in dataset.columns if header_key(spec.header) in actual}
    names = [f"c{i}" for i in range(len(cells))]  # positional names: headers may repeat or differ in width
    position = {c: i for i, c in reversed(list(enumerate(cells)))}
    wanted = {f"c{position[h]}": spec for spec in dataset.columns if (h := present.get(spec.field)) is not None}
    encoding = "utf8" if encoding.startswith("utf-8") else encoding  # Arrow's own decoder; others go through Python
    for fast in (True, False):  # a date or number Arrow cannot parse: read again, to say which rows
        try:
            table = pa_csv.read_csv(
                path,
                read_options=pa_csv.ReadOptions(skip_rows=header_index + 1, column_names=names, encoding=encoding),
                parse_options=pa_csv.ParseOptions(ignore_empty_lines=False),  # keep line numbers true
                convert_options=pa_csv.ConvertOptions(
                    include_columns=list(wanted),
                    column_types={name: _arrow_type(spec, fast) for name, spec in wanted.items()},
                    strings_can_be_null=True,
                    null_values=[""],
                ),
            )
            break
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            if not fast:
                raise ReadError(f"无法作为 CSV 文件读取：{exc}") from exc
    return {spec.field: table.column(name) for name, spec in wanted.items()}, header_index + 2


def _read_sheet(path: Path, dataset: DatasetSpec, sheet) -> tuple[dict[str, pa.ChunkedArray], np.ndarray, str | None]:
    """An .xlsx record table through the ordinary reader, as the same Arrow columns."""
    raw = read_table(
        path,
        [c.header for c in dataset.columns if c.required],
        sheet=sheet,
        optional_headers=[c.header for c in dataset.columns if not c.required],
    )
    refuse_faults(raw, {c.header: TYPE_NAMES.get(c.type, c.type) for c in dataset.columns})
    columns = {}
    for spec in dataset.columns:
        if spec.header not in raw.headers:
            continue
        values = [None if cells.get(spec.header) is None else str(cells[spec.header]) for _, cells in raw.rows]
        array = pa.chunked_array([pa.array(values, pa.string())])
        columns[spec.field] = array if spec.type == "text" else pc.dictionary_encode(array)
    return columns, np.array([n for n, _ in raw.rows], dtype=np.int64), raw.sheet


def _codes(column: pa.ChunkedArray) -> tuple[np.ndarray, list]:
    """Dictionary indices (-1 for blank) and the distinct values, over all chunks."""
    column = column.unify_dictionaries()
    dictionary = column.chunk(0).dictionary.to_pylist() if column.num_chunks else []
    indices = pa.chunked_array([c.indices for c in column.chunks], pa.int32()) if column.num_chunks else pa.array([], pa.int32())
    codes = pc.fill_null(indices, -1).to_numpy() if len(indices) else np.zeros(0, np.int32)
    return np.asarray(codes, dtype=np.int32), dictionary


class _Reporter:
    """Located problems for rows selected by a mask, listing the first few of each kind."""

    def __init__(self, log: ProblemLog, file: str, sheet: str | None, rows: np.ndarray):
        self.log, self.file, self.sheet, self.rows = log, file, sheet, rows
        self.failed = False

    def rows_where(self, mask: np.ndarray, column: str, message: str) -> None:
        hits = np.flatnonzero(mask)
        if not len(hits):
            return
        self.failed = True
        for i in hits[:MAX_LOCATED]:
            self.log.add(self.file, message, sheet=self.sheet, row=int(self.rows[i]), column=column)
        if len(hits) > MAX_LOCATED:
            self.log.add(self.file, f"另有 {len(hits) - MAX_LOCATED} 行同样问题：{message}", sheet=self.sheet, column=column)


def _convert(spec: ColumnSpec, values: list, registry: Registry | None):
    """Each distinct value checked once: (converted values, reason or None per value)."""
    converted, reasons = [], []
    context = Context(registry)
    for raw in values:
        try:
            value = coerce(spec, raw, context)
            reason = "；".join(limit_problems(spec, value)) or None
        except UnknownUnit as exc:
            value, reason = None, str(exc)
        except ValueError as exc:
            value, reason = None, str(exc) or f"应为{TYPE_NAMES.get(spec.type, spec.type)}，实为“{raw}”"
        converted.append(value)
        reasons.append(reason)
    return converted, reasons


def _typed(spec: ColumnSpec, converted: list, codes: np.ndarray, registry: Registry | None) -> np.ndarray:
    """The column as numbers: the converted distinct values looked up through the codes."""
    if spec.type == "unit":
        table = np.array([-1 if u is None else u.order for u in converted] + [-1], dtype=np.int32)
    elif spec.type == "date":
        table = np.array([NAT if d is None else np.datetime64(d, "D") for d in converted] + [NAT], dtype="datetime64[D]")
    elif spec.type == "choice":
        table = np.array([-1 if v is None else spec.choices.index(v) for v in converted] + [-1], dtype=np.int8)
    elif spec.type == "int":
        default = -1 if spec.default is None else int(spec.default)
        table = np.array([default if v is None else v for v in converted] + [default], dtype=np.int64)
    else:
        table = np.array([np.nan if v is None else float(v) for v in converted] + [np.nan], dtype=np.float64)
    return table[codes]  # code -1 picks the blank value at the end


def _parsed(spec: ColumnSpec, column: pa.ChunkedArray, report: _Reporter) -> np.ndarray:
    """A date or whole-number column Arrow parsed itself, as numpy, with the declared limits checked."""
    if spec.type == "date":
        return np.asarray(column.to_numpy(), dtype="datetime64[D]")  # nulls become NaT
    default = -1 if spec.default is None else int(spec.default)
    values = pc.fill_null(column, default).to_numpy()
    given = ~column.is_null().to_numpy(zero_copy_only=False)
    if spec.min is not None:
        report.rows_where(given & (values < int(spec.min)), spec.header, f"不能小于 {spec.min}")
    if spec.max is not None:
        report.rows_where(given & (values > int(spec.max)), spec.header, f"不能大于 {spec.max}")
    return values


def string_hashes(column: pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of every string, computed eight bytes at a time on the Arrow buffers.

    Equal strings get equal hashes; unequal ones almost never do, and any that do are told
    apart exactly afterwards (:func:`repeated_rows`). Nulls hash like the empty string.
    """
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    width = np.int64 if pa.types.is_large_string(array.type) else np.int32
    offsets = np.frombuffer(array.buffers()[1], dtype=width, count=len(array) + 1, offset=array.offset * np.dtype(width).itemsize)
    offsets = offsets.astype(np.int64)
    lengths = np.diff(offsets)
    starts = offsets[:-1] - offsets[0]
    raw = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]] if len(array) else np.zeros(0, np.uint8)
    padded = np.zeros(len(raw) + 8, np.uint8)
    padded[: len(raw)] = raw
    words = np.ndarray(shape=(len(raw) + 1,), dtype="<u8", buffer=padded, strides=(1,))  # the 8 bytes at each offset
    hashes = lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    for k in range(0, int(lengths.max(initial=0)), 8):
        word = words[np.minimum(starts + k, len(raw))]
        keep = np.clip(lengths - k, 0, 8).astype(np.uint64) * np.uint64(8)
        mask = np.where(keep >= 64, np.uint64(2**64 - 1), (np.uint64(1) << (keep % np.uint64(64))) - np.uint64(1))
        hashes = (hashes ^ (word & mask)) * np.uint64(0x100000001B3)
        hashes ^= hashes >> np.uint64(29)
    return hashes


def _key(records: Records, name: str) -> np.ndarray:
    """A field as numbers that are equal where the values are equal."""
    column = records.columns[name]
    if isinstance(column, (pa.ChunkedArray, pa.Array)):
        return string_hashes(column)
    return np.asarray(column).view(np.int64) if np.asarray(column).dtype.kind == "M" else np.asarray(column, dtype=np.int64)


def repeated_rows(records: Records, fields: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(positions of rows repeating an earlier row's ``fields``, position of that earlier row).

    Hashes are compared first, sorted; only rows whose hash repeats are compared exactly.
    """
    combined = np.zeros(len(records), np.uint64)
    for name in fields:
        combined = (combined * np.uint64(0x100000001B3)) ^ _key(records, name).astype(np.uint64)
    ordered = np.sort(combined)
    clashing = ordered[1:][ordered[1:] == ordered[:-1]]
    if not len(clashing):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    import pandas as pd  # exact comparison, on the few rows whose hashes clash

    candidates = np.flatnonzero(np.isin(combined, clashing))
    frame = pd.DataFrame(
        {
            name: (records.columns[name].take(pa.array(candidates)).to_pylist()
                   if isinstance(records.columns[name], (pa.ChunkedArray, pa.Array)) else records.columns[name][candidates])
            for name in fields
        }
    )
    repeated = frame.duplicated(keep="first").to_numpy()
    first_index = frame.groupby(list(fields), sort=False, dropna=False).ngroup().to_numpy()
    first_position = {}
    for group, position in zip(first_index, candidates):
        first_position.setdefault(group, position)
    return candidates[repeated], np.array([first_position[g] for g in first_index[repeated]], dtype=np.int64)


def _check_unique(records: Records, dataset: DatasetSpec, report: _Reporter) -> None:
    """Rows whose identifying fields repeat an earlier row, each with the row it repeats."""
    if not dataset.unique or not len(records) or any(f not in records.columns for f in dataset.unique):
        return
    positions, firsts = repeated_rows(records, dataset.unique)
    header = next(c.header for c in dataset.columns if c.field == dataset.unique[0])
    for position, first in list(zip(positions, firsts))[:MAX_LOCATED]:
        report.log.add(report.file, f"与第{records.rows[first]}行重复", sheet=report.sheet, row=int(records.rows[position]), column=header)
    if len(positions) > MAX_LOCATED:
        report.log.add(report.file, f"另有 {len(positions) - MAX_LOCATED} 行重复", sheet=report.sheet, column=header)
    report.failed = report.failed or bool(len(positions))


def _drop_blank_rows(raw: dict[str, pa.ChunkedArray], rows: np.ndarray):
    """Without the rows where every column is blank, each remaining row keeping its number."""
    if not raw or not len(rows):
        return raw, rows
    columns = list(raw.values())
    if not columns[0].null_count:  # the usual case: no blank row, decided without a pass per column
        return raw, rows
    blank = np.logical_and.reduce([c.is_null().to_numpy(zero_copy_only=False) for c in columns])
    if not blank.any():
        return raw, rows
    keep = pa.array(~blank)
    return {name: column.filter(keep) for name, column in raw.items()}, rows[~blank]


def load_records(path: Path, dataset: DatasetSpec, registry: Registry | None, log: ProblemLog, sheet=None) -> Records:
    """A record table checked column-wise; every problem goes to ``log`` with its location."""
    if not path.is_file():
        log.add(path.name, f"文件不存在（{dataset.title}）")
        return Records(path.name, np.zeros(0, np.int64))
    try:
        if path.suffix.lower() == ".csv":
            raw, first_row = _read_csv(path, dataset)
            count = len(next(iter(raw.values()))) if raw else 0
            rows, sheet_name = np.arange(first_row, first_row + count, dtype=np.int64), None
        else:
            raw, rows, sheet_name = _read_sheet(path, dataset, sheet)
    except ReadError as exc:
        log.add(path.name, str(exc), sheet=exc.sheet, row=exc.row, column=exc.column)
        return Records(path.name, np.zeros(0, np.int64))
    raw, rows = _drop_blank_rows(raw, rows)
    records = Records(path.name, rows)
    report = _Reporter(log, path.name, sheet_name, rows)
    for spec in dataset.columns:
        column = raw.get(spec.field)
        if column is None:  # an optional column the file does not have
            continue
        blank = column.is_null().to_numpy(zero_copy_only=False) if len(column) else np.zeros(0, bool)
        if spec.required and spec.default is None:
            report.rows_where(blank, spec.header, f"缺少数值，应填写{TYPE_NAMES.get(spec.type, spec.type)}")
        if spec.type == "text":
            records.columns[spec.field] = column
            continue
        if not pa.types.is_dictionary(column.type):  # parsed by Arrow on the fast path
            records.columns[spec.field] = _parsed(spec, column, report)
            continue
        codes, distinct = _codes(column)
        converted, reasons = _convert(spec, distinct, registry)
        for code, reason in enumerate(reasons):
            if reason is not None:
                report.rows_where(codes == code, spec.header, reason)
        records.columns[spec.field] = _typed(spec, converted, codes, registry)
        if spec.type == "choice":
            records.choices[spec.field] = spec.choices
    for spec in dataset.columns:  # 办结日期不能早于申请日期 and the like
        value = records.columns.get(spec.field)
        for other, wrong, words in ((spec.min_column, np.less, "不能早于/小于"), (spec.max_column, np.greater, "不能大于")):
            if other is None or value is None or records.columns.get(other) is None:
                continue
            header = next(c.header for c in dataset.columns if c.field == other)
            with np.errstate(invalid="ignore"):
                report.rows_where(wrong(value, records.columns[other]), spec.header, f"{words}“{header}”")
    _check_unique(records, dataset, report)
    return records if not report.failed else Records(path.name, np.zeros(0, np.int64))
