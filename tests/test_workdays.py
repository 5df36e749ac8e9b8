"""Working days under China's statutory holidays and make-up working days (调休)."""

import datetime as dt

import pyarrow as pa
import pytest

from pipeline.derive.workdays import CalendarError, WorkdayCalendar, with_due_dates, with_workdays_between
from pipeline.load.engine import Engine, ibis_module

D = dt.date


@pytest.fixture(scope="module")
def engine():
    with Engine() as engine:
        yield engine


def due_dates(engine, calendar, starts: list, limits: list) -> list:
    """Due dates as a build computes them: the calendar joined to the cases in the engine."""
    cases = ibis_module().memtable(pa.table({"i": range(len(starts)), "start": pa.array(starts, pa.date32()), "limit": limits}))
    due = with_due_dates(cases, "start", "limit", calendar).order_by("i")
    return engine.backend().to_pyarrow(due).column("due").to_pylist()


def due_date(engine, calendar, start, limit):
    return due_dates(engine, calendar, [start], [limit])[0]


@pytest.fixture(scope="module")
def calendar_2024():
    return WorkdayCalendar(D(2024, 1, 1), D(2024, 12, 31))


def test_ordinary_week(calendar_2024, engine):
    # Monday 2024-03-04 + 5 working days, the day of application not counted → Monday 03-11
    assert due_date(engine, calendar_2024, D(2024, 3, 4), 5) == D(2024, 3, 11)


def test_qingming_holiday_inside_a_time_limit(calendar_2024, engine):
    # 4月4日–6日 清明 holiday; Sunday 4月7日 is a make-up working day
    assert not calendar_2024.is_working_day(D(2024, 4, 4))
    assert calendar_2024.is_working_day(D(2024, 4, 7))
    # 4月3日 + 3: 4月7日(1) 4月8日(2) 4月9日(3)
    assert due_date(engine, calendar_2024, D(2024, 4, 3), 3) == D(2024, 4, 9)


def test_spring_festival(calendar_2024, engine):
    # 2月10日–17日 off; Sunday 2月18日 is worked
    assert due_date(engine, calendar_2024, D(2024, 2, 8), 2) == D(2024, 2, 18)


def test_application_on_a_holiday_counts_from_the_next_working_day(calendar_2024, engine):
    assert due_date(engine, calendar_2024, D(2024, 10, 1), 1) == D(2024, 10, 8)


def test_many_at_once_equal_counting_day_by_day(calendar_2024, engine):
    starts = [D(2024, 1, 1) + dt.timedelta(days=7 * i) for i in range(43)]
    limits = [(i % 20) + 1 for i in range(len(starts))]

    def by_hand(start, limit):  # walk the calendar one day at a time
        day = start
        while limit:
            day += dt.timedelta(days=1)
            limit -= calendar_2024.is_working_day(day)
        return day

    assert due_dates(engine, calendar_2024, starts, limits) == [by_hand(s, n) for s, n in zip(starts, limits)]


def test_workdays_between(calendar_2024, engine):
    spans = ibis_module().memtable(pa.table({"a": pa.array([D(2024, 4, 3), D(2024, 4, 10)], pa.date32()),
                                             "b": pa.array([D(2024, 4, 10), D(2024, 4, 3)], pa.date32())}))
    got = engine.backend().to_pyarrow(with_workdays_between(spans, "a", "b", calendar_2024, "n").order_by("a"))
    assert got.column("n").to_pylist() == [4, 0]  # 4/7, 4/8, 4/9, 4/10; none backwards


def test_a_year_the_package_does_not_know_must_be_configured():
    with pytest.raises(CalendarError, match="calendar.2031"):
        WorkdayCalendar(D(2031, 1, 1), D(2031, 3, 1))


def test_configured_holidays_for_an_unknown_year(engine):
    overrides = {2030: {"holidays": ["2030-12-31"]}, 2031: {"holidays": ["2031-01-01", "2031-01-02"], "workdays": ["2031-01-05"]}}
    calendar = WorkdayCalendar(D(2030, 12, 30), D(2031, 2, 1), overrides)
    assert not calendar.is_working_day(D(2030, 12, 31))
    # 2030-12-30 (Mon) + 2: 12/31, 1/1 and 1/2 off, 1/3 (Fri) is 1, Sunday 1/5 worked is 2
    assert due_date(engine, calendar, D(2030, 12, 30), 2) == D(2031, 1, 5)
