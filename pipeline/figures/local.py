"""The in-process back-end of declared figures: a figure over a small table the build holds in
Python (a period's .xlsx/.csv, :class:`pipeline.load.tables.HeldTable`) or over another figure
(``from: <figure>``) is evaluated here, without the query engine — importing Ibis and its
DuckDB back-end costs a small build more than all of its figures.

One declared expression, two back-ends: this module gives the rows the engine's query
(pipeline/figures/query.py) gives — the same columns in the same order, the same values and
types, the same order of groups — and :func:`evaluate` returns None for any figure it does not
evaluate exactly that way (a key of the declaration it does not know, a construct
:mod:`.local_rows` declines, any error): the figure is then built in the engine, which also
words the refusal of a declaration that is wrong. tests/test_local_figures.py evaluates every
declared figure of every bundled kind both ways and compares the rows.
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal, localcontext

from ..core.registry import Unit
from ..language.expressions import AGGREGATES, LATE_FUNCTIONS, calls_in, evaluate as evaluate_tree, names_in, parse, uses
from .compile import HIDDEN, swap
from .local_rows import DECIMAL_LIMIT, INT_LIMIT, Column, Declined, Frame, add_column, hoist_workdays, row_values
from .query import Measures, finish_measures, key_name, python_row
from .steps import GROUP_ORDERS
from .table import FigureTable

# the keys of a declaration this back-end knows; the query part of any other is the engine's
KNOWN = frozenset({"title", "from", "where", "columns", "group_by", "measures", "having", "rank", "order", "top",
                   "bottom", "total", "compare", "one", "params", "sentence", "evidence", "per", "evidence_rows"})
KINDS = {"INTEGER": "int", "BIGINT": "int", "DATE": "date", "VARCHAR": "str"}
LAST = 1 << 30  # where a group without a unit sorts


def evaluate(spec: dict, upstream, env, scope) -> tuple[list, list, list] | None:
    """(rows, group keys, columns) of the query part of ``spec`` over ``upstream`` (a held dataset
    or a figure's rows), as the engine gives them; None where the engine must run it."""
    if not set(spec) <= KNOWN or _group_order_named(spec.get("order")):
        return None
    try:
        frame, place = _frame(upstream, spec, env)
        return _evaluate(frame, place, spec, env, scope)
    except Exception:  # declined, or wrong: the engine runs it and says what is wrong
        return None


def _group_order_named(order) -> bool:
    """``order: registry | table | choices`` names a grouping's order: the engine's steps apply it."""
    return any(str(o) in GROUP_ORDERS for o in (order if isinstance(order, list) else [order]))


class _Place:
    """Where rows came from: ``locate`` maps ``_row`` values to (file, line); a chain's upstream rows."""

    def __init__(self, locate, originals=None, file: str = ""):
        self.locate, self.originals, self.file = locate, originals, file


def _frame(upstream, spec: dict, env) -> tuple[Frame, _Place]:
    if isinstance(upstream, FigureTable):
        return _chain(upstream)
    held = getattr(upstream, "held", None)
    if held is None:
        raise Declined("a table in the engine")
    declared = env.config.value("datasets").get(spec["from"]) or {}
    units = {f for f, c in (declared.get("columns") or {}).items() if (c or {}).get("type") == "unit"}
    kinds = {c: _kind(t) for c, t in upstream.columns.items()}
    place = _Place(lambda positions: [(upstream.file, line) for line in upstream.rows(positions)], file=upstream.file)
    return Frame([dict(r) for r in held], kinds, units), place


def _kind(sql: str) -> str:
    if sql.startswith("DECIMAL(38, 10)"):
        return "dec"
    if sql not in KINDS:
        raise Declined(sql)
    return KINDS[sql]


def _chain(figure) -> tuple[Frame, _Place]:
    """A figure's rows as the engine stores them for a chain (query.figure_source)."""
    columns = [c for c in (getattr(figure, "columns", None) or _columns(figure)) if not c.startswith("_")]
    units = {c for c in columns if any(isinstance(r.get(c), Unit) for r in figure)}
    rows = [r for r in figure if all(r.get(c) is None or isinstance(r.get(c), Unit) for c in units)]  # not the 合计 row
    kinds = {"_row": "int", **{c: _chain_kind([r.get(c) for r in rows]) for c in columns}}
    stored = [{"_row": i, **{c: _stored(r.get(c), kinds[c]) for c in columns}} for i, r in enumerate(rows)]
    places = [(r.get("_file", ""), r.get("_row")) for r in rows]
    files = {file for file, _ in places}
    place = _Place(lambda positions: [places[p] for p in positions], list(rows), files.pop() if len(files) == 1 else "")
    return Frame(stored, kinds, units), place


def _columns(rows) -> list[str]:
    seen: dict = {}
    for row in rows:
        seen.update((k, None) for k in row if not k.startswith("_"))
    return list(seen)


def _chain_kind(values: list) -> str:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int, Unit}:
        return "int" if kinds else "str"
    if kinds <= {int, Decimal}:
        return "dec"
    if kinds <= {dt.date}:
        return "date"
    if kinds <= {str}:
        return "str"
    raise Declined("mixed column")


