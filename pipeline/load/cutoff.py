"""Records dated after the 统计截止日 are left out of the period's figures and counted in a warning.

A dataset names the column that dates each record under ``dated_by:`` in ``kind.yaml``
(申请日期 of a case, 评价日期 of an evaluation, 发布日期 of a posting). An export taken a few
days after the cut-off holds records the bulletin must not count; they are not an error in
the file, so the build goes on without them and says how many, in which rows. The filter is
a query on the engine, wherever the table lives.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from ..core.errors import Problem
from ..core.period import format_date
from .records import RecordTable
from .tables import HeldTable

ROWS_SHOWN = 8


def _late_rows(data: RecordTable, field: str, cutoff: dt.date) -> tuple[list[int], RecordTable]:
    """(rows as the clerk numbers them of the records dated after ``cutoff``, the table without them)."""
    if not data.has(field):
        return [], data
    if isinstance(data, HeldTable):
        return _late_held(data, field, cutoff)
    table = data.table
    late = table.filter(table[field] > cutoff)
    total = int(late.count().to_pyarrow().as_py())
    if not total:
        return [], data
    positions = late.order_by("_row").limit(ROWS_SHOWN + 1)["_row"].to_pyarrow().to_pylist()
    kept = replace(data, table=table.filter(table[field].isnull() | (table[field] <= cutoff)), kept=len(data) - total)
    return [total, *data.rows(positions)], kept


def _late_held(data: HeldTable, field: str, cutoff: dt.date) -> tuple[list[int], RecordTable]:
    """As :func:`_late_rows`, over the rows a small table holds in Python."""
    late = sorted(r["_row"] for r in data.held if r[field] is not None and r[field] > cutoff)
    if not late:
        return [], data
    kept = data.keeping([r for r in data.held if r[field] is None or r[field] <= cutoff])
    return [len(late), *data.rows(late[:ROWS_SHOWN + 1])], kept


def _warning(data: RecordTable, header: str, late: list[int], cutoff: dt.date) -> Problem:
    total, rows = late[0], late[1:]
    shown = "、".join(str(r) for r in rows[:ROWS_SHOWN]) + ("…" if total > ROWS_SHOWN else "")
    return Problem(
        data.file,
        f"{total} 条记录的日期晚于统计截止日{format_date(cutoff)}，未计入本期（第{shown}行）",
        sheet=data.source.sheet if data.source else None,
        column=header,
    )


def leave_out_after_cutoff(datasets: dict, specs: dict, cutoff: dt.date) -> list[Problem]:
    """Drop from ``datasets`` (in place) every record dated after ``cutoff``; one warning per table that had any."""
    warnings = []
    for name, data in list(datasets.items()):
        field = (specs.get(name) or {}).get("dated_by")
        if not field or not isinstance(data, RecordTable) or (not isinstance(data, HeldTable) and data.table is None):
            continue
        late, datasets[name] = _late_rows(data, field, cutoff)
        if late:
            header = specs[name]["columns"][field]["header"]
            warnings.append(_warning(data, header, late, cutoff))
    return warnings
