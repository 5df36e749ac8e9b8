"""An .xlsx written part by part, as Excel, WPS or another program may write one.

openpyxl writes one kind of workbook; offices receive many. This writer puts each
cell in the form asked for — a number, a shared or inline string, rich text, a formula
with or without its computed value, an error value, a date as a serial number in the
1900 or 1904 system or as an ISO date cell — and sheets hidden or very hidden, merged
ranges, hidden rows and columns, a declared dimension, far cells.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DATE_STYLE, DATETIME_STYLE = 1, 2  # cellXfs indexes below: numFmtId 14 (m/d/yyyy) and 22 (m/d/yyyy h:mm)


@dataclass(frozen=True)
class Cell:
    """One cell: ``kind`` says how it is stored, ``text`` what is stored (runs for rich text)."""

    kind: str  # number, shared, inline, rich, formula, formula_text, error, uncomputed, uncomputed_empty, date_cell, boolean
    text: str = ""
    runs: tuple[str, ...] = ()
    style: int = 0
    formula: str = "0+0"


@dataclass
class Sheet:
    name: str
    rows: dict[int, dict[int, Cell]] = field(default_factory=dict)  # Excel row → column (1 = A) → cell
    state: str = "visible"
    merged: list[str] = field(default_factory=list)
    dimension: str | None = None
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)

    def put(self, row: int, column: int, cell: Cell) -> None:
        self.rows.setdefault(row, {})[column] = cell


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Strings:
    def __init__(self):
        self.items: list[str] = []

    def index(self, cell: Cell) -> int:
        if cell.kind == "rich":
            runs = "".join(f"<r><rPr><b/></rPr><t xml:space=\"preserve\">{escape(r)}</t></r>" if i % 2 else
                           f"<r><t xml:space=\"preserve\">{escape(r)}</t></r>" for i, r in enumerate(cell.runs))
            self.items.append(f"<si>{runs}</si>")
        else:
            self.items.append(f"<si><t xml:space=\"preserve\">{escape(cell.text)}</t></si>")
        return len(self.items) - 1

    def xml(self) -> str:
        return f'<sst xmlns="{MAIN}" count="{len(self.items)}" uniqueCount="{len(self.items)}">{"".join(self.items)}</sst>'


def _cell_xml(ref: str, cell: Cell, strings: _Strings) -> str:
    style = f' s="{cell.style}"' if cell.style else ""
    text = escape(cell.text)
    forms = {
        "number": lambda: f'<c r="{ref}"{style}><v>{text}</v></c>',
        "shared": lambda: f'<c r="{ref}"{style} t="s"><v>{strings.index(cell)}</v></c>',
        "rich": lambda: f'<c r="{ref}"{style} t="s"><v>{strings.index(cell)}</v></c>',
        "inline": lambda: f'<c r="{ref}"{style} t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>',
        "formula": lambda: f'<c r="{ref}"{style}><f>{escape(cell.formula)}</f><v>{text}</v></c>',
        "formula_text": lambda: f'<c r="{ref}"{style} t="str"><f>{escape(cell.formula)}</f><v>{text}</v></c>',
        "error": lambda: f'<c r="{ref}"{style} t="e"><v>{text}</v></c>',
        "uncomputed": lambda: f'<c r="{ref}"{style}><f>{escape(cell.formula)}</f></c>',
        "uncomputed_empty": lambda: f'<c r="{ref}"{style}><f>{escape(cell.formula)}</f><v></v></c>',
        "date_cell": lambda: f'<c r="{ref}"{style} t="d"><v>{text}</v></c>',
        "boolean": lambda: f'<c r="{ref}"{style} t="b"><v>{text}</v></c>',
    }
    return forms[cell.kind]()


def _sheet_xml(sheet: Sheet, strings: _Strings) -> str:
    rows = []
    for number in sorted(sheet.rows):
        cells = "".join(_cell_xml(f"{column_letters(c)}{number}", cell, strings) for c, cell in sorted(sheet.rows[number].items()))
        hidden = ' hidden="1"' if number in sheet.hidden_rows else ""
        rows.append(f'<row r="{number}"{hidden}>{cells}</row>')
    dimension = f'<dimension ref="{sheet.dimension}"/>' if sheet.dimension else ""
    columns = "".join(f'<col min="{c}" max="{c}" width="0" hidden="1"/>' for c in sorted(sheet.hidden_columns))
    columns = f"<cols>{columns}</cols>" if columns else ""
    merged = "".join(f'<mergeCell ref="{m}"/>' for m in sheet.merged)
    merged = f'<mergeCells count="{len(sheet.merged)}">{merged}</mergeCells>' if sheet.merged else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
            f'{dimension}{columns}<sheetData>{"".join(rows)}</sheetData>{merged}</worksheet>')


STYLES = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="{MAIN}">'
          '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
          '<cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
          '<xf numFmtId="22" applyNumberFormat="1"/></cellXfs></styleSheet>')


def workbook_bytes(sheets: list[Sheet], date1904: bool = False) -> bytes:
    """The .xlsx of ``sheets`` in tab order."""
    strings = _Strings()
    parts = {f"xl/worksheets/sheet{i}.xml": _sheet_xml(s, strings) for i, s in enumerate(sheets, 1)}
    entries = "".join(
        f'<sheet name="{escape(s.name, {chr(34): "&quot;"})}" sheetId="{i}"'
        + (f' state="{s.state}"' if s.state != "visible" else "") + f' r:id="rId{i}"/>'
        for i, s in enumerate(sheets, 1)
    )
    first_visible = next((i for i, s in enumerate(sheets) if s.state == "visible"), 0)
    parts["xl/workbook.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
        + ('<workbookPr date1904="1"/>' if date1904 else "<workbookPr/>")
        + f'<bookViews><workbookView activeTab="{first_visible}"/></bookViews><sheets>{entries}</sheets></workbook>'
    )
    count = len(sheets)
    rels = "".join(f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, count + 1))
    rels += f'<Relationship Id="rId{count + 1}" Type="{REL}/styles" Target="styles.xml"/>'
    rels += f'<Relationship Id="rId{count + 2}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    parts["xl/_rels/workbook.xml.rels"] = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">{rels}</Relationships>'
    parts["xl/styles.xml"] = STYLES
    parts["xl/sharedStrings.xml"] = strings.xml()
    parts["_rels/.rels"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PKG_REL}">'
                            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
    sheet_types = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, count + 1)
    )
    parts["[Content_Types].xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        f"{sheet_types}</Types>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["[Content_Types].xml", "_rels/.rels", *sorted(n for n in parts if n not in ("[Content_Types].xml", "_rels/.rels"))]:
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), parts[name].encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
