"""Reading a table a clerk keeps (.xlsx or .csv) into rows numbered as Excel numbers them.

Clerks save from Excel or WPS on Chinese Windows, so a .csv may be UTF-8 (with or
without a byte-order mark), UTF-16 ("Unicode text") or GBK/GB18030; the encoding is
detected, never asked for. A merged title row above the header, blank rows and
spaces or full-width forms in the header are tolerated.
"""

from __future__ import annotations

import csv
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from io import StringIO
from pathlib import Path

from python_calamine import CalamineWorkbook

from ..core.encoding import CSV_ENCODINGS, UnknownEncoding, decode_text
from ..core.registry import name_key
from .workbook import CellFault, MergedCell, ReadError, SheetMarks, cell_name, choose_sheet, sheet_entries, sheet_marks

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
HEADER_SEARCH_ROWS = 20  # the header is looked for among the first rows only


@dataclass
class RawTable:
    """The cells of one sheet below its header, as typed, with their Excel row numbers."""

    file: str  # file name as the clerk knows it
    sheet: str | None
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (Excel row number, header -> cell)
    header_row: int | None = None  # Excel row number of the header (its last row if on two)
    typed_headers: dict[str, str] = field(default_factory=dict)  # header -> as typed, e.g. 事项管理（10分）
    hidden_rows: list[int] = field(default_factory=list)  # Excel row numbers of data rows hidden in Excel
    hidden_columns: list[str] = field(default_factory=list)  # headers of columns hidden in Excel that hold data


def _csv_grid(path: Path) -> list[list[object]]:
    try:
        text = decode_text(path.read_bytes())
    except UnknownEncoding as exc:  # a table's file: reported with its sheet and rows like every reading fault
        raise ReadError(str(exc)) from None
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    rows = []
    try:
        for row in csv.reader(StringIO(text, newline=""), delimiter=delimiter):
            rows.append([None if cell == "" else cell for cell in row])
    except csv.Error as exc:
        raise ReadError(f"CSV 格式错误：{exc}", row=len(rows) + 1) from None
    return rows


def _excel_cell(value: object) -> object:
    """A cell as the checks expect it: empty as None, whole numbers as int (calamine gives 4.0)."""
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _excel_rows(path: Path, sheet: str | int | None) -> tuple[list[list[object]], str, SheetMarks]:
    """The chosen sheet's cells as calamine reads them, its name, and what calamine does not say:
    cells it reads as "" although they hold an error or an uncomputed formula, hidden rows and columns."""
    with zipfile.ZipFile(path) as package:
        entry = choose_sheet(sheet_entries(package), sheet)
        marks = sheet_marks(package, entry)
    # skip_empty_area=False: row 0 is Excel's row 1 even when the sheet starts lower down.
    # A cell reading NA, N/A, NULL or nan stays text a clerk typed, not a blank.
    found = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(entry.name)
    rows = found.to_python(skip_empty_area=False)
    marks.merged = [(r0, c0, r1, c1) for (r0, c0), (r1, c1) in found.merged_cell_ranges or ()]
    return rows, entry.name, marks


def _place_faults(grid: list[list[object]], faults: dict[tuple[int, int], CellFault]) -> None:
    """Each fault put where calamine left its cell blank, widening the grid if it stopped short."""
    for (row, column), fault in faults.items():
        while len(grid) <= row:
            grid.append([])
        cells = grid[row]
        cells.extend([None] * (column + 1 - len(cells)))
        cells[column] = fault


def _excel_grid(path: Path, sheet: str | int | None) -> tuple[list[list[object]], str, SheetMarks]:
    try:
        rows, sheet_name, marks = _excel_rows(path, sheet)
    except ReadError:
        raise
    except Exception as exc:  # a damaged or mislabelled file, or XML the reader refuses
        raise ReadError(f"无法作为 Excel（.xlsx）文件读取，文件可能已损坏或实为其他格式（{exc.__class__.__name__}）") from None
    grid = [[_excel_cell(v) for v in row] for row in rows]
    _place_faults(grid, marks.faults)
    return grid, sheet_name, marks


