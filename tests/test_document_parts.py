"""The parts of a 公文 a kind or a period declares under ``document:`` — the red 版头, 发文字号 and
签发人, 主送机关, 署名, 版记 — printed as GB/T 9704 places them, recorded in the .docx, and the
format checker asking for what the file declares: no more, and no less."""

from __future__ import annotations

import shutil
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from openxml_audit import OpenXmlValidator

from pipeline.check import check_document, check_file
from pipeline.standard.parts_record import read_parts

from .conftest import INPUTS, TEMPLATES, change_bulletin, run, run_cli

PERIOD = "2024Q1"


def build(inputs, outputs, document: dict | None = None):
    """The fixture period built with ``document:`` in its bulletin.yaml: the .docx's path."""
    if document is not None:
        change_bulletin(inputs, {"document": document})
    result = run("build", PERIOD, inputs, outputs)
    assert result.exit_code == 0, result.output
    (path,) = (outputs / PERIOD).glob("*.docx")
    return path


def styles_of(document) -> list[str]:
    return [p.style.name for p in document.paragraphs]


def rule_ids(document) -> set[str]:
    return {f.rule.id for f in check_document(document)}


def saved(document, path):
    document.save(str(path))
    return Document(str(path))


def drop(document, *styles: str):
    for paragraph in [p for p in document.paragraphs if p.style.name in styles]:
        paragraph._p.getparent().remove(paragraph._p)
    return document


def without_record(document):
    rels = document.part.package.rels
    for rid in [rid for rid, rel in rels.items() if rel.reltype == RT.CUSTOM_PROPERTIES]:
        del rels[rid]
    return document


def test_a_bulletin_without_document_record_is_as_before(tmp_path):
    """No ``document:`` declared: no record in the file (the samples keep their bytes)."""
    result = run("build", PERIOD, INPUTS, tmp_path / "out")
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "out" / PERIOD).glob("*.docx")
    assert "docProps/custom.xml" not in zipfile.ZipFile(path).namelist()
    assert read_parts(Document(str(path))) is None


def test_red_header_off_opens_the_page_with_the_title(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"red_header": False})
    document = Document(str(path))
    assert styles_of(document)[0] == "公文标题"
    assert "发文机关标志" not in styles_of(document)
    assert read_parts(document)["red_header"] is False
    assert [str(f) for f in check_file(path)] == []
    # the same file declaring a 版头 it does not have is refused
    record = document.part.package.part_related_by(RT.CUSTOM_PROPERTIES)
    record._blob = record.blob.replace(b"<vt:bool>false</vt:bool>", b"<vt:bool>true</vt:bool>", 1)
    assert "GB-PART-01" in rule_ids(saved(document, tmp_path / "declared.docx"))


def test_doc_number_stands_two_lines_under_the_letterhead_with_the_red_rule(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"doc_number": "测放管服办〔{{ period.year }}〕3号"})
    document = Document(str(path))
    assert styles_of(document)[:6] == ["发文机关标志", "公文正文", "公文正文", "发文字号", "公文正文", "公文正文"]
    number = document.paragraphs[3]
    assert number.text == "测放管服办〔2024〕3号"
    assert number.alignment is None and document.styles["发文字号"].paragraph_format.alignment == 1  # centred by its style
    assert [str(e) for e in OpenXmlValidator(max_errors=0).validate(path).errors] == []
    bottom = number._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert bottom is not None and bottom.get(qn("w:color")) == "FF0000"
    assert document.paragraphs[0]._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is None  # the rule moved under the number
    assert [str(f) for f in check_file(path)] == []
    moved = Document(str(path))
    moved.paragraphs[1]._p.getparent().remove(moved.paragraphs[1]._p)  # only one line above it
    assert "GB-NUM-02" in rule_ids(saved(moved, tmp_path / "moved.docx"))
    assert "GB-PART-01" in rule_ids(saved(drop(Document(str(path)), "发文字号"), tmp_path / "dropped.docx"))


def test_signer_shares_the_number_line_number_left_signer_right(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"doc_number": "测放管服办〔2024〕3号", "signer": "张三"})
    document = Document(str(path))
    line = document.paragraphs[3]
    assert line.style.name == "发文字号和签发人"
    assert line.text == "\t测放管服办〔2024〕3号\t签发人：张三"
    stops = [(t.get(qn("w:val")), int(t.get(qn("w:pos")))) for t in line._p.iter(qn("w:tab")) if t.getparent().tag == qn("w:tabs")]
    assert stops == [("left", 320), ("right", 8844 - 320)]  # 左空一字, 右空一字 of 3号
    name = line.runs[-1]
    assert name.text == "张三" and name._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "楷体_GB2312"
    assert [str(f) for f in check_file(path)] == []
    assert [str(e) for e in OpenXmlValidator(max_errors=0).validate(path).errors] == []  # the record and tab stops too
    line.runs[-1]._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").set(qn("w:eastAsia"), "仿宋_GB2312")
    assert "GB-NUM-01" in rule_ids(saved(document, tmp_path / "fangsong.docx"))


