"""存在问题 entries: rule parts, the clerk's text, order and numbering."""

import datetime as dt

from pipeline.compose import problem_paragraphs
from pipeline.findings.problems import check_entries, derive_entries
from pipeline.core.period import Period
from pipeline.load.inputs import RuleContext

from pipeline.config.view import bulletin_view
from pipeline.figures.declared import Environment
from pipeline.findings.declared import run_check

from .rule_helpers import KIND, REGISTRY, stored

CHECKS = {"coverage_below_threshold": {
    **KIND["checks"]["coverage_below_threshold"],
    "sentence": {"each": "findings", "before": "{{ findings|列举 }}覆盖率为", "text": "{{ rate }}", "join": "%、", "after": "%。"},
}}


def context(coverage_rows):
    data = stored({"coverage": [{"unit": u, "total": t, "covered": c} for u, t, c in coverage_rows]})
    return RuleContext(Period.parse("2024Q1"), dt.date(2024, 6, 7), REGISTRY, data)


def derived(entries, ctx):
    env = Environment(ctx, bulletin_view(KIND))
    return derive_entries(entries, bulletin_view({}).section("rules"), ctx, CHECKS, lambda name, params: run_check(name, CHECKS[name], env, params))


ENTRIES = [
    {"heading": "手写问题", "text": "文秘撰写的内容。"},
    {"heading": "覆盖率低", "parts": [{"rule": "coverage_below_threshold"}, {"text": "另有说明。"}]},
    {"heading": "仅规则", "parts": [{"rule": "coverage_below_threshold", "params": {"threshold": 10}}]},
    {"heading": "最后一条", "text": "结尾。"},
]


def test_rule_sentence_and_clerk_text_are_joined_in_order():
    entries = derived(ENTRIES, context([("住建局", 45, 4)]))
    assert [e.heading for e in entries] == ["手写问题", "覆盖率低", "仅规则", "最后一条"]
    assert entries[1].body == "住建局覆盖率为8.89%。另有说明。"
    assert [str(f) for f in entries[1].findings] == ["住建局"]


def test_an_entry_whose_rules_find_nothing_is_dropped_and_numbering_closes_up():
    entries = derived(ENTRIES, context([("住建局", 45, 40)]))
    assert [e.heading for e in entries] == ["手写问题", "覆盖率低", "最后一条"]
    assert entries[1].body == "另有说明。"  # the clerk's part of the entry stays
    assert [p.lead for p in problem_paragraphs(entries)] == ["（一）手写问题。", "（二）覆盖率低。", "（三）最后一条。"]


def test_per_entry_params_override_the_kinds_defaults():
    entries = derived(ENTRIES, context([("住建局", 100, 9)]))
    assert entries[2].body == "住建局覆盖率为9.00%。"


def test_configuration_mistakes_are_reported_with_the_entry_number():
    bad = [
        {"heading": "甲", "parts": [{"rule": "no_such_rule"}]},
        {"text": "没有标题"},
        {"heading": "乙", "parts": [{"rule": "overdue_cases"}]},
    ]
    bad.append({"heading": "丙", "parts": [{"rule": "coverage_below_threshold", "params": {"treshold": 1}}]})
    messages = [p.message for p in check_entries(bad, bulletin_view({}).section("rules"), {"coverage": []}, "存在问题.yaml", checks=KIND["checks"])]
    assert any("第1条" in m and "no_such_rule" in m for m in messages)
    assert any("第2条" in m and "heading" in m for m in messages)
    assert any("第3条" in m and "cases" in m for m in messages)
    assert any("第4条" in m and "没有参数“treshold”，是否为“threshold”？" in m for m in messages)
