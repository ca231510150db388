"""Turn a parse of grammar/target.lark into a cell value, one method per rule (trees stop here)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from decimal import Decimal

from lark import Token, Transformer

from rules_engine.target_messages import (
    CONFLICTING_OPERATORS,
    DAMAGED_UNIT,
    LEADING_ZEROS,
    MIXED_UNITS,
    NOT_A_DATE,
    REVERSED_RANGE,
    SEVERAL_NUMBERS,
    UNREADABLE,
    unknown,
)
from rules_engine.values import CellValue, Compare, DateValue, Op, Range, Unknown

__all__ = ["TermText", "ToValue", "damaged_unit", "leading_zeros"]


@dataclass(frozen=True)
class _Op:
    op: Op


@dataclass(frozen=True)
class _Prefix:
    ops: tuple[Op, ...]
    per: tuple[str, ...]  # the words after 每 (`每人每月` -> 人, 月)


@dataclass(frozen=True)
class _Amount:
    value: Decimal
    digits: str  # as printed, so that `000` can be told from `0`


@dataclass(frozen=True)
class _Unit:
    text: str


@dataclass(frozen=True)
class _Ending:
    month_end: bool


@dataclass(frozen=True)
class _Done:
    share: Decimal | None  # `完成100%` -> 100


@dataclass(frozen=True)
class TermText:
    """A text with no digit; the reader decides between a term and an unknown."""


_WORD_OPS: dict[str, Op] = {
    "GE_WORD": ">=",
    "LE_WORD": "<=",
    "GT_WORD": ">",
    "LT_WORD": "<",
    "EQ_WORD": "=",
    "GE_AFTER": ">=",
    "LE_AFTER": "<=",
}
_SYMBOL_OPS: dict[str, Op] = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "="}
_UNIT_TOKENS = {"UNIT", "YEAR", "MONTH", "DAY"}
# 万 is a magnitude, not a unit of its own when a word follows: 550万粒 is 550 of 万粒.
_MAGNITUDE = "万"
_HUNDRED = Decimal(100)

# No unit of a form is spelt with these: where they stand after a number, the scan damaged the
# text (`290$`). `%`, `‰`, `*` (元/人*月), `/` and brackets are real.
_DAMAGE_CHARS = frozenset("$#@&?!^_|\\[]{}\"'`¥￥€£")
# An integer part with a leading zero (`000`, `07`): a digit in front was lost.
_LEADING_ZEROS = re.compile(r"[-+]?0[0-9]")


def damaged_unit(unit: str | None) -> bool:
    """Whether a unit as printed holds a character no real unit has (`$`, `#`, `?` …)."""
    return unit is not None and any(char in _DAMAGE_CHARS for char in unit)


def leading_zeros(digits: str) -> bool:
    """Whether a number as printed starts with a zero followed by another digit (`000`, `05`)."""
    return _LEADING_ZEROS.match(digits) is not None


def _int(value: Decimal) -> int | None:
    return int(value) if value == value.to_integral_value() else None


def _iso(year: int | None, month: int | None, day: int | None) -> str | Unknown:
    """ISO text for a date, month or year; ``--MM-DD`` / ``--MM`` when the year is not printed."""
    if month is not None and not 1 <= month <= 12:
        return unknown(NOT_A_DATE)
    if day is not None:
        last = calendar.monthrange(year if year is not None else 2000, month or 1)[1]
        if not 1 <= day <= last:
            return unknown(NOT_A_DATE)
    head = f"{year:04d}" if year is not None else "-"
    if month is None:
        return head
    text = f"{head}-{month:02d}"
    return text if day is None else f"{text}-{day:02d}"


def _last_day(year: int | None, month: int) -> int:
    # Without a year February ends on the 28th: the common case for a deadline.
    return calendar.monthrange(year if year is not None else 2001, month)[1]


def _unit_text(tokens: list[Token], rate: str) -> str:
    first, rest = tokens[0], tokens[1:]
    if first == _MAGNITUDE and rest:
        return _MAGNITUDE + _unit_text(rest, rate)
    words_follow = any(t.type not in _UNIT_TOKENS for t in rest)
    if first.type == "UNIT" and words_follow and not rate:
        # A known unit followed by words: the words are a remark (`100%覆盖`, `2次宣传`).
        return str(first)
    return "".join(tokens) + rate


def _damage(amounts: list[_Amount], units: list[str | None]) -> Unknown | None:
    """A number or unit that was printed damaged: say so rather than read it literally."""
    if any(leading_zeros(a.digits) for a in amounts):
        return unknown(LEADING_ZEROS)
    if any(damaged_unit(u) for u in units):
        return unknown(DAMAGED_UNIT)
    return None


def _date_with(value: CellValue, children: list[object]) -> CellValue:
    """A date followed by `完成N%`: N other than 100 is a second value beside the date."""
    done = next((c for c in children if isinstance(c, _Done)), None)
    if done is not None and done.share is not None and done.share != _HUNDRED:
        return unknown(SEVERAL_NUMBERS)
    return value


class ToValue(Transformer[Token, object]):
    """Turn a parse tree of grammar/target.lark into a CellValue (role-free: a target reading)."""

    # --- start and term

    def start(self, children: list[object]) -> object:
        return children[0]

    def term(self, children: list[Token]) -> TermText:
        return TermText()

    # --- quantities

    def quantity(self, children: list[object]) -> CellValue:
        prefix = _Prefix((), ())
        amount = _Amount(Decimal(0), "0")
        unit: str | None = None
        ops: set[Op] = set()
        for child in children:
            if isinstance(child, _Prefix):
                prefix = child
                ops.update(child.ops)
            elif isinstance(child, _Amount):
                amount = child
            elif isinstance(child, _Unit):
                unit = child.text
            elif isinstance(child, _Op):
                ops.add(child.op)
        damage = _damage([amount], [unit])
        if damage is not None:
            return damage
        if len(ops) > 1:
            return unknown(CONFLICTING_OPERATORS)
        if prefix.per:
            # 每月3次 is 3 次/月; 每亩300 has no unit of its own and keeps 每亩 as printed.
            unit = "/".join((unit, *prefix.per)) if unit else "每" + "每".join(prefix.per)
        op: Op = ops.pop() if ops else "="
        return Compare(op=op, value=amount.value, unit=unit)

    def prefix(self, children: list[object]) -> _Prefix:
        ops = tuple(c.op for c in children if isinstance(c, _Op))
        per = tuple(c[1:] for c in children if isinstance(c, Token) and c.type == "PER")
        return _Prefix(ops, per)

    def before(self, children: list[Token]) -> _Op:
        token = children[0]
        return _Op(_SYMBOL_OPS[token] if token.type == "OP_SYMBOL" else _WORD_OPS[token.type])

    def after(self, children: list[Token]) -> _Op:
        return _Op(_WORD_OPS[children[0].type])

    def amount(self, children: list[Token]) -> _Amount:
        digits = str(children[-1])
        negative = len(children) > 1 and children[0].type == "DASH"
        return _Amount(-Decimal(digits) if negative else Decimal(digits), digits)

    def unit(self, children: list[object]) -> _Unit:
        tokens = [c for c in children if isinstance(c, Token)]
        rate = "".join(c for c in children if isinstance(c, str) and not isinstance(c, Token))
        return _Unit(_unit_text(tokens, rate))

    def rate(self, children: list[Token]) -> str:
        return "/" + "".join(children)

    def remark(self, children: list[Token]) -> str:
        return "".join(children)

    # --- ranges

    def range(self, children: list[object]) -> CellValue:
        low = children[0]
        assert isinstance(low, _Amount)
        high = next(c for c in children if isinstance(c, Token) and c.type == "NUMBER")
        units = [(i, c.text) for i, c in enumerate(children) if isinstance(c, _Unit)]
        # A unit at index 1 stands right after the low bound; any other one follows the high.
        low_unit = next((text for i, text in units if i == 1), None)
        high_unit = next((text for i, text in units if i > 1), None)
        damage = _damage([low, _Amount(Decimal(high), str(high))], [low_unit, high_unit])
        if damage is not None:
            return damage
        if low_unit and high_unit and low_unit != high_unit:
            return unknown(MIXED_UNITS)
        if low.value > Decimal(high):
            return unknown(REVERSED_RANGE)
        return Range(low=low.value, high=Decimal(high), unit=high_unit or low_unit)

    def plus_minus(self, children: list[object]) -> CellValue:
        digits = str(children[1])
        unit = children[2].text if len(children) > 2 and isinstance(children[2], _Unit) else None
        damage = _damage([_Amount(Decimal(digits), digits)], [unit])
        if damage is not None:
            return damage
        return Range(low=-Decimal(digits), high=Decimal(digits), unit=unit)

    # --- dates

    def year(self, children: list[Token]) -> int:
        return int(children[0])

    def month(self, children: list[Token]) -> int | None:
        return _int(Decimal(str(children[0])))

    def day(self, children: list[Token]) -> int | None:
        return _int(Decimal(str(children[0])))

    def ending(self, children: list[Token]) -> _Ending:
        return _Ending(month_end=any(t.type == "MONTH_END" for t in children))

    def done(self, children: list[object]) -> _Done:
        return _Done(share=next((c for c in children if isinstance(c, Decimal)), None))

    def share(self, children: list[Token]) -> Decimal:
        return Decimal(str(children[0]))

    def _date(self, year: int | None, children: list[object]) -> CellValue:
        numbers = [c for c in children if isinstance(c, int) or c is None]
        ending = next((c for c in children if isinstance(c, _Ending)), _Ending(False))
        month = numbers[0] if numbers else None
        day = numbers[1] if len(numbers) > 1 else None
        if (numbers and month is None) or (len(numbers) > 1 and day is None):
            return unknown(NOT_A_DATE)
        if ending.month_end and day is None:
            if month is None:
                month, day = 12, 31
            elif 1 <= month <= 12:
                day = _last_day(year, month)
        text = _iso(year, month, day)
        value = text if isinstance(text, Unknown) else DateValue(value=text)
        return _date_with(value, children)

    def full_date(self, children: list[object]) -> CellValue:
        year = children[0]
        assert isinstance(year, int)
        return self._date(year, [c for c in children[1:] if not isinstance(c, Token)])

    def month_date(self, children: list[object]) -> CellValue:
        return self._date(None, [c for c in children if not isinstance(c, Token)])

    def dotted_date(self, children: list[object]) -> CellValue:
        year, month, day = (int(p) for p in re.split(r"[./-]", str(children[0])))
        text = _iso(year, month, day)
        value = text if isinstance(text, Unknown) else DateValue(value=text)
        return _date_with(value, children)

    def dotted_month(self, children: list[object]) -> CellValue:
        printed = str(children[0])
        year, month = (int(p) for p in printed.split("." if "." in printed else "/"))
        return _date_with(DateValue(value=f"{year:04d}-{month:02d}"), children)

    def date(self, children: list[object]) -> CellValue:
        prefix, value = (children[0], children[1]) if len(children) > 1 else (None, children[0])
        if isinstance(prefix, _Prefix) and (prefix.ops or prefix.per):
            # `≥2021年` or `每月15日前` is no single deadline.
            return unknown(UNREADABLE)
        assert isinstance(value, (DateValue, Unknown))
        return value

    def year_end(self, children: list[Token]) -> CellValue:
        # 年底前, 年内完成: the end of the form's year, which the cell does not print.
        return DateValue(value="--12-31")

    # --- periods: a span of time has no single date, so the value is null

    def date_period(self, children: list[object]) -> CellValue:
        return DateValue(value=None)

    def month_period(self, children: list[object]) -> CellValue:
        # The first month is a number (`1-12月`); the last was read by `month` (None: not whole).
        first = next((c for c in children if isinstance(c, (Token, _Amount))), None)
        start = first.value if isinstance(first, _Amount) else first
        months = [_int(Decimal(start)) if start is not None else None, children[-1]]
        if any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            return unknown(NOT_A_DATE)
        return DateValue(value=None)

    def year_period(self, children: list[object]) -> CellValue:
        low = children[0]
        assert isinstance(low, _Amount)
        if not Decimal(1900) <= low.value <= Decimal(2100):
            return unknown(NOT_A_DATE)
        return DateValue(value=None)
