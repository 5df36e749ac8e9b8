"""Declared shapes of input tables, and turning typed cells into checked values.

A dataset is declared in configuration as columns with a type and limits::

    columns:
      unit:    {header: 单位, type: unit}
      total:   {header: 监管事项总数, type: int, min: 0}
      covered: {header: 已覆盖事项数, type: int, min: 0, max_column: total}

Each cell that does not fit is reported with its file, sheet, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.errors import ProblemLog
from ..core.period import Period
from ..core.registry import Registry, UnknownUnit, name_key
from ..config.declared import COLUMN
from ..config.view import Settings
from .reader import RawTable, header_points, hidden_problems
from .workbook import CellFault, MergedCell

NOT_APPLICABLE = {"/", "—", "-", "无"}  # 不适用 marks in score tables (after folding: ／ is /)

TYPE_NAMES = {
    "text": "文字",
    "int": "非负整数",
    "number": "数字",
    "score": "得分（数字，或“/”表示不适用）",
    "date": "日期（如 2024-04-02）",
    "month": "月份（如 2024-03）",
    "unit": "单位名称",
    "choice": "选项",
}


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a dataset: where it is, what it holds, what limits apply."""

    field: str  # name used in code
    header: str  # header as typed in the file
    type: str = "text"
    required: bool = True  # a value must be present
    min: Decimal | None = None
    max: Decimal | None = None
    max_column: str | None = None  # value may not exceed that field's value
    min_column: str | None = None  # value may not be below that field's value
    choices: tuple[str, ...] = ()
    default: object = None
    places: int | None = None  # most decimal places a number may have (the annex prints no more)

    @classmethod
    def from_config(cls, field_name: str, spec: dict) -> "ColumnSpec":
        def dec(v):
            return None if v is None else Decimal(str(v))

        column = Settings(spec, COLUMN)  # type, required: their declared defaults where not written
        return cls(
            field=field_name,
            header=str(spec["header"]),
            type=column.value("type"),
            required=column.value("required"),
            min=dec(spec.get("min")),
            max=dec(spec.get("max")),
            max_column=spec.get("max_column"),
            min_column=spec.get("min_column"),
            choices=tuple(spec.get("choices", ())),
            default=spec.get("default"),
            places=spec.get("places"),
        )


@dataclass(frozen=True)
class DatasetSpec:
    """The declared shape of one input table."""

    name: str
    title: str
    columns: tuple[ColumnSpec, ...]
    unique: tuple[str, ...] = field(default=())  # fields that together identify a row

    @classmethod
    def from_config(cls, name: str, spec: dict) -> "DatasetSpec":
        return cls(
            name=name,
            title=spec.get("title", name),
            columns=tuple(ColumnSpec.from_config(k, v) for k, v in spec["columns"].items()),
            unique=tuple(spec.get("unique", ())),
        )


def _fold(text: str) -> str:
    """Full-width digits and punctuation to their ASCII forms (８７．５ → 87.5)."""
    return unicodedata.normalize("NFKC", text).strip()


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")  # 1,234.5: thousands separators only


def to_decimal(value: object) -> Decimal:
    """A number typed or stored any way a clerk does it: 87.5, "87.5", "８７．５", "1,234"."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        number = Decimal(format(value, ".15g"))  # what Excel shows: 8.700000000000001 from a formula is 8.7
    elif isinstance(value, Decimal):
        number = value
    else:
        text = re.sub(r"\s+", "", _fold(str(value)))
        if _GROUPED.match(text):
            text = text.replace(",", "")
        if not _NUMBER.match(text):
            raise ValueError
        number = Decimal(text)
    if not number.is_finite():
        raise ValueError
    return number


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:\s*\d{1,2}[:时]\d{2}分?(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def _to_date(value: object) -> dt.date:
    """A date from an Excel date cell or text (2024-04-02, 2024/4/2, 2024年4月2日, 20240402, with or without a time)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime().date()
    if isinstance(value, (int, float, Decimal)):
        raise ValueError  # an Excel serial number or a bare figure is not certainly a date
    text = re.sub(r"\s+", " ", _fold(str(value)))
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return dt.date(*(int(g) for g in match.groups()))
            except ValueError:
                raise ValueError(f"应为日期（如 2024-04-02），实为“{value}”：没有这一天") from None
    raise ValueError


def _year_month(text: str, period: Period | None) -> tuple[int, int]:
    """(year, month) of 2024-03, 2024年3月份, or — the year taken from the period — 3月 / 3."""
    text = re.sub(r"\s+", "", _fold(text))
    match = re.match(r"^(\d{4})(?:[-/.]|年)(\d{1,2})月?(?:份)?$", text)
    if match:
        return int(match.group(1)), int(match.group(2))
    match = re.match(r"^(\d{1,2})(?:\.0)?(?:月份?)?$", text)
    if not match or period is None:
        raise ValueError
    return period.year, int(match.group(1))


