"""Assessment scores: 实得分, 百分制得分 and 排名, as pure functions of the score rows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.decimals import HUNDRED, rounded
from ..load.scoring import ScoreRow, ScoringScheme
from ..core.registry import Unit


@dataclass(frozen=True)
class RankedScore:
    """A unit's derived scores and its place in the ranking."""

    row: ScoreRow
    earned: Decimal  # 实得分
    applicable_max: Decimal  # 适用项目满分之和
    percent: Decimal  # 百分制得分, rounded half-up to two places
    rank: int  # 排名, 1 is best

    @property
    def unit(self) -> Unit:
        return self.row.unit


def earned_points(row: ScoreRow) -> Decimal:
    """实得分: applicable item scores plus 加分项 minus 扣分项."""
    return sum((s for s in row.item_scores if s is not None), Decimal(0)) + row.bonus - row.penalty


def applicable_max(scheme: ScoringScheme, row: ScoreRow) -> Decimal:
    """Sum of the maxima of the items that apply to this unit."""
    return sum(
        (item.max_points for item, s in zip(scheme.items, row.item_scores) if s is not None),
        Decimal(0),
    )


def percent_score(earned: Decimal, maximum: Decimal) -> Decimal:
    """百分制得分 = 实得分 ÷ 适用项目满分之和 × 100, half-up to two places."""
    if maximum == 0:
        raise ZeroDivisionError("no applicable item")
    return rounded(earned * HUNDRED / maximum)


def rank_scores(scheme: ScoringScheme, rows: list[ScoreRow]) -> list[RankedScore]:
    """Rows ranked by 百分制得分, highest first; ties keep input order."""
    derived = []
    for row in rows:
        earned = earned_points(row)
        maximum = applicable_max(scheme, row)
        derived.append((row, earned, maximum, percent_score(earned, maximum)))
    ordered = sorted(derived, key=lambda d: -d[3])  # sorted() is stable: ties keep input order
    return [
        RankedScore(row=row, earned=earned, applicable_max=maximum, percent=percent, rank=i)
        for i, (row, earned, maximum, percent) in enumerate(ordered, start=1)
    ]


def top(ranked: list[RankedScore], n: int) -> list[RankedScore]:
    """The first n in rank order."""
    return ranked[:n]


def bottom(ranked: list[RankedScore], n: int) -> list[RankedScore]:
    """The last n, the very last first (排名后三位: 南营街办、王集镇、流水镇)."""
    return list(reversed(ranked[-n:])) if n else []
