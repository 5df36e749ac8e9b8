"""What the .xlsx reader (python-calamine) does not say about a workbook, read from its XML.

Calamine lists hidden sheets like visible ones, gives "" for an Excel error value (#N/A,
#DIV/0!) and for a formula saved without its result (a workbook written by a program and
never opened in Excel), and allocates every cell between A1 and the farthest one. So
before calamine reads a sheet, this module reads the workbook's sheet list with each
sheet's state, and streams the chosen sheet's XML once, searching bytes for the few
patterns that matter: error cells, formulas, and cells far out. Only a sheet holding a
formula or an error value is parsed cell by cell. No part declaring a DTD is parsed
(Excel never writes one; its entities could read other files or expand without bound).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from ..core.errors import BulletinError
from ..core.registry import name_key

CHUNK_BYTES = 1 << 20
MAX_CELLS = 20_000_000  # the grid calamine allocates from A1 to the farthest cell
MAX_PART_BYTES = 16 << 20  # workbook.xml and its relationships: a few KB in any real workbook
UNCOMPUTED = "公式未计算"  # what a formula saved without its result is reported as
STATE_NAMES = {"hidden": "隐藏", "veryHidden": "深度隐藏（只能在 VBA 中取消隐藏）"}
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_REL_NS = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"

_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_FLAG = re.compile(rb'\bt="e"|<(?:\w+:)?f[\s>/]')  # an error cell or a formula somewhere
_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
_WIDE = re.compile(rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{2,3})(\d+)"')  # cells beyond column Z
_REF = re.compile(r"([A-Z]{1,3})(\d+)")


class ReadError(BulletinError):
    """A file that cannot be read as a table at all."""

    def __init__(self, message: str, sheet: str | None = None, row: int | None = None, column=None):
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column


@dataclass(frozen=True)
class SheetEntry:
    """A sheet as workbook.xml lists it."""

    name: str
    state: str  # visible, hidden or veryHidden
    part: str | None  # its XML inside the package


@dataclass(frozen=True)
class CellFault:
    """A cell that cannot be read as what it claims to be, by what Excel shows in it."""

    shown: str  # #N/A, #DIV/0!, … or 公式未计算

    def __str__(self) -> str:
        return self.shown

    def reason(self, expected: str) -> str:
        """The message for this cell in a column that should hold ``expected`` (数字, 日期…)."""
        if self.shown == UNCOMPUTED:
            return (f"单元格是公式，但文件中没有它的计算结果（{UNCOMPUTED}：文件多半由程序生成、"
                    f"从未在 Excel 中打开）；请在 Excel 或 WPS 中打开、保存后再试，应为{expected}")
        return f"单元格显示 Excel 错误值“{self.shown}”（公式出错，如 VLOOKUP 未找到、除数为零），应为{expected}"


@dataclass(frozen=True)
class MergedCell(CellFault):
    """A cell of a table's data rows inside a merged range holding a value: Excel shows the
    value over the whole range, but only the range's first cell holds it."""

    anchor: str = ""  # the range's first cell, holding the value: E5
    merged: str = ""  # the range: E5:E7

    def reason(self, expected: str) -> str:
        return (f"该单元格属于合并单元格 {self.merged}，Excel 在整个合并区域显示的值只存在 {self.anchor} 中，本格读不到："
                f"请取消合并，分别填写{expected}")


