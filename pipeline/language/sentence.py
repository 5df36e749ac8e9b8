"""The sentence language of the bulletin definition: text with named values, nothing more.

A sentence is text with ``{{ 名称 }}``, ``{{ 名称.列 }}`` and ``{{ 名称|格式 }}`` (formats chain:
``{{ a.b|个数|中文 }}``). No arithmetic, calls, literals, ``{% %}`` or ``{# #}``: what a
sentence needs is computed by a figure and written by a named format (formats.py), so a
sentence is checked when the configuration is read and cannot fail at a division.
"""

from __future__ import annotations

from ..core.suggest import suggestion

import functools
import re
from dataclasses import dataclass

from .errors import LanguageError
from .formats import READS_LIST, FormatError, apply_format, base_of, chain_problem, format_names, plain

_NAME = r"[^\W\d]\w*"
_SLOT = re.compile(r"\{\{(.*?)\}\}", re.S)
_INNER = re.compile(rf"\s*({_NAME}(?:\s*\.\s*{_NAME})*)\s*((?:\|\s*{_NAME}\s*)*)")
_FORBIDDEN = (("{%", "{% %}"), ("{#", "{# #}"), ("%}", "%}"))
ALLOWED = "{{ }} 中只能写名称（{{ 名称 }}、{{ 名称.列 }}），可接命名格式（{{ 名称|格式 }}），不能写运算、调用、下标、字面值或 {% %}"


ANY_FORMAT = object()  # format names are checked later, once both files' ``formats:`` are known


class SentenceError(LanguageError):
    """A sentence that is not in the language, or names what is not there (``source``: the
    sentence as configured; ``file``/``line`` where it is written, once known)."""


# the older Jinja templates: marks and filters a sentence of the language never has
JINJA_FILTERS = {"percent": "百分比", "date": "日期", "month_day": "月日", "cn": "中文", "length": "个数"}
MIGRATE = "这是旧的 Jinja 写法，请运行 bulletin migrate 改写为语句"
_JINJA_MARK = re.compile(r"\{%|%\}|\{#")


def is_jinja(source: str) -> bool:
    """Whether ``source`` is written in the older Jinja templates: ``{% %}``, ``{# #}``, or a ``{{ }}``
    that is no name of the language (a call, an operator, a literal) or passes through a Jinja filter."""
    source = str(source)
    if _JINJA_MARK.search(source):
        return True
    for match in _SLOT.finditer(source):
        inner = _INNER.fullmatch(match.group(1))
        if not inner or any(f.strip() in JINJA_FILTERS for f in inner.group(2).split("|")[1:]):
            return True
    return False


@dataclass(frozen=True)
class Slot:
    """One ``{{ … }}``: a dotted name and the formats it goes through."""

    path: tuple[str, ...]
    formats: tuple[str, ...]
    text: str  # as written, for messages

    @property
    def head(self) -> str:
        return self.path[0]


def _where(source: str) -> str:
    """How a message names what it is about: the sentence, or nothing for a bare name (each: 名称)."""
    return f"句子“{_snippet(source)}”中的" if "{{" in source else ""


def _snippet(source: str) -> str:
    return source if len(source) <= 40 else source[:40] + "…"


def _refuse(source: str, what: str) -> SentenceError:
    advice = f"（{MIGRATE}）" if is_jinja(source) else ""
    allowed = ALLOWED.removesuffix("或 {% %}") if what in ("{% %}", "%}") else ALLOWED  # each mark named once
    return SentenceError(f"句子“{_snippet(source)}”中的“{what}”不是允许的写法：{allowed}{advice}", source)


def _slot(source: str, match: re.Match) -> Slot:
    inner = _INNER.fullmatch(match.group(1))
    if not inner:
        raise _refuse(source, match.group(0))
    path = tuple(part.strip() for part in inner.group(1).split("."))
    formats = tuple(f.strip() for f in inner.group(2).split("|")[1:])
    return Slot(path, formats, match.group(0))


def parse(source: str) -> tuple:
    """The sentence as literal text and Slots, in order; SentenceError for anything else."""
    return _parsed(str(source))


@functools.lru_cache(maxsize=4096)
def _parsed(source: str) -> tuple:
    """:func:`parse`, once for each text (a check's evidence line is said for every row it lists)."""
    for mark, shown in _FORBIDDEN:
        if mark in source:
            raise _refuse(source, shown)
    parts, end = [], 0
    for match in _SLOT.finditer(source):
        parts += [source[end:match.start()], _slot(source, match)]
        end = match.end()
    rest = source[end:]
    if "{{" in rest or "}}" in rest:
        raise _refuse(source, "{{" if "{{" in rest else "}}")
    return tuple(p for p in [*parts, rest] if p != "")


def slots(source: str) -> list[Slot]:
    return [p for p in parse(source) if isinstance(p, Slot)]


