"""The types a record file's columns are stored in: as narrow as their values allow, so that a
table of millions of cases stays within the engine's memory instead of spilling to disk (10,000,000
cases: 450 MB rather than 700). The figures read them as wide as declared (``records._finished``)."""

from __future__ import annotations

FAST_TYPES = {"date": "DATE", "int": "BIGINT"}  # parsed by DuckDB while reading when every value is plain
NARROW_WHOLE = (("SMALLINT", 1 << 15), ("INTEGER", 1 << 31))
UNIT_TYPES = (("TINYINT", 1 << 7), *NARROW_WHOLE)


def fast_type(spec) -> str:
    """The type a column is parsed as while read: for whole numbers the narrowest holding every
    value the declared limits allow (a value beyond it is refused by them anyway, and the file is
    then read as text to locate it)."""
    if spec.type != "int" or spec.min is None or spec.max is None:
        return FAST_TYPES[spec.type]
    return next((name for name, bound in NARROW_WHOLE if -bound <= spec.min and spec.max < bound), FAST_TYPES["int"])


def unit_type(checked: list[int]) -> str:
    """The narrowest type holding every registry position a unit column's values name: a byte a
    case for an office's few dozen windows."""
    top = max(checked, default=0)
    return next((name for name, bound in UNIT_TYPES if top < bound), "INTEGER")
