"""Configuration is untrusted input: what an office writes in kind.yaml and bulletin.yaml is
read as names, sentences and numbers, never as Python, and every mistake or hostile value is
refused at its file and line before anything is written.

Each case changes a copy of a bundled kind or of a small valid period and runs the command a
clerk runs (``validate``, ``build``); the message must name the file and line.
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.core.decimals import percent, rounded
from pipeline.config.view import bulletin_view
from pipeline.figures.declared import Environment
from pipeline.language.expressions import ExpressionError
from pipeline.language.formats import apply_format
from pipeline.language.formats import format_percent
from pipeline.core.yamlio import YAMLKeyError, YAMLLimitError, parse_yaml

from .conftest import FIXTURE_INPUTS, FIXTURES, PERIOD, TEMPLATES, run_cli, snapshot
from .test_configuration_language import edit
from .test_declared_figures import env_of, tickets  # noqa: F401 (env_of is a fixture)

HOTLINE_PERIOD = "2024-05"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Copies of the small valid periods (assessment and hotline) and of the bundled kinds."""
    shutil.copytree(FIXTURE_INPUTS, tmp_path / "inputs")
    shutil.copytree(FIXTURES / "hotline", tmp_path / "hotline")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def command(project: Path, name: str, period: str = PERIOD, folder: str = "inputs"):
    return run_cli(name, "--period", period, "--inputs", str(project / folder), "--templates", str(project / "templates"),
                   *(["--outputs", str(project / "outputs")] if name == "build" else []))


