"""版式在 Word、WPS 与 LibreOffice 中一致: no setting that one of them reads differently, and
the styles named so that each program knows what they are."""

from __future__ import annotations

from docx.oxml.ns import qn

from ..standard.measures import SIZE_3
from .base import format_rule
from .model import to_int

TITLE_STYLES = ("发文机关标志", "公文标题", "附件标题")
HEADING_STYLES = {"一级标题": 1, "二级标题": 2, "三级标题": 3}
# Names Chinese Word and WPS show for their built-in styles: a style of ours under one of them
# is taken for (or hidden behind) the built-in one.
BUILT_IN_NAMES = {"正文", "标题", "副标题", "正文文本", "页眉", "页脚", "题注", "列表段落", "无间隔", "默认段落字体",
                  "普通表格", "网格型", "引用", "明显引用", "批注文字", "目录标题"} | {f"标题 {n}" for n in range(1, 10)} \
    | {f"目录 {n}" for n in range(1, 10)}


@format_rule("DOC-GRID-01", "字符网格不窄于 3 号字（LibreOffice 给每字两格，一行只排 16 字）")
def grid_not_narrower_than_type(view):
    for number, (sect, _) in enumerate(view.sections_of_body(), start=1):
        grid = sect.find(qn("w:docGrid"))
        if grid is not None and grid.get(qn("w:type")) in ("linesAndChars", "snapToChars"):
            pitch = SIZE_3 + to_int(grid.get(qn("w:charSpace"), 0)) / 4096
            if pitch < SIZE_3:
                yield f"第{number}节", f"字符网格间距 {pitch:.2f} 磅，小于 3 号字宽"


@format_rule("DOC-GRID-02", "固定行距的 2 号标题不对齐网格（LibreOffice 会让每行占两格）")
def titles_off_grid(view):
    for p in view.styled(*TITLE_STYLES):
        if p.text.strip() and view.flag(p.paragraph._p, "w:snapToGrid", default=True):
            yield p.place, "标题段落对齐文档网格"


@format_rule("DOC-WRAP-01", "西文单词、数字、电子邮箱不在中间断行（不设 wordWrap=0）")
def words_kept_whole(view):
    for name, style in view.custom_styles + view.named_styles("Normal"):
        ppr = style.find(qn("w:pPr"))
        wrap = ppr.find(qn("w:wordWrap")) if ppr is not None else None
        if wrap is not None and wrap.get(qn("w:val")) in ("0", "false", "off"):
            yield f"样式“{name}”", "允许西文在单词中间换行"
    for p in view.paragraphs:
        wrap = p.ppr.find(qn("w:wordWrap")) if p.ppr is not None else None
        if wrap is not None and wrap.get(qn("w:val")) in ("0", "false", "off"):
            yield p.place, "允许西文在单词中间换行"


@format_rule("DOC-STYLE-01", "自定义样式不与 Word、WPS 内置样式的中文名同名")
def style_names_distinct(view):
    for name, _ in view.custom_styles:
        if name in BUILT_IN_NAMES:
            yield f"样式“{name}”", "与内置样式的中文名相同"


@format_rule("DOC-HEAD-01", "一至三级标题基于标题 1–3 并设大纲级别（导航窗格、目录、pandoc 可见）")
def headings_outlined(view):
    for name, level in HEADING_STYLES.items():
        if view.style_id(name) is None:
            continue
        outline = view.style_value(name, "w:pPr", "w:outlineLvl", "w:val")
        if f"heading {level}" not in view.style_names(name) or outline != str(level - 1):
            yield f"样式“{name}”", f"基于 {view.style_names(name)[1:2] or '无'}，大纲级别 {outline or '无'}"
