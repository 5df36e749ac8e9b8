"""页面设置: A4, margins that give the 156 × 225 mm text block, 22 lines of 28 characters."""

from __future__ import annotations

from docx.oxml.ns import qn

from ..standard.measures import (BODY_STYLE, CHARS_PER_LINE, chars_per_line, LINE_PITCH, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, SIZE_3, TEXT_HEIGHT, TEXT_WIDTH)
from .base import format_rule, near
from .model import to_int

TOLERANCE = 20  # twips (about 0.35 mm)


def _sections(view):
    """(number, sectPr, landscape) for every section."""
    for number, (sect, _) in enumerate(view.sections_of_body(), start=1):
        size = sect.find(qn("w:pgSz"))
        width = to_int(size.get(qn("w:w"), 0)) if size is not None else 0
        height = to_int(size.get(qn("w:h"), 0)) if size is not None else 0
        yield number, sect, width > height


def _margin(sect, side: str) -> int:
    margins = sect.find(qn("w:pgMar"))
    return to_int(margins.get(qn(f"w:{side}"), 0)) if margins is not None else 0


@format_rule("GB-PAGE-01", "纸张为 A4（210 mm × 297 mm）")
def a4(view):
    for number, sect, landscape in _sections(view):
        size = sect.find(qn("w:pgSz"))
        w, h = (to_int(size.get(qn(a), 0)) for a in ("w:w", "w:h")) if size is not None else (0, 0)
        if landscape:
            w, h = h, w
        if not (near(w, PAGE_WIDTH, TOLERANCE) and near(h, PAGE_HEIGHT, TOLERANCE)):
            yield f"第{number}节", f"纸张 {w / 56.7:.0f} × {h / 56.7:.0f} mm"


def _margin_rule(side: str, expected: int):
    def check(view):
        for number, sect, landscape in _sections(view):
            if not landscape and not near(_margin(sect, side), expected, TOLERANCE):
                yield f"第{number}节", f"{side} 边距为 {_margin(sect, side)} twips，应为 {expected}"
    return check


for _id, _side, _value, _text in (
    ("GB-PAGE-02", "top", MARGIN_TOP, "上白边（天头）37 mm"),
    ("GB-PAGE-03", "bottom", MARGIN_BOTTOM, "下白边 35 mm"),
    ("GB-PAGE-04", "left", MARGIN_LEFT, "左白边（订口）28 mm"),
    ("GB-PAGE-05", "right", MARGIN_RIGHT, "右白边 26 mm"),
):
    format_rule(_id, _text)(_margin_rule(_side, _value))


@format_rule("GB-PAGE-06", "文档网格每页 22 行（行距 28.95 磅）")
def lines_per_page(view):
    for number, sect, _ in _sections(view):
        grid = sect.find(qn("w:docGrid"))
        kind = grid.get(qn("w:type")) if grid is not None else None
        pitch = to_int(grid.get(qn("w:linePitch"), 0)) if grid is not None else 0
        if kind not in ("lines", "linesAndChars") or not near(pitch, LINE_PITCH, 3):
            yield f"第{number}节", f"网格类型 {kind or '无'}，行距 {pitch} twips，应为 {LINE_PITCH}"


def line_chars(view, sect) -> float:
    """Characters of 三号 正文 a line holds: by the character grid if there is one (Word's
    reading), else by the 正文 style's character spacing (every program's reading)."""
    width = PAGE_WIDTH - _margin(sect, "left") - _margin(sect, "right")
    grid = sect.find(qn("w:docGrid"))
    if grid is not None and grid.get(qn("w:type")) == "linesAndChars":
        return width / 20 / (SIZE_3 + to_int(grid.get(qn("w:charSpace"), 0)) / 4096)
    spacing = to_int(view.style_value(BODY_STYLE, "w:rPr", "w:spacing", "w:val") or 0)
    return chars_per_line(spacing, SIZE_3, width)


@format_rule("GB-PAGE-07", "每行 28 字（三号字及其字距排满 156 mm）")
def chars_in_line(view):
    for number, sect, landscape in _sections(view):
        if not landscape and not CHARS_PER_LINE - 0.01 <= line_chars(view, sect) < CHARS_PER_LINE + 0.5:
            yield f"第{number}节", f"每行 {line_chars(view, sect):.2f} 字"


@format_rule("GB-PAGE-08", "横排表格页的版心与竖排页相同（225 mm × 156 mm）")
def landscape_block(view):
    for number, sect, landscape in _sections(view):
        if not landscape:
            continue
        width = PAGE_HEIGHT - _margin(sect, "left") - _margin(sect, "right")
        height = PAGE_WIDTH - _margin(sect, "top") - _margin(sect, "bottom")
        if not (near(width, TEXT_HEIGHT, 2 * TOLERANCE) and near(height, TEXT_WIDTH, 2 * TOLERANCE)):
            yield f"第{number}节（横排）", f"版心 {width / 56.7:.0f} × {height / 56.7:.0f} mm"
