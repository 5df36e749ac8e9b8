"""What a declared figure evaluates to: a table of rows, each a dict of column -> Python value.

Values are ``int``, ``decimal.Decimal`` (rates already rounded the office's way), ``str``,
``datetime.date``, :class:`pipeline.core.registry.Unit` (prints as its short name) or ``None``.
A row may carry ``_file`` and ``_row``: where a row-level result (one overdue case, one
indicator) was read; aggregated rows have no ``_row``.
"""

from __future__ import annotations


class FigureTable(list):
    """A list of rows (dicts), with the figure's name, title, column order and labelling column."""

    def __init__(self, rows=(), name: str = "", title: str = "", columns=None, label: str | None = None):
        super().__init__(rows)
        self.name = name
        self.title = title  # Chinese title for the evidence file ('' if none)
        self.columns = list(columns) if columns is not None else _columns_of(self)
        self.label = label  # the column that names a row (first group_by key; 'unit' for rule checks)

    def column(self, name: str) -> list:
        """The values of one column, row by row."""
        return [row.get(name) for row in self]

    def __repr__(self) -> str:
        return f"FigureTable({self.name!r}, {len(self)} rows, columns={self.columns!r})"


def _columns_of(rows) -> list[str]:
    """Column order of hand-built rows: first appearance, without the evidence keys."""
    seen: dict[str, None] = {}
    for row in rows:
        seen.update((k, None) for k in row if not k.startswith("_"))
    return list(seen)
