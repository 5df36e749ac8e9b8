"""The engine half of a declared figure: source, columns, where, group_by and measures as one
Ibis query; the fetched rows come back as Python values (units, exact decimals, source lines)."""

from __future__ import annotations

import ast
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from ..load.engine import arrow_memtable, ibis_module
from ..core.registry import Unit
from ..core.decimals import plain_decimal
from .compile import HIDDEN, Scope, aggregate_exprs, hoist_workdays, row_expr, swap
from .table import FigureTable
from ..language.expressions import AGGREGATES, LATE_FUNCTIONS, ExpressionError, calls_in, evaluate, names_in, parse, uses


@contextmanager
def keyed(key: str):
    """An ExpressionError raised inside names the declaration key it comes from (``measures.工单数``)."""
    try:
        yield
    except ExpressionError as exc:
        if not getattr(exc, "key", ""):
            exc.key = key
        raise


@dataclass
class Source:
    """Rows a figure reads: an Ibis table with ``_row``, which columns hold units, where rows came from."""

    table: object
    units: set = field(default_factory=set)
    locate: object = None  # positions (_row values) -> [(file, line)]
    originals: list | None = None  # a chain: the upstream rows as they were, by position
    file: str = ""  # the one file every row comes from, if there is one (an aggregated row's _file)
    choices: dict = field(default_factory=dict)  # choice column -> its choices, in declared order


@dataclass
class Query:
    """One figure's query being built: the table so far, its unit columns and hidden-name counter."""

    source: Source
    scope: Scope
    late: dict = field(default_factory=dict)  # name -> tree of columns computed after fetching (rates)
    kinds: dict = field(default_factory=dict)  # group key -> (unit | group | choice, its choices): orders it may take
    serial: list = field(default_factory=lambda: [0])

    @property
    def table(self):
        return self.source.table


def choice_labels(table, choices: dict):
    """Choice columns stored as codes (record tables) as their labels, so '是' compares as written."""
    coded = {f: labels for f, labels in choices.items() if f in table.columns and table[f].type().is_integer()}
    return table.mutate(**{f: table[f].cases(*enumerate(labels), else_=None) for f, labels in coded.items()}) if coded else table


def figure_source(rows, stem: str) -> Source:
    """A figure's rows (a chain: ``from: <figure>``) as a table in the engine; ``_row`` is the position."""
    import pyarrow as pa

    columns = [c for c in (getattr(rows, "columns", None) or FigureTable(rows).columns) if not c.startswith("_")]
    units = {c for c in columns if any(isinstance(r.get(c), Unit) for r in rows)}
    rows = [r for r in rows if all(r.get(c) is None or isinstance(r.get(c), Unit) for c in units)]  # not the 合计 row
    data, schema = {"_row": pa.array(range(len(rows)), pa.int64())}, {"_row": "int64"}
    for c in columns:
        values = [_stored(r.get(c)) for r in rows]
        kind, arrow = _arrow_type(values)
        data[c], schema[c] = pa.array(values, arrow), kind
    places = [(r.get("_file", ""), r.get("_row")) for r in rows]
    table = arrow_memtable(stem, pa.table(data), schema)
    files = {file for file, _ in places}
    return Source(table, units, lambda positions: [places[p] for p in positions], list(rows), files.pop() if len(files) == 1 else "")


def _stored(value):
    return value.order if isinstance(value, Unit) else value


def _arrow_type(values) -> tuple[str, object]:
    import datetime as dt

    import pyarrow as pa

    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int}:
        return ("int64", pa.int64()) if kinds else ("string", pa.string())
    if kinds <= {int, Decimal}:
        return "decimal(38, 10)", pa.decimal128(38, 10)
    if kinds <= {dt.date}:
        return "date", pa.date32()
    return "string", pa.string()


