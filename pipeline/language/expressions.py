"""The expression language of declared figures: parsed with Python's ``ast``, checked against a
whitelist, compiled to Ibis (compile.py) or evaluated here in Python over fetched rows.

Allowed: names (Chinese too), numbers, '字符串', ``== != < <= > >=``, ``and or not``,
``+ - * /``, ``x in ['a', 'b']``, ``unit.group`` (a registry attribute) and the functions below.
"""

from __future__ import annotations

import ast
import datetime as dt
from decimal import Decimal, InvalidOperation

from ..core.suggest import suggestion
from .errors import LanguageError

AGGREGATES = {"count": (0, 1), "sum": (1, 1), "mean": (1, 1), "min": (1, 1), "max": (1, 1), "distinct": (1, 1)}
ROW_FUNCTIONS = {"filled": (1, 1), "empty": (1, 1), "month": (1, 1), "year": (1, 1), "in_period": (1, 1),
                 "coalesce": (2, 2)}  # coalesce(a, b): a, or b where a is empty
WORKDAY_FUNCTIONS = {"workdays": (2, 2), "add_workdays": (2, 2)}  # 工作日: joined from the calendar table
CONDITIONED = "where"  # sum(x, where=条件): an aggregate over the rows that meet a condition
LATE_FUNCTIONS = {"rate": (2, 2)}  # computed in Python after the query: exact office rounding
FUNCTIONS = {**AGGREGATES, **ROW_FUNCTIONS, **WORKDAY_FUNCTIONS, **LATE_FUNCTIONS}
UNIT_ATTRIBUTES = {"group": "组别（市直部门、镇街……）", "name": "简称"}  # unit.<attribute>
ALLOWED = ("名称、数字、'文字'、== != < <= > >=、and or not、+ - * /、x in ['a', 'b']、unit.group 及函数 "
           + " ".join(f"{name}()" for name in FUNCTIONS) + "，按条件的 sum(x, where=条件) 等")
COMPARE_OPS = (ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn)
ARITHMETIC = (ast.Add, ast.Sub, ast.Mult, ast.Div)


MAX_CHARS = 2_000  # the longest expression
MAX_DEPTH = 40  # operators and calls nested inside one another
MAX_NUMBER = Decimal(10) ** 18  # the largest number written in an expression
MAX_WORD = 200  # the longest '文字' written in one


class ExpressionError(LanguageError):
    """An expression outside the language, or naming what does not exist; the message is Chinese."""


def parse(text) -> ast.expr:
    """The checked syntax tree of one expression; ExpressionError saying what is allowed."""
    if isinstance(text, bool) or not isinstance(text, (str, int, float)):
        raise ExpressionError(f"应为表达式（文字），实为“{text}”")
    text = str(text).strip()
    if len(text) > MAX_CHARS:
        raise ExpressionError(f"表达式长 {len(text):,} 字，超过上限 {MAX_CHARS:,} 字")
    try:
        tree = ast.parse(text, mode="eval").body
    except SyntaxError:
        raise ExpressionError(f"表达式“{_short(text)}”无法解析（可用：{ALLOWED}）") from None
    except (RecursionError, MemoryError):
        raise ExpressionError(f"表达式“{_short(text)}”嵌套过深（最多 {MAX_DEPTH} 层）") from None
    _check_depth(tree, text)
    _check(tree, text)
    return tree


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:60] + "…"


def _check_depth(tree, text: str) -> None:
    """No deeper than MAX_DEPTH, measured without recursion (every later walk may then recurse)."""
    level = [tree]
    for depth in range(MAX_DEPTH * 3):  # a call or comparison is three nodes deep
        level = [child for node in level for child in ast.iter_child_nodes(node)]
        if not level:
            return
    raise ExpressionError(f"表达式“{_short(text)}”嵌套过深（最多 {MAX_DEPTH} 层）")