def _stored(value, kind: str):
    if isinstance(value, Unit):
        return value.order
    if kind == "dec" and value is not None:
        stored = Decimal(value)
        if stored.as_tuple().exponent < -10 or abs(stored) >= Decimal(10) ** 28:
            raise Declined("decimal places")
        return stored
    return value


# ---- the steps of a query, in the order the engine's are built (figures/declared.py) ----

class _Query:
    def __init__(self, frame: Frame, place: _Place, scope):
        self.frame, self.place, self.scope = frame, place, scope
        self.late: dict = {}
        self.serial = [0]


def _evaluate(frame: Frame, place: _Place, spec: dict, env, scope):
    query = _Query(frame, place, scope)
    for name, text in (spec.get("columns") or {}).items():
        _add_column(query, name, text)
    if spec.get("where"):
        _where(query, spec["where"])
    if spec.get("group_by") or spec.get("measures"):
        return _grouped(query, spec, env, scope.literals)
    return _row_level(query, spec, env, scope.literals), [], []


def _add_column(query: _Query, name: str, text) -> None:
    tree = parse(text)
    if uses(tree, LATE_FUNCTIONS) or any(n in query.late for n in names_in(tree)):
        query.late[name] = tree
        return
    tree = hoist_workdays(query.frame, tree, query.scope, query.serial)
    add_column(query.frame, name, row_values(query.frame, tree, query.scope, query.frame.units))
    if isinstance(tree, ast.Name) and tree.id in query.frame.units:
        query.frame.units.add(name)


def _where(query: _Query, text) -> None:
    tree = parse(text)
    if names_in(tree) & set(query.late):
        raise Declined("where")
    tree = hoist_workdays(query.frame, tree, query.scope, query.serial)
    condition = row_values(query.frame, tree, query.scope, query.frame.units)
    if condition.kind != "bool":
        raise Declined("condition")
    query.frame.rows = [r for i, r in enumerate(query.frame.rows) if condition.at(i) is True]


def _grouped(query: _Query, spec: dict, env, names: dict):
    trees = {n: hoist_workdays(query.frame, parse(t), query.scope, query.serial) for n, t in (spec.get("measures") or {}).items()}
    keys = _group_keys(query, spec.get("group_by"))
    planned, reductions = _plan(query, trees)
    rows = [python_row(r, query.frame.units, env.ctx.registry) for r in _aggregated(query, keys, reductions)]
    rows = [finish_measures(r, planned, names, env.percent, env.mean) for r in rows]
    if keys:
        first_unit = keys[0] in query.frame.units
        rows.sort(key=lambda r: (r[keys[0]].order if first_unit and r[keys[0]] is not None else LAST, r.get("_first", 0)))
    where = {"_file": query.place.file} if query.place.file else {}  # an aggregated row names its file, not a line
    rows = [{**{k: v for k, v in r.items() if not k.startswith("_")}, **where} for r in rows]
    if spec.get("total") and keys:
        total = finish_measures(python_row(_aggregated(query, [], reductions)[0], query.frame.units, env.ctx.registry),
                                planned, names, env.percent, env.mean)
        rows.append({**{k: None for k in keys}, keys[0]: str(spec["total"]), **{m: total[m] for m in planned.trees}})
    return rows, keys, keys + list(planned.trees)


def _group_keys(query: _Query, group_by) -> list[str]:
    entries = group_by if isinstance(group_by, list) else ([group_by] if group_by else [])
    names = []
    for entry in entries:
        name, tree = key_name(entry)
        tree = hoist_workdays(query.frame, tree, query.scope, query.serial)
        add_column(query.frame, name, row_values(query.frame, tree, query.scope))
        if isinstance(tree, ast.Name) and tree.id in query.frame.units:
            query.frame.units.add(name)
        names.append(name)
    return names


def _plan(query: _Query, trees: dict) -> tuple[Measures, dict]:
    """The measures' reductions (label → function of a group's rows), their calls swapped for labels."""
    planned, reductions = Measures(), {}
    for name, tree in trees.items():
        for call in calls_in(tree, AGGREGATES):
            label = f"_m{len(reductions)}"
            reductions.update(_reductions(query, call, label))
            if call.func.id == "mean":
                planned.means.append(label)
            swap(call, label)
        planned.trees[name] = tree
    planned.reductions = reductions
    return planned, reductions


