"""The pivot-table declarations of a figure checked before any data is read, each problem as
(key path, message) for validate.py to locate: ``lookup:`` (a table that exists, key columns on
both sides, taken columns that exist and do not clash), ``indicators:`` (its two columns, no
grouping beside it) and a grouping's ``order: registry | table | choices``."""

from __future__ import annotations

import ast

from ..core.suggest import nearest, suggestion
from ..language.expressions import ExpressionError
from .lookup import REGISTRY, REGISTRY_COLUMNS, taken_columns
from .query import key_name
from .steps import GROUP_ORDERS


def _unknown(column: str, allowed) -> str:
    allowed = sorted(allowed)
    return f"没有名为“{column}”的列{suggestion(column, allowed)}（可用：{'、'.join(allowed)}）"


def declared_columns(datasets: dict, name: str) -> dict:
    """A dataset's declared columns (field -> its declaration), or {} for anything else."""
    declared = datasets.get(name)
    return dict(declared.get("columns") or {}) if isinstance(declared, dict) else {}


def lookup_problems(spec: dict, datasets: dict, known: set, figures: dict) -> tuple[set, list]:
    """(the columns the lookups add, their problems); ``figures``: each figure's columns, None
    where they are known only when it runs."""
    added, problems = set(), []
    known = known | set(spec.get("columns") or {})  # a key may be a column columns: computes (joined after it)
    for table, entry in (spec.get("lookup") or {}).items():
        table, entry = str(table), entry if isinstance(entry, dict) else {}
        if table != REGISTRY and table not in datasets and table not in figures:
            usable = sorted(datasets) + [REGISTRY] + sorted(figures)
            problems.append((f"lookup.{table}", f"“{table}”既不是数据表、派生数据也不是单位名录（registry）"
                                                f"{suggestion(table, usable)}（可用：{'、'.join(usable)}）"))
            continue
        columns = _looked_up_columns(table, datasets, figures)
        if columns is None:  # a figure whose columns are known when it runs
            added |= set(taken_columns(entry.get("columns"), []))
            continue
        added |= _entry_problems(table, entry, columns, known | added, problems)
    return added, problems


def _looked_up_columns(table: str, datasets: dict, figures: dict) -> list | None:
    if table == REGISTRY:
        return list(REGISTRY_COLUMNS)
    if table in datasets:
        return list(declared_columns(datasets, table))
    return None if figures.get(table) is None else sorted(figures[table])


def lookup_cycles(declared: dict) -> list:
    """(key, field, message) of a figure that looks up a figure reading it back (through ``from``
    or lookups): a cycle no order can run."""
    edges = {name: _reads(spec) for (section, name), spec in declared.items() if section == "figures"}
    problems = []
    for name, spec in edges.items():
        for looked in (t for t in (declared[("figures", name)].get("lookup") or {}) if str(t) in edges):
            path = _path(str(looked), name, edges)
            if path is not None:
                problems.append((("figures", name), f"lookup.{looked}", f"派生数据循环引用：{' → '.join([name] + path)}"))
    return problems


def _reads(spec: dict) -> list[str]:
    return [str(spec.get("from"))] + [str(t) for t in (spec.get("lookup") or {})]


def _path(start: str, goal: str, edges: dict) -> list[str] | None:
    """The figures from ``start`` to ``goal`` following what each reads, or None (walked without recursion)."""
    stack, seen = [(start, [start])], {start}
    while stack:
        name, path = stack.pop()
        if name == goal:
            return path
        for next_name in edges.get(name, []):
            if next_name in edges and next_name not in seen:
                seen.add(next_name)
                stack.append((next_name, path + [next_name]))
    return None


def _entry_problems(table: str, entry: dict, columns: list, known: set, problems: list) -> set:
    key = str(entry.get("key"))
    match = str(entry.get("match") or key)
    if key not in known:
        problems.append((f"lookup.{table}.key", _unknown(key, known)))
    if match not in columns:
        problems.append((f"lookup.{table}.{'match' if entry.get('match') else 'key'}", f"被查表“{table}”中{_unknown(match, columns)}"))
    taken = taken_columns(entry.get("columns"), [c for c in columns if c != match])
    meant = set()  # the nearest column of one misspelt, so the figure's other keys are not refused for it too
    for new, old in taken.items():
        if old not in columns:
            problems.append((f"lookup.{table}.columns", f"被查表“{table}”中{_unknown(old, columns)}"))
            if new == old and nearest(old, columns):
                meant.add(nearest(old, columns))
        elif new in known:
            problems.append((f"lookup.{table}.columns", f"本表已有“{new}”列；取来的列请改名，如 columns: {{{new}_{table}: {old}}}"))
    return set(taken) | meant


def indicator_problems(spec: dict, known: set) -> list:
    """An indicator table's two columns, and no grouping beside it (it is one row already)."""
    problems = [(f"indicators.{part}", _unknown(str(column), known))
                for part in ("name", "value") if (column := (spec.get("indicators") or {}).get(part)) is not None
                and str(column) not in known]
    beside = [k for k in ("group_by", "measures", "lookup") if spec.get(k)]
    if beside:
        problems.append(("indicators", f"indicators 已把指标表读作一行，不能再写 {'、'.join(beside)}"
                                       f"（指标之间的计算写在 columns 中，如 办结率: rate(办结数, 受理数)）"))
    return problems


def group_order_problems(spec: dict, datasets: dict) -> list:
    """``order: registry | table | choices``: on a grouping, and one that has such an order."""
    how = spec.get("order")
    if not isinstance(how, str) or how not in GROUP_ORDERS:
        return []
    group_by = spec.get("group_by")
    entries = group_by if isinstance(group_by, list) else ([group_by] if group_by else [])
    if not entries:
        return [("order", f"order: {how} 是分组的顺序，此处没有 group_by（按列排序请写列名，如 order: [-工单数]）")]
    columns = declared_columns(datasets, str(spec.get("from")))
    if not columns or how == "table":  # a chain's columns are known when it runs
        return []
    try:
        name, tree = key_name(entries[0])
    except ExpressionError:
        return []  # the group_by entry itself is refused at its line
    if isinstance(tree, ast.Name) and tree.id in set(spec.get("columns") or {}):
        return []  # a computed key: what it holds is known when the figure runs
    kind = str((columns.get(tree.id) or {}).get("type")) if isinstance(tree, ast.Name) else ""
    if how == "choices" and kind != "choice":
        return [("order", f"order: choices 只用于按选项列（type: choice）分组，“{name}”不是选项列（可改用 order: table）")]
    if how == "registry" and kind != "unit" and not (isinstance(tree, ast.Attribute) and tree.attr == "group"):
        return [("order", f"order: registry 只用于按单位或 unit.group 分组，“{name}”两者都不是（可改用 order: table）")]
    return []
