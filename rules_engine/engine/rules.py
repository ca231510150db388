"""Scoring rules compiled once, and deciding a line: which clause, what result, clamped, rounded."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import assert_never

from rules_engine.engine.conds import Cond, compile_cond
from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.exprs import Compiled, compile_expr
from rules_engine.engine.terms import Terms
from rules_engine.policy import model as m
from rules_engine.policy.limits import MAGNITUDE
from rules_engine.policy.model import Rounding
from rules_engine.scorecard import Outcome

_ZERO = Decimal(0)
# What a line whose score (or cap, or floor) comes out beyond the bounded number rule is missing:
# such a figure cannot be rounded or shown as a score, so the line goes to review.
OUT_OF_BOUNDS = "out_of_bounds"


@dataclass(frozen=True, slots=True)
class CompiledDeduct:
    """The parts of a ``deduct`` result, for its trace: each amount, and how many it takes."""

    amount: Compiled
    per: Compiled | None
    limit: Compiled | None
    count: Compiled


@dataclass(frozen=True, slots=True)
class CompiledClause:
    """One ``when … => …`` clause, ready to run."""

    number: int
    cond: Cond
    result: m.Result
    points: Compiled | None
    band_low: Compiled | None
    band_high: Compiled | None
    outcome: Outcome | None
    label: str | None
    source: str
    deduct: CompiledDeduct | None = None


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule (or the budget rule) with its clauses, bounds and citations compiled."""

    name: str
    title: str | None
    basis: str | None
    note: str | None
    clauses: tuple[CompiledClause, ...]
    cap: Compiled | None
    floor: Compiled | None
    source: str
    # Whether a decision may depend on the self-score (accept bands, `self_score`) or on the
    # note cell (`note is empty`): the engine reuses a decision only among lines alike in these.
    reads_self: bool = False
    reads_note: bool = False


@dataclass(slots=True)
class Decision:
    """What a rule decided for one line, before any words: the clause taken and the numbers.

    `missing` says why there is no score: a variable name (unevaluable), ``policy`` (a review
    result), ``band`` (a self-score outside an accept band with no fallback), ``no_clause``.
    """

    clause: CompiledClause | None
    missing: str | None = None
    raw: Decimal | None = None
    value: Decimal | None = None
    score: Decimal | None = None
    cap: Decimal | None = None
    floor: Decimal | None = None
    band: tuple[Decimal, Decimal] | None = None
    accepted: bool | None = None
    outcome: Outcome = "review"


def compile_rule(  # noqa: PLR0913
    *,
    name: str,
    title: str | None,
    basis: str | None,
    note: str | None,
    clauses: tuple[m.Clause, ...],
    cap: m.Expr | None,
    floor: m.Expr | None,
    loc: m.Loc,
    terms: Terms,
) -> CompiledRule:
    """Compile a rule's clauses and bounds (used for line rules and the budget rule alike)."""
    compiled = []
    for number, clause in enumerate(clauses, start=1):
        result = clause.result
        points = band_low = band_high = None
        deduct = None
        match result:
            case m.Points(expr=expr):
                points = compile_expr(expr)
            case m.Share(share=share):
                points = compile_expr(share)
            case m.Accept(band=band, otherwise=otherwise):
                band_low = None if band.low is None else compile_expr(band.low)
                band_high = None if band.high is None else compile_expr(band.high)
                points = None if otherwise is None else compile_expr(otherwise)
            case m.Deduct():
                points = compile_expr(result.points())
                deduct = CompiledDeduct(
                    compile_expr(result.amount),
                    None if result.per is None else compile_expr(result.per),
                    None if result.limit is None else compile_expr(result.limit),
                    compile_expr(result.steps()),
                )
            case m.Full() | m.Review():
                pass
            case _:
                assert_never(result)
        compiled.append(
            CompiledClause(
                number,
                compile_cond(clause.when, terms),
                result,
                points,
                band_low,
                band_high,
                clause.outcome,
                clause.label,
                clause.loc.cite(),
                deduct,
            )
        )
    kinds = _kinds([c.model_dump() for c in clauses])
    return CompiledRule(
        name,
        title,
        basis,
        note,
        tuple(compiled),
        None if cap is None else compile_expr(cap),
        None if floor is None else compile_expr(floor),
        loc.cite(),
        reads_self=bool(kinds & {"accept", "var:self_score", "empty:self_score"}),
        reads_note=bool(kinds & {"empty:note", "outcome", "check"}),
    )


