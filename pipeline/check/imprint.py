"""版记: 抄送机关, 印发机关和印发日期 in 4号仿宋 between their rules, at the foot of the last page."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from ..standard.pages import end_of_body, section_geometry
from ..standard.parts_record import has_part
from ..standard.measures import FANGSONG, IMPRINT_STYLES, IMPRINT_THICK, IMPRINT_THIN, LINE_PITCH, SIZE_4
from .base import format_rule, near
from .model import is_family, to_int

PRINTED = re.compile(r"^\S.*\s+\d{4}年[1-9]\d?月[1-9]\d?日印发$")


def _imprint(view):
    return [p for p in view.styled(*IMPRINT_STYLES) if p.text.strip()]


def _border(view, p, side: str) -> int:
    ppr = p.paragraph._p.find(qn("w:pPr"))
    edge = ppr.find(qn("w:pBdr") + "/" + qn(f"w:{side}")) if ppr is not None else None
    if edge is None or edge.get(qn("w:val")) in (None, "nil", "none"):
        return 0
    return to_int(edge.get(qn("w:sz"), 0))


@format_rule("GB-IMPR-01", "版记置于公文最后，其后不再有内容")
def imprint_last(view):
    imprint = _imprint(view)
    if not imprint:
        if has_part(view.document, "imprint"):  # unless the document declares it has none
            yield "全文", "没有版记（印发机关和印发日期）"
        return
    body = view.document.element.body
    after = [e for e in imprint[-1].paragraph._p.itersiblings() if e.tag == qn("w:tbl")
             or (e.tag == qn("w:p") and "".join(t.text or "" for t in e.iter(qn("w:t"))).strip())]
    if after or body is None:
        yield imprint[-1].place, "版记之后还有内容"


@format_rule("GB-IMPR-02", "版记各要素用 4 号仿宋体字")
def imprint_font(view):
    for p in _imprint(view):
        element = p.paragraph._p
        for run in view.text_runs(element):
            font, size = view.east_asian_font(run, element), view.size(run, element)
            if not is_family(font, FANGSONG) or size != SIZE_4:
                yield p.place, f"“{view.run_text(run)[:10]}”为 {font} {size:g} 磅"
                break


@format_rule("GB-IMPR-03", "版记首条、末条分隔线用粗线（0.35 mm），中间用细线（0.25 mm）")
def imprint_rules(view):
    imprint = _imprint(view)
    if not imprint:
        return
    if _border(view, imprint[0], "top") < IMPRINT_THICK:
        yield imprint[0].place, f"首条分隔线 {_border(view, imprint[0], 'top') / 8:g} 磅"
    if _border(view, imprint[-1], "bottom") < IMPRINT_THICK:
        yield imprint[-1].place, f"末条分隔线 {_border(view, imprint[-1], 'bottom') / 8:g} 磅"
    for above, below in zip(imprint, imprint[1:]):
        thin = _border(view, below, "top") or _border(view, above, "bottom")
        if not 0 < thin <= IMPRINT_THIN:
            yield below.place, f"中间分隔线 {thin / 8:g} 磅"


@format_rule("GB-IMPR-04", "抄送机关左右各空一字，“抄送：”后回行与冒号后首字对齐，末尾标句号")
def copy_to(view):
    for p in _imprint(view):
        text = p.text.strip()
        if not text.startswith("抄送"):
            continue
        element = p.paragraph._p
        left, first = view.indent_chars(element, "left", SIZE_4), view.first_line_chars(element, SIZE_4)
        if not text.startswith("抄送：") or not text.endswith("。") or not near(left + first, 1, 0.2) \
                or not near(left, 4, 0.2):
            yield p.place, f"写作“{text[:12]}…{text[-2:]}”，左缩进 {left:g} 字，首行 {first:g} 字"


@format_rule("GB-IMPR-05", "印发机关左空一字，印发日期右空一字，用阿拉伯数字，后加“印发”")
def printed_line(view):
    printed = [p for p in _imprint(view) if p.text.strip().endswith("印发")]
    if _imprint(view) and not printed:
        yield _imprint(view)[-1].place, "没有印发机关和印发日期"
    for p in printed:
        element = p.paragraph._p
        left = view.indent_chars(element, "left", SIZE_4) + view.first_line_chars(element, SIZE_4)
        right = view.indent_chars(element, "right", SIZE_4)
        if not PRINTED.match(p.text.strip()) or not near(left, 1, 0.2) or not near(right, 1, 0.2):
            yield p.place, f"写作“{p.text.strip()}”，左 {left:g} 字，右 {right:g} 字"


@format_rule("GB-IMPR-06", "版记置于最后一面，末条分隔线与版心下边缘重合")
def imprint_at_foot(view):
    imprint = _imprint(view)
    if not imprint:
        return
    end = end_of_body(view)
    geometry = section_geometry(view.sections_of_body()[-1][0])
    if end.used < geometry.height - LINE_PITCH:
        yield imprint[-1].place, f"版记下方还空 {(geometry.height - end.used) / LINE_PITCH:.1f} 行"


@format_rule("GB-IMPR-07", "版记所在的最后一面为双页（封四）")
def imprint_on_even_page(view):
    if _imprint(view):
        pages = end_of_body(view).page
        if pages % 2:
            yield _imprint(view)[0].place, f"版记在第 {pages} 页（单页）"
