"""A 表注 (注：… under an annex table) on the page where its table ends. Word keeps it there
through keep-with-next on the last row, LibreOffice ignores that; so when the line count puts
the note alone at the top of a new page, the table's data rows are set a little closer (their
exact line from 20 pt down to no less than 18 pt, the same for every row) until the note fits
under the last row with room to spare. A table too full for that is left as it was."""

from __future__ import annotations

from docx.oxml.ns import qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph

from ..standard.pages import PageCounter, position_before
from ..standard.measures import TABLE_LINE
from .passes import render_pass

CLOSER_LINES = (TABLE_LINE - 10, TABLE_LINE - 20, TABLE_LINE - 30, TABLE_LINE - 40)  # twips: 19.5 pt … 18 pt
NOTE_SPARE = 200  # twips the note must fit with: rules and cell edges the line count does not see


def _note_fits(docx, note) -> bool:
    position, geometry = position_before(docx, note)
    height = PageCounter(docx).paragraph_height(note, geometry.width)
    return position.used > 0 and position.used + height + NOTE_SPARE <= geometry.height


def _data_paragraphs(tbl) -> list:
    """The paragraphs of the table's data rows (not the rows that head each page)."""
    return [p for tr in tbl.findall(qn("w:tr")) if tr.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is None
            for p in tr.iter(qn("w:p"))]


def _fit(docx, tbl, note) -> None:
    for line in CLOSER_LINES:
        for p in _data_paragraphs(tbl):
            Paragraph(p, None).paragraph_format.line_spacing = Twips(line)
        if _note_fits(docx, note):
            return
    for p in _data_paragraphs(tbl):  # too full to fit: the style's line, as it was
        p.pPr.remove(p.pPr.find(qn("w:spacing")))


def _keep_last_row_with_note(tbl) -> None:
    """Word keeps the last row and the note together (keep with next); LibreOffice ignores it."""
    for p in tbl.findall(qn("w:tr"))[-1].iter(qn("w:p")):
        Paragraph(p, None).paragraph_format.keep_with_next = True


def keep_notes_with_tables(docx, notes: list) -> None:
    """Each table note (paragraph element) that would stand alone on a page is fitted under its table."""
    for note in notes:
        tbl = note.getprevious()
        if tbl is None or tbl.tag != qn("w:tbl"):
            continue
        _keep_last_row_with_note(tbl)
        if not _note_fits(docx, note):
            _fit(docx, tbl, note)


@render_pass("表注随表", 1200)
def notes_with_tables(context) -> None:
    """Each 表注 kept on the page where its table ends."""
    keep_notes_with_tables(context.docx, [p._p for p in context.paragraphs("表注")])
