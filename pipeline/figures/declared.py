"""Declared figures (``figures:`` without ``derive:``): queries on the engine, run in dependency order.

    各单位:
      from: tickets                    # a dataset, or another figure (a chain)
      where: "诉求类型 != '咨询'"
      columns: {on_time: "filled(closed_on) and closed_on <= add_workdays(received_on, limit_days)"}
      group_by: unit                   # a column, unit.group, month(date), or a list
      measures: {工单数: count(), 按期办结率: rate(count(on_time), 工单数)}
      having: "按期办结率 < 90"
      rank: {by: -按期办结率, as: 名次, ties: same}
      order: [-工单数, unit]
      top: 5
      total: 合计
      compare: {with: previous, measures: [工单数]}   # 工单数_上期 (None where that period has no data)
      one: true                       # exactly one row, else a data error

Each evaluates to a :class:`FigureTable`. Rates are exact: the engine counts, Python divides and
rounds the office's way (``numbers:``), so every engine gives the same digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ..core.decimals import NumberRule

from ..config.declared import QUERY
from ..config.view import Settings
from ..load.inputs import RuleContext
from . import local
from . import query as q
from . import indicators, lookup, steps
from .compile import Scope
from ..language.expressions import ExpressionError, evaluate
from .table import FigureTable

COMPARE_SUFFIX = {"previous": "_上期", "year_ago": "_上年同期"}


class FigureError(ExpressionError):
    """A declared figure that cannot be evaluated: which one, which key, and why."""

    def __init__(self, name: str, key: str, message: str, section: str = "figures"):
        super().__init__(message)
        self.name, self.key, self.section = name, key, section


@dataclass
class Environment:
    """What declared figures read: the checked inputs, the settings, the figures made so far, and
    (for 环比/同比) a way to the earlier period's inputs."""

    ctx: RuleContext
    config: Settings  # the bulletin's configuration, read through its declarations
    figures: dict = field(default_factory=dict)
    earlier: object = None  # callable: 'previous' | 'year_ago' -> Environment or None
    spans: dict = field(default_factory=dict)  # date spans of working-day calls, asked once per build

    def percent(self, part, whole) -> Decimal | None:
        """part ÷ whole × 100, rounded the office's way; None when whole is 0 or missing."""
        return self._numbers().percent(part, whole)

    def mean(self, total, count) -> Decimal | None:
        return self._numbers().mean(total, count)

    def _numbers(self) -> NumberRule:
        numbers = self.config.section("numbers")
        return NumberRule(int(numbers.value("percent_places")), numbers.value("rounding"))

    def literals(self, params: dict) -> dict:
        period = self.ctx.period
        return {**self.config.value("params"), **params,
                "period_start": period.start, "period_end": period.end, "cutoff": self.ctx.cutoff}


def run_declared(declared: dict, env: Environment, order: list[str]) -> dict[str, FigureTable]:
    """The declared figures named in ``order`` (dependency order), each added to ``env.figures``."""
    for name in order:
        env.figures[name] = evaluate_figure(name, declared[name], env)
    return {name: env.figures[name] for name in order}


def evaluate_figure(name: str, spec: dict, env: Environment, params: dict | None = None, section: str = "figures") -> FigureTable:
    """One declared figure (or check, with its ``params``) as a FigureTable."""
    values = {**(spec.get("params") or {}), **(params or {})}
    try:
        return _evaluate(name, spec, env, values)
    except FigureError:
        raise
    except ExpressionError as exc:
        raise FigureError(name, getattr(exc, "key", ""), str(exc), section) from None


def _evaluate(name: str, spec: dict, env: Environment, params: dict) -> FigureTable:
    upstream = _upstream(spec["from"], env)
    if upstream is None:  # the period has no such table: an empty figure
        return FigureTable([], name=name, title=str(spec.get("title") or ""), columns=[], label=None)
    names = env.literals(params)
    found = local.evaluate(spec, upstream, env, _scope(env, params))  # small tables in-process; None: the engine
    if found is None and spec.get("indicators"):
        return _indicator_figure(_source(spec["from"], upstream, env), spec, env, params, name)
    rows, keys, columns = found or _in_engine(spec, _source(spec["from"], upstream, env), env, params)
    return _table(_after(rows, spec, env, names, keys, params), name, spec, keys, columns)


