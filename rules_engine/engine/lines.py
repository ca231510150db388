"""One indicator line scored: read its cells, pick its rule, run it, compare with the self-score.

A line's result has three parts, each a pure function of a few of its cells under the policy:
the verdict (the trace up to the score: route, target, actual, weight, and the self-score or
note when the rule reads them), the tail (the verdict and the self-score) and the flags (the
tail, the note being empty, the name looking like a header fragment). Each distinct part is made
once (see `memo`) and shared by every line alike, which is what makes large batches fast.
"""

from __future__ import annotations

from decimal import Decimal

from rules_engine.bounded import figure
from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.fullmarks import full_marks
from rules_engine.engine.memo import Case
from rules_engine.engine.plan import Plan
from rules_engine.engine.reading import Pair
from rules_engine.engine.routes import Route
from rules_engine.engine.trace import Verdict as Decided
from rules_engine.model import IndicatorLine
from rules_engine.scorecard import Flag, LineResult, Step, Tail, Verdict

_UNIT_MISMATCH = frozenset({"unit_mismatch"})
_FRAGMENT = Flag("header_fragment", severity="error")
_TARGETS_ONLY_ACTUAL = Step("targets_only_actual")
_NO_RULE = Step("no_rule")


def score_line(plan: Plan, index: int, line: IndicatorLine, targets_only: bool) -> LineResult:
    """Score one line under the plan (`targets_only`: explain the rule that would apply only)."""
    marked = None if targets_only else plan.not_applicable(line)
    if marked is not None:
        return _not_applicable(plan, index, line, marked)
    # The line's variables, made at most once: dispatch may need them, and so does a new case.
    made: list[Env] = []

    def scratch() -> Env:
        if not made:
            made.append(_scratch_env(plan, line))
        return made[0]

    route = plan.route(line, scratch)
    # Lines alike: the category path matters only through the route it picks.
    key = (route.number if route is not None else 0, line.target, line.actual, line.weight)
    cases = plan.memo.targets_only_cases if targets_only else plan.memo.cases
    case = cases.get(key)
    if case is None:
        case = cases.put(key, _case(plan, line, route, scratch()))
    own = line.score
    note_empty = line.note is None
    variant = (own if case.reads_self else None, note_empty if case.reads_note else None)
    verdict = case.verdicts.get(variant)
    if verdict is None:
        _set_line(case.env, line)
        verdict = case.verdicts[variant] = _verdict(plan, case, targets_only)
    tail_key = (variant, own)
    tail = case.tails.get(tail_key)
    if tail is None:
        own_figure = figure(own)
        tail = case.tails[tail_key] = plan.memo.tail(
            verdict, own_figure, lambda: _tail(plan, verdict, own_figure)
        )
    fragment = plan.header_fragment(line)
    flag_key = (variant, own, note_empty, fragment)
    flags = case.flags.get(flag_key)
    if flags is None:
        _set_line(case.env, line)
        made_flags = _flags(plan, case, verdict, line, targets_only=targets_only)
        flags = case.flags[flag_key] = (*made_flags, _FRAGMENT) if fragment else made_flags
    return LineResult(index, line, verdict, tail, flags)


def _not_applicable(
    plan: Plan, index: int, line: IndicatorLine, marked: tuple[str, str]
) -> LineResult:
    """A line the policy reads as not applicable: no rule, no score, its weight set aside."""
    cell, text = marked
    weight = figure(line.weight)
    step = Step(
        "not_applicable", {"cell": cell, "text": text, "weight": weight}, None, plan.na_source
    )
    verdict = Verdict(
        weight=weight,
        target_value=None,
        actual_value=None,
        rule=None,
        rule_title=None,
        label=None,
        source=plan.na_source,
        outcome="not_applicable",
        score=None,
        unrounded=None,
        steps=(step,),
    )
    return LineResult(index, line, verdict, _tail(plan, verdict, figure(line.score)), ())


def _scratch_env(plan: Plan, line: IndicatorLine) -> Env:
    """The line's variables, for dispatch conditions that read them."""
    read = plan.pair(line.target, line.actual)
    env = Env()
    read.fill(env)
    _set_line(env, line)
    if read.unit_mismatch:
        env.checks = _UNIT_MISMATCH
    return env


def _case(plan: Plan, line: IndicatorLine, route: Route | None, env: Env) -> Case:
    rule = route.rule if route is not None else None
    reads_self = rule is not None and rule.reads_self
    reads_note = rule is not None and rule.reads_note
    return Case(plan.pair(line.target, line.actual), route, reads_self, reads_note, env)


def _set_line(env: Env, line: IndicatorLine) -> None:
    """The line's own cells in its variables: weight, self-score and note."""
    weight = figure(line.weight)
    own = figure(line.score)
    env.weight = weight
    env.self_score = own
    env.note = line.note
    env.texts = {
        "note": line.note,
        "actual": line.actual,
        "target": line.target,
        "self_score": line.score if own is not None else None,
        "weight": line.weight if weight is not None else None,
    }


