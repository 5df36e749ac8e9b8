"""Where the 版记 goes: at the foot of the last page, which is an even page (封四).

On the last annex page when that page is even, upright and has room; on the next page when
the last page is odd; after a blank page when it is even and full. A 版记 page that follows a
blank page carries no page number, and neither does the blank page (GB/T 9704-2012 7.5).
Space above the 版记's first line pushes it to the foot: every program honours that, where
a section's bottom alignment is lost in LibreOffice."""

from __future__ import annotations

from copy import deepcopy

from docx.shared import Twips
from docx.text.paragraph import Paragraph

from ..word import ooxml
from ..standard.pages import block_height, position_before, section_geometry

SAFETY = 120  # twips left under the 版记 for the rules' widths and rounding


def _push_to_foot(docx, imprint, room: int) -> None:
    """Space above the 版记's first line: ``room`` less what is kept spare under it."""
    Paragraph(imprint[0], docx.part).paragraph_format.space_before = Twips(max(0, room - SAFETY))


def _unnumbered(docx) -> None:
    """The last section's footers replaced by empty ones: no page number on its pages."""
    section = docx.sections[-1]
    for footer in (section.footer, section.even_page_footer):
        footer.is_linked_to_previous = True
        footer.is_linked_to_previous = False


def _own_page(docx, imprint, portrait, after_blank: bool) -> None:
    """The 版记 on a new upright page of its own section, after a blank page if asked."""
    final = docx.element.body.find(ooxml.qn("w:sectPr"))
    start = imprint[0]
    if after_blank:
        start = ooxml.OxmlElement("w:p")
        imprint[0].addprevious(start)
        ooxml.set_page_break_before(imprint[0], True)
    ooxml.end_section_before(start, deepcopy(final))
    upright = deepcopy(portrait)
    ooxml.child(upright, "w:vAlign").set(ooxml.qn("w:val"), "bottom")
    final.getparent().replace(final, upright)
    if after_blank:
        _unnumbered(docx)


def place_imprint(docx, imprint: list, portrait) -> int:
    """Put the 版记 (its paragraph elements ``imprint``) on an even last page; the page count."""
    position, geometry = position_before(docx, imprint[0])
    page = section_geometry(portrait)
    height = block_height(docx, imprint, page.width)
    if position.page % 2 == 0 and not geometry.landscape and position.used + height + SAFETY <= geometry.height:
        _push_to_foot(docx, imprint, geometry.height - position.used - height)
        return position.page
    after_blank = position.page % 2 == 0
    _own_page(docx, imprint, portrait, after_blank)
    _push_to_foot(docx, imprint, page.height - height)
    return position.page + (2 if after_blank else 1)
