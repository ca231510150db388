"""Syntax nodes of the policy language's leaves and expressions: source spans, words, numbers,
arithmetic and the tests a condition makes."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Pos:
    """A source span: 1-based line and column of its first and last-plus-one character."""

    line: int
    col: int
    end_line: int
    end_col: int

    @property
    def width(self) -> int:
        """Characters covered on the first line (at least 1)."""
        return max(self.end_col - self.col, 1) if self.end_line == self.line else 0


@dataclass(frozen=True, slots=True)
class Word:
    """A name, a path segment or a quoted text: `text` without quotes, `quoted` if it had them."""

    text: str
    quoted: bool
    pos: Pos


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal as written (`text`), its value (``80%`` → 0.8) and whether it had ``%``."""

    text: str
    value: Decimal
    percent: bool
    pos: Pos


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name inside an expression: a variable (``actual``) or a term (``达成``)."""

    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Unbounded:
    """``*`` or ``∞`` as an interval end."""

    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class BinaryOp:
    """``left op right`` with op ``+ - * /`` (``×`` and ``÷`` are read as ``*`` and ``/``)."""

    op: str
    left: Expr
    right: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class Negate:
    """``-operand``."""

    operand: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class Call:
    """``name(arg, …)``."""

    name: Name
    args: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Comparison:
    """``left op right`` (op as written: ``>=``, ``≥``, ``=``, …)."""

    left: Expr
    op: str
    right: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class IntervalLit:
    """``[low, high)``: brackets as written; ``Unbounded`` ends for ``*``."""

    low_bracket: str
    low: Expr | Unbounded
    high: Expr | Unbounded
    high_bracket: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class InTest:
    """``subject in [a, b)``."""

    subject: Expr
    interval: IntervalLit
    pos: Pos


@dataclass(frozen=True, slots=True)
class IsTest:
    """``subject is [not] shape`` (``target is term``, ``note is empty``, ``actual is 达成``)."""

    subject: Expr
    negated: bool
    shape: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class MeetsTest:
    """``left meets right`` (``actual meets target``)."""

    left: Expr
    right: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class AndTest:
    """``a and b and …``."""

    items: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class OrTest:
    """``a or b or …``."""

    items: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class NotTest:
    """``not item``."""

    item: Expr
    pos: Pos


Expr = (
    Number
    | Name
    | BinaryOp
    | Negate
    | Call
    | Comparison
    | InTest
    | IsTest
    | MeetsTest
    | AndTest
    | OrTest
    | NotTest
)
