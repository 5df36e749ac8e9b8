"""What a rule check is, what it returns, and the table of known checks.

A rule is a function ``(RuleContext, params) -> list[Finding]`` registered with
``@rule("name", datasets=[...])``. Adding a check is adding a module to this package;
configuration names which checks run, with which thresholds and which sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..core.extension import Extensions
from ..load.inputs import RuleContext
from ..core.registry import Unit


@dataclass(frozen=True)
class Evidence:
    """Where a finding comes from: the source row and the figures read there."""

    file: str
    row: int | None
    detail: str


@dataclass(frozen=True)
class Finding:
    """One unit that broke a rule, the figures a sentence needs, and their evidence.

    In a sentence template ``{{ f }}`` prints the unit's short name and ``{{ f.rate }}``
    any figure.
    """

    rule: str
    unit: Unit
    figures: dict = field(default_factory=dict)
    evidence: tuple[Evidence, ...] = ()
    title: str = ""  # 规则名称 of a declared check (a Python rule's is registered with it)

    def __getitem__(self, key):
        if key == "unit":
            return self.unit
        return self.figures[key]

    def __str__(self) -> str:
        return self.unit.short_name


@dataclass(frozen=True)
class RuleDef:
    name: str
    function: Callable[[RuleContext, dict], list[Finding]]
    datasets: tuple[str, ...]
    title: str  # 规则名称, as the evidence file shows it


RULES = Extensions("规则检查")


def rule(name: str, title: str, datasets: tuple[str, ...] | list[str] = ()):
    """Register a rule check under ``name``; ``datasets`` are the inputs it reads (any one suffices)."""

    def register(function):
        RULES.register(name, RuleDef(name, function, tuple(datasets), title), function.__module__)
        return function

    return register


def order_findings(findings: list[Finding], order: str | None) -> list[Finding]:
    """Findings in the configured order: ``input`` (default), ``registry``, ``<figure>`` or ``-<figure>``."""
    if not order or order == "input":
        return findings
    if order == "registry":
        return sorted(findings, key=lambda f: f.unit.order)
    descending = order.startswith("-")
    figure = order.lstrip("-")
    return sorted(findings, key=lambda f: f.figures[figure], reverse=descending)
