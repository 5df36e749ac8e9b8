"""好差评 figures: each rate's formula, half-up rounding, uniform percent writing, and the edges
(no votes at all, nothing evaluated, a window with no case)."""

import datetime as dt
from decimal import Decimal
import pytest

from pipeline.core.decimals import NumberRule
from pipeline.figures.evaluations import Tallies, evaluation_tallies, make_tally
from pipeline.figures.honour_lists import tally_list
from pipeline.load.engine import Engine
from pipeline.core.errors import ProblemLog
from pipeline.load.records import load_records
from pipeline.load.schema import DatasetSpec
from pipeline.core.period import Period
from pipeline.core.registry import Registry, Unit
from pipeline.load.inputs import RuleContext
from pipeline.language.formats import format_percent

from .conftest import TEMPLATES

RATES = {
    "vote_rate": {"of": ["voted"], "per": "expected"},
    "satisfied_rate": {"of": ["satisfied"], "per": "expected"},
    "basic_rate": {"of": ["basic"], "per": "expected"},
    "dissatisfied_rate": {"of": ["dissatisfied", "unevaluated"], "per": "expected"},
}


def tally(expected, voted, satisfied, basic=0, dissatisfied=0):
    counts = {"expected": expected, "voted": voted, "satisfied": satisfied, "basic": basic, "dissatisfied": dissatisfied, "completed": expected}
    return make_tally("窗口", "窗口", counts, RATES)


def test_satisfied_rate_is_satisfied_over_expected_votes():
    t = tally(880, 876, 876)
    assert t["satisfied_rate"] == Decimal("99.55")  # 876 ÷ 880 = 99.545… → half-up 99.55


def test_dissatisfied_rate_counts_unevaluated_cases():
    t = tally(880, 876, 876)
    assert t["unevaluated"] == 4
    assert t["dissatisfied_rate"] == Decimal("0.45")  # (0 + 4) ÷ 880 = 0.4545…


def test_basic_rate_and_vote_rate():
    t = tally(34, 34, 32, basic=2)
    assert (t["vote_rate"], t["basic_rate"], t["satisfied_rate"]) == (Decimal("100.00"), Decimal("5.88"), Decimal("94.12"))


def test_rounding_is_half_up_not_bankers():
    rule = NumberRule()  # what an office that says nothing under numbers: gets
    assert rule.percent(1, 8) == Decimal("12.50")
    assert rule.percent(5, 3816 * 1) == Decimal("0.13")
    assert rule.percent(1, 800) == Decimal("0.13")  # 0.125 → 0.13 (banker's rounding gives 0.12)


def test_percent_written_the_same_way_in_every_row():
    assert [format_percent(v) for v in (Decimal("100.00"), Decimal("99.87"), Decimal("5.50"), Decimal("0.08"), None)] == [
        "100%", "99.87%", "5.5%", "0.08%", ""
    ]


def test_no_votes_at_all_gives_blank_rates_not_an_error():
    t = tally(0, 0, 0)
    assert t["unevaluated"] == 0
    assert all(t[r] is None for r in RATES)


def test_all_unevaluated():
    t = tally(18, 0, 0)
    assert (t["unevaluated"], t["vote_rate"], t["satisfied_rate"], t["dissatisfied_rate"]) == (18, Decimal("0.00"), Decimal("0.00"), Decimal("100.00"))


def window_statement(t) -> str:
    """The kind's 投票情况 statement said over one window (the row its declared figure gives)."""
    import yaml

    from pipeline.language.statements import Speaker, say
    from pipeline.figures.table import FigureTable
    from pipeline.language.sentence import Scope

    kind = yaml.safe_load((TEMPLATES / "haochaping/kind.yaml").read_text(encoding="utf-8"))
    statement = next(i for i in kind["sections"][0]["items"] if i.get("each") == "分中心窗口")
    bad = t["dissatisfied"] + t["unevaluated"]
    row = {**t.counts, **t.rates, "text_name": t.text_name, "不满意合计": bad, "基本满意和不满意": t["basic"] + bad}
    scope = Scope({"分中心窗口": FigureTable([row]), "period": Period.parse("2023Q2")})
    return "".join(say(statement, Speaker(scope)))


def test_text_sentence_for_an_all_unevaluated_window_names_the_unevaluated():
    text = window_statement(tally(18, 0, 0))
    assert "群众参与投票0件，投票率0%" in text and "不满意票18张（未开展评价18张），占比100%" in text
    assert window_statement(tally(0, 0, 0)) == "窗口投票情况。4-6月份无办件。"
    assert window_statement(tally(5, 5, 5)).endswith("满意票5张，占比100%；基本满意票和不满意票均为零。")
    assert window_statement(tally(5, 5, 4, basic=1)).endswith("基本满意1张，占20%；不满意票0张，占比0%。")


def _registry():
    units = [Unit(f"单位{i}", f"单位{i}", "大厅" if i < 3 else "分中心", i) for i in range(4)]
    return Registry(units)


def _context(records):
    return RuleContext(Period.parse("2023Q2"), dt.date(2023, 6, 30), _registry(), {"cases": records})


