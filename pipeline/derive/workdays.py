"""Working days (工作日) under China's statutory holidays and make-up working days (调休).

Holidays come from the maintained ``chinese_calendar`` package; a year it does not know
yet (it raises for them) is supplied in configuration::

    calendar:
      2027:
        holidays: [2027-01-01, 2027-02-05, …]   # 法定节假日 falling on weekdays
        workdays: [2027-02-14]                   # 调休上班的周末

The calendar becomes two small tables joined to the records in whichever engine holds
them (:func:`with_due_dates`, :func:`with_workdays_between`): every day with the number of
working days up to it, and every working day by its ordinal. A due date is then one join,
so a year of case records costs the same as a handful, and runs beside the records.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import weakref

import chinese_calendar

from ..core.errors import BulletinError


def _numpy():
    import numpy  # deferred: a build whose working days are counted in-process does without it

    return numpy


class CalendarError(BulletinError, ValueError):
    """A date whose year has no holiday data, in the package or in configuration."""


def _package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
        return True
    except NotImplementedError:
        return False


def working_days(first: dt.date, last: dt.date, overrides: dict | None = None) -> list[bool]:
    """Whether each day from ``first`` to ``last`` (both included) is a working day: Monday to
    Friday, less the 法定节假日, plus the 调休 weekends, of the package or of ``overrides``."""
    overrides = {int(y): v or {} for y, v in (overrides or {}).items()}
    count = (last - first).days + 1
    is_workday = [(first + dt.timedelta(days=i)).weekday() < 5 for i in range(count)]
    for year in range(first.year, last.year + 1) if count > 0 else ():
        holidays, workdays = _year(year, overrides)
        for days, working in ((holidays, False), (workdays, True)):
            for day in days:
                idx = (day - first).days
                if 0 <= idx < count:
                    is_workday[idx] = working
    return is_workday


def _year(year: int, overrides: dict) -> tuple[list[dt.date], list[dt.date]]:
    """(holidays on weekdays, make-up working days) of ``year``; CalendarError if nobody knows them."""
    if year in overrides:
        return ([dt.date.fromisoformat(str(d)) for d in overrides[year].get("holidays", [])],
                [dt.date.fromisoformat(str(d)) for d in overrides[year].get("workdays", [])])
    if _package_knows(year):
        return ([d for d in chinese_calendar.holidays if d.year == year], [d for d in chinese_calendar.workdays if d.year == year])
    raise CalendarError(
        f"缺少{year}年的法定节假日安排：chinese_calendar 尚未收录该年，"
        f"请在配置 calendar.{year} 中填写 holidays（放假日期）和 workdays（调休上班日期）"
    )


def covering_span(first: dt.date, last: dt.date, max_limit: int) -> tuple[dt.date, dt.date]:
    """The days a calendar needs for limits of up to ``max_limit`` working days after ``last``."""
    return first, last + dt.timedelta(days=2 * int(max_limit) + 30)


class WorkdayCalendar:
    """Which days are working days, between two dates, and arithmetic on them."""

    def __init__(self, first: dt.date, last: dt.date, overrides: dict | None = None):
        np = _numpy()
        self.first = np.datetime64(first, "D")
        self.days = np.arange(self.first, np.datetime64(last, "D") + np.timedelta64(1, "D"), np.timedelta64(1, "D"))
        self.is_workday = np.array(working_days(first, last, overrides), dtype=bool)
        self.count_through = np.cumsum(self.is_workday)  # working days up to and including each day

    @classmethod
    def covering(cls, first: dt.date, last: dt.date, max_limit: int, overrides=None) -> "WorkdayCalendar":
        """A calendar long enough for limits of up to ``max_limit`` working days after ``last``."""
        return cls(*covering_span(first, last, max_limit), overrides)

    def _index(self, dates):
        np = _numpy()
        idx = ((dates.astype("datetime64[D]") - self.first) / np.timedelta64(1, "D")).astype("int64")
        if len(idx) and (idx.min() < 0 or idx.max() >= len(self.days)):
            raise CalendarError("日期超出工作日历范围")
        return idx

    def is_working_day(self, day: dt.date) -> bool:
        return bool(self.is_workday[int(self._index(_numpy().array([day], dtype="datetime64[D]"))[0])])


def _arrow(values, kind: str):
    """A NumPy column as an Arrow array of ``kind`` (date32 or int64), sharing its memory: no
    conversion of Python values (pyarrow's imports pandas for it)."""
    import pyarrow as pa

    data = values.astype("int32" if kind == "date32" else "int64")
    return pa.Array.from_buffers(getattr(pa, kind)(), len(data), [None, pa.py_buffer(_numpy().ascontiguousarray(data))])


CALENDARS_KEPT = 32
_tables: dict[tuple, tuple] = {}  # calendar tables by their days: a batch's bulletins share them


def calendar_tables(calendar: WorkdayCalendar):
    """The calendar as two small tables for the engine: every day with the working days up to
    and including it (``through``), and every working day by its ordinal (``ordinal``); and
    two views of the first."""
    key = _calendar_key(calendar)
    if key not in _tables:
        if len(_tables) >= CALENDARS_KEPT:
            _tables.clear()
        _tables[key] = _new_calendar_tables(calendar)
    return _tables[key]


def _calendar_key(calendar: WorkdayCalendar) -> tuple:
    return int(calendar.first.astype("int64")), calendar.is_workday.tobytes()


def _new_calendar_tables(calendar: WorkdayCalendar):
    import pyarrow as pa

    from ..load.engine import arrow_memtable

    np = _numpy()
    days = pa.table({"cal_day": _arrow(calendar.days, "date32"), "cal_through": _arrow(calendar.count_through, "int64")})
    positions = np.flatnonzero(calendar.is_workday)
    workdays = pa.table({
        "work_ordinal": _arrow(np.arange(1, len(positions) + 1), "int64"),
        "work_day": _arrow(calendar.days[positions], "date32"),
    })
    days = arrow_memtable("calendar", days, {"cal_day": "date", "cal_through": "int64"})
    # two views of the days for joining them twice, made once: a new view is a new query to compile
    return days, arrow_memtable("workdays", workdays, {"work_ordinal": "int64", "work_day": "date"}), days.view(), days.view()


def _kept(build):
    """``build`` remembered by its arguments (Ibis expressions are values: the same table and
    calendar give the same query, which a batch's bulletins ask again and again), per engine."""
    made: dict[int, tuple] = {}  # id of the engine's backend → (a weak reference to it, its queries)
    signature = inspect.signature(build)

    @functools.wraps(build)
    def kept(*args, **kwargs):
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        backends, _ = args[0]._find_backends()
        if len(backends) != 1:  # in memory only: made anew
            return build(*bound.args)
        known = _queries_of(made, backends[0])
        key = tuple(v.op() if i == 0 else _calendar_key(v) if isinstance(v, WorkdayCalendar) else v
                    for i, v in enumerate(bound.arguments.values()))
        if key not in known:
            if len(known) >= CALENDARS_KEPT:
                known.clear()
            known[key] = build(*bound.args)
        return known[key]

    return kept


def _queries_of(made: dict, backend) -> dict:
    """The queries kept for ``backend``: backends connected alike compare equal, so they are told apart by identity."""
    reference, known = made.get(id(backend), (None, None))
    if reference is None or reference() is not backend:
        if len(made) >= CALENDARS_KEPT:
            made.clear()
        known = {}
        made[id(backend)] = (weakref.ref(backend), known)
    return known


@_kept
def with_due_dates(table, applied: str, limit: str, calendar: WorkdayCalendar, name: str = "due"):
    """``table`` with a ``name`` column: the ``limit``-th working day after ``applied`` (not counted),
    by joining the calendar in whichever engine holds the table (null where either is empty)."""
    days, workdays, _, _ = calendar_tables(calendar)
    joined = table.left_join(days, table[applied] == days["cal_day"])
    target = joined["cal_through"] + joined[limit].cast("int64")
    due = joined.left_join(workdays, target == workdays["work_ordinal"])
    return due.select(*table.columns, **{name: due["work_day"]})


@_kept
def with_workdays_between(table, start: str, end: str, calendar: WorkdayCalendar, name: str):
    """``table`` with a ``name`` column: working days after ``start`` up to and including ``end``
    (0 when ``end`` is not later; null where either is empty), from the calendar joined in the engine."""
    from ..load.engine import ibis_module

    ibis = ibis_module()
    _, _, first, last = calendar_tables(calendar)
    joined = table.left_join(first, table[start] == first["cal_day"]).left_join(last, table[end] == last["cal_day"])
    between = last["cal_through"] - first["cal_through"]
    return joined.select(*table.columns, **{name: between.isnull().ifelse(ibis.null("int64"), ibis.greatest(between, 0))})
