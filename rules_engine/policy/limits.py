"""How big a policy may be and where it may come from (`Limits`), and the bounded number rule
its literals follow (`number_problem`).

Each limit has a default that no real policy comes near, a command-line flag to change it, and
a ceiling the flag cannot pass: beyond it the compiler itself would run out of stack. The number
rule is the one forms are read under: at most 15 significant digits, a magnitude of at most
10^12 and at most 10 decimal places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

# The bounded number rule (the same bounds as the form reader's).
SIGNIFICANT_DIGITS = 15
MAGNITUDE = Decimal(10) ** 12
PLACES = 10

# Defaults and ceilings of the limits a user may change with a flag.
EXTENDS_DEPTH = 10
EXTENDS_DEPTH_CEILING = 50
EXPRESSION_DEPTH = 24
EXPRESSION_DEPTH_CEILING = 40
EXPRESSION_TERMS = 100
EXPRESSION_TERMS_CEILING = 200
FILE_BYTES = 1 << 20
FILE_BYTES_CEILING = 64 << 20


@dataclass(frozen=True)
class Limits:
    """The limits one run reads policies under.

    `extends_depth`: how many policies an `extends` chain may climb above the one asked for;
    `expression_depth`: how deeply an expression or condition may nest (brackets, minus signs,
    `not`, calls); `expression_terms`: how many numbers and names one expression may hold;
    `file_bytes`: the largest policy file read. `policy_path`: folders besides the extending
    file's own where `extends` may find a file (`--policy-path`).
    """

    extends_depth: int = EXTENDS_DEPTH
    expression_depth: int = EXPRESSION_DEPTH
    expression_terms: int = EXPRESSION_TERMS
    file_bytes: int = FILE_BYTES
    policy_path: tuple[Path, ...] = ()


DEFAULT = Limits()

# How each limit is named in messages: its flag.
FLAGS = {
    "extends_depth": "--max-extends-depth",
    "expression_depth": "--max-expression-depth",
    "expression_terms": "--max-expression-terms",
    "file_bytes": "--max-policy-size",
}


def number_problem(value: Decimal) -> tuple[str, str] | None:
    """Why `value` breaks the bounded number rule, in Chinese and English; ``None`` if it
    keeps it. Trailing zeros do not count as digits (``1.500`` has 2 significant digits)."""
    if not value.is_finite():
        return "不是有限的数", "not a finite number"
    if abs(value) > MAGNITUDE:
        return "绝对值大于 10^12", "its magnitude is above 10^12"
    if value == 0:
        return None
    _sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite, checked above
    # Exact, whatever the context's precision (normalize() would round past 28 digits).
    trailing = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    digits, exponent = digits[: len(digits) - trailing], exponent + trailing
    if -exponent > PLACES:
        return f"小数位多于 {PLACES} 位", f"it has more than {PLACES} decimal places"
    if len(digits) > SIGNIFICANT_DIGITS:
        return (
            f"有效数字多于 {SIGNIFICANT_DIGITS} 位",
            f"it has more than {SIGNIFICANT_DIGITS} significant digits",
        )
    return None


def parse_size(text: str) -> int:
    """A size as a user writes it: bytes, or with ``K``/``M`` (``512K``, ``2M``)."""
    cleaned = text.strip().upper().removesuffix("B").removesuffix("I")
    scale = 1
    if cleaned.endswith("K"):
        scale, cleaned = 1 << 10, cleaned[:-1]
    elif cleaned.endswith("M"):
        scale, cleaned = 1 << 20, cleaned[:-1]
    if not cleaned.isdigit() or len(cleaned) > 12:
        raise ValueError(text)
    return int(cleaned) * scale
