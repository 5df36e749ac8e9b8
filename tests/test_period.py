import datetime as dt

import pytest

from pipeline.core.period import Period, PeriodError, format_date


@pytest.mark.parametrize(
    "code, full, ordinal, span, months",
    [
        ("2024Q1", "2024年一季度", "第一季度", "1-3月份", ["2024-01", "2024-02", "2024-03"]),
        ("2023Q2", "2023年二季度", "第二季度", "4-6月份", ["2023-04", "2023-05", "2023-06"]),
        ("2023H1", "2023年上半年", "上半年", "1-6月份", [f"2023-{m:02d}" for m in range(1, 7)]),
        ("2023H2", "2023年下半年", "下半年", "7-12月份", [f"2023-{m:02d}" for m in range(7, 13)]),
        ("2023", "2023年", "全年", "全年", [f"2023-{m:02d}" for m in range(1, 13)]),
        ("2024-03", "2024年3月", "3月份", "3月份", ["2024-03"]),
    ],
)
def test_period_names(code, full, ordinal, span, months):
    period = Period.parse(code)
    assert period.full_name == full
    assert period.ordinal_name == ordinal
    assert period.month_span == span
    assert period.months == months


def test_period_bounds():
    q4 = Period.parse("2024Q4")
    assert (q4.start, q4.end) == (dt.date(2024, 10, 1), dt.date(2024, 12, 31))
    feb = Period.parse("2024-02")
    assert feb.end == dt.date(2024, 2, 29)


@pytest.mark.parametrize("text", ["2024Q5", "2024H3", "2024-13", "24Q1", "一季度", ""])
def test_unknown_period_is_refused_with_the_expected_forms(text):
    with pytest.raises(PeriodError, match="2024Q1"):
        Period.parse(text)


def test_dates_are_written_without_leading_zeros():
    assert format_date(dt.date(2024, 6, 2)) == "2024年6月2日"


@pytest.mark.parametrize(
    "code, following, before, year_after, next_year, previous_year",
    [
        ("2024Q1", "2024Q2", "2023Q4", "2025Q1", "2025", "2023"),
        ("2024Q4", "2025Q1", "2024Q3", "2025Q4", "2025", "2023"),
        ("2024-12", "2025-01", "2024-11", "2025-12", "2025", "2023"),
        ("2024-01", "2024-02", "2023-12", "2025-01", "2025", "2023"),
        ("2023H2", "2024H1", "2023H1", "2024H2", "2024", "2022"),
        ("2024", "2025", "2023", "2025", "2025", "2023"),
    ],
)
def test_neighbouring_periods(code, following, before, year_after, next_year, previous_year):
    period = Period.parse(code)
    assert period.next.code == following
    assert period.next.previous == period
    assert period.previous.code == before
    assert period.year_after.code == year_after
    assert period.year_after.year_ago == period
    assert (period.next_year.code, period.next_year.kind) == (next_year, "year")
    assert (period.previous_year.code, period.previous_year.kind) == (previous_year, "year")


def test_next_period_names_as_running_text_writes_them():
    assert Period.parse("2024Q1").next.ordinal_name == "第二季度"
    assert Period.parse("2024Q4").next.full_name == "2025年一季度"
    assert Period.parse("2024").next_year.full_name == "2025年"
    assert Period.parse("2024-05").next.ordinal_name == "6月份"


def test_a_period_written_as_it_is_prints_its_full_name():
    assert str(Period.parse("2024Q1").next) == "2024年二季度"
    assert str(Period.parse("2024").previous_year) == "2023年"


def test_every_listed_attribute_is_there_and_no_method_is_listed():
    from pipeline.core.period import ATTRIBUTES

    period = Period.parse("2024Q1")
    assert sorted(dir(period)) == sorted(ATTRIBUTES)
    assert all(not callable(getattr(period, name)) for name in ATTRIBUTES)
