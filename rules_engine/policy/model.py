"""The compiled policy: the checked, resolved form of a policy file that the engine executes.

This module is the contract between the policy compiler and everything that runs a policy
(`rules_engine.engine`, `explain`, `verify`, `diff`). It holds data only, plus a few pure
helpers that fix the matching semantics in one place; it never executes host code.

Semantics in brief (the docstrings of each node give the details):

* **Numbers** are `Decimal`. A percent literal in a policy is a fraction: ``80%`` is ``0.8``.
  Form values carrying the unit ``%`` (or 百分比) are read the same way: an actual of ``98%``
  is the number ``0.98`` for every expression, so ``actual >= 80%`` compares like with like.
  Other units are left as printed (``3家`` is 3). Ratios such as ``actual / target`` are
  therefore unit-free whatever the unit.
* **Variables** an expression may name, by scope (``VARIABLES``):
    - indicator line rules and line flags: ``actual`` (the actual as a number), ``target``
      (the target's number: a comparison's value, a range's *low* bound, a predicate term's
      value), ``low`` / ``high`` (a range's bounds; for a comparison both equal its value),
      ``weight`` (the line's 分值), ``self_score`` (the unit's own 得分), ``score`` (line flags
      only: the policy score after rounding);
    - the budget rule and budget flags: ``executed`` (全年执行数), ``adjusted`` (全年预算数 /
      调整后预算数), ``initial`` (年初预算数), ``budget`` (the denominator the budget rule
      chose, see `BudgetRule.denominator`), ``rate`` (``executed / budget``), ``weight`` (the
      budget weight), ``self_score`` (the score printed on the budget row), ``reported_rate``
      (the 执行率 printed on the form, as a fraction);
    - form flags: ``indicator_score`` / ``indicator_weight`` (sums over indicator lines that
      were scored), ``indicator_rate`` (their quotient), ``budget_score`` / ``budget_weight``,
      ``execution_rate`` (the budget ``rate``), ``total`` (policy total), ``self_total`` (the
      total printed on the form), ``weight_total`` (sum of all line weights + budget weight).
  A variable that has no value for a line (a missing actual, ``low`` of a term target, a
  division by zero) makes the clause *unevaluable*: the engine turns the line into a
  ``review`` line whose reason names the variable; it never substitutes 0.
* **Rules** are ordered clause lists: the first clause whose condition holds gives the
  result (`Clause`). The result is then clamped to ``[floor, cap]`` (default ``[0, weight]``)
  and rounded per `Rounding`.
* **Dispatch** (`Apply`) picks the rule for a line: the first `Apply` whose selectors all
  match wins; if none matches, the line is a ``review`` line ("no rule applies"), never 0.
* **Terms**: `Vocabulary` groups synonyms under one label (达成 ≈ 完成 ≈ 达成预期指标);
  `TermPredicate` gives a word a numeric meaning (正增长 = ``> 0``). Texts are compared after
  `normalize_term`.
* **Locations**: every node the engine may cite carries a `Loc`; ``loc.cite()`` gives
  ``policies/national-2020.policy:14``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from rules_engine import rounding
from rules_engine.model import FormKind

Outcome = Literal["met", "partial", "missed", "review"]
CompareOp = Literal[">=", ">", "<=", "<", "=", "!="]
Scope = Literal["line", "budget", "form"]
Severity = Literal["info", "warning", "error"]
Direction = Literal["up", "down", "none"]

# Variables each scope may name in expressions; the compiler rejects any other name.
VARIABLES: dict[Scope, frozenset[str]] = {
    "line": frozenset({"actual", "target", "low", "high", "weight", "self_score", "score"}),
    "budget": frozenset(
        {
            "executed",
            "adjusted",
            "initial",
            "budget",
            "rate",
            "weight",
            "self_score",
            "reported_rate",
            "score",
        }
    ),
    "form": frozenset(
        {
            "indicator_score",
            "indicator_weight",
            "indicator_rate",
            "budget_score",
            "budget_weight",
            "execution_rate",
            "total",
            "self_total",
            "weight_total",
        }
    ),
}

# Functions an expression may call (all pure, Decimal in, Decimal out).
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 99),  # smallest argument
    "max": (2, 99),  # largest argument
    "abs": (1, 1),
    "floor": (1, 1),  # round towards -infinity to an integer (whole points only)
    "ceil": (1, 1),  # round towards +infinity to an integer
}


class _Node(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Loc(_Node):
    """A place in a policy file: `file` as a user would type it, 1-based `line` and `col`.

    Shipped policies are cited as ``policies/<name>.policy``; other files by the path given
    on the command line.
    """

    file: str
    line: int
    col: int

    def cite(self) -> str:
        """``file:line``, the form explanations and JSON ``source`` fields use."""
        return f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"


# ---------------------------------------------------------------------------------------------
# Expressions


class Num(_Node):
    """A number literal. `percent` records that it was written with ``%``; `value` is already
    divided by 100 then (``80%`` → ``value=0.8, percent=True``)."""

    kind: Literal["num"] = "num"
    value: Decimal
    percent: bool = False


class Var(_Node):
    """A variable by name (see `VARIABLES` for which names each scope provides)."""

    kind: Literal["var"] = "var"
    name: str


class BinOp(_Node):
    """``left op right`` with ``op`` one of ``+ - * /``. Division by zero is unevaluable."""

    kind: Literal["bin"] = "bin"
    op: Literal["+", "-", "*", "/"]
    left: Expr
    right: Expr


class Neg(_Node):
    """Unary minus."""

    kind: Literal["neg"] = "neg"
    operand: Expr


class Call(_Node):
    """A call of one of the `FUNCTIONS` (``min(executed / budget, 100%)``)."""

    kind: Literal["call"] = "call"
    fn: str
    args: tuple[Expr, ...]


Expr = Annotated[Num | Var | BinOp | Neg | Call, Field(discriminator="kind")]


class Interval(_Node):
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


class Always(_Node):
    """Always true: the ``otherwise`` clause and the ``*`` dispatch selector."""

    kind: Literal["always"] = "always"


class Compare(_Node):
    """``left op right`` on numbers (``actual >= target``, ``target = 0``, ``self_score > weight``).

    Equality is exact Decimal equality (``1.0 = 1``).
    """

    kind: Literal["compare"] = "compare"
    left: Expr
    op: CompareOp
    right: Expr


class InInterval(_Node):
    """``subject in [a, b)``: the subject's value lies inside `interval` (see `Interval`)."""

    kind: Literal["in"] = "in"
    subject: Expr
    interval: Interval


