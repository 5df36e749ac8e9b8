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
from ..registry import Registry, UnknownUnit, name_key
from .reader import CSV_ENCODINGS, ReadError, read_table
from .schema import TYPE_NAMES, ColumnSpec, DatasetSpec, coerce

MAX_LOCATED = 20  # rows listed for one kind of mistake; the rest are counted
HEADER_SCAN_BYTES = 64 * 1024
DICTIONARY = pa.dictionary(pa.int32(), pa.string())
NAT = np.datetime64("NaT", "D")


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


def _decode_head(raw: bytes) -> tuple[str, str]:
    for encoding in CSV_ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError as exc:
            if exc.start > len(raw) - 4:  # a character cut by the scan window
                return raw[: exc.start].decode(encoding), encoding
    raise ReadError("无法识别文件编码：应为 UTF-8 或 GBK/GB18030")


def _csv_header(path: Path, wanted: list[str]) -> tuple[int, list[str], str]:
    """(index of the header line, its cells, encoding): the first line naming every wanted header."""
    with open(path, "rb") as handle:
        text, encoding = _decode_head(handle.read(HEADER_SCAN_BYTES))
    keys = {name_key(h) for h in wanted}
    lines = text.lstrip("\ufeff").splitlines()[:20]
    best = (0, -1, [])
    for i, cells in enumerate(csv.reader(lines)):
        hits = len({name_key(c) for c in cells if c.strip()} & keys)
        if hits == len(keys):
            return i, cells, encoding
        if hits > best[1]:
            best = (i, hits, cells)
    present = {name_key(c) for c in best[2]}
    missing = [h for h in wanted if name_key(h) not in present]
    raise ReadError(f"缺少列：{'、'.join(missing)}（表头应包含：{'、'.join(wanted)}）", row=best[0] + 1)


def _arrow_type(spec: ColumnSpec):
    return pa.string() if spec.type == "text" else DICTIONARY


def _read_csv(path: Path, dataset: DatasetSpec) -> tuple[dict[str, pa.ChunkedArray], int]:
    """Arrow columns by field, and the line number of the first data row."""
    required = [c.header for c in dataset.columns if c.required]
    header_index, cells, encoding = _csv_header(path, required)
    actual = {name_key(c): c for c in cells if c.strip()}
    present = {spec.field: actual[name_key(spec.header)] for spec in dataset.columns if name_key(spec.header) in actual}
    names = [f"c{i}" for i in range(len(cells))]  # positional names: headers may repeat or differ in width
    position = {c: i for i, c in reversed(list(enumerate(cells)))}
    wanted = {f"c{position[h]}": spec for spec in dataset.columns if (h := present.get(spec.field)) is not None}
    try:
        table = pa_csv.read_csv(
            path,
            read_options=pa_csv.ReadOptions(skip_rows=header_index + 1, column_names=names, encoding=encoding),
            convert_options=pa_csv.ConvertOptions(
                include_columns=list(wanted),
                column_types={name: _arrow_type(spec) for name, spec in wanted.items()},
                strings_can_be_null=True,
                null_values=[""],
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        raise ReadError(f"无法作为 CSV 文件读取：{exc}") from exc
    return {spec.field: table.column(name) for name, spec in wanted.items()}, header_index + 2


def _read_sheet(path: Path, dataset: DatasetSpec, sheet) -> tuple[dict[str, pa.ChunkedArray], np.ndarray, str | None]:
    """An .xlsx record table through the ordinary reader, as the same Arrow columns."""
    raw = read_table(path, [c.header for c in dataset.columns if c.required], sheet=sheet)
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
    for raw in values:
        try:
            value = coerce(spec, raw, registry)
            reason = None
            if spec.min is not None and value < spec.min:
                reason = f"不能小于 {spec.min}，实为 {value}"
            if spec.max is not None and value > spec.max:
                reason = f"不能大于 {spec.max}，实为 {value}"
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


def _check_unique(records: Records, dataset: DatasetSpec, report: _Reporter) -> None:
    """Rows whose identifying fields repeat an earlier row."""
    if not dataset.unique or not len(records):
        return
    import pandas as pd  # only on this path: building a frame of keys

    keys = {}
    for name in dataset.unique:
        column = records.columns.get(name)
        if isinstance(column, (pa.ChunkedArray, pa.Array)):
            if len(dataset.unique) == 1 and pc.count_distinct(column).as_py() == len(column) - column.null_count:
                return  # the common case, decided without a hash table in Python
            column = column.to_pandas()
        keys[name] = column
    frame = pd.DataFrame(keys)
    repeated = frame.duplicated(keep="first").to_numpy()
    if repeated.any():
        first = frame.drop_duplicates(keep="first").reset_index().set_index(list(dataset.unique))["index"]
        header = next(c.header for c in dataset.columns if c.field == dataset.unique[0])
        for i in np.flatnonzero(repeated)[:MAX_LOCATED]:
            key = tuple(frame.iloc[i]) if len(dataset.unique) > 1 else frame.iloc[i, 0]
            report.failed = True
            report.log.add(report.file, f"与第{records.rows[first.loc[key]]}行重复", sheet=report.sheet, row=int(records.rows[i]), column=header)
        if repeated.sum() > MAX_LOCATED:
            report.log.add(report.file, f"另有 {int(repeated.sum()) - MAX_LOCATED} 行重复", sheet=report.sheet, column=header)


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
