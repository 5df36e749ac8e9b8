"""What a rule check is, what it returns, and the table of known checks.

A rule is a function ``(RuleContext, params) -> list[Finding]`` registered with
``@rule("name", datasets=[...])``. Adding a check is adding a module to this package;
configuration names which checks run, with which thresholds and which sentence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Callable

from ..extension import Extensions
from ..load.records import RecordTable
from ..period import Period
from ..registry import Registry, Unit


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


@dataclass
class RuleContext:
    """Everything a rule may read: the period, the cut-off date and the checked inputs.

    Each input is a table in the query engine (:class:`pipeline.load.records.RecordTable`,
    ``.table`` an Ibis table with ``_row``); a check filters and counts there and asks for the
    rows it reports with :meth:`rows`, or a pandas DataFrame with :meth:`frame`.
    """

    period: Period
    cutoff: dt.date  # 统计截止日
    registry: Registry
    datasets: dict[str, RecordTable]
    calendar_overrides: dict = field(default_factory=dict)

    def dataset(self, name: str) -> RecordTable:
        """The checked table ``name``; an empty one (no rows, ``table`` None) if the period has none."""
        return self.datasets.get(name) or RecordTable(None)

    def rows(self, name: str, selection=None) -> list[dict]:
        """The rows of ``selection`` (a query on dataset ``name``; all its rows by default) in
        source order, as Python values: units as registry :class:`Unit`, ``_file`` and ``_row``
        saying where each came from."""
        data = self.dataset(name)
        if not len(data):
            return []
        found = (data.table if selection is None else selection).order_by("_row").to_pyarrow().to_pylist()
        lines = data.rows([r["_row"] for r in found])
        for record, line in zip(found, lines):
            for key, value in record.items():
                if key == "unit" and value is not None:
                    record[key] = self.registry.units[value]
                elif isinstance(value, Decimal):
                    record[key] = plain_decimal(value)
            record["_file"], record["_row"] = data.file, line
        return found

    def frame(self, name: str, selection=None):
        """The same rows as a pandas DataFrame (units as short names), for derivations written in pandas."""
        import pandas as pd

        rows = self.rows(name, selection)
        return pd.DataFrame([{k: (v.short_name if isinstance(v, Unit) else v) for k, v in r.items()} for r in rows])


def plain_decimal(value: Decimal) -> Decimal:
    """A stored decimal without the trailing zeros of its storage scale (87.5000000000 → 87.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


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