def _in_engine(spec: dict, source: q.Source, env: Environment, params: dict):
    """(rows, group keys, columns) of the query part of ``spec``, as a query on the engine."""
    query = q.Query(source, _scope(env, params))
    early, late = lookup.split(spec.get("lookup"), query.table.columns)
    pending = lookup.add_lookups(query, early, lambda table: _looked_up(table, env), env.ctx.registry)
    _step(q.add_columns, query, spec.get("columns"), key="columns")
    pending += lookup.add_lookups(query, late, lambda table: _looked_up(table, env), env.ctx.registry, first=len(early))
    if spec.get("where"):
        _step(q.add_where, query, spec["where"], key="where")
    lookup.refuse_unmatched(query, pending)
    names = env.literals(params)
    if spec.get("group_by") or spec.get("measures"):
        return _grouped(query, spec, env, names)
    return _row_level(query, spec, env, names), [], []


def _indicator_figure(source: q.Source, spec: dict, env: Environment, params: dict, name: str) -> FigureTable:
    """A key/value table as one row (indicators:): where picks the indicator rows, columns follow."""
    query = q.Query(source, _scope(env, params))
    if spec.get("where"):
        _step(q.add_where, query, spec["where"], key="where")
    query = _keyed("indicators", lambda: indicators.one_row_query(query, spec["indicators"], env.ctx.registry, name))
    _step(q.add_columns, query, spec.get("columns"), key="columns")
    rows = _row_level(query, spec, env, env.literals(params))
    return _table(_after(rows, spec, env, env.literals(params), [], params), name, spec, [], [])


def _table(rows: list[dict], name: str, spec: dict, keys: list[str], columns: list[str]) -> FigureTable:
    """The figure's table: declared columns first, then any a later step added (名次, 工单数_上期)."""
    first = rows[0] if rows else {}
    columns = list(columns) or [c for c in first if not c.startswith("_")]
    columns += [c for c in first if c not in columns and not c.startswith("_")]
    label = keys[0] if keys else ("unit" if "unit" in columns else None)
    return steps.as_table(rows, name, spec, columns, label)


def _step(function, query, value, key: str):
    with q.keyed(key):
        function(query, value)


def _scope(env: Environment, params: dict) -> Scope:
    units = env.ctx.registry.units
    return Scope(env.literals(params), {u.order: u.group for u in units}, {u.order: u.short_name for u in units},
                 (env.ctx.period.start, env.ctx.period.end), env.ctx.calendar_overrides, env.spans)


def _upstream(name: str, env: Environment):
    """What a figure reads: another figure's table (a chain), a checked dataset, the registry's units, or None."""
    declared = env.config.value("figures")
    if name not in env.figures and "derive" not in (declared.get(name) or {"derive": None}):
        env.figures[name] = _evaluate(name, declared[name], env, {})  # an earlier period's chain, made on demand
    if name in env.figures:
        return env.figures[name]
    data = env.ctx.datasets.get(name)
    if data is None and name == lookup.REGISTRY:  # from: registry — every unit, with or without records
        return lookup.registry_table(env.ctx.registry)
    return data if _readable(data) else None


def _readable(data) -> bool:
    """A dataset the period has: held in Python (its engine table made when first read) or in the engine."""
    return data is not None and (getattr(data, "held", None) is not None or getattr(data, "table", None) is not None)


def _source(name: str, data, env: Environment, dataset_only: bool = False) -> q.Source:
    if not dataset_only and (name in env.figures or name == lookup.REGISTRY and name not in env.ctx.datasets):
        return q.figure_source(data, name)
    declared = env.config.value("datasets").get(name) or {}
    units = {f for f, c in (declared.get("columns") or {}).items() if (c or {}).get("type") == "unit"}
    table = q.choice_labels(data.table, getattr(data, "choices", {}) or {})
    return q.Source(table, units, lambda positions: [(data.file, line) for line in data.rows(positions)], file=data.file,
                    choices=dict(getattr(data, "choices", {}) or {}))


def _looked_up(name: str, env: Environment):
    """What a lookup reads: a dataset of the period (a Source), else a figure (made first if need be)."""
    if name in env.ctx.datasets:
        data = env.ctx.datasets.get(name)
        return _source(name, data, env, dataset_only=True) if _readable(data) else None
    declared = env.config.value("figures")
    if name not in env.figures and "derive" not in (declared.get(name) or {"derive": None}):
        env.figures[name] = _evaluate(name, declared[name], env, {})
    return env.figures.get(name)


