"""Every document starts from its Word template parsed once, sharing the template's styles part
(word/package_parts.py): no build of any bundled kind or fixture period — bulletins, notices, a
document that adds an optional style, the merge of a clerk's edits — changes a shared part, and
no part's content changes after its bytes are taken for the digest and the zip, and the digest a
file carries is the digest of its bytes as written."""

from __future__ import annotations

import io
import struct
import zlib
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import parse_xml, serialize_part_xml
from docx.oxml.ns import qn

from pipeline.merge.baseline import baseline_in_file, file_digest
from pipeline.render import docx_writer
from pipeline.standard.package import faces_used
from pipeline.render.template_builder import ensure_paragraph_style
from pipeline.word import package_parts

from .bulletin_files import copy_inputs
from .conftest import FIXTURE_INPUTS, FIXTURES, INPUTS, TEMPLATES, change_bulletin, run, run_cli
from .editing import paragraph_with, replace_text, set_score

SEALED_CHANGES: list[str] = []


@pytest.fixture
def sealed_parts_watched(monkeypatch):
    """Every rendered document checked, once written, for a part changed after its bytes were taken."""
    unseal = docx_writer.unseal

    def checked(document):
        SEALED_CHANGES.extend(package_parts.changed_since_sealed(document))
        unseal(document)

    SEALED_CHANGES.clear()
    monkeypatch.setattr(docx_writer, "unseal", checked)
    yield SEALED_CHANGES


def _built(period: str, inputs, outputs):
    result = run("build", period, inputs, outputs)
    assert result.exit_code == 0, result.output
    return sorted((outputs / period).rglob("*.docx"))


def _styles_names(path) -> set[str]:
    return {style.name for style in Document(str(path)).styles}


def _template_styles(kind: str) -> bytes:
    """styles.xml of the kind's template file, as python-docx writes it after parsing it."""
    with zipfile.ZipFile(TEMPLATES / kind / "bulletin.docx") as package:
        return serialize_part_xml(parse_xml(package.read("word/styles.xml")))


def test_builds_of_every_kind_change_no_shared_part_and_no_part_after_its_bytes_are_taken(tmp_path, sealed_parts_watched):
    built = []
    for period, inputs in (("2023Q2", INPUTS), ("2024Q1", INPUTS), ("2024", FIXTURE_INPUTS),
                           ("2024-04", FIXTURES / "hotline"), ("2024-05", FIXTURES / "hotline")):
        built += _built(period, inputs, tmp_path / period)
    assert len(built) > 10  # the bulletins and their notices
    numbered = copy_inputs(tmp_path / "numbered")  # a document that adds the 发文字号 styles
    change_bulletin(numbered, {"document": {"doc_number": "测放管服办〔2024〕3号", "signer": "张三"}})
    (with_number,) = [p for p in _built("2024Q1", numbered, tmp_path / "numbered-out") if "发文字号和签发人" in _styles_names(p)]
    assert package_parts.shared_parts_changed() == []
    assert sealed_parts_watched == []
    for path in built + [with_number]:  # the digest each file carries is of the bytes written
        data = path.read_bytes()
        assert baseline_in_file(data).pristine == file_digest(data)
    for kind in ("annual", "assessment", "haochaping", "hotline"):
        template = docx_writer._parsed((TEMPLATES / kind / "bulletin.docx").read_bytes())
        styles = template.part.part_related_by(RT.STYLES)
        assert package_parts.is_shared(styles)
        assert package_parts.part_bytes(styles) == styles.blob == _template_styles(kind)


def test_a_style_one_document_adds_is_its_own_and_the_next_document_shares_the_templates(tmp_path):
    inputs = copy_inputs(tmp_path)
    change_bulletin(inputs, {"document": {"doc_number": "测放管服办〔2024〕3号"}})
    numbered = _built("2024Q1", inputs, tmp_path / "one")
    change_bulletin(inputs, {"document": {"doc_number": None}})
    plain = _built("2024Q1", inputs, tmp_path / "two")
    assert any("发文字号" in _styles_names(p) for p in numbered)
    assert not any("发文字号" in _styles_names(p) for p in plain)
    for path in plain:  # the bulletin and its notices: the template's styles, byte for byte
        with zipfile.ZipFile(path) as package:
            assert package.read("word/styles.xml") == _template_styles("assessment")


