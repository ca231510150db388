"""The one home of how numbers are printed for people: in steps, tables and reports.

`values.plain` writes a Decimal exactly (what JSON, CSV and the archive keep); the printers
here are for reading: a computed figure cut with ``…``, a score with its places, a rate as a
percentage, a formula with its numbers filled in.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from rules_engine.diagnostics import Lang
from rules_engine.policy import model as m
from rules_engine.policy import show as printer
from rules_engine.scorecard import Numbers
from rules_engine.signs import SIGNS
from rules_engine.values import plain

# Digits shown after the point of a figure that is not yet rounded (``6.6666…``).
SHOW_PLACES = 4
_HUNDRED = Decimal(100)

# Printed figures, remembered: a batch prints the same weights, scores and targets again and
# again. Equal Decimals print alike here (the text depends on the value, not its exponent).
_SHOWN: dict[Decimal, str] = {}
_SHOWN_LIMIT = 1 << 14


def show(value: Decimal) -> str:
    """A figure as a step prints it: plain, and cut at 4 places with ``…`` when it runs longer."""
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
    cut = value.quantize(Decimal(1).scaleb(-SHOW_PLACES), rounding=ROUND_DOWN)
    return format(cut, "f") + "…"


def fixed(value: Decimal, places: int = 2) -> str:
    """A rounded score with at least `places` places (``6.67``, ``10.00``); never rounds it."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent >= places:
        return format(value, "f")
    return format(value.quantize(Decimal(1).scaleb(-places)), "f")


def signed(value: Decimal, places: int = 2) -> str:
    """A difference with its sign: ``+2.00``, ``-1.33``, ``0.00``."""
    text = fixed(value, places)
    return f"+{text}" if value > 0 else text


def percent(fraction: Decimal, places: int = 2) -> str:
    """A fraction as a percentage, half up to `places` (``0.862`` → ``86.20%``)."""
    shown = (fraction * _HUNDRED).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return f"{format(shown, 'f')}%"


def figure(value: Decimal, is_percent: bool = False) -> str:
    """A variable's value as read from its cell: ``0.98`` read from ``98%`` prints ``98%``."""
    return show(value * _HUNDRED) + "%" if is_percent else show(value)


def literal(node: m.Num) -> str:
    """A number the policy writes, as an explanation prints it (``100%``, ``2``)."""
    return figure(node.value, node.percent)


def filled(numbers: Numbers) -> str:
    """An expression with the numbers of a line in place of its variables (``10 × 2 ÷ 3``)."""
    values = dict(numbers.values)
    return printer.expr(
        numbers.expr,
        names=lambda name: figure(values[name], name in numbers.percent) if name in values else "?",
        numbers=literal,
        signs=printer.MATH_SIGNS,
    )


def exact(value: Decimal) -> str:
    """The value exactly (``95``, ``0.5``): cells and figures a person typed."""
    return plain(value)


def compared(op: str, value: Decimal, unit: str | None) -> str:
    """A comparison read from a cell: ``≥ 95%``, ``≤ 8.6万元``."""
    return f"{SIGNS[op]} {plain(value)}{unit or ''}"


def span(low: Decimal, high: Decimal, unit: str | None, lang: Lang) -> str:
    """A range read from a cell: ``3～5家`` (``3 to 5家`` in English)."""
    sep = "～" if lang == "zh" else " to "
    return f"{plain(low)}{sep}{plain(high)}{unit or ''}"
