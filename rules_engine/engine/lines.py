"""One indicator line scored: read its cells, pick its rule, run it, compare with the self-score.

Lines that agree in everything a part of the trace depends on share that part: the trace up to
the score (same rule, target, actual, weight, and self-score or note when the rule reads them),
the steps after it (same score, self-score and full-marks actual), the flags and data flags.
Each part is computed once and reused, which is what makes large batches fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.fullmarks import full_marks
from rules_engine.engine.numbers import figure, fixed, show
from rules_engine.engine.plan import Plan, Route
from rules_engine.engine.reading import Pair
from rules_engine.engine.rules import CompiledClause
from rules_engine.engine.terms import Terms
from rules_engine.engine.trace import Verdict
from rules_engine.engine.words import build, flag, step, trusted
from rules_engine.model import IndicatorLine
from rules_engine.scorecard import Flag, LineResult, Outcome, Step

_UNIT_MISMATCH = frozenset({"unit_mismatch"})
_FRAGMENT = flag(
    "header_fragment",
    "这一行的指标名称是表头文字或其片段，不像指标：可能是读表时误把表头当成了指标行",
    "this line's name is a column header word or a piece of one, not an indicator: the reader "
    "may have taken part of the header for a row",
    "error",
)
# The keys `score_line` writes, in order: when they match the model, rows skip `build`.
_LINE_KEYS = (
    "index",
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "note",
    "target_value",
    "actual_value",
    "rule",
    "rule_title",
    "label",
    "source",
    "outcome",
    "score",
    "unrounded",
    "self_score",
    "delta",
    "points_lost",
    "full_marks_actual",
    "band",
    "steps",
    "flags",
    "position",
    "within_tolerance",
)
_LINE_ORDER_OK = tuple(LineResult.model_fields) == _LINE_KEYS


@dataclass(frozen=True, slots=True)
class Core:
    """The part of a line's result shared by every line alike: its trace up to the score."""

    route: Route | None
    steps: tuple[Step, ...]
    score: Decimal | None
    unrounded: Decimal | None
    outcome: Outcome
    clause: CompiledClause | None
    band: tuple[Decimal, Decimal] | None
    flags: tuple[Flag, ...]
    marks: tuple[str, str] | None
    # The self-score was accepted inside the top tier's band: any points lost were lost to the
    # score chosen in the band, not to the actual.
    in_top_band: bool = False
    # The flags for each (self-score, note empty): filled as lines arrive, so alike lines skip
    # straight to building their result.
    line_flags: dict[tuple[str | None, bool], tuple[Flag, ...]] = field(default_factory=dict)


def score_line(plan: Plan, index: int, line: IndicatorLine, targets_only: bool) -> LineResult:
    """Score one line under the plan (`targets_only`: explain the rule that would apply only)."""
    read = plan.pair(line.target, line.actual)
    weight = figure(line.weight)
    own = figure(line.score)
    fields = plan.fields(line.level1, line.level2, line.name)
    # The line's variables are made only when some part of its result is not cached yet.
    route = plan.route(fields, (line.target, line.actual), lambda: _env(read, line, weight, own))
    rule = route.rule if route is not None else None
    note_empty = line.note is None
    key = (
        route.number if route is not None else None,
        line.target,
        line.actual,
        line.weight,
        line.score if rule is not None and rule.reads_self else None,
        note_empty if rule is not None and rule.reads_note else None,
        targets_only,
    )
    core = plan.cores.get(key)
    if core is None:
        env = _env(read, line, weight, own)
        core = _core(plan, env, read, route, targets_only=targets_only, weight=weight)
        plan.remember(plan.cores, key, core)
    assert isinstance(core, Core)
    score = core.score
    delta = None if score is None or own is None else score - own
    lost = None if score is None or weight is None else weight - score
    # Keyed by texts: ``8`` and ``8.000`` are equal Decimals but print different deltas.
    # The full-marks words only show when points are lost.
    marks = core.marks if lost is not None and lost > 0 else None
    band = core.band if core.in_top_band else None
    tail_key = (None if score is None else str(score), line.score, line.weight, marks, band)
    tail = plan.tails.get(tail_key)
    if tail is None:
        tail = _tail(plan, score=score, own=own, delta=delta, lost=lost, marks=marks, band=band)
        plan.remember(plan.tails, tail_key, tail)
    assert isinstance(tail, tuple)
    flag_key = (line.score, note_empty)
    flags = core.line_flags.get(flag_key)
    if flags is None:
        env = _env(read, line, weight, own)
        flags = _flags(plan, env, read=read, core=core, line=line, targets_only=targets_only)
        core.line_flags[flag_key] = flags
    if plan.header_fragment(line):
        flags = (*flags, _FRAGMENT)
    clause = core.clause
    source = clause.source if clause is not None else (route.source if route else None)
    values = {
        "index": index,
        "level1": line.level1,
        "level2": line.level2,
        "name": line.name,
        "target": line.target,
        "actual": line.actual,
        "weight": weight,
        "note": line.note,
        "target_value": read.target.value,
        "actual_value": read.actual.value,
        "rule": rule.name if rule is not None else None,
        "rule_title": rule.title if rule is not None else None,
        "label": clause.label if clause is not None else None,
        "source": source,
        "outcome": core.outcome,
        "score": score,
        "unrounded": core.unrounded,
        "self_score": own,
        "delta": delta,
        "points_lost": lost,
        "full_marks_actual": core.marks[0] if core.marks else None,
        "band": core.band,
        "steps": [*core.steps, *tail],
        "flags": list(flags),
        "position": line.source,
        "within_tolerance": None if delta is None else abs(delta) <= plan.tolerance,
    }
    # Built as `trusted` straight from a dict in field order (the hot path of a batch);
    # should the model's fields ever change, `build` puts them in order.
    return trusted(LineResult, values) if _LINE_ORDER_OK else build(LineResult, **values)


