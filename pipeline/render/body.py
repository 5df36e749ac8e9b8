"""The lines of the body a clerk would set by hand: long titles broken, a heading standing alone
in its heading style, and the 附件说明 hung under the annex names."""

from __future__ import annotations

from ..standard.layout import annex_note_layout, split_title
from ..standard.measures import BODY_STYLE, SIZE_2, TEXT_HEIGHT, TEXT_WIDTH, char_width_twips
from ..word import ooxml
from .passes import render_pass

TOPIC_STYLES = {"二级标题字符": "二级标题", "三级标题字符": "三级标题"}  # inline heading -> its paragraph style
FULL_STOPS = ("。", "！", "？", "；")  # a paragraph ending so is a sentence, not a heading


@render_pass("标题分行", 400)
def split_titles(context) -> None:
    """发文机关标志, 标题 and 附件标题 broken into centred lines of sensible length (line breaks
    inside the one paragraph, as a clerk would make them)."""
    wide_titles = iter(context.landscape)
    for paragraph in context.paragraphs("发文机关标志", "公文标题", "附件标题"):
        width = TEXT_HEIGHT if paragraph.style.name == "附件标题" and next(wide_titles, False) else TEXT_WIDTH
        lines = split_title(paragraph.text, int(width / char_width_twips(SIZE_2)) - 1)
        if len(lines) > 1:
            ooxml.set_paragraph_lines(paragraph._p, lines)


def _run_styles(p) -> set:
    """The character style ids of the runs of ``p`` that carry text (None for a run without one)."""
    found = set()
    for run in p.iter(ooxml.qn("w:r")):
        if "".join(t.text or "" for t in run.iter(ooxml.qn("w:t"))):
            style = run.find(f"{ooxml.qn('w:rPr')}/{ooxml.qn('w:rStyle')}")
            found.add(None if style is None else style.get(ooxml.qn("w:val")))
    return found


def _heading_ids(context) -> dict:
    """Style id of each inline heading style → style id of its paragraph style."""
    ids = dict(context.style_ids())
    return {ids[c]: ids[p] for c, p in TOPIC_STYLES.items() if c in ids and p in ids}


@render_pass("小标题样式", 500)
def topic_headings(context) -> None:
    """A heading standing alone (（一）政务公开, no text after it and no full stop) takes the heading
    paragraph style: kept with the paragraph after it, and listed in Word's navigation pane. A
    numbered statement of one sentence (1．……。) is body text, however its lead is set."""
    heading_of = _heading_ids(context)
    for paragraph in context.paragraphs(BODY_STYLE):
        if paragraph.text.rstrip()[-1:] in FULL_STOPS:
            continue
        styles = _run_styles(paragraph._p)
        if len(styles) == 1 and next(iter(styles)) in heading_of:
            paragraph._p.get_or_add_pPr().get_or_add_pStyle().set(ooxml.qn("w:val"), heading_of[styles.pop()])


@render_pass("附件说明缩进", 800)
def annex_note_indents(context) -> None:
    """附件说明: each line that runs on starts under the first character of the annex name,
    whatever the width of “附件：1．” or “12．” before it (half-width digits included)."""
    for paragraph in context.paragraphs("附件说明", "附件说明单件", "附件说明续行"):
        start, prefix = annex_note_layout(paragraph.text, paragraph.style.name == "附件说明续行")
        ooxml.set_hanging_twips(paragraph._p.get_or_add_pPr(), start + prefix, prefix)
