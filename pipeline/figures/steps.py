"""The Python half of a declared figure, over its fetched rows (a few per unit at most):
having, rank with the tie rule, order, top/bottom N, the total row and 环比/同比 columns."""

from __future__ import annotations

from ..config.declared import QUERY
from ..config.view import Settings
from ..language.expressions import ExpressionError, evaluate, parse
from .table import FigureTable


def having(rows: list[dict], text, names: dict, percent) -> list[dict]:
    """Rows for which ``text`` holds (threshold lists: 按期办结率 < 90)."""
    tree = parse(text)
    return [r for r in rows if evaluate(tree, {**names, **r}, percent)]


def _sort_key(row: dict, column: str):
    """Sort key of one column: ``None`` after every value; units by registry order."""
    value = row.get(column)
    if value is None:
        return (1, 0)
    return (0, value.order if hasattr(value, "order") and hasattr(value, "short_name") else value)


def ordered(rows: list[dict], order) -> list[dict]:
    """Rows sorted by ``[-a, b]`` (``-`` descending, ``None`` last either way); stable for ties."""
    keys = order if isinstance(order, list) else [order]
    for key in reversed([str(k) for k in keys]):
        column = key.lstrip("-")
        _check_column(rows, column, "order")
        present = [r for r in rows if r.get(column) is not None]
        missing = [r for r in rows if r.get(column) is None]
        present.sort(key=lambda r: _sort_key(r, column), reverse=key.startswith("-"))
        rows = present + missing
    return rows


def _check_column(rows: list[dict], column: str, where: str) -> None:
    if rows and column not in rows[0]:
        raise ExpressionError(f"{where} 中的“{column}”不是此表的列（可用：{'、'.join(k for k in rows[0] if not k.startswith('_'))}）")


def ranked(rows: list[dict], spec: dict) -> list[dict]:
    """Rows in rank order with the rank column: ``ties: same`` gives 1,2,2,4; ``input`` 1,2,3,4 in input order."""
    rank = Settings(spec, QUERY.keys["rank"].type)  # as, ties: their declared defaults where not written
    by, name, ties = str(rank.value("by")), str(rank.value("as")), rank.value("ties")
    rows = ordered(rows, [by])
    column = by.lstrip("-")
    for i, row in enumerate(rows):
        tied = ties == "same" and i and row.get(column) == rows[i - 1].get(column)
        row[name] = rows[i - 1][name] if tied else i + 1
    return rows


def cut(rows: list[dict], top: int | None, bottom: int | None) -> list[dict]:
    """The first ``top`` rows, or the last ``bottom`` rows with the last first (排名后三位)."""
    if top is not None:
        rows = rows[: int(top)]
    if bottom is not None:
        rows = list(reversed(rows[-int(bottom):])) if int(bottom) else []
    return rows


def compared(rows: list[dict], previous: list[dict] | None, keys: list[str], measures: list[str], suffix: str) -> list[dict]:
    """Each row with ``<measure><suffix>`` from the matching row of the earlier period (None where absent)."""
    earlier = {tuple(r.get(k) for k in keys): r for r in previous or []}
    for row in rows:
        match = earlier.get(tuple(row.get(k) for k in keys))
        for m in measures:
            row[f"{m}{suffix}"] = None if match is None else match.get(m)
    return rows


def one_row(rows: list[dict]) -> None:
    """``one: true``: exactly one row, else a data error saying how many were found, and where."""
    if len(rows) != 1:
        where = "（" + "、".join(f"{r['_file']}第{r['_row']}行" for r in rows[:5] if r.get("_row")) + "）" if rows else ""
        raise ExpressionError(f"应恰有一行，实有{len(rows)}行{where if where != '（）' else ''}")


def as_table(rows: list[dict], name: str, spec: dict, columns: list[str], label: str | None) -> FigureTable:
    """The rows as the figure's table; its columns those declared that the rows have."""
    present = [c for c in columns if c in rows[0]] if rows else columns
    return FigureTable(rows, name=name, title=str(spec.get("title") or ""), columns=present, label=label)


GROUP_ORDERS = ("registry", "table", "choices")  # order: of a grouping (名录顺序、表中顺序、选项顺序)


def group_order(rows: list[dict], key: str, how, kinds: dict, registry) -> list[dict]:
    """Grouped rows in the order ``how`` names: ``registry`` (units, unit.group), ``table`` (where
    each group first appears) or ``choices`` (as the column's choices list them). Without one: a
    unit grouping in registry order, any other in table order."""
    kind, values = kinds.get(key, ("", None))
    how = how if how in GROUP_ORDERS else ("registry" if kind == "unit" else "table")
    places = {} if how == "table" else _places(how, kind, values, registry, key)
    return sorted(rows, key=lambda r: (_place_of(r.get(key), places) if places else 0, r.get("_first", 0)))


def _places(how: str, kind: str, values, registry, key: str) -> dict:
    """Value -> position the order ``how`` gives; ExpressionError where the grouping has none."""
    if how == "choices":
        if kind != "choice":
            raise ExpressionError(f"order: choices 只用于按选项列（type: choice）分组，“{key}”不是选项列（可改用 order: table）")
        return {v: i for i, v in enumerate(values)}
    if kind == "unit":
        return {u.order: u.order for u in registry.units}
    if kind == "group":
        return {g: i for i, g in enumerate(dict.fromkeys(u.group for u in registry.units))}
    raise ExpressionError(f"order: registry 只用于按单位或 unit.group 分组，“{key}”两者都不是（可改用 order: table）")


def _place_of(value, places: dict) -> int:
    """A value's position; an empty value or one not listed comes last."""
    if hasattr(value, "order") and hasattr(value, "short_name"):
        value = value.order
    return places.get(value, 1 << 30)
