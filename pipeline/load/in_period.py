"""Tables that look like another period's: empty, or dated mostly outside the period asked for.

A clerk who copies last quarter's record files into the new period's folder gets a bulletin
in which every window had no case, and nothing says why. The build therefore warns, naming
the file and the period, when a dated table has no row in the period, or more than half of
its dated rows fall outside it. The date of a dataset is its ``dated_by:`` column (the date
that places a record in a period: 申请日期, 评价日期, 发布日期); a table without one, whose
dates are deadlines or other days that may lie anywhere, is not checked. A table with a header and no row at all is warned about
too (record tables, read in the engine, are refused instead: see :mod:`.records`). A dataset
declaring ``outside_period: refuse`` has its table refused instead of warned about.
"""

from __future__ import annotations

import datetime as dt

from ..core.errors import Problem, ProblemLog
from ..core.period import Period
from .records import RecordTable
from .tables import HeldTable


def date_field(spec: dict) -> str | None:
    """The column that dates a dataset's records (本期判断所用的日期列), or None."""
    field = spec.get("dated_by")
    return str(field) if field in (spec.get("columns") or {}) else None


def _outside(data: RecordTable, field: str, start: dt.date, end: dt.date) -> tuple[int, int]:
    """(dated rows, of which outside start..end)."""
    if isinstance(data, HeldTable):
        dated = [r[field] for r in data.held if r[field] is not None]
        return len(dated), sum(1 for d in dated if d < start or d > end)
    table = data.table
    column = table[field]
    dated = table.filter(column.notnull())
    counts = dated.aggregate(n=dated.count(), out=((column < start) | (column > end)).ifelse(1, 0).sum())
    row = counts.to_pyarrow().to_pylist()[0]
    return int(row["n"] or 0), int(row["out"] or 0)


def _warning(data: RecordTable, header: str, period: Period, dated: int, out: int) -> Problem:
    span = f"{period.full_name}（{period.date_span}）"
    what = "没有一条记录的日期在" if out == dated else f"{dated:,} 条记录中有 {out:,} 条的日期不在"
    return Problem(data.file, f"{what}本期{span}内：是否放入了其他时期的文件？"
                              "请核对后再印发（按本期统计的数字可能为零或偏小）",
                   sheet=data.source.sheet if data.source else None, column=header)


def period_warnings(datasets: dict, specs: dict, period: Period, log: ProblemLog) -> list[Problem]:
    """One warning per table that is empty, or dated mostly (more than half) outside ``period``;
    a dataset declaring ``outside_period: refuse`` goes to ``log`` instead."""
    warnings: list[Problem] = []
    for name, data in datasets.items():
        if not isinstance(data, RecordTable) or (not isinstance(data, HeldTable) and data.table is None):
            continue
        if not len(data):
            warnings.append(Problem(data.file, "只有表头，没有数据行：本期按没有记录统计", sheet=data.source.sheet))
            continue
        spec = specs.get(name) or {}
        field = date_field(spec)
        if field is None or not data.has(field):
            continue
        dated, out = _outside(data, field, period.start, period.end)
        if dated and out * 2 > dated:
            problem = _warning(data, spec["columns"][field].get("header", field), period, dated, out)
            if spec.get("outside_period") == "refuse" and problem not in log.problems:
                log.problems.append(problem)
            elif spec.get("outside_period") != "refuse":
                warnings.append(problem)
    return list(dict.fromkeys(warnings))  # two datasets read from one file: one warning