def phrase_problem(source: str, declared_formats: dict | None = None, bare: bool = False) -> str | None:
    """Why ``source`` is not a sentence of the language (or names an unknown format), or None.
    ``bare``: names only, no formats (a clerk's prose block)."""
    try:
        found = slots(source)
    except SentenceError as exc:
        return str(exc)
    for slot in found:
        if bare and slot.formats:
            return f"“{slot.text}”：此处只能写名称（{{{{ 名称 }}}}、{{{{ 名称.列 }}}}），不能接格式"
    if declared_formats is ANY_FORMAT:
        return None
    known = format_names(declared_formats)
    for slot in found:
        for name in slot.formats:
            if name not in known:
                advice = f"；{MIGRATE}（{name} 即“{JINJA_FILTERS[name]}”）" if name in JINJA_FILTERS else ""
                return f"“{slot.text}”：没有名为“{name}”的格式{suggestion(name, known)}（可用：{'、'.join(known)}）{advice}"
        late = next((name for name in slot.formats[1:] if base_of(name, declared_formats) in READS_LIST), None)
        if late:
            return chain_problem(slot.text, slot.formats, late, declared_formats)
    return None


def is_table(value) -> bool:
    """A figure's rows (a FigureTable, or any list of mappings)."""
    return isinstance(value, list) and all(isinstance(row, dict) for row in value) and (bool(value) or hasattr(value, "columns"))


class Scope:
    """The names a sentence may use, innermost first: a row's columns, then figures, then settings."""

    def __init__(self, *layers: dict, formats: dict | None = None):
        self.layers = list(layers)
        self.formats = formats or {}

    def inner(self, layer: dict) -> "Scope":
        return Scope(layer, *self.layers, formats=self.formats)

    def lookup(self, name: str, source: str):
        for layer in self.layers:
            if name in layer:
                return layer[name]
        names = sorted({str(k) for layer in self.layers for k in layer if not str(k).startswith("_")})
        raise SentenceError(f"{_where(source)}名称“{name}”不存在{suggestion(name, names)}（可用：{'、'.join(names)}）", source)

    def value(self, slot: Slot, source: str):
        value = self.lookup(slot.head, source)
        for attr in slot.path[1:]:
            value = member(value, attr, slot, source)
        return value

    def fill(self, source: str) -> str:
        """The sentence with every slot written out; SentenceError naming what went wrong."""
        pieces = []
        for part in parse(source):
            pieces.append(part if isinstance(part, str) else self.write(part, source))
        return "".join(pieces).strip()

    def write(self, slot: Slot, source: str) -> str:
        value = self.value(slot, source)
        try:
            for name in slot.formats:
                value = apply_format(name, value, self.formats)
            return plain(value) if not isinstance(value, str) else value
        except KeyError:
            raise SentenceError(f"句子“{_snippet(source)}”：没有名为“{name}”的格式", source) from None
        except FormatError as exc:
            raise SentenceError(f"句子“{_snippet(source)}”中的“{slot.text}”无法写出：{exc}", source) from None

    def tables(self, source: str) -> list[tuple[str, list]]:
        """(name, rows) of every figure the sentence names at its top level (for the evidence file)."""
        found = []
        for slot in slots(source):
            top = next((layer for layer in self.layers if slot.head in layer), None)
            if top is not None and top is self.layers[-1] and is_table(top[slot.head]):
                found.append((slot.head, top[slot.head]))
        return found


def member(value, attr: str, slot: Slot, source: str):
    """``value.attr``: a mapping's key, a one-row table's column (a column's values for more rows),
    an object's attribute (not a method)."""
    if is_table(value):
        columns = list(getattr(value, "columns", None) or (value[0].keys() if value else ()))
        if attr not in columns and (columns or value):  # an empty table of unknown columns has none of them
            raise _unknown(attr, slot, source, columns)
        values = [row.get(attr) for row in value]
        return values[0] if len(values) == 1 else (values or None)
    if isinstance(value, (list, tuple)) and value and all(hasattr(v, attr) for v in value) and not attr.startswith("_"):
        return [member(v, attr, slot, source) for v in value]  # a list of objects: each one's attribute
    if isinstance(value, dict):
        if attr not in value:
            raise _unknown(attr, slot, source, value.keys())
        return value[attr]
    if attr.startswith("_") or not hasattr(value, attr):
        raise _unknown(attr, slot, source, [a for a in dir(value) if not a.startswith("_")])
    found = getattr(value, attr)
    if callable(found):
        raise SentenceError(f"句子“{_snippet(source)}”中的“{slot.text}”：“{attr}”需要调用，句子中不能调用", source)
    return found


def _unknown(attr: str, slot: Slot, source: str, names) -> SentenceError:
    names = [str(n) for n in names if not str(n).startswith("_")]
    return SentenceError(f"句子“{_snippet(source)}”中的“{slot.text}”：没有“{attr}”{suggestion(attr, names)}（可用：{'、'.join(names)}）", source)
