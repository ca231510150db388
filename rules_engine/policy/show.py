"""Write compiled-policy nodes back as text: policy text for messages, and the one expression
printer every explanation uses (with variables named, or with their numbers filled in)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import assert_never

from rules_engine.policy import model as m
from rules_engine.values import plain

_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2}
# Operators as the policy writes them, and as an explanation prints them.
POLICY_SIGNS: Mapping[str, str] = {"+": "+", "-": "-", "*": "*", "/": "/"}
MATH_SIGNS: Mapping[str, str] = {"+": "+", "-": "−", "*": "×", "/": "÷"}


def number(value: Decimal, percent: bool = False) -> str:
    """A literal as the policy writes it (``0.8`` with percent → ``80%``)."""
    return plain(value * 100) + "%" if percent else plain(value)


def expr(
    node: m.Expr | None,
    outer: int = 0,
    *,
    names: Callable[[str], str] | None = None,
    numbers: Callable[[m.Num], str] | None = None,
    signs: Mapping[str, str] = POLICY_SIGNS,
) -> str:
    """An expression with only the parentheses it needs.

    By default it reads as the policy writes it (``weight * actual / target``); `names` words
    each variable (``分值``, or its number for a formula with the numbers filled in), `numbers`
    each literal, and `signs` the operators (`MATH_SIGNS`: ``10 × 2 ÷ 3``).
    """
    return _walk(node, outer, names, numbers, signs)


def _walk(
    item: m.Expr | None,
    level_out: int,
    names: Callable[[str], str] | None,
    numbers: Callable[[m.Num], str] | None,
    signs: Mapping[str, str],
) -> str:
    # A module function, not a closure in `expr`: a recursive closure is a reference cycle,
    # left for the cycle collector after each of the many expressions an explanation prints.
    match item:
        case None:
            return "*"
        case m.Num():
            return numbers(item) if numbers is not None else number(item.value, item.percent)
        case m.Var():
            return names(item.name) if names is not None else item.name
        case m.Neg():
            return signs["-"] + _walk(item.operand, 3, names, numbers, signs)
        case m.Call():
            args = ", ".join(_walk(a, 0, names, numbers, signs) for a in item.args)
            return f"{item.fn}({args})"
        case m.BinOp():
            level = _PRECEDENCE[item.op]
            # the right operand of - and / needs brackets at the same level: a - (b - c)
            right = _walk(item.right, level + (1 if item.op in "-/" else 0), names, numbers, signs)
            left = _walk(item.left, level, names, numbers, signs)
            text = f"{left} {signs[item.op]} {right}"
            return f"({text})" if level < level_out else text
        case _:
            assert_never(item)


def interval(node: m.Interval) -> str:
    """``[80%, 100%]``, ``[90%, *)``."""
    left = "[" if node.low_closed else "("
    right = "]" if node.high_closed else ")"
    return f"{left}{expr(node.low)}, {expr(node.high)}{right}"


def cond(node: m.Cond, outer: int = 0) -> str:  # noqa: PLR0911
    """A condition as written in a ``when``."""
    match node:
        case m.Always():
            return "otherwise"
        case m.Compare():
            return f"{expr(node.left)} {node.op} {expr(node.right)}"
        case m.InInterval():
            return f"{expr(node.subject)} in {interval(node.interval)}"
        case m.Meets():
            return "actual meets target"
        case m.ShapeIs():
            return f"{node.subject} is {node.shape}"
        case m.TermIs():
            return f"{node.subject} is {node.vocabulary}"
        case m.IsEmpty():
            return f"{node.field} is empty"
        case m.OutcomeIs():
            return "outcome is " + ", ".join(node.outcomes)
        case m.Check():
            return node.name
        case m.Not():
            return "not " + cond(node.item, 3)
        case m.And():
            text = " and ".join(cond(i, 2) for i in node.items)
            return f"({text})" if outer > 2 else text
        case m.Or():
            text = " or ".join(cond(i, 1) for i in node.items)
            return f"({text})" if outer > 1 else text
        case _:
            assert_never(node)


def result(node: m.Result) -> str:
    """What a clause gives."""
    match node:
        case m.Full():
            return "full"
        case m.Points():
            return expr(node.expr)
        case m.Share():
            return expr(node.share)
        case m.Accept():
            tail = f" else {expr(node.otherwise)}" if node.otherwise is not None else ""
            return f"accept {interval(node.band)}{tail}"
        case m.Review():
            return f'review "{node.zh}"'
        case m.Deduct():
            return deduct(node)
        case _:
            assert_never(node)


def deduct(node: m.Deduct) -> str:
    """``deduct 1 per 1% above 100%``, ``deduct 1 each``."""
    if node.side == "each" or node.per is None or node.limit is None:
        return f"deduct {expr(node.amount, 1)} each"
    whole = "whole " if node.whole else ""
    return (
        f"deduct {expr(node.amount, 1)} per {whole}{expr(node.per, 1)} "
        f"{node.side} {expr(node.limit, 1)}"
    )


def clause(node: m.Clause) -> str:
    """``when COND => RESULT [as OUTCOME]``."""
    head = "otherwise" if isinstance(node.when, m.Always) else f"when {cond(node.when)}"
    tail = f" as {node.outcome}" if node.outcome else ""
    return f"{head} => {result(node.result)}{tail}"


def selector(node: m.Selector) -> str:
    """A dispatch selector."""
    match node:
        case m.PathIs():
            return ", ".join("/".join(p.segments) for p in node.patterns)
        case m.NameIs():
            return "name " + ", ".join(node.names)
        case m.CondIs():
            return cond(node.cond)
        case _:
            assert_never(node)


def apply(node: m.Apply) -> str:
    """``apply SELECTORS -> RULE``."""
    sel = " and ".join(selector(s) for s in node.selectors) or "*"
    to = node.rule if node.rule is not None else f'review "{node.review.zh if node.review else ""}"'
    return f"apply {sel} -> {to}"


def grade(node: m.Grade) -> str:
    """``优 >= 90``."""
    if node.bound is None:
        return node.label
    return f"{node.label} {'>=' if node.inclusive else '>'} {plain(node.bound)}"