def test_a_merged_clerk_edit_changes_no_shared_part(workspace, sealed_parts_watched):
    path = workspace.edit(lambda doc: replace_text(paragraph_with(doc, "现将有关情况通报如下"),
                                                   "现将有关情况通报如下", "现将考核情况通报如下"))
    set_score(workspace.input("市直部门考核得分.xlsx"), "发改局", "一窗办改革", 20)
    assert "修改稿已另存为" in workspace.build().output  # the clerk's edits merged into the new build
    assert any("现将考核情况通报如下" in p.text for p in Document(str(path)).paragraphs)
    assert package_parts.shared_parts_changed() == []
    assert sealed_parts_watched == []


def test_two_documents_started_from_one_template_are_independent():
    template = docx_writer._parsed((TEMPLATES / "assessment" / "bulletin.docx").read_bytes())
    first, second = package_parts.started_from(template), package_parts.started_from(template)
    first.add_paragraph("只在第一份")
    first.settings.odd_and_even_pages_header_footer = False
    first.core_properties.title = "第一份"
    assert "只在第一份" not in [p.text for p in second.paragraphs]
    assert second.settings.odd_and_even_pages_header_footer and second.core_properties.title != "第一份"
    assert first.styles.element is second.styles.element  # shared until a style is added
    package_parts.own_styles(first)
    first.styles.add_style("只在第一份的样式", 1)
    assert "只在第一份的样式" not in {s.name for s in second.styles}
    assert package_parts.shared_parts_changed() == []
    out = io.BytesIO()
    first.save(out)
    assert Document(io.BytesIO(out.getvalue())).paragraphs[-1].text == "只在第一份"


def test_an_optional_style_is_added_once_to_shared_styles_as_to_a_document_opened_alone():
    path = TEMPLATES / "assessment" / "bulletin.docx"
    template = docx_writer._parsed(path.read_bytes())
    first, second, plain = (package_parts.started_from(template) for _ in range(3))
    for document in (first, second):
        ensure_paragraph_style(document, "发文字号")
    alone = Document(str(path))  # opened from the file: nothing shared
    ensure_paragraph_style(alone, "发文字号")
    assert first.styles.element is second.styles.element is not plain.styles.element
    assert "发文字号" in {s.name for s in first.styles} and "发文字号" not in {s.name for s in plain.styles}
    styles = first.part.part_related_by(RT.STYLES)
    assert package_parts.part_bytes(styles) == alone.part.part_related_by(RT.STYLES).blob
    ensure_paragraph_style(first, "附件名单")  # a second change, on the shared changed styles
    assert "附件名单" not in {s.name for s in second.styles}
    assert package_parts.shared_parts_changed() == []


def test_the_faces_a_document_names_are_those_it_names_when_opened_alone():
    template = docx_writer._parsed((TEMPLATES / "hotline" / "bulletin.docx").read_bytes())
    faces = []
    for face in ("测试字体甲", "测试字体乙"):
        document = package_parts.started_from(template)
        run = document.add_paragraph().add_run("字")
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)
        out = io.BytesIO()
        document.save(out)
        faces.append(faces_used(document))
        assert faces[-1] == faces_used(Document(io.BytesIO(out.getvalue())))
    assert faces[0][-1] == "测试字体甲" and faces[1][-1] == "测试字体乙" and faces[0][:-1] == faces[1][:-1]


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)  # 2 × 2 pixels, RGB
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress((b"\0" + b"\xff" * 6) * 2)) + chunk(b"IEND", b"")


def test_a_template_with_a_picture_and_a_link_gives_documents_their_own_parts_with_them(tmp_path):
    source = Document(str(TEMPLATES / "assessment" / "bulletin.docx"))
    source.add_picture(io.BytesIO(_png()))
    source.part.relate_to("https://www.gov.cn/", RT.HYPERLINK, is_external=True)
    data = io.BytesIO()
    source.save(data)
    template = docx_writer._parsed(data.getvalue())
    document = package_parts.started_from(template)
    assert len(document.part.package.image_parts) == 1  # gathered as opening the file gathers them
    document.add_picture(io.BytesIO(_png()))  # the same picture: the same part
    assert len(document.part.package.image_parts) == 1
    assert "https://www.gov.cn/" in [r.target_ref for r in document.part.rels.values() if r.is_external]
    out = io.BytesIO()
    document.save(out)
    again = Document(io.BytesIO(out.getvalue()))
    assert len(again.inline_shapes) == 2 and len(template.inline_shapes) == 1
