"""Figures that read like a pivot table, over the hotline kind's test tickets (tests/fixtures/hotline)
and .xlsx sheets written here with openpyxl: conditional measures (sum/mean/count with where=),
a lookup of a second table or the registry by a key, an indicator table (指标 | 数值) read as one
row, and a grouping's order named. Every expected figure is counted again here from the CSV and
the sheets in plain Python; every refusal is located at its file and line."""

from __future__ import annotations

import csv
import shutil
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml

from pipeline.config.bulletin import load_config
from pipeline.core.errors import ProblemLog
from pipeline.figures.declared import Environment, evaluate_figure
from pipeline.load.datasets import load_datasets
from pipeline.load.engine import Engine
from pipeline.load.inputs import RuleContext

from .conftest import FIXTURES, TEMPLATES, change_bulletin, run_cli
from .test_engines import period_copy, pg_schema, spark  # noqa: F401  (fixtures: the 2023Q2 records in PostgreSQL and Spark)

HOTLINE = FIXTURES / "hotline"
MAY = "2024-05"
AREAS = [("单位", "片区"), ("公安局", "东片"), ("乡村振兴局", "西片"), ("民政局", "东片"), ("宜城市财政局", "南片")]  # 全称 too
INDICATORS = [("指标", "数值"), ("受理数", 1234), ("办结数", 1187), ("满意度", 98.5)]
KINDS = [("类型", "说明"), ("咨询", "问询类"), ("投诉", "维权类"), ("举报", "维权类"), ("求助", "求助类"), ("建议", "建言类")]
DATASETS = {
    "片区表": {"title": "单位片区", "columns": {"unit": {"header": "单位", "type": "unit"}, "area": {"header": "片区"}}},
    "指标表": {"title": "年度指标", "columns": {"name": {"header": "指标"}, "value": {"header": "数值", "type": "number"}}},
    "类型表": {"title": "诉求类型", "columns": {"kind": {"header": "类型"}, "note": {"header": "说明"}}},
}
FILES = {"片区表": "片区.xlsx", "指标表": {"file": "指标.xlsx", "sheet": "指标"}, "类型表": "类型.xlsx"}


def sheet(path: Path, rows: list[tuple], title: str | None = None) -> None:
    book = openpyxl.Workbook()
    if title:
        book.active.title = title
    for row in rows:
        book.active.append(list(row))
    book.save(path)


def project(root: Path, areas=AREAS, indicators=INDICATORS, figures: dict | None = None) -> Path:
    """The hotline test inputs with the three sheets above declared for May (and ``figures``)."""
    shutil.copytree(HOTLINE, root / "periods")
    shutil.copytree(TEMPLATES, root / "templates")
    sheet(root / "periods" / MAY / "片区.xlsx", areas)
    sheet(root / "periods" / MAY / "指标.xlsx", indicators, title="指标")
    sheet(root / "periods" / MAY / "类型.xlsx", KINDS)
    change_bulletin(root / "periods", {"datasets": DATASETS, "files": FILES, "figures": figures or {}}, MAY)
    return root


