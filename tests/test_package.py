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
from pipeline.build import build_bulletin
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
