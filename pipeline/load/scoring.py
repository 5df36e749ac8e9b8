"""A score sheet as loaded: the scheme of items with their maxima, and each unit's scores."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..core.registry import Unit


def plain_points(value: Decimal) -> str:
    """Points as a heading writes them: 5, 2.5 (no trailing zeros)."""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class ScoringItem:
    """An assessment item (考核项目) with its maximum points."""

    name: str
    max_points: Decimal

    @property
    def header(self) -> str:
        """Column title as the score table prints it: 事项管理 (5分)."""
        return f"{self.name}（{plain_points(self.max_points)}分）"


@dataclass(frozen=True)
class ScoringScheme:
    """The items of one group's assessment, with 加分项 and 扣分项."""

    group: str
    items: tuple[ScoringItem, ...]


@dataclass(frozen=True)
class ScoreRow:
    """One unit's scores as entered: None where an item does not apply (“/”)."""

    unit: Unit
    item_scores: tuple[Decimal | None, ...]
    bonus: Decimal = Decimal(0)  # 加分项
    penalty: Decimal = Decimal(0)  # 扣分项
    source_row: int | None = None