def _env(read: Pair, line: IndicatorLine, weight: Decimal | None, own: Decimal | None) -> Env:
    """The variables rules and flags see for this line."""
    env = Env()
    read.fill(env)
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
    if read.unit_mismatch:
        env.checks = _UNIT_MISMATCH
    return env


def _core(
    plan: Plan,
    env: Env,
    read: Pair,
    route: Route | None,
    *,
    targets_only: bool,
    weight: Decimal | None,
) -> Core:
    """Trace a line up to its score: how the cells were read, the rule, the decision."""
    steps: list[Step] = [step("target", read.target.zh, read.target.en, read.target.number)]
    if targets_only:
        steps.append(step("actual", "目标表，无实际完成值", "a targets-only form: no actual"))
    else:
        steps.append(step("actual", read.actual_zh, read.actual_en, read.actual.number))
    if route is not None:
        steps.append(_route_step(route, plan.terms))
    marks = None
    if targets_only:
        verdict = _targets_only(route)
    elif route is None:
        verdict = _no_rule()
    elif route.rule is None:
        review = route.review
        zh = review.zh if review else "按规则转人工复核"
        en = (review.en or review.zh) if review else "sent to review by the policy"
        verdict = Verdict(
            [step("review", f"待复核：{zh}", f"needs review: {en}", source=route.source)],
            None,
            None,
            "review",
            missing="policy",
        )
    else:
        verdict = plan.runner.run(route.rule, env)
        marks = full_marks(plan, route.rule, read, weight)
    steps.extend(verdict.steps)
    in_top_band = (
        verdict.band is not None
        and weight is not None
        and verdict.band[1] >= weight
        and verdict.score is not None
        and env.self_score is not None
        and verdict.score == plan.rounding.apply(env.self_score)
    )
    return Core(
        route,
        tuple(steps),
        verdict.score,
        verdict.unrounded,
        verdict.outcome,
        verdict.clause,
        verdict.band,
        tuple(verdict.flags),
        None if in_top_band else marks,
        in_top_band,
    )


def _route_step(route: Route, terms: Terms) -> Step:
    if route.rule is None:
        return step(
            "rule",
            f"第 {route.number} 条 apply（{route.zh}）：转人工复核",
            f"apply line {route.number} ({route.en}): sent to review",
            source=route.source,
        )
    rule = route.rule
    title = f"（{rule.title}）" if rule.title else ""
    en_title = f" ({terms.english.get(rule.title, rule.title)})" if rule.title else ""
    return step(
        "rule",
        f"适用规则「{rule.name}」{title}：第 {route.number} 条 apply 匹配（{route.zh}）",
        f"rule {rule.name}{en_title} applies: apply line {route.number} matches ({route.en})",
        source=route.source,
    )


def _targets_only(route: Route | None) -> Verdict:
    if route is None:
        zh, en = "没有规则适用于这一行", "no rule applies to this line"
    elif route.rule is None:
        zh, en = "规则将其转人工复核", "the policy sends it to review"
    else:
        zh, en = f"将按规则「{route.rule.name}」计分", f"rule {route.rule.name} would score it"
    return Verdict(
        [
            step(
                "review",
                f"目标表，无实际完成值，不计分；{zh}",
                f"a targets-only form has no actual, so no score; {en}",
            )
        ],
        None,
        None,
        "review",
        missing="targets_only",
    )


def _no_rule() -> Verdict:
    return Verdict(
        [
            step(
                "review",
                "没有规则适用于这一行（没有一条 apply 匹配），待复核",
                "no rule applies to this line (no apply line matches); needs review",
            )
        ],
        None,
        None,
        "review",
        missing="no_rule",
    )


