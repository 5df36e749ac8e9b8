"""Builds the Word template of a 通报: page, grid, named styles and the docxtpl tags.

The result (``templates/<kind>/bulletin.docx``) is an ordinary Word file a clerk can open
and restyle; this module is how it was made, so that it can be made again.
Values follow GB/T 9704-2012 《党政机关公文格式》.
"""

from __future__ import annotations

import datetime as dt
import io

from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Pt, RGBColor, Twips

from ..word import ooxml
from ..word.package_parts import change_styles
from ..standard.package import clean_package
from ..standard.measures import (BODY_STYLE, CELL_PADDING, SIZE_5, FANGSONG, HEITI, KAITI, LINE_PITCH, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, PAGE_HEIGHT, PAGE_WIDTH, SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4, SONGTI, TABLE_LINE, TEXT_WIDTH, XIAOBIAOSONG, char_width_twips, condensed_spacing)


@dataclass(frozen=True)
class StyleSpec:
    """A named paragraph style of the 公文 (indents in characters, negative first line = hanging)."""

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
    keep_lines: bool = False  # the paragraph's lines on one page
    color: str | None = None
    snap_to_grid: bool = True
    outline_level: int | None = None  # shows the heading in Word's navigation pane
    based_on: str = "Normal"  # 一级…三级标题 on Heading 1–3: pandoc and outline views see them as headings


PARAGRAPH_STYLES = (
        # 2号 titles keep their exact 28.95 pt lines off the grid: LibreOffice would give each two grid lines
    StyleSpec("发文机关标志", XIAOBIAOSONG, SIZE_2, align="center", color="FF0000", keep_with_next=True, snap_to_grid=False),
    StyleSpec("公文标题", XIAOBIAOSONG, SIZE_2, align="center", keep_with_next=True, snap_to_grid=False),
    StyleSpec("主送机关", FANGSONG, SIZE_3),
    StyleSpec(BODY_STYLE, FANGSONG, SIZE_3, first_line_chars=2),
    StyleSpec("一级标题", HEITI, SIZE_3, first_line_chars=2, keep_with_next=True, outline_level=0, based_on="Heading 1"),
    StyleSpec("二级标题", KAITI, SIZE_3, first_line_chars=2, keep_with_next=True, outline_level=1, based_on="Heading 2"),
    StyleSpec("三级标题", FANGSONG, SIZE_3, first_line_chars=2, bold=True, keep_with_next=True, outline_level=2,
              based_on="Heading 3"),
    StyleSpec("四级标题", FANGSONG, SIZE_3, first_line_chars=2),
    # 附件：1．名称 — a name that runs on aligns with its first character (左空二字 + “附件：1．”)
    StyleSpec("附件说明", FANGSONG, SIZE_3, left_chars=7, first_line_chars=-5),
    StyleSpec("附件说明续行", FANGSONG, SIZE_3, left_chars=7, first_line_chars=-2),
    # 附件：名称 — a bulletin's single annex has no number (左空二字 + “附件：”)
    StyleSpec("附件说明单件", FANGSONG, SIZE_3, left_chars=5, first_line_chars=-3),
    StyleSpec("发文机关署名", FANGSONG, SIZE_3, align="right", right_chars=4),
    StyleSpec("成文日期", FANGSONG, SIZE_3, align="right", right_chars=4),
    StyleSpec("附件标签", HEITI, SIZE_3, align="left", page_break_before=True, keep_with_next=True),
    StyleSpec("附件标题", XIAOBIAOSONG, SIZE_2, align="center", keep_with_next=True, snap_to_grid=False),
    # table lines exactly 20 pt: every program gives a row the same height, so pages break alike
    StyleSpec("表格表头", HEITI, SIZE_5, align="center", exact_line=TABLE_LINE, snap_to_grid=False),
    StyleSpec("表格文字", FANGSONG, SIZE_SMALL_4, align="center", exact_line=TABLE_LINE, snap_to_grid=False),
    # 表注 under an annex table: 注：… and its lines running on under the text after 注：
    StyleSpec("表注", FANGSONG, SIZE_SMALL_4, left_chars=2, first_line_chars=-2, exact_line=TABLE_LINE,
              snap_to_grid=False, keep_lines=True),
    # 版记: 抄送 runs on under the first name after “抄送：”; 印发机关 左空一字, 印发日期 右空一字
    StyleSpec("版记", FANGSONG, SIZE_4, align="left", left_chars=4, first_line_chars=-3, right_chars=1),
    StyleSpec("印发机关和日期", FANGSONG, SIZE_4, align="left", left_chars=1, right_chars=1),
)

