"""``bulletin new-period``: the next period's folder from the last one, and what the clerk must fill in."""

from __future__ import annotations

import re
import shutil
from datetime import date as D

import yaml
from docx import Document

from .conftest import PERIOD, TEMPLATES, change_bulletin, run, run_cli

DATES = {"issued_on", "cutoff", "rectification_deadline"}


def new_period(inputs, period="2024Q2", source=PERIOD):
    return run_cli("new-period", period, "--from", source, "--inputs", str(inputs), "--templates", str(TEMPLATES))


def read_yaml(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_new_folder_keeps_what_carries_over_and_clears_the_rest(inputs):
    result = new_period(inputs)
    assert result.exit_code == 0, result.output
    old, new = inputs / PERIOD, inputs / "2024Q2"
    assert sorted(p.name for p in new.iterdir()) == ["bulletin.yaml", "存在问题.yaml", "总体情况.md"]
    before, after = read_yaml(old / "bulletin.yaml"), read_yaml(new / "bulletin.yaml")
    assert {k: v for k, v in after.items() if k not in DATES | {"imprint"}} == {k: v for k, v in before.items() if k not in DATES | {"imprint"}}
    assert [after[k] for k in sorted(DATES)] == [None, None, None] and after["imprint"]["printed_on"] is None
    assert after["imprint"]["printed_by"] == before["imprint"]["printed_by"]
    assert "issued_on:    # 请填写：成文日期，不早于2024年6月30日" in (new / "bulletin.yaml").read_text(encoding="utf-8")
    assert (new / "总体情况.md").read_text(encoding="utf-8") == ""
    entries = read_yaml(new / "存在问题.yaml")
    assert all("text" not in e and all("rule" in p for p in e["parts"]) for e in entries)
    kept = [p["rule"] for e in read_yaml(old / "存在问题.yaml") for p in e.get("parts", []) if "rule" in p]
    assert [p["rule"] for e in entries for p in e["parts"]] == kept


def test_it_prints_each_thing_to_fill_in_with_its_place(inputs):
    result = new_period(inputs)
    lines = (inputs / "2024Q2" / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if text.startswith("cutoff:"))
    assert f"bulletin.yaml第{line}行：cutoff（统计截止日，不早于2024年4月1日、不晚于成文日期）" in result.output
    assert "总体情况.md：本期“总体情况”的文字" in result.output
    assert "存在问题.yaml：上期撰写的文字已清空（手写条目 1 条、规则条目中的文字 0 段；规则条目保留）" in result.output
    assert "规则条目；日期、撰写的文字和数据已清空。" in result.output  # the narrative and hand-written entries emptied
    assert "办件记录.csv：本期数据（办件记录），列：办件编号、单位、事项名称" in result.output
    assert "市直部门考核得分.xlsx：本期市直部门考核得分，列：部门、事项管理、办件质效、政务公开、加分项（可无）、扣分项（可无）" in result.output
    assert "填好后检查：bulletin validate --period 2024Q2" in result.output


def test_a_doc_number_carried_over_is_named_to_be_changed(inputs):
    change_bulletin(inputs, {"document": {"doc_number": "测放管服办〔2024〕3号"}})
    result = new_period(inputs)
    lines = (inputs / "2024Q2" / "bulletin.yaml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "doc_number:" in text)
    assert f"bulletin.yaml第{line}行：document.doc_number（发文字号，沿用了上期的写法，请改为本期的字号）" in result.output


def test_the_new_folder_is_refused_until_its_dates_are_filled_in(inputs):
    new_period(inputs)
    result = run("validate", "2024Q2", inputs)
    assert result.exit_code == 1
    assert "2024Q2/bulletin.yaml：缺少配置项：issued_on、cutoff" in result.output


def with_data(inputs):
    """The clerk puts this quarter's tables in (last quarter's, the months moved on)."""
    old, new = inputs / PERIOD, inputs / "2024Q2"
    for table in old.glob("*.*"):
        if table.suffix in (".csv", ".xlsx") and not (new / table.name).exists():
            shutil.copy(table, new / table.name)
    monthly = new / "监管动态和曝光台发布情况.csv"
    monthly.write_bytes(monthly.read_bytes().replace(b"2024-01", b"2024-04").replace(b"2024-02", b"2024-05").replace(b"2024-03", b"2024-06"))


def test_the_new_period_builds_once_filled_in(inputs, tmp_path):
    new_period(inputs)
    with_data(inputs)
    change_bulletin(inputs, {"issued_on": D(2024, 7, 10), "cutoff": D(2024, 6, 30), "rectification_deadline": D(2024, 7, 31)},
                    period="2024Q2")
    result = run("build", "2024Q2", inputs, tmp_path / "outputs")
    assert result.exit_code == 0, result.output
    (path,) = (tmp_path / "outputs" / "2024Q2").glob("*.docx")
    text = "\n".join(p.text for p in Document(str(path)).paragraphs)
    assert "2024年二季度" in text and "2024年7月10日" in text
    assert "总体情况" not in text  # left empty: the section is not printed, and the build says so
    assert "注意：2024Q2/总体情况.md：文件为空：通报中不出现“总体情况”一节" in result.output


def test_a_date_a_sentence_prints_must_be_filled_in(inputs):
    new_period(inputs)
    with_data(inputs)
    config = inputs / "2024Q2" / "bulletin.yaml"  # as the clerk types: two dates filled in, the deadline left empty
    text = re.sub(r"(?m)^issued_on:.*$", "issued_on: 2024-07-10", config.read_text(encoding="utf-8"))
    config.write_text(re.sub(r"(?m)^cutoff:.*$", "cutoff: 2024-06-30", text), encoding="utf-8")
    result = run("validate", "2024Q2", inputs)
    assert result.exit_code == 1
    assert "2024Q2/bulletin.yaml，第12行：句子“请于{{ rectification_deadline|月日 }}前反馈整改情况…”" in result.output
    assert "无法写出：用到的日期没有填写（bulletin.yaml 中该项为空）" in result.output


def test_an_existing_folder_is_never_overwritten(inputs):
    (inputs / "2024Q2").mkdir()
    (inputs / "2024Q2" / "bulletin.yaml").write_text("# 已有的文件\n", encoding="utf-8")
    result = new_period(inputs)
    assert result.exit_code == 1
    assert f"{inputs / '2024Q2'}：文件夹已存在，未作任何改动" in result.output
    assert (inputs / "2024Q2" / "bulletin.yaml").read_text(encoding="utf-8") == "# 已有的文件\n"


def test_an_unknown_source_or_period_is_refused_with_the_periods_there_are(inputs):
    missing = new_period(inputs, source="2023Q4")
    assert missing.exit_code == 1 and "找不到统计周期 2023Q4 的输入文件夹（已有：2024、2024Q1）" in missing.output
    wrong = new_period(inputs, period="2024Q5")
    assert wrong.exit_code == 1 and "无法识别的统计周期“2024Q5”" in wrong.output
    assert sorted(p.name for p in inputs.iterdir()) == ["2024", "2024Q1", "registries"]


def test_a_per_office_period_lists_each_office_own_files_and_the_shared_table(tmp_path):
    from .province import PERIOD as PROVINCE_PERIOD, SHARED, province

    inputs = province(tmp_path)
    result = new_period(inputs, "2023Q3", PROVINCE_PERIOD)
    assert result.exit_code == 0, result.output
    assert f"../shared/{SHARED}：各区县共用的记录表（在本期文件夹之外，仍是上期的文件" in result.output
    assert "红黑榜发布记录.csv：永昌县：本期数据（红黑榜发布记录）" in result.output
    for name in ("红黑榜发布记录", "季度服务明星"):
        assert f"永宁县/{name}.csv：永宁县：本期数据（{name}）" in result.output
