"""Exact intervals of Decimals, the one interval type of the policy checks: emptiness,
intersections, overlaps and gaps of bands."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rules_engine.values import plain


@dataclass(frozen=True)
class Interval:
    """A set of numbers between two ends, each open or closed; ``None`` ends are infinite."""

    low: Decimal | None
    high: Decimal | None
    low_closed: bool = True
    high_closed: bool = False

    @classmethod
    def closed(cls, low: Decimal | int | str, high: Decimal | int | str) -> Interval:
        """``[low, high]``."""
        return cls(Decimal(low), Decimal(high), True, True)

    @classmethod
    def at_least(cls, low: Decimal | int | str, closed: bool = True) -> Interval:
        """``[low, +∞)`` (or ``(low, +∞)``)."""
        return cls(Decimal(low), None, closed, False)

    @classmethod
    def below(cls, high: Decimal | int | str, closed: bool = False) -> Interval:
        """``(-∞, high)`` (or ``(-∞, high]``)."""
        return cls(None, Decimal(high), False, closed)

    def is_empty(self) -> bool:
        """True when no number lies inside."""
        if self.low is None or self.high is None:
            return False
        if self.low > self.high:
            return True
        return self.low == self.high and not (self.low_closed and self.high_closed)

    def contains(self, x: Decimal) -> bool:
        """Whether `x` lies inside."""
        if self.low is not None and (x < self.low or (x == self.low and not self.low_closed)):
            return False
        return not (
            self.high is not None and (x > self.high or (x == self.high and not self.high_closed))
        )

    def intersect(self, other: Interval) -> Interval | None:
        """The common part, or ``None`` when the two do not meet."""
        low, low_closed = _max_low(self, other)
        high, high_closed = _min_high(self, other)
        out = Interval(low, high, low_closed, high_closed)
        return None if out.is_empty() else out

    def minus(self, other: Interval) -> list[Interval]:
        """What is left of this interval once `other` is taken out (zero, one or two pieces)."""
        pieces: list[Interval] = []
        if other.low is not None:
            left = self.intersect(Interval(None, other.low, False, not other.low_closed))
            if left is not None:
                pieces.append(left)
        if other.high is not None:
            right = self.intersect(Interval(other.high, None, not other.high_closed, False))
            if right is not None:
                pieces.append(right)
        return pieces

    def sample(self) -> Decimal | None:
        """One number inside (the middle when both ends are finite), or ``None`` when empty."""
        if self.is_empty():
            return None
        if self.low is not None and self.high is not None:
            if self.low == self.high:
                return self.low
            return (self.low + self.high) / 2
        if self.low is not None:
            return self.low if self.low_closed else self.low + 1
        if self.high is not None:
            return self.high if self.high_closed else self.high - 1
        return Decimal(0)

    def format(self, show: Callable[[Decimal], str] = plain) -> str:
        """Mathematical notation: ``[60%, 80%)``, ``(-∞, 0)``, ``{5}`` for a single point."""
        if self.low is not None and self.low == self.high and self.low_closed and self.high_closed:
            return "{" + show(self.low) + "}"
        left = "[" if self.low_closed and self.low is not None else "("
        right = "]" if self.high_closed and self.high is not None else ")"
        low = "-∞" if self.low is None else show(self.low)
        high = "+∞" if self.high is None else show(self.high)
        return f"{left}{low}, {high}{right}"

    def __str__(self) -> str:
        return self.format()


def _max_low(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.low is None:
        return b.low, b.low_closed
    if b.low is None or a.low > b.low:
        return a.low, a.low_closed
    if b.low > a.low:
        return b.low, b.low_closed
    return a.low, a.low_closed and b.low_closed


def _min_high(a: Interval, b: Interval) -> tuple[Decimal | None, bool]:
    if a.high is None:
        return b.high, b.high_closed
    if b.high is None or a.high < b.high:
        return a.high, a.high_closed
    if b.high < a.high:
        return b.high, b.high_closed
    return a.high, a.high_closed and b.high_closed


def gaps(pieces: Iterable[Interval], within: Interval) -> list[Interval]:
    """The parts of `within` that no piece covers, in increasing order."""
    left = [within]
    for piece in pieces:
        left = [rest for part in left for rest in part.minus(piece)]
    return sorted(left, key=_order)


def overlaps(pieces: Sequence[Interval]) -> list[tuple[int, int, Interval]]:
    """Every pair of pieces that share numbers: ``(i, j, common part)`` with ``i < j``."""
    found: list[tuple[int, int, Interval]] = []
    for i, a in enumerate(pieces):
        for j in range(i + 1, len(pieces)):
            common = a.intersect(pieces[j])
            if common is not None:
                found.append((i, j, common))
    return found


def _order(iv: Interval) -> tuple[int, Decimal, int]:
    if iv.low is None:
        return (0, Decimal(0), 0)
    return (1, iv.low, 0 if iv.low_closed else 1)
