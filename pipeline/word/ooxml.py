"""The raw WordprocessingML the rest of the code needs, kept in one place.

python-docx covers most of a document, but not East Asian fonts, document grids,
paragraph borders or fields; these helpers set them on its objects.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

MM_TWIPS = 1440 / 25.4


def escape(text: str) -> str:
    """``& < >`` of ``text`` as XML entities, as ``xml.sax.saxutils.escape`` gives them (which
    imports urllib and http.client, a tenth of the imports a build needs)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def mm_to_twips(mm: float) -> int:
    return round(mm * MM_TWIPS)


# Schema order of the children of the property elements these helpers touch (ECMA-376 Part 1),
# declared once, as python-docx's element classes declare their successors: every child this
# module adds goes to its place (insert_in_order), so no pass puts a tree in order afterwards.
# Word refuses a file whose properties come in another order. (w:trPr is a choice in any order:
# its children stay in the order they are added.)
SCHEMA_ORDER = {
    "w:pPr": "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs "
             "suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi "
             "adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection "
             "textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange",
    "w:rPr": "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid "
             "vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign rtl "
             "cs em lang eastAsianLayout specVanish oMath",
    "w:sectPr": "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType "
                "pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid "
                "printerSettings sectPrChange",
    "w:tcPr": "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark",
    "w:tblPr": "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing "
               "tblInd tblBorders shd tblLayout tblCellMar tblLook",
    "w:pBdr": "top left bottom right between bar",
}


_RANKS = {qn(parent): {qn(f"w:{name}"): i for i, name in enumerate(names.split())}
          for parent, names in SCHEMA_ORDER.items()}  # parent tag → child tag → its place


def child(parent, tag: str):
    """The element's ``tag`` child, created if missing and put at its place in schema order."""
    found = parent.find(qn(tag))
    if found is None:
        found = insert_in_order(parent, OxmlElement(tag))
    return found


def insert_in_order(parent, element):
    """``element`` added to ``parent`` at its place in :data:`SCHEMA_ORDER`: before the first child
    the schema puts after it (a child the schema does not name counts as coming last); ``element``."""
    ranks = _RANKS.get(parent.tag)
    if ranks is None or element.tag not in ranks:
        parent.append(element)
        return element
    mine = ranks[element.tag]
    successor = next((c for c in parent if ranks.get(c.tag, len(ranks)) > mine), None)
    if successor is None:
        parent.append(element)
    else:
        successor.addprevious(element)
    return element


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


def set_first_line_chars(ppr, chars: float, font_points: float) -> None:
    """First-line indent in characters (首行缩进两字符), or a hanging indent if ``chars`` < 0,
    with a twip fallback for old readers."""
    ind = child(ppr, "w:ind")
    for attr in ("w:firstLine", "w:firstLineChars", "w:hanging", "w:hangingChars"):
        ind.attrib.pop(qn(attr), None)
    kind = "firstLine" if chars >= 0 else "hanging"
    ind.set(qn(f"w:{kind}Chars"), str(round(abs(chars) * 100)))
    ind.set(qn(f"w:{kind}"), str(round(abs(chars) * font_points * 20)))