def tickets() -> list[dict]:
    with open(HOTLINE / MAY / "12345热线工单.csv", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def registry() -> dict:
    """short name -> (full name, group), from the registry file itself."""
    data = yaml.safe_load((HOTLINE / "registries/宜城市.yaml").read_text(encoding="utf-8"))
    return {u["short"]: (u["name"], g) for g, units in data["groups"].items() for u in units}


def rounded(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def figure(tmp_path_factory):
    """figure(spec) -> its rows, evaluated over the project's May inputs on the embedded engine."""
    root = project(tmp_path_factory.mktemp("pivot"))
    config = load_config(MAY, root / "periods", root / "templates")
    engine, log = Engine(), ProblemLog([])
    datasets = load_datasets(config, log, engine)
    assert not log.problems
    env = Environment(RuleContext(config.period, config.cutoff, config.registry, datasets, {}), config.view)

    def evaluate(spec: str | dict, name: str = "x"):
        env.figures[name] = evaluate_figure(name, yaml.safe_load(spec) if isinstance(spec, str) else spec, env)
        return env.figures[name]

    yield evaluate
    engine.close()


def located(root: Path, figures: dict, expected: str, command: str = "validate") -> str:
    """The command on a project declaring ``figures``: refused at the line of the key, no traceback."""
    change_bulletin(root / "periods", {"figures": figures}, MAY)
    args = ["--period", MAY, "--inputs", str(root / "periods"), "--templates", str(root / "templates")]
    result = run_cli(command, *args, *(["--outputs", str(root / "out")] if command == "build" else []))
    assert result.exit_code == 1, result.output
    assert "2024-05/bulletin.yaml，第" in result.output and expected in result.output, result.output
    assert "Traceback" not in result.output and not (root / "out" / MAY).exists()
    return result.output


# ---- conditional measures ----

def test_conditional_measures_count_only_the_rows_that_meet_the_condition(figure):
    spec = """
    from: tickets
    group_by: category
    measures:
      退单数: count(where=returned == '是')
      退单时限: "sum(limit_days, where=returned == '是')"
      镇街平均时限: "mean(limit_days, where=unit.group == '镇街')"
      部门平均时限: "mean(limit_days, where=unit.group == '市直部门')"
      相差: 镇街平均时限 - 部门平均时限
      最长退单时限: "max(limit_days, where=returned == '是')"
      最短退单时限: "min(limit_days, where=returned == '是')"
      退单单位数: "distinct(unit, where=returned == '是')"
    """
    groups = {short: group for short, (_, group) in registry().items()}
    by_kind = defaultdict(list)
    for row in tickets():
        by_kind[row["诉求类型"]].append(row)
    table = figure(spec)
    assert [r["category"] for r in table] == list(by_kind)  # table order: as the kinds first appear
    for row in table:
        rows = by_kind[row["category"]]
        returned = [int(r["办理时限（工作日）"]) for r in rows if r["是否退单"] == "是"]
        towns = [int(r["办理时限（工作日）"]) for r in rows if groups[r["承办单位"]] == "镇街"]
        offices = [int(r["办理时限（工作日）"]) for r in rows if groups[r["承办单位"]] == "市直部门"]
        town_mean = rounded(Decimal(sum(towns)) / len(towns)) if towns else None
        office_mean = rounded(Decimal(sum(offices)) / len(offices)) if offices else None
        assert row["退单数"] == len(returned) and row["退单时限"] == (sum(returned) if returned else None)
        assert row["镇街平均时限"] == town_mean and row["部门平均时限"] == office_mean
        assert row["相差"] == (None if None in (town_mean, office_mean) else town_mean - office_mean)
        assert row["最长退单时限"] == (max(returned) if returned else None)
        assert row["最短退单时限"] == (min(returned) if returned else None)
        assert row["退单单位数"] == len({r["承办单位"] for r in rows if r["是否退单"] == "是"})


def test_a_condition_compares_a_unit_by_its_name(figure):
    (row,) = figure({"from": "tickets", "measures": {"n": "count(where=unit == '公安局')", "s": "sum(limit_days, where=unit == '公安局')"}})
    police = [int(r["办理时限（工作日）"]) for r in tickets() if r["承办单位"] == "公安局"]
    assert (row["n"], row["s"]) == (len(police), sum(police))


@pytest.mark.parametrize("measure, expected", [
    ("sum(limit_days * (returned == '是'))", "条件不能参与 + - * / 运算（“limit_days * (returned == '是')”）；按条件求和、求平均请写 sum(x, where=条件)"),
    ("sum(limit_days, when=returned == '是')", "函数 sum() 只能写 where=条件（如 sum(x, where=unit.group == '镇街')）"),
    ("count(limit_days, where=returned == '是')", "函数 count() 应写成 count(where=条件)"),
    ("rate(count(), count(), where=returned == '是')", "函数 rate() 不能写 where="),
])
def test_a_condition_written_the_wrong_way_is_located_with_what_to_write(tmp_path, measure, expected):
    out = located(project(tmp_path), {"x": {"from": "tickets", "measures": {"m": measure}}}, f"figures.x.measures.m：表达式“{measure}”中{expected}")
    assert "（可用：" not in out  # the right way is said, not the whole language


@pytest.mark.parametrize("measure, expected", [
    ("mean(limit_days, where=unit.group == '乡镇')", "“乡镇”不是 unit.group 列可有的值，这样比较选不出任何一行（单位名录中的组：市直部门、镇街、其他单位），是否为“镇街”？"),
    ("count(where=unit.group in ['镇街', '市直'])", "“市直”不是 unit.group 列可有的值"),
    ("count(where=unit.group != '部门')", "“部门”不是 unit.group 列可有的值，这样比较对每一行都成立"),
])
def test_a_group_the_registry_does_not_have_is_refused_at_its_measure(tmp_path, measure, expected):
    located(project(tmp_path), {"x": {"from": "tickets", "measures": {"m": measure}}}, f"figures.x.measures.m：{expected}")


def test_a_yes_no_column_in_arithmetic_says_to_write_a_conditional_measure(tmp_path):
    spec = {"from": "tickets", "columns": {"退单": "returned == '是'"}, "measures": {"m": "sum(limit_days * 退单)"}}
    located(project(tmp_path), {"x": spec}, "是非值（条件）不能参与 + - * / 运算；按条件求和、求平均请写 sum(x, where=条件)", command="build")


def test_a_product_of_unlike_values_suggests_a_conditional_measure(tmp_path):
    spec = {"from": "tickets", "measures": {"m": "sum(limit_days * returned)"}}
    located(project(tmp_path), {"x": spec}, "“limit_days * returned”中的值类型不相容，无法计算（TypeError）；按条件求和、求平均请写 sum(x, where=条件)", command="build")


def test_a_where_that_is_not_a_condition_is_located(tmp_path):
    spec = {"from": "tickets", "measures": {"m": "sum(limit_days, where=limit_days)"}}
    located(project(tmp_path), {"x": spec}, "sum() 的 where= 应为条件", command="build")


# ---- the order of a grouping ----

def test_a_grouping_comes_in_the_order_named(figure):
    kinds = ["咨询", "求助", "投诉", "举报", "建议"]  # the choices as kind.yaml lists them
    first_seen = list(dict.fromkeys(r["诉求类型"] for r in tickets()))
    assert first_seen != kinds  # the two orders differ in the test data
    assert [r["category"] for r in figure("{from: tickets, group_by: category, measures: {n: count()}}")] == first_seen
    assert [r["category"] for r in figure("{from: tickets, group_by: category, measures: {n: count()}, order: table}")] == first_seen
    assert [r["category"] for r in figure("{from: tickets, group_by: category, measures: {n: count()}, order: choices}")] == kinds
    listed = list(registry())
    units = list(dict.fromkeys(r["承办单位"] for r in tickets()))
    assert [str(r["unit"]) for r in figure("{from: tickets, group_by: unit, measures: {n: count()}}")] == [u for u in listed if u in units]
    assert [str(r["unit"]) for r in figure("{from: tickets, group_by: unit, measures: {n: count()}, order: table}")] == units
    groups = list(dict.fromkeys(g for _, g in registry().values()))
    by_group = figure("{from: tickets, group_by: unit.group, measures: {n: count()}, order: registry}")
    assert [r["group"] for r in by_group] == [g for g in groups if g in {r["group"] for r in by_group}]


@pytest.mark.parametrize("spec, expected", [
    ({"from": "tickets", "group_by": "unit", "measures": {"n": "count()"}, "order": "choices"},
     "figures.x.order：order: choices 只用于按选项列（type: choice）分组，“unit”不是选项列（可改用 order: table）"),
    ({"from": "tickets", "group_by": "category", "measures": {"n": "count()"}, "order": "registry"},
     "figures.x.order：order: registry 只用于按单位或 unit.group 分组，“category”两者都不是"),
    ({"from": "tickets", "measures": {"n": "count()"}, "order": "table"},
     "figures.x.order：order: table 是分组的顺序，此处没有 group_by"),
])
def test_an_order_the_grouping_cannot_have_is_located(tmp_path, spec, expected):
    located(project(tmp_path), {"x": spec}, expected)


def test_an_order_of_choices_on_a_chain_without_choices_is_refused_when_it_runs(tmp_path):
    figures = {"各单位n": {"from": "tickets", "group_by": "unit", "measures": {"n": "count()"}},
               "x": {"from": "各单位n", "group_by": "n", "measures": {"k": "count()"}, "order": "choices"}}
    located(project(tmp_path), figures, "figures.x.order：order: choices 只用于按选项列", command="build")


# ---- lookup ----

def test_a_lookup_takes_columns_by_key_from_a_sheet_and_the_registry(figure):
    spec = """
    from: tickets
    where: "ticket_id in ['RX20240500001', 'RX20240500002', 'RX20240500007']"
    lookup:
      片区表: {key: unit, columns: [area], missing: blank}
      registry: {key: unit, columns: {全称: full_name, 组别: group}}
      类型表: {key: category, match: kind, columns: {类型说明: note}}
    """
    areas = {name: area for name, area in AREAS[1:]}
    areas["财政局"] = areas.pop("宜城市财政局")  # the sheet may name a unit by its full name
    notes = dict(KINDS[1:])
    source = {r["工单编号"]: r for r in tickets()}
    table = figure(spec)
    assert len(table) == 3
    for row in table:
        raw = source[row["ticket_id"]]
        assert row["area"] == areas.get(raw["承办单位"])  # blank where the sheet has no such unit
        assert (row["全称"], row["组别"]) == registry()[raw["承办单位"]]
        assert row["类型说明"] == notes[raw["诉求类型"]]
        assert row["_row"] == int(raw["工单编号"][-5:]) + 1  # the ticket's line, not the sheet's


def test_a_lookup_feeds_a_grouping_and_rows_without_a_match_are_dropped_when_asked(figure):
    spec = """
    from: tickets
    lookup: {片区表: {key: unit, columns: [area], missing: drop}}
    group_by: area
    measures: {工单数: count(), 平均时限: mean(limit_days)}
    order: table
    """
    areas = {name: area for name, area in AREAS[1:]}
    areas["财政局"] = areas.pop("宜城市财政局")
    counted, days = Counter(), defaultdict(list)
    for r in tickets():
        if r["承办单位"] in areas:
            counted[areas[r["承办单位"]]] += 1
            days[areas[r["承办单位"]]].append(int(r["办理时限（工作日）"]))
    table = figure(spec)
    assert [(r["area"], r["工单数"], r["平均时限"]) for r in table] == [
        (area, n, rounded(Decimal(sum(days[area])) / n)) for area, n in counted.items()]


def test_a_row_without_a_match_is_refused_by_default_with_its_line(tmp_path):
    root = project(tmp_path)
    out = located(root, {"x": {"from": "tickets", "lookup": {"片区表": {"key": "unit"}}}}, "在被查表“片区表”中找不到", command="build")
    areas = {name for name, _ in AREAS[1:]} | {"财政局"}
    lost = [(i + 2, r["承办单位"]) for i, r in enumerate(tickets()) if r["承办单位"] not in areas]
    assert f"{len(lost):,} 行的“unit”" in out
    assert f"12345热线工单.csv第{lost[0][0]}行“{lost[0][1]}”" in out and "missing: blank" in out and "missing: drop" in out


def test_only_the_rows_the_figure_counts_need_a_match(figure):
    table = figure({"from": "tickets", "lookup": {"片区表": {"key": "unit"}}, "where": "unit in ['公安局', '民政局'] and area == '东片'",
                    "group_by": "unit", "measures": {"n": "count()"}})
    counted = Counter(r["承办单位"] for r in tickets() if r["承办单位"] in ("公安局", "民政局"))
    assert {str(r["unit"]): r["n"] for r in table} == dict(counted)


CONTACTS = {"title": "联系人", "columns": {"单位名称": {"header": "单位名称"}, "联系人": {"header": "联系人"}}}  # units as text


def contacts(root: Path, rows: list[tuple]) -> None:
    sheet(root / "periods" / MAY / "联系人.xlsx", [("单位名称", "联系人")] + rows)
    change_bulletin(root / "periods", {"datasets": {"联系人表": CONTACTS}, "files": {"联系人表": "联系人.xlsx"}}, MAY)


def test_units_written_as_text_are_matched_by_the_registry_both_ways(tmp_path):
    root = project(tmp_path)
    contacts(root, [("宜城市公安局", "张三"), ("民政局", "李四")])
    figures = {"按联系人": {"from": "tickets", "where": "unit in ['公安局', '民政局']",
                        "lookup": {"联系人表": {"key": "unit", "match": "单位名称", "columns": ["联系人"]}},
                        "group_by": "联系人", "measures": {"n": "count()"}, "order": "table"},
               "联系人组别": {"from": "联系人表", "lookup": {"registry": {"key": "单位名称", "match": "name", "columns": {"组别": "group"}, "missing": "blank"},
                                                     "片区表": {"key": "单位名称", "match": "unit", "columns": ["area"], "missing": "blank"}}}}
    change_bulletin(root / "periods", {"figures": figures}, MAY)
    config = load_config(MAY, root / "periods", root / "templates")
    with Engine() as engine:
        log = ProblemLog([])
        env = Environment(RuleContext(config.period, config.cutoff, config.registry, load_datasets(config, log, engine), {}), config.view)
        by_person = evaluate_figure("按联系人", figures["按联系人"], env)
        groups = evaluate_figure("联系人组别", figures["联系人组别"], env)
    person = {"公安局": "张三", "民政局": "李四"}
    counted = Counter(person[r["承办单位"]] for r in tickets() if r["承办单位"] in person)
    assert [(r["联系人"], r["n"]) for r in by_person] == list(counted.items())
    # a text key matches text exactly: the registry's short name, the sheet's units by their short names
    expected = [("宜城市公安局", None, None), ("民政局", registry()["民政局"][1], "东片")]
    assert [(r["单位名称"], r["组别"], r["area"]) for r in groups] == expected


def test_a_unit_name_the_registry_lacks_in_a_looked_up_sheet_is_refused_at_its_row(tmp_path):
    root = project(tmp_path)
    contacts(root, [("宜城市公安局", "张三"), ("县统计局", "王五")])
    located(root, {"x": {"from": "tickets", "lookup": {"联系人表": {"key": "unit", "match": "单位名称", "missing": "blank"}}}},
            "联系人.xlsx第3行的“单位名称”：单位“县统计局”不在单位名录中", command="build")


def test_a_lookup_takes_a_column_of_a_declared_figure(tmp_path):
    figures = {"各单位": {"from": "tickets", "group_by": "unit", "measures": {"工单数": "count()"}, "total": "合计"},
               "片区单位": {"from": "片区表", "lookup": {"各单位": {"key": "unit", "columns": ["工单数"], "missing": "blank"}}}}
    root = project(tmp_path, figures=figures)
    config = load_config(MAY, root / "periods", root / "templates")
    with Engine() as engine:
        log = ProblemLog([])
        env = Environment(RuleContext(config.period, config.cutoff, config.registry, load_datasets(config, log, engine), {}), config.view)
        table = evaluate_figure("片区单位", figures["片区单位"], env)  # 各单位 is made on demand
    counted = Counter(r["承办单位"] for r in tickets())
    names = ["公安局", "乡村振兴局", "民政局", "财政局"]
    assert [(str(r["unit"]), r["工单数"]) for r in table] == [(n, counted.get(n)) for n in names]


def test_every_unit_of_the_registry_with_its_count_zero_included(tmp_path):
    figures = {"各单位": {"from": "tickets", "where": "category == '举报'", "group_by": "unit", "measures": {"工单数": "count()"}},
               "各镇街": {"from": "registry", "where": "group == '镇街'", "columns": {"件数": "coalesce(工单数, 0)"},
                       "lookup": {"各单位": {"key": "unit", "columns": ["工单数"], "missing": "blank"}}}}
    root = project(tmp_path, figures=figures)
    assert run_cli("validate", "--period", MAY, "--inputs", str(root / "periods"), "--templates", str(root / "templates")).exit_code == 0
    config = load_config(MAY, root / "periods", root / "templates")
    with Engine() as engine:
        log = ProblemLog([])
        env = Environment(RuleContext(config.period, config.cutoff, config.registry, load_datasets(config, log, engine), {}), config.view)
        table = evaluate_figure("各镇街", figures["各镇街"], env)
    counted = Counter(r["承办单位"] for r in tickets() if r["诉求类型"] == "举报")
    towns = [short for short, (_, group) in registry().items() if group == "镇街"]
    assert {counted.get(t, 0) == 0 for t in towns} == {True, False}  # towns with and without 举报 in the data
    assert [(str(r["unit"]), r["件数"]) for r in table] == [(t, counted.get(t, 0)) for t in towns]


def test_a_lookup_by_a_computed_key_runs_after_the_columns(tmp_path):
    root = project(tmp_path)
    sheet(root / "periods" / MAY / "目标.xlsx", [("月份", "目标件数"), ("2024-04", 1000), ("2024-05", 1500)])
    targets = {"title": "月度目标", "columns": {"月份": {"header": "月份"}, "目标件数": {"header": "目标件数", "type": "int"}}}
    change_bulletin(root / "periods", {"datasets": {"目标表": targets}, "files": {"目标表": "目标.xlsx"}}, MAY)
    figures = {"完成目标": {"from": "tickets", "columns": {"月份": "month(received_on)"},
                        "lookup": {"目标表": {"key": "月份", "columns": ["目标件数"]}}, "where": "目标件数 > 0",
                        "group_by": "月份", "measures": {"工单数": "count()", "目标": "max(目标件数)", "完成率": "rate(工单数, 目标)"}},
               "率": {"from": "tickets", "columns": {"r": "rate(limit_days, 10)"}, "lookup": {"目标表": {"key": "r", "match": "月份"}}}}
    change_bulletin(root / "periods", {"figures": figures}, MAY)
    config = load_config(MAY, root / "periods", root / "templates")
    with Engine() as engine:
        log = ProblemLog([])
        env = Environment(RuleContext(config.period, config.cutoff, config.registry, load_datasets(config, log, engine), {}), config.view)
        (row,) = evaluate_figure("完成目标", figures["完成目标"], env)
    may = sum(r["派单日期"].startswith("2024-05") for r in tickets())
    assert row == {"月份": "2024-05", "工单数": may, "目标": 1500, "完成率": rounded(Decimal(may) * 100 / 1500), "_file": "12345热线工单.csv"}
    located(root, figures, "figures.率.lookup.目标表：“r”要在查询之后才算出（如 rate()），不能用作查找的键",
            command="build")


def test_a_lookup_reading_itself_back_is_a_located_cycle(tmp_path):
    figures = {"甲": {"from": "tickets", "lookup": {"乙": {"key": "unit"}}}, "乙": {"from": "甲", "group_by": "unit", "measures": {"n": "count()"}}}
    located(project(tmp_path), figures, "figures.甲.lookup.乙：派生数据循环引用：甲 → 乙 → 甲")


def test_a_lookup_of_a_figure_names_its_columns(tmp_path):
    figures = {"各单位": {"from": "tickets", "group_by": "unit", "measures": {"工单数": "count()"}},
               "x": {"from": "片区表", "lookup": {"各单位": {"key": "unit", "columns": ["工单"]}}}}
    located(project(tmp_path), figures, "figures.x.lookup.各单位.columns：被查表“各单位”中没有名为“工单”的列，是否为“工单数”？")


def test_a_misspelt_looked_up_column_is_named_once_not_again_where_the_figure_uses_it(tmp_path):
    figures = {"x": {"from": "tickets", "lookup": {"片区表": {"key": "unit", "columns": ["aera"]}}, "group_by": "area",
                     "measures": {"工单数": "count()"}}}
    out = located(project(tmp_path), figures, "figures.x.lookup.片区表.columns：被查表“片区表”中没有名为“aera”的列，是否为“area”？")
    assert "共 1 处" in out and "group_by" not in out, out


def test_a_key_repeated_in_the_looked_up_table_is_refused_naming_both_rows(tmp_path):
    root = project(tmp_path, areas=AREAS + [("民政局", "北片")])
    located(root, {"x": {"from": "tickets", "lookup": {"片区表": {"key": "unit", "missing": "blank"}}}},
            "被查的数据表“片区表”中“unit”为“民政局”的行不止一行：片区.xlsx第4行与片区.xlsx第6行", command="build")


@pytest.mark.parametrize("entry, expected", [
    ({"片区": {"key": "unit"}}, "figures.x.lookup.片区：“片区”既不是数据表、派生数据也不是单位名录（registry），是否为“片区表”？"),
    ({"片区表": {"key": "units"}}, "figures.x.lookup.片区表.key：没有名为“units”的列，是否为“unit”？"),
    ({"类型表": {"key": "category", "match": "kinds"}}, "figures.x.lookup.类型表.match：被查表“类型表”中没有名为“kinds”的列，是否为“kind”？"),
    ({"类型表": {"key": "category", "match": "kind", "columns": ["notes"]}}, "figures.x.lookup.类型表.columns：被查表“类型表”中没有名为“notes”的列"),
    ({"registry": {"key": "unit", "columns": ["unit"]}}, "figures.x.lookup.registry.columns：本表已有“unit”列；取来的列请改名"),
    ({"registry": {"key": "unit", "match": "grup"}}, "figures.x.lookup.registry.match：被查表“registry”中没有名为“grup”的列，是否为“group”？"),
])
def test_a_lookup_naming_what_does_not_exist_is_located(tmp_path, entry, expected):
    located(project(tmp_path), {"x": {"from": "tickets", "lookup": entry}}, expected)


def test_an_empty_looked_up_sheet_leaves_the_taken_columns_blank_or_refuses(tmp_path):
    root = project(tmp_path, areas=AREAS[:1])
    located(root, {"x": {"from": "tickets", "lookup": {"片区表": {"key": "unit"}}}}, f"{len(tickets()):,} 行的“unit”在被查表“片区表”中找不到",
            command="build")
    figures = {"x": {"from": "tickets", "lookup": {"片区表": {"key": "unit", "missing": "blank"}}, "group_by": "area",
                     "measures": {"n": "count()"}}}
    change_bulletin(root / "periods", {"figures": figures}, MAY)
    config = load_config(MAY, root / "periods", root / "templates")
    with Engine() as engine:
        log = ProblemLog([])
        env = Environment(RuleContext(config.period, config.cutoff, config.registry, load_datasets(config, log, engine), {}), config.view)
        assert [(r["area"], r["n"]) for r in evaluate_figure("x", figures["x"], env)] == [(None, len(tickets()))]


def test_keys_of_different_types_are_refused(tmp_path):
    located(project(tmp_path), {"x": {"from": "tickets", "lookup": {"类型表": {"key": "limit_days", "match": "kind"}}}},
            "“limit_days”与被查表“类型表”的键类型不同", command="build")


def test_a_looked_up_table_the_period_does_not_have_is_refused(tmp_path):
    root = project(tmp_path)
    change_bulletin(root / "periods", {"datasets": {"备用表": DATASETS["类型表"]}}, MAY)  # declared, no file this period
    located(root, {"x": {"from": "tickets", "lookup": {"备用表": {"key": "category", "match": "kind"}}}},
            "本期没有数据表“备用表”（bulletin.yaml 的 files 中未写），无法从中查找", command="build")


def test_a_lookup_missing_rule_outside_its_choices_is_located(tmp_path):
    located(project(tmp_path), {"x": {"from": "tickets", "lookup": {"片区表": {"key": "unit", "missing": "skip"}}}}, "skip")


# ---- indicator tables ----

def test_an_indicator_table_is_one_row_with_rates_between_its_rows(figure):
    spec = """
    from: 指标表
    indicators: {name: name, value: value}
    columns:
      办结率: rate(办结数, 受理数)
      未办结数: 受理数 - 办结数
    """
    (row,) = figure(spec)
    values = dict(INDICATORS[1:])
    assert [k for k in row if not k.startswith("_")] == ["受理数", "办结数", "满意度", "未办结数", "办结率"]  # rates last
    assert row["受理数"] == values["受理数"] and row["满意度"] == Decimal(str(values["满意度"]))
    assert row["办结率"] == rounded(Decimal(values["办结数"]) * 100 / values["受理数"])
    assert row["未办结数"] == values["受理数"] - values["办结数"]


def test_an_indicator_table_filtered_to_some_rows(figure):
    (row,) = figure({"from": "指标表", "where": "name != '满意度'", "indicators": {"name": "name", "value": "value"}})
    assert {k: v for k, v in row.items() if not k.startswith("_")} == {"受理数": 1234, "办结数": 1187}


def test_an_indicator_figure_is_named_in_a_sentence(tmp_path):
    figures = {"年度指标": {"from": "指标表", "indicators": {"name": "name", "value": "value"},
                        "columns": {"办结率": "rate(办结数, 受理数)"}, "compare": {"with": "previous"}}}  # every indicator
    root = project(tmp_path, figures=figures)
    sheet(root / "periods/2024-04/指标.xlsx", [("指标", "数值"), ("受理数", 1001), ("办结数", 990)], title="指标")
    change_bulletin(root / "periods", {"datasets": {"指标表": DATASETS["指标表"]}, "files": {"指标表": FILES["指标表"]}}, "2024-04")
    kind = root / "templates/hotline/kind.yaml"
    text = kind.read_text(encoding="utf-8")
    old = "        after: 。\n  - id: units"
    assert text.count(old) == 1
    sentence = "全年受理{{ 年度指标.受理数 }}件（上月{{ 年度指标.受理数_上期 }}件），办结率{{ 年度指标.办结率|百分比 }}。"
    kind.write_text(text.replace(old, f"        after: 。\n      - text: {sentence}\n  - id: units"), encoding="utf-8")
    result = run_cli("build", "--period", MAY, "--inputs", str(root / "periods"), "--templates", str(root / "templates"),
                     "--outputs", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    import docx

    text = "\n".join(p.text for p in docx.Document(next((tmp_path / "out" / MAY).glob("*.docx"))).paragraphs)
    rate = rounded(Decimal(1187) * 100 / 1234)
    assert f"全年受理1234件（上月1001件），办结率{rate.normalize():f}%。" in text


@pytest.mark.parametrize("rows, expected", [
    (INDICATORS + [("受理数", 5)], "指标“受理数”出现了两次：指标.xlsx第2行与指标.xlsx第5行（每项指标只能有一行）"),
    (INDICATORS + [("受理数（件）", 5)], "指标.xlsx第5行的指标名“受理数（件）”不能在表达式中引用"),
])
def test_an_indicator_named_twice_or_unwritably_is_refused_at_its_rows(tmp_path, rows, expected):
    root = project(tmp_path, indicators=rows)
    located(root, {"x": {"from": "指标表", "indicators": {"name": "name", "value": "value"}}}, f"figures.x.indicators：{expected}",
            command="build")


@pytest.mark.parametrize("spec, expected", [
    ({"from": "指标表", "indicators": {"name": "名称", "value": "value"}}, "figures.x.indicators.name：没有名为“名称”的列"),
    ({"from": "指标表", "indicators": {"name": "name", "value": "values"}}, "figures.x.indicators.value：没有名为“values”的列，是否为“value”？"),
    ({"from": "指标表", "indicators": {"name": "name", "value": "value"}, "group_by": "name"},
     "figures.x.indicators：indicators 已把指标表读作一行，不能再写 group_by"),
    ({"from": "指标表", "indicators": {"name": "name"}}, "value"),
])
def test_an_indicator_declaration_naming_what_does_not_exist_is_located(tmp_path, spec, expected):
    located(project(tmp_path), {"x": spec}, expected)


def test_a_rate_naming_an_indicator_the_table_lacks_is_located_when_it_runs(tmp_path):
    spec = {"from": "指标表", "indicators": {"name": "name", "value": "value"}, "columns": {"r": "rate(办结, 受理数)"}}
    located(project(tmp_path), {"x": spec}, "没有名为“办结”的列，是否为“办结数”？", command="build")


# ---- the same figures on every engine ----

ENGINE_FIGURES = {
    "各组": {"from": "cases", "lookup": {"registry": {"key": "unit", "columns": {"组别": "group"}},
                                        "stars": {"key": "unit", "columns": {"明星": "name"}, "missing": "blank"}},
             "group_by": "组别", "order": "table",
             "measures": {"办件数": "count()", "满意数": "count(where=grade == '满意')", "有明星": "count(where=filled(明星))",
                          "平均时限": "mean(limit_days, where=filled(completed_on))", "最长时限": "max(limit_days, where=grade == '不满意')"}},
    "各窗口": {"from": "cases", "group_by": "unit", "order": "table",
              "measures": {"n": "count()", "s": "sum(limit_days, where=unit.group == '分中心')"}},
}


def engine_figures(inputs: Path, period: str = "2023Q2") -> dict:
    """ENGINE_FIGURES over ``inputs``, each row without where it came from (a file or a table)."""
    change_bulletin(inputs, {"figures": ENGINE_FIGURES}, period)
    config = load_config(period, inputs, TEMPLATES)
    with Engine() as engine:
        log = ProblemLog([])
        datasets = load_datasets(config, log, engine)
        assert not log.problems
        env = Environment(RuleContext(config.period, config.cutoff, config.registry, datasets, {}), config.view)
        return {name: [{k: v for k, v in r.items() if not k.startswith("_")} for r in evaluate_figure(name, spec, env)]
                for name, spec in ENGINE_FIGURES.items()}


@pytest.fixture(scope="module")
def embedded_figures(tmp_path_factory) -> dict:
    from .conftest import INPUTS

    inputs = tmp_path_factory.mktemp("embedded") / "periods"
    shutil.copytree(INPUTS / "2023Q2", inputs / "2023Q2")
    shutil.copytree(INPUTS / "registries", inputs / "registries")
    figures = engine_figures(inputs)
    with open(INPUTS / "2023Q2/办件及评价记录.csv", encoding="utf-8-sig") as f:
        cases = list(csv.DictReader(f))
    assert sum(r["办件数"] for r in figures["各组"]) == len(cases)
    assert sum(r["满意数"] for r in figures["各组"]) == sum(r["评价结果"] == "满意" for r in cases)
    assert [str(r["unit"]) for r in figures["各窗口"]][:1] == [cases[0]["办理窗口"]]  # table order: the first case's window first
    return figures


@pytest.mark.postgres
def test_pivot_figures_are_the_same_on_postgres(tmp_path, pg_schema, embedded_figures):
    assert engine_figures(period_copy(tmp_path, {"postgres": f"{pg_schema}.办件记录"})) == embedded_figures


@pytest.mark.spark
def test_pivot_figures_are_the_same_on_spark(tmp_path, spark, embedded_figures):
    assert engine_figures(period_copy(tmp_path, {"spark": "cases_2023q2"})) == embedded_figures


def test_pivot_figures_on_the_embedded_engine(embedded_figures):
    assert embedded_figures["各组"] and embedded_figures["各窗口"]


def test_a_rate_naming_an_indicator_the_sheet_lacks_is_refused_at_its_column(tmp_path):
    figures = {"x": {"from": "指标表", "indicators": {"name": "name", "value": "value"},
                     "columns": {"办结率": "rate(办结数, 受理件数)"}}}
    out = located(project(tmp_path), figures, "figures.x.columns.办结率：没有名为“受理件数”的列，是否为“受理数”？", command="build")
    path = tmp_path / "periods" / MAY / "bulletin.yaml"
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "办结率:" in text)
    assert f"第{line}行" in out, out
