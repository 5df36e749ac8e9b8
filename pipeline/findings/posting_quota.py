"""Monthly posting quotas: at least N 监管动态 and M 曝光台 items in every month of the period."""

from collections import defaultdict

from .base import Evidence, Finding, order_findings, rule
from ..load.inputs import RuleContext

KINDS = (("dynamics", "监管动态", "min_dynamics"), ("exposures", "曝光台", "min_exposures"))  # defaults: config/declared.py


def monthly_counts_from_postings(ctx: RuleContext) -> list[dict]:
    """Per-unit, per-month counts from the raw list of postings (one row per item posted),
    counted in the engine; ``_row`` is the first posting of the unit in that month."""
    t = ctx.dataset("postings").table
    counts = t.group_by("unit", year=t.posted_on.year(), month_number=t.posted_on.month()).aggregate(
        dynamics=t.count(where=t.column == "监管动态"),
        exposures=t.count(where=t.column != "监管动态"),
        _row=t["_row"].min(),
    )
    records = ctx.rows("postings", counts)
    for record in records:
        record["month"] = f"{record.pop('year')}-{record.pop('month_number'):02d}"
    return records


@rule("monthly_posting_quota", "未完成每月监管动态、曝光台发布任务", datasets=["postings_monthly", "postings"])
def monthly_posting_quota(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units that posted fewer than the quota of 监管动态 or 曝光台 in some month of the period."""
    minimum = {field: int(params[param]) for field, _, param in KINDS}
    if len(ctx.dataset("postings_monthly")):
        records = ctx.rows("postings_monthly")
    elif len(ctx.dataset("postings")):
        records = monthly_counts_from_postings(ctx)
    else:
        records = []
    source_rows = {(r["unit"], r["month"]): [(r["_file"], r["_row"])] for r in records}
    by_unit: dict = defaultdict(dict)
    for record in records:
        by_unit[record["unit"]][record["month"]] = record
    units = list(by_unit)
    if params.get("group"):
        units += [u for u in ctx.registry.group(params["group"]) if u not in by_unit]
    any_file = next((f for rows in source_rows.values() for f, _ in rows), "")
    findings = []
    for unit in units:
        shortfalls, evidence = [], []
        for month in ctx.period.months:
            record = by_unit[unit].get(month, {})
            month_label = f"{int(month[5:])}月"
            for field, label, _ in KINDS:
                count = int(record.get(field, 0))
                if count < minimum[field]:
                    shortfalls.append(f"{month_label}{label}{count}条")
                    file, row = (source_rows.get((unit, month)) or [(any_file, None)])[0]
                    note = "" if row else "（无该月记录）"
                    evidence.append(Evidence(file, row, f"{month_label}{label}{count}条{note}，少于{minimum[field]}条"))
        if shortfalls:
            findings.append(
                Finding(
                    rule="monthly_posting_quota",
                    unit=unit,
                    figures={"shortfalls": shortfalls, "shortfall_text": "、".join(shortfalls)},
                    evidence=tuple(evidence),
                )
            )
    return order_findings(findings, params["order"])
