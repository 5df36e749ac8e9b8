"""Small checked tables (score-sheet companions, lists, postings), held in Python and stored in
the query engine when a query first needs them there.

The rows a clerk's .xlsx/.csv gave, once every cell is checked (:func:`schema.validate_rows`),
are kept as the engine would store them: a unit as its position in the registry, a date as a
date, a whole number as an integer, other numbers as exact decimals, choices, months and text
as text, and ``_row`` the row number the clerk sees. Declared figures over them are evaluated
in-process (:mod:`pipeline.figures.local`); a figure or rule check that asks for ``.table`` gets
the same rows as a table in the embedded database, made then, so a build whose figures all run
in-process never starts the engine.
"""

from __future__ import annotations

import datetime as dt
from decimal import Context, Decimal

from .engine import Engine
from ..core.registry import Unit
from .records import RecordTable
from .schema import DatasetSpec
from .sources import RawSource

DECIMAL_PLACES = 10


DECIMAL = f"DECIMAL(38, {DECIMAL_PLACES})"
SQL_TYPES = {"unit": "INTEGER", "date": "DATE", "int": "BIGINT", "number": DECIMAL, "score": DECIMAL}


def _cell(value):
    """A checked value as the engine stores it."""
    if isinstance(value, Unit):
        return value.order
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1).scaleb(-DECIMAL_PLACES))
    if isinstance(value, (int, dt.date, str)) or value is None:
        return value
    return str(value)


class HeldTable(RecordTable):
    """A small checked table held as rows of stored values (``held``: dicts keyed ``_row`` and the
    fields, in source order); ``table`` stores them in the embedded database when first read."""

    def __init__(self, source: RawSource, engine: Engine, name: str, columns: dict, held: list[dict], choices: dict):
        self._engine, self._name, self.columns, self.held = engine, name, columns, held
        self._table = None
        super().__init__(source, None, choices)

    @property
    def table(self):
        if self._table is None and self.source is not None:
            rows = [tuple(r[c] for c in self.columns) for r in self.held]
            self._table = self._engine.insert(self._name, self.columns, rows)
            self.source.table = self._table
        return self._table

    @table.setter
    def table(self, value) -> None:
        self._table = value

    def __len__(self) -> int:
        return len(self.held)

    def has(self, name: str) -> bool:
        return name in self.columns

    def keeping(self, held: list[dict]) -> "HeldTable":
        """The same table with only the ``held`` rows (a subset of its own, in order)."""
        return HeldTable(self.source, self._engine, self._name, self.columns, held, self.choices)


def stored_table(engine: Engine, dataset: DatasetSpec, records: list[dict], file: str, sheet=None) -> RecordTable:
    """Checked rows (with ``_row``) as a table held in Python, stored in the embedded database on demand."""
    columns = {"_row": "BIGINT"}
    for spec in dataset.columns:
        kind = SQL_TYPES.get(spec.type, "VARCHAR")
        if kind == "BIGINT" and any(isinstance(r.get(spec.field), Decimal) for r in records):
            kind = DECIMAL  # an int column given a default like 1.5
        columns[spec.field] = kind
    choices = {s.field: s.choices for s in dataset.columns if s.type == "choice"}
    rows = [(r["_row"], *(_cell(r.get(s.field)) for s in dataset.columns)) for r in records]
    held = _held(rows, columns)
    if held is None:  # a value the engine would cast: stored there now, as it always was
        table = engine.insert(dataset.name, columns, rows)
        return RecordTable(RawSource(file, table, "duckdb", sheet, 0, count=len(records)), table, choices)
    source = RawSource(file, None, "duckdb", sheet, 0, count=len(records))  # _row is already the row number
    return HeldTable(source, engine, dataset.name, columns, held, choices)


DECIMAL_LIMIT = Decimal(10) ** (38 - DECIMAL_PLACES)
WIDE = Context(prec=60)  # every digit a DECIMAL(38, 10) holds


def _held(rows: list[tuple], columns: dict) -> list[dict] | None:
    """The rows as dicts of the values the engine would return for them, or None when one value
    would be cast there (a whole number in a decimal column is made a decimal as the engine does)."""
    kinds = list(columns.values())
    held = []
    for row in rows:
        values = [_as_stored(v, k) for v, k in zip(row, kinds)]
        if any(v is _CAST for v in values):
            return None
        held.append(dict(zip(columns, values)))
    return held


_CAST = object()
_TYPES = {"INTEGER": int, "BIGINT": int, "DATE": dt.date, "VARCHAR": str}


def _as_stored(value, kind: str):
    if value is None:
        return None
    if kind == DECIMAL:
        exact = isinstance(value, (int, Decimal)) and not isinstance(value, bool) and abs(value) < DECIMAL_LIMIT
        return Decimal(value).quantize(Decimal(1).scaleb(-DECIMAL_PLACES), context=WIDE) if exact else _CAST
    if type(value) is not _TYPES[kind] or "\x00" in str(value):
        return _CAST
    return value
