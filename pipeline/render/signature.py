"""The 发文机关署名 and 成文日期 (GB/T 9704-2012 7.3.5): where they stand, and what they are kept with."""

from __future__ import annotations

from docx.text.paragraph import Paragraph

from ..standard.layout import signature_right_indents
from ..standard.measures import SIZE_3
from ..word import ooxml
from .passes import render_pass


@render_pass("署名位置", 600)
def place_signature(context) -> None:
    """发文机关署名 centred over the 成文日期, which stands four characters in from the right."""
    dates = context.paragraphs("成文日期")
    names = context.paragraphs("发文机关署名")
    if not dates:
        return
    for paragraph, indent in zip(names, signature_right_indents([p.text for p in names], dates[0].text)):
        ooxml.set_side_chars(paragraph._p.get_or_add_pPr(), "right", indent, SIZE_3)


def _text(element) -> str:
    return "".join(t.text or "" for t in element.iter(ooxml.qn("w:t")))


def _lines_before(element) -> list:
    """The paragraphs before ``element`` up to and with the last one that has text."""
    kept = []
    previous = element.getprevious()
    while previous is not None and previous.tag == ooxml.qn("w:p"):
        kept.append(Paragraph(previous, None))
        if _text(previous).strip():
            break  # the last line of text: it goes over with the signature
        previous = previous.getprevious()
    return kept


@render_pass("署名不单独成页", 700)
def keep_signature_with_text(context) -> None:
    """The 发文机关署名 and 成文日期 never stand alone on a page: the last paragraph of text before
    them, the blank lines between, and the 署名 lines are kept with what follows, so a page
    break moves that paragraph over with them."""
    names = context.paragraphs("发文机关署名")
    first = (names or context.paragraphs("成文日期"))[:1]
    if not first:
        return
    for paragraph in [*names, *_lines_before(first[0]._p)]:
        paragraph.paragraph_format.keep_with_next = True
