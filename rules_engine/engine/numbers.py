"""Decimal helpers of the scoring path: read form figures (分值, 得分, 预算数) and rates."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Full-width digits and signs as forms print them, mapped to ASCII.
_WIDE = str.maketrans("０１２３４５６７８９．－＋％，", "0123456789.-+%,")
# A figure as a form prints it in a weight, score or budget cell: ``10``, ``8.62``, ``100.00%``,
# ``1,234.5``, ``10分``, ``8.6万元``, ``150万``. Anything else is not a figure.
_FIGURE = re.compile(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")
_SUFFIXES = ("分", "万元", "元", "亿元", "%", "百分比", "万")


@lru_cache(maxsize=65536)
def figure(text: str | None) -> Decimal | None:
    """Read a form cell as a plain figure (weight, self-score, budget amount), else ``None``."""
    if text is None:
        return None
    body = text.strip().translate(_WIDE)
    for suffix in _SUFFIXES:
        if body.endswith(suffix):
            body = body[: -len(suffix)].strip()
            break
    if not _FIGURE.fullmatch(body):
        return None
    try:
        return Decimal(body.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None


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