def _grouped(query: q.Query, spec: dict, env: Environment, names: dict):
    trees = q.hoist_measures(query, spec.get("measures"))
    with q.keyed("group_by"):
        keys = q.group_keys(query, spec.get("group_by"))
    planned = q.plan_measures(query, trees)
    rows = q.run_grouped(query, keys, planned, env.ctx.registry)
    with q.keyed("measures"):
        rows = [q.finish_measures(r, planned, names, env.percent, env.mean) for r in rows]
    if keys:
        rows = _keyed("order", lambda: steps.group_order(rows, keys[0], spec.get("order"), query.kinds, env.ctx.registry))
    where = {"_file": query.source.file} if query.source.file else {}  # an aggregated row names its file, not a line
    rows = [{**{k: v for k, v in r.items() if not k.startswith("_")}, **where} for r in rows]
    if spec.get("total") and keys:
        rows.append(_total(query, keys, planned, spec["total"], env, names))
    return rows, keys, keys + list(planned.trees)


def _total(query: q.Query, keys: list[str], planned, label: str, env: Environment, names: dict) -> dict:
    """The total row: the measures recomputed over all rows (rates not summed), labelled in the first key."""
    row = q.run_grouped(query, [], planned, env.ctx.registry)[0]
    row = q.finish_measures(row, planned, names, env.percent, env.mean)
    return {**{k: None for k in keys}, keys[0]: str(label), **{m: row[m] for m in planned.trees}}


def _row_level(query: q.Query, spec: dict, env: Environment, names: dict) -> list[dict]:
    """Rows without grouping (a check's findings, a looked-up indicator), late columns (rates) added."""
    if spec.get("per") and spec.get("evidence_rows"):
        per = spec["per"] if isinstance(spec["per"], list) else [spec["per"]]
        _step(lambda qu, n: q.limit_per_group(qu, per, n), query, int(spec["evidence_rows"]), key="evidence_rows")
    rows = q.run_rows(query, env.ctx.registry)
    for row in rows:
        for column, tree in query.late.items():
            with q.keyed(f"columns.{column}"):
                row[column] = evaluate(tree, {**names, **row}, env.percent)
    return rows


def _after(rows: list[dict], spec: dict, env: Environment, names: dict, keys: list[str], params: dict) -> list[dict]:
    """having, rank, order, top/bottom, 环比/同比 and one, in that order."""
    total = [r for r in rows if spec.get("total") and keys and r.get(keys[0]) == str(spec["total"])]
    rows = [r for r in rows if r not in total]
    rows = _keyed("having", lambda: steps.having(rows, spec["having"], names, env.percent)) if spec.get("having") else rows
    rows = _keyed("rank", lambda: steps.ranked(rows, spec["rank"])) if spec.get("rank") else rows
    rows = _keyed("order", lambda: steps.ordered(rows, spec["order"])) if spec.get("order") and spec["order"] not in steps.GROUP_ORDERS else rows
    rows = steps.cut(rows, spec.get("top"), spec.get("bottom")) + total
    if spec.get("compare"):
        matched = keys or ["unit"]  # rows of a chain are matched by their unit
        rows = _compare(rows, spec, env, matched, params)
    if spec.get("one"):
        _keyed("one", lambda: steps.one_row(rows))
    return rows


def _keyed(key: str, thunk):
    with q.keyed(key):
        return thunk()


def _indicator_names(rows: list[dict], spec: dict) -> list[str]:
    """An indicator figure compared without ``measures``: every indicator (and column) of its row."""
    return [c for c in (rows[0] if rows else {}) if not c.startswith("_")] if spec.get("indicators") else []


def _compare(rows: list[dict], spec: dict, env: Environment, keys: list[str], params: dict) -> list[dict]:
    """``<measure>_上期`` from the same figure over the earlier period's inputs (None without them)."""
    compare = Settings(spec["compare"], QUERY.keys["compare"].type)
    which = compare.value("with")
    earlier = env.earlier(which) if env.earlier else None
    previous = None
    if earlier is not None:
        plain = {k: v for k, v in spec.items() if k not in ("compare", "top", "bottom", "having", "one")}
        previous = _evaluate(spec.get("title") or "上期", plain, earlier, params)
    measures = compare.value("measures") or list(spec.get("measures") or {}) or _indicator_names(rows, spec)
    return steps.compared(rows, previous, keys, measures, COMPARE_SUFFIX[which])
