"""Expressions and conditions of the compiled policy: numbers, variables, arithmetic, intervals,
and the tests a clause, a selector or a flag makes."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from rules_engine.policy.ir.base import CompareOp, Node, Outcome

# ---------------------------------------------------------------------------------------------
# Expressions


class Num(Node):
    """A number literal. `percent` records that it was written with ``%``; `value` is already
    divided by 100 then (``80%`` → ``value=0.8, percent=True``)."""

    kind: Literal["num"] = "num"
    value: Decimal
    percent: bool = False


class Var(Node):
    """A variable by name (see `VARIABLES` for which names each scope provides)."""

    kind: Literal["var"] = "var"
    name: str


class BinOp(Node):
    """``left op right`` with ``op`` one of ``+ - * /``. Division by zero is unevaluable."""

    kind: Literal["bin"] = "bin"
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


class Neg(Node):
    """Unary minus."""

    kind: Literal["neg"] = "neg"
    operand: Expr


class Call(Node):
    """A call of one of the `FUNCTIONS` (``min(executed / budget, 100%)``)."""

    kind: Literal["call"] = "call"
    fn: str
    args: tuple[Expr, ...]


Expr = Annotated[Num | Var | BinOp | Neg | Call, Field(discriminator="kind")]


class Interval(Node):
    """An interval with declared ends: ``[80%, 100%]``, ``(0, 10%]``, ``[90%, *)``.

    `low` / `high` are expressions (``[low, high]`` uses the range target's bounds); ``None``
    means unbounded on that side. ``low_closed`` is true for ``[``, ``high_closed`` for ``]``.
    ``x`` lies inside when ``low <= x`` (``<`` when open) and ``x <= high`` (``<`` when open).
    """

    low: Expr | None
    high: Expr | None
    low_closed: bool
    high_closed: bool


# ---------------------------------------------------------------------------------------------
# Conditions


class Always(Node):
    """Always true: the ``otherwise`` clause and the ``*`` dispatch selector."""

    kind: Literal["always"] = "always"


class Compare(Node):
    """``left op right`` on numbers (``actual >= target``, ``target = 0``, ``self_score > weight``).

    Equality is exact Decimal equality (``1.0 = 1``).
    """

    kind: Literal["compare"] = "compare"
    left: Expr
    op: CompareOp
    right: Expr


class InInterval(Node):
    """``subject in [a, b)``: the subject's value lies inside `interval` (see `Interval`)."""

    kind: Literal["in"] = "in"
    subject: Expr
    interval: Interval


class Meets(Node):
    """``actual meets target``: the actual satisfies the target as written.

    * comparison target (``≥95%``): ``actual op value`` (``=`` is equality);
    * range target (``3-5家``): ``low <= actual <= high``;
    * term target that is a `TermPredicate` (正增长): ``actual op value`` of the predicate, or
      the actual is written as one of the predicate's words (actual 正增长 meets target 正增长);
    * any other term target: the actual text equals it (after `normalize_term`), or both are
      in the same `Vocabulary` (target 完成, actual 已完成);
    * date target: the actual date is on or before the target date, or the actual is a term
      in the vocabulary named by `CompiledPolicy.done_vocabulary` (按时完成 …).
    Anything else (unknown target, missing actual) is unevaluable → review.
    """

    kind: Literal["meets"] = "meets"


TargetShape = Literal[
    "term", "range", "date", "compare", "number", "unknown", "missing", ">=", ">", "<=", "<", "="
]


class ShapeIs(Node):
    """``target is SHAPE`` / ``actual is SHAPE``: the kind of the value read from the cell.

    ``term``, ``range``, ``date``, ``number``, ``unknown`` name the value kinds of
    `rules_engine.values`; ``compare`` is any comparison; ``>=`` ``>`` ``<=`` ``<`` ``=`` a
    comparison with that operator (a bare number target is ``=``, and also ``number``: a
    target written without any sign, such as ``90万元``); ``missing`` an empty cell.
    A term target resolved by a `TermPredicate` counts as a ``compare`` with the predicate's
    operator, not as a ``term`` (so 正增长 dispatches like ``> 0``).
    """

    kind: Literal["shape"] = "shape"
    subject: Literal["target", "actual"]
    shape: TargetShape


class TermIs(Node):
    """``actual is 达成`` (or the bare ``达成``): the cell's text belongs to `vocabulary`.

    `vocabulary` is the label of a `Vocabulary` or the name of a `TermPredicate`. For a
    predicate name the text must be one of the predicate's words (not its numeric meaning).
    """

    kind: Literal["term_is"] = "term_is"
    subject: Literal["target", "actual"]
    vocabulary: str


class IsEmpty(Node):
    """``note is empty`` etc.: the form cell is empty (``None`` after `blank_to_none`)."""

    kind: Literal["empty"] = "empty"
    field: Literal["note", "actual", "target", "self_score", "weight"]


class OutcomeIs(Node):
    """``outcome is missed`` / ``outcome in missed, partial`` (line flags only): the line's
    policy outcome is one of `outcomes`."""

    kind: Literal["outcome"] = "outcome"
    outcomes: tuple[Outcome, ...]


BuiltinCheck = Literal[
    "weights_mismatch",
    "weights_total_mismatch",
    "budget_total_mismatch",
    "budget_rate_mismatch",
    "budget_zero",
    "unit_mismatch",
]


class Check(Node):
    """A named consistency check the engine computes (flags only).

    * ``weights_mismatch`` (form): some 一级 group's line weights do not sum to the weight
      `WeightSpec` declares for it (beyond `WeightSpec.tolerance`);
    * ``weights_total_mismatch`` (form): line weights + budget weight ≠ `WeightSpec.total`;
    * ``budget_total_mismatch`` (budget): the total row (年度资金总额) ≠ the sum of its
      sub-rows (其中 …) in any of initial / adjusted / executed;
    * ``budget_rate_mismatch`` (budget): the printed 执行率 differs from executed / budget by
      more than `BudgetRule.rate_tolerance`;
    * ``budget_zero`` (budget): the chosen denominator is 0 or missing;
    * ``unit_mismatch`` (line): target and actual carry different units.
    """

    kind: Literal["check"] = "check"
    name: BuiltinCheck


class And(Node):
    """All `items` hold (evaluated left to right; an unevaluable item makes it unevaluable)."""

    kind: Literal["and"] = "and"
    items: tuple[Cond, ...]


class Or(Node):
    """Any of `items` holds."""

    kind: Literal["or"] = "or"
    items: tuple[Cond, ...]


class Not(Node):
    """`item` does not hold."""

    kind: Literal["not"] = "not"
    item: Cond


Cond = Annotated[
    Always
    | Compare
    | InInterval
    | Meets
    | ShapeIs
    | TermIs
    | IsEmpty
    | OutcomeIs
    | Check
    | And
    | Or
    | Not,
    Field(discriminator="kind"),
]
