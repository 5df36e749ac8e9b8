"""Row expressions of declared figures evaluated in Python over small tables, with the meaning
the engine gives them (pipeline/figures/compile.py): SQL's NULL (a comparison with an empty
value is empty, ``and``/``or`` three-valued, a row kept only where its condition is true),
exact integers and decimals, units compared by their place in the registry, and working days
from the same calendar (pipeline/derive/workdays.py).

Every value has a static type, worked out from the expression and the table's columns as the
engine would: ``int``, ``dec``, ``date``, ``str`` or ``bool``. Whatever this module does not
evaluate exactly as the engine does (a division, a fraction written in the expression, a
function it does not know, types that do not go together, a number past what the engine's
types hold) raises :class:`Declined`, and the figure is run in the engine instead — which also
gives the refusal, with its message, of an expression that is wrong.
"""

from __future__ import annotations

import ast
import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from ..core.errors import ProgramFault
from ..derive.workdays import covering_span, working_days
from ..language.expressions import WORKDAY_FUNCTIONS, calls_in
from .compile import HIDDEN, Scope, swap

INT_LIMIT = 1 << 63  # the engine's integers are 64 bits
DECIMAL_LIMIT = Decimal(10) ** 28  # DECIMAL(38, 10): 28 digits before the point
PLACES = 10  # and 10 after it
NUMERIC = ("int", "dec")


class Declined(ProgramFault):
    """A construct the in-process back-end does not evaluate exactly as the engine: the engine runs the figure."""


@dataclass
class Column:
    """One column of a row expression: a value per row (or one value for all rows) and its type."""

    values: list | None  # per row; None when the value is ``constant`` for every row
    kind: str
    constant: object = None
    literal: bool = False  # written in the expression or a parameter (no column read)

    def at(self, i: int):
        return self.constant if self.values is None else self.values[i]


@dataclass
class Frame:
    """Rows of stored values (dicts with ``_row``), each column's type, and the unit columns."""

    rows: list[dict]
    kinds: dict
    units: set = field(default_factory=set)


def literal_kind(value) -> str:
    """The type of a parameter or a written constant, as the engine would type it."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int) and abs(value) < INT_LIMIT:
        return "int"
    if isinstance(value, str):
        return "str"
    if type(value) is dt.date:
        return "date"
    raise Declined(f"literal {value!r}")


def _checked(value, kind: str):
    """A computed number within what the engine's type holds, else Declined."""
    if value is None:
        return None
    if kind == "int" and abs(value) >= INT_LIMIT:
        raise Declined("integer range")
    if kind == "dec" and (abs(value) >= DECIMAL_LIMIT or value.as_tuple().exponent < -PLACES):
        raise Declined("decimal range")
    return value


def _not(value):
    return None if value is None else not value


def _and(a, b):
    if a is False or b is False:
        return False
    return None if a is None or b is None else True


def _or(a, b):
    if a is True or b is True:
        return True
    return None if a is None or b is None else False


_COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
            ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b}
_ARITHMETIC = {ast.Add: lambda a, b: a + b, ast.Sub: lambda a, b: a - b, ast.Mult: lambda a, b: a * b}


def _comparable(left: str, right: str, op) -> bool:
    if left in NUMERIC and right in NUMERIC:
        return True
    return left == right and (left != "bool" or isinstance(op, (ast.Eq, ast.NotEq)))


