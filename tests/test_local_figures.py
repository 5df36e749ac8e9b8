"""One declared expression, two back-ends: every declared figure and check of every bundled kind,
over every fixture period, evaluated in-process (pipeline/figures/local.py) and in the query
engine (Ibis over DuckDB) gives the same rows — the same columns in the same order, the same
values of the same types. The in-process back-end declines what it does not evaluate exactly,
and the engine then runs it; the bundled kinds' figures over small tables all run in-process."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from pipeline.config.bulletin import load_config
from pipeline.core.errors import ProblemLog
from pipeline.derive.workdays import CalendarError, WorkdayCalendar, working_days
from pipeline.figures import derive_figures, local
from pipeline.figures.local_rows import Lookup
from pipeline.figures.declared import Environment, FigureError, evaluate_figure
from pipeline.figures.validate import declaration_problems
from pipeline.load.cutoff import leave_out_after_cutoff
from pipeline.load.datasets import load_datasets
from pipeline.load.engine import Engine
from pipeline.load.inputs import RuleContext
from pipeline.load.tables import HeldTable
from pipeline.run.build import _checks

from .conftest import FIXTURES, TEMPLATES

IN_PROCESS = local.evaluate
PERIODS = [("hotline", "2024-04"), ("hotline", "2024-05"), ("inputs", "2024Q1"), ("samples", "2024Q1"), ("samples", "2023Q2"),
           ("small hotline", "2024-04"), ("small hotline", "2024-05")]


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    """The hotline months with their tickets read as a small table (``records: false``): their
    figures, with working days, rates, groups, totals, 环比 and chains, run in-process."""
    root = tmp_path_factory.mktemp("small")
    shutil.copytree(FIXTURES / "hotline", root / "small hotline")
    for period in ("2024-04", "2024-05"):
        path = root / "small hotline" / period / "bulletin.yaml"
        path.write_text(path.read_text(encoding="utf-8") + "\ndatasets:\n  tickets:\n    records: false\n", encoding="utf-8")
    return root


def _environment(folder: str, period: str, engine: Engine, root: Path = FIXTURES) -> tuple[Environment, list]:
    """A period's inputs as a build reads them, and the declared queries in their order."""
    config = load_config(period, root / folder, TEMPLATES)
    log = ProblemLog([])
    datasets = load_datasets(config, log, engine)
    assert not log.problems
    leave_out_after_cutoff(datasets, config.value("datasets"), config.cutoff)
    ctx = RuleContext(config.period, config.cutoff, config.registry, datasets, config.value("calendar"))
    env = Environment(ctx, config.view)
    env.figures.update(derive_figures(config.value("figures"), ctx))
    order, problems = declaration_problems(config.view, config.place)
    assert not problems
    checks = {n: ({k: v for k, v in s.items() if k != "order"} if s.get("per") else s) for n, s in _checks(config).items()}
    declared = {**{("figures", n): s for n, s in config.value("figures").items()}, **{("checks", n): s for n, s in checks.items()}}
    return env, [(section, name, declared[section, name]) for section, name in order]


def _typed(table) -> list:
    """Rows with the type of every value: Decimal('5') and 5 are not the same figure here."""
    return [[(k, type(v).__name__, v) for k, v in row.items()] for row in table]


def _both(folder: str, period: str, monkeypatch, root: Path = FIXTURES):
    """(in-process tables, engine tables, declined) for every declared query of a period, in order."""
    declined = []
    evaluate = IN_PROCESS

    def recorded(spec, upstream, env, scope):
        found = evaluate(spec, upstream, env, scope)
        if found is None:
            declined.append((spec.get("from"), isinstance(upstream, HeldTable)))
        return found

    results = []
    for in_process in (True, False):
        monkeypatch.setattr(local, "evaluate", recorded if in_process else (lambda *args: None))
        with Engine() as engine:
            env, order = _environment(folder, period, engine, root)
            tables = {}
            for section, name, spec in order:
                tables[section, name] = evaluate_figure(name, spec, env, section=section)
                if section == "figures":
                    env.figures[name] = tables[section, name]
            results.append(tables)
    return results[0], results[1], declined


@pytest.mark.parametrize("folder,period", PERIODS)
def test_every_declared_figure_is_the_same_on_both_back_ends(folder, period, small, monkeypatch):
    in_process, engine, declined = _both(folder, period, monkeypatch, small if folder.startswith("small") else FIXTURES)
    assert in_process.keys() == engine.keys() and in_process
    for key in engine:
        assert in_process[key].columns == engine[key].columns, key
        assert in_process[key].label == engine[key].label, key
        assert _typed(in_process[key]) == _typed(engine[key]), key
    assert not [d for d in declined if d[1]], f"figures over small tables left to the engine: {declined}"


