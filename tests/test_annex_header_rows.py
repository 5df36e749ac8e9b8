"""A two-row annex header where the kind groups columns: the group label spans its columns
above their titles, other titles stand through both rows; the bulletin still passes the
checker and the audit, verifies against its data and rebuilds."""

from __future__ import annotations

import shutil

import pytest
import yaml
from docx import Document
from openxml_audit import OpenXmlValidator

from .bulletin_files import copy_inputs
from .conftest import TEMPLATES, run, run_cli
from .editing import row_of, set_cell
from pipeline.check import check_file

GROUPS = {"应投票次数": "票次", "实际票次数": "票次", "满意": "评价", "基本满意": "评价", "不满意": "评价",
          "未开展评价": "评价", "投票率": "比率", "满意率": "比率", "基本满意率": "比率", "不满意率": "比率"}


@pytest.fixture
def grouped(tmp_path):
    """inputs/ whose 2023Q2 bulletin.yaml declares the annex with its columns grouped."""
    inputs = copy_inputs(tmp_path)
    kind = yaml.safe_load((TEMPLATES / "haochaping" / "kind.yaml").read_text(encoding="utf-8"))
    annex = kind["annexes"][0]
    for column in annex["columns"]:
        if column["header"] in GROUPS:
            column["group"] = GROUPS[column["header"]]
    path = inputs / "2023Q2" / "bulletin.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["annexes"] = [annex]
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return inputs


def _built(inputs, outputs):
    result = run("build", "2023Q2", inputs, outputs)
    assert result.exit_code == 0, result.output
    (path,) = [p for p in (outputs / "2023Q2").glob("*.docx") if "修改稿" not in p.name]
    return path


def test_group_row_spans_its_columns_and_the_rest_stand_through_both_rows(grouped, tmp_path):
    path = _built(grouped, tmp_path / "out")
    table = Document(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells][:4] == ["序号", "单位", "票次", "票次"]
    assert [c.text for c in table.rows[1].cells][:4] == ["序号", "单位", "应投票次数", "实际票次数"]  # merged down
    assert len(table.rows[0]._tr.tc_lst) == 5  # 序号, 单位, 票次, 评价, 比率
    assert all(row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader")
               is not None for row in table.rows[:2])  # both rows repeat on every page
    assert [str(f) for f in check_file(path)] == []
    assert [str(e) for e in OpenXmlValidator(max_errors=0).validate(path).errors] == []


def test_a_grouped_table_verifies_and_its_changed_figure_is_found(grouped, tmp_path):
    path = _built(grouped, tmp_path / "out")
    args = ["--period", "2023Q2", "--inputs", str(grouped), "--templates", str(TEMPLATES)]
    assert run_cli("verify", str(path), *args).exit_code == 0
    edited = tmp_path / "edited.docx"
    document = Document(str(path))
    set_cell(row_of(document.tables[0], "公安局").cells[2], "298")
    document.save(str(edited))
    result = run_cli("verify", str(edited), *args)
    assert result.exit_code != 0 and "公安局" in result.output and "298" in result.output


def test_an_unedited_grouped_bulletin_rebuilds_in_place(grouped, tmp_path):
    outputs = tmp_path / "out"
    first = _built(grouped, outputs).read_bytes()
    shutil.rmtree(outputs / "2023Q2" / "preview", ignore_errors=True)
    assert _built(grouped, outputs).read_bytes() == first
    assert not list((outputs / "2023Q2").glob("*_修改稿_*.docx"))
