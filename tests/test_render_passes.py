"""The render passes one by one, as python-docx tests its proxies: a tiny document made from the
product's template in the test, one pass run over it, its XML inspected. Then the registry: the
passes' order, and a name or an order taken twice refused, naming both modules."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import docx
import pytest
from docx.oxml import parse_xml

from pipeline.compose import AnnexTable, Document
from pipeline.config.document_parts import DocumentParts
from pipeline.core.extension import DuplicateExtension, Extensions
from pipeline.render.docx_writer import PASS_MODULES
from pipeline.render.context import RenderContext
from pipeline.render.passes import PASSES, in_order, render_pass, run_passes
from pipeline.render.template_builder import build_template
from pipeline.standard.measures import BODY_STYLE, IMPRINT_THICK, IMPRINT_THIN
from pipeline.word import ooxml
from pipeline.word.ooxml import qn

ISSUED = dt.date(2024, 4, 30)
LONG_TITLE = "宜宾市政务服务管理局关于2024年第一季度全市政务服务“好差评”和政务公开工作情况的通报"
CONTACT = ("请各地各部门主要领导高度重视，针对通报的问题及时安排整改落实，整改情况汇总后专报市领导。"
           "联系电话：18162362361，报送邮箱：ycxzspjsgg@163.com。")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("template") / "通报模板.docx"
    build_template(path)
    return path.read_bytes()


def blank(template: bytes):
    """The template with an empty body: only its section properties left."""
    document = docx.Document(io.BytesIO(template))
    body = document.element.body
    for element in [e for e in body if e.tag != qn("w:sectPr")]:
        body.remove(element)
    return document


def compose_document(**changes) -> Document:
    fields = dict(office="宜宾市政务服务管理局", title="关于政务服务情况的通报", subtitle="", recipients="", opening="",
                  sections=[], closing="", annexes=[], signature=[], date="", copy_to="", printed_by="", printed_on="")
    return Document(**{**fields, **changes})


def run_one(name: str, word, document: Document | None = None) -> RenderContext:
    context = RenderContext(word, document or compose_document(), ISSUED)
    PASSES[name].run(context)
    return context


def style_id(word, name: str) -> str:
    return word.styles[name].style_id


def child_tags(element) -> list[str]:
    return [c.tag.split("}")[1] for c in element]


def test_parts_without_red_header_drop_the_letterhead_and_its_blank_lines(template):
    word = blank(template)
    word.add_paragraph("宜宾市政务服务管理局文件", style="发文机关标志")
    word.add_paragraph("", style=BODY_STYLE)
    word.add_paragraph("", style=BODY_STYLE)
    word.add_paragraph("关于政务服务情况的通报", style="公文标题")
    run_one("版头和版记", word, compose_document(parts=DocumentParts(red_header=False)))
    assert [p.style.name for p in word.paragraphs] == ["公文标题"]


def test_list_annex_lines_take_the_list_style_added_for_them(template):
    word = blank(template)
    assert "附件名单" not in {s.name for s in word.styles}
    word.add_paragraph("红榜单位名单", style="附件标题")
    for text in ("", "翠屏区", "叙州区"):
        word.add_paragraph(text, style=BODY_STYLE)
    annex = AnnexTable(1, "红榜单位名单", [], [], lines=["翠屏区", "叙州区"])
    context = run_one("附件名单", word, compose_document(annexes=[annex]))
    assert [p.style.name for p in word.paragraphs] == ["附件标题", BODY_STYLE, "附件名单", "附件名单"]
    assert [p.text for p in context.paragraphs("附件名单")] == ["翠屏区", "叙州区"]  # the new style seen, nothing reset


def test_annex_table_is_fitted_and_its_group_row_repeats_above_the_header(template):
    word = blank(template)
    table = word.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ("单位", "办件量", "满意率")):
        cell.text = text
    ooxml.set_table_header_row(table.rows[0])
    annex = AnnexTable(1, "评价情况", ["单位", "办件量", "满意率"], [["翠屏区", "12", "99%"]], groups=["", "好差评", "好差评"])
    run_one("附件表格", word, compose_document(annexes=[annex]))
    tbl = word.tables[0]._tbl
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert len(tbl.tblGrid.findall(qn("w:gridCol"))) == 3
    group, header = tbl.tr_lst[:2]
    assert [tc.xpath("string(.)") for tc in group.tc_lst] == ["单位", "好差评"]
    assert all(tr.trPr.find(qn("w:tblHeader")) is not None for tr in (group, header))  # both rows head every page
    assert child_tags(group.tc_lst[1].tcPr)[:2] == ["tcW", "gridSpan"]  # schema order, no reorder afterwards
    assert group.tc_lst[0].tcPr.find(qn("w:vMerge")).get(qn("w:val")) == "restart"


def test_a_long_title_is_broken_into_lines_inside_one_paragraph(template):
    word = blank(template)
    word.add_paragraph(LONG_TITLE, style="公文标题")
    run_one("标题分行", word)
    p = word.paragraphs[0]._p
    assert len(p.findall(f"{qn('w:r')}/{qn('w:br')}")) >= 1
    assert "".join(t.text for t in p.iter(qn("w:t"))) == LONG_TITLE


def test_a_heading_standing_alone_takes_the_heading_style(template):
    word = blank(template)
    alone = word.add_paragraph(style=BODY_STYLE)
    alone.add_run("（一）政务公开", style="二级标题字符")
    sentence = word.add_paragraph(style=BODY_STYLE)
    sentence.add_run("（二）政务服务。", style="二级标题字符")
    run_one("小标题样式", word)
    assert [p.style.name for p in word.paragraphs] == ["二级标题", BODY_STYLE]


def test_the_signature_is_indented_to_stand_centred_over_the_date(template):
    word = blank(template)
    name = word.add_paragraph("宜宾市政务服务管理局", style="发文机关署名")
    word.add_paragraph("2024年4月30日", style="成文日期")
    run_one("署名位置", word)
    ind = name._p.pPr.find(qn("w:ind"))
    assert int(ind.get(qn("w:rightChars"))) > 0 and int(ind.get(qn("w:right"))) > 0


def test_the_last_line_of_text_is_kept_with_the_signature(template):
    word = blank(template)
    word.add_paragraph("此前的一段。", style=BODY_STYLE)
    word.add_paragraph("特此通报。", style=BODY_STYLE)
    word.add_paragraph("", style=BODY_STYLE)
    word.add_paragraph("宜宾市政务服务管理局", style="发文机关署名")
    word.add_paragraph("2024年4月30日", style="成文日期")
    run_one("署名不单独成页", word)
    kept = [p.text for p in word.paragraphs if p.paragraph_format.keep_with_next]
    assert kept == ["特此通报。", "", "宜宾市政务服务管理局"]


def test_an_annex_note_hangs_under_the_annex_name(template):
    word = blank(template)
    note = word.add_paragraph("附件：1．2024年第一季度政务服务评价情况统计表", style="附件说明")
    run_one("附件说明缩进", word)
    ind = note._p.pPr.find(qn("w:ind"))
    left, hanging = int(ind.get(qn("w:left"))), int(ind.get(qn("w:hanging")))
    assert left > hanging > 0 and ind.get(qn("w:leftChars")) is None


def test_imprint_rules_thick_outside_thin_between(template):
    word = blank(template)
    copy_to = word.add_paragraph("抄送：市委办公室，市政府办公室。", style="版记")
    printed = word.add_paragraph("宜宾市政务服务管理局\t2024年4月30日印发", style="印发机关和日期")
    run_one("版记线", word)
    first, last = (p._p.pPr.find(qn("w:pBdr")) for p in (copy_to, printed))
    assert first.find(qn("w:top")).get(qn("w:sz")) == str(IMPRINT_THICK)
    assert last.find(qn("w:top")).get(qn("w:sz")) == str(IMPRINT_THIN)
    assert last.find(qn("w:bottom")).get(qn("w:sz")) == str(IMPRINT_THICK)
    assert child_tags(last) == ["top", "bottom"]


def test_a_printed_line_too_long_puts_the_date_on_the_next_line(template):
    word = blank(template)
    short = word.add_paragraph("宜宾市政务服务管理局\t2024年4月30日印发", style="印发机关和日期")
    long = word.add_paragraph("宜宾市人民政府办公室政务服务和公共资源交易管理局\t2024年4月30日印发", style="印发机关和日期")
    run_one("印发机关和日期", word)
    assert short._p.find(f"{qn('w:r')}/{qn('w:br')}") is None
    run = long._p.find(qn("w:r"))
    assert child_tags(run)[-3:] == ["br", "tab", "t"]


def wide_annex() -> AnnexTable:
    header = [f"第{n}项指标得分情况" for n in range(14)]
    return AnnexTable(1, "评价情况", header, [["100.00"] * 14])


def test_a_wide_annex_goes_on_a_landscape_section(template):
    word = blank(template)
    word.add_paragraph("正文", style=BODY_STYLE)
    word.add_paragraph("附件", style="附件标签")
    context = run_one("横排附件", word, compose_document(annexes=[wide_annex()]))
    assert context.landscape == [True]
    sections = word.element.body.findall(f".//{qn('w:sectPr')}")
    assert [s.find(qn("w:pgSz")).get(qn("w:orient")) for s in sections] == [None, "landscape"]
    assert context.portrait.find(qn("w:pgSz")).get(qn("w:orient")) is None  # the upright one kept


def test_a_table_note_keeps_the_last_row_with_it(template):
    word = blank(template)
    table = word.add_table(rows=3, cols=2)
    word.add_paragraph("注：满意率为好评数占评价总数的比例。", style="表注")
    run_one("表注随表", word)
    assert all(p.keepNext is not None for p in table._tbl.tr_lst[-1].iter(qn("w:pPr")))
    assert table._tbl.tr_lst[0].find(f".//{qn('w:keepNext')}") is None


def test_the_imprint_goes_on_an_even_page_of_its_own_bottom_aligned(template):
    word = blank(template)
    word.add_paragraph("特此通报。", style=BODY_STYLE)
    word.add_paragraph("抄送：市委办公室。", style="版记")
    word.add_paragraph("宜宾市政务服务管理局\t2024年4月30日印发", style="印发机关和日期")
    context = RenderContext(word, compose_document(), ISSUED)
    PASSES["横排附件"].run(context)  # keeps the upright section the 版记 goes on
    PASSES["版记位置和页数"].run(context)
    assert context.pages == 2
    final = word.element.body.find(qn("w:sectPr"))
    assert final.find(qn("w:vAlign")).get(qn("w:val")) == "bottom"
    tags = child_tags(final)
    assert tags.index("vAlign") < tags.index("docGrid")  # put at its schema place when added


def test_a_justified_line_before_a_long_address_is_set_flush_left(template):
    word = blank(template)
    contact = word.add_paragraph(CONTACT, style=BODY_STYLE)
    plain = word.add_paragraph("请各地各部门主要领导高度重视。", style=BODY_STYLE)
    run_one("避免拉伸", word)
    assert contact.paragraph_format.alignment == 0  # LEFT
    assert plain.paragraph_format.alignment is None  # justified by its style


def test_document_properties_carry_the_issue_date_and_office(template):
    word = blank(template)
    run_one("文档属性", word)
    props = word.core_properties
    assert (props.title, props.author, props.revision) == ("关于政务服务情况的通报", "宜宾市政务服务管理局", 1)
    assert props.created.date() == props.modified.date() == ISSUED and props.created.hour == 0


def saved(word) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    word.save(buffer)
    return zipfile.ZipFile(buffer)


def test_the_package_states_the_page_count_and_office(template):
    word = blank(template)
    context = RenderContext(word, compose_document(), ISSUED, pages=3)
    PASSES["清理文件包"].run(context)
    app = parse_xml(saved(word).read("docProps/app.xml"))
    ns = {"ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"}
    assert app.xpath("string(ep:Pages)", namespaces=ns) == "3"
    assert app.xpath("string(ep:Company)", namespaces=ns) == "宜宾市政务服务管理局"


def test_the_parts_record_travels_inside_the_file(template):
    word = blank(template)
    run_one("公文要素记录", word, compose_document(parts=DocumentParts(imprint=False, declared=True)))
    custom = saved(word).read("docProps/custom.xml").decode("utf-8")
    assert 'name="公文要素：版记"><vt:bool>false</vt:bool>' in custom
    assert 'name="公文要素：版头"><vt:bool>true</vt:bool>' in custom


def test_every_pass_is_registered_in_its_order():
    names = [p.name for p in in_order()]
    assert names == ["版头和版记", "附件名单", "附件表格", "标题分行", "小标题样式", "署名位置", "署名不单独成页",
                     "附件说明缩进", "版记线", "印发机关和日期", "横排附件", "表注随表", "版记位置和页数", "避免拉伸",
                     "文档属性", "清理文件包", "公文要素记录"]
    assert {PASSES.modules[name] for name in names} == {module.__name__ for module in PASS_MODULES}
    orders = [p.order for p in in_order()]
    assert orders == sorted(orders) and len(set(orders)) == len(orders)


def _from(module: str, function):
    function.__module__ = module
    return function


def test_passes_run_by_order_not_by_registration():
    passes, ran = Extensions("排版步骤"), []
    render_pass("后", 20, passes)(lambda context: ran.append(("后", context)))
    render_pass("先", 10, passes)(lambda context: ran.append(("先", context)))
    run_passes("上下文", passes)
    assert ran == [("先", "上下文"), ("后", "上下文")]


def test_a_pass_name_taken_twice_is_refused_naming_both_modules():
    passes = Extensions("排版步骤")
    render_pass("版记线", 10, passes)(_from("pipeline.render.imprint", lambda context: None))
    with pytest.raises(DuplicateExtension) as refused:
        render_pass("版记线", 20, passes)(_from("pipeline.render.other", lambda context: None))
    assert "排版步骤“版记线”重复登记" in str(refused.value)
    assert "pipeline.render.imprint" in str(refused.value) and "pipeline.render.other" in str(refused.value)


def test_an_order_taken_twice_is_refused_naming_both_modules():
    passes = Extensions("排版步骤")
    render_pass("版记线", 10, passes)(_from("pipeline.render.imprint", lambda context: None))
    with pytest.raises(DuplicateExtension) as refused:
        render_pass("署名位置", 10, passes)(_from("pipeline.render.other", lambda context: None))
    message = str(refused.value)
    assert "次序 10" in message and "版记线" in message
    assert "pipeline.render.imprint" in message and "pipeline.render.other" in message


def test_a_child_goes_to_its_schema_place_whatever_was_there_first():
    ppr = parse_xml('<w:pPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                    '<w:keepNext/><w:jc w:val="center"/><w:rPr/></w:pPr>')
    for tag in ("w:ind", "w:pStyle", "w:outlineLvl", "w:spacing", "w:pBdr"):
        ooxml.child(ppr, tag)
    assert child_tags(ppr) == ["pStyle", "keepNext", "pBdr", "spacing", "ind", "jc", "outlineLvl", "rPr"]
    assert ooxml.child(ppr, "w:ind") is ppr.find(qn("w:ind"))  # found, not added twice


def _in_schema_order(element) -> bool:
    ranks = ooxml.SCHEMA_ORDER[f"w:{element.tag.split('}')[1]}"].split()
    tags = child_tags(element)
    return [ranks.index(t) for t in tags] == sorted(ranks.index(t) for t in tags)


def test_python_docx_and_the_declared_order_agree_on_children_added_in_turn(template):
    word = blank(template)
    paragraph = word.add_paragraph("正文", style=BODY_STYLE)
    ppr, fmt = paragraph._p.get_or_add_pPr(), paragraph.paragraph_format
    ooxml.set_hanging_twips(ppr, 640, 320)  # ours
    fmt.keep_with_next = True  # python-docx's
    ooxml.set_border(ppr, "top", IMPRINT_THIN)
    fmt.alignment = 0
    ooxml.set_snap_to_grid(ppr, False)
    fmt.space_before = 0
    rpr = paragraph.runs[0]._r.get_or_add_rPr()
    ooxml.set_size(rpr, 16)
    paragraph.runs[0].bold = True
    ooxml.set_fonts(rpr, "仿宋_GB2312")
    assert child_tags(ppr) == ["pStyle", "keepNext", "pBdr", "snapToGrid", "spacing", "ind", "jc"]
    assert _in_schema_order(ppr) and _in_schema_order(rpr)
