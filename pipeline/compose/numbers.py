"""How a score annex writes its numbers: ``0.00`` always two places, ``0`` whole, ``auto``."""

from __future__ import annotations

from decimal import Decimal

from ..core.decimals import fixed


def format_number(value: Decimal, number_format: str) -> str:
    """A figure as the annex prints it: ``0.00`` always two places; ``0`` whole numbers."""
    places = number_format.split(".")[1] if "." in number_format else ""
    return fixed(value, len(places))


def column_format(values: list[Decimal], number_format: str) -> str:
    """``auto``: whole numbers if every value in the column is whole, else two places."""
    if number_format != "auto":
        return number_format
    return "0" if all(v == v.to_integral_value() for v in values) else "0.00"
