"""字体字号: 标题, 发文机关标志, 主送机关, 正文 and the four heading levels, each in its face and size,
East Asian faces named, every line on the 28.95 pt grid."""

from __future__ import annotations

from docx.oxml.ns import qn

from ..standard.pages import section_geometry
from ..standard.measures import FANGSONG, HEITI, KAITI, LINE_PITCH, SIZE_2, SIZE_3, XIAOBIAOSONG, char_width_twips, chars_in
from ..standard.title_breaks import UNKNOWN, break_costs
from .base import format_rule, near, required
from .model import NOT_BODY_STYLES, heading_level, is_family, to_int


def _body(view):
    """Paragraphs of running text (正文 and headings), outside tables, with text."""
    return [p for p in view.paragraphs if p.text.strip() and p.style not in NOT_BODY_STYLES]


def _lead_and_rest(view, p):
    """The runs of a paragraph's lead-in (up to its first 。) and the runs after it."""
    runs = view.text_runs(p.paragraph._p)
    seen = ""
    for i, run in enumerate(runs):
        seen += view.run_text(run)
        if "。" in seen:
            return runs[:i + 1], runs[i + 1:]
    return runs, []


def _wrong_runs(view, p, runs, family: str, size: float, bold: bool | None = None):
    for run in runs:
        font, got_size = view.east_asian_font(run, p.paragraph._p), view.size(run, p.paragraph._p)
        got_bold = view.bold(run, p.paragraph._p)
        if not is_family(font, family) or got_size != size or (bold is not None and got_bold != bold):
            weight = "加粗" if got_bold else "常规"
            return f"“{view.run_text(run)[:10]}”为 {font} {got_size:g} 磅 {weight}"
    return None


def _style_rule(style: str, family: str, size: float):
    def check(view):
        for p in view.styled(style):
            wrong = _wrong_runs(view, p, view.text_runs(p.paragraph._p), family, size)
            if wrong:
                yield p.place, wrong
    return check


format_rule("GB-TITLE-01", "标题用 2 号小标宋体字")(_style_rule("公文标题", XIAOBIAOSONG, SIZE_2))
format_rule("GB-MARK-01", "发文机关标志用小标宋体字")(_style_rule("发文机关标志", XIAOBIAOSONG, SIZE_2))


@format_rule("GB-TITLE-02", "标题居中排布")
def title_centred(view):
    titles = view.styled("公文标题")
    yield from required(titles, "公文标题")
    yield from ((p.place, f"对齐方式为 {view.alignment(p.paragraph._p)}") for p in titles
                if view.alignment(p.paragraph._p) != "center")


@format_rule("GB-MARK-02", "发文机关标志居中、套红")
def letterhead_red(view):
    for p in view.styled("发文机关标志"):
        for run in view.text_runs(p.paragraph._p):
            color = (view.color(run, p.paragraph._p) or "auto").upper()
            if color not in ("FF0000", "RED") or view.alignment(p.paragraph._p) != "center":
                yield p.place, f"颜色 {color}，对齐 {view.alignment(p.paragraph._p)}"
                break


@format_rule("GB-RECIP-01", "主送机关居左顶格，回行仍顶格，后标全角冒号")
def recipients(view):
    for p in view.styled("主送机关"):
        element = p.paragraph._p
        left, first = view.indent_chars(element, "left"), view.first_line_chars(element)
        if left or first or not p.text.rstrip().endswith("："):
            yield p.place, f"左缩进 {left:g} 字，首行 {first:g} 字，结尾“{p.text.rstrip()[-1:]}”"


@format_rule("GB-FONT-01", "中文字体以 w:eastAsia 指明（不用主题字体）")
def east_asian_named(view):
    for p in view.paragraphs:
        for run in view.text_runs(p.paragraph._p):
            font = view.east_asian_font(run, p.paragraph._p)
            if font in (None, "theme"):
                yield p.place, f"“{view.run_text(run)[:10]}”的中文字体{'取自主题' if font else '未指定'}"
                break


