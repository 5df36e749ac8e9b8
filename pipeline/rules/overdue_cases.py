"""超时办件: cases not finished within their time limit in working days."""

from collections import defaultdict

from ..derive.workdays import WorkdayCalendar, with_due_dates, with_workdays_between
from ..engine import ibis_module
from ..period import format_date, format_month_day
from .base import Evidence, Finding, RuleContext, order_findings, rule


def case_history(applied, limit: int, due, completed, cutoff) -> str:
    """How a case ran, as the evidence file says it: 2024年4月2日申请，时限5个工作日，应于2024年4月10日前办结，
    截至2024年6月7日未办结 (a case finished after the cut-off was still open at it)."""
    finished = completed if completed is not None and completed <= cutoff else None
    ending = f"{format_date(finished)}办结" if finished else f"截至{format_date(cutoff)}未办结"
    return f"{format_date(applied)}申请，时限{limit}个工作日，应于{format_date(due)}前办结，{ending}"


def overdue_query(records, ctx: RuleContext, in_period: bool, through_completion: bool = False):
    """The cases overdue at the cut-off — finished after their due date, or still open past it —
    with their ``due`` date, as a query on the engine holding them (None if there are no cases).

    ``in_period`` keeps only cases applied for in the period; ``through_completion`` makes the
    calendar reach the latest completion date too (for counting working days late)."""
    ibis = ibis_module()
    cases = records.table
    if in_period:
        cases = cases.filter(cases.applied_on.between(ctx.period.start, ctx.period.end), cases.unit.notnull())
    if "completed_on" not in cases.columns:  # no column: nothing finished yet
        cases = cases.mutate(completed_on=ibis.null("date"))
    span = cases.aggregate(first=cases.applied_on.min(), last=cases.applied_on.max(), limit=cases.limit_days.max(),
                           done=cases.completed_on.max())
    first, last, limit, done = span.to_pyarrow().to_pylist()[0].values()
    if first is None:
        return None
    last = max(last, ctx.cutoff, done if through_completion and done else ctx.cutoff)
    calendar = WorkdayCalendar.covering(first, last, int(limit), ctx.calendar_overrides)
    due = with_due_dates(cases, "applied_on", "limit_days", calendar)
    cutoff = ibis.literal(ctx.cutoff)
    is_open = due.completed_on.isnull() | (due.completed_on > cutoff)
    late = due.filter(ibis.ifelse(is_open, cutoff > due.due, due.completed_on > due.due))
    return late, calendar


@rule("overdue_cases", "超时办件", datasets=["cases"])
def overdue_cases(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units with cases finished after, or still open past, their working-day time limit."""
    data = ctx.dataset("cases")
    if not len(data):
        return []
    found = overdue_query(data, ctx, in_period=False, through_completion=True)
    if found is None:
        return []
    late, calendar = found
    late = late.mutate(_end=late.completed_on.fill_null(ibis_module().literal(ctx.cutoff)))
    late = with_workdays_between(late, "due", "_end", calendar, "days_late")
    per_unit: dict = defaultdict(list)
    for case in ctx.rows("cases", late):
        finished = case.get("completed_on")
        if finished and finished > ctx.cutoff:
            finished = None
        per_unit[case["unit"]].append(
            (
                case,
                {
                    "matter": case["matter"],
                    "applicant": case.get("applicant") or "",
                    "channel": case.get("channel") or "",
                    "applied": format_month_day(case["applied_on"]),
                    "due": format_month_day(case["due"]),
                    "due_date": case["due"],
                    "completed": format_month_day(finished) if finished else None,
                    "days_late": int(case["days_late"]),
                },
            )
        )
    findings = []
    for unit, items in per_unit.items():
        findings.append(
            Finding(
                rule="overdue_cases",
                unit=unit,
                figures={"count": len(items), "cases": [figures for _, figures in items]},
                evidence=tuple(
                    Evidence(
                        case["_file"],
                        case["_row"],
                        f"《{case['matter']}》"
                        + case_history(case["applied_on"], case["limit_days"], figures["due_date"], case.get("completed_on"), ctx.cutoff)
                        + f"，超时{figures['days_late']}个工作日",
                    )
                    for case, figures in items
                ),
            )
        )
    return order_findings(findings, params["order"])
