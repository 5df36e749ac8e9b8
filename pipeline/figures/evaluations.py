"""好差评 tallies per window, from one record per case (办件):

- 应投票次数 (``expected``): cases applied for in the period — each case should get a vote;
- 实际票次数 (``voted``): those that received an evaluation;
- 满意 / 基本满意 / 不满意 (``satisfied`` / ``basic`` / ``dissatisfied``): by grade — the
  grades and their names are configuration (``grades: {passed: 合格, failed: 不合格}`` counts
  an inspection's results the same way);
- 未开展评价 (``unevaluated``): cases with no evaluation, 应投票 − 实际票;
- 办结 (``completed``): cases completed by the cut-off date;
- rates as configured (``rates:``), each a sum of counts ÷ a count, as a percentage
  rounded as the office's ``numbers:`` says (half-up to two places unless it says otherwise);
  no rate (blank) where the divisor is zero.

Counting is one grouped query in the engine that holds the records (DuckDB, PostgreSQL
or Spark), so the records never pass through Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.decimals import NumberRule
from ..load.engine import ibis_module
from ..core.errors import InputError, Problem
from ..core.registry import Unit
from ..load.inputs import RuleContext
from .base import figure
from .table import FigureTable

GRADES = {"satisfied": "满意", "basic": "基本满意", "dissatisfied": "不满意"}  # count name → label in the data


@dataclass
class Tally:
    """One window's figures, or a group's totals; sentences read ``t.expected``, ``t.vote_rate`` …"""

    name: str  # 简称 as the annex prints it, or the group's name
    text_name: str  # as running text writes it
    counts: dict[str, int]
    rates: dict[str, Decimal | None] = field(default_factory=dict)
    unit: Unit | None = None

    def __getitem__(self, key: str):
        if key in self.counts:
            return self.counts[key]
        if key in self.rates:
            return self.rates[key]
        if key in ("name", "unit", "text_name"):
            return getattr(self, key)
        raise KeyError(key)

    def __str__(self) -> str:
        return self.name


def make_tally(name: str, text_name: str, counts: dict[str, int], rates: dict, unit: Unit | None = None,
               numbers: NumberRule = NumberRule()) -> Tally:
    """A tally with its rates computed from ``rates`` ({rate: {of: [counts], per: count}}), rounded by ``numbers``."""
    counts = {k: int(v) for k, v in counts.items()}
    counts["unevaluated"] = counts["expected"] - counts["voted"]  # 未开展评价
    figures = {
        rate: numbers.percent(sum(counts[c] for c in spec["of"]), counts[spec["per"]]) for rate, spec in rates.items()
    }
    return Tally(name, text_name, counts, figures, unit)


class Tallies(FigureTable):
    """Every window of the configured groups in registry order, one row each (``unit``, ``name``,
    ``text_name``, ``group``, the counts and rates) — declared figures read it (``from: votes``);
    ``rows`` are the same windows as :class:`Tally` objects, ``totals`` each group's totals."""

    def __init__(self, rows: list[Tally], totals: dict[str, Tally], file: str = ""):
        super().__init__([{**window_row(t), **({"_file": file} if file else {})} for t in rows], label="unit")
        self.rows, self.totals = rows, totals

    def group(self, name: str) -> list[Tally]:
        """The windows of one group, in registry order."""
        return [t for t in self.rows if t.unit.group == name]

    def total(self, name: str) -> Tally:
        return self.totals[name]

    def busiest(self, group: str, count: int) -> list[Tally]:
        """The ``count`` windows with most cases, most first; ties keep registry order."""
        return sorted((t for t in self.group(group) if t.counts["expected"]), key=lambda t: -t.counts["expected"])[:count]

    def idle(self, group: str) -> list[Tally]:
        """Windows with no case in the period (零办件)."""
        return [t for t in self.group(group) if not t.counts["expected"]]


def window_row(tally: Tally) -> dict:
    """One window as a figure row."""
    return {"unit": tally.unit, "name": tally.name, "text_name": tally.text_name, "group": tally.unit.group,
            **tally.counts, **tally.rates}


def count_cases(records, ctx: RuleContext, fields: dict, names: tuple[str, ...], remap: list[int]) -> dict[str, list[int]]:
    """Per registry position: cases applied for in the period, evaluated cases, each grade,
    completed cases — one grouped query in the engine holding the records.

    ``remap`` gives, for each declared choice of the grade column, its position in ``names``.
    """
    ibis = ibis_module()
    t = records.table
    unit, applied = t[fields["unit"]], t[fields["applied_on"]]
    t = t.filter(applied.between(ctx.period.start, ctx.period.end), unit.notnull())  # a blank window counts nowhere
    grade = t[fields["grade"]] if records.has(fields["grade"]) else ibis.null("int8")
    done = t[fields["completed_on"]] if records.has(fields["completed_on"]) else ibis.null("date")
    metrics = {
        "expected": t.count(),
        "voted": grade.count(),
        "completed": t["_row"].count(where=done <= ibis.literal(ctx.cutoff)),
    }
    for i, name in enumerate(names):
        codes = [code for code, position in enumerate(remap) if position == i]
        metrics[name] = t["_row"].count(where=grade.isin(codes)) if codes else t["_row"].count(where=ibis.literal(False))
    grouped = t.group_by(_unit=t[fields["unit"]]).aggregate(**metrics).order_by("_unit").to_pyarrow().to_pylist()
    counts = {k: [0] * len(ctx.registry.units) for k in metrics}
    for row in grouped:
        for key in metrics:
            counts[key][row["_unit"]] = int(row[key] or 0)
    return counts


@figure("evaluation_tallies")
def evaluation_tallies(ctx: RuleContext, params: dict) -> Tallies:
    """好差评 figures per window and per group, from the case records named by ``dataset``."""
    records = ctx.dataset(params["dataset"])
    fields = {"unit": "unit", "applied_on": "applied_on", "completed_on": "completed_on", "grade": "grade", **(params.get("fields") or {})}
    labels = params.get("grades") or GRADES  # e.g. {passed: 合格, failed: 不合格} for an inspection kind
    names = tuple(labels)
    rates = params.get("rates") or {}
    units = ctx.registry.units
    if len(records):
        remap = [names.index(k) for k in _order(labels, records.choices.get(fields["grade"], ()))]
        counts = count_cases(records, ctx, fields, names, remap)
    else:
        counts = {k: [0] * len(units) for k in ("expected", "voted", "completed", *names)}
    groups = list(params.get("groups") or dict.fromkeys(u.group for u in units))
    rows = [
        make_tally(u.short_name, u.text_name, {k: v[u.order] for k, v in counts.items()}, rates, u, ctx.numbers)
        for u in units
        if u.group in groups
    ]
    totals = {}
    for group in groups:
        members = [t for t in rows if t.unit.group == group]
        summed = {k: sum(t.counts[k] for t in members) for k in counts}
        totals[group] = make_tally(group, (params.get("labels") or {}).get(group, group), summed, rates, numbers=ctx.numbers)
    return Tallies(rows, totals, getattr(records, "file", ""))


def _order(labels: dict, choices: tuple[str, ...]) -> list[str]:
    """For each declared choice, which grade it is (满意 → satisfied …)."""
    by_label = {label: key for key, label in labels.items()}
    unknown = [c for c in choices if c not in by_label]
    if unknown:
        message = f"figures 的 grades 未包含数据中的选项“{'、'.join(unknown)}”（已配置：{'、'.join(labels.values())}）"
        raise InputError([Problem("kind.yaml", message)])
    return [by_label[c] for c in choices]