def set_hanging_twips(ppr, left: int, hanging: int) -> None:
    """Left indent and hanging first line in twips, replacing any indent in characters."""
    ind = child(ppr, "w:ind")
    for attr in ("w:leftChars", "w:startChars", "w:hangingChars", "w:firstLineChars", "w:firstLine"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:left"), str(left))
    ind.set(qn("w:hanging"), str(hanging))


def set_side_chars(ppr, side: str, chars: float, font_points: float) -> None:
    """Left or right indent in characters (``side`` is ``left`` or ``right``)."""
    ind = child(ppr, "w:ind")
    ind.set(qn(f"w:{side}Chars"), str(round(chars * 100)))
    ind.set(qn(f"w:{side}"), str(round(chars * font_points * 20)))


def set_exact_line(ppr, twips: int) -> None:
    spacing = child(ppr, "w:spacing")
    spacing.set(qn("w:line"), str(twips))
    spacing.set(qn("w:lineRule"), "exact")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")


def set_border(ppr, side: str, size_eighths: int, space: int = 1, color: str = "auto") -> None:
    """A single rule on one side of a paragraph (版记 lines, the red 分隔线)."""
    borders = child(ppr, "w:pBdr")
    edge = child(borders, f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)


def set_snap_to_grid(ppr, snap: bool) -> None:
    """Whether the paragraph's lines follow the document grid (tables and footers do not)."""
    child(ppr, "w:snapToGrid").set(qn("w:val"), "1" if snap else "0")


def set_doc_grid(sectpr, line_pitch: int) -> None:
    """A line grid (行网格): the line pitch only; characters keep their own width."""
    grid = child(sectpr, "w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(line_pitch))
    grid.attrib.pop(qn("w:charSpace"), None)


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
    child(trpr, "w:tblHeader")  # on without w:val: Word repairs a file whose on/off value is "true"


def set_cant_split(row) -> None:
    """Keep the row whole on one page."""
    trpr = row._tr.get_or_add_trPr()
    child(trpr, "w:cantSplit")


def set_cell_vertical_center(cell) -> None:
    child(cell._tc.get_or_add_tcPr(), "w:vAlign").set(qn("w:val"), "center")


def set_table_centered(table) -> None:
    child(table._tbl.tblPr, "w:jc").set(qn("w:val"), "center")


def set_cell_margins(table, side_twips: int) -> None:
    """Left and right cell margins of the whole table (w:tblCellMar)."""
    margins = child(table._tbl.tblPr, "w:tblCellMar")
    for side in ("left", "right"):
        edge = child(margins, f"w:{side}")
        edge.set(qn("w:w"), str(side_twips))
        edge.set(qn("w:type"), "dxa")


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


def set_paragraph_lines(p, lines: list[str]) -> None:
    """Keep the first run (and its formatting) of paragraph element ``p`` and give it ``lines``,
    separated by line breaks (as Shift+Enter makes them): one paragraph, several lines."""
    runs = p.findall(qn("w:r"))
    for run in runs[1:]:
        p.remove(run)
    if not runs:
        return
    for content in [c for c in runs[0] if c.tag != qn("w:rPr")]:
        runs[0].remove(content)
    for i, line in enumerate(lines):
        if i:
            runs[0].append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        runs[0].append(t)


def set_page_break_before(p, value: bool) -> None:
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        p.insert(0, ppr)
    child(ppr, "w:pageBreakBefore").set(qn("w:val"), "1" if value else "0")


def landscape_section(portrait):
    """A copy of the portrait ``sectPr`` turned a quarter: 297 × 210 mm, the same text block on its side.

    The portrait 订口 (left) margin becomes the top, so the table head lies at the binding edge."""
    from copy import deepcopy

    sect = deepcopy(portrait)
    size, margins = sect.find(qn("w:pgSz")), sect.find(qn("w:pgMar"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    top, right, bottom, left = (margins.get(qn(f"w:{side}")) for side in ("top", "right", "bottom", "left"))
    for side, value in (("top", left), ("right", top), ("bottom", right), ("left", bottom)):
        margins.set(qn(f"w:{side}"), value)
    footer = int(margins.get(qn("w:footer"), 0))  # the page number keeps its distance below the text block
    margins.set(qn("w:footer"), str(max(0, footer - (int(bottom) - int(right)))))
    grid = sect.find(qn("w:docGrid"))
    if grid is not None:
        grid.set(qn("w:type"), "lines")
        grid.attrib.pop(qn("w:charSpace"), None)
    return sect


def end_section_before(element, sectpr) -> None:
    """End a section just before ``element`` with ``sectpr``: on the previous paragraph, or on a
    new hairline paragraph if a table comes before."""
    previous = element.getprevious()
    if previous is None or previous.tag != qn("w:p"):
        previous = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:line"), "20")
        spacing.set(qn("w:lineRule"), "exact")
        ppr.append(spacing)
        previous.append(ppr)
        element.addprevious(previous)
    ppr = previous.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        previous.insert(0, ppr)
    insert_in_order(ppr, sectpr)