class Meets(_Node):
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


class ShapeIs(_Node):
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


class TermIs(_Node):
    """``actual is 达成`` (or the bare ``达成``): the cell's text belongs to `vocabulary`.

    `vocabulary` is the label of a `Vocabulary` or the name of a `TermPredicate`. For a
    predicate name the text must be one of the predicate's words (not its numeric meaning).
    """

    kind: Literal["term_is"] = "term_is"
    subject: Literal["target", "actual"]
    vocabulary: str


class IsEmpty(_Node):
    """``note is empty`` etc.: the form cell is empty (``None`` after `blank_to_none`)."""

    kind: Literal["empty"] = "empty"
    field: Literal["note", "actual", "target", "self_score", "weight"]


class OutcomeIs(_Node):
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


class Check(_Node):
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


class And(_Node):
    """All `items` hold (evaluated left to right; an unevaluable item makes it unevaluable)."""

    kind: Literal["and"] = "and"
    items: tuple[Cond, ...]


class Or(_Node):
    """Any of `items` holds."""

    kind: Literal["or"] = "or"
    items: tuple[Cond, ...]


class Not(_Node):
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


# ---------------------------------------------------------------------------------------------
# Clause results


class Full(_Node):
    """``full``: the whole weight (the score is ``weight``)."""

    kind: Literal["full"] = "full"


class Points(_Node):
    """An expression giving points directly (``weight * actual / target``, ``0``)."""

    kind: Literal["points"] = "points"
    expr: Expr


class Share(_Node):
    """A share of the weight: a result written as a percent literal (``80%``) → ``0.8 × weight``.

    `share` is the expression for the fraction (usually a `Num` with ``percent=True``).
    """

    kind: Literal["share"] = "share"
    share: Expr


class Accept(_Node):
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


class Review(_Node):
    """``review "理由"``: no score; the line (or budget) goes to review with this reason."""

    kind: Literal["review"] = "review"
    zh: str
    en: str | None = None


