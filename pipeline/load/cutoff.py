"""Records dated after the 统计截止日 are left out of the period's figures and counted in a warning.

A dataset names the column that dates each record under ``dated_by:`` in ``kind.yaml``
(申请日期 of a case, 评价日期 of an evaluation, 发布日期 of a posting). An export taken a few
days after the cut-off holds records the bulletin must not count; they are not an error in
the file, so the build goes on without them and says how many, in which rows.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from ..errors import Problem
from ..period import format_date
from .records import Records

ROWS_SHOWN = 8


def _late_rows(data, field: str, cutoff: dt.date) -> tuple[list[int], object]:
    """(Excel rows of the records dated after ``cutoff``, the data without them)."""
    if isinstance(data, Records):
        if field not in data.columns:
            return [], data
        late = np.asarray(data.columns[field] > np.datetime64(cutoff, "D"))
        keep = ~late
        columns = {k: (v.filter(pa.array(keep)) if isinstance(v, (pa.Array, pa.ChunkedArray)) else v[keep])
                   for k, v in data.columns.items()}
        return data.rows[late].tolist(), Records(data.file, data.rows[keep], columns, dict(data.choices))
    is_late = [isinstance(r.get(field), dt.date) and r[field] > cutoff for r in data]
    return [r["_row"] for r, late in zip(data, is_late) if late], [r for r, late in zip(data, is_late) if not late]


def _warning(data, header: str, rows: list[int], cutoff: dt.date) -> Problem:
    first = data[0] if isinstance(data, list) and data else {}
    shown = "、".join(str(r) for r in rows[:ROWS_SHOWN]) + ("…" if len(rows) > ROWS_SHOWN else "")
    return Problem(
        data.file if isinstance(data, Records) else first.get("_file", ""),
        f"{len(rows)} 条记录的日期晚于统计截止日{format_date(cutoff)}，未计入本期（第{shown}行）",
        sheet=first.get("_sheet") if isinstance(first, dict) else None,
        column=header,
    )


def leave_out_after_cutoff(datasets: dict, specs: dict, cutoff: dt.date) -> list[Problem]:
    """Drop from ``datasets`` (in place) every record dated after ``cutoff``; one warning per table that had any."""
    warnings = []
    for name, data in list(datasets.items()):
        field = (specs.get(name) or {}).get("dated_by")
        if not field:
            continue
        rows, datasets[name] = _late_rows(data, field, cutoff)
        if rows:
            header = specs[name]["columns"][field]["header"]
            warnings.append(_warning(data, header, rows, cutoff))
    return warnings
