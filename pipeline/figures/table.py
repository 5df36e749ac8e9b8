"""A figure's value: a list of rows, each a mapping of column name to value.

A figure with no grouping is a one-row table; a rule check's findings are a table too
(``label`` is ``unit``). Rows may carry ``_file`` and ``_row``, the source of a row-level
result, which the evidence file shows.
"""

from __future__ import annotations


class FigureTable(list):
    """The rows of one figure, with its name, Chinese title, column order and naming column."""

    def __init__(self, rows=(), name: str = "", title: str = "", columns: list[str] | None = None,
                 label: str | None = None):
        super().__init__(rows)
        self.name = name  # the figure's declared name
        self.title = title  # Chinese title for the evidence file ('' if none)
        self.columns = list(columns) if columns is not None else _columns_of(self)  # group keys first, then measures
        self.label = label  # the column that names a row (the first group_by key; 'unit' for rule checks)


def _columns_of(rows: list) -> list[str]:
    """Column order when none is declared: as the rows have them, source columns left out."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update((k, None) for k in row if not str(k).startswith("_"))
    return list(seen)
