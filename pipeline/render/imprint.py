"""Where the 版记 goes: at the foot of the last page, which is an even page (封四).

On the last annex page when that page is even, upright and has room; on the next page when
the last page is odd; after a blank page when it is even and full. A 版记 page that follows a
blank page carries no page number, and neither does the blank page (GB/T 9704-2012 7.5).
Space above the 版记's first line pushes it to the foot: every program honours that, where
a section's bottom alignment is lost in LibreOffice. Its rules and its 印发 line are passes here too."""

from __future__ import annotations

from copy import deepcopy

from docx.shared import Twips
from docx.text.paragraph import Paragraph

from ..word import ooxml
from ..standard.measures import IMPRINT_STYLES, IMPRINT_THICK, IMPRINT_THIN, SIZE_4, TEXT_WIDTH, char_width_twips, chars_in
from ..standard.pages import block_height, page_count, position_before, section_geometry
from .passes import render_pass

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


@render_pass("版记线", 900)
def imprint_rules(context) -> None:
    """版记: a thick rule above its first and below its last element, thin rules between."""
    paragraphs = context.paragraphs(*IMPRINT_STYLES)
    for i, paragraph in enumerate(paragraphs):
        ppr = paragraph._p.get_or_add_pPr()
        ooxml.set_border(ppr, "top", IMPRINT_THICK if i == 0 else IMPRINT_THIN)
        if i == len(paragraphs) - 1:
            ooxml.set_border(ppr, "bottom", IMPRINT_THICK)


@render_pass("印发机关和日期", 1000)
def printed_line(context) -> None:
    """印发机关 and 印发日期 on one line if they fit, else the date on the next line, still right."""
    for paragraph in context.paragraphs("印发机关和日期"):
        room = TEXT_WIDTH / char_width_twips(SIZE_4) - 2  # 左右各空一字
        if chars_in(paragraph.text) + 1 > room:
            _break_at_tab(paragraph._p)


def _break_at_tab(p) -> None:
    """A line break before the first tab of a run in paragraph element ``p``."""
    for tab in p.iter(ooxml.qn("w:tab")):
        if tab.getparent().tag == ooxml.qn("w:r"):
            tab.addprevious(ooxml.OxmlElement("w:br"))
            return


@render_pass("版记位置和页数", 1300)
def imprint_and_pages(context) -> None:
    """The 版记 placed on an even last page (after the sections are laid out); the number of pages."""
    imprint = [p._p for p in context.paragraphs(*IMPRINT_STYLES)]
    context.pages = place_imprint(context.docx, imprint, context.portrait) if imprint else page_count(context.docx)
