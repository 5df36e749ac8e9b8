"""The optional parts of a 公文 on the rendered template (GB/T 9704-2012 7.2, 7.4):

- no red 版头: the 发文机关标志 with its red rule and the two lines under it go; the title
  opens the page;
- a 发文字号: under the 发文机关标志 空二行, 居中, 3号仿宋, and the red rule under it
  instead (7.2.4, 7.2.5); with a 签发人 (上行文) the number stands 居左空一字 and
  “签发人：” (3号仿宋) with the name (3号楷体) 居右空一字 on the same line (7.2.6);
- no 版记: its paragraphs go.

The template is the same for every bulletin; the styles of the added lines are put into a
document that uses them (template_builder.OPTIONAL_STYLES).
"""

from __future__ import annotations

from copy import deepcopy

from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Twips

from ..config.document_parts import DocumentParts
from ..word import ooxml
from .passes import render_pass
from ..standard.measures import IMPRINT_STYLES, KAITI, SIZE_3, TEXT_WIDTH, char_width_twips
from .template_builder import ensure_paragraph_style

LETTERHEAD = "发文机关标志"
LINES_UNDER_LETTERHEAD = 2  # 发文字号 (or the title) 在发文机关标志（分隔线）下空二行


def apply_parts(docx, parts: DocumentParts, paragraphs_of) -> None:
    """``docx`` as rendered from the template, with the parts ``parts`` declares;
    ``paragraphs_of(docx, *styles)`` gives the body's paragraphs of those styles."""
    letterheads = paragraphs_of(docx, LETTERHEAD)
    if letterheads and not parts.red_header:
        _remove_letterhead(letterheads[0]._p)
    elif letterheads and parts.doc_number:
        _add_number_line(docx, letterheads[0]._p, parts)
    if not parts.imprint:
        for paragraph in paragraphs_of(docx, *IMPRINT_STYLES):
            _remove(paragraph._p)


@render_pass("版头和版记", 100)
def document_parts(context) -> None:
    """The parts the document declares (版头, 发文字号, 签发人, 版记) on the rendered template."""
    apply_parts(context.docx, context.document.parts, lambda docx, *styles: context.paragraphs(*styles))


def _remove(element) -> None:
    element.getparent().remove(element)


def _blank_lines_after(element) -> list:
    """The empty paragraphs that follow ``element`` (at most the two the template puts there)."""
    found = []
    for sibling in element.itersiblings():
        if len(found) == LINES_UNDER_LETTERHEAD or sibling.tag != ooxml.qn("w:p") or _text(sibling):
            break
        found.append(sibling)
    return found


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(ooxml.qn("w:t")))


def _remove_letterhead(letterhead) -> None:
    for element in [letterhead, *_blank_lines_after(letterhead)]:
        _remove(element)


def _add_number_line(docx, letterhead, parts: DocumentParts) -> None:
    """发文字号 (and 签发人) 空二行 under the 发文机关标志, the red rule moved under it, and the
    two lines the title keeps under the rule."""
    from ..word.zipped import xml_safe  # which imports this module

    blanks = _blank_lines_after(letterhead)
    style = "发文字号和签发人" if parts.signer else "发文字号"
    ensure_paragraph_style(docx, style)
    number = docx.add_paragraph(("\t" if parts.signer else "") + xml_safe(parts.doc_number), style=style)
    rule = letterhead.find(ooxml.qn("w:pPr") + "/" + ooxml.qn("w:pBdr"))
    if rule is not None:
        rule.getparent().remove(rule)
        ooxml.child(number._p.get_or_add_pPr(), "w:pBdr").append(rule[0])
    if parts.signer:
        _add_signer(number, xml_safe(parts.signer))
    anchor = letterhead
    for element in [*(deepcopy(b) for b in blanks), number._p]:
        anchor.addnext(element)
        anchor = element


def _add_signer(paragraph, signer: str) -> None:
    """The number after a tab stop one character in, “签发人：” and the name (楷体) at a right tab
    stop one character from the right: tab stops, not indents, so that the red rule under the
    line spans the whole text block."""
    em = char_width_twips(SIZE_3)
    stops = paragraph.paragraph_format.tab_stops
    stops.add_tab_stop(Twips(em), WD_TAB_ALIGNMENT.LEFT)
    stops.add_tab_stop(Twips(TEXT_WIDTH - em), WD_TAB_ALIGNMENT.RIGHT)
    paragraph.add_run("\t签发人：")
    name = paragraph.add_run(signer)
    ooxml.set_fonts(name._r.get_or_add_rPr(), KAITI)
