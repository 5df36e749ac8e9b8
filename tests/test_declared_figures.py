"""Declared figures (figures: without derive:) run as queries on the engine, over the hotline kind's
test tickets (tests/fixtures/hotline, written by tests/fixtures/hotline.py). Every expected figure is
counted here again from the CSV in plain Python."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml

from pipeline.config.bulletin import load_config
from pipeline.derive.workdays import WorkdayCalendar
from pipeline.load.engine import Engine
from pipeline.core.errors import ProblemLog
from pipeline.figures.declared import Environment, evaluate_figure
from pipeline.figures.table import FigureTable
from pipeline.load.datasets import load_datasets
from pipeline.load.inputs import RuleContext

from .conftest import FIXTURES, TEMPLATES, run_cli

HOTLINE = FIXTURES / "hotline"
MAY = "2024-05"


def tickets(month: str = MAY) -> list[dict]:
    with open(HOTLINE / month / "12345热线工单.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def percent(part: int, whole: int):
    return None if not whole else (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def env_of():
    """evaluate(spec, month) -> FigureTable, on the engine, with the inputs of that month."""
    engine = Engine()
    envs = {}

    def environment(month):
        if month not in envs:
            config = load_config(month, HOTLINE, TEMPLATES)
            log = ProblemLog([])
            datasets = load_datasets(config, log, engine)
            assert not log.problems
            ctx = RuleContext(config.period, config.cutoff, config.registry, datasets, {})
            earlier = None if month == "2024-04" else (lambda which: environment("2024-04") if which == "previous" else None)
            envs[month] = Environment(ctx, config.view, earlier=earlier)
        return envs[month]

    def evaluate(spec: dict, month: str = MAY, name: str = "x") -> FigureTable:
        env = environment(month)
        env.figures[name] = evaluate_figure(name, yaml.safe_load(spec) if isinstance(spec, str) else spec, env)
        return env.figures[name]

    yield evaluate
    engine.close()


def test_grouped_by_a_non_unit_column_in_input_order(env_of):
    table = env_of("{from: tickets, group_by: category, measures: {n: count()}}")
    rows = tickets()
    assert table.columns == ["category", "n"] and table.label == "category"
    assert [(r["category"], r["n"]) for r in table] == list(Counter(r["诉求类型"] for r in rows).items())


def test_grouped_by_a_registry_attribute(env_of):
    table = env_of("{from: tickets, group_by: unit.group, measures: {n: count()}}")
    registry = yaml.safe_load((HOTLINE / "registries/宜城市.yaml").read_text(encoding="utf-8"))
    group_of = {u["short"]: g for g, units in registry["groups"].items() for u in units}
    expected = Counter(group_of[r["承办单位"]] for r in tickets())
    assert {r["group"]: r["n"] for r in table} == dict(expected)


def test_grouped_per_unit_and_month_with_a_threshold_list(env_of):
    spec = """
    from: tickets
    group_by: [unit, month(received_on)]
    measures: {n: count(), returned: count(returned == '是')}
    having: returned >= 2
    """
    table = env_of(spec)
    counted = Counter(r["承办单位"] for r in tickets() if r["是否退单"] == "是")
    assert {(str(r["unit"]), r["month"]) for r in table} == {(u, MAY) for u, n in counted.items() if n >= 2}
    orders = [r["unit"].order for r in table]
    assert orders == sorted(orders)  # units in registry order


def test_rates_are_rounded_half_up_and_none_for_an_empty_table(env_of):
    spec = {"from": "tickets", "measures": {"n": "count()", "sat": "count(visit == '满意')", "r": "rate(sat, n)"}}
    rows = tickets()
    (row,) = env_of(spec)
    assert row["r"] == percent(sum(r["回访结果"] == "满意" for r in rows), len(rows))
    (empty,) = env_of({"from": "tickets", "where": "category == '无此类'", "measures": {"n": "count()", "r": "rate(count(), n)"}})
    assert empty == {"n": 0, "r": None, "_file": "12345热线工单.csv"}  # an aggregated row names its file, no line


def test_rank_with_ties_and_top_and_bottom(env_of):
    env_of("{from: tickets, group_by: unit, measures: {n: count()}}", name="per_unit")
    same = env_of("{from: per_unit, rank: {by: -n, as: 名次, ties: same}}")
    counts = Counter(r["承办单位"] for r in tickets())
    for row in same:
        assert row["名次"] == 1 + sum(1 for c in counts.values() if c > row["n"])
    plain = env_of("{from: per_unit, rank: {by: -n, as: 名次, ties: input}}")
    assert [r["名次"] for r in plain] == list(range(1, len(plain) + 1))
    top = env_of("{from: per_unit, order: [-n], top: 3}")
    assert [r["n"] for r in top] == sorted(counts.values(), reverse=True)[:3]
    bottom = env_of("{from: per_unit, order: [-n], bottom: 2}")
    assert [r["n"] for r in bottom] == sorted(counts.values())[:2]  # the last first


def test_working_day_durations_follow_the_statutory_calendar(env_of):
    spec = """
    from: tickets
    where: "ticket_id == 'RX20240500001' or ticket_id == 'RX20240500100'"
    columns:
      due: add_workdays(received_on, limit_days)
      days: workdays(received_on, closed_on)
    """
    table = env_of(spec)
    source = {r["工单编号"]: r for r in tickets()}
    calendar = WorkdayCalendar(dt.date(2024, 4, 1), dt.date(2024, 7, 31))
    for row in table:
        raw = source[row["ticket_id"]]
        received = dt.date.fromisoformat(raw["派单日期"])
        day, left = received, int(raw["办理时限（工作日）"])
        while left:
            day += dt.timedelta(days=1)
            left -= calendar.is_working_day(day)
        assert row["due"] == day
        closed = raw["办结日期"] and dt.date.fromisoformat(raw["办结日期"])
        expected = sum(calendar.is_working_day(received + dt.timedelta(days=k)) for k in range(1, (closed - received).days + 1)) if closed else None
        assert row["days"] == expected
        assert row["_file"] == "12345热线工单.csv" and row["_row"] == int(raw["工单编号"][-5:]) + 1
    assert dt.date(2024, 5, 1) == env_of("{from: tickets, where: \"ticket_id == 'RX20240500001'\"}")[0]["received_on"]


def test_a_value_looked_up_by_name(env_of):
    (row,) = env_of("{from: tickets, where: \"ticket_id == 'RX20240500007'\", one: true}")
    assert row["ticket_id"] == "RX20240500007"
    with pytest.raises(Exception, match="应恰有一行，实有0行"):
        env_of("{from: tickets, where: \"ticket_id == 'none'\", one: true}")


def test_compare_with_the_previous_month_where_it_exists(env_of):
    spec = "{from: tickets, group_by: unit, measures: {n: count()}, compare: {with: previous, measures: [n]}}"
    may, april = env_of(spec), env_of(spec, month="2024-04")
    earlier = Counter(r["承办单位"] for r in tickets("2024-04"))
    assert all(r["n_上期"] == earlier.get(str(r["unit"])) for r in may)
    assert all(r["n_上期"] is None for r in april)  # no 2024-03 folder: no 环比


def test_a_total_row_recomputes_rates(env_of):
    spec = {"from": "tickets", "group_by": "unit", "measures": {"n": "count()", "s": "count(visit == '满意')", "r": "rate(s, n)"}, "total": "合计"}
    table = env_of(spec)
    total = table[-1]
    rows = tickets()
    assert total["unit"] == "合计" and total["n"] == len(rows)
    assert total["r"] == percent(sum(r["回访结果"] == "满意" for r in rows), len(rows))


def hotline_project(tmp_path: Path) -> Path:
    shutil.copytree(HOTLINE, tmp_path / "inputs")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def refused(project: Path, old: str, new: str, expected: str, offset: int = 0) -> None:
    kind = project / "templates/hotline/kind.yaml"
    text = kind.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    line = text[: text.index(old)].count("\n") + 1 + offset
    kind.write_text(text.replace(old, new), encoding="utf-8")
    result = run_cli("validate", "--period", MAY, "--inputs", str(project / "inputs"), "--templates", str(project / "templates"))
    assert result.exit_code == 1, result.output
    assert f"hotline/kind.yaml，第{line}行：" in result.output and expected in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("old, new, expected", [
    ("      工单数: count()\n      办结数", "      工单数: total(x)\n      办结数", "未知的函数“total”"),
    ("    where: 退单数 > 0", "    where: 退单 > 0", "没有名为“退单”的列，是否为“退单数”？"),
    ("    from: 各单位\n    rank:", "    from: 各单元\n    rank:", "“各单元”既不是数据表也不是派生数据，是否为“各单位”？"),
    ("    group_by: unit.group", "    group_by: unit.grup", "单位没有属性“grup”，是否为“group”？"),
])
def test_bad_declarations_are_located(tmp_path, old, new, expected):
    refused(hotline_project(tmp_path), old, new, expected)


def test_a_cycle_of_chains_is_located(tmp_path):
    project = hotline_project(tmp_path)
    old = "  退单较多:\n    title: 退单较多的单位\n    from: 各单位\n"
    refused(project, old, "  较多:\n    from: 退单较多\n  退单较多:\n    title: 退单较多的单位\n    from: 较多\n",
            "派生数据循环引用：较多 → 退单较多 → 较多", offset=1)


def test_every_extension_point_refuses_a_name_registered_twice():
    from pipeline.check import format_rule
    from pipeline.check.base import RULES as FORMAT_RULES
    from pipeline.core.extension import DuplicateExtension
    from pipeline.figures import figure
    from pipeline.findings.base import rule

    def again(ctx, params):
        return []

    with pytest.raises(DuplicateExtension, match="规则检查“monthly_posting_quota”重复登记：pipeline.findings.posting_quota 与 tests"):
        rule("monthly_posting_quota", "重复")(again)
    with pytest.raises(DuplicateExtension, match="计算方法“rows”重复登记：pipeline.figures.honour_lists 与 tests"):
        figure("rows")(again)
    taken = next(iter(FORMAT_RULES))
    with pytest.raises(DuplicateExtension, match=f"格式规则“{taken}”重复登记"):
        format_rule(taken, "重复")(again)


def test_a_check_named_like_a_figure_is_refused(tmp_path):
    refused(hotline_project(tmp_path), "  满意率低于标准:\n    title: 满意率低于全市标准", "  各单位:\n    title: 满意率低于全市标准",
            "规则检查“各单位”与派生数据同名（figures.各单位）", offset=1)


@pytest.mark.parametrize("old, new, expected", [
    ("    where: 退单数 > 0", "    where: 退单数 > '0'", "figures.退单较多.where：表达式“退单数 > '0'”中的值类型不相容"),
    ("      重复件数: count(repeated == '是')\n      平均", "      重复件数: sum(repeated)\n      平均", "figures.全市.measures.重复件数：sum() 只能用于数字"),
])
def test_values_of_the_wrong_type_are_located_when_the_figure_runs(tmp_path, old, new, expected):
    project = hotline_project(tmp_path)
    kind = project / "templates/hotline/kind.yaml"
    kind.write_text(kind.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    result = run_cli("build", "--period", MAY, "--inputs", str(project / "inputs"), "--templates", str(project / "templates"),
                     "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 1 and "hotline/kind.yaml，第" in result.output and expected in result.output, result.output
    assert "Traceback" not in result.output and not (tmp_path / "out" / MAY).exists()


def test_order_rank_and_compare_name_existing_columns(tmp_path):
    refused(hotline_project(tmp_path), "    order: [-退单数]", "    order: [-退单]", "figures.退单较多.order：没有名为“退单”的列，是否为“退单数”？")


def test_a_chain_is_compared_with_the_same_chain_of_the_previous_month(env_of):
    env_of("{from: tickets, group_by: unit, measures: {n: count()}}", name="per_unit")
    env_of("{from: tickets, group_by: unit, measures: {n: count()}}", month="2024-04", name="per_unit")
    table = env_of("{from: per_unit, order: [-n], top: 3, compare: {with: previous, measures: [n]}}")
    earlier = Counter(r["承办单位"] for r in tickets("2024-04"))
    assert [r["n_上期"] for r in table] == [earlier.get(str(r["unit"])) for r in table]


def test_a_declared_figure_may_read_a_python_figure(tmp_path):
    project = hotline_project(tmp_path)
    kind = project / "templates/hotline/kind.yaml"
    text = kind.read_text(encoding="utf-8").replace("figures:\n", "figures:\n  所有工单:\n    derive: rows\n    dataset: tickets\n"
                                                    "  投诉:\n    from: 所有工单\n    where: limit_days == 5 and filled(closed_on)\n"
                                                    "    measures: {件数: count()}\n", 1)
    kind.write_text(text.replace("        after: 。\n  - id: units", "        after: 。\n      - text: 投诉{{ 投诉.件数 }}件。\n  - id: units", 1), encoding="utf-8")
    result = run_cli("build", "--period", MAY, "--inputs", str(project / "inputs"), "--templates", str(project / "templates"),
                     "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    document = next((tmp_path / "out" / MAY).glob("*.docx"))
    import docx

    complaints = sum(r["办理时限（工作日）"] == "5" and bool(r["办结日期"]) for r in tickets())
    assert f"投诉{complaints}件。" in "\n".join(p.text for p in docx.Document(document).paragraphs)


def test_filters_on_a_registry_attribute_a_list_and_the_period(env_of):
    registry = yaml.safe_load((HOTLINE / "registries/宜城市.yaml").read_text(encoding="utf-8"))
    towns = {u["short"] for u in registry["groups"]["镇街"]}
    spec = {"from": "tickets", "where": "unit.group == '镇街' and category in ['投诉', '举报'] and in_period(received_on)",
            "measures": {"n": "count()", "open": "count(empty(closed_on))", "ends": "count(coalesce(closed_on, cutoff) >= period_start)"}}
    (row,) = env_of(spec)
    chosen = [r for r in tickets() if r["承办单位"] in towns and r["诉求类型"] in ("投诉", "举报")]
    assert row["n"] == len(chosen) == row["ends"] and row["open"] == sum(not r["办结日期"] for r in chosen)


def test_a_rate_is_filtered_with_having_not_where(env_of):
    spec = {"from": "tickets", "columns": {"r": "rate(limit_days, 10)"}, "where": "r > 20"}
    with pytest.raises(Exception, match="where 不能使用计算后的列“r”（请改用 having）"):
        env_of(spec)
    rows = env_of({"from": "tickets", "columns": {"r": "rate(limit_days, 10)"}, "having": "r > 50"})
    assert {r["limit_days"] for r in rows} == {10} and rows[0]["r"] == Decimal("100.00")