def _to_month(value: object, period: Period | None) -> str:
    """``YYYY-MM`` from a date cell or text (see _year_month); inside ``period`` if one is given."""
    if isinstance(value, (dt.date, dt.datetime)) or hasattr(value, "to_pydatetime"):
        day = _to_date(value)
        year, month = day.year, day.month
    else:
        year, month = _year_month(str(value), period)
    if not 1 <= month <= 12:
        raise ValueError
    code = f"{year}-{month:02d}"
    if period is not None and code not in period.months:
        raise ValueError(f"月份 {code} 不在统计周期 {period.code}（{'、'.join(period.months)}）内")
    return code


@dataclass(frozen=True)
class Context:
    """What checking a cell may need besides the cell: the unit registry and the period."""

    registry: Registry | None = None
    period: Period | None = None


LARGEST_INT = 2**63 - 1  # 64-bit integers, as the engine stores them
LARGEST_NUMBER = Decimal(10) ** 27  # the engine's exact decimals hold 28 places before the point


def _within(number, largest, value):
    """``number`` if the engine can hold it; ValueError naming the cell otherwise."""
    if abs(number) > largest:
        raise ValueError(f"数值过大，超出可计算的范围（应为实际的数量），实为“{value}”")
    return number


def coerce(spec: ColumnSpec, value: object, context: Context):
    """The checked value of one cell; raises ValueError (or UnknownUnit) with the reason."""
    if spec.type == "text":
        return str(value).strip()
    if spec.type == "unit":
        return context.registry.resolve(str(value))  # raises UnknownUnit
    if spec.type == "choice":
        key = name_key(value)
        for choice in spec.choices:
            if name_key(choice) == key:
                return choice
        raise ValueError(f"应为以下之一：{'、'.join(spec.choices)}，实为“{value}”")
    if spec.type == "score":
        if isinstance(value, str) and _fold(value) in NOT_APPLICABLE:
            return None
        return to_decimal(value)
    if spec.type == "int":
        number = to_decimal(value)
        if number != number.to_integral_value():
            raise ValueError(f"应为整数，实为“{value}”")
        return _within(int(number), LARGEST_INT, value)
    if spec.type == "number":
        return _within(to_decimal(value), LARGEST_NUMBER, value)
    if spec.type == "date":
        return _to_date(value)
    if spec.type == "month":
        return _to_month(value, context.period)
    raise ValueError(f"未知的列类型 {spec.type}")


def limit_problems(spec: ColumnSpec, value) -> list[str]:
    """What is wrong with a checked number against the column's declared limits (nothing if not a number)."""
    if not isinstance(value, (int, Decimal)) or isinstance(value, bool):
        return []
    reasons = []
    if spec.min is not None and value < spec.min:
        reasons.append(f"不能小于 {spec.min}，实为 {value}")
    if spec.max is not None and value > spec.max:
        reasons.append(f"不能大于 {spec.max}（该项满分或上限），实为 {value}")
    if spec.places is not None and isinstance(value, Decimal) and -value.as_tuple().exponent > spec.places:
        reasons.append(f"最多保留{spec.places}位小数（得分表印到{spec.places}位），实为 {value}")
    return reasons


def validate_rows(
    table: RawTable, dataset: DatasetSpec, context: Context, log: ProblemLog, refused: list[dict] | None = None
) -> list[dict]:
    """Checked records of a raw table, each with ``_row`` and ``_file``; problems go to ``log``.

    Every cell is checked, so one run reports every problem of the table. Rows with a
    problem are left out of the result; their readable cells go to ``refused`` if given.
    """
    _check_header_points(table, dataset, log)
    for row, column, message in hidden_problems(table):  # read though hidden: the clerk should see them
        log.add(table.file, message, sheet=table.sheet, row=row, column=column)
    records = []
    seen: dict[tuple, int] = {}  # unique key → the row it was first written on
    for row_number, cells in table.rows:
        if _is_annotation(cells, dataset, context):
            continue

        def report(column: str, message: str, row_number=row_number) -> None:
            log.add(table.file, message, sheet=table.sheet, row=row_number, column=column)

        record = {"_row": row_number, "_file": table.file, "_sheet": table.sheet}
        ok = _read_cells(record, cells, dataset, context, report) and row_number not in table.hidden_rows
        ok = _check_cross_columns(record, dataset, report) and ok
        ok = _first_of_its_key(record, dataset, seen, report) and ok
        if ok:
            records.append(record)
        elif refused is not None:
            refused.append(record)
    return records


