"""Declared rule checks (``checks:``): a declared query whose rows are the findings, one unit each,
with the sentence of its 存在问题 entry and an evidence line per row."""

from __future__ import annotations

from ..rules.base import Evidence, Finding
from ..text import render_text
from .declared import Environment, evaluate_figure
from .table import FigureTable


def run_check(name: str, spec: dict, env: Environment, params: dict) -> list[Finding]:
    """The findings of check ``name`` with ``params`` over the declared defaults."""
    table = evaluate_figure(name, spec, env, params, section="checks")
    merged = {**(env.settings.get("params") or {}), **(spec.get("params") or {}), **params}
    return [_finding(name, spec, row, merged) for row in table]


def _finding(name: str, spec: dict, row: dict, params: dict) -> Finding:
    figures = {k: v for k, v in row.items() if not k.startswith("_")}
    detail = render_text(spec["evidence"], **{**params, **figures}, params=params)
    evidence = (Evidence(row.get("_file", ""), row.get("_row"), detail),)
    return Finding(rule=name, unit=row["unit"], figures=figures, evidence=evidence, title=str(spec["title"]))


def check_table(findings: list[Finding], name: str, title: str) -> FigureTable:
    """Findings as a FigureTable (label ``unit``), for sentences that read a check like a figure."""
    rows = [{"unit": f.unit, **f.figures, **({"_file": f.evidence[0].file, "_row": f.evidence[0].row} if f.evidence else {})}
            for f in findings]
    return FigureTable(rows, name=name, title=title, label="unit")