# styles of parts a bulletin may have: added to a rendered document that uses them (render/parts.py),
# so that the template, and every bulletin without these parts, stays as it was
OPTIONAL_STYLES = (
    StyleSpec("发文字号", FANGSONG, SIZE_3, align="center"),  # 发文机关标志下空二行居中
    StyleSpec("发文字号和签发人", FANGSONG, SIZE_3, align="left"),  # 上行文: 左右各空一字 by tab stops (render/parts.py)
    StyleSpec("附件名单", FANGSONG, SIZE_3, align="left", first_line_chars=2),  # a list annex: a name a line
)

CHARACTER_STYLES = (
    ("二级标题字符", KAITI, False),  # （一）… leads inside a 正文 paragraph
    ("三级标题字符", FANGSONG, True),
)

ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}

THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _defaults(document) -> None:
    """仿宋 三号 everywhere by default, and no theme font left for Word to fall back on."""
    styles = document.styles.element
    rpr = styles.find(ooxml.qn("w:docDefaults")).find(ooxml.qn("w:rPrDefault")).find(ooxml.qn("w:rPr"))
    ooxml.set_fonts(rpr, FANGSONG)
    ooxml.set_size(rpr, SIZE_3)
    ooxml.set_language(rpr)
    for fonts in styles.iter(ooxml.qn("w:rFonts")):
        if any(fonts.get(ooxml.qn(attr)) for attr in THEME_FONT_ATTRS):
            ooxml.set_fonts(fonts.getparent(), fonts.get(ooxml.qn("w:eastAsia")) or FANGSONG)
    # 28 characters of 三号 to the 156 mm line, as character spacing every program honours
    ooxml.child(rpr, "w:spacing").set(ooxml.qn("w:val"), str(condensed_spacing()))
    normal = document.styles["Normal"]
    ooxml.set_fonts(normal.element.get_or_add_rPr(), FANGSONG)
    normal.font.size = Pt(SIZE_3)


