"""A bulletin's dates checked against its period.

A period's folder is usually made by copying the last one: its dates are then a quarter
stale, and nothing else would notice. 成文日期 and 印发日期 must not come before the period
ends, the 统计截止日 must fall inside or after the period and not after the 成文日期, and a
feedback deadline must not come before the 成文日期. Each departure is reported with the
line of ``bulletin.yaml`` it is on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import Problem
from ..core.encoding import decode_text
from ..core.period import Period, format_date
from ..core.yamlio import key_lines
from .view import Settings

COPIED_HINT = "（是否从上一期文件夹复制后未改日期？）"


@dataclass(frozen=True)
class DateField:
    """A date in ``bulletin.yaml``: its path of keys and its Chinese name."""

    path: tuple[str, ...]
    name: str


ISSUED = DateField(("issued_on",), "成文日期")
PRINTED = DateField(("imprint", "printed_on"), "印发日期")
CUTOFF = DateField(("cutoff",), "统计截止日")
DEADLINE = DateField(("rectification_deadline",), "整改反馈期限")


def _value(settings: Settings, path: tuple[str, ...]):
    return settings.value(".".join(path))


def _span(period: Period) -> str:
    return f"统计周期 {period.code}（{period.date_span}）"


def date_departures(period: Period, settings: Settings) -> list[tuple[DateField, str]]:
    """(field, what is wrong) for every date that does not fit the period or the other dates."""
    issued, cutoff = _value(settings, ISSUED.path), _value(settings, CUTOFF.path)
    found = []
    printed = _value(settings, PRINTED.path)
    if printed not in (None, "") and not isinstance(printed, dt.date):
        found.append((PRINTED, f"应为日期（如 2024-06-12），实为“{printed}”"))
    for field, day in ((ISSUED, issued), (PRINTED, printed)):
        if isinstance(day, dt.date) and day < period.end:
            found.append((field, f"{format_date(day)}早于{_span(period)}的结束日：通报应在统计周期结束后成文、印发{COPIED_HINT}"))
    if isinstance(cutoff, dt.date) and cutoff < period.start:
        found.append((CUTOFF, f"{format_date(cutoff)}早于{_span(period)}的开始日：统计截止日应在统计周期之内或之后{COPIED_HINT}"))
    if isinstance(cutoff, dt.date) and isinstance(issued, dt.date) and cutoff > issued:
        found.append((CUTOFF, f"{format_date(cutoff)}晚于成文日期{format_date(issued)}：统计截止日不应晚于成文日期"))
    if isinstance(printed, dt.date) and isinstance(issued, dt.date) and printed < issued:
        found.append((PRINTED, f"{format_date(printed)}早于成文日期{format_date(issued)}：印发日期不应早于成文日期"))
    deadline = _value(settings, DEADLINE.path)
    if isinstance(deadline, dt.date) and isinstance(issued, dt.date) and deadline < issued:
        found.append((DEADLINE, f"{format_date(deadline)}早于成文日期{format_date(issued)}：反馈期限应在成文之后{COPIED_HINT}"))
    return found


def date_problems(period: Period, settings: Settings, path: Path) -> list[Problem]:
    """The departures of :func:`date_departures` as located problems of the period's ``bulletin.yaml``."""
    departures = date_departures(period, settings)
    lines = key_lines(decode_text(path.read_bytes())) if departures else {}
    return [
        Problem(f"{period.code}/{path.name}", f"{'.'.join(field.path)}（{field.name}）{message}", row=lines.get(field.path))
        for field, message in departures
    ]