@dataclass(frozen=True)
class PercentCell(CellFault):
    """A number in a cell formatted as a percentage: Excel shows 85% and the file holds 0.85.
    Either reading may be the clerk's figure (85 points? a rate of 0.85?), so neither is guessed."""

    stored: str = ""  # the value in the file: 0.85

    def reason(self, expected: str) -> str:
        return (f"单元格设为百分比格式，显示为“{self.shown}”，文件中存的值却是 {self.stored}，无法确定本意："
                f"请把单元格格式改为“常规”或“数值”，填写{expected}")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def cell_name(row: int, column: int) -> str:
    """(4, 4) → E5: a cell's name from its row and column numbered from 0."""
    letters, number = "", column + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def column_number(letters: str) -> int:
    """A → 1, Z → 26, AA → 27, XFD → 16384."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _refuse_dtd(data: bytes, part: str) -> None:
    if b"<!" in data and _DTD.search(data):  # most parts have no "<!" at all: one fast scan
        raise ReadError(f"文件中的“{part}”含有 DTD 声明（Excel 从不写入，可能是构造的恶意文件），拒绝读取")


def _xml(book: zipfile.ZipFile, part: str) -> ElementTree.Element:
    """A small part of the package, parsed after refusing a DTD."""
    info = book.getinfo(part)
    if info.file_size > MAX_PART_BYTES:
        raise ReadError(f"文件中的“{part}”解压后达 {info.file_size:,} 字节，远超正常工作簿，拒绝读取")
    data = book.read(part)
    _refuse_dtd(data, part)
    return ElementTree.fromstring(data)


def _targets(book: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → the part it points to, for ``part``'s relationships."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in book.NameToInfo:
        return {}
    targets = {}
    for rel in _xml(book, rels):
        target = rel.get("Target", "")
        targets[rel.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
    return targets


PROLOG_BYTES = 1 << 16
_ROOT = re.compile(rb"<[A-Za-z_]")  # the root element's start: a DTD can only come before it


def _read_parts(book: zipfile.ZipFile):
    """The XML parts the reader parses besides the sheet (checked as it is streamed): the
    workbook's own (workbook, relationships, shared strings, styles), not themes or drawings."""
    for info in book.infolist():
        name = info.filename
        if name.endswith((".xml", ".rels")) and name.startswith(("xl/", "_rels/")) and not name.startswith(("xl/worksheets/", "xl/theme/", "xl/drawings/")):
            yield info


def refuse_dtds(book: zipfile.ZipFile) -> None:
    """ReadError if an XML part the reader parses declares a DTD (read up to its root element only)."""
    for info in _read_parts(book):
        with book.open(info) as stream:
            head = stream.read(512)  # the root element is nearly always within the first line or two
            root = _ROOT.search(head)
            if root is None:
                head += stream.read(PROLOG_BYTES)
                root = _ROOT.search(head)
        _refuse_dtd(head[: root.start()] if root else head, info.filename)


def sheet_entries(book: zipfile.ZipFile) -> list[SheetEntry]:
    """Every sheet of the workbook in tab order, with its state and part."""
    refuse_dtds(book)
    workbook = next((t for t in _targets(book, "").values() if t.endswith(".xml") and "workbook" in t), "xl/workbook.xml")
    if workbook not in book.NameToInfo:
        raise ReadError("文件中没有工作簿（xl/workbook.xml），不是 Excel（.xlsx）文件或已损坏")
    targets = _targets(book, workbook)
    entries = []
    for element in _xml(book, workbook).iter():
        if _local(element.tag) == "sheet":
            rel = element.get(_REL_NS) or element.get(_STRICT_REL_NS)
            entries.append(SheetEntry(element.get("name", ""), element.get("state", "visible"), targets.get(rel)))
    if not entries:
        raise ReadError("工作簿中没有任何工作表")
    return entries


def _hidden_problem(entry: SheetEntry) -> ReadError:
    state = STATE_NAMES.get(entry.state, entry.state)
    return ReadError(f"工作表“{entry.name}”是{state}工作表，不读取隐藏的表格；如确需使用，请在 Excel 中取消隐藏", sheet=entry.name)


