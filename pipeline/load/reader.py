"""Reading a table a clerk keeps (.xlsx or .csv) into rows numbered as Excel numbers them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..registry import name_key

CSV_ENCODINGS = ("utf-8-sig", "gb18030")


@dataclass
class RawTable:
    """The cells of one sheet below its header, as typed, with their Excel row numbers."""

    file: str  # file name as the clerk knows it
    sheet: str | None
    headers: list[str]
    rows: list[tuple[int, dict[str, object]]]  # (Excel row number, header -> cell)


class ReadError(Exception):
    """A file that cannot be read as a table at all."""

    def __init__(self, message: str, sheet: str | None = None, row: int | None = None, column=None):
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column


def read_grid(path: Path, sheet: str | int | None = None) -> tuple[pd.DataFrame, str | None]:
    """Every cell of the sheet (or CSV) as objects, no header interpretation."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            book = pd.ExcelFile(path, engine="openpyxl")
        except Exception as exc:  # a damaged or mislabelled file
            raise ReadError(f"无法作为 Excel 文件读取（{exc.__class__.__name__}）") from exc
        names = book.sheet_names
        if sheet is None:
            sheet_name = names[0]
        elif isinstance(sheet, int):
            sheet_name = names[sheet]
        elif sheet in names:
            sheet_name = sheet
        else:
            raise ReadError(f"找不到工作表“{sheet}”，文件中的工作表为：{'、'.join(names)}")
        grid = pd.read_excel(book, sheet_name=sheet_name, header=None, dtype=object)
        return grid, sheet_name
    if suffix == ".csv":
        raw = path.read_bytes()
        for encoding in CSV_ENCODINGS:
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ReadError("无法识别文件编码：应为 UTF-8 或 GBK/GB18030")
        from io import StringIO

        grid = pd.read_csv(StringIO(text), header=None, dtype=str, keep_default_na=False)
        grid = grid.map(lambda v: None if v == "" else v)
        return grid, None
    raise ReadError(f"不支持的文件类型“{path.suffix}”：应为 .xlsx 或 .csv")


def _is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and pd.isna(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def read_table(path: Path, required_headers: list[str], sheet: str | None = None) -> RawTable:
    """The rows of a table whose header row holds ``required_headers``.

    The header is the first row that names all of them, so a merged title row
    above the header is skipped. Blank rows are dropped; headers are matched
    ignoring spaces and full-width forms.
    """
    grid, sheet_name = read_grid(path, sheet)
    wanted = {name_key(h): h for h in required_headers}
    header_index = None
    best_row, best_hits = 0, -1
    for i in range(min(len(grid), 20)):
        keys = {name_key(v) for v in grid.iloc[i].tolist() if not _is_blank(v)}
        hits = len(keys & set(wanted))
        if hits == len(wanted):
            header_index = i
            break
        if hits > best_hits:
            best_row, best_hits = i, hits
    if header_index is None:
        present = {name_key(v) for v in grid.iloc[best_row].tolist() if not _is_blank(v)} if len(grid) else set()
        missing = [h for k, h in wanted.items() if k not in present]
        raise ReadError(
            f"缺少列：{'、'.join(missing)}（表头应包含：{'、'.join(required_headers)}）",
            sheet=sheet_name,
            row=best_row + 1,
        )
    header_cells = grid.iloc[header_index].tolist()
    headers: list[str] = []
    positions: dict[str, int] = {}
    for pos, cell in enumerate(header_cells):
        if _is_blank(cell):
            continue
        key = name_key(cell)
        canonical = wanted.get(key, str(cell).strip())
        headers.append(canonical)
        positions.setdefault(canonical, pos)
    rows = []
    for i in range(header_index + 1, len(grid)):
        values = grid.iloc[i].tolist()
        if all(_is_blank(v) for v in values):
            continue
        cells = {h: (None if _is_blank(values[p]) else values[p]) for h, p in positions.items()}
        rows.append((i + 1, cells))
    return RawTable(path.name, sheet_name, headers, rows)