class Deduct(_Node):
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


class Clause(_Node):
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


class FullAt(_Node):
    """``full at …``: where a rule promises full marks (checked by the compiler and `verify`).

    `at` is ``Var(target)`` for ``full at target`` (a line whose actual meets its target as
    written, see `Meets`, gets the whole weight); a constant (``full at 100%``: an actual that
    reaches it, in the rule's `Rule.direction`, gets the whole weight); or ``None`` for
    ``full at none`` (no such promise: tiers validated by `Accept`, pure proportions).
    """

    at: Expr | None


class Rule(_Node):
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


# ---------------------------------------------------------------------------------------------
# Dispatch


class PathPattern(_Node):
    """``成本指标/*``: glob patterns for (level1, level2, name), in that order.

    Missing trailing segments match anything. In a segment ``*`` matches any run of
    characters (also none) and ``?`` one character; everything else matches literally after
    `normalize_term` on both sides. A ``None`` field (an empty cell) only matches ``*``.
    """

    segments: tuple[str, ...]

    def matches(self, level1: str | None, level2: str | None, name: str | None) -> bool:
        """Whether a line with this category path matches."""
        fields = (level1, level2, name)
        for pattern, value in zip(self.segments, fields, strict=False):
            if pattern == "*":
                continue
            if value is None or not glob_match(pattern, value):
                return False
        return True


class PathIs(_Node):
    """A dispatch selector: the line's category path matches any of `patterns`."""

    kind: Literal["path"] = "path"
    patterns: tuple[PathPattern, ...]


class NameIs(_Node):
    """A dispatch selector: the indicator's own name is one of `names` (globs allowed), compared
    after `name_key` on both sides, so ``指标3：三公经费控制率（%）`` is ``三公经费控制率``."""

    kind: Literal["name"] = "name"
    names: tuple[str, ...]


class CondIs(_Node):
    """A dispatch selector that is a condition (``target is <=``, ``target is term``)."""

    kind: Literal["cond"] = "cond"
    cond: Cond


Selector = Annotated[PathIs | NameIs | CondIs, Field(discriminator="kind")]


class Apply(_Node):
    """``apply SELECTOR [and SELECTOR…] -> RULE`` (or ``-> review "理由"``).

    Dispatch tries the `Apply` list in order; the first whose selectors all hold picks `rule`
    (a key of `CompiledPolicy.rules`) or, when `rule` is ``None``, sends the line to review
    with `review`. An empty `selectors` tuple is the catch-all (``apply * -> 正向``).
    `origin` is the policy name the line was written in (inherited applies come after the
    extending policy's own ones).
    """

    selectors: tuple[Selector, ...]
    rule: str | None
    review: Review | None = None
    loc: Loc
    origin: str


# ---------------------------------------------------------------------------------------------
# Terms


class VocabularyAddition(_Node):
    """``terms 达成 += 圆满完成``: the words one `+=` line added, and where."""

    words: tuple[str, ...]
    loc: Loc


class Vocabulary(_Node):
    """``terms 达成 = 完成, 已完成, 达成预期指标``: `label` and its synonyms name one tier/word.

    `loc` is where the vocabulary was defined (``=``); `additions` the ``+=`` lines that added
    to it since, in order (their words are in `synonyms` too).
    """

    label: str
    synonyms: tuple[str, ...]
    loc: Loc
    additions: tuple[VocabularyAddition, ...] = ()

    def members(self) -> tuple[str, ...]:
        """The label and every synonym."""
        return (self.label, *self.synonyms)


class TermPredicate(_Node):
    """``term 正增长, 增长 = > 0``: a word with a numeric meaning ``op value``.

    `words` holds the name and its synonyms. A target written as one of `words` behaves as
    the comparison ``op value`` (for dispatch and for `Meets`);
    `value` follows the percent convention (``> 5%`` → 0.05).
    """

    name: str
    words: tuple[str, ...]
    op: CompareOp
    value: Decimal
    loc: Loc


# ---------------------------------------------------------------------------------------------
# Weights, budget, grades, rounding, flags


