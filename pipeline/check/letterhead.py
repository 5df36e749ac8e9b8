"""版头: 发文字号 and 签发人 where a document has them, and the parts a document declares it has
(render/parts_record.py) really there."""

from __future__ import annotations

from docx.oxml.ns import qn

from ..standard.parts_record import read_parts
from ..standard.measures import FANGSONG, KAITI, SIZE_3, TEXT_WIDTH, char_width_twips
from .base import format_rule, near
from .model import is_family, to_int

NUMBER_STYLES = ("发文字号", "发文字号和签发人")
SIGNER_LABEL = "签发人："
DECLARED = (  # part → (styles that show it, its name)
    ("red_header", ("发文机关标志",), "发文机关标志（版头）"),
    ("doc_number", NUMBER_STYLES, "发文字号"),
    ("signer", ("发文字号和签发人",), "签发人"),
    ("recipients", ("主送机关",), "主送机关"),
)


@format_rule("GB-PART-01", "文件中声明的版头、发文字号、签发人、主送机关都已编排")
def declared_parts_present(view):
    record = read_parts(view.document) or {}
    for field, styles, name in DECLARED:
        shown = [p for p in view.styled(*styles) if p.text.strip()]
        if field == "signer":
            shown = [p for p in shown if SIGNER_LABEL in p.text]
        if record.get(field) and not shown:
            yield "全文", f"文件声明有{name}，文中没有"


def _fonts(view, p) -> list[tuple[str, str | None, float]]:
    element = p.paragraph._p
    return [(view.run_text(r), view.east_asian_font(r, element), view.size(r, element)) for r in view.text_runs(element)]


@format_rule("GB-NUM-01", "发文字号用 3 号仿宋体字居中；有签发人时发文字号居左空一字，“签发人：”3 号仿宋、姓名 3 号楷体居右空一字")
def number_line(view):
    for p in view.styled(*NUMBER_STYLES):
        element = p.paragraph._p
        align = view.alignment(element)
        if SIGNER_LABEL not in p.text:
            if align != "center" or any(not is_family(f, FANGSONG) or s != SIZE_3 for _, f, s in _fonts(view, p)):
                yield p.place, f"对齐 {align}，字体 {sorted({(f, s) for _, f, s in _fonts(view, p)}, key=str)}"
            continue
        left, right = _tab_stops(element)
        if align not in ("left", "start", "both") or not p.text.startswith("\t") or not near(left, 1, 0.1) \
                or not near(right, 1, 0.1) or view.indent_chars(element, "left") or view.indent_chars(element, "right"):
            yield p.place, f"对齐 {align}，发文字号起于 {left:g} 字，签发人止于右侧 {right:g} 字"
        seen = ""
        for text, font, size in _fonts(view, p):
            wanted = KAITI if SIGNER_LABEL in seen else FANGSONG  # the name after “签发人：”
            seen += text
            if text.strip() and (not is_family(font, wanted) or size != SIZE_3):
                yield p.place, f"“{text.strip()[:10]}”为 {font} {size:g} 磅"
                break


def _tab_stops(element) -> tuple[float, float]:
    """Where the number starts (a left tab stop) and how far from the right the 签发人 ends (a
    right tab stop), in characters of 3号; 0 where there is no such stop."""
    em = char_width_twips(SIZE_3)
    stops = [(t.get(qn("w:val")), to_int(t.get(qn("w:pos")))) for t in element.iter(qn("w:tab"))
             if t.getparent().tag == qn("w:tabs")]
    left = next((pos for kind, pos in stops if kind in ("left", "start")), 0)
    right = next((pos for kind, pos in stops if kind in ("right", "end")), TEXT_WIDTH)
    return left / em, (TEXT_WIDTH - right) / em


@format_rule("GB-NUM-02", "发文字号在发文机关标志下空二行，其下为红色分隔线")
def number_place(view):
    for p in view.styled(*NUMBER_STYLES):
        above = view.paragraphs[max(p.number - 4, 0):p.number - 1]
        if len(above) != 3 or above[0].style != "发文机关标志" or any(a.text.strip() for a in above[1:]):
            yield p.place, "不在发文机关标志下空二行处"
        edge = p.paragraph._p.find(qn("w:pPr") + "/" + qn("w:pBdr") + "/" + qn("w:bottom"))
        if edge is None or (edge.get(qn("w:color")) or "").upper() not in ("FF0000", "RED"):
            yield p.place, "发文字号之下没有红色分隔线"
