"""The compiled policy's scoring settings beyond its rules: weight sums, the budget block,
grades, rounding and review flags."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field

from rules_engine import rounding
from rules_engine.policy.ir.base import Loc, Node, Scope, Severity
from rules_engine.policy.ir.conditions import Cond, Expr, Num, Var
from rules_engine.policy.ir.rules import Clause


class WeightGroup(Node):
    """One 一级 group in ``weights { 产出指标 50 … }``: lines whose level1 matches `pattern`
    (a glob as in `PathPattern`) must have weights summing to `weight`."""

    pattern: str
    weight: Decimal
    loc: Loc


class WeightSpec(Node):
    """Weight constraints: per-group sums, the grand total (lines + budget), a tolerance."""

    groups: tuple[WeightGroup, ...] = ()
    total: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    loc: Loc


class BudgetRule(Node):
    """``budget "预算执行率" { … }``: how the funding block is scored.

    * `weight`: the budget's points (10 nationally; 20 in some templates);
    * `denominator`: which figure ``budget`` means: ``adjusted`` (全年预算数) or ``initial``
      (年初预算数);
    * `rows`: which rows give the figures: ``total`` (the 年度资金总额 row), ``parts`` (the sum of
      the 其中 rows) or ``total_or_parts`` (the total row, unless it is empty/zero while the
      parts are not; then the sum of the parts);
    * `clauses`: as in `Rule`, over the budget variables (a zero budget should reach a clause
      like ``when budget = 0 => review "…"``; if none catches it the division is unevaluable
      and the budget is ``review`` anyway);
    * `cap` / `floor`: as in `Rule`;
    * `rate_tolerance`: for ``budget_rate_mismatch``;
    * `counts`: whether the budget score is added to the total: ``always``; ``never`` (shown,
      not added: the total's budget score is ``None``); ``if_room``: only when the form's
      indicator weights add up to `WeightSpec.total` minus `weight` (a form whose lines
      already carry the whole total reserved no points for the budget);
    * `full_at`: the execution rate from which the rule promises the whole weight (``full at
      95%``; 100% unless declared). The budget score never falls as the rate rises.
    """

    title: str
    weight: Decimal
    denominator: Literal["adjusted", "initial"] = "adjusted"
    rows: Literal["total", "parts", "total_or_parts"] = "total_or_parts"
    clauses: tuple[Clause, ...]
    cap: Expr | None = Var(name="weight")
    floor: Expr | None = Num(value=Decimal(0))
    rate_tolerance: Decimal = Decimal("0.0001")
    counts: Literal["always", "never", "if_room"] = "always"
    full_at: Decimal = Decimal(1)
    basis: str | None = None
    note: str | None = None
    loc: Loc


class Grade(Node):
    """One grade band: ``优 >= 90`` (`bound` 90, `inclusive` true); the last grade may have no
    bound (``差``: everything below). Grades are tried top to bottom on the total."""

    label: str
    bound: Decimal | None
    inclusive: bool = True
    loc: Loc


# The names of `rules_engine.rounding.METHODS` (the compiler writes the canonical names only).
RoundMethod = rounding.Method


class Rounding(Node):
    """``round half_up 2 [at line|total]``, and the one way the engine rounds a score (`apply`).

    `method`: a name of `rules_engine.rounding.METHODS`: ``half_up`` (四舍五入, ROUND_HALF_UP),
    ``half_even``, ``half_down``, ``truncate`` (截断, toward zero), ``up`` (away from zero),
    ``floor``, ``ceiling``. `places`: decimal places (0 to `rules_engine.rounding.MAX_PLACES`).
    `stage`: ``line`` rounds each line score (and the budget score) before summing, then rounds
    the total; ``total`` keeps line scores unrounded for the sum and rounds only the total
    (lines are still shown rounded).
    """

    method: RoundMethod = "half_up"
    places: int = Field(default=2, ge=0, le=rounding.MAX_PLACES)
    stage: rounding.Stage = "line"
    loc: Loc | None = None

    def apply(self, value: Decimal) -> Decimal:
        """`value` rounded by this method to this many places (``6.666…`` → ``6.67``)."""
        return rounding.round_to(value, self.method, self.places)


class FlagDef(Node):
    """A review flag as policy data: ``flag CODE "中文" on SCOPE when COND { en "…" }``.

    Evaluated on every line (`scope` ``line``), on the budget block (``budget``) or once per
    form (``form``) after scoring; when `when` holds, the flag is raised with `code`, the
    messages and `severity`, citing `loc`. An unevaluable condition does not raise the flag.
    """

    code: str
    zh: str
    en: str
    scope: Scope = "line"
    when: Cond
    severity: Severity = "warning"
    basis: str | None = None
    note: str | None = None
    loc: Loc


class GradeSet(Node):
    """An alternative set of grade bands (``grades "厂商口径" { … }``): explanations show the
    grade a total would get under it beside the policy's own grades."""

    name: str
    grades: tuple[Grade, ...]
    loc: Loc