class WeightGroup(_Node):
    """One 一级 group in ``weights { 产出指标 50 … }``: lines whose level1 matches `pattern`
    (a glob as in `PathPattern`) must have weights summing to `weight`."""

    pattern: str
    weight: Decimal
    loc: Loc


class WeightSpec(_Node):
    """Weight constraints: per-group sums, the grand total (lines + budget), a tolerance."""

    groups: tuple[WeightGroup, ...] = ()
    total: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    loc: Loc


class BudgetRule(_Node):
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


class Grade(_Node):
    """One grade band: ``优 >= 90`` (`bound` 90, `inclusive` true); the last grade may have no
    bound (``差``: everything below). Grades are tried top to bottom on the total."""

    label: str
    bound: Decimal | None
    inclusive: bool = True
    loc: Loc


# The names of `rules_engine.rounding.METHODS` (the compiler writes the canonical names only).
RoundMethod = rounding.Method


class Rounding(_Node):
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


class FlagDef(_Node):
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


# ---------------------------------------------------------------------------------------------
# Target review (绩效目标审核)

ReviewCheckName = Literal[
    "not_quantified",
    "number_in_name",
    "direction_word",
    "duplicate",
    "missing_group",
    "below_department",
    "quantified_share",
]
ReviewForms = Literal["targets_only", "all"]


class ReviewCheck(_Node):
    """One check of the target review (``check NAME …``); each finding it makes is a flag with
    the code ``target_`` + `name`, the policy's heading (`zh` / `en`, or the engine's words when
    ``None``), `severity`, and a citation of `loc`.

    * ``not_quantified`` (line): the target is empty, unreadable or a word no `TermPredicate`
      gives a numeric meaning (a comparison, range, date or 正增长-like word is quantified);
    * ``number_in_name`` (line): the indicator's name holds an amount with a unit (``举办培训班
      2-3次``) while its target is not quantified; when another line of the same name stands in
      a 数量 group, only that line carries it;
    * ``direction_word`` (line): the target contains a word of `up` or `down` (增加, 下降) and is
      not quantified, or is quantified only through a `TermPredicate`;
    * ``duplicate`` (line, on the later line): another line has the same name (after its
      ``指标N：`` prefix) and either the same target or the same 二级 group;
    * ``missing_group`` (form): a group of `require` names neither a 一级 nor a 二级 category
      of any line (category names compared after their annotations; a required ``成本指标``
      matches ``经济成本指标``, since a group's name may carry a qualifier before it);
    * ``below_department`` (line, on the project's line): in a document holding a project
      table and a department table (部门/单位整体), a project target below the department's
      target for the same indicator (the department's amount may stand in its name); matched
      only on the same unit and a clear name match, and said to be uncertain when the names
      are only close;
    * ``quantified_share`` (form): how many targets are quantified, of how many.

    `scope` (category paths as in `PathPattern`) limits the lines a line check reads; empty:
    every line.
    """

    name: ReviewCheckName
    zh: str | None = None
    en: str | None = None
    scope: tuple[PathPattern, ...] = ()
    require: tuple[str, ...] = ()
    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    severity: Severity = "warning"
    basis: str | None = None
    note: str | None = None
    loc: Loc

    @property
    def code(self) -> str:
        """The code of the flags this check raises (``target_duplicate``)."""
        return f"target_{self.name}"


class TargetReview(_Node):
    """``review targets { … }``: the 绩效目标审核 a policy asks for.

    `forms`: ``targets_only`` reviews the targets of targets-only forms (绩效目标表); ``all`` the
    target column of every form. ``below_department`` reads every form of a document whatever
    `forms` says, since it compares a project's table with its department's. `checks` run in
    this order; a line is told about its target's quantification once, by the most specific
    check that holds (``number_in_name``, then ``direction_word``, then ``not_quantified``).
    """

    title: str | None = None
    forms: ReviewForms = "targets_only"
    checks: tuple[ReviewCheck, ...] = ()
    basis: str | None = None
    note: str | None = None
    loc: Loc


class GradeSet(_Node):
    """An alternative set of grade bands (``grades "厂商口径" { … }``): explanations show the
    grade a total would get under it beside the policy's own grades."""

    name: str
    grades: tuple[Grade, ...]
    loc: Loc


