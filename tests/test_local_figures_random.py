"""Random small tables and random declared queries, evaluated in-process and in the engine: the
same rows. Tables of cases with empty dates, repeated values and units of both groups; queries
with conditions joined by and/or/not (empty values and SQL's NULL), working days, groups,
counts, sums, means, minima, maxima, distinct counts, rates and totals.

CI runs a bounded number of examples (the same every time); BULLETIN_FUZZ_EXAMPLES=2000 for a
longer, random run."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from pipeline.config.bulletin import load_config
from pipeline.figures import local
from pipeline.figures.declared import Environment, evaluate_figure
from pipeline.load.engine import Engine
from pipeline.load.inputs import RuleContext
from pipeline.load.schema import DatasetSpec
from pipeline.load.tables import HeldTable, stored_table

from .conftest import FIXTURE_INPUTS, PERIOD, TEMPLATES

EXAMPLES = int(os.environ.get("BULLETIN_FUZZ_EXAMPLES", "0"))
FUZZ = settings(max_examples=EXAMPLES or 40, derandomize=not EXAMPLES, deadline=None, database=None,
                phases=[Phase.explicit, Phase.generate] + ([Phase.shrink] if EXAMPLES else []),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
IN_PROCESS = local.evaluate
CONFIG = load_config(PERIOD, FIXTURE_INPUTS, TEMPLATES)
UNITS = CONFIG.registry.units
DAYS = st.dates(dt.date(2024, 1, 1), dt.date(2024, 7, 31))

CONDITIONS = [
    "empty(completed_on)", "filled(applicant)", "completed_on > cutoff", "completed_on <= applied_on",
    "limit_days >= 5", "limit_days * 2 - 3 < 10", "applicant == '企业'", "applicant != '个人'", "matter in ['甲', '乙']",
    "matter not in ['甲']", f"unit in ['{UNITS[0].short_name}', '{UNITS[-1].short_name}']", f"unit == '{UNITS[1].short_name}'",
    "unit.group == '镇街'", "in_period(applied_on)", "year(applied_on) == 2024", "month(applied_on) == '2024-03'",
    "coalesce(completed_on, cutoff) > add_workdays(applied_on, limit_days)",
    "workdays(applied_on, coalesce(completed_on, cutoff)) > limit_days", "late > 0", "due < cutoff", "done",
    "0 < limit_days < 9", "limit_days == 3 or applicant == '企业'",
]
MEASURES = {
    "n": "count()", "c": "count(completed_on)", "c2": "count(done)", "s": "sum(limit_days)", "s2": "sum(done)",
    "m": "mean(limit_days)", "m2": "mean(late)", "lo": "min(applied_on)", "hi": "max(completed_on)", "lo2": "min(matter)",
    "dn": "distinct(matter)", "du": "distinct(unit)", "r": "rate(c, n)", "k": "sum(limit_days * 2 + late)",
}
GROUPS = [None, "unit", "unit.group", "month(applied_on)", "applicant", ["unit", "applicant"], ["matter", "month(completed_on)"]]


def condition(depth: int = 2):
    leaf = st.sampled_from(CONDITIONS)
    if not depth:
        return leaf
    inner = condition(depth - 1)
    return st.one_of(leaf, st.builds(lambda a, b, op: f"({a}) {op} ({b})", inner, inner, st.sampled_from(["and", "or"])),
                     st.builds(lambda a: f"not ({a})", inner))


@st.composite
def cases(draw) -> list[dict]:
    """Checked rows of the cases table, as schema.validate_rows gives them."""
    rows = []
    for i in range(draw(st.integers(0, 14))):
        applied = draw(DAYS)
        done = draw(st.one_of(st.none(), st.integers(0, 40).map(lambda n: applied + dt.timedelta(days=n))))
        rows.append({"_row": i + 2, "case_id": f"B{i:03d}", "unit": draw(st.sampled_from(UNITS)),
                     "matter": draw(st.sampled_from(["甲", "乙", "丙"])), "applicant": draw(st.sampled_from([None, "个人", "企业"])),
                     "channel": None, "applied_on": applied, "limit_days": draw(st.integers(1, 12)), "completed_on": done})
    return rows


@st.composite
def queries(draw) -> dict:
    spec = {"from": "cases", "columns": {"due": "add_workdays(applied_on, limit_days)",
                                         "late": "workdays(due, coalesce(completed_on, cutoff))",
                                         "done": "filled(completed_on) and completed_on <= cutoff"}}
    if draw(st.booleans()):
        spec["where"] = draw(condition())
    group_by = draw(st.sampled_from(GROUPS))
    if group_by or draw(st.booleans()):
        spec["group_by"] = group_by
        names = draw(st.lists(st.sampled_from(sorted(MEASURES)), min_size=1, max_size=5, unique=True))
        if "r" in names:  # a rate reads both counts, declared before it
            names = [n for n in names if n not in ("r", "c", "n")] + ["c", "n", "r"]
        spec["measures"] = {n: MEASURES[n] for n in names}
        if group_by and draw(st.booleans()):
            spec["total"] = "合计"
    if not spec.get("group_by"):
        spec.pop("group_by", None)
    return spec


@pytest.fixture(scope="module")
def engine():
    with Engine() as own:
        yield own


def _typed(table) -> list:
    return [[(k, type(v).__name__, v) for k, v in row.items()] for row in table]


@FUZZ
@given(rows=cases(), spec=queries())
def test_random_queries_over_random_tables_agree(engine, rows, spec, monkeypatch):
    dataset = DatasetSpec.from_config("cases", CONFIG.value("datasets")["cases"])
    results, declined = [], []
    for in_process in (True, False):
        held = stored_table(engine, dataset, [dict(r) for r in rows], "办件记录.xlsx")
        assert isinstance(held, HeldTable)
        ctx = RuleContext(CONFIG.period, CONFIG.cutoff, CONFIG.registry, {"cases": held}, {})
        monkeypatch.setattr(local, "evaluate", IN_PROCESS if in_process else (lambda *args: None))
        try:
            table = evaluate_figure("x", spec, Environment(ctx, CONFIG.view))
            results.append((table.columns, table.label, _typed(table)))
        except Exception as exc:  # the same refusal both ways
            results.append((type(exc).__name__, str(exc)))
        if in_process:
            declined.append(IN_PROCESS(spec, held, Environment(ctx, CONFIG.view), _scope(ctx)) is None)
    assert results[0] == results[1]
    assert declined == [False], "a query of the supported kind was left to the engine"


def _scope(ctx):
    from pipeline.figures.declared import _scope as scope

    return scope(Environment(ctx, CONFIG.view), {})
