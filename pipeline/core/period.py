"""Reporting periods (统计周期): parse ``2024Q1``, ``2023H1``, ``2023``, ``2024-03`` and
name them the way a bulletin writes them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .errors import BulletinError

CHINESE_NUMERALS = "〇一二三四五六七八九十"

_PATTERNS = (
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})H([12])$"), "half"),
    (re.compile(r"^(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"^(\d{4})$"), "year"),
)


class PeriodError(BulletinError, ValueError):
    """A period string that names no period."""


@dataclass(frozen=True)
class Period:
    """A reporting period: a run of whole calendar months."""

    code: str  # as typed on the command line: 2024Q1
    kind: str  # quarter | half | month | year
    year: int
    first_month: int
    last_month: int

    @classmethod
    def parse(cls, text: str) -> "Period":
        text = text.strip().upper()  # 2024q1 is 2024Q1
        for pattern, kind in _PATTERNS:
            match = pattern.match(text)
            if not match:
                continue
            year = int(match.group(1))
            if kind == "quarter":
                q = int(match.group(2))
                return cls(text, kind, year, 3 * q - 2, 3 * q)
            if kind == "half":
                h = int(match.group(2))
                return cls(text, kind, year, 6 * h - 5, 6 * h)
            if kind == "month":
                m = int(match.group(2))
                if 1 <= m <= 12:
                    return cls(text, kind, year, m, m)
                break
            return cls(text, kind, year, 1, 12)
        raise PeriodError(
            f"无法识别的统计周期“{text}”：应为 2024Q1（季度）、2023H1（半年）、2023（年度）或 2024-03（月份）"
        )

    @property
    def months(self) -> list[str]:
        """The months of the period as ``YYYY-MM`` strings."""
        return [f"{self.year}-{m:02d}" for m in range(self.first_month, self.last_month + 1)]

    def shifted(self, months: int) -> "Period":
        """The period of the same kind ``months`` earlier (negative) or later: 环比 / 同比 compare with it."""
        first = self.year * 12 + self.first_month - 1 + months
        span = self.last_month - self.first_month
        year, month = divmod(first, 12)
        code = {"quarter": f"{year}Q{month // 3 + 1}", "half": f"{year}H{month // 6 + 1}", "month": f"{year}-{month + 1:02d}"}
        return Period(code.get(self.kind, str(year)), self.kind, year, month + 1, month + 1 + span)

    @property
    def previous(self) -> "Period":
        """上期: the period just before (2024-04 for 2024-05, 2023Q4 for 2024Q1)."""
        return self.shifted(-(self.last_month - self.first_month + 1))

    @property
    def next(self) -> "Period":
        """下期: the period just after (2024Q2 for 2024Q1, 2025 for 2024)."""
        return self.shifted(self.last_month - self.first_month + 1)

    @property
    def year_ago(self) -> "Period":
        """上年同期: the same period a year earlier."""
        return self.shifted(-12)

    @property
    def year_after(self) -> "Period":
        """下年同期: the same period a year later."""
        return self.shifted(12)

    @property
    def previous_year(self) -> "Period":
        """上一年: the whole calendar year before the period's (2023年 for 2024Q1)."""
        return Period.parse(str(self.year - 1))

    @property
    def next_year(self) -> "Period":
        """下一年: the whole calendar year after the period's (2025年 for 2024Q1)."""
        return Period.parse(str(self.year + 1))

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        if self.last_month == 12:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, self.last_month + 1, 1) - dt.timedelta(days=1)

    @property
    def name(self) -> str:
        """Short Chinese name without the year: 一季度, 上半年, 全年, 3月."""
        if self.kind == "quarter":
            return f"{CHINESE_NUMERALS[self.first_month // 3 + 1]}季度"
        if self.kind == "half":
            return "上半年" if self.first_month == 1 else "下半年"
        if self.kind == "month":
            return f"{self.first_month}月"
        return "全年"

    @property
    def ordinal_name(self) -> str:
        """Ordinal form used in running text: 第一季度, 上半年, 3月份, 全年."""
        if self.kind == "quarter":
            return "第" + self.name
        if self.kind == "month":
            return self.name + "份"
        return self.name

    @property
    def full_name(self) -> str:
        """Name with the year: 2024年一季度, 2023年上半年, 2023年, 2024年3月."""
        if self.kind == "year":
            return f"{self.year}年"
        return f"{self.year}年{self.name}"

    @property
    def date_span(self) -> str:
        """Its first and last day as a 公文 writes a span: 2024年1月1日至2024年3月31日."""
        return f"{format_date(self.start)}至{format_date(self.end)}"

    @property
    def month_span(self) -> str:
        """Month range as running text writes it: 4-6月份, 3月份; a whole year is 全年 (never 1-12月份)."""
        if self.kind == "year":
            return self.name
        if self.first_month == self.last_month:
            return f"{self.first_month}月份"
        return f"{self.first_month}-{self.last_month}月份"

    def __str__(self) -> str:
        """A period written into a sentence as it is (``{{ period.next }}``): its full name."""
        return self.full_name

    def __dir__(self) -> list[str]:
        """The attributes a sentence may name (``period.<名称>``), as messages list them."""
        return list(ATTRIBUTES)


# The attributes configured text may name as ``{{ period.<名称> }}``, with what each says; the
# reference page docs/period-attributes.md is made from this list (``bulletin schema``).
ATTRIBUTES = {
    "full_name": "带年份的名称",
    "name": "不带年份的名称",
    "ordinal_name": "正文中的写法（第一季度、3月份）",
    "month_span": "所含月份（季度、半年写“4-6月份”，月份写“3月份”，全年写“全年”）",
    "date_span": "起止日期",
    "start": "第一天（日期，可接日期格式，如 {{ period.start|月日 }}）",
    "end": "最后一天（日期，可接日期格式，如 {{ period.end|截至月底 }}）",
    "year": "年份（数字，{{ period.year }}年）",
    "first_month": "第一个月（数字）",
    "last_month": "最后一个月（数字）",
    "previous": "上期：前一期（同一种周期，可接 .full_name、.ordinal_name 等）",
    "next": "下期：后一期（同一种周期，可接 .full_name、.ordinal_name 等）",
    "year_ago": "上年同期（可接 .full_name 等）",
    "year_after": "下年同期（可接 .full_name 等）",
    "previous_year": "上一年（整年，可接 .year 等）",
    "next_year": "下一年（整年，可接 .year 等）",
    "code": "命令行上的写法（--period）",
    "kind": "周期种类：quarter 季度、half 半年、month 月份、year 年度",
    "months": "所含各月（YYYY-MM）",
}


def format_date(day: dt.date) -> str:
    """A date the way a 公文 writes it: Arabic numerals, no leading zeros (2024年6月12日)."""
    return f"{day.year}年{format_month_day(day)}"


def format_month_day(day: dt.date) -> str:
    """Month and day only (4月2日), as running text writes a date inside its period."""
    return f"{day.month}月{day.day}日"