class RowValues:
    """``tree`` over the rows of ``frame``: one :class:`Column`. ``units``: the unit columns a
    unit's name may be compared with (``unit == '公安局'``), as in the engine's ``where`` and ``columns``."""

    def __init__(self, frame: Frame, scope: Scope, units=frozenset()):
        self.frame, self.scope, self.units = frame, scope, units
        self.count = len(frame.rows)

    def value(self, node) -> Column:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise Declined(type(node).__name__)
        return method(node)

    def _map(self, function, kind: str, *columns: Column) -> Column:
        """``function`` over the columns row by row (one value if every column is constant)."""
        literal = all(c.literal for c in columns)
        if all(c.values is None for c in columns):
            return Column(None, kind, _checked(function(*(c.constant for c in columns)), kind), literal)
        values = [_checked(function(*(c.at(i) for c in columns)), kind) for i in range(self.count)]
        return Column(values, kind, literal=literal)

    def _Name(self, node) -> Column:
        kinds = self.frame.kinds
        if node.id in kinds:
            return Column([r[node.id] for r in self.frame.rows], kinds[node.id])
        if node.id in self.scope.literals:
            value = self.scope.literals[node.id]
            return Column(None, literal_kind(value), value, True)
        raise Declined(f"name {node.id}")

    def _Constant(self, node) -> Column:
        return Column(None, literal_kind(node.value), node.value, True)

    def _Attribute(self, node) -> Column:
        if not isinstance(node.value, ast.Name) or self.frame.kinds.get(node.value.id) != "int":
            raise Declined("attribute")
        named = self.scope.unit_groups if node.attr == "group" else self.scope.unit_names
        if not named:
            raise Declined("no registry")
        return self._map(lambda order: None if order is None else named.get(order), "str", self._Name(node.value))

    def _UnaryOp(self, node) -> Column:
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not) and operand.kind == "bool":
            return self._map(_not, "bool", operand)
        if isinstance(node.op, ast.USub) and operand.kind in NUMERIC:
            return self._map(lambda v: None if v is None else -v, operand.kind, operand)
        raise Declined("unary")

    def _BoolOp(self, node) -> Column:
        values = [self.value(v) for v in node.values]
        if any(v.kind != "bool" for v in values):
            raise Declined("boolean operands")
        combine = _and if isinstance(node.op, ast.And) else _or
        result = values[0]
        for each in values[1:]:
            result = self._map(combine, "bool", result, each)
        return result

    def _BinOp(self, node) -> Column:
        left, right = self.value(node.left), self.value(node.right)
        if type(node.op) not in _ARITHMETIC or left.kind not in NUMERIC or right.kind not in NUMERIC:
            raise Declined("arithmetic")
        if left.literal and right.literal or (left.kind == right.kind == "dec" and isinstance(node.op, ast.Mult)):
            raise Declined("arithmetic types")
        kind = "int" if left.kind == right.kind == "int" else "dec"
        operation = _ARITHMETIC[type(node.op)]

        def exact(a, b):
            if a is None or b is None:
                return None
            with localcontext() as context:
                context.prec = 80
                return Decimal(operation(Decimal(a), Decimal(b))) if kind == "dec" else operation(a, b)

        return self._map(exact, kind, left, right)

    def _Compare(self, node) -> Column:
        if len(node.ops) > 1 and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops):
            raise Declined("chained membership")
        result, left = None, self.value(node.left)
        for op, right_node in zip(node.ops, node.comparators):  # a unit's name is read against node.left, as the engine does
            if isinstance(op, (ast.In, ast.NotIn)):
                part = self._member(node.left, left, right_node, isinstance(op, ast.In))
            else:
                right = self._unit_value(node.left, right_node) or self.value(right_node)
                if type(op) not in _COMPARE or not _comparable(left.kind, right.kind, op):
                    raise Declined("comparison types")
                test = _COMPARE[type(op)]
                part = self._map(lambda a, b: None if a is None or b is None else test(a, b), "bool", left, right)
                left = right
            result = part if result is None else self._map(_and, "bool", result, part)
        return result

    def _unit_value(self, left_node, right_node) -> Column | None:
        """A unit's name compared with a unit column: its place in the registry, as stored."""
        if not (isinstance(left_node, ast.Name) and left_node.id in self.units and _is_text(right_node)):
            return None
        orders = {name: order for order, name in self.scope.unit_names.items()}
        if right_node.value not in orders:
            raise Declined("unknown unit")
        return Column(None, "int", orders[right_node.value], True)

    def _member(self, left_node, left: Column, right_node, inside: bool) -> Column:
        if not isinstance(right_node, (ast.List, ast.Tuple)) or not all(isinstance(e, ast.Constant) for e in right_node.elts):
            raise Declined("membership list")
        members = []
        for element in right_node.elts:
            member = self._unit_value(left_node, element) or self._Constant(element)
            if not _comparable(left.kind, member.kind, ast.Eq):
                raise Declined("membership types")
            members.append(member.constant)
        return self._map(lambda v: None if v is None else (v in members) == inside, "bool", left)

    def _Call(self, node) -> Column:
        name = getattr(node.func, "id", None)
        if node.keywords or name not in _CALLS or len(node.args) != _CALLS[name][0]:
            raise Declined(f"function {name}")
        args = [self.value(a) for a in node.args]
        return _CALLS[name][1](self, args)

    def _coalesce(self, args: list[Column]) -> Column:
        if args[0].kind != args[1].kind:
            raise Declined("coalesce types")
        return self._map(lambda a, b: a if a is not None else b, args[0].kind, *args)

    def _dated(self, args: list[Column], function, kind: str) -> Column:
        if args[0].kind != "date":
            raise Declined("date function")
        return self._map(lambda d: None if d is None else function(d), kind, args[0])

    def _in_period(self, args: list[Column]) -> Column:
        first, last = self.scope.period
        return self._dated(args, lambda d: first <= d <= last, "bool")


