"""Nothing an office writes is accepted and then ignored: a value a choice column cannot hold, a
format parameter its base never reads, a list format after another format, a key YAML reads as a
truth value or a number — each refused at its file and line with the nearest valid name, exit 1,
nothing written. 存在问题.yaml is needed only where something prints its entries, and
``new-period`` lists the old period's own words it carried over."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from .conftest import PERIOD, run_cli
from .test_configuration_language import edit
from .test_untrusted_configuration import command, project, refused  # noqa: F401 (project is a fixture)

HOTLINE = "2024-05"


def bulletin(project: Path) -> Path:
    return project / "inputs" / PERIOD / "bulletin.yaml"


def add_settings(project: Path, text: str) -> int:
    """``text`` added before ``files:`` of the period's bulletin.yaml; the line it starts on."""
    return edit(bulletin(project), "files:\n", text + "files:\n")


def grades_figure(where: str) -> str:
    return f"figures:\n  差评:\n    from: evaluations\n    where: \"{where}\"\n    group_by: unit\n    measures: {{条数: count()}}\n"


# ---- a value not among a choice column's choices ----

def test_a_value_no_choice_column_holds_is_refused_at_its_where(project):
    line = add_settings(project, grades_figure("grade == '好'"))
    refused(command(project, "validate"), f"bulletin.yaml，第{line + 3}行", "figures.差评.where：“好”不是 grade 列可有的值",
            "选不出任何一行", "满意、基本满意、不满意")
    assert not (project / "outputs").exists()


def test_a_misspelt_choice_in_a_list_is_offered_the_nearest_choice(project):
    line = add_settings(project, grades_figure("grade in ['满义', '不满意']"))
    output = refused(command(project, "build"), f"第{line + 3}行", "“满义”不是 grade 列可有的值", "是否为“满意”？")
    assert "“不满意”不是" not in output
    assert not (project / "outputs").exists()


def test_a_choice_compared_unequal_says_it_holds_for_every_row_and_how_to_choose_blanks(project):
    line = add_settings(project, grades_figure("grade != ''"))
    refused(command(project, "validate"), f"第{line + 3}行", "对每一行都成立", "filled(grade)")


def test_a_choice_in_a_kind_s_measure_is_refused_at_the_measure(project):
    kind = project / "templates" / "hotline" / "kind.yaml"
    old = "      平均办理工作日: mean(workdays(received_on, closed_on))\n"
    line = edit(kind, old, f"{old}      不满意数: count(visit == '不满')\n")
    refused(command(project, "validate", HOTLINE, "hotline"), f"hotline/kind.yaml，第{line + 1}行", "measures.不满意数",
            "“不满”不是 visit 列可有的值", "是否为“不满意”？")


