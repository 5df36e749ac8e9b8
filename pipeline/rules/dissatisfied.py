"""“不满意” evaluations (差评) received by a unit's windows in the period."""

from .base import Evidence, Finding, RuleContext, order_findings, rule


@rule("dissatisfied_evaluations", "“不满意”评价", datasets=["evaluations"])
def dissatisfied_evaluations(ctx: RuleContext, params: dict) -> list[Finding]:
    """Each window (unit, place, window) that received “不满意” evaluations within the period."""
    grade = params["grade"]
    data = ctx.dataset("evaluations")
    if not len(data):
        return []
    t = data.table
    selected = t.filter(t.grade == grade, t.evaluated_on.between(ctx.period.start, ctx.period.end))
    groups: dict = {}
    for record in ctx.rows("evaluations", selected):
        key = (record["unit"], record.get("place") or "", record.get("window") or "")
        groups.setdefault(key, []).append(record)
    findings = []
    for (unit, place, window), records in groups.items():
        reasons = list(dict.fromkeys(r["reason"] for r in records if r.get("reason")))
        findings.append(
            Finding(
                rule="dissatisfied_evaluations",
                unit=unit,
                figures={"place": place, "window": window, "count": len(records), "reasons": reasons},
                evidence=tuple(
                    Evidence(r["_file"], r["_row"], f"{r['evaluated_on'].isoformat()} {place}{window}“{grade}”：{r.get('reason') or ''}")
                    for r in records
                ),
            )
        )
    return order_findings(findings, params["order"])