@format_rule("GB-BODY-01", "正文用 3 号仿宋体字")
def body_font(view):
    for p in _body(view):
        level = heading_level(p.text)
        runs = _lead_and_rest(view, p)[1] if level in (2, 3) else ([] if level == 1 else view.text_runs(p.paragraph._p))
        wrong = _wrong_runs(view, p, runs, FANGSONG, SIZE_3)
        if wrong:
            yield p.place, wrong


@format_rule("GB-BODY-02", "正文每个自然段左空二字，回行顶格")
def body_indent(view):
    for p in _body(view):
        element = p.paragraph._p
        first, left = view.first_line_chars(element), view.indent_chars(element, "left")
        if not near(first, 2, 0.2) or left:
            yield p.place, f"首行缩进 {first:g} 字，左缩进 {left:g} 字"


@format_rule("GB-BODY-03", "正文行距固定值 28.95 磅，每页 22 行")
def body_line_pitch(view):
    for p in _body(view) + view.styled("公文标题", "附件说明", "附件说明单件", "附件说明续行", "发文机关署名", "成文日期"):
        element = p.paragraph._p
        rule = view.ppr_value(element, "w:spacing", "w:lineRule")
        line = view.ppr_value(element, "w:spacing", "w:line")
        if rule != "exact" or not line or not near(to_int(line), LINE_PITCH, 3):
            yield p.place, f"行距 {rule or 'auto'} {line or '—'}"


def _heading_rule(level: int, family: str, bold: bool | None):
    def check(view):
        for p in _body(view):
            if heading_level(p.text) != level:
                continue
            runs = view.text_runs(p.paragraph._p) if level == 1 else _lead_and_rest(view, p)[0]
            wrong = _wrong_runs(view, p, runs, family, SIZE_3, bold)
            if wrong:
                yield p.place, wrong
    return check


format_rule("GB-HEAD-01", "一级标题“一、”用 3 号黑体字")(_heading_rule(1, HEITI, None))
format_rule("GB-HEAD-02", "二级标题“（一）”用 3 号楷体字")(_heading_rule(2, KAITI, None))
format_rule("GB-HEAD-03", "三级标题“1.”用 3 号仿宋体字加粗")(_heading_rule(3, FANGSONG, True))
format_rule("GB-HEAD-04", "四级标题“（1）”用 3 号仿宋体字")(_heading_rule(4, FANGSONG, None))


def _title_lines(p) -> list[str]:
    """The lines of a title paragraph as its line breaks (w:br) divide it."""
    parts = []
    for element in p.paragraph._p.iter(qn("w:t"), qn("w:br")):
        parts.append("\n" if element.tag == qn("w:br") else element.text or "")
    return "".join(parts).split("\n")


def _line_width(view) -> dict:
    """The text block's width (twips) for each body element, by the section it is in."""
    widths = {}
    for sect, elements in view.sections_of_body():
        width = section_geometry(sect).width
        widths.update((element, width) for element in elements)
    return widths


@format_rule("GB-TITLE-03", "标题、发文机关标志、附件标题回行时词意完整（不拆开词语、数字与单位、引号内的词）")
def title_words_whole(view):
    widths = _line_width(view)
    for p in view.styled("发文机关标志", "公文标题", "附件标题"):
        lines = _title_lines(p)
        text, at = "".join(lines), 0
        costs = break_costs(text)
        for line, following in zip(lines, lines[1:]):
            at += len(line)
            if costs.get(at, UNKNOWN) >= UNKNOWN:
                yield p.place, f"在“{line[-2:]}|{following[:2]}”处回行"
        room = widths.get(p.paragraph._p, 0) / char_width_twips(SIZE_2)
        if room and max(map(chars_in, lines)) > room:  # Word would break it anywhere
            yield p.place, f"一行 {max(map(chars_in, lines)):g} 字，长于版心的 {room:.0f} 字，未在词间回行"
