"""整改 items past their deadline and still open at the cut-off date."""

from ..engine import ibis_module
from ..period import format_date
from .base import Evidence, Finding, RuleContext, order_findings, rule


@rule("rectification_overdue", "整改事项逾期未完成", datasets=["rectifications"])
def rectification_overdue(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units with rectification items whose deadline has passed and that are not closed."""
    data = ctx.dataset("rectifications")
    if not len(data):
        return []
    t, cutoff = data.table, ibis_module().literal(ctx.cutoff)
    still_open = t.completed_on.isnull() | (t.completed_on > cutoff) if "completed_on" in t.columns else ibis_module().literal(True)
    per_unit: dict = {}
    for item in ctx.rows("rectifications", t.filter(still_open, t.deadline < cutoff)):
        per_unit.setdefault(item["unit"], []).append(item)
    return order_findings(
        [
            Finding(
                rule="rectification_overdue",
                unit=unit,
                figures={"count": len(items), "issues": [i["issue"] for i in items]},
                evidence=tuple(
                    Evidence(
                        i["_file"],
                        i["_row"],
                        f"“{i['issue']}”整改期限{format_date(i['deadline'])}，截至{format_date(ctx.cutoff)}未完成",
                    )
                    for i in items
                ),
            )
            for unit, items in per_unit.items()
        ],
        params["order"],
    )
