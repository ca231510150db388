"""Decimal helpers of the scoring path: read form figures (分值, 得分, 预算数), print numbers."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rules_engine.bounded import figure

# Digits shown after the point in a formula before the value is rounded (``6.6666…``).
SHOW_PLACES = 4


@lru_cache(maxsize=65536)
def percent(text: str | None) -> Decimal | None:
    """Read a printed rate (``100.00%``, ``86%``, ``0.86``) as a fraction (``1``, ``0.86``)."""
    if text is None:
        return None
    value = figure(text)
    if value is None:
        return None
    if "%" in text or "％" in text or "百分比" in text or value > 1:
        return value / 100
    return value


# Printed numbers, remembered: a batch prints the same weights, scores and targets again and
# again. Equal Decimals print alike here (the text depends on the value, not its exponent).
_SHOWN: dict[Decimal, str] = {}
_SHOWN_LIMIT = 1 << 14


def show(value: Decimal) -> str:
    """A number as a step prints it: plain, and cut at 4 places with ``…`` when it runs longer."""
    text = _SHOWN.get(value)
    if text is None:
        text = _show(value)
        # Zero is left out: ``0`` and ``-0`` are one key but print differently.
        if value:
            if len(_SHOWN) >= _SHOWN_LIMIT:
                _SHOWN.clear()
            _SHOWN[value] = text
    return text


def _show(value: Decimal) -> str:
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    normal = value.normalize()
    exponent = normal.as_tuple().exponent
    if isinstance(exponent, int) and -exponent <= SHOW_PLACES:
        return format(normal, "f")
    cut = value.quantize(Decimal(1).scaleb(-SHOW_PLACES), rounding="ROUND_DOWN")
    return format(cut, "f") + "…"


def fixed(value: Decimal, places: int = 2) -> str:
    """A rounded score printed with at least `places` places (``6.67``, ``10.00``); never rounds."""
    if -_exp(value) >= places:
        return format(value, "f")
    return format(value.quantize(Decimal(1).scaleb(-places)), "f")


def percent_text(fraction: Decimal, places: int = 2) -> str:
    """A fraction printed as a percentage with fixed places (``0.862`` → ``86.20%``)."""
    return format((fraction * 100).quantize(Decimal(1).scaleb(-places)), "f") + "%"


def _exp(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return exponent if isinstance(exponent, int) else 0
