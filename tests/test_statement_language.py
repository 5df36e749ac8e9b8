"""The statement language: named formats, the sentences it accepts and those it refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from pipeline.figures.table import FigureTable
from pipeline.language.formats import FormatError, apply_format
from pipeline.core.registry import Unit
from pipeline.language.sentence import Scope, SentenceError, phrase_problem


def table(rows, name="", title="", columns=None, label=None) -> FigureTable:
    """A figure's value built by hand, as a declared figure gives it."""
    found = FigureTable(rows)
    found.name, found.title, found.label = name, title, label
    found.columns = columns or [k for k in (rows[0] if rows else {}) if not k.startswith("_")]
    return found


def units(*names: str) -> FigureTable:
    return table([{"unit": Unit(n, n, "市直部门", i)} for i, n in enumerate(names)], label="unit")


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("列举", units(), ""),
    ("列举", units("甲局"), "甲局"),
    ("列举", units("甲局", "乙局"), "甲局、乙局"),
    ("等N个", units(), ""),
    ("等N个", units("甲局"), "甲局"),
    ("等N个", units("甲局", "乙局", "丙局"), "甲局、乙局、丙局"),
    ("等N个", units(*"甲乙丙丁戊己庚"), "甲、乙、丙等7个单位"),
    ("个数", units(), "0"),
    ("个数", units("甲局", "乙局"), "2"),
    ("个数", 5, "5"),
    ("中文", 0, "零"),
    ("中文", 1, "一"),
    ("中文", 12, "十二"),
    ("两", 2, "两"),
    ("两", 1, "一"),
    ("两", 3, "三"),
    ("约数", 0, "0"),
    ("约数", 9, "9"),
    ("约数", 100, "100"),
    ("约数", 123, "100余"),
    ("约数", 2480, "2000余"),
    ("万", 0, "0"),
    ("万", 9999, "9999"),
    ("万", 54321, "5.4万"),
    ("万", 50000, "5万"),
    ("万", 55550, "5.6万"),
    ("百分比", Decimal("12.34"), "12.34%"),
    ("百分比", Decimal("100.00"), "100%"),
    ("百分比", Decimal("99.50"), "99.5%"),
    ("百分比", 0, "0%"),
    ("整百分比", Decimal("29.5"), "30%"),
    ("整百分比", Decimal("29.49"), "29%"),
    ("近", Decimal("29.6"), "近30%"),
    ("近", Decimal("30.4"), "超30%"),
    ("近", Decimal("30"), "30%"),
    ("日期", dt.date(2024, 6, 12), "2024年6月12日"),
    ("月日", dt.date(2024, 6, 2), "6月2日"),
    ("分别", units(), ""),
    ("分别", units("甲局"), ""),
    ("分别", units("甲局", "乙局"), "分别"),
])
def test_each_named_format_writes_as_a_clerk_does(name, value, expected):
    assert apply_format(name, value) == expected


@pytest.mark.parametrize("name", ["列举", "等N个", "个数", "中文", "两", "约数", "万", "百分比", "整百分比", "近", "分别"])
def test_a_value_that_is_not_there_prints_as_a_dash(name):
    assert apply_format(name, None) == "—"


@pytest.mark.parametrize("name", ["日期", "月日"])
def test_a_date_left_empty_is_not_printed(name):
    with pytest.raises(FormatError, match="用到的日期没有填写"):
        apply_format(name, None)


def test_an_office_declares_its_own_list_format_and_its_dash():
    formats = {"名单": {"base": "等N个", "show": 2, "more": "{{ 名单 }}等{{ 个数 }}个{{ 单位 }}", "unit": "窗口"},
               "百分比": {"none": "无"}}
    assert apply_format("名单", units(*"甲乙丙"), formats) == "甲、乙等3个窗口"
    assert apply_format("百分比", None, formats) == "无"


def test_a_rate_over_a_zero_divisor_prints_without_dividing():
    """A rate computed over nothing is None (the figure never divides by zero): the sentence says —."""
    scope = Scope({"全市": table([{"工单数": 0, "按期办结率": None}])})
    assert scope.fill("共{{ 全市.工单数 }}件，按期办结率{{ 全市.按期办结率|百分比 }}。") == "共0件，按期办结率—。"


def test_names_resolve_to_columns_rows_and_attributes():
    low = table([{"unit": Unit("甲局", "甲局", "g", 0), "率": Decimal("80.5")},
                 {"unit": Unit("乙局", "乙局", "g", 1), "率": Decimal("70")}], label="unit")
    scope = Scope({"低于标准": low, "contact": {"phone": "123"}, "n": 3})
    assert scope.fill("{{ 低于标准|等N个 }}率{{ 低于标准|分别 }}为{{ 低于标准.率|列举 }}，电话{{ contact.phone }}，前{{ n|中文 }}位") == \
        "甲局、乙局率分别为80.5、70，电话123，前三位"


@pytest.mark.parametrize(("sentence", "shown"), [
    ("{% if x %}有{% endif %}", "{% %}"),
    ("{# 注释 #}", "{# #}"),
    ("共{{ a + 1 }}件", "{{ a + 1 }}"),
    ("共{{ a.count() }}件", "{{ a.count() }}"),
    ("共{{ a['b'] }}件", "{{ a['b'] }}"),
    ("共{{ '文字' }}件", "{{ '文字' }}"),
    ("共{{ 3 }}件", "{{ 3 }}"),
    ("共{{ a|join('、') }}件", "{{ a|join('、') }}"),
    ("共{{ a 件", "{{"),
])
def test_every_other_form_is_refused_with_what_is_allowed(sentence, shown):
    problem = phrase_problem(sentence)
    assert f"中的“{shown}”不是允许的写法" in problem
    assert "只能写名称（{{ 名称 }}、{{ 名称.列 }}），可接命名格式（{{ 名称|格式 }}）" in problem


def test_an_unknown_format_is_named_with_the_nearest_one():
    assert "没有名为“百分”的格式，是否为“百分比”？" in phrase_problem("{{ a|百分 }}")


def test_an_unknown_name_or_column_is_named_with_the_nearest_one():
    scope = Scope({"全市": table([{"工单数": 3}]), "period": None})
    with pytest.raises(SentenceError, match="名称“全巿”不存在，是否为“全市”？"):
        scope.fill("{{ 全巿.工单数 }}")
    with pytest.raises(SentenceError, match="没有“工单”，是否为“工单数”？（可用：工单数）"):
        scope.fill("{{ 全市.工单 }}")


def test_a_method_cannot_be_called_nor_a_private_attribute_read():
    scope = Scope({"d": dt.date(2024, 1, 2)})
    with pytest.raises(SentenceError, match="需要调用"):
        scope.fill("{{ d.isoformat }}")
    with pytest.raises(SentenceError, match="没有“__class__”"):
        scope.fill("{{ d.__class__ }}")
