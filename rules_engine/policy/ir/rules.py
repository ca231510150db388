"""Scoring rules of the compiled policy: what a clause gives (full, points, a share, a band, a
deduction, review), the clause itself, and the named rule that orders them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from rules_engine.policy.ir.base import Direction, Loc, Node, Outcome
from rules_engine.policy.ir.conditions import BinOp, Call, Cond, Expr, Interval, Num, Var

# ---------------------------------------------------------------------------------------------
# Clause results


class Full(Node):
    """``full``: the whole weight (the score is ``weight``)."""

    kind: Literal["full"] = "full"


class Points(Node):
    """An expression giving points directly (``weight * actual / target``, ``0``)."""

    kind: Literal["points"] = "points"
    expr: Expr


class Share(Node):
    """A share of the weight: a result written as a percent literal (``80%``) → ``0.8 × weight``.

    `share` is the expression for the fraction (usually a `Num` with ``percent=True``).
    """

    kind: Literal["share"] = "share"
    share: Expr


class Accept(Node):
    """A validated band: ``accept [80%, 100%]`` (qualitative tiers).

    The score is not computed: the unit's own `self_score` is accepted as the policy score when
    ``self_score / weight`` lies inside `band` (ends as declared; bounds are shares of the
    weight, compared after rounding ``band × weight`` to the policy's places). When the self-score
    is missing or outside the band, the score is `otherwise` (points) if given, else the line
    is ``review`` with the band in the reason.
    """

    kind: Literal["accept"] = "accept"
    band: Interval
    otherwise: Expr | None = None


class Review(Node):
    """``review "理由"``: no score; the line (or budget) goes to review with this reason."""

    kind: Literal["review"] = "review"
    zh: str
    en: str | None = None


class Deduct(Node):
    """Points taken off the weight: ``deduct 1 per 1% above 100%`` (per-point deductions) or
    ``deduct 1 each`` (one deduction for each unit the actual counts: violations, late funds).

    * `side` ``above``: ``amount`` for every `per` the actual lies above `limit`;
      ``below``: for every `per` below it; ``each``: for every 1 the actual counts;
    * `whole`: only whole steps count (``per whole 1%``: 104.5% is 4 points above 100%);
      otherwise the deduction is pro rata (4.5).
    An actual on the right side of the limit loses nothing. The result is then clamped to the
    rule's ``[floor, cap]`` like any other (the default floor 0: "扣完为止"). `points` gives
    the equivalent expression, which is what the engine computes.
    """

    kind: Literal["deduct"] = "deduct"
    amount: Expr
    side: Literal["above", "below", "each"]
    per: Expr | None = None
    limit: Expr | None = None
    whole: bool = False

    def steps(self) -> Expr:
        """How many deductions the actual earns (``max(0, (actual - limit) / per)``, floored
        when only whole steps count; the actual itself for ``each``)."""
        actual = Var(name="actual")
        if self.side == "each" or self.per is None or self.limit is None:
            return actual
        gap = BinOp(op="-", left=actual, right=self.limit)
        if self.side == "below":
            gap = BinOp(op="-", left=self.limit, right=actual)
        count: Expr = Call(
            fn="max", args=(Num(value=Decimal(0)), BinOp(op="/", left=gap, right=self.per))
        )
        return Call(fn="floor", args=(count,)) if self.whole else count

    def points(self) -> Expr:
        """The score before clamping: ``weight - amount * steps``."""
        taken = BinOp(op="*", left=self.amount, right=self.steps())
        return BinOp(op="-", left=Var(name="weight"), right=taken)


Result = Annotated[Full | Points | Share | Accept | Review | Deduct, Field(discriminator="kind")]


class Clause(Node):
    """``when COND => RESULT [as OUTCOME] ["说明"]``; ``otherwise`` has condition `Always`.

    `outcome`: as written, or ``None`` to derive it from the score: the weight → ``met``,
    0 → ``missed``, in between → ``partial``; a `Review` result is always ``review``.
    `label` is the short text explanations show for this branch (区间·按比例).
    """

    when: Cond
    result: Result
    outcome: Outcome | None = None
    label: str | None = None
    loc: Loc


class FullAt(Node):
    """``full at …``: where a rule promises full marks (checked by the compiler and `verify`).

    `at` is ``Var(target)`` for ``full at target`` (a line whose actual meets its target as
    written, see `Meets`, gets the whole weight); a constant (``full at 100%``: an actual that
    reaches it, in the rule's `Rule.direction`, gets the whole weight); or ``None`` for
    ``full at none`` (no such promise: tiers validated by `Accept`, pure proportions).
    """

    at: Expr | None


class Rule(Node):
    """A named scoring rule (``rule 正向 "定量正向指标" { … }``).

    Evaluation: take the first clause whose `when` holds; compute its result; clamp the
    points to ``[floor, cap]`` (each ``None`` means no bound on that side; the defaults are
    ``0`` and ``weight``); round per the policy's `Rounding`. If no clause holds, the line is
    ``review``. `basis` is the legal source and `note` the 说明 explanations show.
    `overrides` is where the rule of the same name in the extended policy was, if any.
    `direction` (``up``: the score never falls as the actual rises; ``down``: never rises;
    ``none``: no promise) and `full_at` are what the rule declares it does; ``None`` when it
    does not say (then `verify` cannot check those properties for it).
    """

    name: str
    title: str | None = None
    basis: str | None = None
    note: str | None = None
    clauses: tuple[Clause, ...]
    cap: Expr | None = Var(name="weight")
    floor: Expr | None = Num(value=Decimal(0))
    direction: Direction | None = None
    full_at: FullAt | None = None
    loc: Loc
    overrides: Loc | None = None
