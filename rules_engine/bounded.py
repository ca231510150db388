"""One reader for the numbers people type (form figures, target values, command-line counts),
each kept inside the range the engine computes with exactly.

The bounds, and why:

- at most `MAX_DIGITS` = 15 significant digits: a spreadsheet keeps 15 (an IEEE double), so a
  longer figure was never typed as a number; it is digits glued together or repeated;
- a magnitude below 10^`MAX_INTEGER_DIGITS` = 10^12: 一万亿 (a trillion) 元 or 万元 is more than
  any budget line a form reports, and a weight or score is a few hundred at most;
- at most `MAX_PLACES` = 6 places after the point: 0.000001 万元 is one 分, the smallest sum of
  money there is, and no rate or share is printed finer.

Inside these bounds every product and quotient the scoring path forms stays exact in its
34-digit context (`rounding.CONTEXT`); outside them a value is not read at all, never guessed.
"""

from __future__ import annotations

import argparse
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rules_engine.diagnostics import define

MAX_DIGITS = 15
MAX_INTEGER_DIGITS = 12
MAX_PLACES = 6

OUT_OF_RANGE = define(
    "E471",
    "{place_zh}「{text}」超出可计算的范围，按无法识读处理",
    "{place_en} '{text}' is outside the range the engine computes with; it is read as unreadable",
    "数值最多 15 位有效数字、小于 1 万亿（10¹²）、小数不超过 6 位；核对是否多打或粘连了数字。",
    "a number has at most 15 significant digits, stays below 10^12 and has at most 6 places;"
    " check whether digits were repeated or glued together.",
    severity="warning",
)
DOUBLED_SIGN = define(
    "E472",
    "{place_zh}「{text}」的正负号重复或相互矛盾，按无法识读处理",
    "{place_en} '{text}' has doubled or mixed signs; it is read as unreadable",
    "对照原表核对符号，例如 --5 应为 -5 还是 5。",
    "check the sign against the original form: is --5 meant as -5 or 5?",
    severity="warning",
)

# Full-width digits and signs as forms print them, mapped to ASCII.
_WIDE = str.maketrans("０１２３４５６７８９．－＋％，", "0123456789.-+%,")
# A figure as a form prints it in a weight, score or budget cell: ``10``, ``8.62``, ``100.00%``,
# ``1,234.5``, ``10分``, ``8.6万元``, ``150万``. Anything else is not a figure.
_FIGURE = re.compile(r"[+-]?(?:\d+(?:,\d{3})*(?:\.\d+)?|\.\d+)")
_SUFFIXES = ("分", "万元", "元", "亿元", "%", "百分比", "万")
# Two signs before the digits (``--5``, ``+-5``, ``- -5``): which one was meant cannot be known.
_SIGNS = re.compile(r"\s*[+\-－＋—–−]\s*[+\-－＋—–−]")
# A count on the command line: digits only, no sign, no point.
_COUNT = re.compile(r"[0-9]+")


def within(value: Decimal) -> bool:
    """Whether `value` is finite and inside the bounds (digits, magnitude, places)."""
    # Finite first: a signalling NaN cannot even be hashed for the cache.
    return value.is_finite() and _within(value)


# The answer depends on the value only (8.60 is 8.6), and a batch reads the same few values
# again and again: remembered, the check costs a dictionary lookup.
@lru_cache(maxsize=1 << 14)
def _within(value: Decimal) -> bool:
    if not value:
        return True
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    # Trailing zeros carry no digit of their own: 8.60 is 8.6, 1200 is 12 hundreds.
    zeros = _trailing(digits)
    last = exponent + zeros  # the power of ten of the last non-zero digit
    top = value.adjusted()  # the power of ten of the first digit
    return top < MAX_INTEGER_DIGITS and -last <= MAX_PLACES and top - last + 1 <= MAX_DIGITS


def _trailing(digits: tuple[int, ...]) -> int:
    count = 0
    for digit in reversed(digits):
        if digit:
            break
        count += 1
    return count


def _figure_text(text: str) -> str | None:
    """A cell's text as a plain numeral (``1,234.5万元`` → ``1234.5``), or None."""
    body = text.strip().translate(_WIDE)
    for suffix in _SUFFIXES:
        if body.endswith(suffix):
            body = body[: -len(suffix)].strip()
            break
    if not _FIGURE.fullmatch(body):
        return None
    return body.replace(",", "")


@lru_cache(maxsize=65536)
def figure(text: str | None) -> Decimal | None:
    """A form cell read as a figure (weight, self-score, budget amount) inside the bounds;
    ``None`` when it is not a figure, or is one outside the bounds (see `figure_problem`)."""
    if text is None:
        return None
    body = _figure_text(text)
    if body is None:
        return None
    try:
        value = Decimal(body)
    except InvalidOperation:  # pragma: no cover - the pattern admits only valid literals
        return None
    return value if within(value) else None


@lru_cache(maxsize=4096)
def figure_problem(text: str | None) -> str | None:
    """The code of why a cell that is printed as a number cannot be read as one: `OUT_OF_RANGE`
    (a figure outside the bounds) or `DOUBLED_SIGN` (``--5``); None for any other text."""
    if text is None:
        return None
    body = _figure_text(text)
    if body is not None:
        return None if within(Decimal(body)) else OUT_OF_RANGE
    if _SIGNS.match(text) and _figure_text(_SIGNS.sub("", text, count=1)) is not None:
        return DOUBLED_SIGN
    return None


# A run of digits, maybe with a point, as it stands inside a target or actual text.
_NUMERAL = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+")


# A numeral of at most this many characters is always inside the bounds (``9999999``,
# ``.000001``), so a text this short, as nearly every cell is, needs no closer look.
SHORT = 7


def numeral_problem(text: str | None) -> str | None:
    """`OUT_OF_RANGE` when a target or actual text holds a numeral outside the bounds."""
    if text is None or len(text) <= SHORT:
        return None
    for found in _NUMERAL.finditer(text.translate(_WIDE)):
        numeral = found[0].replace(",", "")
        if len(numeral) > SHORT and not within(Decimal(numeral)):
            return OUT_OF_RANGE
    return None


def count(text: str, *, low: int = 0, high: int = 10**9) -> int:
    """A whole number given on the command line (`argparse` type): digits only, ``low``–``high``.

    ``--5``, ``-5``, ``5.0`` and ``1e3`` are refused rather than read as something close.
    """
    body = text.strip()
    if not _COUNT.fullmatch(body) or len(body) > 12:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from {low} to {high}")
    value = int(body)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number from {low} to {high}")
    return value


# Units a size may carry on the command line, in bytes.
_SIZE_UNITS = {"": 1, "K": 1 << 10, "KB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "G": 1 << 30}
_SIZE = re.compile(r"([0-9]{1,12})\s*([KMG]?B?)", re.IGNORECASE)


def size(text: str) -> int:
    """A size in bytes given on the command line: ``500000``, ``200K``, ``64M``, ``2G``."""
    found = _SIZE.fullmatch(text.strip())
    unit = found[2].upper() if found else ""
    if found is None or unit not in _SIZE_UNITS or int(found[1]) == 0:
        raise argparse.ArgumentTypeError(f"'{text}' is not a size such as 500K, 64M or 2G")
    return int(found[1]) * _SIZE_UNITS[unit]
