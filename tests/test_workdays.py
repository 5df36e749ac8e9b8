"""Working days under China's statutory holidays and make-up working days (调休)."""

import datetime as dt

import numpy as np
import pytest

from pipeline.derive.workdays import CalendarError, WorkdayCalendar

D = dt.date


@pytest.fixture(scope="module")
def calendar_2024():
    return WorkdayCalendar(D(2024, 1, 1), D(2024, 12, 31))


def test_ordinary_week(calendar_2024):
    # Monday 2024-03-04 + 5 working days, the day of application not counted → Monday 03-11
    assert calendar_2024.due_date(D(2024, 3, 4), 5) == D(2024, 3, 11)


def test_qingming_holiday_inside_a_time_limit(calendar_2024):
    # 4月4日–6日 清明 holiday; Sunday 4月7日 is a make-up working day
    assert not calendar_2024.is_working_day(D(2024, 4, 4))
    assert calendar_2024.is_working_day(D(2024, 4, 7))
    # 4月3日 + 3: 4月7日(1) 4月8日(2) 4月9日(3)
    assert calendar_2024.due_date(D(2024, 4, 3), 3) == D(2024, 4, 9)


def test_spring_festival(calendar_2024):
    # 2月10日–17日 off; Sunday 2月18日 is worked
    assert calendar_2024.due_date(D(2024, 2, 8), 2) == D(2024, 2, 18)


def test_application_on_a_holiday_counts_from_the_next_working_day(calendar_2024):
    assert calendar_2024.due_date(D(2024, 10, 1), 1) == D(2024, 10, 8)


def test_vectorised_equals_one_at_a_time(calendar_2024):
    starts = np.arange(np.datetime64("2024-01-01"), np.datetime64("2024-11-01"), 7)
    limits = (np.arange(len(starts)) % 20) + 1
    many = calendar_2024.due_dates(starts, limits)
    one_by_one = [calendar_2024.due_date(s.astype(object), int(n)) for s, n in zip(starts, limits)]
    assert [d.astype(object) for d in many] == one_by_one


def test_workdays_between(calendar_2024):
    got = calendar_2024.workdays_between(np.array(["2024-04-03"], "datetime64[D]"), np.array(["2024-04-10"], "datetime64[D]"))
    assert got.tolist() == [4]  # 4/7, 4/8, 4/9, 4/10


def test_a_year_the_package_does_not_know_must_be_configured():
    with pytest.raises(CalendarError, match="calendar.2031"):
        WorkdayCalendar(D(2031, 1, 1), D(2031, 3, 1))


def test_configured_holidays_for_an_unknown_year():
    overrides = {2030: {"holidays": ["2030-12-31"]}, 2031: {"holidays": ["2031-01-01", "2031-01-02"], "workdays": ["2031-01-05"]}}
    calendar = WorkdayCalendar(D(2030, 12, 30), D(2031, 2, 1), overrides)
    assert not calendar.is_working_day(D(2030, 12, 31))
    # 2030-12-30 (Mon) + 2: 12/31, 1/1 and 1/2 off, 1/3 (Fri) is 1, Sunday 1/5 worked is 2
    assert calendar.due_date(D(2030, 12, 30), 2) == D(2031, 1, 5)
