"""Which actual would have earned full marks, found by asking the line's own rule at the edges."""

from __future__ import annotations

from decimal import Decimal

from rules_engine.engine.env import Env
from rules_engine.engine.numbers import show
from rules_engine.engine.plan import Plan
from rules_engine.engine.reading import Pair
from rules_engine.engine.rules import CompiledRule
from rules_engine.scorecard import Phrase
from rules_engine.signs import SIGNS
from rules_engine.values import Compare, DateValue, Number

_HUNDRED = Decimal(100)


def full_marks(plan: Plan, rule: CompiledRule, read: Pair, weight: Decimal | None) -> Phrase | None:
    """``≥3家`` for a line whose rule gives full marks from 3 up; ``None`` if unclear.

    The answer comes from running the rule itself on probe actuals at the target's edges, so it
    is right for whatever family the policy chose; it is cached per rule, target and weight.
    """
    if weight is None or weight <= 0:
        return None
    key = (rule.name, read.target.text, read.percent, weight)
    return plan.memo.full_marks.find(key, lambda: _find(plan, rule, read, weight))


def _find(plan: Plan, rule: CompiledRule, read: Pair, weight: Decimal) -> Phrase | None:
    target = read.target
    value = target.value
    if value is None:
        return None
    if value.kind == "term" and target.predicate is None:
        return Phrase("fm_words", {"text": target.text or "", "vocab": target.vocab})
    if isinstance(value, DateValue):
        return Phrase("fm_date", {"date": value.value})
    if value.kind == "range":
        return _range(plan, rule, read, weight)
    op = (
        value.op
        if isinstance(value, Compare)
        else (target.predicate.op if target.predicate else None)
    )
    if op is None or read.target_number is None:
        return None
    return _compare(plan, rule, read, weight, op=op, t=read.target_number)


def _range(plan: Plan, rule: CompiledRule, read: Pair, weight: Decimal) -> Phrase | None:
    low, high = read.low, read.high
    if low is None or high is None:
        return None
    delta = _delta(high)
    full = _Probe(plan, rule, read, weight).full_at
    at_low, at_high = full(low), full(high)
    above = full(high + delta)
    below = full(low - delta)
    if at_low and at_high and not below:
        if above:
            return _words(read, "≥", low)
        return Phrase("fm_range", {"low": _num(read, low), "high": _num(read, high)})
    return None


def _compare(
    plan: Plan, rule: CompiledRule, read: Pair, weight: Decimal, *, op: str, t: Decimal
) -> Phrase | None:
    delta = _delta(t)
    full = _Probe(plan, rule, read, weight).full_at
    at = full(t)
    above = full(t + delta)
    below = full(t - delta)
    if at and above and not below:
        return _words(read, "≥", t)
    if at and below and not above:
        return _words(read, "≤", t)
    if at and not above and not below:
        return _words(read, "=", t)
    if not at and above and not below and op == ">":
        return _words(read, ">", t)
    if not at and below and not above and op == "<":
        return _words(read, "<", t)
    return None


class _Probe:
    """Runs the line's rule on trial actuals: the variables are made once, the actual varies."""

    __slots__ = ("env", "full", "percent", "plan", "rule", "unit")

    def __init__(self, plan: Plan, rule: CompiledRule, read: Pair, weight: Decimal) -> None:
        env = Env()
        read.fill(env)
        env.weight = weight
        self.percent = "target" in read.percent
        if self.percent:
            env.percent = read.percent | {"actual"}
        self.env = env
        self.plan = plan
        self.rule = rule
        self.unit = read.target.unit
        self.full = plan.rounding.apply(weight)

    def full_at(self, actual: Decimal) -> bool:
        """Whether an actual of `actual` earns full marks (the rule reads no variable it sets)."""
        env = self.env
        env.actual = actual
        printed = actual * _HUNDRED if self.percent else actual
        env.actual_value = Number.model_construct(kind="number", value=printed, unit=self.unit)
        env.actual_text = show(printed)
        decision = self.plan.runner.decider.decide(self.rule, env)
        return decision.score is not None and decision.score >= self.full


def _delta(value: Decimal) -> Decimal:
    # A step small against the target, large enough for any rule to tell the sides apart.
    return max(abs(value), Decimal(1)) / _HUNDRED


def _num(read: Pair, value: Decimal) -> str:
    if "target" in read.percent:
        return show(value * _HUNDRED) + "%"
    return show(value) + (read.target.unit or "")


def _words(read: Pair, sign: str, value: Decimal) -> Phrase:
    return Phrase("fm_value", {"text": f"{SIGNS.get(sign, sign)}{_num(read, value)}"})
