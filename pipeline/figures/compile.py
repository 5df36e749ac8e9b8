"""Expressions of declared figures compiled to Ibis, so they run where the records are.

Row expressions (``where``, ``columns``, group keys, the arguments of aggregates) become Ibis
column expressions; ``workdays()`` and ``add_workdays()`` become joins with the working-day
calendar table (pipeline/derive/workdays.py), hoisted into hidden columns first; aggregates
become Ibis reductions (``mean`` as a sum and a count, divided exactly in Python).
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
from dataclasses import dataclass, field

from ..derive.workdays import WorkdayCalendar, with_due_dates, with_workdays_between
from ..load.engine import ibis_module
from ..core.suggest import suggestion
from ..language.expressions import AGGREGATES, CONDITION_HINT, WORKDAY_FUNCTIONS, ExpressionError, Walker, calls_in, condition_of

HIDDEN = "_w"  # prefix of hidden working-day columns


@dataclass
class Scope:
    """What a row expression may name besides the table's columns."""

    literals: dict  # parameters, period_start, period_end, cutoff
    unit_groups: dict  # registry position -> group
    unit_names: dict  # registry position -> short name
    period: tuple  # (first day, last day)
    calendar_overrides: dict = field(default_factory=dict)
    spans: dict = field(default_factory=dict)  # date-span query -> its result, shared by a build's figures


def _is_text(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def row_expr(table, tree, scope: Scope, units=frozenset()):
    """``tree`` as an Ibis expression over the rows of ``table`` (working-day calls already hoisted);
    values of the wrong type for an operation (a date compared with a number) are an ExpressionError.
    ``units``: the columns that hold units, compared with units' names (``unit in ['公安局']``)."""
    try:
        return _Row(table, scope, units).value(tree)
    except (TypeError, AttributeError, ValueError) as exc:
        if isinstance(exc, ExpressionError):
            raise
        hint = CONDITION_HINT if any(isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult) for n in ast.walk(tree)) else ""
        raise ExpressionError(f"表达式“{ast.unparse(tree)}”中的值类型不相容，无法计算（{type(exc).__name__}）{hint}") from None


class _Row(Walker):
    where = "查询中"

    def __init__(self, table, scope: Scope, units=frozenset()):
        self.table, self.scope, self.ibis = table, scope, ibis_module()
        self.units = units

    def _unit_value(self, left_node, right_node):
        """A unit's name compared with a unit column: the unit's place in the registry (as stored)."""
        if not (isinstance(left_node, ast.Name) and left_node.id in self.units and _is_text(right_node)):
            return None
        orders = {name: order for order, name in self.scope.unit_names.items()}
        if right_node.value not in orders:
            raise ExpressionError(f"单位名录中没有“{right_node.value}”{suggestion(right_node.value, orders)}"
                                  f"（{left_node.id} 列的值是名录中单位的简称）")
        return orders[right_node.value]

    def _Name(self, node):
        if node.id in self.table.columns:
            return self.table[node.id]
        if node.id in self.scope.literals:
            return self.ibis.literal(self.scope.literals[node.id])
        known = [c for c in self.table.columns if not c.startswith("_")] + list(self.scope.literals)
        raise ExpressionError(f"没有名为“{node.id}”的列{suggestion(node.id, known)}（可用：{'、'.join(known)}）")

    def _Constant(self, node):
        return self.ibis.literal(node.value)

    def _Attribute(self, node):
        unit = self._Name(node.value)
        table = self.scope.unit_groups if node.attr == "group" else self.scope.unit_names
        return unit.cases(*table.items(), else_=None) if table else self.ibis.null("string")

    def _UnaryOp(self, node):
        operand = self.value(node.operand)
        return ~operand if isinstance(node.op, ast.Not) else -operand

    def _BoolOp(self, node):
        values = [self.value(v) for v in node.values]
        result = values[0]
        for v in values[1:]:
            result = (result & v) if isinstance(node.op, ast.And) else (result | v)
        return result

    def _BinOp(self, node):
        left, right = self.value(node.left), self.value(node.right)
        if left.type().is_boolean() or right.type().is_boolean():
            raise ExpressionError(f"表达式“{ast.unparse(node)}”中是非值（条件）不能参与 + - * / 运算{CONDITION_HINT}")
        if isinstance(node.op, ast.Div):
            return left / right.nullif(0)
        result = {ast.Add: left.__add__, ast.Sub: left.__sub__, ast.Mult: left.__mul__}[type(node.op)](right)
        if result is NotImplemented:  # text and a number: Ibis declines rather than raising
            raise TypeError(ast.unparse(node))
        return result

    def _Compare(self, node):
        left, result = self.value(node.left), None
        for op, right_node in zip(node.ops, node.comparators):
            if isinstance(op, (ast.In, ast.NotIn)):
                if not isinstance(right_node, (ast.List, ast.Tuple)):
                    raise ExpressionError(f"“in”后应为列表，如 ['a', 'b']：{ast.unparse(node)}")
                values = [e.value for e in right_node.elts if isinstance(e, ast.Constant)]
                values = [v if (u := self._unit_value(node.left, e)) is None else u for v, e in zip(values, right_node.elts)]
                part = left.isin(values) if isinstance(op, ast.In) else ~left.isin(values)
            else:
                unit = self._unit_value(node.left, right_node)
                right = self.value(right_node) if unit is None else self.ibis.literal(unit)
                part = {ast.Eq: left.__eq__, ast.NotEq: left.__ne__, ast.Lt: left.__lt__, ast.LtE: left.__le__,
                        ast.Gt: left.__gt__, ast.GtE: left.__ge__}[type(op)](right)
                left = right
            result = part if result is None else result & part
        return result

    def _Call(self, node):
        name = node.func.id
        if name in AGGREGATES or name == "rate":
            raise ExpressionError(f"函数 {name}() 只能用在 measures 中")
        arg = self.value(node.args[0])
        if name == "coalesce":
            return self.ibis.coalesce(arg, self.value(node.args[1]))
        if name == "filled":
            return arg.notnull()
        if name == "empty":
            return arg.isnull()
        if name == "year":
            return arg.year()
        if name == "in_period":
            first, last = self.scope.period
            return arg.between(first, last)
        return arg.year().cast("string") + "-" + arg.month().cast("string").lpad(2, "0")  # month: 2024-05


