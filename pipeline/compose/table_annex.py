"""Annex tables that are not score tables: rows of a declared figure, columns from configuration.

In ``kind.yaml``::

    annexes:
      - type: table
        title: …统计表
        rows: votes.rows            # an expression over the figures: a list of rows
        blank_zero: true            # a count of 0 prints as an empty cell
        columns:
          - {header: 序号, value: number}          # 1, 2, 3 … in row order
          - {header: 单位, value: name}
          - {header: 应投票次数, value: expected, group: 票次}   # group: a header row above, spanning
          - {header: 投票率, value: vote_rate, format: percent}

A row is anything whose fields can be read as ``row[value]`` (a mapping or a figure's row).
"""

from __future__ import annotations

from decimal import Decimal

from ..config.view import Settings
from ..language.expressions import rows_of
from ..language.formats import format_percent


def cell_text(value, fmt: str | None, blank_zero: bool) -> str:
    """One cell as printed: rates through ``percent``; zeros blank if configured; None blank."""
    if value is None:
        return ""
    if fmt == "percent":
        return "" if blank_zero and value == 0 else format_percent(value)
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool) and blank_zero and value == 0:
        return ""
    return str(value)


def table_annex(settings: Settings, values: dict, fill) -> tuple[str, list[str], list[list[str]]]:
    """(title, header, rows) of the table a ``type: table`` entry declares, filled from the
    figures in ``values``, its title said by ``fill``. Column widths follow the content when the document is rendered."""
    rows = list(rows_of(settings.value("rows"), values))
    columns = settings.items("columns")
    blank_zero = bool(settings.value("blank_zero"))
    cells = []
    for index, row in enumerate(rows, start=1):
        cells.append(
            [
                str(index) if c.value("value") == "number" else cell_text(row[c.value("value")], c.value("format"), blank_zero)
                for c in columns
            ]
        )
    header = [str(c.value("header")) for c in columns]
    return fill(settings.value("title")), header, cells