# How a policy names the kinds of form (DESIGN §5 `kind`) in ``forms``: Chinese or English.
FORM_KIND_NAMES: dict[str, FormKind] = {
    "项目支出": "project-self-evaluation",
    "project": "project-self-evaluation",
    "部门整体支出": "department-self-evaluation",
    "department": "department-self-evaluation",
    "转移支付": "transfer-self-evaluation",
    "transfer": "transfer-self-evaluation",
    "目标表": "targets-only",
    "targets": "targets-only",
}

# The kinds of form a policy scores when it does not say (``forms``): the project templates.
DEFAULT_KINDS: tuple[FormKind, ...] = ("project-self-evaluation", "transfer-self-evaluation")


class FormScope(_Node):
    """``forms 部门整体支出 [about "禁捕"]``: the kinds of form the policy scores (a form of
    another kind is refused, never scored with rules written for other sheets); `about`: words a
    form's title, project or unit must name for the policy to be chosen without ``--policy``."""

    kinds: tuple[FormKind, ...]
    about: tuple[str, ...] = ()
    loc: Loc


class NotApplicable(_Node):
    """``not_applicable "不适用", "/"``: a line whose actual (or, with the actual empty, its
    target) is written as one of `words` is not applicable to the unit: it gets no score and
    its weight leaves the applicable weight. Compared after `normalize_term`."""

    words: tuple[str, ...]
    loc: Loc


class Rescale(_Node):
    """``rescale to 100``: the total is the points earned over the applicable weight, times
    `to` (``81 / 90 × 100 = 90``)."""

    to: Decimal
    loc: Loc


class Aggregate(_Node):
    """``aggregate recipients by adjusted``: the forms of one project filed by several fund
    recipients are added up into one form before scoring: a figure with a unit is summed, a
    percentage is averaged weighted by each recipient's funds (`funds`: its 全年预算数, 全年执行数
    or 年初预算数), a word is kept when every recipient writes the same tier."""

    funds: Literal["adjusted", "executed", "initial"]
    loc: Loc


class PolicySource(_Node):
    """One file in the `extends` chain: its policy name, display path and text digest."""

    name: str
    path: str
    sha256: str


class CompiledPolicy(_Node):
    """A policy with `extends` resolved, names checked and every default filled in.

    `sources` lists the files from the root (national) to this one; `path` and `sha256`
    are this file's. `rules` is keyed by rule name; `dispatch` is ordered (first match wins);
    `flags` keyed by code in definition order. `done_vocabulary` names the vocabulary whose
    words mean "done on time" for date targets (see `Meets`), ``None`` if the policy has none.
    `categories` are category names declared with ``categories …`` (its own and inherited),
    known besides those the national templates print.
    """

    name: str
    title: str
    year: int | None = None
    region: str | None = None
    basis: str | None = None
    note: str | None = None
    path: str
    sha256: str
    sources: tuple[PolicySource, ...]
    vocabularies: dict[str, Vocabulary]
    predicates: dict[str, TermPredicate]
    rules: dict[str, Rule]
    dispatch: tuple[Apply, ...]
    weights: WeightSpec | None = None
    budget: BudgetRule | None = None
    grades: tuple[Grade, ...] = ()
    rounding: Rounding = Rounding()
    tolerance: Decimal = Decimal(0)
    flags: tuple[FlagDef, ...] = ()
    done_vocabulary: str | None = None
    # The policy's English for its Chinese labels, titles and notes (``en "…"``), inherited
    # texts included; used when output is in English.
    english: dict[str, str] = Field(default_factory=dict)
    categories: tuple[str, ...] = ()
    review: TargetReview | None = None
    alt_grades: tuple[GradeSet, ...] = ()
    forms: FormScope | None = None
    not_applicable: NotApplicable | None = None
    rescale: Rescale | None = None
    aggregate: Aggregate | None = None

    def kinds(self) -> tuple[FormKind, ...]:
        """The kinds of form the policy scores (`DEFAULT_KINDS` unless it says)."""
        return self.forms.kinds if self.forms is not None else DEFAULT_KINDS

    def scored_kind(self) -> FormKind:
        """The kind of form the policy scores first: what a form written without one is taken
        for (example cases, generated lines)."""
        return next((k for k in self.kinds() if k != "targets-only"), DEFAULT_KINDS[0])

    def vocabulary_of(self, text: str) -> str | None:
        """The label of the vocabulary `text` belongs to (after `normalize_term`), if any."""
        key = normalize_term(text)
        for vocab in self.vocabularies.values():
            if any(normalize_term(m) == key for m in vocab.members()):
                return vocab.label
        return None

    def predicate_of(self, text: str) -> TermPredicate | None:
        """The `TermPredicate` whose words include `text` (after `normalize_term`), if any."""
        key = normalize_term(text)
        for pred in self.predicates.values():
            if any(normalize_term(w) == key for w in pred.words):
                return pred
        return None


