"""The draft sections of the monthly 12345 hotline bulletin, said over figure tables of the shape
the declared figures give (one row for the city, one per unit, one per 诉求类型)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pipeline.language.statements import Speaker, say
from pipeline.compose.tree import tree_paragraphs
from pipeline.core.period import Period
from pipeline.core.registry import Unit
from pipeline.language.sentence import Scope
from pipeline.core.yamlio import parse_yaml

from .test_statement_language import table

DRAFT = parse_yaml((Path(__file__).parent / "fixtures" / "hotline" / "sections.yaml").read_text(encoding="utf-8"))
UNITS = [Unit(n, n, "市直部门", i) for i, n in enumerate(["住建局", "城管局", "交通局", "水务局", "教育局", "人社局", "民政局", "卫健局"])]


def by_unit(column: str, values: list) -> object:
    return table([{"unit": u, column: v} for u, v in zip(UNITS, values)], label="unit")


def figures(below=7) -> dict:
    return {
        "period": Period.parse("2024-05"),
        "thresholds": {"按期办结率": 90, "满意率": 85},
        "全市": table([{"工单数": 54321, "工单数_上期": 50210, "按期办结率": Decimal("92.35"), "满意率": Decimal("88.10"),
                      "退单数": 312, "重复件数": 1024}]),
        "按诉求类型": table([{"诉求类型": t, "工单数": n} for t, n in [("投诉", 20000), ("求助", 18000), ("咨询", 16321)]],
                          label="诉求类型"),
        "工单量前五": by_unit("工单数", [9000, 8000, 7000, 6000, 5000]),
        "按期办结率低于标准": by_unit("按期办结率", [Decimal(x) for x in ("85.5", "86", "87.25", "88", "88.5", "89", "89.9")][:below]),
        "满意率低于标准": by_unit("满意率", [Decimal("80.5")] if below else []),
        "退单较多": by_unit("退单数", [40, 35, 30] if below else []),
    }


def said(section_id: str, values: dict) -> list[str]:
    section = next(s for s in DRAFT["sections"] if s.get("id") == section_id)
    return [p.lead + p.text for p in tree_paragraphs(section, Speaker(Scope(values)))]


def test_the_overview_names_the_city_figures_and_the_kinds_of_request():
    assert said("overview", figures()) == [
        "2024年5月，全市12345热线共派发工单54321件（上月50210件），按期办结率92.35%，满意率88.1%，退单312件，重复件1024件。",
        "从诉求类型看，投诉20000件、求助18000件、咨询16321件。",
    ]


def test_the_units_section_lists_units_below_each_threshold_under_topic_headings():
    assert said("units", figures()) == [
        "（一）工单量",
        "工单量居前五位的单位为：住建局（9000件）、城管局（8000件）、交通局（7000件）、水务局（6000件）、教育局（5000件）。",
        "（二）按期办结",
        "1．住建局（85.5%）、城管局（86%）、交通局（87.25%）、水务局（88%）、教育局（88.5%）、人社局（89%）、民政局（89.9%）按期办结率低于90%。",
        "2．住建局（80.5%）满意率低于85%。",
        "（三）退单情况。退单较多的单位为：住建局（40件）、城管局（35件）、交通局（30件）。",
    ]


def test_with_every_unit_on_time_the_sentence_says_so_and_the_empty_lead_drops_out():
    assert said("units", figures(below=0))[2:] == ["（二）按期办结", "1．各单位按期办结率均达到90%。"]


def test_the_problem_entry_names_three_units_and_the_count():
    part = DRAFT["problems"][0]["parts"][0]
    assert say(part, Speaker(Scope(figures()))) == [
        "住建局、城管局、交通局等7个单位按期办结率低于90%，分别为85.5、86、87.25、88、88.5、89、89.9（%）。"]
    assert say(part, Speaker(Scope(figures(below=0)))) == []
