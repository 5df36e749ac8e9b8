"""``lookup:``: columns taken from a second table by a key column, as Excel's VLOOKUP takes them.

    各单位:
      from: tickets
      lookup:
        片区表: {key: unit, columns: [片区]}             # a dataset of the period
        registry: {key: unit, columns: {组别: group}}   # the units registry (unit, name, full_name, group)
        上期各单位: {key: unit, columns: {上期工单数: 工单数}, missing: blank}   # a declared figure

The looked-up table (a figure: its rows without the 合计 row) is read into Python (a lookup
table is small: at most MAX_ROWS rows), its
key checked unique (the repeated value and both rows named), and joined back to the rows in
their engine as an in-memory table, so the same join runs on DuckDB, PostgreSQL and Spark. A
row whose key has no match is refused (``missing: refuse``, VLOOKUP's #N/A), kept with the taken
columns empty (``blank``) or not counted (``drop``).
"""

from __future__ import annotations

from ..config.declared import LOOKUP
from ..config.view import Settings
from ..core.registry import Unit, UnknownUnit
from ..core.suggest import suggestion
from ..language.expressions import ExpressionError
from . import query as q
from .table import FigureTable

REGISTRY = "registry"  # the period's units registry as a table
REGISTRY_COLUMNS = ("unit", "name", "full_name", "group")
MAX_ROWS = 100_000  # rows a looked-up table may have
SHOWN = 3  # rows without a match named in a refusal
HIDDEN = "_lk"  # prefix of the looked-up table's columns while they are joined


def split(lookups: dict, columns) -> tuple[dict, dict]:
    """(the lookups keyed by a column of the table read, joined before ``columns:``; those keyed by
    a column ``columns:`` computes, joined after it)."""
    lookups = lookups or {}
    early = {t: e for t, e in lookups.items() if not isinstance(e, dict) or str(e.get("key")) in columns}
    return early, {t: e for t, e in lookups.items() if t not in early}


def add_lookups(query: q.Query, lookups: dict, source_of, registry, first: int = 0) -> list[tuple[str, str, str]]:
    """Each ``lookup:`` entry joined to ``query``'s rows, in the order written (numbered from
    ``first``: the hidden names of each join); the (marker column, key, table) of those that
    refuse a row without a match, for :func:`refuse_unmatched`."""
    pending = []
    for number, (table, spec) in enumerate((lookups or {}).items(), start=first):
        with q.keyed(f"lookup.{table}"):
            pending += _lookup(query, str(table), Settings(spec, LOOKUP), source_of, registry, number)
    return pending


def refuse_unmatched(query: q.Query, pending: list[tuple[str, str, str]]) -> None:
    """After ``where``: a row the figure counts whose key was not found is refused (VLOOKUP's #N/A);
    rows the figure leaves out are not asked about."""
    for marker, key, table in pending:
        with q.keyed(f"lookup.{table}"):
            _refuse_unmatched(query, query.table.filter(query.table[marker].isnull()), key, table)
    if pending:
        query.source.table = query.table.drop(*[marker for marker, _, _ in pending])


def _lookup(query: q.Query, table: str, spec: Settings, source_of, registry, number: int) -> list:
    key = str(spec.value("key"))
    match = str(spec.value("match") or key)
    if key not in query.table.columns:
        raise ExpressionError(f"“{key}”要在查询之后才算出（如 rate()），不能用作查找的键")
    rows, available = _rows_of(table, query.scope, source_of, registry)
    taken = taken_columns(spec.value("columns"), [c for c in available if c != match])
    _refuse_names(taken, available, query.table.columns, table)
    rows = _keys_as_left(rows, match, key in query.source.units, registry, table)
    _refuse_repeats(rows, match, table)
    right = _right_table(rows, match, taken, f"{HIDDEN}{number}")
    return _join(query, key, right, taken, f"{HIDDEN}{number}", spec.value("missing"), table)


def taken_columns(columns, available: list[str]) -> dict[str, str]:
    """New column -> looked-up column: a list keeps the names, a mapping renames, none takes all."""
    if not columns:
        return {c: c for c in available}
    if isinstance(columns, dict):
        return {str(new): str(old) for new, old in columns.items()}
    return {str(c): str(c) for c in columns}


def registry_table(registry) -> FigureTable:
    """The units registry as a table: one row per unit, in registry order."""
    rows = [{"unit": u, "name": u.short_name, "full_name": u.full_name, "group": u.group} for u in registry.units]
    return FigureTable(rows, name=REGISTRY, columns=list(REGISTRY_COLUMNS), label="unit")


def _refuse_names(taken: dict, available: list[str], present, table: str) -> None:
    """Taken columns the looked-up table has, under names the rows do not have yet."""
    for new, old in taken.items():
        if available and old not in available:  # an empty table gives no columns to check
            raise ExpressionError(f"被查表“{table}”没有“{old}”列{suggestion(old, available)}（可用：{'、'.join(available)}）")
        if new in present:
            raise ExpressionError(f"本表已有“{new}”列；取来的列请改名，如 columns: {{{new}_{table}: {old}}}")


def _rows_of(table: str, scope, source_of, registry) -> tuple[list[dict], list[str]]:
    """(the looked-up table's rows as Python values (units as Unit), each with its file and line;
    its columns)."""
    if table == REGISTRY:
        return [dict(row) for row in registry_table(registry)], list(REGISTRY_COLUMNS)
    source = source_of(table)
    if source is None:
        raise ExpressionError(f"本期没有数据表“{table}”（bulletin.yaml 的 files 中未写），无法从中查找")
    if not isinstance(source, q.Source):
        return _figure_rows(source, table)
    size = int(source.table.count().execute())
    if size > MAX_ROWS:
        raise ExpressionError(f"被查的数据表“{table}”有 {size:,} 行，超过上限 {MAX_ROWS:,} 行（lookup 用于单位信息一类的小表）")
    columns = [c for c in source.table.columns if not c.startswith("_")]
    return q.run_rows(q.Query(source, scope), registry), columns


