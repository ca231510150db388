"""The one place scores are rounded: the methods a policy may name and how each rounds
(四舍五入 to 2 places unless the policy says otherwise)."""

from __future__ import annotations

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
Method = Literal["half_up", "half_even", "half_down", "truncate", "up", "floor", "ceiling"]
METHODS: dict[Method, str] = {
    "half_up": ROUND_HALF_UP,
    "half_even": ROUND_HALF_EVEN,
    "half_down": ROUND_HALF_DOWN,
    "truncate": ROUND_DOWN,
    "up": ROUND_UP,
    "floor": ROUND_FLOOR,
    "ceiling": ROUND_CEILING,
}

# Chinese names of the methods, for policies written in Chinese and for explanations.
METHOD_ZH: dict[Method, str] = {
    "half_up": "四舍五入",
    "half_even": "银行家舍入",
    "half_down": "五舍六入",
    "truncate": "截断",
    "up": "进一",
    "floor": "向下取整",
    "ceiling": "向上取整",
}

# Accepted aliases (the Chinese names above, and a few spellings people use).
ALIASES: dict[str, Method] = {
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
# The most decimal places a policy may round to (a score is never finer than this).
MAX_PLACES = 10

# Arithmetic context of the scoring path: 34 digits (decimal128), and every irregular operation
# raises, so a bad figure can never turn silently into NaN or Infinity.
CONTEXT = Context(
    prec=34,
    rounding=ROUND_HALF_EVEN,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)


def method_name(text: str) -> Method | None:
    """Map a method as a policy writes it (``half_up``, ``四舍五入``…) to its name, else None."""
    if text in METHODS:
        return text
    return ALIASES.get(text)


def round_to(value: Decimal, method: Method, places: int) -> Decimal:
    """Round `value` by `method` to `places` decimal places (``6.666…`` → ``6.67``).

    The policy's `Rounding` (`rules_engine.policy.model`) is how the engine calls it."""
    return value.quantize(_quantum(places), rounding=METHODS[method])


@lru_cache(maxsize=16)
def _quantum(places: int) -> Decimal:
    return Decimal(1).scaleb(-places)
