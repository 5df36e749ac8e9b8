"""附件说明, 发文机关署名 and 成文日期: their wording and where they stand."""

from __future__ import annotations

import re

from ..standard.layout import annex_note_layout, signature_right_indents
from ..standard.parts_record import has_part
from ..standard.measures import SIZE_3
from .base import format_rule, near, required

DATE = re.compile(r"^\d{4}年[1-9]\d?月[1-9]\d?日$")
FIRST_ANNEX = re.compile(r"^附件：(\d+．)?")
NEXT_ANNEX = re.compile(r"^\d+．")


@format_rule("GB-DATE-01", "成文日期用阿拉伯数字将年、月、日标全，月、日不编虚位")
def date_numerals(view):
    dates = view.styled("成文日期")
    yield from required(dates, "成文日期")
    yield from ((p.place, f"写作“{p.text.strip()}”，应如 2024年6月12日") for p in dates
                if not DATE.match(p.text.strip()))


@format_rule("GB-DATE-02", "成文日期右空四字编排")
def date_place(view):
    for p in view.styled("成文日期"):
        element = p.paragraph._p
        align, right = view.alignment(element), view.indent_chars(element, "right")
        if align not in ("right", "end") or not near(right, 4, 0.3):
            yield p.place, f"对齐 {align}，右缩进 {right:g} 字"


@format_rule("GB-SIGN-01", "发文机关署名在成文日期之上，以成文日期为准居中编排")
def signature_centred(view):
    dates = view.styled("成文日期")
    names = view.styled("发文机关署名")
    if not dates or not names:
        if dates and has_part(view.document, "signature"):  # unless the document declares it has none
            yield dates[0].place, "成文日期之上没有发文机关署名"
        return
    if names[-1].number != dates[0].number - 1:
        yield names[-1].place, "署名不紧接在成文日期之上"
    expected = signature_right_indents([p.text for p in names], dates[0].text.strip(),
                                       view.indent_chars(dates[0].paragraph._p, "right"))
    for p, indent in zip(names, expected):
        element = p.paragraph._p
        right = view.indent_chars(element, "right")
        if view.alignment(element) not in ("right", "end") or not near(right, indent, 0.25):
            yield p.place, f"右缩进 {right:g} 字，居中于成文日期应为 {indent:g} 字"


def _annex_notes(view):
    return view.styled("附件说明", "附件说明单件", "附件说明续行")


@format_rule("GB-ATT-01", "附件说明写作“附件：1．名称”，名称后不加标点")
def annex_note_wording(view):
    for i, p in enumerate(_annex_notes(view)):
        text = p.text.strip()
        pattern = FIRST_ANNEX if i == 0 else NEXT_ANNEX
        if not pattern.match(text) or text[-1:] in "。，；、.,;:：":
            yield p.place, f"写作“{text[:16]}”"
        elif i and not text.startswith(f"{i + 1}．"):
            yield p.place, f"顺序号应为 {i + 1}"


@format_rule("GB-ATT-02", "附件说明左空二字，回行时与上一行附件名称的首字对齐")
def annex_note_indent(view):
    for i, p in enumerate(_annex_notes(view)):
        element = p.paragraph._p
        start, prefix = annex_note_layout(p.text, i > 0)
        em = SIZE_3 * 20
        left, first = view.indent_chars(element, "left"), view.first_line_chars(element)
        if not near(left + first, start / em, 0.1) or not near(left, (start + prefix) / em, 0.1):
            yield p.place, f"左缩进 {left:.2f} 字，首行 {first:.2f} 字；名称首字在 {(start + prefix) / em:.2f} 字处"


@format_rule("GB-ATT-03", "附件说明在正文下空一行编排")
def annex_note_spacing(view):
    notes = _annex_notes(view)
    if notes:
        before = view.paragraphs[notes[0].number - 2] if notes[0].number > 1 else None
        if before is None or before.text.strip():
            yield notes[0].place, "与正文之间没有空行"
