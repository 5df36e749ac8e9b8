"""超时办件: cases not finished within their time limit in working days."""

from collections import defaultdict

import numpy as np

from ..derive.workdays import WorkdayCalendar
from ..period import format_date, format_month_day
from .base import Evidence, Finding, RuleContext, order_findings, rule


def overdue_mask(calendar: WorkdayCalendar, applied, limits, completed, cutoff) -> tuple[np.ndarray, np.ndarray]:
    """For arrays of cases: (due date, is overdue as of ``cutoff``).

    A case is overdue when it finished after its due date, or has not finished and
    the cut-off date is past its due date. ``completed`` holds NaT for open cases.
    """
    due = calendar.due_dates(applied, limits)
    completed = np.asarray(completed, dtype="datetime64[D]")
    cutoff = np.datetime64(cutoff, "D")
    is_open = np.isnat(completed) | (completed > cutoff)
    late_finish = ~is_open & (completed > due)
    late_open = is_open & (cutoff > due)
    return due, late_finish | late_open


def case_history(applied, limit: int, due, completed, cutoff) -> str:
    """How a case ran, as the evidence file says it: 2024年4月2日申请，时限5个工作日，应于2024年4月10日前办结，
    截至2024年6月7日未办结 (a case finished after the cut-off was still open at it)."""
    finished = completed if completed is not None and completed <= cutoff else None
    ending = f"{format_date(finished)}办结" if finished else f"截至{format_date(cutoff)}未办结"
    return f"{format_date(applied)}申请，时限{limit}个工作日，应于{format_date(due)}前办结，{ending}"


def case_calendar(applied: np.ndarray, limits: np.ndarray, ctx: RuleContext) -> WorkdayCalendar:
    """A working-day calendar covering every case's application date, time limit and the cut-off."""
    last = max(ctx.cutoff, applied.max().astype(object))
    return WorkdayCalendar.covering(applied.min().astype(object), last, int(limits.max()), ctx.calendar_overrides)


@rule("overdue_cases", "超时办件", datasets=["cases"])
def overdue_cases(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units with cases finished after, or still open past, their working-day time limit."""
    cases = ctx.dataset("cases")
    if not cases:
        return []
    applied = np.array([c["applied_on"] for c in cases], dtype="datetime64[D]")
    limits = np.array([c["limit_days"] for c in cases], dtype="int64")
    completed = np.array(
        [c["completed_on"] if c.get("completed_on") else np.datetime64("NaT") for c in cases],
        dtype="datetime64[D]",
    )
    calendar = case_calendar(applied, limits, ctx)
    due, overdue = overdue_mask(calendar, applied, limits, completed, ctx.cutoff)
    late_by = calendar.workdays_between(due, np.where(np.isnat(completed), np.datetime64(ctx.cutoff, "D"), completed))

    per_unit: dict = defaultdict(list)
    for case, due_day, is_overdue, days_late in zip(cases, due, overdue, late_by):
        if not is_overdue:
            continue
        due_day = due_day.astype(object)
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
                    "due": format_month_day(due_day),
                    "due_date": due_day,
                    "completed": format_month_day(finished) if finished else None,
                    "days_late": int(days_late),
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