def test_a_parameter_holding_a_value_no_choice_column_holds_is_refused_at_the_where(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    edit(kind, "params: {counted_grade: 不满意}", "params: {counted_grade: 差评}")
    text = kind.read_text(encoding="utf-8")
    line = text[: text.index("where: grade == counted_grade")].count("\n") + 1
    refused(command(project, "validate"), f"assessment/kind.yaml，第{line}行", "checks.dissatisfied_evaluations.where",
            "“差评”（参数 counted_grade 的值）不是 grade 列可有的值")


def test_a_choice_passed_on_by_a_figure_is_checked_in_the_figure_that_reads_it(project):
    line = add_settings(project, "figures:\n  各单位评价:\n    from: evaluations\n    group_by: [unit, grade]\n"
                                 "    measures: {条数: count()}\n  好评单位:\n    from: 各单位评价\n    where: grade == '好评'\n")
    refused(command(project, "validate"), f"第{line + 7}行", "figures.好评单位.where：“好评”不是 grade 列可有的值")


def test_an_entry_overriding_a_check_parameter_with_a_value_no_choice_holds_is_refused_at_its_line(project):
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    line = edit(problems, "    - rule: dissatisfied_evaluations\n", "    - rule: dissatisfied_evaluations\n      params: {counted_grade: 差评}\n")
    refused(command(project, "build"), f"{PERIOD}/存在问题.yaml，第{line + 1}行", "规则“dissatisfied_evaluations”的 params.counted_grade",
            "“差评”（参数 counted_grade 的值）不是 grade 列可有的值")
    assert not (project / "outputs").exists()


def test_a_group_key_choice_is_checked_in_having(project):
    line = add_settings(project, "figures:\n  各单位评价:\n    from: evaluations\n    group_by: [unit, grade]\n"
                                 "    measures: {条数: count()}\n    having: grade == '好评'\n")
    refused(command(project, "validate"), f"第{line + 5}行", "figures.各单位评价.having：“好评”不是 grade 列可有的值")


def test_a_value_among_the_choices_is_accepted(project):
    add_settings(project, grades_figure("grade == '不满意'"))
    result = command(project, "validate")
    assert result.exit_code == 0, result.output


# ---- a format parameter its base does not use; a list format after another format ----

def test_a_parameter_the_base_format_never_reads_is_refused_at_its_line(project):
    line = add_settings(project, "formats:\n  单位名单:\n    base: 不重复\n    sep: ，\n    show: 5\n    more: \"{{ 名单 }}等\"\n")
    output = refused(command(project, "validate"), f"第{line + 4}行", "formats.单位名单.show：格式“单位名单”基于“不重复”，不用参数“show”",
                     f"第{line + 5}行", "formats.单位名单.more", "（“不重复”可用的参数：sep、strip、none）")
    assert "formats.单位名单.sep" not in output


def test_a_built_in_format_given_a_parameter_it_has_not_is_refused(project):
    line = add_settings(project, "formats:\n  百分比: {places: 1, show: 3}\n")
    refused(command(project, "validate"), f"第{line + 1}行", "formats.百分比.show：格式“百分比”不用参数“show”", "places、none")


def test_a_new_format_name_without_a_base_is_refused_at_its_line(project):
    line = add_settings(project, "formats:\n  名单: {show: 5}\n")
    refused(command(project, "validate"), f"第{line + 1}行", "formats.名单：“名单”不是内置格式，须写 base:")


def test_a_list_format_after_another_format_is_refused_pointing_to_distinct(project):
    line = add_settings(project, "formats:\n  八个乡镇: {base: 等N个, show: 8}\n")
    subtitle = edit(bulletin(project), "subtitle: （{{ period.full_name }}）", "subtitle: （{{ rankings|不重复|八个乡镇 }}）")
    assert subtitle < line
    refused(command(project, "validate"), f"第{subtitle}行", "格式“八个乡镇”（基于“等N个”）", "“不重复”已把值写成了一句文字",
            "distinct: true")


def test_a_count_after_a_total_is_refused_as_changing_nothing(project):
    line = edit(bulletin(project), "subtitle: （{{ period.full_name }}）", "subtitle: （{{ ranking_count|合计|个数 }}）")
    refused(command(project, "validate"), f"第{line}行", "格式“个数”读的是一列名称或数字", "“合计”")


def test_distinct_names_with_a_count_build(project):
    add_settings(project, "formats:\n  一组: {base: 等N个, show: 1, distinct: true, unit: 处}\n  一个: {base: 等N个, show: 1, unit: 处}\n")
    edit(bulletin(project), "subtitle: （{{ period.full_name }}）", "subtitle: （{{ 单位名单.group|一组 }}；{{ 单位名单.group|一个 }}）")
    add_settings(project, "figures:\n  单位名单:\n    from: coverage\n    columns: {group: unit.group}\n")
    result = command(project, "build")
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(next((project / "outputs" / PERIOD).glob("*.docx"))).paragraphs]
    assert "（市直部门；市直部门等4个处）" in texts  # four units of one group: named once with distinct, four times without


def test_a_day_that_ends_no_month_is_refused_as_a_month_end_at_its_sentence(project):
    line = edit(bulletin(project), "subtitle: （{{ period.full_name }}）", "subtitle: （{{ cutoff|截至月底 }}）")
    refused(command(project, "build"), f"bulletin.yaml，第{line}行", "2024年6月7日不是月末", "请用格式“日期”")
    assert not (project / "outputs").exists()


# ---- keys YAML reads as truth values or numbers ----

def test_a_column_named_no_is_refused_at_its_line_with_how_to_quote_it(project):
    line = add_settings(project, "datasets:\n  rectifications:\n    columns:\n      no: {header: 序号, type: int, required: false}\n")
    refused(command(project, "build"), f"bulletin.yaml，第{line + 3}行", "键“no”被读作真假值", '"no":')


def test_a_column_named_by_a_number_is_refused_as_no_name(project):
    line = add_settings(project, "datasets:\n  rectifications:\n    columns:\n      1: {header: 序号, type: int, required: false}\n")
    refused(command(project, "build"), f"第{line + 3}行", "datasets.rectifications.columns.1：“1”应为字段名", "以汉字或字母开头")


