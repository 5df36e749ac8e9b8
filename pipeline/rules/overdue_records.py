"""超期办件 counted per unit over a large record table (one row per case), in the engine.

The same test as ``overdue_cases`` — finished after the due date, or still open past it at
the cut-off — as a query: the working-day calendar is joined to the cases wherever they
live (DuckDB, PostgreSQL, Spark), so due dates are computed beside the records.
"""

from ..engine import ibis_module
from .base import Evidence, Finding, RuleContext, order_findings, rule
from .overdue_cases import case_history, overdue_query

MAX_EVIDENCE = 200  # cases listed per unit in the evidence file; the count covers all


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
    records = ctx.dataset(params["dataset"])
    if not len(records):
        return []
    found = overdue_query(records, ctx, in_period=True)
    if found is None:
        return []
    late = found[0]
    counts = late.group_by("unit").aggregate(count=late.count()).order_by("unit").to_pyarrow().to_pylist()
    evidence = _evidence(records, late, ctx)
    findings = [
        Finding("overdue_case_counts", ctx.registry.units[r["unit"]], {"count": int(r["count"])}, tuple(evidence.get(r["unit"], ())))
        for r in counts
    ]
    return order_findings(findings, params["order"])
