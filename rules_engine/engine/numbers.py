"""Decimal helpers of the scoring path: read form figures (分值, 得分, 预算数) and rates."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rules_engine.bounded import figure


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
