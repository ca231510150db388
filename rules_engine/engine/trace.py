"""A rule's decision told as steps, each with its number and the policy line it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rules_engine.engine.env import Env
from rules_engine.engine.exprs import Compiled
from rules_engine.engine.numbers import fixed, show
from rules_engine.engine.rules import CompiledClause, CompiledRule, Decider, Decision
from rules_engine.engine.words import flag, reason_for, step
from rules_engine.policy import model as m
from rules_engine.rounding import Rounding
from rules_engine.scorecard import Flag, Outcome, Step


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


def derive_score(steps: list[Step]) -> Decimal | None:
    """The score a trace ends in: the value of its last ``score`` step (``None`` if it has none).

    Every score the engine reports is read back from the trace this way, so the explanation
    and the score cannot disagree.
    """
    for item in reversed(steps):
        if item.kind == "score":
            return item.value
    return None


class Runner:
    """Decides a line and tells the decision as steps; the score is read back from the steps."""

    def __init__(self, rounding: Rounding, rounding_source: str | None) -> None:
        self.decider = Decider(rounding)
        self.rounding = rounding
        self.rounding_source = rounding_source

    def run(self, rule: CompiledRule, env: Env) -> Verdict:
        """Run `rule` on the variables in `env` and trace it."""
        decision = self.decider.decide(rule, env)
        steps: list[Step] = []
        clause = decision.clause
        if clause is None:
            steps.append(
                step(
                    "review",
                    f"规则「{rule.name}」没有一条适用于这一行，待复核",
                    f"no clause of rule {rule.name} applies to this line; needs review",
                    source=rule.source,
                )
            )
            return Verdict(steps, None, None, "review", missing="no_clause")
        if decision.missing is not None and decision.missing not in ("policy", "band"):
            zh, en = reason_for(env, decision.missing)
            steps.append(
                step(
                    "review",
                    f"规则「{rule.name}」第 {clause.number} 条无法判断：{zh}，待复核",
                    f"clause {clause.number} of rule {rule.name} cannot be decided: {en}; "
                    "needs review",
                    source=clause.source,
                )
            )
            return Verdict(steps, None, None, "review", clause, missing=decision.missing)
        steps.append(_clause_step(rule, clause, env))
        flags: list[Flag] = []
        result = clause.result
        if isinstance(result, m.Review):
            steps.append(
                step(
                    "review",
                    f"待复核：{result.zh}",
                    f"needs review: {result.en or result.zh}",
                    source=clause.source,
                )
            )
            return Verdict(steps, None, None, "review", clause, missing="policy")
        if isinstance(result, m.Accept):
            flags = self._accept_steps(clause, result, env, decision, steps)
            if decision.missing == "band":
                return Verdict(
                    steps, None, None, "review", clause, decision.band, "band", flags=flags
                )
        else:
            steps.append(_result_step(clause, env, decision))
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
        places = self.rounding.places
        left = "[" if result.band.low_closed and clause.band_low is not None else "("
        right = "]" if result.band.high_closed and clause.band_high is not None else ")"
        shown = f"{left}{fixed(low, places)}, {fixed(high, places)}{right}"
        own = env.self_score
        if decision.accepted:
            assert own is not None
            steps.append(
                step(
                    "band",
                    f"自评得分 {show(own)} 在允许区间 {shown} 内，采用自评得分",
                    f"the self-score {show(own)} lies in the allowed band {shown}: accepted",
                    own,
                    clause.source,
                )
            )
            return []
        if own is None:
            zh, en = "自评得分未填", "the self-score is empty"
            flags = []
        else:
            zh = f"自评得分 {show(own)} 不在允许区间 {shown} 内"
            en = f"the self-score {show(own)} lies outside the allowed band {shown}"
            flags = [
                flag(
                    "self_score_out_of_band",
                    f"自评得分 {show(own)} 不在该档允许的区间 {shown} 内",
                    f"the self-score {show(own)} lies outside the tier's band {shown}",
                    "warning",
                    clause.source,
                )
            ]
        if decision.missing == "band":
            steps.append(
                step("review", f"{zh}，待复核", f"{en}; needs review", None, clause.source)
            )
            return flags
        steps.append(
            step(
                "band",
                f"{zh}，改按规则计分",
                f"{en}; scored by the rule instead",
                None,
                clause.source,
            )
        )
        assert clause.points is not None and decision.raw is not None
        steps.append(_formula(clause.points, env, decision.raw, clause.source))
        return flags

    def _finish_steps(
        self, rule: CompiledRule, clause: CompiledClause, decision: Decision, steps: list[Step]
    ) -> None:
        """Clamping, rounding and the score step that ends the trace."""
        if decision.cap is not None and rule.cap is not None:
            cap = show(decision.cap)
            steps.append(
                step(
                    "clamp",
                    f"超过上限（{rule.cap.zh}）{cap}，按 {cap} 计",
                    f"above the cap ({rule.cap.en}) {cap}: {cap}",
                    decision.cap,
                    rule.source,
                )
            )
        if decision.floor is not None:
            floor = show(decision.floor)
            steps.append(
                step(
                    "clamp",
                    f"低于下限 {floor}，按 {floor} 计",
                    f"below the floor {floor}: {floor}",
                    decision.floor,
                    rule.source,
                )
            )
        assert decision.value is not None and decision.score is not None
        rounding = self.rounding
        shown = fixed(decision.score, rounding.places)
        steps.append(
            step(
                "round",
                f"{rounding.describe('zh')}：{show(decision.value)} → {shown}",
                f"rounded {rounding.describe('en')}: {show(decision.value)} → {shown}",
                decision.score,
                self.rounding_source,
            )
        )
        steps.append(
            step(
                "score", f"复核得分 {shown}", f"policy score {shown}", decision.score, clause.source
            )
        )


def _clause_step(rule: CompiledRule, clause: CompiledClause, env: Env) -> Step:
    if clause.cond.always and clause.number > 1:
        # What held is what made the earlier clauses fail; the first (usually "target met")
        # is the one a reviewer asks about, said with the numbers.
        zh, en = rule.clauses[0].cond.why_not(env)
        if clause.number > 2:
            zh += f"（前 {clause.number - 1} 条都不成立）"
            en += f" (none of the {clause.number - 1} clauses before holds)"
    elif clause.cond.always:
        zh, en = "无条件", "unconditionally"
    else:
        zh, en = clause.cond.describe(env)
    return step(
        "clause",
        f"规则「{rule.name}」第 {clause.number} 条成立：{zh}",
        f"clause {clause.number} of rule {rule.name} holds: {en}",
        source=clause.source,
    )


def _result_step(clause: CompiledClause, env: Env, decision: Decision) -> Step:
    raw = decision.raw
    assert raw is not None
    if clause.result.kind == "full":
        return step(
            "formula",
            f"满分：分值 {show(raw)}",
            f"full marks: weight {show(raw)}",
            raw,
            clause.source,
        )
    assert clause.points is not None
    if clause.result.kind == "share":
        weight = env.weight
        assert weight is not None
        filled = f"{clause.points.filled(env)} × {show(weight)}"
        return step(
            "formula",
            f"{clause.points.zh} × 分值 = {filled} = {show(raw)}",
            f"{clause.points.en} × weight = {filled} = {show(raw)}",
            raw,
            clause.source,
        )
    return _formula(clause.points, env, raw, clause.source)


def _formula(points: Compiled, env: Env, raw: Decimal, source: str) -> Step:
    filled = points.filled(env)
    if filled == points.zh == show(raw):  # a constant such as 0
        return step("formula", f"得 {filled} 分", f"{filled} points", raw, source)
    return step(
        "formula",
        f"{points.zh} = {filled} = {show(raw)}",
        f"{points.en} = {filled} = {show(raw)}",
        raw,
        source,
    )
