"""Policy expressions compiled once into closures: a value, and the values it read."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from operator import attrgetter
from typing import assert_never

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.policy import model as m
from rules_engine.scorecard import Numbers

Value = Callable[[Env], Decimal]


@dataclass(frozen=True, slots=True)
class Compiled:
    """An expression ready to run: `value` computes it; `expr` is the policy's node, and
    `numbers` records the values its variables have on a line, for `render` to print the
    formula with them (``10 × 2 ÷ 3``) or with the variables named (``分值 × 实际值 ÷ 目标值``)."""

    value: Value
    expr: m.Expr
    reads: frozenset[str]

    def numbers(self, env: Env) -> Numbers:
        """The expression with the value of each variable it reads on this line."""
        return Numbers(self.expr, _values(env, self.reads), self.reads & env.percent)

    def names(self) -> frozenset[str]:
        """The variables the expression reads."""
        return self.reads


def compile_expr(expr: m.Expr) -> Compiled:
    """Compile one expression node (recursively) into its value closure."""
    return Compiled(_value(expr), expr, _names(expr))


# One node per variable, for a single variable's value shown alone.
_VARIABLES: dict[str, m.Var] = {}


def variable(env: Env, name: str, value: Decimal) -> Numbers:
    """One variable's value on this line (printed as a percentage when read from ``%``)."""
    node = _VARIABLES.get(name)
    if node is None:
        node = _VARIABLES[name] = m.Var(name=name)
    return Numbers(node, ((name, value),), frozenset({name}) & env.percent)


def _values(env: Env, names: frozenset[str]) -> tuple[tuple[str, Decimal], ...]:
    """Each variable's value, in name order (a missing one is left out: it prints as ``?``)."""
    found = []
    for name in sorted(names):
        got: Decimal | None = getattr(env, name, None)
        if got is not None:
            found.append((name, got))
    return tuple(found)


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
