"""Builds the Word template of a 通报: page, grid, named styles and the docxtpl tags.

The result (``templates/<kind>/bulletin.docx``) is an ordinary Word file a clerk can open
and restyle; this module is how it was made, so that it can be made again.
Values follow GB/T 9704-2012 《党政机关公文格式》.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor

from . import ooxml

# 字号 in points
SIZE_2 = 22.0  # 二号
SIZE_3 = 16.0  # 三号
SIZE_4 = 14.0  # 四号
SIZE_SMALL_4 = 12.0  # 小四

XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
SONGTI = "宋体"

LINE_PITCH = 579  # twips: 22 lines in the 225 mm text block
CHARS_PER_LINE = 28
TEXT_WIDTH_MM = 156
TEXT_HEIGHT_MM = 225


@dataclass(frozen=True)
class StyleSpec:
    """A named paragraph style of the 公文."""

    name: str
    font: str
    size: float
    align: str = "justify"
    first_line_chars: int = 0
    left_chars: int = 0
    right_chars: int = 0
    bold: bool = False
    exact_line: int | None = LINE_PITCH
    page_break_before: bool = False
    keep_with_next: bool = False
    color: str | None = None


PARAGRAPH_STYLES = (
    StyleSpec("发文机关标志", XIAOBIAOSONG, SIZE_2, align="center", color="FF0000", keep_with_next=True),
    StyleSpec("公文标题", XIAOBIAOSONG, SIZE_2, align="center", exact_line=None, keep_with_next=True),
    StyleSpec("副标题", KAITI, SIZE_3, align="center", keep_with_next=True),
    StyleSpec("主送机关", FANGSONG, SIZE_3),
    StyleSpec("正文", FANGSONG, SIZE_3, first_line_chars=2),
    StyleSpec("一级标题", HEITI, SIZE_3, first_line_chars=2, keep_with_next=True),
    StyleSpec("二级标题", KAITI, SIZE_3, first_line_chars=2, keep_with_next=True),
    StyleSpec("三级标题", FANGSONG, SIZE_3, first_line_chars=2, bold=True, keep_with_next=True),
    StyleSpec("四级标题", FANGSONG, SIZE_3, first_line_chars=2),
    StyleSpec("附件说明", FANGSONG, SIZE_3, left_chars=2),
    StyleSpec("附件说明续行", FANGSONG, SIZE_3, left_chars=5),
    StyleSpec("发文机关署名", FANGSONG, SIZE_3, align="right", right_chars=4),
    StyleSpec("成文日期", FANGSONG, SIZE_3, align="right", right_chars=4),
    StyleSpec("附件标签", HEITI, SIZE_3, align="left", page_break_before=True, keep_with_next=True),
    StyleSpec("附件标题", XIAOBIAOSONG, SIZE_2, align="center", exact_line=None, keep_with_next=True),
    StyleSpec("表格文字", FANGSONG, SIZE_SMALL_4, align="center", exact_line=None),
    StyleSpec("版记", FANGSONG, SIZE_4, left_chars=1, right_chars=1, exact_line=None),
)

CHARACTER_STYLES = (
    ("二级标题字符", KAITI, False),  # （一）… leads inside a 正文 paragraph
    ("三级标题字符", FANGSONG, True),
)

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}


def char_space() -> int:
    """docGrid charSpace for 28 characters of 三号 in the 156 mm line (4096ths of a point)."""
    pitch_points = ooxml.mm_to_twips(TEXT_WIDTH_MM) / CHARS_PER_LINE / 20
    return round((pitch_points - SIZE_3) * 4096)


def _defaults(document) -> None:
    styles = document.styles.element
    rpr = styles.find(ooxml.qn("w:docDefaults")).find(ooxml.qn("w:rPrDefault")).find(ooxml.qn("w:rPr"))
    ooxml.set_fonts(rpr, FANGSONG)
    ooxml.set_size(rpr, SIZE_3)
    ooxml.set_language(rpr)
    normal = document.styles["Normal"]
    ooxml.set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.font.size = Pt(SIZE_3)


def _add_paragraph_style(document, spec: StyleSpec) -> None:
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.quick_style = True
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold
    if spec.color:
        style.font.color.rgb = RGBColor.from_string(spec.color)
    rpr = style.element.get_or_add_rPr()
    ooxml.set_fonts(rpr, spec.font)
    ooxml.set_language(rpr)
    fmt = style.paragraph_format
    fmt.alignment = ALIGN[spec.align]
    fmt.page_break_before = spec.page_break_before
    fmt.keep_with_next = spec.keep_with_next
    fmt.widow_control = False
    ppr = style.element.get_or_add_pPr()
    if spec.exact_line:
        ooxml.set_exact_line(ppr, spec.exact_line)
    else:
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
    if spec.first_line_chars:
        ooxml.set_first_line_chars(ppr, spec.first_line_chars, spec.size)
    if spec.left_chars:
        ooxml.set_side_chars(ppr, "left", spec.left_chars, spec.size)
    if spec.right_chars:
        ooxml.set_side_chars(ppr, "right", spec.right_chars, spec.size)


def _add_character_style(document, name: str, font: str, bold: bool) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.font.bold = bold
    ooxml.set_fonts(style.element.get_or_add_rPr(), font)


def _page_setup(section) -> None:
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(37)
    section.bottom_margin = Mm(297 - 37 - TEXT_HEIGHT_MM)
    section.left_margin = Mm(28)
    section.right_margin = Mm(210 - 28 - TEXT_WIDTH_MM)
    section.footer_distance = Mm(28 - 7)  # 页码 sits 7 mm below the text block
    section.header_distance = Mm(15)
    ooxml.set_doc_grid(section._sectPr, LINE_PITCH, char_space())


def _page_numbers(document, section) -> None:
    """— 1 —, 4号 宋体, odd pages right and even pages left, one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    for footer, align, side in ((section.footer, "right", "right"), (section.even_page_footer, "left", "left")):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = ALIGN[align]
        ppr = paragraph._p.get_or_add_pPr()
        ooxml.set_side_chars(ppr, side, 1, SIZE_4)
        for text in ("— ", None, " —"):
            if text is None:
                ooxml.add_field(paragraph, "PAGE")
            else:
                paragraph.add_run(text)
        for run in paragraph.runs:
            rpr = run._r.get_or_add_rPr()
            ooxml.set_fonts(rpr, SONGTI)
            ooxml.set_size(rpr, SIZE_4)


