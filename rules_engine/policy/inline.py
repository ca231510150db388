"""How `fmt` writes a syntax node that fits on one line: expressions and conditions (with only the
parentheses precedence needs), intervals, clause results, clauses, selectors, words and numbers."""

from __future__ import annotations

from typing import assert_never

from rules_engine.policy import nodes as s
from rules_engine.signs import ARITHMETIC_ASCII, ASCII

# Every operator in the ASCII spelling: ``≥`` → ``>=``, ``×`` → ``*``.
OPS = {**ASCII, **ARITHMETIC_ASCII}

# Binding strength of each expression node: a child weaker than its slot gets parentheses.
_OR, _AND, _NOT, _CMP, _SUM, _PRODUCT, _UNARY, _ATOM = range(1, 9)


def word_text(word: s.Word) -> str:
    if not word.quoted:
        return word.text
    if '"' in word.text:
        return f"“{word.text}”"
    return f'"{word.text}"'


def en_text(word: s.Word | None) -> str:
    """`` en "…"`` after the Chinese text it translates, or nothing."""
    return "" if word is None else f" en {word_text(word)}"


def _level(node: s.Expr) -> int:
    match node:
        case s.OrTest():
            return _OR
        case s.AndTest():
            return _AND
        case s.NotTest():
            return _NOT
        case s.Comparison() | s.InTest() | s.IsTest() | s.MeetsTest():
            return _CMP
        case s.BinaryOp():
            return _SUM if node.op in "+-" else _PRODUCT
        case s.Negate():
            return _UNARY
        case s.Number() | s.Name() | s.Call():
            return _ATOM
        case _:
            assert_never(node)


def expr(node: s.Expr, slot: int = 0) -> str:
    """An expression or condition, parenthesised when weaker than its `slot`."""
    text = _expr(node)
    return f"({text})" if _level(node) < slot else text


def _expr(node: s.Expr) -> str:  # noqa: PLR0911
    match node:
        case s.Number() | s.Name():
            return node.text
        case s.BinaryOp():
            level = _level(node)
            op = OPS.get(node.op, node.op)
            # a - (b - c) and a / (b * c) keep their brackets: the right side binds one tighter
            return f"{expr(node.left, level)} {op} {expr(node.right, level + 1)}"
        case s.Negate():
            return "-" + expr(node.operand, _UNARY)
        case s.Call():
            return f"{node.name.text}({', '.join(expr(a) for a in node.args)})"
        case s.Comparison():
            op = OPS.get(node.op, node.op)
            return f"{expr(node.left, _SUM)} {op} {expr(node.right, _SUM)}"
        case s.InTest():
            return f"{expr(node.subject, _SUM)} in {interval(node.interval)}"
        case s.IsTest():
            neg = "not " if node.negated else ""
            return f"{expr(node.subject, _SUM)} is {neg}{_shape(node.shape)}"
        case s.MeetsTest():
            return f"{expr(node.left, _SUM)} meets {expr(node.right, _SUM)}"
        case s.AndTest():
            return " and ".join(expr(i, _NOT) for i in node.items)
        case s.OrTest():
            return " or ".join(expr(i, _AND) for i in node.items)
        case s.NotTest():
            return "not " + expr(node.item, _NOT)
        case _:
            assert_never(node)


def _shape(word: s.Word) -> str:
    return OPS.get(word.text, word.text) if not word.quoted else word_text(word)


def _bound(node: s.Expr | s.Unbounded) -> str:
    return "*" if isinstance(node, s.Unbounded) else expr(node)


def interval(node: s.IntervalLit) -> str:
    """``[80%, 100%]``; an open end is ``*``."""
    return f"{node.low_bracket}{_bound(node.low)}, {_bound(node.high)}{node.high_bracket}"


def result(node: s.Result) -> str:
    """What a clause gives."""
    match node:
        case s.FullResult():
            return "full"
        case s.ReviewResult():
            return review_text(node)
        case s.AcceptResult():
            tail = f" else {expr(node.otherwise)}" if node.otherwise is not None else ""
            return f"accept {interval(node.band)}{tail}"
        case s.PointsResult():
            return expr(node.expr)
        case s.DeductResult():
            return _deduct(node)
        case _:
            assert_never(node)


def _deduct(node: s.DeductResult) -> str:
    """``deduct 1 per [whole] 1% above 100%`` or ``deduct 1 each``."""
    amount = expr(node.amount, _SUM)
    if node.per is None or node.side is None or node.limit is None:
        return f"deduct {amount} each"
    whole = "whole " if node.whole else ""
    per, limit = expr(node.per, _SUM), expr(node.limit, _SUM)
    return f"deduct {amount} per {whole}{per} {node.side.text} {limit}"


def review_text(node: s.ReviewResult) -> str:
    en = f" en {word_text(node.en)}" if node.en is not None else ""
    return f"review {word_text(node.zh)}{en}"


def clause(node: s.Clause) -> str:
    """``when TEST => RESULT [as OUTCOME] ["说明"]``."""
    head = "otherwise" if node.when is None else f"when {expr(node.when)}"
    parts = [f"{head} => {result(node.result)}"]
    if node.outcome is not None:
        parts.append(f"as {node.outcome.text}")
    if node.label is not None:
        parts.append(word_text(node.label))
    if node.en is not None:
        parts.append(f"en {word_text(node.en)}")
    return " ".join(parts)


def selector_text(node: s.Selector) -> str:
    match node:
        case s.PathSelector():
            return ", ".join("/".join(word_text(w) for w in path) for path in node.paths)
        case s.ShapeSelector():
            neg = "not " if node.negated else ""
            return f"{node.subject.text} is {neg}{_shape(node.shape)}"
        case s.NameSelector():
            return "name " + ", ".join(word_text(w) for w in node.names)
        case s.AnySelector():
            return "otherwise"
        case _:
            assert_never(node)


def number_text(num: s.Number, negative: bool = False) -> str:
    return ("-" if negative else "") + num.text