# ---------------------------------------------------------------------------------------------
# Matching helpers shared by the compiler and the engine

_SPACE = re.compile(r"\s+")


def normalize_term(text: str) -> str:
    """The form texts and policy words are compared in: NFKC (full-width → half-width), no
    whitespace, lower case."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


# Numbering before an indicator's name (指标3：, 1., （2）, 一、) and a bracketed note after it
# (（%）, (5分)): fixed sheets print the same indicator with and without them.
_NAME_NUMBER = re.compile(
    r"^(?:(?:指标\s*\d+|\d+|[一二三四五六七八九十]+)\s*[:.、](?!\d)|\(\s*\d+\s*\))\s*"
)
_NAME_NOTE = re.compile(r"\([^()]*\)$")


def name_key(text: str) -> str:
    """An indicator's name as name selectors compare it: `normalize_term`, without numbering
    before it or a bracketed note after it."""
    key = normalize_term(text)
    key = _NAME_NUMBER.sub("", key, count=1) or key
    return _NAME_NOTE.sub("", key) or key


def glob_match(pattern: str, text: str) -> bool:
    """Whether `text` matches the glob `pattern` (``*`` any run, ``?`` one character), both
    normalised with `normalize_term`."""
    return compile_glob(normalize_term(pattern))(normalize_term(text))


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> Callable[[str], bool]:
    """A matcher of the glob `pattern` (already normalised) that never backtracks.

    A regex such as ``.*a.*a.*a.*b`` can take time exponential in the number of stars on a
    text that almost matches; here the pieces between the stars are found one after another,
    each at its first place (which is always safe for a glob), so a match costs at most the
    text's length times the pattern's.
    """
    if "*" not in pattern:
        return lambda text: len(text) == len(pattern) and _fits(pattern, text, 0)
    pieces = pattern.split("*")
    first, middle, last = pieces[0], [p for p in pieces[1:-1] if p], pieces[-1]
    finders = [_finder(piece) for piece in middle]

    def matches(text: str) -> bool:
        end = len(text) - len(last)
        if end < len(first) or not (_fits(first, text, 0) and _fits(last, text, end)):
            return False
        at = len(first)
        for piece, find in zip(middle, finders, strict=True):
            found = find(text, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True

    return matches


def _fits(piece: str, text: str, at: int) -> bool:
    """Whether `piece` (``?`` for any character) matches `text` from `at`."""
    if "?" not in piece:
        return text.startswith(piece, at)
    if at + len(piece) > len(text):
        return False
    return all(p in ("?", t) for p, t in zip(piece, text[at : at + len(piece)], strict=True))


def _finder(piece: str) -> Callable[[str, int, int], int]:
    """Where `piece` first occurs in ``text[start:end]`` (``-1`` if nowhere)."""
    if "?" not in piece:
        return lambda text, start, end: text.find(piece, start, end)
    # A fixed-length pattern without repetition: searching it cannot backtrack.
    regex = re.compile("".join("." if ch == "?" else re.escape(ch) for ch in piece), re.DOTALL)

    def find(text: str, start: int, end: int) -> int:
        found = regex.search(text, start, end)
        return -1 if found is None else found.start()

    return find


# Resolve the forward references of the recursive node types once, at import time.
_RECURSIVE: tuple[type[BaseModel], ...] = (
    BinOp, Neg, Call, Interval, InInterval, Compare, And, Or, Not, Points, Share,
    Accept, Deduct, Clause, FullAt, Rule, CondIs, Apply, BudgetRule, FlagDef, ReviewCheck,
    TargetReview, CompiledPolicy,
)  # fmt: skip
for _model in _RECURSIVE:
    _model.model_rebuild()