def _check(node, text: str) -> None:
    for child in ast.walk(node):
        problem = _node_problem(child)
        if problem:
            listed = "" if _says_what_to_write(child) else f"（可用：{ALLOWED}）"
            raise ExpressionError(f"表达式“{text}”中{problem}{listed}")


def _says_what_to_write(node) -> bool:
    """A conditional measure written another way: its message gives the right way, not the whole list."""
    if isinstance(node, ast.Call):
        return bool(node.keywords)
    return isinstance(node, ast.BinOp) and any(_is_condition(side) for side in (node.left, node.right))


def _node_problem(node) -> str | None:
    if isinstance(node, ast.Call):
        return _call_problem(node)
    if isinstance(node, ast.Attribute):
        if not (isinstance(node.value, ast.Name) and node.value.id == "unit"):
            return "只能取单位的属性（unit.group）"
        if node.attr not in UNIT_ATTRIBUTES:
            return f"单位没有属性“{node.attr}”{suggestion(node.attr, UNIT_ATTRIBUTES)}（单位的属性：{'、'.join(UNIT_ATTRIBUTES)}）"
        return None
    if isinstance(node, ast.Constant):
        return _constant_problem(node.value)
    if isinstance(node, ast.BinOp) and any(_is_text(side) for side in (node.left, node.right)):
        return f"文字不能参与 + - * / 运算（“{_short(ast.unparse(node))}”）"
    if isinstance(node, ast.Compare) and not _members_listed(node):
        return f"in 之后应为列表，如 x in ['甲', '乙']（“{_short(ast.unparse(node))}”）"
    if isinstance(node, ast.BinOp) and any(_is_condition(side) for side in (node.left, node.right)):
        return f"条件不能参与 + - * / 运算（“{_short(ast.unparse(node))}”）{CONDITION_HINT}"
    if isinstance(node, (ast.Compare, ast.BoolOp, ast.UnaryOp, ast.BinOp)):
        return _operator_problem(node)
    allowed = (ast.Name, ast.List, ast.Tuple, ast.Load, ast.And, ast.Or, ast.Not, ast.USub, ast.keyword) + COMPARE_OPS + ARITHMETIC
    return None if isinstance(node, allowed) else f"不能使用“{ast.unparse(node)}”"


CONDITION_HINT = ("；按条件求和、求平均请写 sum(x, where=条件)、mean(x, where=条件)，"
                  "按条件计数写 count(条件)，如 mean(得分, where=unit.group == '市直部门')")


def _is_condition(node) -> bool:
    """A comparison, ``and``/``or``/``not``, or a test function: a yes/no value, not a number."""
    tests = isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("filled", "empty", "in_period")
    return tests or isinstance(node, (ast.Compare, ast.BoolOp)) or (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not))


def _constant_problem(value) -> str | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return f"不能写“{value!r}”"
    if isinstance(value, str):
        return f"文字“{value[:20]}…”长于 {MAX_WORD} 字" if len(value) > MAX_WORD else None
    number = Decimal(str(value))
    if not number.is_finite() or abs(number) > MAX_NUMBER:
        return "数字过大，超出可计算的范围（绝对值不超过 10 的 18 次方）"
    return None


