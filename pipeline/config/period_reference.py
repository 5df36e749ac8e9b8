"""docs/period-attributes.md: every ``period.*`` a sentence may name, with what it prints for a
quarter, a month and a year — written by the sentence language itself, so it cannot drift."""

from __future__ import annotations

from ..core.period import ATTRIBUTES, Period
from ..language.sentence import Scope

PERIOD_FILE = "docs/period-attributes.md"
EXAMPLES = ("2024Q1", "2024-03", "2024")  # a quarter, a month, a year


# a period's neighbours and dates go on to a name or a format, as a sentence writes them
CHAINED = ("period.next.ordinal_name", "period.previous.full_name", "period.year_ago.full_name",
           "period.next_year.year", "period.end|截至月底", "period.end|月底")


def printed(text: str, code: str) -> str:
    """What ``{{ <text> }}`` prints in a bulletin of period ``code`` (``period.full_name``, ``period.end|月底``)."""
    return Scope({"period": Period.parse(code)}).fill(f"{{{{ {text} }}}}")


def _row(text: str, meaning: str | None = None) -> str:
    cells = [f"`{{{{ {text} }}}}`", *(printed(text, code) for code in EXAMPLES), *([meaning] if meaning else [])]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def period_page() -> str:
    """The reference page: each attribute of ATTRIBUTES, then names and formats written after one."""
    heading = " | ".join(EXAMPLES)
    return "\n".join([
        "# 统计周期的写法（period.*）",
        "",
        "本页由 `pipeline/core/period.py` 生成，请勿手改：运行 `bulletin schema` 重新生成。",
        "句子中写 `{{ period.名称 }}`，按所生成的周期写出；下表是 2024 年一季度（2024Q1）、2024 年 3 月（2024-03）",
        "和 2024 年全年（2024）的通报中印出的文字。上期、下期、上年同期、上一年、下一年本身也是周期：直接写出时为",
        "带年份的名称，也可再接名称（`{{ period.next.ordinal_name }}`）；日期可接日期格式（`{{ period.end|截至月底 }}`，",
        "见 [configuration-language.md](configuration-language.md)）。写了表中没有的名称，检查时指明所在行并列出可用的名称。",
        "",
        f"| 写法 | {heading} | 含义 |",
        "|---|---|---|---|---|",
        *(_row(f"period.{name}", meaning) for name, meaning in ATTRIBUTES.items()),
        "",
        "接着写名称或格式：",
        "",
        f"| 写法 | {heading} |",
        "|---|---|---|---|",
        *(_row(text) for text in CHAINED),
    ]) + "\n"
