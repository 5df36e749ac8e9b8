"""The vocabulary the configuration is declared in: a key (type, default, meaning) and its types.

Each type knows three things: how to check a YAML node (with its line), how to say
itself as JSON Schema, and how to name itself in the reference page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

NO_DEFAULT = object()


@dataclass(frozen=True)
class Key:
    """One configuration key: its type, its default (if any), a one-line Chinese meaning and an
    example of its value as written in YAML (one line; the reference page shows ``key: example``)."""

    type: object
    meaning: str
    default: object = NO_DEFAULT
    required: bool = False
    example: str | None = None


@dataclass(frozen=True)
class Scalar:
    """A single value: ``str``, ``sentence``/``phrase`` (a sentence of the statement language),
    ``expression`` (a figure's rows), ``name``, ``condition`` (a name or an expression), ``int``,
    ``number``, ``bool`` or ``date``."""

    kind: str
    low: int | None = None  # the least number allowed (int, number)
    high: int | None = None  # the greatest
    slots: tuple = ()  # ``str`` written with these named places only: {{ 名单 }}等{{ 个数 }}个…

    @property
    def name(self) -> str:
        if self.low is None and self.high is None:
            return SCALAR_NAMES[self.kind]
        bounds = f"{self.low} 到 {self.high}" if self.high is not None else f"不小于 {self.low}"
        return f"{SCALAR_NAMES[self.kind]}（{bounds}）"

    def out_of_range(self, value) -> bool:
        return (self.low is not None and value < self.low) or (self.high is not None and value > self.high)

    def accepts(self, value) -> bool:
        if self.kind in ("str", "sentence", "expression", "phrase", "name", "condition"):
            return isinstance(value, str)
        if self.kind == "int":
            return isinstance(value, int) and not isinstance(value, bool)
        if self.kind == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if self.kind == "bool":
            return isinstance(value, bool)
        return isinstance(value, dt.date)


SCALAR_NAMES = {
    "str": "文字",
    "sentence": "句子（可含 {{ … }}）",
    "expression": "表达式",
    "phrase": "句子（只能写 {{ 名称 }}、{{ 名称.列 }}、{{ 名称|格式 }}）",
    "name": "名称（派生数据或设置的名称，可写 名称.列）",
    "condition": "条件（名称，或表达式，如 按期办结率 < 90）",
    "int": "整数",
    "number": "数字",
    "bool": "是/否（true 或 false）",
    "date": "日期（如 2024-06-12）",
}


@dataclass(frozen=True)
class Choice:
    """One of a fixed list of words."""

    values: tuple

    @property
    def name(self) -> str:
        return "、".join(str(v) for v in self.values) + " 之一"


@dataclass(frozen=True)
class ListOf:
    item: object

    @property
    def name(self) -> str:
        return f"列表（每项为{type_name(self.item)}）"


NAME_KEY = r"[^\W\d]\w*"  # a key that sentences and expressions name: 汉字 or a letter first (1: is no name)
KEY_ADVICE = {NAME_KEY: "：以汉字或字母开头，由汉字、字母、数字和 _ 组成，句子和表达式中才写得出它（请改用如“序号”“第1项”这样的名称）"}


@dataclass(frozen=True)
class MapOf:
    """A mapping whose keys the configuration chooses (table names, group names …)."""

    value: object
    key_meaning: str = "名称"
    key_pattern: str | None = None  # a regular expression every key must match (年份: \d{4})

    @property
    def name(self) -> str:
        return f"映射（{self.key_meaning} → {type_name(self.value)}）"


@dataclass(frozen=True)
class Record:
    """A mapping with declared keys; ``open`` records accept any other key as well."""

    keys: dict
    open: bool = False
    title: str = "映射"

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class Variant:
    """Records told apart by one key (``type:``, ``derive:``); ``default`` when it is absent."""

    on: str
    variants: dict  # value of ``on`` -> Record
    default: str | None = None
    title: str = "映射"

    @property
    def name(self) -> str:
        return self.title


@dataclass(frozen=True)
class OneOf:
    """Any of several shapes (a file name, or ``{file, sheet}``)."""

    options: tuple = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return "或".join(type_name(o) for o in self.options)


@dataclass(frozen=True)
class Anything:
    name: str = "任意值"


def type_name(kind) -> str:
    return kind.name