def _kinds(node: object) -> set[str]:
    """Every node kind in a dumped syntax tree (``var:NAME`` and ``empty:FIELD`` spelt out)."""
    found: set[str] = set()
    if isinstance(node, dict):
        kind = node.get("kind")
        if kind == "var":
            found.add(f"var:{node.get('name')}")
        elif kind == "empty":
            found.add(f"empty:{node.get('field')}")
        elif isinstance(kind, str):
            found.add(kind)
        for value in node.values():
            found |= _kinds(value)
    elif isinstance(node, (list, tuple)):
        for item in node:
            found |= _kinds(item)
    return found


class Decider:
    """Decides lines under one policy's rounding; `Tracer` turns a decision into steps."""

    def __init__(self, rounding: Rounding) -> None:
        self.rounding = rounding

    def decide(self, rule: CompiledRule, env: Env) -> Decision:
        """The first clause that holds, its result clamped to [floor, cap] and rounded. A clause
        that needs a value the line lacks gives a decision without a score, never 0."""
        for clause in rule.clauses:
            try:
                if not clause.cond.test(env):
                    continue
                return self._compute(rule, clause, env)
            except Unevaluable as gap:
                return Decision(clause, missing=gap.name)
        return Decision(None, missing="no_clause")

    def band(self, clause: CompiledClause, env: Env, weight: Decimal) -> tuple[Decimal, Decimal]:
        """An accept band's ends in points: shares of the weight, rounded to the policy's places."""
        rounding = self.rounding
        low = (
            _ZERO
            if clause.band_low is None
            else rounding.apply(clause.band_low.value(env) * weight)
        )
        if clause.band_high is None:
            return low, weight
        return low, rounding.apply(clause.band_high.value(env) * weight)

    def _compute(self, rule: CompiledRule, clause: CompiledClause, env: Env) -> Decision:
        result = clause.result
        kind = result.kind
        if kind == "review":
            return Decision(clause, missing="policy")
        weight = env.weight
        if weight is None:
            raise Unevaluable("weight")
        decision = Decision(clause)
        if kind == "full":
            raw = weight
        elif kind == "accept":
            assert isinstance(result, m.Accept)
            low, high = self.band(clause, env, weight)
            decision.band = (low, high)
            own = env.self_score
            decision.accepted = own is not None and _inside(own, low, high, result.band, clause)
            if decision.accepted:
                assert own is not None
                raw = own
            elif clause.points is None:
                decision.missing = "band"
                return decision
            else:
                raw = clause.points.value(env)
        else:
            assert clause.points is not None
            raw = clause.points.value(env)
            if kind == "share":
                raw = raw * weight
        decision.raw = _bounded(raw)
        value = raw
        if rule.cap is not None:
            cap = _bounded(rule.cap.value(env))
            if value > cap:
                value = decision.cap = cap
        if rule.floor is not None:
            floor = _bounded(rule.floor.value(env))
            if value < floor:
                value = decision.floor = floor
        decision.value = value
        decision.score = self.rounding.apply(value)
        # The outcome follows the exact value: 9.998 of 10 rounds to 10.00 but was not met.
        decision.outcome = clause.outcome or derive_outcome(value, weight)
        return decision


def _bounded(value: Decimal) -> Decimal:
    """`value`, when within the bounded number rule's magnitude; else the line is unevaluable."""
    if abs(value) > MAGNITUDE:
        raise Unevaluable(OUT_OF_BOUNDS)
    return value


def _inside(
    x: Decimal, low: Decimal, high: Decimal, band: m.Interval, clause: CompiledClause
) -> bool:
    if clause.band_low is not None and (x < low or (x == low and not band.low_closed)):
        return False
    return not (clause.band_high is not None and (x > high or (x == high and not band.high_closed)))


def derive_outcome(score: Decimal | None, weight: Decimal | None) -> Outcome:
    """met at the full weight, missed at 0, partial in between, review without a score."""
    if score is None:
        return "review"
    if weight is not None and score >= weight:
        return "met"
    if score <= 0:
        return "missed"
    return "partial"
