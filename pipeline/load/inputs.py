"""The inputs every figure and rule check receives (RuleContext): the period, the cut-off date,
the registry and the checked tables, with the rows they report as Python values."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from ..core.decimals import NumberRule, plain_decimal
from ..core.period import Period
from ..core.registry import Registry, Unit
from .records import RecordTable
from .tables import HeldTable


@dataclass
class RuleContext:
    """Everything a rule may read: the period, the cut-off date and the checked inputs.

    Each input is a table in the query engine (:class:`pipeline.load.records.RecordTable`,
    ``.table`` an Ibis table with ``_row``); a check filters and counts there and asks for the
    rows it reports with :meth:`rows`, or a pandas DataFrame with :meth:`frame`.
    """

    period: Period
    cutoff: dt.date  # 统计截止日
    registry: Registry
    datasets: dict[str, RecordTable]
    calendar_overrides: dict = field(default_factory=dict)
    numbers: NumberRule = NumberRule()  # how the office rounds its rates (numbers:)

    def dataset(self, name: str) -> RecordTable:
        """The checked table ``name``; an empty one (no rows, ``table`` None) if the period has none."""
        return self.datasets.get(name) or RecordTable(None)

    def rows(self, name: str, selection=None) -> list[dict]:
        """The rows of ``selection`` (a query on dataset ``name``; all its rows by default) in
        source order, as Python values: units as registry :class:`Unit`, ``_file`` and ``_row``
        saying where each came from."""
        data = self.dataset(name)
        if not len(data):
            return []
        if selection is None and isinstance(data, HeldTable):  # held in Python: no query needed
            found = [dict(r) for r in sorted(data.held, key=lambda r: r["_row"])]
        else:
            found = (data.table if selection is None else selection).order_by("_row").to_pyarrow().to_pylist()
        lines = data.rows([r["_row"] for r in found])
        for record, line in zip(found, lines):
            for key, value in record.items():
                if key == "unit" and value is not None:
                    record[key] = self.registry.units[value]
                elif isinstance(value, Decimal):
                    record[key] = plain_decimal(value)
            record["_file"], record["_row"] = data.file, line
        return found

    def frame(self, name: str, selection=None):
        """The same rows as a pandas DataFrame (units as short names), for derivations written in pandas."""
        import pandas as pd

        rows = self.rows(name, selection)
        return pd.DataFrame([{k: (v.short_name if isinstance(v, Unit) else v) for k, v in r.items()} for r in rows])
