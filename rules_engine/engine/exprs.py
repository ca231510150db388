"""Policy expressions compiled once into closures: a value, and the formula with its numbers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from operator import attrgetter

from rules_engine.engine.env import VARIABLE_NAMES, Env, Unevaluable
from rules_engine.engine.numbers import show
from rules_engine.policy import model as m

Value = Callable[[Env], Decimal]
Text = Callable[[Env], str]

_SIGN = {"+": "+", "-": "−", "*": "×", "/": "÷"}
_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
_ATOM = 3


@dataclass(frozen=True, slots=True)
class Compiled:
    """An expression ready to run: `value` computes it, `filled` prints it with the numbers used,
    `zh` / `en` print it with the variables named (``分值 × 实际值 ÷ 目标值``)."""

    value: Value
    filled: Text
    zh: str
    en: str
    precedence: int


def compile_expr(expr: m.Expr) -> Compiled:
    """Compile one expression node (recursively)."""
    if isinstance(expr, m.Num):
        return _num(expr)
    if isinstance(expr, m.Var):
        return _var(expr.name)
    if isinstance(expr, m.Neg):
        return _neg(compile_expr(expr.operand))
    if isinstance(expr, m.BinOp):
        return _bin(expr.op, compile_expr(expr.left), compile_expr(expr.right))
    return _call(expr.fn, [compile_expr(a) for a in expr.args])


def show_var(env: Env, name: str, value: Decimal) -> str:
    """A variable's value as the explanation prints it (a percentage when read from ``%``)."""
    if name in env.percent:
        return show(value * 100) + "%"
    return show(value)


def _num(node: m.Num) -> Compiled:
    value = node.value
    text = show(value * 100) + "%" if node.percent else show(value)
    return Compiled(lambda env: value, lambda env: text, text, text, _ATOM)


def _var(name: str) -> Compiled:
    get = attrgetter(name)

    def value(env: Env) -> Decimal:
        got: Decimal | None = get(env)
        if got is None:
            raise Unevaluable(name)
        return got

    def filled(env: Env) -> str:
        got: Decimal | None = get(env)
        return "?" if got is None else show_var(env, name, got)

    zh, en = VARIABLE_NAMES.get(name, (name, name))
    return Compiled(value, filled, zh, en, _ATOM)


def _neg(inner: Compiled) -> Compiled:
    run = inner.value

    def wrap(text: str) -> str:
        return f"−{text}" if inner.precedence == _ATOM else f"−({text})"

    return Compiled(
        lambda env: -run(env),
        lambda env: wrap(inner.filled(env)),
        wrap(inner.zh),
        wrap(inner.en),
        _ATOM,
    )


def _bin(op: str, left: Compiled, right: Compiled) -> Compiled:
    prec = _PRECEDENCE[op]
    lv, rv = left.value, right.value
    run: Value
    if op == "+":
        run = lambda env: lv(env) + rv(env)  # noqa: E731 - one closure per operator keeps it fast
    elif op == "-":
        run = lambda env: lv(env) - rv(env)  # noqa: E731
    elif op == "*":
        run = lambda env: lv(env) * rv(env)  # noqa: E731
    else:

        def run(env: Env) -> Decimal:
            divisor = rv(env)
            if divisor == 0:
                raise Unevaluable("÷0")
            return lv(env) / divisor

    # The right operand of − and ÷ needs brackets at equal precedence: a − (b − c).
    left_wrap = left.precedence < prec
    right_wrap = right.precedence < prec or (right.precedence == prec and op in "-/")
    sign = _SIGN[op]

    def join(a: str, b: str) -> str:
        a = f"({a})" if left_wrap else a
        b = f"({b})" if right_wrap else b
        return f"{a} {sign} {b}"

    lf, rf = left.filled, right.filled
    return Compiled(
        run,
        lambda env: join(lf(env), rf(env)),
        join(left.zh, right.zh),
        join(left.en, right.en),
        prec,
    )


def _call(fn: str, args: list[Compiled]) -> Compiled:
    runs = [a.value for a in args]
    run: Value
    if fn == "min":
        run = lambda env: min(r(env) for r in runs)  # noqa: E731
    elif fn == "max":
        run = lambda env: max(r(env) for r in runs)  # noqa: E731
    elif fn == "abs":
        run = lambda env: abs(runs[0](env))  # noqa: E731
    elif fn == "floor":
        run = lambda env: runs[0](env).to_integral_value(ROUND_FLOOR)  # noqa: E731
    elif fn == "ceil":
        run = lambda env: runs[0](env).to_integral_value(ROUND_CEILING)  # noqa: E731
    else:  # pragma: no cover - the compiler admits only the FUNCTIONS of the policy model
        raise ValueError(f"unknown function {fn}")

    def wrap(parts: list[str]) -> str:
        return f"{fn}({', '.join(parts)})"

    return Compiled(
        run,
        lambda env: wrap([a.filled(env) for a in args]),
        wrap([a.zh for a in args]),
        wrap([a.en for a in args]),
        _ATOM,
    )