def test_a_value_yaml_reads_as_a_truth_value_where_text_is_wanted_is_shown_how_to_quote(project):
    line = add_settings(project, "datasets:\n  rectifications:\n    columns:\n"
                                 "      done: {header: 是否完成, type: choice, choices: [yes, 'no'], required: false}\n")
    output = refused(command(project, "validate"), f"第{line + 3}行", "choices.第1项：应为文字", "YAML 把不加引号的 yes 读作真假值",
                     "请加引号（'yes'）")
    assert "第2项" not in output  # 'no' quoted is the text no


@pytest.mark.parametrize("key", ["yes", "off", "true"])
def test_a_truth_value_key_in_the_registry_is_refused_at_its_line(project, key):
    registry = project / "inputs" / "registries" / "测试市.yaml"
    line = edit(registry, "{name: 测试市教育局, short: 教育局}", f"{{name: 测试市教育局, short: 教育局, {key}: 1}}")
    refused(command(project, "validate"), "测试市.yaml", f"第{line}行", f"键“{key}”被读作真假值")


def test_a_truth_value_key_in_the_problems_file_is_refused_at_its_line(project):
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    line = edit(problems, "  text: 多数单位未主动应用数据平台。", "  text: 多数单位未主动应用数据平台。\n  on: 1")
    refused(command(project, "build"), "存在问题.yaml", f"第{line + 1}行", "键“on”被读作真假值")
    assert not (project / "outputs").exists()


def test_a_parameter_named_by_a_number_is_refused_in_kind_yaml(project):
    kind = project / "templates" / "assessment" / "kind.yaml"
    line = edit(kind, "ranking_count: 3\n", "ranking_count: 3\nparams:\n  2024: 1\n")
    refused(command(project, "validate"), f"assessment/kind.yaml，第{line + 2}行", "params.2024：“2024”应为参数名")


# ---- 存在问题.yaml: needed only where something prints its entries ----

def test_a_kind_without_a_problem_section_builds_without_the_problems_file(project):
    kind = project / "templates" / "hotline" / "kind.yaml"
    edit(kind, "  - id: problems\n    heading: 存在问题\n    type: problems\n", "")
    (project / "hotline" / HOTLINE / "存在问题.yaml").unlink()
    result = command(project, "build", HOTLINE, "hotline")
    assert result.exit_code == 0, result.output
    texts = [p.text for p in docx.Document(next((project / "outputs" / HOTLINE).glob("*.docx"))).paragraphs]
    assert not any("存在问题" in t for t in texts)
    assert any("各单位" in t or "工单" in t for t in texts)


def test_the_problems_file_is_still_required_where_the_kind_prints_it(project):
    (project / "hotline" / HOTLINE / "存在问题.yaml").unlink()
    kind = (project / "templates" / "hotline" / "kind.yaml").read_text(encoding="utf-8")
    line = kind[: kind.index("    type: problems")].count("\n") + 1
    refused(command(project, "build", HOTLINE, "hotline"), f"{HOTLINE}/存在问题.yaml", "文件不存在",
            f"hotline/kind.yaml第{line}行的“problems”部分（type: problems）", "只有 [] 的文件")
    assert not (project / "outputs").exists()


# ---- {% %} named once ----

def test_a_jinja_block_is_named_once_in_its_refusal(project):
    line = edit(bulletin(project), "subtitle: （{{ period.full_name }}）", "subtitle: （{% if x %}{{ period.full_name }}{% endif %}）")
    output = refused(command(project, "validate"), f"第{line}行", "“{% %}”不是允许的写法", "bulletin migrate")
    assert output.count("{% %}") == 1


# ---- new-period: the old period's own words carried over ----

def test_new_period_lists_the_old_period_s_words_with_the_attribute_that_says_them(project):
    closing = edit(bulletin(project), "closing: >-\n  请于", "closing: >-\n  截至3月底，请于")
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    rule = edit(problems, "    - rule: overdue_cases\n",
                "    - rule: overdue_cases\n      sentence: \"2024年一季度{{ findings|列举 }}出现超时办件。\"\n")
    result = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(project / "inputs"), "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert f"bulletin.yaml第{closing + 1}行：“3月底”是上期（2024年一季度）的写法" in result.output
    assert "{{ period.last_month }}月底" in result.output
    new_problems = (project / "inputs" / "2024Q2" / "存在问题.yaml").read_text(encoding="utf-8")
    line = new_problems[: new_problems.index("2024年一季度{{")].count("\n") + 1
    assert f"存在问题.yaml第{line}行：“2024年一季度”是上期" in result.output and "{{ period.full_name }}" in result.output
    assert rule