def _reductions(query: _Query, call, label: str) -> dict:
    """As compile.aggregate_exprs: ``label`` (and ``label_n`` for a mean) → a function of row indices."""
    name, arity = call.func.id, AGGREGATES[call.func.id]
    if call.keywords or not arity[0] <= len(call.args) <= arity[1]:
        raise Declined("aggregate call")
    if name == "count" and not call.args:
        return {label: len}
    arg = row_values(query.frame, call.args[0], query.scope)
    boolean = arg.kind == "bool"
    if name in ("sum", "mean") and not (arg.kind in ("int", "dec") or boolean):
        raise Declined("sum of non-numbers")
    if name == "count":
        return {label: (lambda i: sum(1 for j in i if arg.at(j) is True)) if boolean else (lambda i: _present(arg, i, len))}
    if name == "distinct":
        return {label: lambda i: _present(arg, i, lambda v: len(set(v)))}
    value = (lambda j: 1 if arg.at(j) is True else 0) if boolean else arg.at
    if name == "mean":
        return {label: lambda i: _total([value(j) for j in i]), f"{label}_n": lambda i: sum(1 for j in i if value(j) is not None)}
    reduce = {"sum": _total, "min": _least, "max": _most}[name]
    return {label: lambda i: reduce([value(j) for j in i])}


def _present(arg: Column, indices, function):
    return function([arg.at(j) for j in indices if arg.at(j) is not None])


def _total(values: list):
    present = [v for v in values if v is not None]
    if not present:
        return None
    with localcontext() as context:
        context.prec = 80
        total = sum(present[1:], present[0])
    if abs(total) >= (INT_LIMIT if isinstance(total, int) else DECIMAL_LIMIT):  # past the engine's sum type
        raise Declined("sum range")
    return total


def _least(values: list):
    present = [v for v in values if v is not None]
    return min(present) if present else None


def _most(values: list):
    present = [v for v in values if v is not None]
    return max(present) if present else None


def _aggregated(query: _Query, keys: list[str], reductions: dict) -> list[dict]:
    """One row per group (keys, reductions, ``_first``), or one row over all rows without keys."""
    rows = query.frame.rows
    if not keys:
        indices = list(range(len(rows)))
        return [{label: f(indices) for label, f in reductions.items()} if reductions else {"_n": len(rows)}]
    groups: dict[tuple, list[int]] = {}
    for i, row in enumerate(rows):
        groups.setdefault(tuple(row[k] for k in keys), []).append(i)
    return [{**dict(zip(keys, key)), **{label: f(indices) for label, f in reductions.items()},
             "_first": min(rows[j]["_row"] for j in indices)} for key, indices in groups.items()]


def _row_level(query: _Query, spec: dict, env, names: dict) -> list[dict]:
    if spec.get("per") and spec.get("evidence_rows"):
        _limit_per_group(query, spec["per"] if isinstance(spec["per"], list) else [spec["per"]], int(spec["evidence_rows"]))
    rows = _rows(query, env.ctx.registry)
    for row in rows:
        for column, tree in query.late.items():
            row[column] = evaluate_tree(tree, {**names, **row}, env.percent)
    return rows


def _limit_per_group(query: _Query, keys: list[str], limit: int) -> None:
    """As query.limit_per_group: the first ``limit`` rows of each group, each with ``_count``."""
    rows = sorted(query.frame.rows, key=lambda r: r["_row"])
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        groups.setdefault(tuple(row[k] for k in keys), []).append(row)
    for row in rows:
        row["_count"] = len(groups[tuple(row[k] for k in keys)])
    kept = {id(r) for members in groups.values() for r in members[:limit]}
    query.frame.rows = [r for r in query.frame.rows if id(r) in kept]
    query.frame.kinds["_count"] = "int"


def _rows(query: _Query, registry) -> list[dict]:
    """As query.run_rows: row-level results in source order, with ``_file`` and ``_row``."""
    rows = sorted(query.frame.rows, key=lambda r: r["_row"])
    places = query.place.locate([r["_row"] for r in rows]) if rows else []
    result = []
    for stored, (file, line) in zip(rows, places):
        position = stored["_row"]
        row = python_row({k: v for k, v in stored.items() if not k.startswith(HIDDEN)}, query.frame.units, registry)
        if query.place.originals is not None:  # a chain keeps its upstream values exactly as they were
            row = {**row, **{k: v for k, v in query.place.originals[position].items() if not k.startswith("_")}}
        row.pop("_row")
        if file:
            row["_file"] = file
        if line is not None:
            row["_row"] = line
        result.append(row)
    return result

