"""The format checker: the built bulletin passes every rule; each rule finds a departure
planted in a copy, as a clerk's edit would make it."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
import yaml
from click.testing import CliRunner
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor, Twips

from .bulletin_files import INPUTS, ROOT, copy_inputs, sample_docx, sample_document, saved_and_checked
from pipeline.run.build import build_bulletin
from pipeline.check import RULES, check_document
from pipeline.cli import main
from pipeline.word import ooxml
from pipeline.standard.package import font_table_xml, set_font_table
from pipeline.standard.measures import BODY_STYLE
from pipeline.config.document_parts import DocumentParts
from pipeline.render.context import paragraphs_of as _paragraphs_of
from pipeline.render.parts import apply_parts
from pipeline.standard.parts_record import write_parts
from pipeline.render.template_builder import ensure_paragraph_style


def styled(doc, name):
    return [p for p in doc.paragraphs if p.style.name == name and p.text.strip()]


def body(doc):
    """The opening paragraph: plain 正文 without a heading number."""
    return next(p for p in styled(doc, BODY_STYLE) if not re.match(r"^[（一二三四五六七八九十\d]", p.text))


def lead_paragraph(doc):
    return next(p for p in styled(doc, BODY_STYLE) if p.runs[0].text.startswith("（"))


def set_east_asia(run, font):
    ooxml.set_fonts(run._r.get_or_add_rPr(), font)


def footer_paragraph(doc, even=False):
    section = doc.sections[0]
    return (section.even_page_footer if even else section.footer).paragraphs[0]


def sect(doc, index):
    return doc.sections[index]._sectPr


def landscape_index(doc):
    return next(i for i, s in enumerate(doc.sections) if s.page_width > s.page_height)


def remove_page_field(doc):
    element = footer_paragraph(doc)._p
    for run in list(element.iter(qn("w:r"))):
        if run.find(qn("w:instrText")) is not None or run.find(qn("w:fldChar")) is not None:
            run.getparent().remove(run)


def set_grid(doc, attr, value):
    sect(doc, 0).find(qn("w:docGrid")).set(qn(attr), value)


def insert_heading(doc, text, font=None, bold=False):
    paragraph = body(doc).insert_paragraph_before(style=BODY_STYLE)
    lead = paragraph.add_run(text)
    lead.bold = bold
    if font:
        set_east_asia(lead, font)
    paragraph.add_run("按要求完成。")


def set_side(paragraph, side, chars):
    ooxml.set_side_chars(paragraph._p.get_or_add_pPr(), side, chars, 16)


def annex_note_unindented(doc):
    note = styled(doc, "附件说明")[0]
    set_side(note, "left", 2)
    ooxml.set_first_line_chars(note._p.get_or_add_pPr(), 0, 16)


def remove_blank_before_notes(doc):
    previous = styled(doc, "附件说明")[0]._p.getprevious()
    previous.getparent().remove(previous)


def append_to_last_run(paragraph, text):
    paragraph.runs[-1].text += text


def remove_first(element, tag):
    found = element.find(qn(tag))
    found.getparent().remove(found)


def widen_table(doc):
    table = doc.tables[-1]._tbl
    for col in table.iter(qn("w:gridCol")):
        col.set(qn("w:w"), str(int(col.get(qn("w:w"))) * 2))


def imprint_top_border(doc, size):
    styled(doc, "印发机关和日期")[0]._p.find(qn("w:pPr")).find(qn("w:pBdr")).find(qn("w:top")).set(qn("w:sz"), size)


def add_copy_to(doc, text):
    styled(doc, "印发机关和日期")[0].insert_paragraph_before(text, style="版记")


def printed_date(doc, text):
    paragraph = styled(doc, "印发机关和日期")[0]
    ts = list(paragraph._p.iter(qn("w:t")))
    ts[-1].text = text


def char_grid_narrower_than_type(doc):
    """The grid of the python-docx era: 28 characters by a character pitch below 三号."""
    set_grid(doc, "w:type", "linesAndChars")
    set_grid(doc, "w:charSpace", "-848")


def compat_setting(doc):
    return next(s for s in doc.settings.element.iter(qn("w:compatSetting")) if s.get(qn("w:name")) == "compatibilityMode")


def add_styles_with_effects(doc, blob=None):
    """A stylesWithEffects.xml: python-docx's stale one, or ``blob`` (Word 2010 writes one in step)."""
    if blob is None:
        with zipfile.ZipFile(Path(docx.__file__).with_name("templates") / "default.docx") as package:
            blob = package.read("word/stylesWithEffects.xml")
    part = Part(PackURI("/word/stylesWithEffects.xml"), "application/vnd.ms-word.stylesWithEffects+xml", blob,
                doc.part.package)
    doc.part.relate_to(part, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects")


def test_styles_with_effects_in_step_with_the_styles_is_accepted(tmp_path):
    document = sample_document()
    add_styles_with_effects(document, document.part.part_related_by(RT.STYLES).blob)
    assert [f for f in saved_and_checked(document, tmp_path) if f.rule.id == "PKG-02"] == []


def set_app_xml(doc, blob):
    next(r for r in doc.part.package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES).target_part._blob = blob


# One departure per rule, as an edit in Word would make it.
def number_line(doc, signer: str = ""):
    """The 发文字号 line (and 签发人) as a build puts it under the 发文机关标志: the paragraph."""
    apply_parts(doc, DocumentParts(doc_number="宜放管服办〔2024〕3号", signer=signer), _paragraphs_of)
    return next(p for p in doc.paragraphs if p.style.name.startswith("发文字号"))


def number_line_moved_up(doc):
    number_line(doc)
    blank = doc.paragraphs[1]._p
    blank.getparent().remove(blank)


def list_line_in_small_type(doc):
    """A line of a list annex (附件名单) in 4号."""
    ensure_paragraph_style(doc, "附件名单")
    line = doc.add_paragraph("", style="附件名单")
    line.add_run("东城街办").font.size = Pt(14)


PLANTS = {
    "GB-PAGE-01": lambda d: setattr(d.sections[0], "page_width", Twips(12240)),  # US Letter
    "GB-PAGE-02": lambda d: setattr(d.sections[0], "top_margin", Twips(1440)),
    "GB-PAGE-03": lambda d: setattr(d.sections[0], "bottom_margin", Twips(1440)),
    "GB-PAGE-04": lambda d: setattr(d.sections[0], "left_margin", Twips(1800)),
    "GB-PAGE-05": lambda d: setattr(d.sections[0], "right_margin", Twips(1800)),
    "GB-PAGE-06": lambda d: set_grid(d, "w:linePitch", "312"),
    "GB-PAGE-07": lambda d: d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    .find(qn("w:spacing")).set(qn("w:val"), "0"),  # 三号 at its natural width: 27.6 characters a line
    "GB-PAGE-08": lambda d: setattr(d.sections[landscape_index(d)], "left_margin", Twips(1000)),
    "GB-PGNO-01": remove_page_field,
    "GB-PGNO-02": lambda d: setattr(d.settings, "odd_and_even_pages_header_footer", False),
    "GB-PGNO-03": lambda d: set_east_asia(footer_paragraph(d).runs[0], "仿宋_GB2312"),
    "GB-PGNO-04": lambda d: setattr(footer_paragraph(d).runs[0], "text", "第"),
    "GB-PGNO-05": lambda d: setattr(footer_paragraph(d), "alignment", WD_ALIGN_PARAGRAPH.CENTER),
    "GB-PGNO-06": lambda d: setattr(footer_paragraph(d, even=True), "alignment", WD_ALIGN_PARAGRAPH.RIGHT),
    "GB-PGNO-07": lambda d: ooxml.child(sect(d, 1), "w:pgNumType").set(qn("w:start"), "1"),
    "GB-FONT-01": lambda d: body(d).runs[-1]._r.get_or_add_rPr().append(ooxml.OxmlElement("w:rFonts"))
    or body(d).runs[-1]._r.rPr.find(qn("w:rFonts")).set(qn("w:eastAsiaTheme"), "minorEastAsia"),
    "GB-TITLE-01": lambda d: setattr(styled(d, "公文标题")[0].runs[0].font, "size", Pt(16)),
    "GB-TITLE-03": lambda d: ooxml.set_paragraph_lines(styled(d, "发文机关标志")[0]._p,
                                                       ["宜城市推进政", "府职能转变和“放管服”改革协调小组办公室"]),
    "GB-TITLE-02": lambda d: setattr(styled(d, "公文标题")[0], "alignment", WD_ALIGN_PARAGRAPH.LEFT),
    "GB-MARK-01": lambda d: set_east_asia(styled(d, "发文机关标志")[0].runs[0], "黑体"),
    "GB-MARK-02": lambda d: setattr(styled(d, "发文机关标志")[0].runs[0].font.color, "rgb", RGBColor(0, 0, 0)),
    "GB-RECIP-01": lambda d: body(d).insert_paragraph_before("各镇（街道）、市直各部门", style="主送机关"),
    "GB-BODY-01": lambda d: setattr(body(d).runs[-1].font, "size", Pt(14)),
    "GB-BODY-02": lambda d: setattr(body(d).paragraph_format, "first_line_indent", Twips(0)),
    "GB-BODY-03": lambda d: setattr(body(d).paragraph_format, "line_spacing", 1.5),
    "GB-HEAD-01": lambda d: set_east_asia(styled(d, "一级标题")[0].runs[0], "宋体"),
    "GB-HEAD-02": lambda d: set_east_asia(lead_paragraph(d).runs[0], "仿宋_GB2312"),
    "GB-HEAD-03": lambda d: insert_heading(d, "1.建立工作台账。"),
    "GB-HEAD-04": lambda d: insert_heading(d, "（1）统一受理标准。", font="楷体_GB2312"),
    "GB-DATE-01": lambda d: setattr(styled(d, "成文日期")[0].runs[0], "text", "2024年06月12日"),
    "GB-DATE-02": lambda d: set_side(styled(d, "成文日期")[0], "right", 0),
    "GB-SIGN-01": lambda d: set_side(styled(d, "发文机关署名")[0], "right", 8),
    "GB-ATT-01": lambda d: append_to_last_run(styled(d, "附件说明")[0], "。"),
    "GB-ATT-02": annex_note_unindented,
    "GB-ATT-03": remove_blank_before_notes,
    "GB-ANNEX-01": lambda d: set_east_asia(styled(d, "附件标签")[0].runs[0], "仿宋_GB2312"),
    "GB-ANNEX-02": lambda d: styled(d, "附件标签")[0].insert_paragraph_before("见下表。", style=BODY_STYLE),
    "GB-ANNEX-03": lambda d: setattr(styled(d, "附件标题")[0], "alignment", WD_ALIGN_PARAGRAPH.LEFT),
    "GB-ANNEX-04": lambda d: setattr(styled(d, "附件标签")[1].runs[-1], "text", "3"),
    "GB-TABLE-01": lambda d: remove_first(d.tables[0].rows[0]._tr.trPr, "w:tblHeader"),
    "GB-TABLE-02": lambda d: remove_first(d.tables[0].rows[5]._tr.trPr, "w:cantSplit"),
    "GB-TABLE-03": lambda d: setattr(d.tables[0].rows[3].cells[1].paragraphs[0].runs[0].font, "size", Pt(8)),
    "GB-TABLE-04": widen_table,
    "GB-TABLE-05": lambda d: ooxml.set_paragraph_lines(d.tables[0].rows[0].cells[3].paragraphs[0]._p,
                                                       ["一窗办改革（25", "分）"]),  # broken inside （25分）
    "GB-IMPR-01": lambda d: d.add_paragraph("以上内容请各单位知悉。", style=BODY_STYLE),
    "GB-IMPR-02": lambda d: setattr(styled(d, "印发机关和日期")[0].runs[0].font, "size", Pt(16)),
    "GB-IMPR-03": lambda d: imprint_top_border(d, "4"),
    "GB-IMPR-04": lambda d: add_copy_to(d, "抄送：市委办公室，市政府办公室"),
    "GB-IMPR-05": lambda d: printed_date(d, "2024年06月12日印发"),
    "GB-IMPR-06": lambda d: setattr(styled(d, "印发机关和日期")[0].paragraph_format, "space_before", Twips(0)),
    "GB-IMPR-07": lambda d: setattr(styled(d, "印发机关和日期")[0].paragraph_format, "page_break_before", True),
    "GB-PART-01": lambda d: write_parts(d, DocumentParts(recipients=True, declared=True)),  # no 主送机关 in the sample
    "GB-NUM-01": lambda d: setattr(number_line(d, signer="张三").paragraph_format, "alignment", WD_ALIGN_PARAGRAPH.CENTER),
    "GB-NUM-02": number_line_moved_up,
    "GB-ANNEX-05": list_line_in_small_type,
    "DOC-GRID-01": char_grid_narrower_than_type,
    "DOC-GRID-02": lambda d: ooxml.set_snap_to_grid(d.styles["公文标题"].element.get_or_add_pPr(), True),
    "DOC-WRAP-01": lambda d: ooxml.child(d.styles["Normal"].element.get_or_add_pPr(), "w:wordWrap").set(qn("w:val"), "0"),
    "DOC-STYLE-01": lambda d: setattr(d.styles[BODY_STYLE], "name", "正文"),
    "DOC-HEAD-01": lambda d: setattr(d.styles["一级标题"], "base_style", d.styles["Normal"]),
    "PKG-01": lambda d: compat_setting(d).set(qn("w:val"), "14"),
    "PKG-02": add_styles_with_effects,
    "PKG-03": lambda d: set_app_xml(d, b"<Properties><Application>Microsoft Macintosh Word</Application>"
                                       b"<Characters>0</Characters></Properties>"),
    "PKG-04": lambda d: setattr(d.part.part_related_by(RT.FONT_TABLE), "_blob", font_table_xml(["Times New Roman"])),
    "PKG-05": lambda d: d.settings.element.find(qn("w:themeFontLang")).set(qn("w:eastAsia"), "ja-JP"),
    "PKG-06": lambda d: d.tables[0].rows[0]._tr.trPr.find(qn("w:tblHeader")).set(qn("w:val"), "true"),
}


def test_a_long_title_left_unbroken_is_found(tmp_path):
    document = sample_document()
    letterhead = styled(document, "发文机关标志")[0]
    ooxml.set_paragraph_lines(letterhead._p, [letterhead.text.replace("\n", "")])  # Word wraps it where it must
    found = [f for f in saved_and_checked(document, tmp_path) if f.rule.id == "GB-TITLE-03"]
    assert [f.detail for f in found] == ["一行 26 字，长于版心的 20 字，未在词间回行"]


def test_sample_bulletin_has_no_findings():
    findings = check_document(sample_document())
    assert [str(f) for f in findings] == []


def test_there_are_at_least_25_rules_each_with_a_planted_departure():
    assert len(RULES) >= 25
    assert set(PLANTS) == set(RULES)
    for rule in RULES.values():
        assert rule.description and rule.id.startswith(("GB-", "DOC-", "PKG-"))


@pytest.mark.parametrize("rule_id", sorted(PLANTS))
def test_checker_finds_the_planted_departure(rule_id, tmp_path):
    document = sample_document()
    PLANTS[rule_id](document)
    findings = saved_and_checked(document, tmp_path)
    found = [f for f in findings if f.rule.id == rule_id]
    assert found, f"{rule_id} not found; found {[str(f) for f in findings]}"
    assert all(f.place for f in found)


def test_finding_names_paragraph_number_and_first_words(tmp_path):
    document = sample_document()
    PLANTS["GB-DATE-01"](document)
    finding = next(f for f in saved_and_checked(document, tmp_path) if f.rule.id == "GB-DATE-01")
    number = next(i for i, p in enumerate(document.paragraphs, start=1) if p.text == "2024年06月12日")
    assert finding.place == f"第{number}段“2024年06月12日”"


def test_usual_font_aliases_are_accepted(tmp_path):
    document = sample_document()
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        if fonts.get(qn("w:eastAsia")) == "仿宋_GB2312":
            fonts.set(qn("w:eastAsia"), "仿宋")
        elif fonts.get(qn("w:eastAsia")) == "楷体_GB2312":
            fonts.set(qn("w:eastAsia"), "KaiTi")
    set_font_table(document)  # as Word does on saving
    assert [str(f) for f in saved_and_checked(document, tmp_path)] == []


def test_bulletin_with_copy_to_and_one_annex_passes(tmp_path):
    inputs = copy_inputs(tmp_path)
    config_path = inputs / "2024Q1" / "bulletin.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["imprint"]["copy_to"] = "市委办公室，市政府办公室"
    config["annexes"] = config["annexes"][1:]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    path = tmp_path / "one.docx"
    path.write_bytes(build_bulletin("2024Q1", inputs, ROOT / "templates").docx)
    document = Document(str(path))
    assert [p.text for p in document.paragraphs if p.style.name == "版记"] == ["抄送：市委办公室，市政府办公室。"]
    # a single annex has no number: “附件：名称” and the label “附件”
    assert [p.text for p in document.paragraphs if p.text.startswith("附件")][:2] == [
        "附件：宜城市镇（街道）“高效办成一件事”考核得分表（一季度）",
        "附件",
    ]
    assert [str(f) for f in check_document(document)] == []


def test_a_single_annex_numbered_like_one_of_several_is_found(tmp_path):
    inputs = copy_inputs(tmp_path)
    config_path = inputs / "2024Q1" / "bulletin.yaml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["annexes"] = config["annexes"][1:]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    path = tmp_path / "one.docx"
    path.write_bytes(build_bulletin("2024Q1", inputs, ROOT / "templates").docx)
    document = Document(str(path))
    for paragraph in document.paragraphs:
        if paragraph.text == "附件":
            paragraph.runs[0].text = "附件1"
        elif paragraph.text.startswith("附件："):
            paragraph.runs[0].text = paragraph.runs[0].text.replace("附件：", "附件：1．")
    messages = [str(f) for f in check_document(document)]
    assert any("GB-ANNEX-04" in m and "应为“附件”" in m for m in messages)
    assert any("GB-ANNEX-04" in m and "不加顺序号" in m for m in messages)


def test_check_command_reports_places_and_exits_non_zero(tmp_path):
    good = tmp_path / "good.docx"
    good.write_bytes(sample_docx())
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(good)])
    assert result.exit_code == 0, result.output
    assert "格式检查通过" in result.output

    document = sample_document()
    PLANTS["GB-HEAD-01"](document)
    PLANTS["GB-TABLE-02"](document)
    bad = tmp_path / "bad.docx"
    document.save(str(bad))
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert "[GB-HEAD-01] 第" in result.output and "“一、考核排名情况”" in result.output
    assert "[GB-TABLE-02] 表1第6行" in result.output


def test_template_styles_carry_east_asian_fonts_without_theme_fonts():
    document = Document(str(ROOT / "templates" / "assessment" / "bulletin.docx"))
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        assert fonts.get(qn("w:eastAsiaTheme")) is None
    for name in (BODY_STYLE, "一级标题", "二级标题", "三级标题", "四级标题", "公文标题", "附件标签", "版记"):
        fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")), name


def test_two_renders_are_byte_identical():
    root = Path(ROOT)
    first = build_bulletin("2024Q1", INPUTS, root / "templates").docx
    assert first == sample_docx()
