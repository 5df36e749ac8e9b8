"""The .docx package of every built bulletin: openxml-audit (Open XML SDK schema and semantic
rules, ISO/IEC 29500 schemas, Word's observed repair behaviour) finds nothing, and the parts
Word reads besides the text are clean."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from openxml_audit import OpenXmlValidator

from .bulletin_files import sample_docx
from .conftest import FIXTURE_INPUTS, INPUTS, TEMPLATES
from pipeline.run.build import build_bulletin
from pipeline.check import check_document


def _built(period: str, inputs) -> bytes:
    return build_bulletin(period, inputs, TEMPLATES).docx


BUILDS = {
    "2024Q1": lambda: sample_docx(),
    "2023Q2": lambda: _built("2023Q2", INPUTS),
    "fixture": lambda: _built("2024Q1", FIXTURE_INPUTS),
}


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_openxml_audit_finds_nothing(name, tmp_path):
    path = tmp_path / f"{name}.docx"
    path.write_bytes(BUILDS[name]())
    result = OpenXmlValidator(max_errors=0).validate(path)
    assert [str(e) for e in result.errors] == []


@pytest.mark.parametrize("name", sorted(BUILDS))
def test_extended_checker_finds_nothing(name):
    assert [str(f) for f in check_document(Document(io.BytesIO(BUILDS[name]())))] == []


def test_package_holds_no_stale_parts_and_tells_the_truth():
    with zipfile.ZipFile(io.BytesIO(sample_docx())) as package:
        names = set(package.namelist())
        assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
        app = package.read("docProps/app.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
        fonts = package.read("word/fontTable.xml").decode("utf-8")
    assert "<Application>bulletin-pipeline</Application>" in app and "Macintosh" not in app
    assert 'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"' in settings
    assert 'w:eastAsia="zh-CN"' in settings and "ja-JP" not in settings
    for face, fallback in (("仿宋_GB2312", "仿宋"), ("楷体_GB2312", "楷体"), ("方正小标宋简体", "宋体")):
        assert f'<w:font w:name="{face}"><w:altName w:val="{fallback}"/>' in fonts


def test_template_package_is_clean_too(tmp_path):
    result = OpenXmlValidator(max_errors=0).validate(TEMPLATES / "assessment" / "bulletin.docx")
    assert [str(e) for e in result.errors] == []


def test_the_audit_reads_the_schemas(tmp_path):
    """The audit is not silent by construction: an element and a value ISO/IEC 29500 does not
    allow, planted in a built bulletin, are both reported by the schema layer."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(sample_docx())) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b'<w:tblLayout w:type="fixed"/>', b'<w:tblLayout w:type="fixed"/><w:bogus/>', 1)
                data = data.replace(b'<w:jc w:val="center"/>', b'<w:jc w:val="middle"/>', 1)
            target.writestr(info, data)
    path = tmp_path / "planted.docx"
    path.write_bytes(out.getvalue())
    errors = [str(e) for e in OpenXmlValidator(max_errors=0).validate(path).errors]
    assert any("[schema]" in e and "bogus" in e for e in errors)
    assert any("[schema]" in e and "middle" in e for e in errors)
