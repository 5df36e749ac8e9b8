"""The bulletin saved by LibreOffice (a real ``soffice --headless --convert-to docx``) still merges."""

from __future__ import annotations

import shutil

import pytest

from .editing import (
    add_overdue_case,
    column_of,
    delete,
    libreoffice_round_trip,
    open_docx,
    paragraph_with,
    replace_text,
    row_of,
    set_score,
    texts,
)
from .conftest import change_bulletin, run
from pipeline.check import check_document
from pipeline.merge.baseline import read_baseline
from pipeline.standard.parts_record import read_parts

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")


def test_libreoffice_saved_bulletin_keeps_its_baseline_and_merges(workspace, tmp_path):
    workspace.build()
    built_baseline = read_baseline(open_docx(workspace.docx))
    saved = libreoffice_round_trip(workspace.docx, tmp_path / "lo")
    assert read_baseline(open_docx(saved)).blocks == built_baseline.blocks

    doc = open_docx(saved)  # the clerk edits the LibreOffice file
    replace_text(paragraph_with(doc, "现将有关情况通报如下"), "现将有关情况通报如下", "现将考核情况通报如下")
    delete(paragraph_with(doc, "超时办件依然存在"))
    doc.save(saved)
    saved = libreoffice_round_trip(saved, tmp_path / "lo-again")  # and saves it in LibreOffice again
    set_score(workspace.input("市直部门考核得分.xlsx"), "发改局", "一窗办改革", 20)
    add_overdue_case(workspace.input("办件记录.xlsx"), "YC2024-0903", "人社局", "失业保险金申领")

    result = workspace.build("--merge", str(saved))

    merged = open_docx(workspace.docx)
    body = texts(merged)
    assert any("现将考核情况通报如下" in t for t in body)
    overdue = paragraph_with(merged, "超时办件依然存在")  # deleted, but its data changed: back
    assert "人社局出现1起超时办件" in overdue.text
    # LibreOffice renames style ids; the paragraph put back still wears the bulletin's styles
    assert overdue.style.name == "公文正文" and overdue.runs[0].style.name == "二级标题字符"
    annex = merged.tables[0]
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "85.26"
    assert "冲突" not in result.output  # the baseline was found: nothing taken for a conflict
    assert workspace.verify(workspace.docx).exit_code == 0


def test_libreoffice_saved_output_in_place_is_merged_and_kept(workspace, tmp_path):
    workspace.build()
    saved = libreoffice_round_trip(workspace.docx, tmp_path / "lo")
    shutil.copy(saved, workspace.docx)  # the clerk saved over the output with LibreOffice
    set_score(workspace.input("市直部门考核得分.xlsx"), "发改局", "一窗办改革", 20)

    workspace.build()

    (backup,) = workspace.backups()
    assert backup.read_bytes() == saved.read_bytes()
    annex = open_docx(workspace.docx).tables[0]
    assert row_of(annex, "发改局").cells[column_of(annex, "百分制得分")].text == "85.26"


def test_libreoffice_keeps_the_record_of_the_declared_parts(inputs, tmp_path):
    """A bulletin declaring no 版记, saved by LibreOffice: the record (written back as 1/0) still
    tells the checker not to ask for one."""
    change_bulletin(inputs, {"document": {"imprint": False}})
    assert run("build", "2024Q1", inputs, tmp_path / "out").exit_code == 0
    (built,) = (tmp_path / "out" / "2024Q1").glob("*.docx")
    saved = open_docx(libreoffice_round_trip(built, tmp_path / "lo"))
    assert read_parts(saved)["imprint"] is False and read_parts(saved)["signature"] is True
    assert "GB-IMPR-01" not in {f.rule.id for f in check_document(saved)}
