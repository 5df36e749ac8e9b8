"""One rounding rule for every figure a bulletin prints (四舍五入 unless the office says otherwise).

Every percentage, mean and score is rounded here, with ``Decimal`` and half-up by default,
whichever engine computed its parts: 92.45% → 92.5% (Python's ``round`` and ``Decimal``'s
own formatting would give 92.4%). An office may choose another rule under
``numbers: {rounding: …}``; nothing else rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN}  # 舍入方式
HUNDRED = Decimal(100)
MAX_PLACES = 6  # a bulletin never prints more decimal places than this


def as_decimal(value) -> Decimal:
    """A count, rate or float as an exact Decimal (a float by its shortest text: 0.1 → 0.1)."""
    return value if isinstance(value, Decimal) else Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def rounded(value, places: int = 2, rounding: str = "half_up") -> Decimal:
    """``value`` to ``places`` decimal places by the named rule (0.125 → 0.13 half-up)."""
    return as_decimal(value).quantize(Decimal(1).scaleb(-int(places)), rounding=ROUNDING[rounding])


def percent(part, whole, places: int = 2, rounding: str = "half_up") -> Decimal | None:
    """part ÷ whole × 100, rounded (7 of 15 → 46.67); None when whole is 0 or missing."""
    if part is None or not whole:
        return None
    return rounded(as_decimal(part) * HUNDRED / as_decimal(whole), places, rounding)


def mean(total, count, places: int = 2, rounding: str = "half_up") -> Decimal | None:
    """total ÷ count, rounded; None when there is nothing to average."""
    if total is None or not count:
        return None
    return rounded(as_decimal(total) / as_decimal(count), places, rounding)


@dataclass(frozen=True)
class NumberRule:
    """How an office writes its rates and means (``numbers:``): how many places, which rounding (舍入方式).
    The defaults are what an office that says nothing gets (config/declared.py publishes them)."""

    places: int = 2
    rounding: str = "half_up"

    @classmethod
    def of(cls, numbers: dict | None) -> "NumberRule":
        """The rule ``numbers: {percent_places: …, rounding: …}`` sets; a key left out keeps its default."""
        numbers = numbers or {}
        return cls(int(numbers.get("percent_places", cls.places)), numbers.get("rounding", cls.rounding))

    def percent(self, part, whole) -> Decimal | None:
        return percent(part, whole, self.places, self.rounding)

    def mean(self, total, count) -> Decimal | None:
        return mean(total, count, self.places, self.rounding)


def fixed(value, places: int, rounding: str = "half_up") -> str:
    """``value`` written with exactly ``places`` decimals, rounded by the rule (never half-even by accident)."""
    return f"{rounded(value, places, rounding):f}"


def trimmed(value, places: int = 2, rounding: str = "half_up") -> str:
    """``value`` to at most ``places`` decimals, trailing zeros dropped: 99.50 → 99.5, 100.00 → 100."""
    text = fixed(value, places, rounding)
    return text.rstrip("0").rstrip(".") if "." in text else text


def plain_decimal(value: Decimal) -> Decimal:
    """A stored decimal without the trailing zeros of its storage scale (87.5000000000 → 87.5)."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
