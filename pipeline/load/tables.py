"""Small checked tables (score-sheet companions, lists, postings) stored in the query engine.

The rows a clerk's .xlsx/.csv gave, once every cell is checked (:func:`schema.validate_rows`),
become a table in the embedded database like the record tables do, so that every rule check
and figure is a query on the same engine: a unit as its position in the registry, a date as a
date, a whole number as an integer, other numbers as exact decimals, choices, months and text
as text, and ``_row`` the row number the clerk sees.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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


def stored_table(engine: Engine, dataset: DatasetSpec, records: list[dict], file: str, sheet=None) -> RecordTable:
    """Checked rows (with ``_row``) as a table in the embedded database."""
    columns = {"_row": "BIGINT"}
    for spec in dataset.columns:
        kind = SQL_TYPES.get(spec.type, "VARCHAR")
        if kind == "BIGINT" and any(isinstance(r.get(spec.field), Decimal) for r in records):
            kind = DECIMAL  # an int column given a default like 1.5
        columns[spec.field] = kind
    rows = [(r["_row"], *(_cell(r.get(s.field)) for s in dataset.columns)) for r in records]
    table = engine.insert(dataset.name, columns, rows)
    source = RawSource(file, table, "duckdb", sheet, 0, count=len(records))  # _row is already the row number
    choices = {s.field: s.choices for s in dataset.columns if s.type == "choice"}
    return RecordTable(source, table, choices)