def read_grid(path: Path, sheet: str | int | None = None) -> tuple[list[list[object]], str | None, SheetMarks]:
    """Every cell of the sheet (or CSV) as a list of rows, row 0 being Excel's row 1; and the
    sheet's hidden rows and columns."""
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise ReadError("文件为空（0 字节）")
    if suffix in EXCEL_SUFFIXES:
        return _excel_grid(path, sheet)
    if suffix == ".csv":
        return _csv_grid(path), None, SheetMarks()
    if suffix in (".xls", ".et", ".wps"):
        raise ReadError(f"不支持旧格式“{path.suffix}”：请在 Excel 或 WPS 中“另存为” .xlsx 后再使用")
    raise ReadError(f"不支持的文件类型“{path.suffix}”：应为 .xlsx 或 .csv")


def is_blank(value: object) -> bool:
    """An empty cell: nothing, NaN, or only spaces (including full-width spaces)."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and value.strip() == ""


_POINTS = re.compile(r"\(\d+(?:\.\d+)?分\)$")  # 事项管理（10分）: the item's maximum written into its header


def header_key(text: object) -> str:
    """The form a header is matched by: name_key, without a trailing “（10分）”."""
    return _POINTS.sub("", name_key(text))


def header_points(text: object) -> Decimal | None:
    """The points a header states for its item (事项管理（10分） → 10), if any."""
    match = _POINTS.search(name_key(text))
    return Decimal(match.group(0)[1:-2]) if match else None


def _two_row_header(upper: list, lower: list) -> list:
    """A header kept on two rows (考核项目 merged above the items, 部门 merged down both):
    each column named by its lower cell, or by the upper one where the lower is empty."""
    width = max(len(upper), len(lower))
    padded = [list(r) + [None] * (width - len(r)) for r in (upper, lower)]
    return [low if not is_blank(low) else up for up, low in zip(*padded)]


def _find_header(grid: list[list[object]], wanted: set[str]) -> tuple[int | None, list, int]:
    """(index of the header's last row, its cells, index of the row naming most wanted headers).

    The header is the first row naming every wanted header, or the first two rows that do
    so together; the index is None when there is none.
    """
    best_row, best_hits = 0, -1
    rows = grid[:HEADER_SEARCH_ROWS]
    for i, row in enumerate(rows):
        candidates = [(i, row)] + ([(i + 1, _two_row_header(row, rows[i + 1]))] if i + 1 < len(rows) else [])
        for last, cells in candidates:
            hits = len({header_key(v) for v in cells if not is_blank(v)} & wanted)
            if hits == len(wanted):
                return last, cells, best_row
        hits = len({header_key(v) for v in row if not is_blank(v)} & wanted)
        if hits > best_hits:
            best_row, best_hits = i, hits
    return None, [], best_row


def locate_header(grid: list[list[object]], required_headers: list[str], sheet: str | None = None) -> tuple[int, list]:
    """(index of the header's last row, its cells); ReadError naming the missing columns if none."""
    wanted = {header_key(h): h for h in required_headers}
    header_index, header_cells, best_row = _find_header(grid, set(wanted))
    if header_index is not None:
        return header_index, header_cells
    if not any(not is_blank(v) for row in grid for v in row):
        raise ReadError("文件中没有任何数据（应有表头行和数据行）", sheet=sheet)
    present = {header_key(v) for v in grid[best_row] if not is_blank(v)}
    missing = [h for k, h in wanted.items() if k not in present]
    raise ReadError(
        f"缺少列：{'、'.join(missing)}（表头应包含：{'、'.join(required_headers)}）",
        sheet=sheet,
        row=best_row + 1,
        column="、".join(missing),
    )


def read_table(
    path: Path, required_headers: list[str], sheet: str | int | None = None, optional_headers: list[str] = ()
) -> RawTable:
    """The rows of a table whose header row holds ``required_headers``.

    The header is the first row (or pair of rows) that names all of them, so a merged
    title row above the header is skipped. Blank rows are dropped; headers (required or
    ``optional_headers``) are matched ignoring spaces, full-width forms and a “（10分）”.
    """
    grid, sheet_name, marks = read_grid(path, sheet)
    header_index, header_cells = locate_header(grid, required_headers, sheet_name)
    declared = {header_key(h): h for h in [*required_headers, *optional_headers]}
    headers: list[str] = []
    positions: dict[str, int] = {}
    typed: dict[str, str] = {}
    for pos, cell in enumerate(header_cells):
        if is_blank(cell):
            continue
        canonical = declared.get(header_key(cell), str(cell).strip())
        if canonical in positions and canonical in declared.values():
            raise ReadError(f"表头中“{canonical}”列出现了两次，无法确定使用哪一列", sheet=sheet_name, row=header_index + 1, column=canonical)
        headers.append(canonical)
        positions.setdefault(canonical, pos)
        typed.setdefault(canonical, str(cell).strip())
    _mark_merged(grid, marks, header_index, set(positions.values()))
    rows = []
    for i in range(header_index + 1, len(grid)):
        values = grid[i]
        if all(p >= len(values) or is_blank(values[p]) for p in positions.values()):
            continue  # blank in every column the header names: a note beside the table is not a row of it
        cells = {h: (None if p >= len(values) or is_blank(values[p]) else values[p]) for h, p in positions.items()}
        rows.append((i + 1, cells))
    hidden_rows = [n for n, _ in rows if n - 1 in marks.hidden_rows]
    hidden_columns = [h for h, p in positions.items() if p in marks.hidden_columns and any(c[h] is not None for _, c in rows)]
    return RawTable(path.name, sheet_name, headers, rows, header_index + 1, typed, hidden_rows, hidden_columns)


def _mark_merged(grid: list[list[object]], marks: SheetMarks, header_index: int, columns: set[int]) -> None:
    """Below the header, each blank cell of a table column covered by a merged range whose first
    cell holds a value becomes a MergedCell: never blank, never a copy of the value either."""
    for first_row, first_column, last_row, last_column in marks.merged:
        if first_row >= len(grid) or first_column >= len(grid[first_row]) or is_blank(grid[first_row][first_column]):
            continue  # an empty merged area: nothing shown, nothing lost
        anchor, span = cell_name(first_row, first_column), f"{cell_name(first_row, first_column)}:{cell_name(last_row, last_column)}"
        for row in range(max(first_row, header_index + 1), min(last_row + 1, len(grid))):
            for column in columns & set(range(first_column, last_column + 1)):
                if (row, column) != (first_row, first_column) and (column >= len(grid[row]) or is_blank(grid[row][column])):
                    grid[row].extend([None] * (column + 1 - len(grid[row])))
                    grid[row][column] = MergedCell("合并单元格", anchor, span)


HIDDEN_ROW = "该行在 Excel 中已隐藏（或被筛选隐藏），隐藏的行同样会被读取：请取消隐藏、核对后再生成，不要的行请删除"
HIDDEN_COLUMN = "该列在 Excel 中已隐藏，隐藏的列同样会被读取：请取消隐藏、核对后再生成，不要的列请删除"


def hidden_problems(table: RawTable) -> list[tuple[int | None, str | None, str]]:
    """(row, column, message) for every hidden row or column of ``table`` that holds data."""
    rows = [(n, None, HIDDEN_ROW) for n in table.hidden_rows]
    return [(table.header_row, h, HIDDEN_COLUMN) for h in table.hidden_columns] + rows


def refuse_faults(table: RawTable, expected: dict[str, str]) -> None:
    """ReadError at the first cell of ``table`` holding an error value or an uncomputed formula
    (for readers that check a whole column at once); ``expected`` names each column's type."""
    hidden = hidden_problems(table)
    if hidden:
        row, column, message = hidden[0]
        raise ReadError(message, sheet=table.sheet, row=row, column=column)
    faults = [(n, h, v) for n, cells in table.rows for h, v in cells.items() if h in expected and isinstance(v, CellFault)]
    if faults:
        row, header, fault = faults[0]
        more = f"（另有 {len(faults) - 1} 个这样的单元格）" if len(faults) > 1 else ""
        raise ReadError(fault.reason(expected.get(header, "数值")) + more, sheet=table.sheet, row=row, column=header)