def choose_sheet(entries: list[SheetEntry], wanted: str | int | None) -> SheetEntry:
    """The sheet to read: ``wanted`` (a name, spaces and width ignored, or an index), or the
    first visible sheet; ReadError if it is hidden, missing or names two sheets."""
    visible = [e for e in entries if e.state == "visible"]
    if wanted is None:
        if not visible:
            raise ReadError(f"工作簿中所有工作表都已隐藏（{'、'.join(e.name for e in entries)}），请取消隐藏要读取的那一张")
        return visible[0]
    if isinstance(wanted, int):
        if not 0 <= wanted < len(entries):
            raise ReadError(f"找不到第{wanted + 1}张工作表，文件中只有 {len(entries)} 张", sheet=str(wanted))
        if entries[wanted].state != "visible":
            raise _hidden_problem(entries[wanted])
        return entries[wanted]
    named = [e for e in entries if name_key(e.name) == name_key(wanted)]
    shown = [e for e in named if e.state == "visible"]
    if len(shown) > 1:
        names = "、".join(f"“{e.name}”" for e in shown)
        raise ReadError(f"有 {len(shown)} 张工作表的名称只差空格或全角半角（{names}），无法确定读取哪一张；请改名或删除多余的一张", sheet=wanted)
    if shown:
        return shown[0]
    if named:
        raise _hidden_problem(named[0])
    listing = "、".join(e.name if e.state == "visible" else f"{e.name}（隐藏）" for e in entries)
    raise ReadError(f"找不到工作表“{wanted}”，文件中的工作表为：{listing}", sheet=str(wanted))


PERCENT_FORMATS = {9, 10}  # Excel's built-in 0% and 0.00%
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')  # literal text, escaped characters, [colours] and [conditions]


def _is_percent_code(code: str) -> bool:
    """A number format that multiplies by 100 and shows %: a % outside quotes and brackets."""
    return "%" in _QUOTED.sub("", code)


def percent_styles(book: zipfile.ZipFile) -> frozenset[str]:
    """The cell style indices (the ``s`` of a cell) whose number format is a percentage."""
    part = next((n for n in ("xl/styles.xml", "xl/Styles.xml") if n in book.NameToInfo), None)
    if part is None:
        return frozenset()
    root = _xml(book, part)
    percent = set(PERCENT_FORMATS)
    for element in root.iter():
        if _local(element.tag) == "numFmt" and _is_percent_code(element.get("formatCode", "")):
            percent.add(int(element.get("numFmtId", "-1")))
    cell_formats = next((e for e in root if _local(e.tag) == "cellXfs"), [])
    return frozenset(str(i) for i, xf in enumerate(cell_formats) if int(xf.get("numFmtId", "0")) in percent)


def _pieces(book: zipfile.ZipFile, part: str):
    """The part's bytes in pieces of about CHUNK_BYTES, each cut after a ``>`` so no tag is split."""
    tail = b""
    with book.open(part) as stream:
        while chunk := stream.read(CHUNK_BYTES):
            buffer = tail + chunk
            cut = buffer.rfind(b">") + 1
            if cut:
                yield buffer[:cut]
            tail = buffer[cut:]
    if tail:
        yield tail


@dataclass
class _Survey:
    flagged: bool = False
    last_row: int = 0
    last_column: int = 26
    far_cell: str = ""


def _may_hold_faults(piece: bytes, percent: re.Pattern | None) -> bool:
    """An error cell, a formula, a hidden row or column, or a percent-formatted cell in
    ``piece`` (plain byte searches first: most sheets have none)."""
    if b'hidden="1"' in piece or b'hidden="true"' in piece:
        return True
    if percent is not None and percent.search(piece):
        return True
    return any(mark in piece for mark in (b't="e"', b"f>", b"f ", b"f/")) and bool(_FLAG.search(piece))


def _style_pattern(styles: frozenset[str]) -> re.Pattern | None:
    """Bytes of a cell element carrying one of ``styles``."""
    if not styles:
        return None
    return re.compile(rb'<(?:\w+:)?c\b[^>]*?\bs="(?:' + b"|".join(sorted(s.encode() for s in styles)) + rb')"')


def _survey(book: zipfile.ZipFile, entry: SheetEntry, styles: frozenset[str]) -> _Survey:
    """One pass over the sheet's bytes: DTD, formulas, errors, hidden rows or percent cells present,
    farthest row and column."""
    survey = _Survey()
    percent = _style_pattern(styles)
    for piece in _pieces(book, entry.part):
        _refuse_dtd(piece, entry.part)
        survey.flagged = survey.flagged or _may_hold_faults(piece, percent)
        rows = _ROW.findall(piece)
        if rows:
            survey.last_row = max(survey.last_row, max(map(int, rows)))
        for letters, row in _WIDE.findall(piece):
            column = column_number(letters.decode())
            if column > survey.last_column:
                survey.last_column, survey.far_cell = column, (letters + row).decode()
            survey.last_row = max(survey.last_row, int(row))
    return survey