def test_no_imprint_declared_none_demanded_but_demanded_when_declared(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"imprint": False})
    document = Document(str(path))
    assert not {"版记", "印发机关和日期"} & set(styles_of(document))
    assert [str(f) for f in check_file(path)] == []
    assert "GB-IMPR-01" in rule_ids(saved(without_record(Document(str(path))), tmp_path / "bare.docx"))  # a full 公文
    full = build(inputs, tmp_path / "full", {"imprint": True})
    assert read_parts(Document(str(full)))["imprint"] is True
    assert "GB-IMPR-01" in rule_ids(saved(drop(Document(str(full)), "版记", "印发机关和日期"), tmp_path / "cut.docx"))


def test_no_signature_declared_none_demanded_but_demanded_when_declared(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"signature": False})
    document = Document(str(path))
    assert "发文机关署名" not in styles_of(document) and "成文日期" in styles_of(document)
    assert [str(f) for f in check_file(path)] == []
    assert "GB-SIGN-01" in rule_ids(saved(without_record(Document(str(path))), tmp_path / "bare.docx"))
    full = build(inputs, tmp_path / "full", {"signature": True})
    assert "GB-SIGN-01" in rule_ids(saved(drop(Document(str(full)), "发文机关署名"), tmp_path / "cut.docx"))


def test_no_recipients_declared_none_demanded_but_demanded_when_declared(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"recipients": False})
    assert "主送机关" not in styles_of(Document(str(path)))
    assert [str(f) for f in check_file(path)] == []
    full = build(inputs, tmp_path / "full", {"recipients": True})
    assert "主送机关" in styles_of(Document(str(full)))
    assert "GB-PART-01" in rule_ids(saved(drop(Document(str(full)), "主送机关"), tmp_path / "cut.docx"))


def test_the_kind_declares_and_the_period_overrides(inputs, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    kind = templates / "assessment" / "kind.yaml"
    kind.write_text(kind.read_text(encoding="utf-8") + "\ndocument: {imprint: false, red_header: false}\n", encoding="utf-8")
    change_bulletin(inputs, {"document": {"red_header": True}})
    args = ["build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(templates), "--outputs", str(tmp_path / "out")]
    assert run_cli(*args).exit_code == 0
    (path,) = (tmp_path / "out" / PERIOD).glob("*.docx")
    record = read_parts(Document(str(path)))
    assert record["red_header"] is True and record["imprint"] is False


def test_characters_xml_cannot_hold_are_dropped_from_the_number_line(inputs, tmp_path):
    path = build(inputs, tmp_path / "out", {"doc_number": "测〔2024〕\x083号", "signer": "张\x0c三"})
    assert Document(str(path)).paragraphs[3].text == "\t测〔2024〕3号\t签发人：张三"


def test_the_same_declaration_gives_the_same_bytes(inputs, tmp_path):
    declared = {"doc_number": "测放管服办〔2024〕3号", "signer": "张三", "imprint": False}
    first = build(inputs, tmp_path / "a", declared).read_bytes()
    assert build(inputs, tmp_path / "b").read_bytes() == first


@pytest.mark.parametrize("document, words", [
    ({"red_header": "no"}, "document.red_header：应为是/否"),
    ({"imprint": 1}, "document.imprint：应为是/否"),
    ({"recipients": "全部"}, "document.recipients：应为是/否"),
    ({"signature": None, "signer": ["张三"]}, "document.signer：应为文字"),
    ({"imprnt": False}, "是否为“imprint”？"),
    ({"signer": "张三"}, "document.signer：签发人与发文字号排在同一行"),
    ({"red_header": False, "doc_number": "测〔2024〕1号"}, "document.doc_number：发文字号排在版头中"),
    ({"doc_number": "测〔{{ period.year 〕1号"}, "document.doc_number："),
])
def test_bad_document_declaration_is_refused_at_its_line(inputs, tmp_path, document, words):
    change_bulletin(inputs, {"document": document})
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert f"{PERIOD}/bulletin.yaml，第" in result.output and words in result.output, result.output
    assert not (tmp_path / "out" / PERIOD).exists()
