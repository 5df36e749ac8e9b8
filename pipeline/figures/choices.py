"""A declared figure or check that compares a choice column with a value not among its choices.

``where: grade == '好'`` when the column's declared choices are 满意、基本满意、不满意 would match
no row and build an empty list without a word; it is refused at its line, before any data is
read, with the declared choices and the nearest one.
"""

from __future__ import annotations

import ast

from ..config.view import Settings
from ..core.errors import Problem
from ..core.suggest import suggestion
from ..language.expressions import ExpressionError, parse

GROUP = "unit.group"  # 单位所属的组（名录中的 groups）

def choice_columns(settings: Settings, source: str) -> dict[str, tuple[str, ...]]:
    """The choice columns of dataset ``source`` with their declared choices (none for a figure)."""
    dataset = settings.value("datasets").get(source)
    columns = (dataset.get("columns") or {}) if isinstance(dataset, dict) else {}
    return {str(field): tuple(map(str, spec.get("choices") or ())) for field, spec in columns.items()
            if isinstance(spec, dict) and spec.get("type") == "choice"}


def choice_problems(declared: dict, settings: Settings, place) -> list[Problem]:
    """Every comparison of a choice column with a value it cannot hold, at the key that writes it."""
    problems = []
    for (section, name), spec in declared.items():
        choices = _computed_out(spec, _source_choices(str(spec.get("from")), declared, settings, frozenset()))
        params = _text_params({**settings.value("params"), **(spec.get("params") or {})}, choices)
        for field, text, seen in _expressions(spec, choices):
            for message in _refusals(text, seen, params):
                file, line = place(section, name, *field.split("."))
                problems.append(Problem(file, f"{section}.{name}.{field}：{message}", row=line))
    return problems


def overridden_problems(spec: dict, overrides: dict, declared: dict, settings: Settings) -> list[tuple[str, str]]:
    """(parameter, message) of each comparison of declared check ``spec`` that its parameters as
    overridden (an entry of 存在问题.yaml: ``params: {counted_grade: 好}``) make with a value no choice column holds."""
    choices = _computed_out(spec, _source_choices(str(spec.get("from")), declared, settings, frozenset()))
    params = _text_params({**settings.value("params"), **(spec.get("params") or {}), **overrides}, choices)
    found = []
    for name in (k for k in params if k in overrides):
        found += [(name, message) for _, text, seen in _expressions(spec, choices)
                  for message in _refusals(text, seen, {name: params[name]})]
    return found


def _source_choices(source: str, declared: dict, settings: Settings, seen: frozenset) -> dict:
    """The choice columns a figure's ``from`` gives: a dataset's declared ones, or those a figure
    read from one passes on (its group keys, or every column it keeps); a cycle gives none."""
    spec = declared.get(("figures", source))
    if spec is None:
        return choice_columns(settings, source)
    if source in seen:
        return {}
    return _grouped_out(spec, _computed_out(spec, _source_choices(str(spec.get("from")), declared, settings, seen | {source})))


def _grouped_out(spec: dict, choices: dict) -> dict:
    """The choice columns left after ``spec`` groups its rows: its group keys (every column when it does not group)."""
    if not (spec.get("group_by") or spec.get("measures")):
        return choices
    group_by = spec.get("group_by")
    keys = {str(k) for k in (group_by if isinstance(group_by, list) else [group_by]) if isinstance(k, str)}
    keys -= set(map(str, spec.get("measures") or {}))
    return {column: values for column, values in choices.items() if column in keys}


def _computed_out(spec: dict, choices: dict) -> dict:
    """``choices`` without the columns ``spec`` computes anew (a column so made is no longer the choice)."""
    return {column: values for column, values in choices.items() if column not in map(str, spec.get("columns") or {})}


def _expressions(spec: dict, choices: dict) -> list[tuple[str, str, dict]]:
    """(key, expression, the choice columns it sees) of each row condition and measure of ``spec``."""
    measures = spec.get("measures") if isinstance(spec.get("measures"), dict) else {}
    found = [("where", spec.get("where"), choices), *((f"measures.{m}", text, choices) for m, text in measures.items()),
             ("having", spec.get("having"), _grouped_out(spec, choices))]
    return [(key, text, seen) for key, text, seen in found if isinstance(text, str) and seen]


def _text_params(params: dict, columns: dict) -> dict[str, str]:
    """The parameters with a text value an expression may compare a column with (``grade == counted_grade``)."""
    return {str(k): v for k, v in params.items() if isinstance(v, str) and str(k) not in columns}


def group_problems(declared: dict, groups, place) -> list[Problem]:
    """Every comparison of ``unit.group`` with a group the registry does not have (``groups``), at its key:
    ``mean(得分, where=unit.group == '县区们')`` would average no row and print an empty value."""
    choices, problems = {GROUP: tuple(dict.fromkeys(map(str, groups)))}, []
    for (section, name), spec in declared.items():
        for field, text, seen in _expressions(spec, choices):
            for message in _refusals(text, seen, {}, held_in="单位名录中的组"):
                file, line = place(section, name, *field.split("."))
                problems.append(Problem(file, f"{section}.{name}.{field}：{message}", row=line))
    return problems


def _refusals(text: str, choices: dict, params: dict, held_in: str = "数据表中此列声明的 choices") -> list[str]:
    try:
        tree = parse(text)
    except ExpressionError:
        return []  # said by the check of the expression itself
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            found += [_message(column, value, choices[column], negated, param, held_in) for column, value, negated, param
                      in _compared(node, params) if column in choices and value not in choices[column]]
    return found


def _compared(node: ast.Compare, params: dict) -> list[tuple[str, str, bool, str | None]]:
    """(column, text value, whether the comparison is negated, the parameter that holds the value) of each ``column == '值'``, ``'值' != column``,
    ``column in ['值', …]`` and ``column == 参数`` (a parameter with a text value) in a comparison."""
    pairs, operands = [], [node.left, *node.comparators]
    for op, left, right in zip(node.ops, operands, operands[1:]):
        if isinstance(op, (ast.In, ast.NotIn)) and _column(left) and isinstance(right, (ast.List, ast.Tuple)):
            pairs += [(_column(left), _text(e, params), isinstance(op, ast.NotIn), _param(e)) for e in right.elts
                      if _text(e, params) is not None]
        elif isinstance(op, (ast.Eq, ast.NotEq)):
            pairs += [(_column(a), _text(b, params), isinstance(op, ast.NotEq), _param(b)) for a, b in ((left, right), (right, left))
                      if _column(a) and _text(b, params) is not None]
    return pairs


def _column(node) -> str | None:
    """The column a compared operand names: a name, or ``unit.group`` (a unit's registry group)."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}" if f"{node.value.id}.{node.attr}" == GROUP else None
    return node.id if isinstance(node, ast.Name) else None


def _text(node, params: dict) -> str | None:
    """The text a node stands for: a quoted text, or a parameter's text value; else None."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return params.get(node.id) if isinstance(node, ast.Name) else None


def _param(node) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _message(column: str, value: str, choices: tuple, negated: bool, param: str | None = None,
             held_in: str = "数据表中此列声明的 choices") -> str:
    empty = (f"；填写了的行用 filled({column}) 选出" if negated else f"；没有填写的行用 empty({column}) 选出") if value == "" else ""
    outcome = "对每一行都成立" if negated else "选不出任何一行"
    held = f"（参数 {param} 的值）" if param else ""
    return (f"“{value}”{held}不是 {column} 列可有的值，这样比较{outcome}{empty}"
            f"（{held_in}：{'、'.join(choices)}）{suggestion(value, choices)}")
