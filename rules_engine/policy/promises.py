"""What a rule declares it does (``direction``, ``full at``) held against what its clauses say.

The compiler calls `rule_problems` and `budget_problems` on every rule it builds. The checks
are on the text only and conservative: a clause that gives full marks only when the actual
is on the low side contradicts ``direction up`` (a comparison reversed by a slip of the
keyboard), and ``full at target`` needs a clause giving full marks to a met target. `verify`
then tests the same promises on generated lines.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.policy.messages import (
    BUDGET_DIRECTION,
    DEDUCT_DIRECTION,
    PROMISE_DIRECTION,
    PROMISE_FULL_AT_TARGET,
)


@dataclass(frozen=True)
class Problem:
    """One broken promise: its message code, the clause's line and the message's arguments."""

    code: str
    line: int
    args: dict[str, str] = field(default_factory=dict)


_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}
_SIDE = {
    "<=": ("≤ {bound}", "at most {bound}"),
    "<": ("< {bound}", "below {bound}"),
    ">=": ("≥ {bound}", "at least {bound}"),
    ">": ("> {bound}", "above {bound}"),
}


def constant(expr: m.Expr | None) -> Decimal | None:
    """The value of a literal (``100%``, ``0``, ``-5``), else ``None``."""
    if isinstance(expr, m.Num):
        return expr.value
    if isinstance(expr, m.Neg) and isinstance(expr.operand, m.Num):
        return -expr.operand.value
    return None


def full_at_target(full_at: m.FullAt | None) -> bool:
    """Whether a rule promises full marks once the actual meets the target as written."""
    return full_at is not None and full_at.at == m.Var(name="target")


def gives_full(result: m.Result) -> bool:
    """Whether a clause result is the whole weight (``full``, ``100%``, ``weight``)."""
    if isinstance(result, m.Full):
        return True
    if isinstance(result, m.Share):
        value = constant(result.share)
        return value is not None and value >= 1
    return isinstance(result, m.Points) and result.expr == m.Var(name="weight")


def sides(cond: m.Cond, subject: str) -> Iterator[tuple[str, m.Expr]]:
    """Each bound a condition puts on `subject` (``actual``, ``rate``) as (op, bound) with the
    subject on the left: ``actual <= 100%`` → (``<=``, 100%); ``0 < actual`` → (``>``, 0).
    Conditions under ``not`` are left out (they say what does not hold)."""
    if isinstance(cond, m.Compare) and cond.op in _FLIP:
        if cond.left == m.Var(name=subject):
            yield cond.op, cond.right
        elif cond.right == m.Var(name=subject):
            yield _FLIP[cond.op], cond.left
    elif isinstance(cond, m.InInterval) and cond.subject == m.Var(name=subject):
        iv = cond.interval
        if iv.low is None and iv.high is not None:
            yield ("<=" if iv.high_closed else "<"), iv.high
        elif iv.high is None and iv.low is not None:
            yield (">=" if iv.low_closed else ">"), iv.low
    elif isinstance(cond, m.And | m.Or):
        for item in cond.items:
            yield from sides(item, subject)


def _against(direction: str, op: str) -> bool:
    """Whether full marks for a subject on this side contradict the direction."""
    low = op in ("<=", "<")
    return (direction == "up" and low) or (direction == "down" and not low)


def _side_args(op: str, bound: m.Expr) -> dict[str, str]:
    zh, en = _SIDE[op]
    text = show.expr(bound)
    return {"side": zh.format(bound=text), "side_en": en.format(bound=text)}


def rule_problems(rule: m.Rule) -> list[Problem]:
    """Where the rule's clauses contradict its declared `direction` and `full_at`."""
    out: list[Problem] = []
    if rule.direction in ("up", "down"):
        for clause in rule.clauses:
            if not gives_full(clause.result):
                continue
            wrong = next(
                (x for x in sides(clause.when, "actual") if _against(rule.direction, x[0])), None
            )
            if wrong is not None:
                args = {
                    "rule": rule.name,
                    "direction": rule.direction,
                    "line": str(clause.loc.line),
                }
                out.append(Problem(PROMISE_DIRECTION, clause.loc.line, args | _side_args(*wrong)))
    if rule.direction in ("up", "down"):
        out.extend(_deduct_problems(rule))
    if full_at_target(rule.full_at) and not any(
        gives_full(c.result) and _meets_target(c.when) for c in rule.clauses
    ):
        out.append(Problem(PROMISE_FULL_AT_TARGET, rule.loc.line, {"rule": rule.name}))
    return out


# Which way a deduction makes the score move as the actual rises.
_DEDUCT_MOVES = {"above": "down", "each": "down", "below": "up"}


def _deduct_problems(rule: m.Rule) -> Iterator[Problem]:
    """Deductions that take more off as the actual moves the way the rule promises is better."""
    for clause in rule.clauses:
        result = clause.result
        if isinstance(result, m.Deduct) and _DEDUCT_MOVES[result.side] != rule.direction:
            more, more_en = ("高", "higher") if result.side != "below" else ("低", "lower")
            args = {
                "rule": rule.name,
                "direction": str(rule.direction),
                "line": str(clause.loc.line),
                "deduct": show.result(result),
                "side": more,
                "side_en": more_en,
            }
            yield Problem(DEDUCT_DIRECTION, clause.loc.line, args)


def budget_problems(budget: m.BudgetRule) -> list[Problem]:
    """Budget clauses that give full marks only at low execution rates."""
    out: list[Problem] = []
    for clause in budget.clauses:
        if not gives_full(clause.result):
            continue
        for op, bound in sides(clause.when, "rate"):
            if _against("up", op):
                args = {"line": str(clause.loc.line)} | _side_args(op, bound)
                out.append(Problem(BUDGET_DIRECTION, clause.loc.line, args))
                break
    return out


_TARGET_VARS = (m.Var(name="target"), m.Var(name="low"), m.Var(name="high"))


def _meets_target(cond: m.Cond) -> bool:
    """Whether a condition holds for (some) actuals that meet the target: ``actual meets
    target``, ``actual >= target``, ``actual in [low, high]``, or an ``or`` holding one."""
    if isinstance(cond, m.Meets):
        return True
    if isinstance(cond, m.Or):
        return any(_meets_target(item) for item in cond.items)
    if isinstance(cond, m.Compare):
        pair = (cond.left, cond.right)
        return m.Var(name="actual") in pair and any(v in pair for v in _TARGET_VARS)
    if isinstance(cond, m.InInterval):
        iv = cond.interval
        return cond.subject == m.Var(name="actual") and (
            iv.low in _TARGET_VARS or iv.high in _TARGET_VARS
        )
    return False