def _figure_rows(figure, table: str) -> tuple[list[dict], list[str]]:
    """A figure's rows and columns, without its total row (合计, where units stand)."""
    if not isinstance(figure, FigureTable):
        raise ExpressionError(f"派生数据“{table}”不是一张表，无法从中查找")
    if len(figure) > MAX_ROWS:
        raise ExpressionError(f"被查的派生数据“{table}”有 {len(figure):,} 行，超过上限 {MAX_ROWS:,} 行")
    units = {c for c in figure.columns if any(isinstance(r.get(c), Unit) for r in figure)}
    rows = [dict(r) for r in figure if all(r.get(c) is None or isinstance(r.get(c), Unit) for c in units)]
    return rows, [c for c in figure.columns if not c.startswith("_")]


def _keys_as_left(rows: list[dict], match: str, left_is_unit: bool, registry, table: str) -> list[dict]:
    """The looked-up keys in the form the rows hold theirs: a unit for a unit column (a name
    written in the looked-up table found in the registry), else the text (a unit's short name)."""
    for row in rows:
        value = row.get(match)
        if left_is_unit and isinstance(value, str):
            try:
                row[match] = registry.resolve(value)
            except UnknownUnit as exc:
                raise ExpressionError(f"{_where(row, table)}的“{match}”：{exc}") from None
        elif not left_is_unit and isinstance(value, Unit):
            row[match] = value.short_name
    return rows


def _where(row: dict, table: str) -> str:
    return f"{row['_file']}第{row['_row']}行" if row.get("_row") else f"“{table}”中"


def _refuse_repeats(rows: list[dict], match: str, table: str) -> None:
    """A key found twice in the looked-up table would take one row of two: refused with both."""
    seen: dict = {}
    for row in rows:
        value = row.get(match)
        if value is None:
            continue
        if value in seen:
            raise ExpressionError(f"被查的数据表“{table}”中“{match}”为“{value}”的行不止一行：{_where(seen[value], table)}与"
                                  f"{_where(row, table)}（查找的键在被查表中不得重复）")
        seen[value] = row


def _right_table(rows: list[dict], match: str, taken: dict, prefix: str):
    """(the key and the taken columns under hidden names, as an in-memory table of any engine;
    the hidden names holding units)."""
    picked = [{"k": r.get(match), "m": 1, **{f"c{i}": r.get(old) for i, old in enumerate(taken.values())}}
              for r in rows if r.get(match) is not None]
    plain = ["k", "m"] + [f"c{i}" for i in range(len(taken))]
    source = q.figure_source(FigureTable(picked, columns=plain), "lookup")
    table = source.table.drop("_row").rename({f"{prefix}{c}": c for c in plain})
    return table, {f"{prefix}{c}" for c in source.units}, not picked


def _join(query: q.Query, key: str, right, taken: dict, prefix: str, missing: str, table: str) -> list:
    """The rows with the taken columns (a left join); rows without a match as ``missing`` says:
    dropped now, or (refuse) marked for :func:`refuse_unmatched`."""
    (other, units, empty), left = right, query.table
    if empty:  # nothing to look up in: no type of its own, every row unmatched
        other = other.mutate(**{f"{prefix}k": other[f"{prefix}k"].cast(left[key].type())})
    if not _comparable(left[key].type(), other[f"{prefix}k"].type()):
        raise ExpressionError(f"“{key}”与被查表“{table}”的键类型不同（{left[key].type()} 与 {other[f'{prefix}k'].type()}），无法查找")
    joined = left.left_join(other, left[key] == other[f"{prefix}k"])
    hidden = {new: f"{prefix}c{i}" for i, new in enumerate(taken)}
    joined = joined.select(*left.columns, **{new: joined[h] for new, h in hidden.items()}, **{f"{prefix}m": joined[f"{prefix}m"]})
    if missing == "drop":
        joined = joined.filter(joined[f"{prefix}m"].notnull())
    query.source.table = joined if missing == "refuse" else joined.drop(f"{prefix}m")
    query.source.units |= {new for new, h in hidden.items() if h in units}
    return [(f"{prefix}m", key, table)] if missing == "refuse" else []


def _comparable(left, right) -> bool:
    return left == right or (left.is_numeric() and right.is_numeric()) or (left.is_string() and right.is_string())


def _refuse_unmatched(query: q.Query, lost, key: str, table: str) -> None:
    count = int(lost.count().execute())
    if not count:
        return
    shown = lost.select("_row", key).order_by("_row").limit(SHOWN).to_pyarrow().to_pylist()
    places = query.source.locate([r["_row"] for r in shown])
    names = [_shown_key(r[key], key in query.source.units, query) for r in shown]
    where = "、".join(f"{file}第{line}行“{name}”" if line else f"“{name}”" for (file, line), name in zip(places, names))
    raise ExpressionError(f"{count:,} 行的“{key}”在被查表“{table}”中找不到（{where}{'等' if count > SHOWN else ''}）；"
                          f"要保留这些行、取来的列留空，写 missing: blank；不计这些行，写 missing: drop")


def _shown_key(value, is_unit: bool, query: q.Query) -> str:
    if value is None:
        return "（空）"
    return str(query.scope.unit_names.get(value, value)) if is_unit else str(value)