def _records(tmp_path, engine, lines, choices=("满意", "基本满意", "不满意")):
    """Case records written as a .csv and loaded into the engine as a build does."""
    columns = {
        "unit": {"header": "窗口", "type": "unit"},
        "applied_on": {"header": "申请日期", "type": "date"},
        "completed_on": {"header": "办结日期", "type": "date", "required": False},
        "grade": {"header": "评价", "type": "choice", "choices": list(choices), "required": False},
    }
    path = tmp_path / "cases.csv"
    path.write_text("窗口,申请日期,办结日期,评价\n" + "\n".join(lines) + "\n", encoding="utf-8")
    log = ProblemLog()
    records = load_records(path, DatasetSpec.from_config("cases", {"columns": columns}), _registry(), log, engine)
    assert not log.problems
    return records


def test_counts_per_window_by_grade_and_completion(tmp_path):
    lines = ["单位0,2023-04-03,2023-04-04,满意", "单位0,2023-04-03,2023-04-04,基本满意", "单位0,2023-04-03,,",
             "单位1,2023-04-03,2023-04-04,不满意", "单位1,2023-04-03,2023-07-04,满意", "单位2,2023-04-03,2023-04-04,"]
    with Engine() as engine:
        result = evaluation_tallies(_context(_records(tmp_path, engine, lines)), {"dataset": "cases", "rates": RATES})
    counts = {k: [t[k] for t in result.rows] for k in ("expected", "voted", "satisfied", "basic", "dissatisfied", "completed")}
    assert counts == {
        "expected": [3, 2, 1, 0], "voted": [2, 2, 0, 0], "satisfied": [1, 1, 0, 0],
        "basic": [1, 0, 0, 0], "dissatisfied": [0, 1, 0, 0], "completed": [2, 1, 1, 0],  # 7/4 is after the cut-off
    }


def test_tallies_keep_registry_order_and_list_idle_windows(tmp_path):
    lines = ["单位1,2023-04-03,2023-04-04,满意", "单位1,2023-04-03,2023-04-04,", "单位0,2023-05-04,2023-05-05,满意",
             "单位0,2023-03-31,2023-04-01,满意", "单位3,2023-06-01,2023-06-02,满意"]
    with Engine() as engine:
        records = _records(tmp_path, engine, lines)
        result: Tallies = evaluation_tallies(_context(records), {"dataset": "cases", "rates": RATES, "groups": ["大厅", "分中心"]})
    assert [t.name for t in result.rows] == ["单位0", "单位1", "单位2", "单位3"]
    assert [t["expected"] for t in result.rows] == [1, 2, 0, 1]  # the March case lies outside the period
    assert [t.name for t in result.busiest("大厅", 5)] == ["单位1", "单位0"]
    assert [t.name for t in result.idle("大厅")] == ["单位2"]
    assert result.total("大厅")["expected"] == 3 and result.total("大厅")["unevaluated"] == 1


def test_honour_list_groups_units_by_times_named_most_first():
    a, b, c = (Unit(n, n, "大厅", i) for i, n in enumerate("甲乙丙"))
    day = [dt.date(2023, 4, 28), dt.date(2023, 5, 31)]
    postings = [
        {"posted_on": day[0], "unit": b, "persons": 2},
        {"posted_on": day[0], "unit": a, "persons": 1},
        {"posted_on": day[1], "unit": b, "persons": 1},
        {"posted_on": day[1], "unit": c, "persons": 3},
        {"posted_on": day[1], "unit": a, "persons": 1},
    ]
    result = tally_list("红榜", postings)
    assert (result.postings, result.persons) == (2, 8)
    assert [(g.count, [u.short_name for u in g.units]) for g in result.groups] == [(2, ["乙", "甲"]), (1, ["丙"])]
    assert [u.short_name for u in tally_list("红榜", postings, order="registry").groups[0].units] == ["甲", "乙"]


@pytest.mark.parametrize("value", [Decimal("0"), 0])
def test_annex_cells_blank_for_zero(value):
    from pipeline.compose.annexes import cell_text

    assert cell_text(value, "percent" if isinstance(value, Decimal) else None, True) == ""
    assert cell_text(value, None, False) == "0"


def test_a_kind_naming_an_unknown_derivation_or_table_is_refused():
    from pipeline.figures.base import check_figures

    problems = check_figures(
        {"votes": {"derive": "evaluation_talies", "dataset": "cases"}, "lists": {"derive": "honour_lists", "dataset": "红黑榜"}},
        {"cases": []},
        "haochaping/kind.yaml",
    )
    assert [str(p) for p in problems] == [
        "haochaping/kind.yaml：figures.votes：未知的计算方法“evaluation_talies”（可用：evaluation_tallies、honour_lists、rows）",
        "haochaping/kind.yaml：figures.lists：需要数据表“红黑榜”，请在 bulletin.yaml 的 files 中配置",
    ]


def test_grades_are_configuration_so_an_inspection_counts_pass_and_fail(tmp_path):
    lines = ["单位0,2023-04-03,,合格", "单位0,2023-04-03,,合格", "单位0,2023-04-03,,不合格", "单位1,2023-04-03,,"]
    params = {
        "dataset": "cases",
        "grades": {"passed": "合格", "failed": "不合格"},
        "rates": {"pass_rate": {"of": ["passed"], "per": "voted"}},
        "groups": ["大厅"],
    }
    with Engine() as engine:
        result = evaluation_tallies(_context(_records(tmp_path, engine, lines, ("合格", "不合格"))), params)
    first = result.rows[0]
    assert (first["passed"], first["failed"], first["pass_rate"]) == (2, 1, Decimal("66.67"))
    assert result.rows[1]["pass_rate"] is None  # inspected nothing: no rate
