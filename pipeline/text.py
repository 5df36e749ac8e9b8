"""Wording from configuration: Jinja sentences rendered in a sandbox.

Sentences a clerk may want to change (findings, the ranking sentence, the closing
request) are Jinja strings in YAML. They are rendered here, in a sandboxed environment,
with values from the data passed in as values: text that came from data is never
parsed as a template.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from .period import CHINESE_NUMERALS, format_date, format_month_day


def chinese_number(n: int) -> str:
    """Small counts in Chinese numerals as running text writes them: 3 → 三, 12 → 十二."""
    n = int(n)
    if n < 0 or n > 99:
        return str(n)
    if n <= 10:
        return CHINESE_NUMERALS[n] if n else "零"
    tens, ones = divmod(n, 10)
    return (CHINESE_NUMERALS[tens] if tens > 1 else "") + "十" + (CHINESE_NUMERALS[ones] if ones else "")


def _date(value) -> str:
    return format_date(value) if isinstance(value, dt.date) else str(value)


def _month_day(value) -> str:
    return format_month_day(value) if isinstance(value, dt.date) else str(value)


def format_percent(value) -> str:
    """A rate as bulletins print it, the same way in every row: two places at most, trailing
    zeros dropped (100%, 99.5%, 99.87%); blank when there is no rate (None)."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["cn"] = chinese_number
    env.filters["date"] = _date
    env.filters["month_day"] = _month_day
    env.filters["percent"] = format_percent
    return env


@lru_cache(maxsize=512)
def _compile(source: str):
    return environment().from_string(source)


@lru_cache(maxsize=128)
def _compile_expression(source: str):
    return environment().compile_expression(source)


def evaluate(expression: str, **context):
    """The value of a configured expression (``votes.group('分中心')``), sandboxed like sentences."""
    return _compile_expression(str(expression))(**context)


def render_text(source: str, **context) -> str:
    """A configured sentence with its values filled in."""
    return _compile(str(source)).render(**context).strip()