def _verdict(plan: Plan, case: Case, targets_only: bool) -> Verdict:
    """Trace a line up to its score: how the cells were read, the rule, the decision."""
    env, read, route = case.env, case.read, case.route
    env.score = env.outcome = None
    weight = env.weight
    steps: list[Step] = [read.target_step]
    steps.append(_TARGETS_ONLY_ACTUAL if targets_only else read.actual_step)
    if route is not None:
        steps.append(route.step)
    marks = None
    if targets_only:
        decided = _targets_only(route)
    elif route is None:
        decided = Decided([_NO_RULE], None, None, "review", missing="no_rule")
    elif route.rule is None:
        review = route.review
        text = (review.zh, review.en or review.zh) if review else None
        step = Step("review", {"text": text}, source=route.source)
        decided = Decided([step], None, None, "review", missing="policy")
    else:
        decided = plan.runner.run(route.rule, env)
        if decided.score is None or weight is None or decided.score < weight:
            # Which actual earns full marks matters only where points were lost or none given.
            marks = full_marks(plan, route.rule, read, weight)
    steps.extend(decided.steps)
    rule = route.rule if route is not None else None
    clause = decided.clause
    in_top_band = (
        decided.band is not None
        and weight is not None
        and decided.band[1] >= weight
        and decided.score is not None
        and env.self_score is not None
        and decided.score == plan.rounding.apply(env.self_score)
    )
    return Verdict(
        weight=weight,
        target_value=read.target.value,
        actual_value=read.actual.value,
        rule=rule.name if rule is not None else None,
        rule_title=rule.title if rule is not None else None,
        label=clause.label if clause is not None else None,
        source=clause.source if clause is not None else (route.source if route else None),
        outcome=decided.outcome,
        score=decided.score,
        unrounded=decided.unrounded,
        steps=tuple(steps),
        flags=tuple(decided.flags),
        band=decided.band,
        full_marks_actual=None if in_top_band else marks,
        in_top_band=in_top_band,
    )


def _targets_only(route: Route | None) -> Decided:
    rule = route.rule.name if route is not None and route.rule is not None else None
    sent = route is not None and route.rule is None
    step = Step("targets_only", {"rule": rule, "review": sent, "no_rule": route is None})
    return Decided([step], None, None, "review", missing="targets_only")


def _tail(plan: Plan, verdict: Verdict, own: Decimal | None) -> Tail:
    """What a reviewer reads after the score: points lost, full marks, the self-score."""
    make = plan.memo.step
    places = plan.rounding.places
    score, weight = verdict.score, verdict.weight
    delta = None if score is None or own is None else score - own
    lost = None if score is None or weight is None else weight - score
    steps: list[Step] = []
    if lost is not None and lost > 0:
        steps.append(make("lost", {"lost": lost, "places": places}, lost))
        band = verdict.band
        if verdict.in_top_band and band is not None and score is not None:
            low, high = band
            args = {"low": low, "high": high, "score": score, "places": places}
            steps.append(make("band_choice", args))
        elif verdict.full_marks_actual is not None:
            steps.append(make("full_marks", {"at": verdict.full_marks_actual}))
    within = None if delta is None else abs(delta) <= plan.tolerance
    if own is not None and delta is None:
        steps.append(make("self", {"own": own}, own))
    elif own is not None:
        args = {
            "own": own,
            "delta": delta,
            "within": within,
            "tolerance": plan.tolerance,
            "places": places,
        }
        steps.append(make("delta", args, delta))
    return Tail(own, delta, lost, within, tuple(steps))


def _flags(
    plan: Plan, case: Case, verdict: Verdict, line: IndicatorLine, *, targets_only: bool
) -> tuple[Flag, ...]:
    """The policy's line flags that hold, then the engine's own data flags not already raised."""
    raised: list[Flag] = []
    if not targets_only:
        env = case.env
        env.score = verdict.score
        env.outcome = verdict.outcome
        for check in plan.flags["line"]:
            try:
                holds = check.cond.test(env)
            except Unevaluable:
                continue
            if holds:
                raised.append(check.flag)
    raised.extend(verdict.flags)
    raised.extend(_data_flags(case.read, case.route, line, targets_only))
    seen: set[str] = set()
    unique = []
    for item in raised:
        if item.code not in seen:
            seen.add(item.code)
            unique.append(item)
    return tuple(unique)


def _data_flags(
    read: Pair, route: Route | None, line: IndicatorLine, targets_only: bool
) -> list[Flag]:
    """Problems of the form's data itself, raised whatever the policy says (never silent)."""
    out: list[Flag] = []
    target = read.target
    if targets_only:
        if not target.quantified:
            out.append(Flag("target_not_quantified", {"target": line.target}, "info"))
        return out
    if target.value is None:
        out.append(Flag("missing_target"))
    elif target.value.kind == "unknown":
        out.append(Flag("unreadable_target", {"target": line.target}))
    actual = read.actual
    if actual.value is None:
        out.append(Flag("missing_actual"))
    elif actual.value.kind == "unknown":
        out.append(Flag("unreadable_actual", {"actual": line.actual}))
    if read.unit_mismatch:
        out.append(Flag("unit_mismatch", {"actual_unit": actual.unit, "target_unit": target.unit}))
    if route is None:
        out.append(Flag("no_rule"))
    weight = figure(line.weight)
    own = figure(line.score)
    if weight is None:
        out.append(Flag("missing_weight"))
        if own is not None:
            out.append(Flag("self_score_without_weight", {"own": own}))
    elif own is not None and own > weight:
        out.append(Flag("self_score_above_weight", {"own": own, "weight": weight}, "error"))
    return out
