"""The period in configured text: the next and previous periods and years, 截至N月底, a year's
month span, and the reference page of every ``period.*`` — each through the command a clerk runs
or the sentence language itself, the printed .docx opened again."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest

from pipeline.config.period_reference import PERIOD_FILE, period_page
from pipeline.core.period import ATTRIBUTES, Period
from pipeline.language.formats import FormatError, apply_format
from pipeline.language.sentence import Scope

from .conftest import FIXTURE_INPUTS, PERIOD, ROOT, TEMPLATES, run_cli
from .test_configuration_language import edit


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURE_INPUTS, tmp_path / "inputs")
    return tmp_path


def command(project: Path, name: str, period: str = PERIOD):
    return run_cli(name, "--period", period, "--inputs", str(project / "inputs"), "--templates", str(TEMPLATES),
                   *(["--outputs", str(project / "outputs")] if name == "build" else []))


def subtitle(project: Path, text: str) -> int:
    return edit(project / "inputs" / PERIOD / "bulletin.yaml", "subtitle: （{{ period.full_name }}）", f"subtitle: {text}")


def printed(text: str, code: str) -> str:
    return Scope({"period": Period.parse(code)}).fill(text)


def test_the_next_period_and_the_end_of_the_period_are_printed_in_the_bulletin(project):
    subtitle(project, "（{{ period.full_name }}，{{ period.end|截至月底 }}；下期{{ period.next.ordinal_name }}，{{ period.next_year }}）")
    result = command(project, "build")
    assert result.exit_code == 0, result.output
    document = docx.Document(next((project / "outputs" / PERIOD).glob("*.docx")))
    texts = [p.text.replace("\n", "") for p in document.paragraphs]  # a long subtitle is broken into lines
    assert "（2024年一季度，截至2024年3月底；下期第二季度，2025年）" in texts


@pytest.mark.parametrize(("text", "code", "expected"), [
    ("{{ period.next.full_name }}", "2024Q4", "2025年一季度"),
    ("{{ period.previous.ordinal_name }}", "2024Q1", "第四季度"),
    ("{{ period.next_year.year }}年", "2024-12", "2025年"),
    ("{{ period.previous_year }}", "2024", "2023年"),
    ("{{ period.year_after.full_name }}", "2023H1", "2024年上半年"),
    ("{{ period.end|截至月底 }}", "2024-02", "截至2024年2月底"),
    ("{{ period.end|月底 }}", "2024", "2024年12月底"),
])
def test_period_attributes_print_as_running_text_writes_them(text, code, expected):
    assert printed(text, code) == expected


def test_a_year_spans_the_whole_year_and_quarters_and_months_keep_their_spans():
    assert printed("{{ period.month_span }}累计办件", "2024") == "全年累计办件"
    assert printed("{{ period.month_span }}", "2024Q2") == "4-6月份"
    assert printed("{{ period.month_span }}", "2024-05") == "5月份"


def test_a_day_that_ends_no_month_is_refused_as_a_month_end():
    with pytest.raises(FormatError, match="2024年3月15日不是月末"):
        apply_format("截至月底", dt.date(2024, 3, 15))
    assert apply_format("月底", dt.date(2024, 2, 29)) == "2024年2月底"


def test_an_unknown_period_attribute_is_refused_at_its_line_with_the_attributes_there_are(project):
    line = subtitle(project, "（{{ period.nxt.full_name }}）")
    result = command(project, "build")
    assert result.exit_code == 1, result.output
    assert f"第{line}行" in result.output and "是否为“next”" in result.output
    listed = result.output.split("（可用：")[1].split("）")[0].split("、")
    assert sorted(listed) == sorted(ATTRIBUTES)  # what a sentence may name: no method (parse, shifted)


def test_a_format_may_list_each_name_once():
    declared = {"乡镇名单": {"base": "等N个", "show": 2, "distinct": True}}
    names = ["甲镇", "乙镇", "甲镇", "", "丙镇", "丁镇"]
    assert apply_format("乡镇名单", names, declared) == "甲镇、乙镇等4个单位"
    assert apply_format("等N个", names[:3]) == "甲镇、乙镇、甲镇"


def test_the_reference_page_lists_every_attribute_with_what_it_prints():
    page = (ROOT / PERIOD_FILE).read_text(encoding="utf-8")
    assert page == period_page(), "docs/period-attributes.md 已过时：请运行 bulletin schema"
    for name in ATTRIBUTES:
        row = next(line for line in page.splitlines() if line.startswith(f"| `{{{{ period.{name} }}}}` |"))
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[1:4] == [printed(f"{{{{ period.{name} }}}}", code) for code in ("2024Q1", "2024-03", "2024")]


def test_a_name_may_lose_its_ending():
    assert apply_format("去尾", "公安局") == "公安"
    assert apply_format("去尾", ["公安局", "发改委", "局"]) == "公安、发改委、局"  # a name that is only the ending stays
    declared = {"部门": {"base": "等N个", "show": 2, "strip": "局", "unit": "部门"}}
    assert apply_format("部门", ["公安局", "教育局", "住建局"], declared) == "公安、教育等3个部门"
