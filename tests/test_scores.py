"""百分制得分, ranks and the top/bottom lists."""

import csv
from decimal import Decimal as D

import pytest

from pipeline.core.decimals import rounded
from pipeline.derive.scores import bottom, percent_score, rank_scores, top
from pipeline.load.scoring import ScoreRow, ScoringItem, ScoringScheme
from pipeline.core.registry import Registry, Unit

from .conftest import FIXTURES, INPUTS


def unit(name: str, order: int = 0) -> Unit:
    return Unit(full_name=name, short_name=name, group="g", order=order)


SCHEME = ScoringScheme("g", (ScoringItem("甲", D(10)), ScoringItem("乙", D(30)), ScoringItem("丙", D(60))))


def test_half_up_not_bankers_rounding():
    # 0.93 of 40 points is 2.325 exactly: a clerk writes 2.33, round-half-even gives 2.32
    assert percent_score(D("0.93"), D(40)) == D("2.33")
    assert rounded(D("92.105")) == D("92.11")
    assert rounded(D("0.125")) == D("0.13")


def test_only_applicable_items_count_in_the_denominator():
    row = ScoreRow(unit("甲局"), (D(9), None, D(51)))
    ranked = rank_scores(SCHEME, [row])[0]
    assert ranked.applicable_max == D(70)
    assert ranked.earned == D(60)
    assert ranked.percent == D("85.71")


def test_bonus_and_penalty_change_earned_points_not_the_denominator():
    row = ScoreRow(unit("甲局"), (D(10), D(30), D(50)), bonus=D(2), penalty=D("0.5"))
    ranked = rank_scores(SCHEME, [row])[0]
    assert ranked.earned == D("91.5")
    assert ranked.percent == D("91.50")


def test_ties_keep_input_order_and_ranks_run_on():
    rows = [
        ScoreRow(unit("乙"), (D(8), D(20), D(40))),  # 68
        ScoreRow(unit("甲"), (D(10), D(30), D(50))),  # 90
        ScoreRow(unit("丙"), (D(8), D(20), D(40))),  # 68, after 乙 in the input
        ScoreRow(unit("丁"), (D(1), D(1), D(1))),
    ]
    ranked = rank_scores(SCHEME, rows)
    assert [str(r.unit) for r in ranked] == ["甲", "乙", "丙", "丁"]
    assert [r.rank for r in ranked] == [1, 2, 3, 4]


def test_ties_are_decided_on_the_printed_figure():
    # 61.6/70 and 66/75 are both 88.00: the published table keeps input order
    scheme = ScoringScheme("g", (ScoringItem("甲", D(70)), ScoringItem("乙", D(5))))
    rows = [ScoreRow(unit("农业农村局"), (D("61.6"), None)), ScoreRow(unit("人社局"), (D("63"), D(3)))]
    ranked = rank_scores(scheme, rows)
    assert [r.percent for r in ranked] == [D("88.00"), D("88.00")]
    assert [str(r.unit) for r in ranked] == ["农业农村局", "人社局"]


def test_bottom_lists_the_last_first():
    rows = [ScoreRow(unit(n), (D(s), D(s), D(s))) for n, s in [("a", 9), ("b", 8), ("c", 7), ("d", 6), ("e", 5)]]
    ranked = rank_scores(SCHEME, rows)
    assert [str(r.unit) for r in top(ranked, 3)] == ["a", "b", "c"]
    assert [str(r.unit) for r in bottom(ranked, 3)] == ["e", "d", "c"]


def _published(name: str):
    with open(FIXTURES / name, encoding="utf-8") as handle:
        return [row for row in csv.reader(handle, delimiter="\t")]


@pytest.mark.parametrize("row", _published("published_000_annex1.tsv"), ids=lambda r: r[1])
def test_every_published_city_score_follows_the_formula(row):
    """Each 百分制得分 of the published annex is 实得分 ÷ applicable maxima × 100."""
    maxima = [D(m) for m in (5, 25, 10, 15, 25, 10, 5, 5)]
    items = [None if c == "/" else D(c) for c in row[2:10]]
    scheme = ScoringScheme("市直部门", tuple(ScoringItem(str(i), m) for i, m in enumerate(maxima)))
    ranked = rank_scores(scheme, [ScoreRow(unit(row[1]), tuple(items))])[0]
    assert ranked.earned == D(row[12])
    assert ranked.percent == D(row[13])


def test_registry_resolves_every_name_printed_in_the_published_annexes():
    registry = Registry.from_yaml(INPUTS / "registries" / "宜城市.yaml")
    names = [r[1] for r in _published("published_000_annex1.tsv") + _published("published_000_annex2.tsv")]
    resolved = [registry.resolve(n) for n in names]  # 自然资源和 规划局, 酃城街办, 消防救援大 队 …
    assert len(set(resolved)) == 39
