"""页码: a PAGE field, 4号半角宋体, “— 1 —”, odd pages right and even pages left with one
character's space, continuous through every section."""

from __future__ import annotations

import re

from docx.oxml.ns import qn

from ..standard.measures import IMPRINT_STYLES, SIZE_4, SONGTI
from .base import format_rule, near
from .model import is_family

PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def _footers(view, kind: str):
    """(section number, footer paragraphs) of the odd (``default``) or ``even`` footer of each section."""
    for number, section in enumerate(view.document.sections, start=1):
        footer = section.footer if kind == "default" else section.even_page_footer
        yield number, footer, [p for p in footer.paragraphs if p.text.strip()]


def _has_page_field(footer) -> bool:
    element = footer._element
    instructions = "".join(t.text or "" for t in element.iter(qn("w:instrText")))
    simple = [f.get(qn("w:instr"), "") for f in element.iter(qn("w:fldSimple"))]
    return "PAGE" in instructions.upper() or any("PAGE" in s.upper() for s in simple)


def _blank_then_imprint(view, number: int) -> bool:
    """Whether section ``number`` is the last, a blank page and the 版记 page, which carry no
    page number (GB/T 9704-2012 7.5)."""
    sections = view.sections_of_body()
    if number != len(sections):
        return False
    elements = sections[-1][1]
    first = elements[0] if elements else None
    blank = first is not None and not "".join(t.text or "" for t in first.iter(qn("w:t"))).strip()
    return blank and any(p.paragraph._p in elements for p in view.styled(*IMPRINT_STYLES))


@format_rule("GB-PGNO-01", "页码用 PAGE 域自动编排（版记页前有空白页的，二者不编页码）")
def page_field(view):
    for kind, name in (("default", "单页"), ("even", "双页")):
        for number, footer, _ in _footers(view, kind):
            if not _has_page_field(footer) and not _blank_then_imprint(view, number):
                yield f"第{number}节{name}页脚", "没有页码域"


@format_rule("GB-PGNO-02", "单双页页码位置不同（奇偶页页脚不同）")
def odd_even(view):
    if not view.document.settings.odd_and_even_pages_header_footer:
        yield "文档设置", "未设置奇偶页不同"


@format_rule("GB-PGNO-03", "页码用 4 号半角宋体")
def page_number_font(view):
    for kind in ("default", "even"):
        for number, _, paragraphs in _footers(view, kind):
            for paragraph in paragraphs:
                for run in view.text_runs(paragraph._p):
                    font, size = view.east_asian_font(run, paragraph._p), view.size(run, paragraph._p)
                    if not is_family(font, SONGTI) or size != SIZE_4:
                        yield f"第{number}节页脚", f"“{view.run_text(run)}”为 {font} {size:g} 磅"


@format_rule("GB-PGNO-04", "页码两侧各放一条一字线：— 1 —")
def page_number_dashes(view):
    for kind in ("default", "even"):
        for number, _, paragraphs in _footers(view, kind):
            for paragraph in paragraphs:
                if not PAGE_NUMBER.match(paragraph.text.strip()):
                    yield f"第{number}节页脚", f"页码为“{paragraph.text.strip()}”"


def _side_rule(kind: str, align: str, side: str):
    def check(view):
        for number, _, paragraphs in _footers(view, kind):
            for paragraph in paragraphs:
                p = paragraph._p
                got_align = view.alignment(p)
                indent = view.indent_chars(p, side, SIZE_4)
                if got_align not in (align, {"right": "end", "left": "start"}[align]) or not near(indent, 1, 0.2):
                    yield f"第{number}节页脚", f"对齐 {got_align}，{side} 缩进 {indent:.1f} 字"
    return check


format_rule("GB-PGNO-05", "单页码居右空一字")(_side_rule("default", "right", "right"))
format_rule("GB-PGNO-06", "双页码居左空一字")(_side_rule("even", "left", "left"))


@format_rule("GB-PGNO-07", "页码连续编排（附件不重新起编）")
def continuous(view):
    for number, (sect, _) in enumerate(view.sections_of_body(), start=1):
        numbering = sect.find(qn("w:pgNumType"))
        if number > 1 and numbering is not None and numbering.get(qn("w:start")) is not None:
            yield f"第{number}节", f"页码从 {numbering.get(qn('w:start'))} 重新起编"