def _is_text(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _members_listed(node: ast.Compare) -> bool:
    """``x in [...]``: what follows ``in``/``not in`` is a written list."""
    return all(isinstance(right, (ast.List, ast.Tuple)) for op, right in zip(node.ops, node.comparators)
               if isinstance(op, (ast.In, ast.NotIn)))


def _operator_problem(node) -> str | None:
    ops = node.ops if isinstance(node, ast.Compare) else [node.op]
    allowed = COMPARE_OPS + ARITHMETIC + (ast.And, ast.Or, ast.Not, ast.USub)
    bad = [op for op in ops if not isinstance(op, allowed)]
    return f"不能使用运算“{ast.unparse(node)}”" if bad else None


def _call_problem(node: ast.Call) -> str | None:
    name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
    if name not in FUNCTIONS:
        return f"未知的函数“{name}”{suggestion(name, FUNCTIONS)}"
    low, high = FUNCTIONS[name]
    if node.keywords:
        return _keyword_problem(node, name)
    if not low <= len(node.args) <= high:
        wanted = f"{low}" if low == high else f"{low}至{high}"
        return f"函数 {name}() 应有{wanted}个参数"
    return None


def _keyword_problem(node: ast.Call, name: str) -> str | None:
    """``where=`` only, once, on an aggregate: sum(x, where=条件), count(where=条件)."""
    if name not in AGGREGATES:
        return f"函数 {name}() 不能写 {node.keywords[0].arg or '**'}=（只有 count() sum() mean() min() max() distinct() 可写 where=条件）"
    if len(node.keywords) > 1 or node.keywords[0].arg != CONDITIONED:
        return f"函数 {name}() 只能写 where=条件（如 {name}(x, where=unit.group == '镇街')）"
    wanted = 1 if name != "count" else 0
    if len(node.args) != wanted:
        return f"函数 {name}() 应写成 {name}({'x, ' if wanted else ''}where=条件)"
    return None


def condition_of(call: ast.Call):
    """The ``where=`` condition of an aggregate call, or None."""
    return next((k.value for k in call.keywords if k.arg == CONDITIONED), None)


def names_in(tree) -> set[str]:
    """The column, measure or parameter names an expression reads (not function names)."""
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and id(n) not in called and not _is_unit_owner(n, tree)}


def _is_unit_owner(name: ast.Name, tree) -> bool:
    return any(isinstance(n, ast.Attribute) and n.value is name for n in ast.walk(tree))


def calls_in(tree, functions) -> list[ast.Call]:
    """The calls of any of ``functions`` in ``tree``, innermost first."""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.func.id in functions]
    return list(reversed(found))


def uses(tree, functions) -> bool:
    return bool(calls_in(tree, functions))


# ---- evaluation in Python, over fetched rows (rates, having, post-aggregate measures) ----

def evaluate(tree, names: dict, percent=None):
    """The value of ``tree`` with ``names`` bound; ``None`` propagates, a division by zero is ``None``.
    ``percent(a, b)`` makes a rate (office rounding)."""
    return _Evaluator(names, percent).value(tree)


class Walker:
    """Evaluates a syntax tree node by node: ``_<NodeType>`` methods, anything else refused."""

    where = "此处"

    def value(self, node):
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise ExpressionError(f"{self.where}不能计算“{ast.unparse(node)}”")
        return method(node)


class _Evaluator(Walker):
    def __init__(self, names: dict, percent):
        self.names, self.percent = names, percent

    def _Constant(self, node):
        return Decimal(str(node.value)) if isinstance(node.value, float) else node.value

    def _Name(self, node):
        if node.id not in self.names:
            raise ExpressionError(f"没有名为“{node.id}”的列{suggestion(node.id, self.names)}")
        return self.names[node.id]

    def _Attribute(self, node):
        unit = self._Name(node.value)
        return None if unit is None else (unit.group if node.attr == "group" else unit.short_name)

    def _List(self, node):
        return [self.value(e) for e in node.elts]

    _Tuple = _List

    def _UnaryOp(self, node):
        operand = self.value(node.operand)
        if isinstance(node.op, ast.Not):
            return not operand
        return None if operand is None else -operand

    def _BoolOp(self, node):
        values = [bool(self.value(v)) for v in node.values]
        return all(values) if isinstance(node.op, ast.And) else any(values)

    def _BinOp(self, node):
        left, right = _number(self.value(node.left)), _number(self.value(node.right))
        if left is None or right is None:
            return None
        if isinstance(node.op, ast.Div):
            return None if right == 0 else Decimal(left) / Decimal(right)
        return {ast.Add: lambda: left + right, ast.Sub: lambda: left - right, ast.Mult: lambda: left * right}[type(node.op)]()

    def _Compare(self, node):
        left = self.value(node.left)
        for op, right_node in zip(node.ops, node.comparators):
            right = self.value(right_node)
            if not _compare(op, left, right):
                return False
            left = right
        return True

    def _Call(self, node):
        args = [self.value(a) for a in node.args]
        name = node.func.id
        if name == "rate":
            return self.percent(*args) if self.percent else None
        if name == "coalesce":
            return args[0] if args[0] is not None else args[1]
        if name in ("filled", "empty"):
            present = args[0] is not None and args[0] != ""
            return present if name == "filled" else not present
        if name in ("month", "year") and isinstance(args[0], dt.date):
            return f"{args[0].year}-{args[0].month:02d}" if name == "month" else args[0].year
        raise ExpressionError(f"函数 {name}() 只能用在查询中（columns、where 或 measures）")


