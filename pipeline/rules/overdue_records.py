"""超期办件 counted per unit over a large record table (one row per case), vectorised.

The same test as ``overdue_cases`` — finished after the due date, or still open past it at
the cut-off — on columns instead of rows, for bulletins that report how many cases each
unit let run over rather than telling each case.
"""

import numpy as np

from .base import Evidence, Finding, RuleContext, order_findings, rule
from .overdue_cases import case_calendar, case_history, overdue_mask

MAX_EVIDENCE = 200  # cases listed per unit in the evidence file; the count covers all


@rule("overdue_case_counts", "超期办件数", datasets=["cases"])
def overdue_case_counts(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units with overdue cases applied for in the period, with their number (``count``)."""
    records = ctx.dataset(params["dataset"])
    if not len(records):
        return []
    applied, limits = records["applied_on"], records["limit_days"]
    completed = records.column("completed_on", np.datetime64("NaT", "D"))  # no column: nothing finished yet
    in_period = (applied >= np.datetime64(ctx.period.start)) & (applied <= np.datetime64(ctx.period.end))
    if not in_period.any():
        return []
    index = np.flatnonzero(in_period)
    applied, limits, completed = applied[index], limits[index], completed[index]
    calendar = case_calendar(applied, limits, ctx)
    due, overdue = overdue_mask(calendar, applied, limits, completed, ctx.cutoff)
    late = np.flatnonzero(overdue)
    units = records["unit"][index][late]
    counts = np.bincount(units, minlength=len(ctx.registry.units))
    case_ids = records.columns.get("case_id")
    findings = []
    for position in np.flatnonzero(counts):
        unit = ctx.registry.units[int(position)]
        cases = late[units == position][:MAX_EVIDENCE]
        evidence = tuple(
            Evidence(
                records.file,
                int(records.rows[index[i]]),
                f"{'' if case_ids is None else case_ids[int(index[i])].as_py()} "
                + case_history(applied[i].astype(object), int(limits[i]), due[i].astype(object),
                               None if np.isnat(completed[i]) else completed[i].astype(object), ctx.cutoff),
            )
            for i in cases
        )
        findings.append(Finding("overdue_case_counts", unit, {"count": int(counts[position])}, evidence))
    return order_findings(findings, params["order"])