@dataclass
class SheetMarks:
    """What calamine does not tell of a sheet's cells, rows and columns (all numbered from 0)."""

    faults: dict[tuple[int, int], CellFault] = field(default_factory=dict)  # (row, column) → fault
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # (first row, column, last row, last column)


def _is_hidden(element: ElementTree.Element) -> bool:
    return element.get("hidden") in ("1", "true")


def _elements(book: zipfile.ZipFile, entry: SheetEntry, marks: SheetMarks):
    """(reference, cell element) for every cell of the sheet holding anything, parsed as a stream;
    hidden rows and columns go to ``marks`` on the way."""
    with book.open(entry.part) as stream:
        for _, element in ElementTree.iterparse(stream):
            name = _local(element.tag)
            if name == "c" and len(element):
                yield element.get("r", ""), element
            elif name == "row":
                if _is_hidden(element) and element.get("r", "").isdigit():
                    marks.hidden_rows.add(int(element.get("r")) - 1)
                element.clear()
            elif name == "col" and _is_hidden(element):
                first, last = int(element.get("min", "1")), int(element.get("max", "1"))
                marks.hidden_columns.update(range(first - 1, min(last, first + 16384)))


def _percent_fault(cell: ElementTree.Element, value: ElementTree.Element | None) -> PercentCell | None:
    """A number shown as a percentage: 0.85 shown as 85%."""
    if cell.get("t", "n") != "n" or value is None or not (value.text or "").strip():
        return None
    try:
        stored = Decimal(value.text.strip())
    except InvalidOperation:
        return None
    return PercentCell(f"{(stored * 100).normalize():f}%", stored=f"{stored.normalize():f}")


def _fault(cell: ElementTree.Element, styles: frozenset[str] = frozenset()) -> CellFault | None:
    children = {_local(child.tag): child for child in cell}
    if cell.get("t") == "e":
        value = children.get("v")
        return CellFault((value.text or "").strip() if value is not None else "#VALUE!")
    value = children.get("v")
    if "f" in children and (value is None or (not value.text and cell.get("t") != "str")):
        return CellFault(UNCOMPUTED)  # no result, or an empty one where only text may be empty
    if cell.get("s") in styles:
        return _percent_fault(cell, value)
    return None


def _far_problem(entry: SheetEntry, rows: int, columns: int, cell: str) -> ReadError:
    where = f"（如 {cell}）" if cell else ""
    return ReadError(
        f"工作表的内容一直延伸到第{rows}行、第{columns}列{where}，读取需展开 {rows * columns:,} 个单元格："
        "表格之外远处多半有误输入的内容，请在 Excel 中删除后再试",
        sheet=entry.name,
    )


def sheet_marks(book: zipfile.ZipFile, entry: SheetEntry) -> SheetMarks:
    """Every error or uncomputed formula of the sheet, and its hidden rows and columns;
    ReadError if the sheet reaches so far out that reading it would take all memory."""
    if entry.part is None or entry.part not in book.NameToInfo:
        raise ReadError(f"工作表“{entry.name}”的内容在文件中缺失，文件可能已损坏", sheet=entry.name)
    styles = percent_styles(book)
    survey = _survey(book, entry, styles)
    marks = SheetMarks()
    if not (survey.flagged or survey.last_row * survey.last_column > MAX_CELLS):
        return marks
    last_row, last_column, far_cell = 0, 0, ""
    for ref, cell in _elements(book, entry, marks):
        match = _REF.fullmatch(ref)
        if not match:
            continue
        row, column = int(match.group(2)), column_number(match.group(1))
        if row * column > last_row * last_column:
            far_cell = ref
        last_row, last_column = max(last_row, row), max(last_column, column)
        fault = _fault(cell, styles)
        if fault:
            marks.faults[(row - 1, column - 1)] = fault
    if last_row * last_column > MAX_CELLS:
        raise _far_problem(entry, last_row, last_column, far_cell)
    return marks
