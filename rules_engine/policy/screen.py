"""Statements a policy cannot keep because of their size or their numbers, found and set aside
while it is parsed: an expression nested or spread beyond the limits (`screen_tree`, on the
parse tree, before any node is built from it) and a number outside the bounded number rule,
written or computed from written numbers alone (`screen_numbers`, on the syntax nodes).

Each is a located error; its statement is left out of the tree, as a statement with a syntax
error is, so no later stage meets a tree too deep to walk or a number too large to print.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from decimal import Context, Decimal, DecimalException, localcontext

from lark import Token, Tree

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy import nodes as s
from rules_engine.policy.limits import (
    EXPRESSION_DEPTH_CEILING,
    EXPRESSION_TERMS_CEILING,
    FLAGS,
    MAGNITUDE,
    Limits,
    number_problem,
)
from rules_engine.policy.messages import located
from rules_engine.policy.nodes import Pos
from rules_engine.policy.scan import Chunk

TOO_DEEP = define(
    "E555",
    "表达式嵌套超过 {limit} 层",
    "the expression is nested more than {limit} levels deep",
    "拆成几条较短的条件或表达式；确有需要时用 {flag} 调高上限（最多 {ceiling}）。",
    "split it into shorter conditions or expressions; if it is really needed, raise the limit "
    "with {flag} (at most {ceiling}).",
)
TOO_LONG = define(
    "E556",
    "表达式过长：数字与名称多于 {limit} 个",
    "the expression is too long: more than {limit} numbers and names",
    "拆成几条较短的表达式；确有需要时用 {flag} 调高上限（最多 {ceiling}）。",
    "split it into shorter expressions; if it is really needed, raise the limit with {flag} "
    "(at most {ceiling}).",
)
NUMBER_OUT_OF_BOUNDS = define(
    "E557",
    "数字「{text}」超出允许范围：{why}",
    "the number '{text}' is out of bounds: {why_en}",
    "规则中的数字最多 15 位有效数字、绝对值不超过 10^12、小数不超过 10 位。",
    "a number in a policy has at most 15 significant digits, a magnitude of at most 10^12 "
    "and at most 10 decimal places.",
)
CONSTANT_OUT_OF_BOUNDS = define(
    "E558",
    "表达式中的数字相乘（或相除）超出允许范围：绝对值大于 10^12",
    "the numbers of this expression multiply (or divide) out of bounds: a magnitude above 10^12",
    "改写为范围内的系数；规则中的数值绝对值不超过 10^12。",
    "write a factor within bounds; a value in a policy has a magnitude of at most 10^12.",
)

# Grammar rules that nest an expression or condition one level deeper, and the leaves counted
# as its terms (grammar/policy.lark, "conditions and expressions").
NESTING = frozenset(
    {
        "or_test",
        "and_test",
        "not_test",
        "compare",
        "in_interval",
        "is_test",
        "meets",
        "interval",
        "sum",
        "product",
        "neg",
        "call",
    }
)
TERMS = frozenset({"var", "number"})
_CEILINGS = {
    "expression_depth": EXPRESSION_DEPTH_CEILING,
    "expression_terms": EXPRESSION_TERMS_CEILING,
}

# Folding constants: exact enough to tell whether a value is within 10^12, never trapping.
_FOLD = Context(prec=34, traps=[])


def screen_tree(
    statements: Sequence[Tree[Token]], file: str, lines: Sequence[str], limits: Limits
) -> tuple[list[Tree[Token]], list[Diagnostic], list[str]]:
    """The statements within the expression limits, an error for each of the others, and the
    names those others declare (so they are not reported again as unknown)."""
    kept: list[Tree[Token]] = []
    errors: list[Diagnostic] = []
    names: list[str] = []
    for stmt in statements:
        problem = _oversized(stmt, file, lines, limits)
        if problem is None:
            kept.append(stmt)
            continue
        errors.append(problem)
        name = _declared(stmt, lines)
        if name is not None:
            names.append(name)
    return kept, errors, names


def screen_numbers(
    statements: Sequence[s.Statement], file: str, lines: Sequence[str]
) -> tuple[list[s.Statement], list[Diagnostic], list[str]]:
    """The statements whose numbers keep the bounded number rule, an error for every number
    that does not, and the names the statements left out declare.

    The header is kept whatever its year: leaving it out would only add "missing header"."""
    kept: list[s.Statement] = []
    errors: list[Diagnostic] = []
    names: list[str] = []
    for stmt in statements:
        found = [
            located(p.code, file, lines, p.pos, text=p.text, why=p.why, why_en=p.why_en)
            for p in _numbers(stmt)
        ]
        errors.extend(found)
        if not found or isinstance(stmt, s.PolicyDecl):
            kept.append(stmt)
            continue
        name = getattr(stmt, "name", None)
        if isinstance(name, s.Word):
            names.append(name.text)
        elif isinstance(stmt, s.TermDecl):
            names.extend(w.text for w in stmt.words)
    return kept, errors, names


# --- expression size, on the parse tree ---------------------------------------------------------


def _oversized(
    stmt: Tree[Token], file: str, lines: Sequence[str], limits: Limits
) -> Diagnostic | None:
    """The first expression of `stmt` beyond a limit, as an error at that expression.

    Walked with a stack of its own: the tree may be far deeper than Python's recursion allows.
    """
    # (node, nesting depth so far, the expression it belongs to, or None outside expressions)
    stack: list[tuple[Tree[Token], int, Tree[Token] | None]] = [(stmt, 0, None)]
    terms: dict[int, int] = {}
    while stack:
        node, depth, root = stack.pop()
        kind = str(node.data)
        inside = kind in NESTING or kind in TERMS
        if inside and root is None:
            root = node
        if kind in NESTING:
            depth += 1
            if depth > limits.expression_depth:
                return _limit_error(
                    TOO_DEEP,
                    root or node,
                    file=file,
                    lines=lines,
                    limits=limits,
                    limit="expression_depth",
                )
        if kind in TERMS and root is not None:
            count = terms[id(root)] = terms.get(id(root), 0) + 1
            if count > limits.expression_terms:
                return _limit_error(
                    TOO_LONG,
                    root,
                    file=file,
                    lines=lines,
                    limits=limits,
                    limit="expression_terms",
                )
        for child in node.children:
            if isinstance(child, Tree):
                stack.append((child, depth if inside else 0, root if inside else None))
    return None


def _limit_error(
    code: str,
    node: Tree[Token],
    *,
    file: str,
    lines: Sequence[str],
    limits: Limits,
    limit: str,
) -> Diagnostic:
    return located(
        code,
        file,
        lines,
        _tree_pos(node),
        limit=getattr(limits, limit),
        flag=FLAGS[limit],
        ceiling=_CEILINGS[limit],
    )


def _tree_pos(node: Tree[Token]) -> Pos:
    meta = node.meta
    if getattr(meta, "empty", True):
        return Pos(1, 1, 1, 2)
    return Pos(meta.line, meta.column, meta.end_line, meta.end_column)


def _declared(stmt: Tree[Token], lines: Sequence[str]) -> str | None:
    """The name a statement declares (``rule 正向``), read from its first line."""
    pos = _tree_pos(stmt)
    if not 0 < pos.line <= len(lines):
        return None
    return Chunk(pos.line, lines[pos.line - 1][pos.col - 1 :]).declared()


# --- numbers, on the syntax nodes ---------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Found:
    """A number out of bounds: the code, where, and the literal with why (for E557)."""

    code: str
    pos: Pos
    text: str = ""
    why: str = ""
    why_en: str = ""


def _numbers(node: object) -> Iterator[_Found]:
    """Every out-of-bounds number in `node`: literals, and values computed from literals alone
    (``1000000 * 1000000 * 1000000``), each reported once, at the smallest expression."""
    if isinstance(node, s.Number):
        problem = number_problem(node.value)
        if problem is not None:
            yield _Found(NUMBER_OUT_OF_BOUNDS, node.pos, node.text, *problem)
        return
    if isinstance(node, (s.BinaryOp, s.Negate)):
        problems: list[_Found] = []
        _value(node, problems)
        yield from problems
        return
    if isinstance(node, (tuple, list)):
        for item in node:
            yield from _numbers(item)
        return
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        for field in dataclasses.fields(node):
            yield from _numbers(getattr(node, field.name))


def _value(node: object, problems: list[_Found]) -> Decimal | None:
    """The value of `node` when it is made of numbers alone and within bounds, else ``None``
    (a problem found on the way is added to `problems`)."""
    if isinstance(node, s.Number):
        before = len(problems)
        problems.extend(_numbers(node))
        return node.value if len(problems) == before else None
    if isinstance(node, s.Negate):
        inner = _value(node.operand, problems)
        return None if inner is None else -inner
    if isinstance(node, s.BinaryOp) and node.op in "*/":
        return _product(node, problems)
    if isinstance(node, s.BinaryOp):
        left = _value(node.left, problems)
        right = _value(node.right, problems)
        if left is None or right is None:
            return None
        return _bounded(_arith(node.op, left, right), node, problems)
    problems.extend(_numbers(node))
    return None


def _product(node: s.BinaryOp, problems: list[_Found]) -> Decimal | None:
    """A run of ``*`` and ``/``: the numbers in it multiply into one factor, wherever they
    stand (``weight * 1000000 * 1000000`` multiplies the weight by 10^12), and that factor
    must be within bounds; the run's value when every factor is a number. (A division by a
    written 0 is the compiler's error: the factor is then not followed.)"""
    factors: list[tuple[str, object]] = []
    head: object = node
    while isinstance(head, s.BinaryOp) and head.op in "*/":
        factors.append((head.op, head.right))
        head = head.left
    factors.append(("*", head))
    constant: Decimal | None = Decimal(1)
    every = True
    for op, factor in reversed(factors):
        value = _value(factor, problems)
        if value is None:
            every = False
        elif constant is not None:
            constant = _arith(op, constant, value)
    constant = _bounded(constant, node, problems)
    return constant if every else None


def _bounded(value: Decimal | None, node: s.BinaryOp, problems: list[_Found]) -> Decimal | None:
    if value is not None and abs(value) > MAGNITUDE:
        problems.append(_Found(CONSTANT_OUT_OF_BOUNDS, node.pos))
        return None
    return value


def _arith(op: str, left: Decimal, right: Decimal) -> Decimal | None:
    try:
        with localcontext(_FOLD):
            if op == "+":
                return left + right
            if op == "-":
                return left - right
            if op == "*":
                return left * right
            return None if right == 0 else left / right
    except DecimalException:  # pragma: no cover - no trap is set
        return None
