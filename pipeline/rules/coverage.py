"""监管事项覆盖率 below the standard (“互联网+监管”)."""

from decimal import Decimal

from ..derive.scores import percent_of
from .base import Evidence, Finding, RuleContext, order_findings, rule


@rule("coverage_below_threshold", "监管事项覆盖率低于标准", datasets=["coverage"])
def coverage_below_threshold(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units whose 监管事项覆盖率 (covered ÷ total) is below ``threshold`` percent."""
    threshold = Decimal(str(params["threshold"]))
    data = ctx.dataset("coverage")
    if not len(data):
        return []
    t = data.table
    scale = 10 ** max(0, -threshold.as_tuple().exponent)  # compared in whole numbers: exact, before rounding
    below = t.filter(t.total > 0, t.covered * (100 * scale) < t.total * int(threshold * scale))
    findings = []
    for record in ctx.rows("coverage", below):
        total, covered = record["total"], record["covered"]
        rate = percent_of(covered, total)  # 覆盖率
        findings.append(
            Finding(
                rule="coverage_below_threshold",
                unit=record["unit"],
                figures={"rate": rate, "rate_text": f"{rate}%", "covered": covered, "total": total},
                evidence=(
                    Evidence(
                        record["_file"],
                        record["_row"],
                        f"已覆盖{covered}项 ÷ 监管事项{total}项 = {rate}%，低于{threshold.normalize():f}%",
                    ),
                ),
            )
        )
    return order_findings(findings, params["order"])