def _read_cells(record: dict, cells: dict, dataset: DatasetSpec, context: Context, report) -> bool:
    """Each declared column's cell checked and typed into ``record``; False if any was refused."""
    ok = True
    for spec in dataset.columns:
        raw = cells.get(spec.header)
        if raw is None:
            if spec.required and spec.default is None:
                report(spec.header, f"缺少数值，应填写{TYPE_NAMES.get(spec.type, spec.type)}")
                ok = False
            record[spec.field] = _default(spec)
        elif isinstance(raw, CellFault):  # #N/A, #DIV/0!, a formula never computed: never a blank
            report(spec.header, raw.reason(TYPE_NAMES.get(spec.type, spec.type)))
            ok = False
        else:
            ok = _read_cell(record, spec, raw, context, report) and ok
    return ok


def _read_cell(record: dict, spec: ColumnSpec, raw, context: Context, report) -> bool:
    try:
        value = coerce(spec, raw, context)
    except (UnknownUnit, ValueError) as exc:
        report(spec.header, str(exc) or f"应为{TYPE_NAMES.get(spec.type, spec.type)}，实为“{raw}”")
        return False
    limits = limit_problems(spec, value)
    for reason in limits:
        report(spec.header, reason)
    record[spec.field] = value
    return not limits


def _first_of_its_key(record: dict, dataset: DatasetSpec, seen: dict, report) -> bool:
    """False (and said) when a row repeats the unique key of an earlier one (每项只能填写一行)."""
    if not dataset.unique or any(record.get(f) is None for f in dataset.unique):
        return True
    key = tuple(record[f] for f in dataset.unique)
    if key not in seen:
        seen[key] = record["_row"]
        return True
    same = "，".join(f"{_header(dataset, f)}“{record[f]}”" for f in dataset.unique)
    report(_header(dataset, dataset.unique[0]), f"与第{seen[key]}行重复（{same}），每项只能填写一行")
    return False


def _check_header_points(table: RawTable, dataset: DatasetSpec, log: ProblemLog) -> None:
    """A score header stating its points (事项管理（5分）) must agree with the scheme's maximum."""
    for spec in dataset.columns:
        stated = header_points(table.typed_headers.get(spec.header, ""))
        if spec.type == "score" and spec.max is not None and stated is not None and stated != spec.max:
            log.add(
                table.file,
                f"表头注明满分 {stated} 分，与 bulletin.yaml 评分方案中该项满分 {spec.max} 分不一致",
                sheet=table.sheet,
                row=table.header_row,
                column=spec.header,
            )


SUMMARY_LABELS = {"合计", "总计", "小计", "平均", "平均分"}  # a totals row under a table
NOTE_PREFIXES = ("注", "备注", "说明", "填表说明")  # a note row under a table


def _is_annotation(cells: dict, dataset: DatasetSpec, context: Context) -> bool:
    """A totals row (合计) or a note row (注：…) a clerk keeps under the table: not data.

    Only when its unit cell names no unit of the registry; a note row must also
    leave every other column blank.
    """
    unit_specs = [spec for spec in dataset.columns if spec.type == "unit"]
    if not unit_specs or context.registry is None:
        return False
    label = cells.get(unit_specs[0].header)
    if label is None:
        return False
    key = name_key(label)
    try:
        context.registry.resolve(key)
        return False
    except UnknownUnit:
        pass
    if key in SUMMARY_LABELS:
        return True
    others_blank = all(cells.get(spec.header) is None or isinstance(cells[spec.header], MergedCell)  # 注 merged across
                       for spec in dataset.columns if spec is not unit_specs[0])
    return key.startswith(NOTE_PREFIXES) and others_blank


def _default(spec: ColumnSpec):
    if spec.default is None:
        return None
    if spec.type in ("number", "score"):
        return Decimal(str(spec.default))
    return spec.default


def _header(dataset: DatasetSpec, field_name: str) -> str:
    for spec in dataset.columns:
        if spec.field == field_name:
            return spec.header
    return field_name


def _check_cross_columns(record: dict, dataset: DatasetSpec, report) -> bool:
    ok = True
    for spec in dataset.columns:
        value = record.get(spec.field)
        if value is None:
            continue
        if spec.max_column and record.get(spec.max_column) is not None and value > record[spec.max_column]:
            report(spec.header, f"不能大于“{_header(dataset, spec.max_column)}”（{record[spec.max_column]}），实为 {value}")
            ok = False
        if spec.min_column and record.get(spec.min_column) is not None and value < record[spec.min_column]:
            relation = "早于" if isinstance(value, dt.date) else "小于"
            report(spec.header, f"不能{relation}“{_header(dataset, spec.min_column)}”（{record[spec.min_column]}），实为 {value}")
            ok = False
    return ok
