"""Policy expressions compiled once into closures: a value, and the formula with its numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from operator import attrgetter
from typing import assert_never

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.numbers import show
from rules_engine.policy import model as m
from rules_engine.policy import show as printer

Value = Callable[[Env], Decimal]


@dataclass(frozen=True, slots=True)
class Compiled:
    """An expression ready to run: `value` computes it; `expr` is the policy's node, which
    `filled` prints with the numbers of a line (``10 × 2 ÷ 3``) and `render` with the variables
    named (``分值 × 实际值 ÷ 目标值``)."""

    value: Value
    expr: m.Expr

    def filled(self, env: Env) -> str:
        """The formula with each variable replaced by its value on this line."""
        return printer.expr(
            self.expr,
            names=lambda name: _shown(env, name),
            numbers=literal,
            signs=printer.MATH_SIGNS,
        )

    def names(self) -> frozenset[str]:
        """The variables the expression reads."""
        return _names(self.expr)


def compile_expr(expr: m.Expr) -> Compiled:
    """Compile one expression node (recursively) into its value closure."""
    return Compiled(_value(expr), expr)


def literal(node: m.Num) -> str:
    """A number the policy writes, as an explanation prints it (``100%``, ``2``)."""
    return show(node.value * 100) + "%" if node.percent else show(node.value)


def show_var(env: Env, name: str, value: Decimal) -> str:
    """A variable's value as the explanation prints it (a percentage when read from ``%``)."""
    if name in env.percent:
        return show(value * 100) + "%"
    return show(value)


def _shown(env: Env, name: str) -> str:
    got: Decimal | None = getattr(env, name, None)
    return "?" if got is None else show_var(env, name, got)


def _names(expr: m.Expr) -> frozenset[str]:
    match expr:
        case m.Num():
            return frozenset()
        case m.Var(name=name):
            return frozenset({name})
        case m.Neg(operand=operand):
            return _names(operand)
        case m.BinOp(left=left, right=right):
            return _names(left) | _names(right)
        case m.Call(args=args):
            return frozenset().union(*(_names(a) for a in args))
        case _:
            assert_never(expr)


def _value(expr: m.Expr) -> Value:
    match expr:
        case m.Num(value=number):
            return lambda env: number
        case m.Var(name=name):
            return _var(name)
        case m.Neg(operand=operand):
            inner = _value(operand)
            return lambda env: -inner(env)
        case m.BinOp(op=op, left=left, right=right):
            return _bin(op, _value(left), _value(right))
        case m.Call(fn=fn, args=args):
            return _call(fn, [_value(a) for a in args])
        case _:
            assert_never(expr)


def _var(name: str) -> Value:
    get = attrgetter(name)

    def value(env: Env) -> Decimal:
        got: Decimal | None = get(env)
        if got is None:
            raise Unevaluable(name)
        return got

    return value


def _bin(op: str, lv: Value, rv: Value) -> Value:
    if op == "+":
        return lambda env: lv(env) + rv(env)
    if op == "-":
        return lambda env: lv(env) - rv(env)
    if op == "*":
        return lambda env: lv(env) * rv(env)

    def divide(env: Env) -> Decimal:
        divisor = rv(env)
        if divisor == 0:
            raise Unevaluable("÷0")
        return lv(env) / divisor

    return divide


def _call(fn: str, runs: list[Value]) -> Value:
    if fn == "min":
        return lambda env: min(r(env) for r in runs)
    if fn == "max":
        return lambda env: max(r(env) for r in runs)
    if fn == "abs":
        return lambda env: abs(runs[0](env))
    if fn == "floor":
        return lambda env: runs[0](env).to_integral_value(ROUND_FLOOR)
    if fn == "ceil":
        return lambda env: runs[0](env).to_integral_value(ROUND_CEILING)
    # The compiler admits only the FUNCTIONS of the policy model.
    raise ValueError(f"unknown function {fn}")  # pragma: no cover
