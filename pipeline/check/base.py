"""The format rules' registry: each rule is a function with an id and a Chinese description
that yields (place, detail) for every departure it finds. Adding a rule is adding a function."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..core.extension import Extensions
from .model import DocView

Departure = tuple[str, str]  # (where, what is wrong)


@dataclass(frozen=True)
class FormatRule:
    id: str
    description: str  # 中文: what GB/T 9704-2012 asks
    check: Callable[[DocView], Iterable[Departure]]


@dataclass(frozen=True)
class Finding:
    """One departure from the standard, with its place and the rule it breaks."""

    rule: FormatRule
    place: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.rule.id}] {self.place}：{self.detail}（{self.rule.description}）"


RULES = Extensions("格式规则")


def format_rule(rule_id: str, description: str):
    """Register the decorated function as a format rule."""

    def register(function):
        RULES.register(rule_id, FormatRule(rule_id, description, function), function.__module__)
        return function

    return register


def near(value: float, expected: float, tolerance: float) -> bool:
    return abs(value - expected) <= tolerance


def required(paragraphs: list, style: str) -> list[Departure]:
    """The departure of a document that has no paragraph of ``style`` at all."""
    return [] if paragraphs else [("全文", f"没有“{style}”样式的段落")]
