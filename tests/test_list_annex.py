"""An annex that is a plain list of names (``type: list``): 附件 label, title, and one name a
line in 3号仿宋, from a figure's rows; checked, audited, verified and rebuilt like a table annex."""

from __future__ import annotations

import pytest
import yaml
from docx import Document
from docx.shared import Pt
from openxml_audit import OpenXmlValidator

from pipeline.check import check_file

from .bulletin_files import copy_inputs
from .conftest import TEMPLATES, change_bulletin, run, run_cli

PERIOD = "2023Q2"
STARS = {"type": "list", "title": "{{ period.year }}年第二季度服务明星名单", "rows": "stars", "value": "name"}


def with_annexes(inputs, *extra: dict):
    """The 2023Q2 bulletin with its table annex and ``extra`` annexes after it."""
    kind = yaml.safe_load((TEMPLATES / "haochaping" / "kind.yaml").read_text(encoding="utf-8"))
    path = inputs / PERIOD / "bulletin.yaml"
    settings = yaml.safe_load(path.read_text(encoding="utf-8"))
    settings["annexes"] = kind["annexes"] + list(extra)
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return inputs


def built(inputs, outputs):
    result = run("build", PERIOD, inputs, outputs)
    assert result.exit_code == 0, result.output
    (path,) = [p for p in (outputs / PERIOD).glob("*.docx") if "修改稿" not in p.name]
    return path


def after_label(document, label: str) -> list:
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.style.name == "附件标签" and p.text == label)
    return paragraphs[start:]


def test_a_numbered_list_annex_prints_one_name_a_line(tmp_path):
    inputs = with_annexes(copy_inputs(tmp_path), {**STARS, "numbered": True})
    path = built(inputs, tmp_path / "out")
    document = Document(str(path))
    page = after_label(document, "附件2")
    assert [p.style.name for p in page[:6]] == ["附件标签", "附件标题", "公文正文", "附件名单", "附件名单", "附件名单"]
    assert page[1].text.replace("\n", "") == "2023年第二季度服务明星名单"
    assert [p.text for p in page[3:6]] == ["1．张勤奋", "2．孙花", "3．杨洁"]
    assert len(document.tables) == 1  # the list has no table
    notes = [p.text for p in document.paragraphs if p.style.name.startswith("附件说明")]
    assert notes[-1] == "2．2023年第二季度服务明星名单"
    assert [str(f) for f in check_file(path)] == []
    assert [str(e) for e in OpenXmlValidator(max_errors=0).validate(path).errors] == []


def test_an_unnumbered_list_of_units_verifies_and_rebuilds_in_place(tmp_path):
    inputs = with_annexes(copy_inputs(tmp_path), {**STARS, "value": "unit", "title": "服务明星所在单位"})
    outputs = tmp_path / "out"
    path = built(inputs, outputs)
    page = after_label(Document(str(path)), "附件2")
    assert [p.text for p in page[3:6]] == ["自然资源局（不动产中心）", "住房公积金中心", "交通局"]  # the registry's short names
    args = ["--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES)]
    assert run_cli("verify", str(path), *args).exit_code == 0
    first = path.read_bytes()
    assert built(inputs, outputs).read_bytes() == first
    assert not list((outputs / PERIOD).glob("*_修改稿_*.docx"))


def test_a_list_line_in_another_face_is_found(tmp_path):
    inputs = with_annexes(copy_inputs(tmp_path), STARS)
    path = built(inputs, tmp_path / "out")
    document = Document(str(path))
    line = next(p for p in document.paragraphs if p.style.name == "附件名单")
    line.runs[0].font.size = Pt(14)
    document.save(str(tmp_path / "edited.docx"))
    assert {f.rule.id for f in check_file(tmp_path / "edited.docx")} == {"GB-ANNEX-05"}


@pytest.mark.parametrize("annex, words", [
    ({"type": "list", "title": "名单"}, "缺少必填项 rows"),
    ({**STARS, "numbered": "yes"}, "numbered：应为是/否"),
    ({**STARS, "nmbered": True}, "是否为“numbered”？"),
    ({**STARS, "rows": "stars["}, "rows："),
    ({**STARS, "value": ["name"]}, "value：应为文字"),
])
def test_bad_list_annex_is_refused_at_its_line(tmp_path, annex, words):
    inputs = with_annexes(copy_inputs(tmp_path), annex)
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{PERIOD}/bulletin.yaml，第" in result.output and words in result.output, result.output
    assert not (tmp_path / "out" / PERIOD).exists()


def test_a_list_without_value_prints_the_units_of_rows_that_have_no_name(tmp_path):
    inputs = with_annexes(copy_inputs(tmp_path), {"type": "list", "title": "服务明星所在单位", "rows": "明星单位"})
    change_bulletin(inputs, {"figures": {"明星单位": {"from": "stars", "group_by": "unit", "measures": {"人数": "count()"}}}},
                    PERIOD)
    page = after_label(Document(str(built(inputs, tmp_path / "out"))), "附件2")
    names = [p.text for p in page if p.style.name == "附件名单"]
    assert names and "自然资源局（不动产中心）" in names and len(names) == len(set(names))


@pytest.mark.parametrize("annex", [
    {**STARS, "value": "姓名"},
    {"type": "table", "title": "服务明星表", "rows": "stars", "columns": [{"header": "姓名", "value": "姓名"}]},
])
def test_an_annex_field_the_rows_lack_is_refused_at_its_rows_line(tmp_path, annex):
    inputs = with_annexes(copy_inputs(tmp_path), annex)
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output and "程序内部错误" not in result.output
    assert f"{PERIOD}/bulletin.yaml，第" in result.output, result.output
    assert "“stars”的各行没有“姓名”" in result.output and "可用：" in result.output and "name" in result.output
    assert not (tmp_path / "out" / PERIOD).exists()
