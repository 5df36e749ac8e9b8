"""Wide annexes on landscape sections, page numbers continuing through every section (all share
the template's footers)."""

from __future__ import annotations

from copy import deepcopy

from ..word import ooxml
from .passes import render_pass


@render_pass("横排附件", 1100)
def landscape_sections(context) -> None:
    """Each run of wide annexes on a landscape section of its own; the template's upright section
    kept in the context (the 版记 goes on an upright page)."""
    final = context.docx.element.body.find(ooxml.qn("w:sectPr"))
    portrait = context.portrait = deepcopy(final)
    landscape = context.landscape
    labels = [p._p for p in context.paragraphs("附件标签")]
    for label, previous, wide in zip(labels, [False] + landscape[:-1], landscape):
        if previous != wide:
            ooxml.end_section_before(label, ooxml.landscape_section(portrait) if previous else deepcopy(portrait))
            ooxml.set_page_break_before(label, False)  # the section break already starts a new page
    if landscape and landscape[-1]:
        final.getparent().replace(final, ooxml.landscape_section(portrait))