def aggregate_exprs(table, tree, scope: Scope, label: str, units=frozenset()) -> dict:
    """The Ibis reductions an aggregate call needs, by hidden name: ``label`` (and ``label_n``
    for a mean's count); ``where=`` keeps the rows that meet its condition."""
    name, where = tree.func.id, _condition(table, tree, scope, units)
    if name == "count" and not tree.args:
        return {label: table.count() if where is None else where.ifelse(1, 0).sum().fill_null(0)}
    arg = row_expr(table, tree.args[0], scope, units)
    if name in ("sum", "mean") and not (arg.type().is_numeric() or arg.type().is_boolean()):
        raise ExpressionError(f"{name}() 只能用于数字：{ast.unparse(tree)}")
    boolean = arg.type().is_boolean()
    if name == "count":
        return {label: (arg.ifelse(1, 0).sum() if boolean else arg.count()).fill_null(0)}
    if name == "distinct":
        return {label: _only(arg, where).nunique()}
    if boolean:
        arg = arg.ifelse(1, 0)
    arg = _only(arg, where)
    if name == "mean":
        return {label: arg.sum(), f"{label}_n": arg.count()}
    return {label: getattr(arg, name)()}


def _only(arg, where):
    """``arg`` on the rows that meet ``where``, empty (not counted) on the others."""
    return arg if where is None else where.ifelse(arg, ibis_module().null(arg.type()))


def _condition(table, tree, scope: Scope, units=frozenset()):
    """The ``where=`` condition of an aggregate as a yes/no column (no row counts where it is empty)."""
    node = condition_of(tree)
    if node is None:
        return None
    condition = row_expr(table, node, scope, units)
    if not condition.type().is_boolean():
        raise ExpressionError(f"{tree.func.id}() 的 where= 应为条件（比较、and/or/not、filled() 等）：{ast.unparse(tree)}")
    return condition.fill_null(False)


# ---- working days: hoisted into hidden columns by joins with the calendar table ----

def hoist_workdays(table, tree, scope: Scope, serial: list):
    """(table with one hidden column per working-day call in ``tree``, tree reading those columns)."""
    tree = copy.deepcopy(tree)
    for call in calls_in(tree, WORKDAY_FUNCTIONS):
        serial[0] += 1
        name = f"{HIDDEN}{serial[0]}"
        table = _add_workday_column(table, call, scope, name)
        swap(call, name)
    return table, tree


def swap(call: ast.Call, name: str) -> None:
    """Turn ``call`` in place into a name reading the hidden column that holds its value."""
    call.__class__ = ast.Name
    call.__dict__.clear()
    call.id, call.ctx = name, ast.Load()


def _add_workday_column(table, call: ast.Call, scope: Scope, name: str):
    ibis = ibis_module()
    a, b = (row_expr(table, arg, scope) for arg in call.args)
    staged = table.mutate(**{f"{name}a": a, f"{name}b": b})
    calendar = _calendar_for(staged, f"{name}a", f"{name}b", call.func.id == "add_workdays", scope)
    if calendar is None:  # no rows or no dates: nothing to join
        kind = "date" if call.func.id == "add_workdays" else "int64"
        return table.mutate(**{name: ibis.null(kind)})
    if call.func.id == "add_workdays":
        return _join_due(staged, table.columns, name, calendar)
    return _join_between(staged, table.columns, name, calendar)


def _calendar_for(staged, a: str, b: str, adds: bool, scope: Scope) -> WorkdayCalendar | None:
    """A calendar covering every date the call reads (and the days a limit may add)."""
    ends = [staged[a]] if adds else [staged[a], staged[b]]
    span = staged.aggregate(**{f"lo{i}": e.min() for i, e in enumerate(ends)}, **{f"hi{i}": e.max() for i, e in enumerate(ends)},
                            limit=staged[b].max() if adds else ibis_module().literal(0))
    key = span.op()  # the same columns over the same table (several figures of one kind): asked once
    if key not in scope.spans:
        scope.spans[key] = span.to_pyarrow().to_pylist()[0]
    found = scope.spans[key]
    days = [v for k, v in found.items() if k != "limit" and isinstance(v, dt.date)]
    if not days:
        return None
    return WorkdayCalendar.covering(min(days), max(days), int(found["limit"] or 0), scope.calendar_overrides)


def _join_due(staged, columns, name: str, calendar: WorkdayCalendar):
    """``name``: the ``b``-th working day after date ``a`` (add_workdays)."""
    return with_due_dates(staged, f"{name}a", f"{name}b", calendar, name).select(*columns, name)


def _join_between(staged, columns, name: str, calendar: WorkdayCalendar):
    """``name``: working days after ``a`` up to and including ``b`` (0 when ``b`` is not later)."""
    return with_workdays_between(staged, f"{name}a", f"{name}b", calendar, name).select(*columns, name)