def _tail(
    plan: Plan,
    *,
    score: Decimal | None,
    own: Decimal | None,
    delta: Decimal | None,
    lost: Decimal | None,
    marks: tuple[str, str] | None,
    band: tuple[Decimal, Decimal] | None = None,
) -> tuple[Step, ...]:
    """What a reviewer reads after the score: points lost, full marks, the self-score."""
    places = plan.rounding.places
    steps: list[Step] = []
    if lost is not None and lost > 0:
        steps.append(
            step("lost", f"失分 {fixed(lost, places)}", f"points lost {fixed(lost, places)}", lost)
        )
        if band is not None and score is not None:
            top = fixed(band[1], places)
            steps.append(
                step(
                    "band_choice",
                    f"实际完成值已在最高一档（可得 {fixed(band[0], places)}–{top}），"
                    f"失分来自档内选定的分值 {fixed(score, places)}，不是实际完成值不足",
                    f"the actual is already in the top tier (worth {fixed(band[0], places)} "
                    f"to {top}); the points were lost to the score chosen in the band "
                    f"({fixed(score, places)}), not to the actual",
                )
            )
        elif marks is not None:
            steps.append(
                step(
                    "full_marks",
                    f"实际达到 {marks[0]} 可得满分",
                    f"an actual of {marks[1]} earns full marks",
                )
            )
    if own is None:
        return tuple(steps)
    if delta is None or score is None:
        steps.append(step("self", f"自评得分 {show(own)}", f"self-score {show(own)}", own))
        return tuple(steps)
    tolerance = plan.tolerance
    sign = "+" if delta > 0 else ""
    inside = abs(delta) <= tolerance
    steps.append(
        step(
            "delta",
            f"自评得分 {show(own)}，复核减自评 {sign}{fixed(delta, places)}"
            f"（{'在容差内' if inside else '超出容差'} {show(tolerance)}）",
            f"self-score {show(own)}; policy minus self {sign}{fixed(delta, places)} "
            f"({'within' if inside else 'beyond'} the tolerance {show(tolerance)})",
            delta,
        )
    )
    return tuple(steps)


def _flags(
    plan: Plan,
    env: Env,
    *,
    read: Pair,
    core: Core,
    line: IndicatorLine,
    targets_only: bool,
) -> tuple[Flag, ...]:
    """The policy's line flags that hold, then the engine's own data flags not already raised."""
    raised: list[Flag] = []
    if not targets_only:
        env.score = core.score
        env.outcome = core.outcome
        for check in plan.flags["line"]:
            try:
                holds = check.cond.test(env)
            except Unevaluable:
                continue
            if holds:
                d = check.definition
                raised.append(flag(d.code, d.zh, d.en, d.severity, check.source))
    raised.extend(core.flags)
    raised.extend(_data_flags(read, core.route, line, targets_only))
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
            out.append(
                flag(
                    "target_not_quantified",
                    f"年度指标值「{line.target or '—'}」未量化",
                    f"the target '{line.target or '—'}' is not quantified",
                    "info",
                )
            )
        return out
    if target.value is None:
        out.append(flag("missing_target", "年度指标值未填", "the target is empty"))
    elif target.value.kind == "unknown":
        out.append(
            flag(
                "unreadable_target",
                f"年度指标值「{line.target}」无法识读",
                f"the target '{line.target}' cannot be read",
            )
        )
    actual = read.actual
    if actual.value is None:
        out.append(flag("missing_actual", "实际完成值未填", "the actual is empty"))
    elif actual.value.kind == "unknown":
        out.append(
            flag(
                "unreadable_actual",
                f"实际完成值「{line.actual}」无法识读",
                f"the actual '{line.actual}' cannot be read",
            )
        )
    if read.unit_mismatch:
        out.append(
            flag(
                "unit_mismatch",
                f"实际完成值的单位「{actual.unit}」与年度指标值的「{target.unit}」不一致",
                f"the actual's unit {actual.unit} differs from the target's {target.unit}",
            )
        )
    if route is None:
        out.append(flag("no_rule", "没有规则适用于这一行", "no rule applies to this line"))
    weight = figure(line.weight)
    own = figure(line.score)
    if weight is None:
        out.append(
            flag("missing_weight", "分值未填或无法识读", "the weight is empty or unreadable")
        )
        if own is not None:
            out.append(
                flag(
                    "self_score_without_weight",
                    f"有自评得分 {show(own)}，却没有分值",
                    f"a self-score of {show(own)} on a line with no weight",
                )
            )
    elif own is not None and own > weight:
        out.append(
            flag(
                "self_score_above_weight",
                f"自评得分 {show(own)} 高于分值 {show(weight)}",
                f"the self-score {show(own)} is above the weight {show(weight)}",
                "error",
            )
        )
    return out
