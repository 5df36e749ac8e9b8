"""One 整改通知 per unit with findings, built with the bulletin when the kind declares
``notices:`` (the assessment kind does): each lists only its own findings and evidence rows,
passes the format checker, and is the same bytes when built again."""

from __future__ import annotations

import csv
import io
import shutil

import pytest
import yaml
from docx import Document
from openxml_audit import OpenXmlValidator

from pipeline.check import check_file

from .conftest import INPUTS, TEMPLATES, change_bulletin, run, run_cli

PERIOD = "2024Q1"
FOLDER = "整改通知"


def build(inputs, outputs, period: str = PERIOD):
    result = run("build", period, inputs, outputs)
    assert result.exit_code == 0, result.output
    return outputs / period


def evidence_rows(path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def registry_full_names(inputs) -> dict[str, str]:
    registry = yaml.safe_load((inputs / "registries" / "测试市.yaml").read_text(encoding="utf-8"))
    return {u["short"]: u["name"] for units in registry["groups"].values() for u in units}


def test_one_notice_per_unit_with_findings_each_with_only_its_own(inputs, tmp_path):
    folder = build(inputs, tmp_path / "out")
    (bulletin_evidence,) = folder.glob("*_问题依据.csv")
    all_rows = evidence_rows(bulletin_evidence)
    units = {row["单位"] for row in all_rows}
    assert len(units) > 1
    notices = sorted((folder / FOLDER).glob("*.docx"))
    assert {p.stem for p in notices} == units  # one per unit with findings, named by its short name
    full_names = registry_full_names(inputs)
    notice_rows = []
    for path in notices:
        unit = path.stem
        rows = evidence_rows(path.with_name(f"{unit}_问题依据.csv"))
        assert rows and {row["单位"] for row in rows} == {unit}
        notice_rows += rows
        document = Document(str(path))
        text = "\n".join(p.text for p in document.paragraphs)
        assert next(p.text for p in document.paragraphs if p.style.name == "主送机关") == f"{full_names[unit]}："
        assert all(other not in text for other in units - {unit} if unit not in other)
        entries = [p.text for p in document.paragraphs if p.text.startswith("（")]
        assert len(entries) == len({row["问题标题"] for row in rows})
        assert [str(f) for f in check_file(path)] == []
        assert [str(e) for e in OpenXmlValidator(max_errors=0).validate(path).errors] == []
    drop_number = lambda row: tuple(v for k, v in row.items() if k != "问题序号")  # noqa: E731
    assert sorted(map(drop_number, notice_rows)) == sorted(map(drop_number, all_rows))


def test_notices_are_the_same_bytes_when_built_again(inputs, tmp_path):
    first = build(inputs, tmp_path / "a") / FOLDER
    second = build(inputs, tmp_path / "b") / FOLDER
    assert sorted(p.name for p in first.iterdir()) == sorted(p.name for p in second.iterdir())
    assert all((second / p.name).read_bytes() == p.read_bytes() for p in first.iterdir())
    result = run("build", PERIOD, inputs, tmp_path / "a")  # in place: nothing changes
    assert result.exit_code == 0 and f"未变化：{first / '教育局.docx'}" in result.output
    assert not list(first.glob("*_修改稿_*"))


def test_a_unit_left_without_findings_loses_its_notice(inputs, tmp_path):
    outputs = tmp_path / "out"
    before = {p.stem for p in (build(inputs, outputs) / FOLDER).glob("*.docx")}
    change_bulletin(inputs, {"notices": {"rules": ["rectification_overdue"]}})
    folder = build(inputs, outputs) / FOLDER
    after = {p.stem for p in folder.glob("*.docx")}
    assert after and after < before
    rows = [row for path in folder.glob("*_问题依据.csv") for row in evidence_rows(path)]
    assert {row["规则"] for row in rows} == {"rectification_overdue"}
    assert {p.name for p in folder.iterdir()} == {f"{u}.docx" for u in after} | {f"{u}_问题依据.csv" for u in after}


def test_notices_go_when_the_kind_no_longer_asks_for_them(inputs, tmp_path):
    outputs = tmp_path / "out"
    folder = build(inputs, outputs) / FOLDER
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    kind = templates / "assessment" / "kind.yaml"
    text = kind.read_text(encoding="utf-8")
    kind.write_text(text[:text.index("\nnotices:")] + "\n", encoding="utf-8")
    args = ["build", "--period", PERIOD, "--inputs", str(inputs), "--templates", str(templates), "--outputs", str(outputs)]
    assert run_cli(*args).exit_code == 0
    assert not list(folder.glob("*"))


def test_an_edited_notice_is_kept_before_it_is_replaced(inputs, tmp_path):
    outputs = tmp_path / "out"
    notice = build(inputs, outputs) / FOLDER / "教育局.docx"
    fresh = notice.read_bytes()
    document = Document(str(notice))
    document.add_paragraph("（已电话通知）")
    document.save(str(notice))
    edited = notice.read_bytes()
    build(inputs, outputs)
    (kept,) = notice.parent.glob("教育局_修改稿_*.docx")
    assert kept.read_bytes() == edited and notice.read_bytes() == fresh


def test_check_of_a_period_checks_its_notices(inputs, tmp_path):
    folder = build(inputs, tmp_path / "out")
    result = run_cli("check", "--period", PERIOD, "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert all(f"{p}：格式检查通过" in result.output for p in (folder / FOLDER).glob("*.docx"))


def test_validate_counts_the_notices_and_writes_none(inputs, tmp_path):
    result = run("validate", PERIOD, inputs)
    assert result.exit_code == 0 and "整改通知 3 份。" in result.output, result.output


def test_a_failed_build_leaves_the_notices_as_they_were(inputs, tmp_path):
    folder = build(inputs, tmp_path / "out") / FOLDER
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    change_bulletin(inputs, {"notices": {"opening": "{{ unit.nothing|month_day }}"}})
    assert run("build", PERIOD, inputs, tmp_path / "out").exit_code == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_kind_without_notices_builds_none(tmp_path):
    folder = build(INPUTS, tmp_path / "out", "2023Q2")
    assert not (folder / FOLDER).exists()


@pytest.mark.parametrize("notices, words", [
    ({"rules": ["rectification_overdu"]}, "notices.rules.第1项：未知的规则“rectification_overdu”，是否为“rectification_overdue”？"),
    ({"document": {"imprint": "否"}}, "notices.document.imprint：应为是/否"),
    ({"titel": "x"}, "是否为“title”？"),
    ({"title": "关于{{ unit.short_name 的通知"}, "notices.title："),
])
def test_bad_notice_declaration_is_refused_at_its_line(inputs, tmp_path, notices, words):
    change_bulletin(inputs, {"notices": notices})
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{PERIOD}/bulletin.yaml，第" in result.output and words in result.output, result.output
    assert not (tmp_path / "out" / PERIOD).exists()


def test_a_notice_name_too_long_for_a_file_is_refused(inputs, tmp_path):
    change_bulletin(inputs, {"notices": {"output_name": "{{ unit.full_name }}" + "关于整改情况的通知" * 30}})
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "文件名过长，请用 notices.output_name 另设一个较短的文件名" in result.output, result.output
    assert not (tmp_path / "out" / PERIOD).exists()


def test_a_sentence_failing_in_a_notice_is_placed_and_nothing_is_written(inputs, tmp_path):
    change_bulletin(inputs, {"notices": {"closing": "请于{{ unit.deadline|month_day }}前反馈。"}})
    result = run("build", PERIOD, inputs, tmp_path / "out")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"{PERIOD}/bulletin.yaml，第" in result.output, result.output
    assert not (tmp_path / "out" / PERIOD).exists()


def test_verify_of_a_notice_says_it_checks_bulletins_only(inputs, tmp_path):
    folder = build(inputs, tmp_path / "outputs")
    notice = sorted((folder / FOLDER).glob("*.docx"))[0]
    result = run_cli("verify", str(notice), "--period", PERIOD, "--inputs", str(inputs), "--templates", str(TEMPLATES))
    assert result.exit_code == 3, result.output
    assert f"{notice}：这是一份整改通知，verify 只核对通报" in result.output
    assert "按数据应为" not in result.output and "不一致" not in result.output
