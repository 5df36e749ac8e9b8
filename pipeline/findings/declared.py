"""Declared rule checks (``checks:``): a declared query whose rows are the findings, one unit each,
with the sentence of its 存在问题 entry and an evidence line per source row.

``per: [unit, place, window]`` makes one finding of the rows sharing those columns (in order of
first appearance): its figures are the first row's columns, ``count`` (rows) and ``rows`` (each
matched row), and ``order`` then sorts the findings rather than the rows.
"""

from __future__ import annotations

from .base import Evidence, Finding
from ..language.statements import said
from ..language.sentence import Scope
from ..figures.declared import Environment, evaluate_figure
from ..figures.steps import ordered
from ..figures.table import FigureTable


def run_check(name: str, spec: dict, env: Environment, params: dict) -> list[Finding]:
    """The findings of check ``name`` with ``params`` over the declared defaults."""
    per = spec.get("per")
    query = {k: v for k, v in spec.items() if k != "order"} if per else spec
    table = evaluate_figure(name, query, env, params, section="checks")
    merged = {**env.config.value("params"), **(spec.get("params") or {}), **params}
    values = {**merged, "params": merged, "period": env.ctx.period, "cutoff": env.ctx.cutoff}
    if not per:
        return [_finding(name, spec, {k: v for k, v in row.items() if not k.startswith("_")}, [row], values) for row in table]
    groups: dict[tuple, list[dict]] = {}
    for row in table:
        groups.setdefault(tuple(row.get(c) for c in ([per] if isinstance(per, str) else per)), []).append(row)
    figures = [{**_visible(rows[0]), "count": rows[0].get("_count", len(rows)), "rows": [_visible(r) for r in rows]}
               for rows in groups.values()]
    by_first = {id(f): rows for f, rows in zip(figures, groups.values())}
    if spec.get("order"):
        figures = ordered(figures, spec["order"])
    return [_finding(name, spec, f, by_first[id(f)], values) for f in figures]


def _visible(row: dict) -> dict:
    return {k: v for k, v in row.items() if not k.startswith("_")}


def _finding(name: str, spec: dict, figures: dict, rows: list[dict], values: dict) -> Finding:
    evidence = tuple(
        Evidence(row.get("_file", ""), row.get("_row"), evidence_line(spec["evidence"], values, _visible(row)))
        for row in rows
    )
    return Finding(rule=name, unit=figures["unit"], figures=figures, evidence=evidence, title=str(spec["title"]))


def evidence_line(sentence, values: dict, row: dict) -> str:
    """A source row's line in the evidence file: the check's ``evidence`` with the row's columns."""
    return said(sentence, Scope(row, values))


class Checks:
    """The declared checks of one build, callable as ``(name, params) -> findings``: each runs once
    with its declared params (an entry overriding them runs it again), and each is also a
    FigureTable of its findings for the sentences (:meth:`tables`)."""

    def __init__(self, declared: dict, env: Environment):
        self.declared, self.env, self.found = declared, env, {}

    def __call__(self, name: str, params: dict) -> list[Finding]:
        if params:
            return run_check(name, self.declared[name], self.env, params)
        if name not in self.found:
            self.found[name] = run_check(name, self.declared[name], self.env, {})
        return self.found[name]

    def tables(self) -> dict[str, FigureTable]:
        return {name: check_table(self(name, {}), name, str(spec["title"])) for name, spec in self.declared.items()}


def check_table(findings: list[Finding], name: str, title: str) -> FigureTable:
    """Findings as a FigureTable (label ``unit``), for sentences that read a check like a figure."""
    rows = [{"unit": f.unit, **{k: v for k, v in f.figures.items() if k != "rows"},
             **({"_file": f.evidence[0].file, "_row": f.evidence[0].row} if f.evidence else {})} for f in findings]
    return FigureTable(rows, name=name, title=title, label="unit")
