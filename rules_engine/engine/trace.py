"""A rule's decision told as steps, each with its numbers and the policy line it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rules_engine.engine.env import Env
from rules_engine.engine.exprs import Compiled
from rules_engine.engine.reading import MakeStep
from rules_engine.engine.rules import (
    CompiledClause,
    CompiledDeduct,
    CompiledRule,
    Decider,
    Decision,
)
from rules_engine.engine.why import reason_for
from rules_engine.policy import model as m
from rules_engine.policy.model import Rounding
from rules_engine.scorecard import Flag, Outcome, Phrase, Step


@dataclass(slots=True)
class Verdict:
    """What running a rule gave: the steps, the score they end in, and what a reviewer needs."""

    steps: list[Step]
    score: Decimal | None
    unrounded: Decimal | None
    outcome: Outcome
    clause: CompiledClause | None = None
    band: tuple[Decimal, Decimal] | None = None
    missing: str | None = None
    flags: list[Flag] = field(default_factory=list)


def derive_score(steps: list[Step] | tuple[Step, ...]) -> Decimal | None:
    """The score a trace ends in: the value of its last ``score`` step (``None`` if it has none).

    Every score the engine reports is read back from the trace this way, so the explanation
    and the score cannot disagree.
    """
    for item in reversed(steps):
        if item.code == "score":
            return item.value
    return None


class Runner:
    """Decides a line and tells the decision as steps; the score is read back from the steps."""

    def __init__(self, rounding: Rounding, rounding_source: str | None, make: MakeStep) -> None:
        self.decider = Decider(rounding)
        self.rounding = rounding
        self.rounding_source = rounding_source
        # Steps that recur across lines (a clause that held for the same numbers, a rounding,
        # a score) are made once, so what words them words each once.
        self.make = make

    def run(self, rule: CompiledRule, env: Env) -> Verdict:
        """Run `rule` on the variables in `env` and trace it."""
        decision = self.decider.decide(rule, env)
        steps: list[Step] = []
        clause = decision.clause
        if clause is None:
            steps.append(Step("no_clause", {"rule": rule.name}, source=rule.source))
            return Verdict(steps, None, None, "review", missing="no_clause")
        if decision.missing is not None and decision.missing not in ("policy", "band"):
            steps.append(
                Step(
                    "undecidable",
                    {
                        "rule": rule.name,
                        "clause": clause.number,
                        "why": reason_for(env, decision.missing),
                    },
                    source=clause.source,
                )
            )
            return Verdict(steps, None, None, "review", clause, missing=decision.missing)
        steps.append(_clause_step(rule, clause, env, self.make))
        flags: list[Flag] = []
        result = clause.result
        if isinstance(result, m.Review):
            steps.append(
                Step("review", {"text": (result.zh, result.en or result.zh)}, source=clause.source)
            )
            return Verdict(steps, None, None, "review", clause, missing="policy")
        if isinstance(result, m.Accept):
            flags = self._accept_steps(clause, result, env, decision, steps)
            if decision.missing == "band":
                return Verdict(
                    steps, None, None, "review", clause, decision.band, "band", flags=flags
                )
        else:
            steps.append(_result_step(clause, env, decision, self.make))
        self._finish_steps(rule, clause, decision, steps)
        score = derive_score(steps)
        return Verdict(
            steps, score, decision.value, decision.outcome, clause, decision.band, flags=flags
        )

    def _accept_steps(
        self,
        clause: CompiledClause,
        result: m.Accept,
        env: Env,
        decision: Decision,
        steps: list[Step],
    ) -> list[Flag]:
        assert decision.band is not None
        low, high = decision.band
        band = {
            "low": low,
            "high": high,
            "low_closed": result.band.low_closed and clause.band_low is not None,
            "high_closed": result.band.high_closed and clause.band_high is not None,
            "places": self.rounding.places,
        }
        own = env.self_score
        if decision.accepted:
            assert own is not None
            steps.append(Step("band_accepted", {"own": own, **band}, own, clause.source))
            return []
        flags = []
        if own is not None:
            flags.append(
                Flag("self_score_out_of_band", {"own": own, **band}, "warning", clause.source)
            )
        if decision.missing == "band":
            steps.append(Step("band_review", {"own": own, **band}, source=clause.source))
            return flags
        steps.append(Step("band_rejected", {"own": own, **band}, source=clause.source))
        assert clause.points is not None and decision.raw is not None
        steps.append(_formula(clause.points, env, decision.raw, clause.source))
        return flags

    def _finish_steps(
        self, rule: CompiledRule, clause: CompiledClause, decision: Decision, steps: list[Step]
    ) -> None:
        """Clamping, rounding and the score step that ends the trace."""
        make = self.make
        if decision.cap is not None and rule.cap is not None:
            args: dict[str, object] = {"cap": rule.cap.expr, "value": decision.cap}
            steps.append(make("cap", args, decision.cap, rule.source))
        if decision.floor is not None:
            args = {"value": decision.floor}
            steps.append(make("floor", args, decision.floor, rule.source))
        assert decision.value is not None and decision.score is not None
        rounding = self.rounding
        args = {
            "method": rounding.method,
            "places": rounding.places,
            "before": decision.value,
            "after": decision.score,
        }
        steps.append(make("round", args, decision.score, self.rounding_source))
        args = {"score": decision.score, "places": rounding.places}
        steps.append(make("score", args, decision.score, clause.source))


def _clause_step(rule: CompiledRule, clause: CompiledClause, env: Env, make: MakeStep) -> Step:
    why: Phrase
    if clause.cond.always and clause.number > 1:
        # What held is what made the earlier clauses fail; the first (usually "target met")
        # is the one a reviewer asks about, said with the numbers.
        why = Phrase(
            "first_fails",
            {"why": rule.clauses[0].cond.why_not(env), "before": clause.number - 1},
        )
    elif clause.cond.always:
        why = Phrase("always")
    else:
        why = clause.cond.describe(env)
    args = {"rule": rule.name, "clause": clause.number, "why": why}
    return make("clause", args, None, clause.source)


def _result_step(clause: CompiledClause, env: Env, decision: Decision, make: MakeStep) -> Step:
    raw = decision.raw
    assert raw is not None
    if clause.result.kind == "full":
        return make("full", {"weight": raw}, raw, clause.source)
    assert clause.points is not None
    if clause.deduct is not None:
        return _deduct(clause, clause.deduct, env, raw)
    if clause.result.kind == "share":
        weight = env.weight
        assert weight is not None
        return _formula(clause.points, env, raw, clause.source, share=weight)
    return _formula(clause.points, env, raw, clause.source)


def _deduct(clause: CompiledClause, parts: CompiledDeduct, env: Env, raw: Decimal) -> Step:
    """The deduction step: how far the actual lies past the limit, how many deductions that
    makes (whole ones only, when the rule says so), the points taken and what is left."""
    result = clause.result
    assert isinstance(result, m.Deduct)
    actual = env.actual
    assert actual is not None  # the points were computed from it
    amount, count = parts.amount.value(env), parts.count.value(env)
    per = None if parts.per is None else parts.per.value(env)
    limit = None if parts.limit is None else parts.limit.value(env)
    return Step(
        "deduct",
        {
            "side": result.side,
            "whole": result.whole,
            "actual": actual,
            "limit": limit,
            "per": per,
            "count": count,
            "amount": amount,
            "taken": amount * count,
            "weight": env.weight,
            "result": raw,
            "percent": "actual" in env.percent,
        },
        raw,
        clause.source,
    )


def _formula(
    points: Compiled, env: Env, raw: Decimal, source: str, share: Decimal | None = None
) -> Step:
    """The formula step: the expression, the value of each variable it reads, the result."""
    if isinstance(points.expr, m.Num) and share is None:  # a constant such as 0
        return Step("constant", {"value": raw}, raw, source)
    values = {name: getattr(env, name) for name in sorted(points.names())}
    return Step(
        "formula",
        {
            "expr": points.expr,
            "values": values,
            "percent": frozenset(n for n in values if n in env.percent),
            "share": share,
            "result": raw,
        },
        raw,
        source,
    )
