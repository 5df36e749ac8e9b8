"""Wording from configuration: Jinja sentences rendered in a sandbox.

Sentences a clerk may want to change (findings, the ranking sentence, the closing
request) are Jinja strings in YAML. They are rendered here, in a sandboxed environment,
with values from the data passed in as values: text that came from data is never
parsed as a template.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from jinja2 import StrictUndefined, TemplateError, TemplateRuntimeError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError

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


def _filled(value):
    """A date a sentence prints must be there: an emptied one (a new period's folder) is not printed as “None”."""
    if value is None or value == "":
        raise TemplateRuntimeError("用到的日期没有填写（bulletin.yaml 中该项为空）")
    return value


def _date(value) -> str:
    value = _filled(value)
    return format_date(value) if isinstance(value, dt.date) else str(value)


def _month_day(value) -> str:
    value = _filled(value)
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


class WordingError(ValueError):
    """A configured sentence that cannot be rendered: bad syntax, an unknown value, a forbidden operation."""


def _wording_error(source: str, exc: TemplateError, names=()) -> WordingError:
    snippet = source if len(source) <= 40 else source[:40] + "…"
    if isinstance(exc, TemplateSyntaxError):
        reason = f"模板语法错误（第{exc.lineno}行）：{exc.message}"
    elif isinstance(exc, UndefinedError):
        available = f"；可用的值：{'、'.join(sorted(names))}" if names else ""
        reason = f"引用了不存在的值（{exc.message}）{available}"
    elif isinstance(exc, SecurityError):
        reason = "使用了不允许的操作"
    else:
        reason = str(exc)
    return WordingError(f"句子“{snippet}”无法生成：{reason}；{{{{ }}}} 与 {{% %}} 之间只能写程序提供的值和筛选器")


@lru_cache(maxsize=512)
def _compile(source: str):
    return environment().from_string(source)


@lru_cache(maxsize=128)
def _compile_expression(source: str):
    return environment().compile_expression(source)


def evaluate(expression: str, **context):
    """The value of a configured expression (``votes.group('分中心')``), sandboxed like sentences."""
    expression = str(expression)
    try:
        return _compile_expression(expression)(**context)
    except TemplateError as exc:
        raise _wording_error(expression, exc, context) from None


def render_text(source: str, **context) -> str:
    """A configured sentence with its values filled in; raises WordingError if it cannot be.

    Only ``source`` (configuration) is a template; ``context`` values, which may come
    from the data, are inserted as text and never parsed.
    """
    source = str(source)
    try:
        return _compile(source).render(**context).strip()
    except TemplateError as exc:
        raise _wording_error(source, exc, context) from None