def test_the_checks_find_rows_on_both_back_ends(small, monkeypatch):
    """The comparison is not of empty tables: the sample checks find units, with working days, and
    the hotline's figures count every unit's tickets."""
    in_process, engine, _ = _both("samples", "2024Q1", monkeypatch)
    overdue = in_process["checks", "overdue_cases"]
    assert overdue and all(row["days_late"] > 0 for row in overdue)
    assert _typed(overdue) == _typed(engine["checks", "overdue_cases"])
    in_process, engine, declined = _both("small hotline", "2024-05", monkeypatch, small)
    units = in_process["figures", "各单位"]
    assert len(units) > 5 and sum(row["工单数"] for row in units[:-1]) == units[-1]["工单数"] > 100
    assert not declined and units[-1]["unit"] == "合计"


def test_a_figure_over_a_small_table_does_not_start_the_engine():
    with Engine() as engine:
        env, order = _environment("samples", "2024Q1", engine)
        for section, name, spec in order:
            table = evaluate_figure(name, spec, env, section=section)
            if section == "figures":
                env.figures[name] = table
        assert not engine._backends  # no database was connected, no Ibis expression built


@pytest.mark.parametrize("spec", [
    {"from": "cases", "where": "no_such_column > 1"},
    {"from": "cases", "group_by": "unit", "measures": {"n": "sum(matter)"}},
    {"from": "cases", "columns": {"r": "rate(1, 2)"}, "where": "r > 1"},
])
def test_a_wrong_declaration_is_refused_as_the_engine_words_it(spec, monkeypatch):
    messages = []
    for in_process in (True, False):
        if not in_process:
            monkeypatch.setattr(local, "evaluate", lambda *args: None)
        with Engine() as engine:
            env, _ = _environment("inputs", "2024Q1", engine)
            with pytest.raises(FigureError) as refused:
                evaluate_figure("x", spec, env)
            messages.append((refused.value.key, str(refused.value)))
    assert messages[0] == messages[1]


def test_a_construct_it_does_not_know_is_left_to_the_engine():
    """A division (floating point in the engine) and a key of a declaration it does not know."""
    with Engine() as engine:
        env, _ = _environment("inputs", "2024Q1", engine)
        upstream = env.ctx.datasets["cases"]
        from pipeline.figures.declared import _scope

        scope = _scope(env, {})
        assert local.evaluate({"from": "cases", "columns": {"half": "limit_days / 2"}}, upstream, env, scope) is None
        assert local.evaluate({"from": "cases", "lookup": {"with": "x"}}, upstream, env, scope) is None
        assert local.evaluate({"from": "cases", "group_by": "unit", "measures": {"n": "count()"}}, upstream, env, scope)
        table = evaluate_figure("x", {"from": "cases", "columns": {"half": "limit_days / 2"}}, env)
        assert len(table) == len(upstream) and engine._backends  # run in the engine instead


@pytest.mark.parametrize("first,last,overrides", [
    (dt.date(2023, 12, 20), dt.date(2025, 2, 10), None),
    (dt.date(2024, 9, 25), dt.date(2024, 10, 15), {2024: {"holidays": ["2024-10-08"], "workdays": ["2024-10-05"]}}),
    (dt.date(2024, 5, 1), dt.date(2024, 5, 1), {}),
])
def test_the_in_process_calendar_is_the_engines(first, last, overrides):
    """The working days counted in-process are those of the calendar tables the engine joins."""
    calendar = WorkdayCalendar(first, last, overrides)
    lookup = Lookup(first, working_days(first, last, overrides))
    assert lookup.through == [int(n) for n in calendar.count_through]
    assert lookup.workdays == [d.astype(dt.date) for d, w in zip(calendar.days, calendar.is_workday) if w]
    working = [d.astype(dt.date) for d in calendar.days[calendar.is_workday]]
    for i, day in enumerate(d.astype(dt.date) for d in calendar.days):
        ordinal = int(calendar.count_through[i]) + 2
        assert lookup.due(day, 2) == (working[ordinal - 1] if ordinal <= len(working) else None)
        assert lookup.between(first, day) == int(calendar.count_through[i] - calendar.count_through[0])
    assert lookup.due(last + dt.timedelta(days=1), 1) is None and lookup.between(None, last) is None


def test_a_year_nobody_knows_is_refused_by_both_calendars():
    with pytest.raises(CalendarError) as engine:
        WorkdayCalendar(dt.date(2099, 1, 1), dt.date(2099, 2, 1))
    with pytest.raises(CalendarError) as in_process:
        working_days(dt.date(2099, 1, 1), dt.date(2099, 2, 1))
    assert str(engine.value) == str(in_process.value) and "calendar.2099" in str(in_process.value)