def _lead_paragraph(document, lead: str, text: str, style="正文") -> None:
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(lead, style="二级标题字符")
    paragraph.add_run(text)


def _annex_table(document) -> None:
    table = document.add_table(rows=4, cols=3)
    table.style = document.styles["Table Grid"]
    rows = table.rows
    cells = (
        ("{%tc for h in annex.header %}", "{{ h }}", "{%tc endfor %}"),
        ("{%tr for row in annex.rows %}", "", ""),
        ("{%tc for c in row %}", "{{ c }}", "{%tc endfor %}"),
        ("{%tr endfor %}", "", ""),
    )
    for row, texts in zip(rows, cells):
        for cell, text in zip(row.cells, texts):
            cell.paragraphs[0].style = document.styles["表格文字"]
            cell.paragraphs[0].text = text
    ooxml.set_table_header_row(rows[0])
    ooxml.set_cant_split(rows[2])
    width = ooxml.mm_to_twips(TEXT_WIDTH_MM)
    ooxml.set_table_width(table, [width // 3] * 3)


def _table_text_off_grid(document) -> None:
    """Table cells keep their natural character width: the page's 28-character grid would
    spread every character of a many-column annex table over two."""
    ppr = document.styles["表格文字"].element.get_or_add_pPr()
    snap = ooxml.child(ppr, "w:snapToGrid", before=("w:spacing", "w:ind", "w:jc"))
    snap.set(ooxml.qn("w:val"), "0")


def build_template(path: Path) -> None:
    """Write the bulletin template to ``path``."""
    document = Document()
    _defaults(document)
    for spec in PARAGRAPH_STYLES:
        _add_paragraph_style(document, spec)
    for name, font, bold in CHARACTER_STYLES:
        _add_character_style(document, name, font, bold)
    _table_text_off_grid(document)
    section = document.sections[0]
    _page_setup(section)
    _page_numbers(document, section)

    add = document.add_paragraph
    add("{{ doc.office }}", style="发文机关标志")
    add("{{ doc.title }}", style="公文标题")
    add("{{ doc.subtitle }}", style="副标题")
    add("{%p if doc.recipients %}")
    add("{{ doc.recipients }}：", style="主送机关")
    add("{%p endif %}")
    add("{{ doc.opening }}", style="正文")
    add("{%p for section in doc.sections %}")
    add("{{ section.number }}{{ section.heading }}", style="一级标题")
    add("{%p for para in section.paragraphs %}")
    _lead_paragraph(document, "{{ para.lead }}", "{{ para.text }}")
    add("{%p endfor %}")
    add("{%p endfor %}")
    add("{{ doc.closing }}", style="正文")
    add("{%p if doc.annexes %}")
    add("", style="正文")
    add("{%p endif %}")
    add("{%p for annex in doc.annexes %}")
    add("{%p if loop.first %}")
    add("附件：{{ annex.number }}．{{ annex.title }}", style="附件说明")
    add("{%p else %}")
    add("{{ annex.number }}．{{ annex.title }}", style="附件说明续行")
    add("{%p endif %}")
    add("{%p endfor %}")
    add("", style="正文")
    add("", style="正文")
    add("{%p for line in doc.signature %}")
    add("{{ line }}", style="发文机关署名")
    add("{%p endfor %}")
    add("{{ doc.date }}", style="成文日期")
    add("{%p for annex in doc.annexes %}")
    add("附件{{ annex.number }}", style="附件标签")
    add("{{ annex.title }}", style="附件标题")
    add("", style="表格文字")
    _annex_table(document)
    add("{%p endfor %}")
    first = add("{%p if doc.copy_to %}", style="版记")
    copy_to = add("抄送：{{ doc.copy_to }}", style="版记")
    add("{%p endif %}", style="版记")
    printed = add("{{ doc.printed_by }}\t{{ doc.printed_on }}印发", style="版记")
    first.paragraph_format.page_break_before = False
    for paragraph, sides in ((copy_to, (("top", 12), ("bottom", 4))), (printed, (("top", 4), ("bottom", 12)))):
        ppr = paragraph._p.get_or_add_pPr()
        for side, size in sides:
            ooxml.set_border(ppr, side, size)
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_WIDTH_MM - 5), WD_TAB_ALIGNMENT.RIGHT)
    document.core_properties.title = "通报模板"
    document.core_properties.author = ""
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


if __name__ == "__main__":  # pragma: no cover
    import sys

    build_template(Path(sys.argv[1]))
