"""Annexes that are a plain list of names (突出单位名单 and the like): one name a line, taken
from a declared figure's rows, as a table annex takes its rows.

In ``kind.yaml``::

    annexes:
      - type: list
        title: {{ period.year }}年度政务服务工作突出单位名单
        rows: honours.lists['红榜']     # an expression over the figures: a list of rows (or of names)
        value: unit                     # the field of each row to print (default: name)
        numbered: true                  # 1．2．3． before each name (default: none)
"""

from __future__ import annotations

from ..config.view import Settings
from ..language.expressions import rows_of


def list_line(row, value: str) -> str:
    """One row as its line: the declared field of a row, or the item itself (a name, a unit)."""
    if isinstance(row, (str, int)) or not hasattr(row, "__getitem__"):
        return str(row)
    return str(row[value])


def list_annex(settings: Settings, values: dict, fill) -> tuple[str, list[str]]:
    """(title, lines) of the list a ``type: list`` entry declares, filled from the figures in ``values``."""
    value = str(settings.value("value"))
    names = [list_line(row, value) for row in rows_of(settings.value("rows"), values)]
    if settings.value("numbered"):
        names = [f"{i}．{name}" for i, name in enumerate(names, start=1)]
    return fill(settings.value("title")), names
