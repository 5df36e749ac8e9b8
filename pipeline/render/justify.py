"""Justified paragraphs (两端对齐) with a line that justification would spread with wide gaps:
the line before a Latin string too long for the room left (an e-mail or web address, which
stays whole: DOC-WRAP-01). Word and LibreOffice both spread such a line to the margin; the
paragraph is set flush left (左对齐) instead, its text unchanged, so the line simply ends short,
as the line before a long word does in any ragged text."""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.text.paragraph import Paragraph

from docx.oxml.ns import qn
from ..standard.pages import PageCounter, section_geometry
from .passes import render_pass

STRETCH_CHARS = 3.0  # a justified line with more room left than this many characters looks stretched


def _stretched(counter: PageCounter, p, width: int) -> bool:
    return counter.view.alignment(p) == "both" and max(counter.spread_gaps(p, width), default=0.0) > STRETCH_CHARS


def _paragraphs(elements) -> list:
    """The paragraphs among a section's body elements (table cells are sized to their text)."""
    return [e for e in elements if e.tag == qn("w:p")]


def unstretch_lines(docx) -> list:
    """Set flush left each justified body paragraph that has a stretched line; those paragraphs."""
    counter = PageCounter(docx)
    found = [p for sectpr, elements in counter.view.sections_of_body()
             for p in _paragraphs(elements) if _stretched(counter, p, section_geometry(sectpr).width)]
    for p in found:
        Paragraph(p, None).alignment = WD_ALIGN_PARAGRAPH.LEFT
    return found


@render_pass("避免拉伸", 1400)
def no_stretched_lines(context) -> None:
    """No justified line spread with wide gaps (once the pages are laid out)."""
    unstretch_lines(context.docx)