def _add_paragraph_style(document, spec: StyleSpec) -> None:
    style = document.styles.add_style(spec.name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[spec.based_on]
    style.quick_style = True
    style.font.size = Pt(spec.size)
    style.font.bold = spec.bold
    style.font.italic = False
    style.font.color.rgb = RGBColor.from_string(spec.color or "000000")
    rpr = style.element.get_or_add_rPr()
    ooxml.set_fonts(rpr, spec.font)
    ooxml.set_language(rpr)
    fmt = style.paragraph_format
    fmt.alignment = ALIGN[spec.align]
    fmt.page_break_before = spec.page_break_before
    fmt.keep_with_next = spec.keep_with_next
    fmt.keep_together = spec.keep_lines
    fmt.widow_control = False
    ppr = style.element.get_or_add_pPr()
    if spec.exact_line:
        ooxml.set_exact_line(ppr, spec.exact_line)
    else:
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
    if not spec.snap_to_grid:
        ooxml.set_snap_to_grid(ppr, False)
    if spec.outline_level is not None:
        ooxml.child(ppr, "w:outlineLvl").set(ooxml.qn("w:val"), str(spec.outline_level))
    if spec.first_line_chars:
        ooxml.set_first_line_chars(ppr, spec.first_line_chars, spec.size)
    if spec.left_chars:
        ooxml.set_side_chars(ppr, "left", spec.left_chars, spec.size)
    if spec.right_chars:
        ooxml.set_side_chars(ppr, "right", spec.right_chars, spec.size)


def ensure_paragraph_style(document, name: str) -> None:
    """The optional style ``name`` in ``document``'s styles, unless it has one of that name already."""
    if name not in {style.name for style in document.styles}:
        spec = next(spec for spec in OPTIONAL_STYLES if spec.name == name)
        change_styles(document, name, lambda: _add_paragraph_style(document, spec))  # once per template


def _add_character_style(document, name: str, font: str, bold: bool) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
    style.font.bold = bold
    ooxml.set_fonts(style.element.get_or_add_rPr(), font)


def _page_setup(section) -> None:
    """A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm, 22 lines of 28 characters."""
    section.page_width, section.page_height = Twips(PAGE_WIDTH), Twips(PAGE_HEIGHT)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    # 一字线 7 mm below the text block: the footer line (4号, exact) starts there
    section.footer_distance = Twips(MARGIN_BOTTOM - ooxml.mm_to_twips(7) - char_width_twips(SIZE_4))
    section.header_distance = Twips(ooxml.mm_to_twips(15))
    ooxml.set_doc_grid(section._sectPr, LINE_PITCH)


def _page_numbers(document, section) -> None:
    """— 1 —, 4号 半角 宋体, odd pages right and even pages left, one character in from the edge."""
    document.settings.odd_and_even_pages_header_footer = True
    footer_style = document.styles["Footer"]  # 页脚: so that an edited page number keeps its face
    ooxml.set_fonts(footer_style.element.get_or_add_rPr(), SONGTI)
    ooxml.set_size(footer_style.element.get_or_add_rPr(), SIZE_4)
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        paragraph = footer.paragraphs[0]
        paragraph.style = footer_style
        paragraph.alignment = ALIGN[side]
        ppr = paragraph._p.get_or_add_pPr()
        ooxml.set_side_chars(ppr, side, 1, SIZE_4)
        ooxml.set_exact_line(ppr, char_width_twips(SIZE_4))
        ooxml.set_snap_to_grid(ppr, False)
        for text in ("— ", None, " —"):
            if text is None:
                ooxml.add_field(paragraph, "PAGE")
            else:
                paragraph.add_run(text)
        for run in paragraph.runs:
            rpr = run._r.get_or_add_rPr()
            ooxml.set_fonts(rpr, SONGTI)
            ooxml.set_size(rpr, SIZE_4)


def _lead_paragraph(document, style=BODY_STYLE) -> None:
    """A 正文 paragraph opening with an inline heading: （一）… in 楷体 or 1．… in bold 仿宋."""
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run("{{ para.lead if para.level == 2 else '' }}", style="二级标题字符")
    paragraph.add_run("{{ para.lead if para.level == 3 else '' }}", style="三级标题字符")
    paragraph.add_run("{{ para.text }}")


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
    for i, (row, texts) in enumerate(zip(rows, cells)):
        for cell, text in zip(row.cells, texts):
            cell.paragraphs[0].style = document.styles["表格表头" if i == 0 else "表格文字"]
            cell.paragraphs[0].text = text
            ooxml.set_cell_vertical_center(cell)
    ooxml.set_table_header_row(rows[0])
    ooxml.set_cant_split(rows[0])
    ooxml.set_cant_split(rows[2])
    ooxml.set_table_centered(table)
    ooxml.set_cell_margins(table, CELL_PADDING // 2)
    ooxml.set_table_width(table, [TEXT_WIDTH // 3] * 3)


def _imprint(document) -> None:
    """版记: 抄送 and 印发机关/日期 between rules; docx_writer puts it at the foot of the last page."""
    add = document.add_paragraph
    add("{%p if doc.copy_to %}", style="版记")
    add("抄送：{{ doc.copy_to }}{{ '' if doc.copy_to.endswith('。') else '。' }}", style="版记")  # 最后一个抄送机关后标句号
    add("{%p endif %}", style="版记")
    printed = add("{{ doc.printed_by }}\t{{ doc.printed_on }}印发", style="印发机关和日期")
    right_indent = char_width_twips(SIZE_4)
    printed.paragraph_format.tab_stops.add_tab_stop(Twips(TEXT_WIDTH - right_indent), WD_TAB_ALIGNMENT.RIGHT)


def _body(document) -> None:
    """The docxtpl tags of the 公文 from 版头 to the annexes."""
    for part in (_letterhead_and_title, _main_text, _annex_notes, _signature, _annexes):
        part(document)


def _letterhead_and_title(document) -> None:
    """发文机关标志 over its red rule, the title and subtitle, the 主送机关."""
    add = document.add_paragraph
    letterhead = add("{{ doc.office }}", style="发文机关标志")
    ooxml.set_border(letterhead._p.get_or_add_pPr(), "bottom", 18, space=8, color="FF0000")  # 红色分隔线
    add("", style=BODY_STYLE)
    add("", style=BODY_STYLE)  # 标题在红色分隔线下空二行
    add("{{ doc.title }}", style="公文标题")  # docx_writer breaks a long title into lines
    add("{%p if doc.subtitle %}")
    add("{{ doc.subtitle }}", style="公文标题")
    add("{%p endif %}")
    add("", style=BODY_STYLE)  # 主送机关 (or the text) 在标题下空一行
    add("{%p if doc.recipients %}")
    add("{{ doc.recipients }}：", style="主送机关")
    add("{%p endif %}")


def _main_text(document) -> None:
    """The opening, each section with its paragraphs, the closing."""
    add = document.add_paragraph
    add("{{ doc.opening }}", style=BODY_STYLE)
    add("{%p for section in doc.sections %}")
    add("{{ section.number }}{{ section.heading }}", style="一级标题")
    add("{%p for para in section.paragraphs %}")
    _lead_paragraph(document)
    add("{%p endfor %}")
    add("{%p endfor %}")
    add("{{ doc.closing }}", style=BODY_STYLE)


def _annex_notes(document) -> None:
    """附件说明 under the text: one annex, the first of several, the rest."""
    add = document.add_paragraph
    add("{%p if doc.annexes %}")
    add("", style=BODY_STYLE)  # 附件说明在正文下空一行
    add("{%p endif %}")
    add("{%p for annex in doc.annexes %}")
    add("{%p if annex.only %}")
    add("附件：{{ annex.note_item }}", style="附件说明单件")
    add("{%p elif loop.first %}")
    add("附件：{{ annex.note_item }}", style="附件说明")
    add("{%p else %}")
    add("{{ annex.note_item }}", style="附件说明续行")
    add("{%p endif %}")
    add("{%p endfor %}")


def _signature(document) -> None:
    """Room for the 印章, the 发文机关署名 and the 成文日期."""
    add = document.add_paragraph
    add("", style=BODY_STYLE)
    add("", style=BODY_STYLE)  # room for the 印章 above 署名 and 成文日期
    add("{%p for line in doc.signature %}")
    add("{{ line }}", style="发文机关署名")
    add("{%p endfor %}")
    add("{{ doc.date }}", style="成文日期")


def _annexes(document) -> None:
    """Each annex after the date: its label and title, then its table and note or its list of names."""
    add = document.add_paragraph
    add("{%p for annex in doc.annexes %}")
    add("{{ annex.label }}", style="附件标签")
    add("{{ annex.title }}", style="附件标题")
    add("{%p if annex.is_table %}")
    add("", style="表格文字")
    _annex_table(document)
    add("{%p if annex.note %}")
    add("{{ annex.note }}", style="表注")
    add("{%p endif %}")
    add("{%p else %}")
    add("", style=BODY_STYLE)  # 标题下空一行; each name in the 附件名单 style (render/list_annex.py)
    add("{%p for line in annex.lines %}")
    add("{{ line }}", style=BODY_STYLE)
    add("{%p endfor %}")
    add("{%p endif %}")
    add("{%p endfor %}")


def _table_text_off_grid(document) -> None:
    """Table cells keep their natural character width: the page's 28-character grid would
    spread every character of a many-column annex table over two."""
    ppr = document.styles["表格文字"].element.get_or_add_pPr()
    snap = ooxml.child(ppr, "w:snapToGrid")
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
    _body(document)
    _imprint(document)
    clean_package(document)
    from ..word.zipped import normalise_zip  # imports this module's constants

    props = document.core_properties
    props.title, props.author, props.last_modified_by, props.revision = "通报模板", "", "", 1
    props.created = props.modified = dt.datetime(2024, 1, 1)  # fixed: the same template gives the same bytes
    buffer = io.BytesIO()
    document.save(buffer)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalise_zip(buffer.getvalue()))


if __name__ == "__main__":  # pragma: no cover
    import sys

    build_template(Path(sys.argv[1]))
