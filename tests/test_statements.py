"""Statements over hand-built figure tables: joined lists, groups with their own items, when and
when_empty, and the items of every heading level numbered after those that dropped out."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.language.statements import Speaker, say
from pipeline.compose.tree import tree_paragraphs
from pipeline.core.registry import Unit
from pipeline.language.sentence import Scope, SentenceError

from .test_statement_language import table

A, B = Unit("甲局", "甲局", "市直部门", 0), Unit("乙局", "乙局", "市直部门", 1)

OVERDUE = table([
    {"unit": A, "申请人": "张三", "事项": "开办", "超时": 2, "_file": "办件.csv", "_row": 4},
    {"unit": A, "申请人": "李四", "事项": "变更", "超时": 1, "_file": "办件.csv", "_row": 7},
    {"unit": B, "申请人": "王五", "事项": "注销", "超时": 3, "_file": "办件.csv", "_row": 9},
], name="超时办件", title="超时办件", label="unit")


def speaker(**figures) -> Speaker:
    return Speaker(Scope({"period": None, "cutoff": dt.date(2024, 6, 7), **figures}))


def test_a_group_writes_one_sentence_per_unit_with_its_own_rows():
    said = speaker(超时办件=OVERDUE)
    texts = say({"each": "超时办件", "group": "unit", "text": "{{ unit }}出现{{ rows|个数 }}起超时办件，",
                 "items": [{"each": "rows", "text": "{{ 申请人 }}申请的《{{ 事项 }}》超时{{ 超时 }}个工作日",
                            "join": "；", "after": "。"}]}, said)
    assert texts == ["甲局出现2起超时办件，张三申请的《开办》超时2个工作日；李四申请的《变更》超时1个工作日。",
                     "乙局出现1起超时办件，王五申请的《注销》超时3个工作日。"]
    assert [(e.figure, e.label, e.file, e.row) for e in said.evidence] == [
        ("超时办件", "甲局", "办件.csv", 4), ("超时办件", "甲局", "办件.csv", 7), ("超时办件", "乙局", "办件.csv", 9)]


def test_when_empty_says_the_other_sentence_and_when_drops_the_statement():
    empty = table([], name="低于标准", columns=["unit", "率"], label="unit")
    said = speaker(低于标准=empty, 超时办件=OVERDUE)
    assert say({"each": "低于标准", "text": "{{ unit }}", "join": "、", "when_empty": "各单位均达到标准。"}, said) == ["各单位均达到标准。"]
    assert say({"when": "低于标准", "text": "共{{ 超时办件|个数 }}起。"}, said) == []
    assert say({"when": "超时办件", "text": "共{{ 超时办件|个数 }}起。"}, said) == ["共3起。"]
    assert said.evidence and all(e.figure == "超时办件" for e in said.evidence)


def test_four_levels_are_numbered_and_close_up_at_each_level():
    empty = table([], name="无", columns=["unit"], label="unit")
    section = {"items": [
        {"topic": "政务公开", "items": [
            {"when": "无", "text": "不出现。"},
            {"topic": "网站", "items": [{"text": "首页更新。"}, {"when": "无", "text": "不出现。"}, {"text": "栏目更新。"}]},
            {"lead": "新媒体", "body": [{"text": "账号{{ 超时办件|个数 }}个。"}]},
        ]},
        {"topic": "不出现的主题", "items": [{"when": "无", "text": "x"}]},
        {"lead": "办件", "body": [{"each": "超时办件", "text": "{{ 申请人 }}"}]},
    ]}
    paragraphs = tree_paragraphs(section, speaker(超时办件=OVERDUE, 无=empty))
    assert [(p.lead, p.text, p.level) for p in paragraphs] == [
        ("（一）政务公开", "", 2),
        ("1．网站", "", 3),
        ("", "（1）首页更新。", 2),
        ("", "（2）栏目更新。", 2),
        ("2．新媒体。", "账号3个。", 3),
        ("（二）办件。", "张三", 2),
        ("", "李四", 2),
        ("", "王五", 2),
    ]


def test_an_each_item_without_join_is_one_numbered_item_per_row():
    paragraphs = tree_paragraphs({"items": [{"topic": "超时", "items": [{"each": "超时办件", "text": "{{ unit }}：{{ 申请人 }}"}]}]},
                                 speaker(超时办件=OVERDUE))
    assert [p.lead + p.text for p in paragraphs[1:]] == ["1．甲局：张三", "2．甲局：李四", "3．乙局：王五"]


def test_a_section_whose_items_all_drop_out_says_nothing():
    empty = table([], name="无", columns=["unit"], label="unit")
    section = {"body": [{"when": "无", "text": "x"}], "items": [{"topic": "主题", "items": [{"when": "无", "text": "x"}]}]}
    assert tree_paragraphs(section, speaker(无=empty)) == []
    assert tree_paragraphs({"when": "无", "body": ["总有。"]}, speaker(无=empty)) == []


def test_a_group_by_a_column_the_figure_lacks_is_refused_with_its_columns():
    with pytest.raises(SentenceError, match="group：没有“unti”这一列（可用：unit、申请人、事项、超时）"):
        say({"each": "超时办件", "group": "unti", "text": "{{ unit }}"}, speaker(超时办件=OVERDUE))


def test_values_from_the_data_are_printed_as_typed_never_read_as_sentences():
    typed = "{{ period }}{% if 1 %}&<\"'{# x #}"
    rows = table([{"unit": A, "事项": typed}], name="事项", label="unit")
    said = say({"each": "事项", "text": "《{{ 事项 }}》", "join": "、", "before": "{{ 事项|个数 }}项："}, speaker(事项=rows))
    assert said == [f"1项：《{typed}》"]


def test_a_topic_or_section_whose_figure_is_empty_may_say_so_under_its_heading():
    empty = table([], name="无", columns=["unit"], label="unit")
    item = {"topic": "超时办件", "when": "无", "when_empty": "本月无超时办件。", "items": [{"each": "无", "text": "{{ unit }}"}]}
    paragraphs = tree_paragraphs({"items": [item]}, speaker(无=empty))
    assert [(p.lead, p.text) for p in paragraphs] == [("（一）超时办件", ""), ("", "本月无超时办件。")]
    section = {"when": "无", "when_empty": "本月各单位均按期办结。", "items": [item]}
    assert [p.text for p in tree_paragraphs(section, speaker(无=empty))] == ["本月各单位均按期办结。"]