def _number(value):
    if isinstance(value, float):
        return Decimal(str(value))
    if hasattr(value, "order") and hasattr(value, "short_name"):  # a Unit is not a number
        raise ExpressionError("单位不能参与计算")
    return value


def _compare(op, left, right) -> bool:
    if isinstance(op, (ast.In, ast.NotIn)):
        return (left in right) == isinstance(op, ast.In)
    if left is None or right is None:
        return isinstance(op, ast.NotEq) and (left is None) != (right is None)
    if isinstance(left, float) or isinstance(right, float):
        left, right = _number(left), _number(right)
    try:
        return {ast.Eq: left == right, ast.NotEq: left != right}.get(type(op)) if isinstance(op, (ast.Eq, ast.NotEq)) else \
            {ast.Lt: lambda: left < right, ast.LtE: lambda: left <= right, ast.Gt: lambda: left > right,
             ast.GtE: lambda: left >= right}[type(op)]()
    except (TypeError, InvalidOperation):
        raise ExpressionError(f"无法比较“{left}”与“{right}”") from None


# ---- a figure's rows named in a setting (annex ``rows:``): a name, or a dotted name ----

def parse_rows(text) -> ast.expr:
    """The syntax tree of ``各单位`` or ``votes.rows``: a name, then fields; ExpressionError else."""
    problem = rows_problem(text)
    if problem:
        raise ExpressionError(problem, str(text))
    return ast.parse(str(text).strip(), mode="eval").body


def rows_problem(text) -> str | None:
    """Why ``text`` does not name a figure's rows (a name, or a dotted name), or None."""
    try:
        tree = ast.parse(str(text).strip(), mode="eval").body
    except SyntaxError:
        tree = None
    if tree is None or not _is_reference(tree):
        return f"“{_short(str(text))}”应为派生数据的名称（如 各单位、votes.rows），不能写运算、调用或下标"
    return None


def _is_reference(node) -> bool:
    while isinstance(node, ast.Attribute) and not node.attr.startswith("_"):
        node = node.value
    return isinstance(node, ast.Name)


def rows_of(text, names: dict) -> list:
    """The rows ``text`` names among ``names``: a mapping's key or an object's field, never a method."""
    return _Reference(names, str(text)).value(parse_rows(text))


class _Reference(Walker):
    where = "rows 中"

    def __init__(self, names: dict, text: str):
        self.names, self.text = names, text

    def _Name(self, node):
        if node.id not in self.names:
            raise ExpressionError(f"rows：没有名为“{node.id}”的派生数据{suggestion(node.id, self.names)}", self.text)
        return self.names[node.id]

    def _Attribute(self, node):
        owner = self.value(node.value)
        found = owner.get(node.attr, _MISSING) if isinstance(owner, dict) else getattr(owner, node.attr, _MISSING)
        if found is _MISSING or callable(found):
            raise ExpressionError(f"rows：“{ast.unparse(node.value)}”没有“{node.attr}”", self.text)
        return found


_MISSING = object()