def refused(result, *expected: str) -> str:
    """The run ended in a located refusal (exit 1, no traceback) whose lines hold each of ``expected``."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.output, result.output
    return result.output


# ---- the YAML loader: keys are distinct text ----

@pytest.mark.parametrize(("text", "line", "message"), [
    ("a: 1\nb: 2\na: 3\n", 3, "键“a”重复（第1行已有）"),
    ("1: x\n'1': y\n", 2, "键“1”重复（第1行已有）"),
    ("~: 1\n", 1, "被读作空值"),
    ("true: 1\n", 1, "被读作真假值"),
    ("no: 1\n", 1, "被读作真假值"),
    ("1.5: 1\n", 1, "被读作小数"),
    ("2024-01-01: 元旦\n", 1, "被读作日期"),
    ("day: 2027-02-30\n", 1, "不是有效的日期"),
])
def test_the_loader_refuses_a_repeated_or_non_text_key_at_its_line(text, line, message):
    with pytest.raises(YAMLKeyError) as caught:
        parse_yaml(text)
    assert message in caught.value.problem
    assert caught.value.problem_mark.line + 1 == line


def test_an_alias_inside_its_own_anchor_is_refused_at_its_line():
    """Found by the configuration fuzzer: the checker then met an endless tree (a traceback)."""
    with pytest.raises(YAMLLimitError, match="引用了包含它自己的锚点") as caught:
        parse_yaml("a: 1\nx: &a [*a]\n")
    assert caught.value.problem_mark.line + 1 == 2


def test_a_merged_mapping_may_be_overridden_and_a_whole_number_key_is_its_text():
    assert parse_yaml("base: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n2027: {}\n") == \
        {"base": {"x": 1, "y": 2}, "c": {"x": 3, "y": 2}, "2027": {}}


def test_a_cutoff_written_twice_in_bulletin_yaml_is_refused_at_the_second(project):
    bulletin = project / "inputs" / PERIOD / "bulletin.yaml"
    line = edit(bulletin, "imprint:", "cutoff: 2024-06-30\nimprint:")
    refused(command(project, "validate"), f"bulletin.yaml，第{line}行", "键“cutoff”重复")


def test_a_check_parameter_written_twice_in_kind_yaml_is_refused(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    line = edit(kind, "params: {threshold: 80}", "params:\n      threshold: 80\n      threshold: 60")
    refused(command(project, "validate"), f"kind.yaml，第{line + 2}行", "键“threshold”重复")


def test_a_misspelt_threshold_in_a_where_is_offered_the_checks_parameter(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    line = edit(kind, "where: covered * 100 < total * threshold", "where: covered * 100 < total * threshhold")
    refused(command(project, "validate"), f"kind.yaml，第{line}行", "没有名为“threshhold”的列，是否为“threshold”？",
            "；参数：threshold）")


@pytest.mark.parametrize("key", ["~", "true", "yes", "1.5"])
def test_a_measure_named_by_a_non_text_key_is_refused_at_its_line(project, key):
    kind = project / "templates" / "hotline" / "kind.yaml"
    old = "      平均办理工作日: mean(workdays(received_on, closed_on))\n"
    line = edit(kind, old, f"{old}      {key}: count()\n")
    refused(command(project, "validate", HOTLINE_PERIOD, "hotline"), f"第{line + 1}行", f"键“{key}”被读作")


def test_two_counties_written_1_and_quoted_1_are_one_key_refused(project):
    bulletin = project / "inputs" / PERIOD / "bulletin.yaml"
    line = edit(bulletin, "imprint:", "offices:\n  1: {}\n  '1': {}\nimprint:")
    refused(command(project, "validate"), f"第{line + 2}行", "键“1”重复")


# ---- formats: text with named places, never a Python format string ----

@pytest.mark.parametrize("more", [
    "{names.__class__.__mro__}",
    "{count.__class__.__init__.__globals__}",
    "{names:>1500000000}",
    "{0}等{count}个",
    "{{ 名单.__class__ }}",
    "{{ 名单 }}等{{ 个数 }}个{{ 单位 }}}",
])
def test_a_format_more_text_may_only_name_its_three_places(project, more):
    kind = project / "templates" / "hotline" / "kind.yaml"
    line = edit(kind, "numbers: {percent_places: 2, rounding: half_up}",
                f"numbers: {{percent_places: 2, rounding: half_up}}\nformats:\n  名单:\n    base: 等N个\n    more: '{more}'")
    before = snapshot(project / "hotline")
    output = refused(command(project, "build", HOTLINE_PERIOD, "hotline"), f"第{line + 4}行", "只能写文字和")
    assert "__" not in output.replace(more, "") and "mro" not in output.replace(more, "")
    assert not (project / "outputs").exists() or not any((project / "outputs").rglob("*.docx"))
    assert snapshot(project / "hotline") == before


def test_the_more_text_fills_its_places_in_either_spelling():
    names = ["甲局", "乙局", "丙局", "丁局"]
    for more in ("{{ 名单 }}等{{ 个数 }}个{{ 单位 }}", "{names}等{count}个{unit}"):
        assert apply_format("名单", names, {"名单": {"base": "等N个", "show": 2, "more": more, "unit": "窗口"}}) == "甲局、乙局等4个窗口"


@pytest.mark.parametrize(("setting", "value", "shown"), [
    ("percent_places", "30", "应为整数（0 到 6），实为 30"),
    ("percent_places", "-1", "应为整数（0 到 6），实为 -1"),
])
def test_numbers_out_of_range_are_refused_at_their_line(project, setting, value, shown):
    kind = project / "templates" / "hotline" / "kind.yaml"
    line = edit(kind, "numbers: {percent_places: 2,", f"numbers: {{{setting}: {value},")
    refused(command(project, "validate", HOTLINE_PERIOD, "hotline"), f"kind.yaml，第{line}行", shown)


@pytest.mark.parametrize("value", ["-1", "0"])
def test_a_top_of_no_rows_is_refused(project, value):
    kind = project / "templates" / "hotline" / "kind.yaml"
    line = edit(kind, "    top: 5\n", f"    top: {value}\n")
    refused(command(project, "validate", HOTLINE_PERIOD, "hotline"), f"kind.yaml，第{line}行", f"top：应为整数（1 到 1000000），实为 {value}")


def test_a_configured_text_beyond_its_size_is_refused(project):
    bulletin = project / "inputs" / PERIOD / "bulletin.yaml"
    line = edit(bulletin, "recipients: 各镇（街道），市直各部门", f"recipients: {'字' * 100_001}")
    refused(command(project, "validate"), f"第{line}行", "超过上限 100,000 字")


# ---- the working-day calendar is declared like every other mapping ----

@pytest.mark.parametrize(("entry", "shown"), [
    ("  2027:\n    holiday: [2027-01-01]\n", "未知的配置项“holiday”，是否为“holidays”"),
    ("  2027:\n    holidays: [2027-02-30]\n", "不是有效的日期"),
    ("  2027: [2027-01-01]\n", "应为{holidays, workdays}"),
    ("  二〇二七:\n    holidays: [2027-01-01]\n", "应为四位数的年份"),
    ("  2027:\n    holidays: [元旦]\n", "应为日期"),
])
def test_a_malformed_calendar_entry_is_refused_at_its_line(project, entry, shown):
    bulletin = project / "inputs" / PERIOD / "bulletin.yaml"
    line = edit(bulletin, "imprint:", f"calendar:\n{entry}imprint:")
    output = refused(command(project, "validate"), shown)
    assert f"第{line + 1}行" in output or f"第{line + 2}行" in output, output


# ---- one rounding rule, half-up, for every percentage ----

def test_every_percentage_rounds_half_up():
    assert rounded(Decimal("92.45"), 1) == Decimal("92.5")
    assert apply_format("率", Decimal("92.45"), {"率": {"base": "百分比", "places": 1}}) == "92.5%"
    assert apply_format("万", 12345, {}) == "1.2万" and apply_format("万", 12350, {}) == "1.2万"
    assert apply_format("万", 12500, {"万": {"places": 0}}) == "1万"
    assert format_percent(Decimal("92.445")) == "92.45%"
    assert format_percent(92.445) == "92.45%"
    assert percent(1849, 2000, 1) == Decimal("92.5")  # 92.45


def test_a_declared_rate_rounds_the_office_s_way():
    half_up = Environment(ctx=None, config=bulletin_view({"numbers": {"percent_places": 1}}))
    half_even = Environment(ctx=None, config=bulletin_view({"numbers": {"percent_places": 1, "rounding": "half_even"}}))
    assert half_up.percent(1849, 2000) == Decimal("92.5")
    assert half_even.percent(1849, 2000) == Decimal("92.4")
    assert half_up.mean(185, 2) == Decimal("92.5")


# ---- expressions and figures: bounded, typed before they run ----

FIGURES_AT = "figures:\n"


def add_figure(project: Path, text: str) -> int:
    """Declare figures (YAML text at the figures: level) first in the hotline kind; their first line."""
    kind = project / "templates" / "hotline" / "kind.yaml"
    return edit(kind, FIGURES_AT, FIGURES_AT + text) + 1


@pytest.mark.parametrize(("expression", "shown"), [
    ("工单数 in 5", "in 之后应为列表"),
    ("工单数 - 'a' > 0", "文字不能参与 + - * / 运算"),
    ("1e999 - 1e999 > 0", "数字过大"),
    ("'x' * 2000000000 == 'x'", "文字不能参与 + - * / 运算"),
    ("(" * 300 + "工单数" + ")" * 300 + " > 0", "无法解析"),
    ("not " * 200 + "工单数 > 0", "嵌套过深"),
    ("工单数" + " + 工单数" * 3000 + " > 0", "超过上限 2,000 字"),
])
def test_a_having_outside_the_language_is_refused_at_its_line(project, expression, shown):
    line = add_figure(project, f"  坏:\n    from: tickets\n    group_by: unit\n    measures: {{工单数: count()}}\n"
                               f"    having: \"{expression}\"\n")
    refused(command(project, "validate", HOTLINE_PERIOD, "hotline"), f"hotline/kind.yaml，第{line + 4}行", shown)


def test_a_chain_of_figures_beyond_the_limit_is_refused_not_recursed(project):
    chain = "".join(f"  链{i}:\n    from: {'tickets' if i == 0 else f'链{i - 1}'}\n" for i in range(1500))
    add_figure(project, chain)
    refused(command(project, "validate", HOTLINE_PERIOD, "hotline"), "超过上限 500")


def test_a_chain_of_sixty_figures_is_refused_at_the_deepest(project):
    chain = "".join(f"  链{i}:\n    from: {'tickets' if i == 0 else f'链{i - 1}'}\n" for i in range(60))
    add_figure(project, chain)
    refused(command(project, "validate", HOTLINE_PERIOD, "hotline"), "链50.from", "超过 50 层")


def test_a_where_that_divides_by_zero_is_refused_not_an_empty_figure(project):
    line = add_figure(project, "  除零:\n    from: tickets\n    where: limit_days / (limit_days - limit_days) > 1\n"
                               "    measures: {工单数: count()}\n")
    before = snapshot(project / "hotline")
    refused(command(project, "build", HOTLINE_PERIOD, "hotline"), "除数为 0", "figures.除零.where", f"第{line + 2}行")
    assert not (project / "outputs").exists() or not any((project / "outputs").rglob("*.docx"))
    assert snapshot(project / "hotline") == before


def test_a_where_names_units_as_the_registry_does(env_of):
    rows = tickets()
    names = sorted({r["承办单位"] for r in rows})[:2]
    listed = env_of(f"{{from: tickets, where: \"unit in ['{names[0]}', '{names[1]}']\", measures: {{n: count()}}}}")
    assert [r["n"] for r in listed] == [sum(r["承办单位"] in names for r in rows)]
    one = env_of(f"{{from: tickets, where: \"unit == '{names[0]}'\", measures: {{n: count()}}}}")
    assert [r["n"] for r in one] == [sum(r["承办单位"] == names[0] for r in rows)]


def test_a_where_naming_a_unit_not_in_the_registry_is_refused(env_of):
    with pytest.raises(ExpressionError, match="单位名录中没有“不存在局”"):
        env_of("{from: tickets, where: \"unit == '不存在局'\", measures: {n: count()}}")
