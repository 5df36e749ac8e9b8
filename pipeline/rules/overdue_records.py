"""超期办件 counted per unit over a large record table (one row per case), in the engine.

The same test as ``overdue_cases`` — finished after the due date, or still open past it at
the cut-off — as a query: the working-day calendar is joined to the cases wherever they
live (DuckDB, PostgreSQL, Spark), so due dates are computed beside the records.
"""

from ..derive.workdays import WorkdayCalendar, with_due_dates
from ..engine import ibis_module
from .base import Evidence, Finding, RuleContext, order_findings, rule
from .overdue_cases import case_history

MAX_EVIDENCE = 200  # cases listed per unit in the evidence file; the count covers all


def overdue_cases_of(records, ctx: RuleContext):
    """The cases applied for in the period and overdue at the cut-off, with their due date (a query)."""
    ibis = ibis_module()
    cases = records.table
    cases = cases.filter(cases.applied_on.between(ctx.period.start, ctx.period.end), cases.unit.notnull())
    if not records.has("completed_on"):  # no column: nothing finished yet
        cases = cases.mutate(completed_on=ibis.null("date"))
    span = cases.aggregate(first=cases.applied_on.min(), last=cases.applied_on.max(), limit=cases.limit_days.max())
    first, last, limit = span.to_pyarrow().to_pylist()[0].values()
    if first is None:
        return None
    calendar = WorkdayCalendar.covering(first, max(last, ctx.cutoff), int(limit), ctx.calendar_overrides)
    due = with_due_dates(cases, "applied_on", "limit_days", calendar)
    cutoff = ibis.literal(ctx.cutoff)
    is_open = due.completed_on.isnull() | (due.completed_on > cutoff)
    return due.filter(ibis.ifelse(is_open, cutoff > due.due, due.completed_on > due.due))


def _evidence(records, late, ctx: RuleContext) -> dict[int, list[Evidence]]:
    """The first cases of each unit (by source row) as evidence lines."""
    ibis = ibis_module()
    numbered = late.mutate(_n=ibis.row_number().over(group_by="unit", order_by="_row"))
    columns = ["unit", "_row", "applied_on", "limit_days", "due", "completed_on"] + (["case_id"] if records.has("case_id") else [])
    rows = numbered.filter(numbered._n < MAX_EVIDENCE).select(*columns).order_by("unit", "_row").to_pyarrow().to_pylist()
    lines = records.rows([r["_row"] for r in rows])
    evidence: dict[int, list[Evidence]] = {}
    for row, line in zip(rows, lines):
        history = case_history(row["applied_on"], int(row["limit_days"]), row["due"], row["completed_on"], ctx.cutoff)
        evidence.setdefault(row["unit"], []).append(Evidence(records.file, line, f"{row.get('case_id') or ''} {history}"))
    return evidence


@rule("overdue_case_counts", "超期办件数", datasets=["cases"])
def overdue_case_counts(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units with overdue cases applied for in the period, with their number (``count``)."""
    records = ctx.dataset(params.get("dataset", "cases"))
    if not len(records):
        return []
    late = overdue_cases_of(records, ctx)
    if late is None:
        return []
    counts = late.group_by("unit").aggregate(count=late.count()).order_by("unit").to_pyarrow().to_pylist()
    evidence = _evidence(records, late, ctx)
    findings = [
        Finding("overdue_case_counts", ctx.registry.units[r["unit"]], {"count": int(r["count"])}, tuple(evidence.get(r["unit"], ())))
        for r in counts
    ]
    return order_findings(findings, params.get("order", "-count"))
