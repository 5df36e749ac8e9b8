"""The last period's own words typed into text a new period carries over (截至5月底, 一季度 …).

``bulletin new-period`` keeps a period's wording, so a phrase that names the old period — its
name, its months, the end of its last month — would be printed again, now wrong. Each one is
listed at its file and line with the period attribute that says it for whichever period is built.
"""

from __future__ import annotations

import re

from ..core.period import Period, format_date, format_month_day
from ..core.yamlio import scalar_places

_SLOT = re.compile(r"\{\{.*?\}\}", re.S)  # what the statement language fills in: already right


def _phrases(old: Period) -> dict[str, str]:
    """Phrase of the old period -> what to write instead, most specific first."""
    found = {
        old.date_span: "{{ period.date_span }}",
        format_date(old.end): "{{ period.end|日期 }}",
        format_month_day(old.end): "{{ period.end|月日 }}",
        format_date(old.start): "{{ period.start|日期 }}",
        format_month_day(old.start): "{{ period.start|月日 }}",
        old.full_name: "{{ period.full_name }}",
        old.month_span: "{{ period.month_span }}",
        old.ordinal_name: "{{ period.ordinal_name }}",
        old.name: "{{ period.name }}",
        f"{old.year}年{old.last_month}月底": "{{ period.end|月底 }}",
        f"{old.last_month}月底": "{{ period.last_month }}月底",
        f"{old.last_month}月末": "{{ period.last_month }}月末",
    }
    return dict(sorted(found.items(), key=lambda pair: -len(pair[0])))


def _pattern(phrases: dict) -> re.Pattern:
    # a phrase is not found inside a longer number (12月底 is not 2月底, 2024年 not 024年)
    return re.compile(r"(?<![0-9])(" + "|".join(map(re.escape, phrases)) + r")")


def old_period_words(text: str, old: Period, new: Period) -> list[tuple[int, str]]:
    """(line, what to do) for each text value of a YAML document naming ``old`` in words the new period would not say."""
    same = _phrases(new)  # a phrase the new period says alike (一季度 from 2023Q1 to 2024Q1) is right as it is
    phrases = {p: attr for p, attr in _phrases(old).items() if p not in same}
    if not phrases:
        return []
    pattern, found = _pattern(phrases), []
    for value, (line, _column) in scalar_places(text).items():
        for phrase in dict.fromkeys(pattern.findall(_SLOT.sub("", value))):
            found.append((line, _advice(phrase, phrases[phrase], old)))
    return sorted(found)


def _advice(phrase: str, attribute: str, old: Period) -> str:
    return (f"“{phrase}”是上期（{old.full_name}）的写法，新一期照样印出；"
            f"如指本期，请改写为 {attribute}（随所生成的周期而变）")