def add_columns(query: Query, columns: dict) -> None:
    """``columns:``: row expressions added in the engine; those with rate() kept for after fetching."""
    for name, text in (columns or {}).items():
        with keyed(f"columns.{name}"):
            _add_column(query, name, text)


def _add_column(query: Query, name: str, text) -> None:
    tree = parse(text)
    if uses(tree, LATE_FUNCTIONS) or any(n in query.late for n in names_in(tree)):
        query.late[name] = tree
        return
    table, tree = hoist_workdays(query.table, tree, query.scope, query.serial)
    query.source.table = table.mutate(**{name: row_expr(table, tree, query.scope, query.source.units)})
    if isinstance(tree, ast.Name) and tree.id in query.source.units:
        query.source.units.add(name)


def add_where(query: Query, text) -> None:
    tree = parse(text)
    late = names_in(tree) & set(query.late)
    if late:
        raise ExpressionError(f"where 不能使用计算后的列“{'、'.join(late)}”（请改用 having）")
    table, tree = hoist_workdays(query.table, tree, query.scope, query.serial)
    condition = row_expr(table, tree, query.scope, query.source.units)
    _refuse_undecided(table, tree, condition, query)
    query.source.table = table.filter(condition)


def _refuse_undecided(table, tree, condition, query: Query) -> None:
    """A row whose condition divides by zero is neither kept nor dropped silently: refused, with how many."""
    divisors = [n.right for n in ast.walk(tree) if isinstance(n, ast.BinOp) and isinstance(n.op, ast.Div)]
    if not divisors:
        return
    zero = None
    for divisor in divisors:
        is_zero = row_expr(table, divisor, query.scope, query.source.units) == 0
        zero = is_zero if zero is None else zero | is_zero
    undecided = int(table.filter(zero & condition.isnull()).count().execute())
    if undecided:
        raise ExpressionError(f"where 条件“{ast.unparse(tree)}”在 {undecided:,} 行中除数为 0，无法判断这些行是否计入；"
                              f"请先排除除数为 0 的行（如 b > 0 and a / b > 0.5）")


def limit_per_group(query: Query, keys: list[str], limit: int) -> None:
    """Only the first ``limit`` rows (by source row) of each group, each carrying ``_count``, the
    group's number of rows: a check's evidence over millions of records stays short."""
    ibis, table = ibis_module(), query.table
    numbered = table.mutate(_n=ibis.row_number().over(group_by=keys, order_by="_row"),
                            _count=table["_row"].count().over(group_by=keys))
    query.source.table = numbered.filter(numbered["_n"] < limit).drop("_n")


def key_name(text) -> tuple[str, object]:
    """(column name, tree) of one group_by entry: ``unit`` → unit, ``unit.group`` → group, ``month(d)`` → month."""
    if isinstance(text, dict) and len(text) == 1:
        (name, expr), = text.items()
        return str(name), parse(expr)
    tree = parse(text)
    if isinstance(tree, ast.Name):
        return tree.id, tree
    if isinstance(tree, ast.Attribute):
        return tree.attr, tree
    if isinstance(tree, ast.Call) and tree.func.id in ("month", "year"):
        return tree.func.id, tree
    raise ExpressionError(f"group_by 的“{text}”应为列名、unit.group、month(日期) 或 {{名称: 表达式}}")


def group_keys(query: Query, group_by) -> list[str]:
    """The group_by entries added as key columns; their names in order."""
    entries = group_by if isinstance(group_by, list) else ([group_by] if group_by else [])
    names = []
    for entry in entries:
        name, tree = key_name(entry)
        table, tree = hoist_workdays(query.table, tree, query.scope, query.serial)
        query.source.table = table.mutate(**{name: row_expr(table, tree, query.scope)})
        if isinstance(tree, ast.Name) and tree.id in query.source.units:
            query.source.units.add(name)
        query.kinds[name] = _key_kind(query, tree)
        names.append(name)
    return names


