"""Conditions, expressions and results of a policy → IR nodes, with their scope and name checks.

`ExpressionCompiler` reads the `when` conditions, scores and intervals of one file for the
compiler's passes (`rules_engine.policy.passes`), reporting what is wrong through the file's
`Report`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Literal, Protocol, assert_never, cast

from rules_engine.diagnostics import Severity
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.intervals import Interval
from rules_engine.policy.messages import (
    BAD_BAND,
    BAD_MEETS,
    BAD_VALUE,
    CHECK_SCOPE,
    DEDUCT_AMOUNT,
    DEDUCT_SCOPE,
    DEDUCT_STEP,
    DIVIDE_ZERO,
    EMPTY_INTERVAL,
    OUTCOME_SCOPE,
    UNKNOWN_FUNCTION,
    UNKNOWN_TERM,
    UNKNOWN_VARIABLE,
    WANT_CONDITION,
    WANT_NUMBER,
    WRONG_SCOPE,
    did_you_mean,
)
from rules_engine.policy.nodes import Pos
from rules_engine.signs import ASCII

OUTCOMES: tuple[m.Outcome, ...] = ("met", "partial", "missed", "review")
SHAPES = ("term", "range", "date", "compare", "number", "unknown", "missing")
CHECK_SCOPES: dict[str, m.Scope] = {
    "weights_mismatch": "form",
    "weights_total_mismatch": "form",
    "budget_total_mismatch": "budget",
    "budget_rate_mismatch": "budget",
    "budget_zero": "budget",
    "unit_mismatch": "line",
}
EMPTY_FIELDS = ("note", "actual", "target", "self_score", "weight")

_EmptyField = Literal["note", "actual", "target", "self_score", "weight"]
# Chinese names a policy may use for the variables (the form's column headings).
VARIABLE_ALIASES = {
    "实际": "actual",
    "实际值": "actual",
    "实际完成值": "actual",
    "目标": "target",
    "目标值": "target",
    "年度指标值": "target",
    "下限": "low",
    "上限": "high",
    "分值": "weight",
    "权重": "weight",
    "自评分": "self_score",
    "自评得分": "self_score",
    "得分": "score",
    "偏差原因": "note",
    "执行数": "executed",
    "全年执行数": "executed",
    "预算数": "budget",
    "全年预算数": "adjusted",
    "调整后预算数": "adjusted",
    "年初预算数": "initial",
    "执行率": "rate",
}


def canon(name: str) -> str:
    """The variable a name stands for (``实际`` → ``actual``); other names unchanged."""
    return VARIABLE_ALIASES.get(name, name)


Context = Literal["rule", "budget", "flag_line", "flag_budget", "flag_form"]
CONTEXT_VARS: dict[Context, frozenset[str]] = {
    "rule": m.VARIABLES["line"] - {"score"},
    "budget": m.VARIABLES["budget"] - {"score"},
    "flag_line": m.VARIABLES["line"],
    "flag_budget": m.VARIABLES["budget"],
    "flag_form": m.VARIABLES["form"],
}
CONTEXT_PLACE: dict[Context, tuple[str, str]] = {
    "rule": ("指标规则中", "an indicator rule"),
    "budget": ("预算执行率规则中", "the budget rule"),
    "flag_line": ("指标行的标记中", "a line flag"),
    "flag_budget": ("预算标记中", "a budget flag"),
    "flag_form": ("整表标记中", "a form flag"),
}


class Names(Protocol):
    """The term names a policy has defined so far (its own and inherited)."""

    vocabularies: dict[str, m.Vocabulary]
    predicates: dict[str, m.TermPredicate]


class Report(Protocol):
    """How a pass reports a message at a place of the file being compiled."""

    def __call__(
        self,
        code: str,
        pos: Pos,
        *,
        severity: Severity | None = None,
        suggestion: str | None = None,
        **args: object,
    ) -> None: ...


class ExpressionCompiler:
    """Compiles expressions, conditions, intervals and results of one file; reports to `error`."""

    def __init__(self, tree: s.PolicyFile, error: Report) -> None:
        self.tree = tree
        self.error = error

    def snippet(self, pos: Pos) -> str:
        """The source text at `pos` (to its line's end when it runs over several lines)."""
        line = self.tree.line_text(pos.line)
        if pos.end_line == pos.line:
            return line[pos.col - 1 : pos.end_col - 1]
        return line[pos.col - 1 :]

    def unknown_term(self, word: s.Word | s.Name, state: Names, extra: Sequence[str] = ()) -> None:
        if word.text in self.tree.unparsed:
            return  # its definition has a syntax error, reported already
        known = [*state.vocabularies, *state.predicates, *extra]
        self.error(
            UNKNOWN_TERM,
            word.pos,
            suggestion=did_you_mean(word.text, known),
            name=word.text,
        )

    def result(self, res: s.Result, context: Context, state: Names) -> m.Result | None:
        """What a clause gives: the whole weight, points, a share, an accepted band, review."""
        match res:
            case s.FullResult():
                return m.Full()
            case s.ReviewResult():
                return self.review(res)
            case s.AcceptResult():
                band = self.interval(res.band, context, state, shares=True)
                other = None
                if res.otherwise is not None:
                    other = self.expr(res.otherwise, context, state)
                    if other is None:
                        return None
                return None if band is None else m.Accept(band=band, otherwise=other)
            case s.PointsResult():
                if isinstance(res.expr, s.Number) and res.expr.percent:
                    return m.Share(share=m.Num(value=res.expr.value, percent=True))
                expr = self.expr(res.expr, context, state)
                return None if expr is None else m.Points(expr=expr)
            case s.DeductResult():
                return self._deduct(res, context, state)
            case _:
                assert_never(res)

    def _deduct(self, res: s.DeductResult, context: Context, state: Names) -> m.Deduct | None:
        """``deduct 1 per 1% above 100%`` / ``deduct 1 each`` (rules only: E360; a constant
        amount or unit not above 0: E362, E361)."""
        if context != "rule":
            self.error(DEDUCT_SCOPE, res.pos)
            return None
        amount = self.expr(res.amount, context, state)
        per = None if res.per is None else self.expr(res.per, context, state)
        limit = None if res.limit is None else self.expr(res.limit, context, state)
        ok = amount is not None and (res.per is None or (per is not None and limit is not None))
        for node, compiled, code in (
            (res.amount, amount, DEDUCT_AMOUNT),
            (res.per, per, DEDUCT_STEP),
        ):
            value = _literal(compiled)
            if node is not None and value is not None and value <= 0:
                self.error(code, node.pos, text=self.snippet(node.pos))
                ok = False
        if not ok or amount is None:
            return None
        side = "each" if res.side is None else res.side.text
        return m.Deduct(
            amount=amount,
            side=cast(Literal["above", "below", "each"], side),
            per=per,
            limit=limit,
            whole=res.whole,
        )

    def review(self, res: s.ReviewResult) -> m.Review:
        """``review "理由" en "reason"``."""
        return m.Review(zh=res.zh.text, en=res.en.text if res.en else None)

    def expr(self, node: s.Expr, context: Context, state: Names) -> m.Expr | None:
        """A number-valued expression (a condition here is E335)."""
        match node:
            case s.Number():
                return m.Num(value=node.value, percent=node.percent)
            case s.Name():
                return self._var(node, context, state)
            case s.BinaryOp():
                left = self.expr(node.left, context, state)
                right = self.expr(node.right, context, state)
                if node.op == "/" and isinstance(node.right, s.Number) and node.right.value == 0:
                    self.error(DIVIDE_ZERO, node.right.pos)
                    return None
                if left is None or right is None:
                    return None
                op = cast(Literal["+", "-", "*", "/"], node.op)
                return m.BinOp(op=op, left=left, right=right)
            case s.Negate():
                inner = self.expr(node.operand, context, state)
                return None if inner is None else m.Neg(operand=inner)
            case s.Call():
                return self._call(node, context, state)
            case (
                s.Comparison()
                | s.InTest()
                | s.IsTest()
                | s.MeetsTest()
                | s.AndTest()
                | s.OrTest()
                | s.NotTest()
            ):
                self.error(WANT_NUMBER, node.pos, text=self.snippet(node.pos))
                return None
            case _:
                assert_never(node)

    def _call(self, node: s.Call, context: Context, state: Names) -> m.Expr | None:
        args = [self.expr(a, context, state) for a in node.args]
        arity = m.FUNCTIONS.get(node.name.text)
        if arity is None or not arity[0] <= len(args) <= arity[1]:
            self.error(
                UNKNOWN_FUNCTION,
                node.name.pos,
                suggestion=did_you_mean(node.name.text, list(m.FUNCTIONS)),
                name=node.name.text,
            )
            return None
        if any(a is None for a in args):
            return None
        return m.Call(fn=node.name.text, args=tuple(a for a in args if a is not None))

    def _var(self, node: s.Name, context: Context, state: Names) -> m.Expr | None:
        allowed = CONTEXT_VARS[context]
        if canon(node.text) in allowed:
            return m.Var(name=canon(node.text))
        known = ", ".join(sorted(allowed))
        every = set().union(*m.VARIABLES.values())
        if canon(node.text) in every:
            zh, en = CONTEXT_PLACE[context]
            self.error(WRONG_SCOPE, node.pos, name=node.text, place=zh, place_en=en, known=known)
        elif node.text in state.vocabularies or node.text in state.predicates:
            self.error(WANT_NUMBER, node.pos, text=node.text)
        else:
            self.error(
                UNKNOWN_VARIABLE,
                node.pos,
                suggestion=did_you_mean(node.text, [*sorted(allowed), "full"]),
                name=node.text,
                known=known,
            )
        return None

    def cond(self, node: s.Expr, context: Context, state: Names) -> m.Cond | None:  # noqa: PLR0911
        """A condition (a number here is E334)."""
        match node:
            case s.Comparison():
                left = self.expr(node.left, context, state)
                right = self.expr(node.right, context, state)
                if left is None or right is None:
                    return None
                op = cast(m.CompareOp, ASCII.get(node.op, node.op))
                return m.Compare(left=left, op=op, right=right)
            case s.InTest():
                subject = self.expr(node.subject, context, state)
                interval = self.interval(node.interval, context, state)
                if subject is None or interval is None:
                    return None
                return m.InInterval(subject=subject, interval=interval)
            case s.IsTest():
                return self._is(node, context, state)
            case s.MeetsTest():
                return self._meets(node, context)
            case s.AndTest() | s.OrTest():
                items = [self.cond(x, context, state) for x in node.items]
                if any(x is None for x in items):
                    return None
                kept = tuple(x for x in items if x is not None)
                return m.And(items=kept) if isinstance(node, s.AndTest) else m.Or(items=kept)
            case s.NotTest():
                inner = self.cond(node.item, context, state)
                return None if inner is None else m.Not(item=inner)
            case s.Name():
                return self._bare_name(node, context, state)
            case s.Number() | s.BinaryOp() | s.Negate() | s.Call():
                self.error(WANT_CONDITION, node.pos, text=self.snippet(node.pos))
                return None
            case _:
                assert_never(node)

    def _meets(self, node: s.MeetsTest, context: Context) -> m.Cond | None:
        if (
            isinstance(node.left, s.Name)
            and canon(node.left.text) == "actual"
            and isinstance(node.right, s.Name)
            and canon(node.right.text) == "target"
            and context in ("rule", "flag_line")
        ):
            return m.Meets()
        self.error(BAD_MEETS, node.pos)
        return None

    def _bare_name(self, node: s.Name, context: Context, state: Names) -> m.Cond | None:
        scope = CHECK_SCOPES.get(node.text)
        if scope is not None:
            if context != f"flag_{scope}":
                self.error(CHECK_SCOPE, node.pos, name=node.text, scope=scope)
                return None
            return m.Check(name=cast(m.BuiltinCheck, node.text))
        if context in ("rule", "flag_line") and (
            node.text in state.vocabularies or node.text in state.predicates
        ):
            return m.TermIs(subject="actual", vocabulary=node.text)
        if canon(node.text) in CONTEXT_VARS[context]:
            self.error(WANT_CONDITION, node.pos, text=node.text)
            return None
        extra = [c for c, sc in CHECK_SCOPES.items() if context == f"flag_{sc}"]
        self.unknown_term(node, state, extra)
        return None

    def _is(self, node: s.IsTest, context: Context, state: Names) -> m.Cond | None:
        cond = self._is_positive(node, context, state)
        if cond is None:
            return None
        return m.Not(item=cond) if node.negated else cond

    def _is_positive(self, node: s.IsTest, context: Context, state: Names) -> m.Cond | None:
        shape = node.shape
        if not isinstance(node.subject, s.Name):
            self.error(WANT_CONDITION, node.pos, text=self.snippet(node.pos))
            return None
        subject = s.Name(canon(node.subject.text), node.subject.pos)
        if subject.text == "outcome":
            if context != "flag_line":
                self.error(OUTCOME_SCOPE, subject.pos)
                return None
            if shape.text not in OUTCOMES:
                self.bad_value(shape, "结果类别", "outcome", OUTCOMES)
                return None
            return m.OutcomeIs(outcomes=(shape.text,))
        if shape.text == "empty":
            if subject.text not in EMPTY_FIELDS:
                self.bad_value(subject, "可判空的栏目", "field that can be empty", EMPTY_FIELDS)
                return None
            field_name = cast(
                Literal["note", "actual", "target", "self_score", "weight"], subject.text
            )
            return m.IsEmpty(field=field_name)
        if subject.text not in ("target", "actual") or context not in ("rule", "flag_line"):
            if subject.text in ("target", "actual"):
                zh, en = CONTEXT_PLACE[context]
                self.error(
                    WRONG_SCOPE,
                    subject.pos,
                    name=subject.text,
                    place=zh,
                    place_en=en,
                    known=", ".join(sorted(CONTEXT_VARS[context])),
                )
            else:
                self.bad_value(shape, "判断", "test", ("empty",))
            return None
        return self.shape(subject.text, shape, state)

    def shape(self, subject: str, shape: s.Word, state: Names) -> m.Cond | None:
        who = cast(Literal["target", "actual"], subject)
        text = ASCII.get(shape.text, shape.text)
        if text in SHAPES or text in (">=", ">", "<=", "<", "="):
            return m.ShapeIs(subject=who, shape=cast(m.TargetShape, text))
        if text in state.vocabularies or text in state.predicates:
            return m.TermIs(subject=who, vocabulary=text)
        self.unknown_term(shape, state, SHAPES)
        return None

    def interval(
        self, lit: s.IntervalLit, context: Context, state: Names, *, shares: bool = False
    ) -> m.Interval | None:
        ends: list[m.Expr | None] = []
        ok = True
        for end in (lit.low, lit.high):
            if isinstance(end, s.Unbounded):
                ends.append(None)
                continue
            # A share of the weight: a percentage, or a plain 0 (nothing of the weight).
            if shares and not (
                isinstance(end, s.Number)
                and (end.percent or end.value == 0)
                and Decimal(0) <= end.value <= 1
            ):
                self.error(BAD_BAND, end.pos, text=self.snippet(end.pos))
                ok = False
                continue
            expr = self.expr(end, context, state)
            ok = ok and expr is not None
            ends.append(expr)
        if not ok:
            return None
        low, high = ends
        interval = m.Interval(
            low=low,
            high=high,
            low_closed=lit.low_bracket == "[",
            high_closed=lit.high_bracket == "]",
        )
        exact = constant_interval(lit)
        if exact is not None and exact.is_empty():
            self.error(EMPTY_INTERVAL, lit.pos, band=self.snippet(lit.pos))
            return None
        return interval

    def bad_value(
        self, word: s.Word | s.Name | s.Number, what: str, what_en: str, known: Iterable[str]
    ) -> None:
        options = list(known)
        self.error(
            BAD_VALUE,
            word.pos,
            suggestion=did_you_mean(word.text, options),
            what=what,
            what_en=what_en,
            value=word.text,
            known=", ".join(options),
        )


def _literal(expr: m.Expr | None) -> Decimal | None:
    """The value of a literal number (``1``, ``1%``, ``-2``), else ``None``."""
    if isinstance(expr, m.Num):
        return expr.value
    if isinstance(expr, m.Neg) and isinstance(expr.operand, m.Num):
        return -expr.operand.value
    return None


def constant_interval(lit: s.IntervalLit) -> Interval | None:
    """The exact interval when both ends are constants (or unbounded), else ``None`` (for empty
    and overlapping bands)."""
    ends: list[Decimal | None] = []
    for end in (lit.low, lit.high):
        if isinstance(end, s.Unbounded):
            ends.append(None)
        elif isinstance(end, s.Number):
            ends.append(end.value)
        elif isinstance(end, s.Negate) and isinstance(end.operand, s.Number):
            ends.append(-end.operand.value)
        else:
            return None
    return Interval(ends[0], ends[1], lit.low_bracket == "[", lit.high_bracket == "]")