def test_new_period_lists_the_old_period_s_last_day_typed_as_a_date(project):
    line = edit(bulletin(project), "closing: >-\n  请于", "closing: >-\n  数据统计至3月31日，请于")
    result = run_cli("new-period", "2024Q2", "--from", PERIOD, "--inputs", str(project / "inputs"), "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert f"bulletin.yaml第{line + 1}行：“3月31日”是上期（2024年一季度）的写法" in result.output
    assert "{{ period.end|月日 }}" in result.output


def test_new_period_of_a_month_lists_a_typed_5yue_di(project):
    period = project / "hotline" / HOTLINE / "bulletin.yaml"
    line = edit(period, "issued_on:", "subtitle: （截至5月底）\nissued_on:")
    result = run_cli("new-period", "2024-06", "--from", HOTLINE, "--inputs", str(project / "hotline"),
                     "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert f"bulletin.yaml第{line}行：“5月底”是上期（2024年5月）的写法" in result.output
    assert "{{ period.last_month }}月底" in result.output
    assert "（截至5月底）" in (project / "hotline" / "2024-06" / "bulletin.yaml").read_text(encoding="utf-8")  # kept, and said


def test_new_period_leaves_words_the_new_period_says_alike(project):
    edit(bulletin(project), "closing: >-\n  请于", "closing: >-\n  一季度，请于")
    result = run_cli("new-period", "2025Q1", "--from", PERIOD, "--inputs", str(project / "inputs"), "--templates", str(project / "templates"))
    assert result.exit_code == 0, result.output
    assert "“一季度”是上期" not in result.output  # 2025年一季度 is 一季度 too


# ---- a Tab where YAML needs spaces ----

TAB = "此行行首有制表符 Tab：YAML 只能用空格缩进，请把 Tab 换成空格"


def test_a_tab_indenting_a_setting_is_named_plainly_at_its_line(project):
    line = add_settings(project, "params:\n\tx: 1\n")
    output = refused(command(project, "build"), f"bulletin.yaml，第{line + 1}行", TAB)
    assert "常见原因" not in output and not (project / "outputs").exists()


def test_a_tab_after_a_list_dash_in_the_problems_file_is_named_plainly(project):
    problems = project / "inputs" / PERIOD / "存在问题.yaml"
    problems.write_text("-\theading: 部分单位数据未更新\n  text: 多数单位未主动应用数据平台。\n", encoding="utf-8")
    refused(command(project, "build"), "存在问题.yaml，第1行", TAB)
    assert not (project / "outputs").exists()


def test_a_tab_in_the_registry_is_named_plainly_at_its_line(project):
    registry = project / "inputs" / "registries" / "测试市.yaml"
    line = edit(registry, "    - {name: 测试市教育局, short: 教育局}", "\t- {name: 测试市教育局, short: 教育局}")
    refused(command(project, "validate"), "测试市.yaml", f"第{line}行", TAB)


def test_a_tab_inside_a_value_is_no_indentation(project):
    add_settings(project, "params:\n  x:\t1\n")
    assert TAB not in command(project, "validate").output


# ---- a comma cutting a value of a {…} mapping ----

def test_a_conditional_measure_cut_by_its_comma_in_a_flow_mapping_says_to_quote_it(project):
    line = add_settings(project, "figures:\n  差评:\n    from: evaluations\n"
                                 "    measures: {条数: count(), 合计: sum(score, where=grade == '满意')}\n")
    output = refused(command(project, "validate"), f"bulletin.yaml，第{line + 3}行", "含逗号的值被逗号断开了", "含逗号的值须加引号")
    assert "请改用如“序号”" not in output


# ---- a {{ }} in a narrative, which prints as typed ----

def test_a_figure_named_in_a_narrative_is_refused_at_its_line_not_printed(project):
    narrative = project / "inputs" / PERIOD / "总体情况.md"
    lines = narrative.read_text(encoding="utf-8").splitlines()
    narrative.write_text("\n".join(lines + ["", "全市共办件{{ 全市.办件数 }}件。"]) + "\n", encoding="utf-8")
    output = refused(command(project, "build"), f"{PERIOD}/总体情况.md", f"第{len(lines) + 2}行", "不会被填写", "type: document")
    assert not (project / "outputs").exists() or not any((project / "outputs").rglob("*.docx")), output
