"""The one place scores are rounded: method and places come from the policy (四舍五入 to 2)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import (
    ROUND_CEILING,
    ROUND_DOWN,
    ROUND_FLOOR,
    ROUND_HALF_DOWN,
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    ROUND_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from functools import lru_cache
from typing import Literal

# Method names a policy may write, each mapped to the decimal module's rounding mode.
# `truncate` drops digits (one vendor system does this instead of rounding, RULES.md §1.1).
METHODS: dict[str, str] = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "half_down": ROUND_HALF_DOWN,
    "truncate": ROUND_DOWN,
    "up": ROUND_UP,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}

# Chinese names of the methods, for policies written in Chinese and for explanations.
METHOD_ZH: dict[str, str] = {
    "half_up": "四舍五入",
    "half_even": "银行家舍入",
    "half_down": "五舍六入",
    "truncate": "截断",
    "up": "进一",
    "floor": "向下取整",
    "ceiling": "向上取整",
}

# Accepted aliases (the Chinese names above, and a few spellings people use).
ALIASES: dict[str, str] = {
    **{zh: name for name, zh in METHOD_ZH.items()},
    "round_half_up": "half_up",
    "round_half_even": "half_even",
    "bankers": "half_even",
    "down": "truncate",
    "去尾": "truncate",
    "舍去": "truncate",
}

# Where rounding happens: `line` rounds every line (and the budget score) and sums the rounded
# figures, as the published forms do; `total` keeps line scores exact and rounds only the sum.
Stage = Literal["line", "total"]

# Arithmetic context of the scoring path: 34 digits (decimal128), and every irregular operation
# raises, so a bad figure can never turn silently into NaN or Infinity.
CONTEXT = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a policy rounds: method name (see `METHODS`), decimal places and stage."""

    method: str = "half_up"
    places: int = 2
    stage: Stage = "line"

    def __post_init__(self) -> None:
        if self.method not in METHODS:
            raise ValueError(f"unknown rounding method {self.method!r}")
        if not 0 <= self.places <= 10:
            raise ValueError(f"rounding places out of range: {self.places}")

    def apply(self, value: Decimal) -> Decimal:
        """Round `value` by this method to this many places (``6.666…`` → ``6.67``)."""
        return value.quantize(_quantum(self.places), rounding=METHODS[self.method])

    def describe(self, lang: Literal["zh", "en"] = "zh") -> str:
        """A short human name: ``四舍五入保留2位小数`` / ``half_up to 2 places``."""
        if lang == "zh":
            return f"{METHOD_ZH[self.method]}保留{self.places}位小数"
        return f"{self.method} to {self.places} places"


DEFAULT = Rounding()


def method_name(text: str) -> str | None:
    """Map a method as a policy writes it (``half_up``, ``四舍五入``…) to its name, else None."""
    if text in METHODS:
        return text
    return ALIASES.get(text)


def round_score(value: Decimal, rounding: Rounding = DEFAULT) -> Decimal:
    """Round a score by the policy's rule; the only function in the project that rounds scores."""
    return rounding.apply(value)


@lru_cache(maxsize=16)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)