def _key_kind(query: Query, tree) -> tuple[str, object]:
    """What a group key holds, for the orders it may be put in (order: registry / choices)."""
    if isinstance(tree, ast.Name) and tree.id in query.source.units:
        return "unit", None
    if isinstance(tree, ast.Attribute) and tree.attr == "group":
        return "group", None
    if isinstance(tree, ast.Name) and tree.id in query.source.choices:
        return "choice", query.source.choices[tree.id]
    return "", None


@dataclass
class Measures:
    """The measures as reductions in the engine (hidden names) and trees evaluated per fetched row."""

    reductions: dict = field(default_factory=dict)
    means: list = field(default_factory=list)
    trees: dict = field(default_factory=dict)


def hoist_measures(query: Query, measures: dict) -> dict:
    """The measures' trees, their working-day calls hoisted into hidden columns of the table (before
    the group keys are added, so that figures differing only in grouping share a calendar span)."""
    trees = {}
    for name, text in (measures or {}).items():
        with keyed(f"measures.{name}"):
            query.source.table, trees[name] = hoist_workdays(query.table, parse(text), query.scope, query.serial)
    return trees


def plan_measures(query: Query, trees: dict) -> Measures:
    """Every reduction the measures need, on the final table."""
    planned = Measures()
    for name, tree in trees.items():
        for call in calls_in(tree, AGGREGATES):
            label = f"_m{len(planned.reductions)}"
            with keyed(f"measures.{name}"):
                planned.reductions.update(aggregate_exprs(query.table, call, query.scope, label, query.source.units))
            if call.func.id == "mean":
                planned.means.append(label)
            swap(call, label)
        planned.trees[name] = tree
    return planned


def run_grouped(query: Query, keys: list[str], planned: Measures, registry):
    """The aggregated rows in Python: key columns (units as Unit) and hidden reductions."""
    table = query.table
    reductions = dict(planned.reductions)
    if keys:
        result = table.group_by(keys).aggregate(**reductions, _first=table["_row"].min())
    else:
        result = table.aggregate(**reductions) if reductions else table.aggregate(_n=table.count())
    rows = result.to_pyarrow().to_pylist()
    return [python_row(r, query.source.units, registry) for r in rows]


def run_rows(query: Query, registry):
    """Row-level results in source order, with ``_file`` and ``_row``."""
    table = query.table
    visible = [c for c in table.columns if not c.startswith(HIDDEN)]
    rows = table.select(*visible).order_by("_row").to_pyarrow().to_pylist()
    places = query.source.locate([r["_row"] for r in rows]) if rows else []
    result = []
    originals = query.source.originals
    for row, (file, line) in zip(rows, places):
        position = row["_row"]
        row = python_row(row, query.source.units, registry)
        if originals is not None:  # a chain keeps its upstream values exactly as they were
            row = {**row, **{k: v for k, v in originals[position].items() if not k.startswith("_")}}
        row.pop("_row")
        if file:
            row["_file"] = file
        if line is not None:
            row["_row"] = line
        result.append(row)
    return result


def python_row(row: dict, units: set, registry) -> dict:
    """A fetched row as Python values: unit columns as Units, decimals without their storage zeros."""
    out = {}
    for key, value in row.items():
        if key in units and value is not None:
            value = registry.units[value]
        elif isinstance(value, Decimal):
            value = plain_decimal(value)
        elif isinstance(value, float) and value == int(value):
            value = Decimal(int(value))
        elif isinstance(value, float):
            value = Decimal(str(value))
        out[key] = value
    return out


def finish_measures(row: dict, planned: Measures, names: dict, percent, mean) -> dict:
    """The measures of one aggregated row, in declared order (later ones may read earlier ones)."""
    for label in planned.means:
        row[label] = mean(row.get(label), row.pop(f"{label}_n", 0))
    scope = {**names, **row}
    for name, tree in planned.trees.items():
        scope[name] = row[name] = evaluate(tree, scope, percent)
    return row
