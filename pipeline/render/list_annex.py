"""A list annex on the page: under its 附件标题 and a blank line, one paragraph a name in the
附件名单 style (3号仿宋 on the line grid, 左空二字), added to a document that has such an annex
(template_builder.OPTIONAL_STYLES), so that bulletins without one keep the template's styles."""

from __future__ import annotations

from ..word import ooxml
from .passes import render_pass
from .template_builder import ensure_paragraph_style

LIST_STYLE = "附件名单"


def style_list_annexes(docx, annexes, titles) -> None:
    """The lines of each list annex in ``annexes`` (the ones whose ``lines`` are set), found
    after its 附件标题 (``titles``, one per annex in order), put in the 附件名单 style."""
    lists = [(annex, title) for annex, title in zip(annexes, titles) if not annex.is_table]
    if not lists:
        return
    ensure_paragraph_style(docx, LIST_STYLE)
    style_id = docx.styles[LIST_STYLE].style_id
    for annex, title in lists:
        following = title._p.itersiblings(ooxml.qn("w:p"))
        next(following, None)  # the blank line under the title
        for _, element in zip(annex.lines, following):
            ooxml.child(element.get_or_add_pPr(), "w:pStyle").set(ooxml.qn("w:val"), style_id)


@render_pass("附件名单", 200)
def list_annexes(context) -> None:
    """Each list annex's names in the 附件名单 style."""
    style_list_annexes(context.docx, context.document.annexes, context.paragraphs("附件标题"))
