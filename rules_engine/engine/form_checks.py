"""The form's own checks: the unit's self total, and the form flags and weight checks they read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal

from rules_engine.bounded import figure
from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.plan import Plan
from rules_engine.model import Form
from rules_engine.policy import model as m
from rules_engine.scorecard import BudgetResult, Flag, LineResult, Phrase, Step, TotalResult

_ZERO = Decimal(0)


def self_total_over(
    own: Decimal | None, policy_total: Decimal | None, tolerance: Decimal
) -> Flag | None:
    """The flag for a self total above what a form can score (a misread 得分 column), if so."""
    if own is None or policy_total is None or own <= policy_total + tolerance:
        return None
    return Flag("self_total_over", {"own": own, "total": policy_total}, "error")


def self_total(
    plan: Plan,
    form: Form,
    lines: Sequence[LineResult],
    budget: BudgetResult | None,
    budget_counts: bool,
    *,
    short: bool,
) -> tuple[Decimal | None, bool, list[Step], list[Flag]]:
    """The unit's own total: the printed 总分, else the line self-scores plus the budget row's
    self-score on the policy's scale. Complete only when every part it needs is visible."""
    printed = figure(form.total.score) if form.total is not None else None
    if printed is not None:
        return (
            printed,
            form.reliability != "unreliable",
            [Step("self_total_printed", {"total": printed}, printed)],
            [],
        )
    owns = [x.self_score for x in lines if x.self_score is not None]
    budget_own = budget.self_score if budget is not None and budget_counts else None
    if not owns and budget_own is None:
        return None, False, [], []
    summed = sum(owns, _ZERO) + (budget_own or _ZERO)
    gaps = len(lines) - len(owns)
    budget_gap = budget_counts and budget_own is None
    complete = not gaps and not budget_gap and not short and form.reliability != "unreliable"
    steps = [
        Step(
            "self_total_sum",
            {"lines": sum(owns, _ZERO), "budget": budget_own, "total": summed},
            summed,
        )
    ]
    if not complete:
        missing = {
            "lines": gaps,
            "budget": budget_gap,
            "rows": short,
            "unreliable": form.reliability == "unreliable",
        }
        steps.append(Step("self_incomplete", missing))
    return summed, complete, steps, []


def form_flags(
    plan: Plan,
    *,
    lines: Sequence[LineResult],
    budget: BudgetResult | None,
    total: TotalResult,
    pending: int,
) -> list[Flag]:
    env = Env()
    # The scored lines' points and weights (a weight counts only when some scored line has one).
    points = weights = _ZERO
    weighed = False
    for line in lines:
        verdict = line.verdict
        if verdict.score is None:
            continue
        points += verdict.score
        if verdict.weight is not None:
            weights += verdict.weight
            weighed = True
    env.indicator_score = points
    env.indicator_weight = weights if weighed else None
    if env.indicator_weight:
        env.indicator_rate = env.indicator_score / env.indicator_weight
    if budget is not None:
        env.budget_score = budget.computed
        env.budget_weight = budget.weight
        env.execution_rate = budget.rate
    env.total = total.score
    env.self_total = total.self_score
    env.weight_total = total.weight
    env.percent = frozenset({"indicator_rate", "execution_rate"})
    checks, details = _weight_checks(plan, lines, budget)
    env.checks = checks
    raised: list[Flag] = []
    for check in plan.flags["form"]:
        try:
            holds = check.cond.test(env)
        except Unevaluable:
            continue
        if holds:
            found = [details[n] for n in _checks_named(check.definition) if n in details]
            raised.append(replace(check.flag, args={"detail": found[0]}) if found else check.flag)
    if pending:
        raised.append(Flag("total_incomplete", {"pending": pending}))
    return raised


def _checks_named(definition: m.FlagDef) -> list[str]:
    """The engine checks (``weights_mismatch`` …) a flag's condition names."""
    found: list[str] = []
    _walk_checks(definition.when, found)
    return found


def _walk_checks(cond: m.Cond, found: list[str]) -> None:
    # A module function, not a recursive closure: that would be a reference cycle per call.
    if isinstance(cond, m.Check):
        found.append(cond.name)
    elif isinstance(cond, (m.And, m.Or)):
        for item in cond.items:
            _walk_checks(item, found)
    elif isinstance(cond, m.Not):
        _walk_checks(cond.item, found)


def _weight_checks(
    plan: Plan, lines: Sequence[LineResult], budget: BudgetResult | None
) -> tuple[frozenset[str], dict[str, Phrase]]:
    """Which weight checks fail, with the groups and figures that make them fail. A sum with a
    weight missing from it is not known: a group (or the total) is compared only when every
    line in it has its weight, and a group is "not on the form" only when no line names it."""
    spec = plan.policy.weights
    if spec is None:
        return frozenset(), {}
    found: set[str] = set()
    details: dict[str, Phrase] = {}
    sums = [_ZERO] * len(spec.groups)
    seen = [False] * len(spec.groups)
    unknown = [False] * len(spec.groups)
    groups_of = plan.weight_groups_of
    weighted = True  # every line has its weight
    total = _ZERO
    for line in lines:
        weight = line.verdict.weight
        if weight is None:
            weighted = False
        else:
            total += weight
        level1 = line.line.level1
        if level1 is None:
            continue
        for i in groups_of(level1):
            seen[i] = True
            if weight is None:
                unknown[i] = True
            else:
                sums[i] += weight
    off: list[tuple[str, Decimal | None, Decimal]] = []
    for group, summed, present, partial in zip(spec.groups, sums, seen, unknown, strict=True):
        if not partial and abs(summed - group.weight) > spec.tolerance:
            found.add("weights_mismatch")
            off.append((group.pattern, summed if present else None, group.weight))
    if off:
        details["weights_mismatch"] = Phrase("groups_off", {"groups": tuple(off)})
    if spec.total is not None and weighted:
        summed = total
        if budget is not None and budget.counted and budget.weight is not None:
            summed += budget.weight
        if abs(summed - spec.total) > spec.tolerance:
            found.add("weights_total_mismatch")
            details["weights_total_mismatch"] = Phrase(
                "total_off", {"weights": summed, "total": spec.total}
            )
    return frozenset(found), details
