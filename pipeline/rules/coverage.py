"""监管事项覆盖率 below the standard (“互联网+监管”)."""

from decimal import Decimal

from ..derive.scores import round_half_up
from .base import Evidence, Finding, RuleContext, order_findings, rule


def coverage_percent(covered: int, total: int) -> Decimal:
    """覆盖率 as a percentage, half-up to two places (7 of 15 → 46.67)."""
    return round_half_up(Decimal(covered) * 100 / Decimal(total))


@rule("coverage_below_threshold", "监管事项覆盖率低于标准", datasets=["coverage"])
def coverage_below_threshold(ctx: RuleContext, params: dict) -> list[Finding]:
    """Units whose 监管事项覆盖率 (covered ÷ total) is below ``threshold`` percent."""
    threshold = Decimal(str(params.get("threshold", 80)))
    findings = []
    for record in ctx.dataset("coverage"):
        total, covered = record["total"], record["covered"]
        if total == 0 or Decimal(covered) * 100 >= threshold * total:  # exact, before rounding
            continue
        rate = coverage_percent(covered, total)
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
    return order_findings(findings, params.get("order"))
