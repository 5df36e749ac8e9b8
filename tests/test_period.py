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
        ("2023", "2023年", "全年", "1-12月份", [f"2023-{m:02d}" for m in range(1, 13)]),
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
