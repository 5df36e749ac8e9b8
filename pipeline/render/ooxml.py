"""The raw WordprocessingML the rest of the code needs, kept in one place.

python-docx covers most of a document, but not East Asian fonts, document grids,
paragraph borders or fields; these helpers set them on its objects.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

MM_TWIPS = 1440 / 25.4


def mm_to_twips(mm: float) -> int:
    return round(mm * MM_TWIPS)


def child(parent, tag: str, before: tuple[str, ...] = ()):
    """The element's ``tag`` child, created if missing (inserted before any of ``before``)."""
    found = parent.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        for name in before:
            successor = parent.find(qn(name))
            if successor is not None:
                successor.addprevious(found)
                break
        else:
            parent.append(found)
    return found


def set_fonts(rpr, font: str, latin: str | None = None) -> None:
    """Name ``font`` for East Asian text (and ``latin`` or the same for Latin), dropping theme fonts."""
    fonts = child(rpr, "w:rFonts")
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    latin = latin or font
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), font)
    fonts.set(qn("w:cs"), latin)
    fonts.set(qn("w:hint"), "eastAsia")


def set_size(rpr, points: float) -> None:
    for tag in ("w:sz", "w:szCs"):
        child(rpr, tag).set(qn("w:val"), str(round(points * 2)))


def set_language(rpr, east_asia: str = "zh-CN") -> None:
    lang = child(rpr, "w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), east_asia)


def set_first_line_chars(ppr, chars: int, font_points: float) -> None:
    """First-line indent in characters (首行缩进两字符), with a twip fallback for old readers."""
    ind = child(ppr, "w:ind")
    ind.set(qn("w:firstLineChars"), str(chars * 100))
    ind.set(qn("w:firstLine"), str(round(chars * font_points * 20)))


def set_side_chars(ppr, side: str, chars: int, font_points: float) -> None:
    """Left or right indent in characters (``side`` is ``left`` or ``right``)."""
    ind = child(ppr, "w:ind")
    ind.set(qn(f"w:{side}Chars"), str(chars * 100))
    ind.set(qn(f"w:{side}"), str(round(chars * font_points * 20)))


def set_exact_line(ppr, twips: int) -> None:
    spacing = child(ppr, "w:spacing")
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")


def set_border(ppr, side: str, size_eighths: int, space: int = 1) -> None:
    """A single rule on one side of a paragraph (版记 lines)."""
    borders = child(ppr, "w:pBdr")
    edge = child(borders, f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), "auto")


def set_doc_grid(sectpr, line_pitch: int, char_space: int) -> None:
    grid = child(sectpr, "w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.set(qn("w:charSpace"), str(char_space))


def add_field(paragraph, instruction: str) -> None:
    """A field (PAGE, NUMPAGES…) that Word and WPS update themselves."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        elif text == instruction:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        else:
            element = OxmlElement("w:t")
            element.text = text
        run._r.append(element)


def set_table_header_row(row) -> None:
    """Repeat this row at the top of every page the table runs onto."""
    trpr = row._tr.get_or_add_trPr()
    child(trpr, "w:tblHeader").set(qn("w:val"), "true")


def set_cant_split(row) -> None:
    """Keep the row whole on one page."""
    trpr = row._tr.get_or_add_trPr()
    child(trpr, "w:cantSplit").set(qn("w:val"), "true")


def set_table_width(table, widths_twips: list[int]) -> None:
    """Fixed layout with the given column widths, on the grid and on every cell."""
    tbl = table._tbl
    tblpr = tbl.tblPr
    child(tblpr, "w:tblLayout").set(qn("w:type"), "fixed")
    tblw = child(tblpr, "w:tblW")
    tblw.set(qn("w:w"), str(sum(widths_twips)))
    tblw.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in widths_twips:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        grid.append(col)
    for tr in tbl.tr_lst:
        for tc, width in zip(tr.tc_lst, widths_twips):
            tcw = tc.get_or_add_tcPr().get_or_add_tcW()
            tcw.set(qn("w:w"), str(width))
            tcw.set(qn("w:type"), "dxa")
