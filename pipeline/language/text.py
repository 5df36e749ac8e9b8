"""Wording from configuration: Jinja sentences rendered in a sandbox.

Sentences a clerk may want to change (findings, the ranking sentence, the closing
request) are Jinja strings in YAML. They are rendered here, in a sandboxed environment,
with values from the data passed in as values: text that came from data is never
parsed as a template.
"""

from __future__ import annotations

import datetime as dt
import re
import signal
import threading
from contextlib import contextmanager
from functools import lru_cache, wraps

from jinja2 import StrictUndefined, TemplateError, TemplateRuntimeError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEnvironment, SecurityError

from ..core.decimals import trimmed
from ..core.period import format_date, format_month_day
from .formats import MAX_TEXT_CHARS, chinese_number


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
    return f"{trimmed(value, 2)}%"


MAX_SECONDS = 2.0  # the longest one may take (where a timer can interrupt it: the main thread)
MAX_RANGE = 10_000
MAX_EXPONENT = 256
_PERCENT_SPEC = re.compile(r"%[-+ #0]*(\d*)(?:\.(\d+))?")  # "%9d", "%.9f"
_BRACE_SPEC = re.compile(r"\{[^{}]*?:([^{}]*)\}")  # "{:>9}", "{:9.2f}"
_PADDING_METHODS = {"center", "ljust", "rjust", "zfill", "expandtabs"}
_PATTERN_METHODS = {"format", "format_map"}


class LimitExceeded(TemplateError):
    """A sentence that would make more text, or take longer, than any sentence may."""


def _check_size(value, what: str = "结果") -> None:
    if isinstance(value, (str, list, tuple, bytes)) and len(value) > MAX_TEXT_CHARS:
        raise LimitExceeded(f"{what}超过 {MAX_TEXT_CHARS:,} 个字符（或项）")


def _check_numbers(args) -> None:
    """No width or count beyond MAX_TEXT_CHARS among ``args``."""
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_TEXT_CHARS:
            raise LimitExceeded(f"宽度或次数 {arg} 超过 {MAX_TEXT_CHARS:,}")


def _check_pattern(pattern) -> None:
    """No field of a format pattern ("%9d", "{:>9}") wider or more precise than MAX_TEXT_CHARS."""
    if isinstance(pattern, str):
        numbers = [n for match in _PERCENT_SPEC.finditer(pattern) for n in match.groups() if n]
        numbers += [n for spec in _BRACE_SPEC.findall(pattern) for n in re.findall(r"\d+", spec)]
        _check_numbers(int(n) for n in numbers)


def _bounded_range(*args):
    _check_numbers(args)
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise LimitExceeded(f"range 共 {len(numbers):,} 项，超过 {MAX_RANGE:,}")
    return numbers


def _bounded_filter(name: str, function):
    @wraps(function)  # keeps jinja's pass_context / pass_environment marks
    def bounded(*args, **kwargs):
        if name == "format":
            _check_pattern(next((a for a in args if isinstance(a, str)), None))
        else:  # the value filtered comes first (after a context); widths and counts after it
            _check_numbers([*args[1:], *kwargs.values()])
        result = function(*args, **kwargs)
        _check_size(result)
        return result

    return bounded


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, also bounding what a sentence may make: no text or list beyond
    MAX_TEXT_CHARS from *, %, ** or a padding method, no range beyond MAX_RANGE."""

    intercepted_binops = frozenset(["*", "**", "%"])

    def call_binop(self, context, operator, left, right):
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise LimitExceeded(f"乘方的指数 {right} 超过 {MAX_EXPONENT}")
        if operator == "*":
            for sized, times in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(times, int) and len(sized) * times > MAX_TEXT_CHARS:
                    raise LimitExceeded(f"重复后的长度超过 {MAX_TEXT_CHARS:,} 个字符（或项）")
        if operator == "%":
            _check_pattern(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (jinja's signature)
        method = getattr(__obj, "__wrapped__", __obj)  # the sandbox wraps str.format
        if isinstance(getattr(method, "__self__", None), str):
            if method.__name__ in _PADDING_METHODS:
                _check_numbers([*args, *kwargs.values()])
            elif method.__name__ in _PATTERN_METHODS:
                _check_pattern(method.__self__)
        result = super().call(__context, __obj, *args, **kwargs)
        _check_size(result)
        return result


def _named_formats() -> dict:
    """The named formats (formats.py) as filters, so a sentence kept in the older keys may use them."""
    from .formats import BUILT_IN, FormatError, apply_format

    def named(name: str):
        def write(value):
            try:
                return apply_format(name, value)
            except FormatError as exc:
                raise TemplateRuntimeError(str(exc)) from None
        return write

    return {name: named(name) for name in BUILT_IN}


@lru_cache(maxsize=1)
def environment() -> SandboxedEnvironment:
    env = BoundedSandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)
    env.filters["cn"] = chinese_number
    env.filters["date"] = _date
    env.filters["month_day"] = _month_day
    env.filters["percent"] = format_percent
    env.filters.update(_named_formats())  # {{ x|月日 }} reads the same in the statement language
    env.filters = {name: _bounded_filter(name, function) for name, function in env.filters.items()}
    env.globals["range"] = _bounded_range
    env.globals.pop("namespace", None)  # state carried across a loop could double without bound
    return env


@contextmanager
def _time_limit():
    """LimitExceeded in the rendering after MAX_SECONDS (main thread only: signals go there)."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise LimitExceeded(f"生成时间超过 {MAX_SECONDS:g} 秒（循环过大？）")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, MAX_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _bounded_render(template, context: dict) -> str:
    """The template's text, stopped as soon as it grows beyond MAX_TEXT_CHARS or MAX_SECONDS."""
    pieces, size = [], 0
    with _time_limit():
        for piece in template.generate(**context):
            size += len(piece)
            if size > MAX_TEXT_CHARS:
                raise LimitExceeded(f"生成的文字超过 {MAX_TEXT_CHARS:,} 个字符")
            pieces.append(piece)
    return "".join(pieces)


class WordingError(ValueError):
    """A configured sentence that cannot be rendered: bad syntax, an unknown value, a forbidden operation."""

    def __init__(self, message: str, source: str = ""):
        super().__init__(message)
        self.source = source  # the sentence as configured, to find it in its file


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
    return WordingError(f"句子“{snippet}”无法生成：{reason}；{{{{ }}}} 与 {{% %}} 之间只能写程序提供的值和筛选器", source)


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
        with _time_limit():
            value = _compile_expression(expression)(**context)
        _check_size(value)
        return value
    except TemplateError as exc:
        raise _wording_error(expression, exc, context) from None


def render_text(source: str, **context) -> str:
    """A configured sentence with its values filled in; raises WordingError if it cannot be.

    Only ``source`` (configuration) is a template; ``context`` values, which may come
    from the data, are inserted as text and never parsed.
    """
    return render_with(source, context)


def render_with(source: str, context: dict) -> str:
    """:func:`render_text` with the values as one mapping (a row whose columns may be named anything)."""
    source = str(source)
    try:
        return _bounded_render(_compile(source), context).strip()
    except TemplateError as exc:
        raise _wording_error(source, exc, context) from None


def sentence_problem(source: str, expression: bool = False) -> str | None:
    """Why a configured sentence (or expression) does not parse, or None if it does."""
    try:
        (_compile_expression if expression else _compile)(source)
    except TemplateSyntaxError as exc:
        return str(_wording_error(source, exc))
    return None