def _is_text(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


_CALLS = {
    "coalesce": (2, RowValues._coalesce),
    "filled": (1, lambda self, a: self._map(lambda v: v is not None, "bool", a[0])),
    "empty": (1, lambda self, a: self._map(lambda v: v is None, "bool", a[0])),
    "year": (1, lambda self, a: self._dated(a, lambda d: d.year, "int")),
    "month": (1, lambda self, a: self._dated(a, lambda d: f"{d.year}-{d.month:02d}", "str")),
    "in_period": (1, RowValues._in_period),
}


def row_values(frame: Frame, tree, scope: Scope, units=frozenset()) -> Column:
    """``tree`` over every row of ``frame`` (working-day calls already hoisted)."""
    return RowValues(frame, scope, units).value(tree)


def add_column(frame: Frame, name: str, column: Column) -> None:
    """``column`` as the column ``name`` of every row (in place, where a column of that name was)."""
    for i, row in enumerate(frame.rows):
        row[name] = column.at(i)
    frame.kinds[name] = column.kind


# ---- working days: the same calendar the engine joins, looked up row by row ----

def hoist_workdays(frame: Frame, tree, scope: Scope, serial: list):
    """(``tree`` reading one hidden column per working-day call, added to ``frame``), as the engine's hoisting."""
    tree = copy.deepcopy(tree)
    for call in calls_in(tree, WORKDAY_FUNCTIONS):
        serial[0] += 1
        name = f"{HIDDEN}{serial[0]}"
        if call.keywords or len(call.args) != 2:
            raise Declined("working-day call")
        a, b = (row_values(frame, arg, scope) for arg in call.args)
        add_column(frame, name, _workday_column(call.func.id == "add_workdays", a, b, scope, len(frame.rows)))
        swap(call, name)
    return tree


def _workday_column(adds: bool, a: Column, b: Column, scope: Scope, count: int) -> Column:
    if a.kind != "date" or b.kind != ("int" if adds else "date"):
        raise Declined("working-day types")
    a_values, b_values = [a.at(i) for i in range(count)], [b.at(i) for i in range(count)]
    ends = a_values if adds else a_values + b_values
    days = [d for d in ends if d is not None]
    kind = "date" if adds else "int"
    if not days:
        return Column([None] * count, kind)
    limits = [v for v in b_values if v is not None] if adds else []
    calendar = Lookup.of(*covering_span(min(days), max(days), int(max(limits, default=0))), scope.calendar_overrides)
    compute = calendar.due if adds else calendar.between
    return Column([compute(x, y) for x, y in zip(a_values, b_values)], kind)


class Lookup:
    """The engine's calendar tables as Python lists (the same days: derive/workdays.py): working
    days up to and including each day, and each working day by its ordinal."""

    _kept: dict = {}

    def __init__(self, first: dt.date, is_workday: list[bool]):
        self.first, self.through, self.workdays, count = first, [], [], 0
        for i, working in enumerate(is_workday):
            count += working
            self.through.append(count)
            if working:
                self.workdays.append(first + dt.timedelta(days=i))

    @classmethod
    def of(cls, first: dt.date, last: dt.date, overrides) -> "Lookup":
        """The calendar of ``first`` to ``last``, made once per process for the same days and overrides."""
        key = (first, last, repr(overrides))
        if key not in cls._kept:
            if len(cls._kept) >= 32:
                cls._kept.clear()
            cls._kept[key] = cls(first, working_days(first, last, overrides))
        return cls._kept[key]

    def _through(self, day):
        index = (day - self.first).days if day is not None else -1
        return self.through[index] if 0 <= index < len(self.through) else None

    def due(self, applied, limit):
        """The ``limit``-th working day after ``applied`` (None where the calendar has none)."""
        through = self._through(applied)
        if through is None or limit is None:
            return None
        target = through + int(limit)
        return self.workdays[target - 1] if 1 <= target <= len(self.workdays) else None

    def between(self, start, end):
        """Working days after ``start`` up to and including ``end``; 0 when ``end`` is not later."""
        first, last = self._through(start), self._through(end)
        return None if first is None or last is None else max(last - first, 0)
