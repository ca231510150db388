"""The form's total: what is scored, the range of totals still possible, the grade it allows.

A total is final only when every line is scored, the budget was read (or is not needed), the
visible weights reach the policy's total and the form was read reliably. Otherwise the total is
a range [low, high] that bounds every completion of what is missing, and a grade is given only
when that range lies in one band. The self total follows the same rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rules_engine.engine.form_checks import form_flags, self_total, self_total_over
from rules_engine.engine.plan import Plan
from rules_engine.model import Form
from rules_engine.policy import model as m
from rules_engine.scorecard import (
    AltGrade,
    BudgetResult,
    Flag,
    GroupTotal,
    LineResult,
    Step,
    TotalResult,
)

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
# Reader warnings that say rows were cut off (truncated text, a cut cell, size caps).
_CUT_CODES = frozenset({"E145", "E148"})
# Reasons that say the values themselves may be wrong: any total is then possible.
_DOUBT = frozenset({"reading_unreliable", "weights_over", "header_fragments", "nothing_read"})
# Line flags of the sanity gate: the line's values contradict each other.
_INCONSISTENT = frozenset({"self_score_above_weight", "self_score_without_weight"})
HEADER_FRAGMENT = "header_fragment"


@dataclass(slots=True)
class _NotApplicable:
    """The lines a policy reads as not applicable: how many, and their weight."""

    count: int = 0
    weight: Decimal = _ZERO


@dataclass(slots=True)
class _Bounds:
    """The scored sum and how far the unknown parts may move it."""

    scored: Decimal = _ZERO
    # Lowest and highest amounts the unknown parts may add.
    spread: Decimal = _ZERO
    less: Decimal = _ZERO
    reasons: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def because(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)


def score_total(  # noqa: C901, PLR0912, PLR0915
    plan: Plan,
    form: Form,
    lines: Sequence[LineResult],
    budget: BudgetResult | None,
    targets_only: bool,
) -> tuple[TotalResult, list[Flag]]:
    """The form's total (lines + budget when counted), its range and grade, and form flags."""
    groups = _groups(lines)
    if targets_only:
        empty = TotalResult(
            score=None,
            self_score=None,
            weight=None,
            grade=None,
            groups=groups,
            steps=(Step("targets_only_total"),),
            final=False,
            reasons=("targets_only",),
            self_final=False,
        )
        return empty, []
    policy_total = plan.policy.weights.total if plan.policy.weights else None
    tolerance = plan.policy.weights.tolerance if plan.policy.weights else _ZERO
    by_total_stage = plan.rounding.stage == "total"
    places = plan.rounding.places
    budget_counts = budget is not None and budget.counted and budget.weight is not None

    bounds = _Bounds()
    pending = 0
    doubtful = 0
    fragments = 0
    visible = _ZERO
    set_aside = _NotApplicable()
    for line in lines:
        verdict = line.verdict  # read once: the line's own fields are properties over it
        weight = verdict.weight
        fragment = inconsistent = False
        for flag in line.flags:
            if flag.code == HEADER_FRAGMENT:
                fragment = True
            elif flag.code in _INCONSISTENT:
                inconsistent = True
        if fragment:
            fragments += 1
        if weight is not None:
            visible += weight
        if verdict.outcome == "not_applicable":
            set_aside.count += 1
            set_aside.weight += weight or _ZERO
            continue
        score = verdict.score
        if score is None:
            pending += 1
            if weight is not None:
                bounds.spread += weight
            continue
        unrounded = verdict.unrounded
        value = unrounded if by_total_stage and unrounded is not None else score
        bounds.scored += value
        if inconsistent and weight is not None:
            # The line's cells contradict each other: it may be worth anything up to its weight.
            doubtful += 1
            bounds.less += value
            bounds.spread += weight - value
    budget_part = _ZERO
    if budget is not None and budget_counts:
        assert budget.weight is not None
        visible += budget.weight
        if budget.score is not None:
            budget_part = budget.score
        else:
            bounds.spread += budget.weight
            bounds.because("budget_unread" if not budget.read else "budget_pending")
    bounds.scored += budget_part

    nothing = not form.indicators and (budget is None or not budget.read)
    if nothing:
        bounds.because("nothing_read")
    if form.reliability == "unreliable":
        bounds.because("reading_unreliable")
    if pending:
        bounds.because("lines_pending")
    if doubtful:
        bounds.because("values_inconsistent")
    if fragments:
        bounds.because("header_fragments")
    missing = _ZERO
    if policy_total is not None:
        if visible < policy_total - tolerance:
            missing = policy_total - visible
            bounds.spread += missing
            bounds.because("rows_missing" if _cut(form) else "weights_short")
        elif visible > policy_total + tolerance:
            bounds.because("weights_over")

    rescale = plan.policy.rescale
    applicable = visible - set_aside.weight
    if rescale is not None and applicable <= 0 and not nothing:
        nothing = True
        bounds.because("nothing_applicable")
    earned = bounds.scored
    lowest, highest = bounds.scored - bounds.less, bounds.scored + bounds.spread
    if rescale is not None and not nothing:
        # Points over the applicable weight, scaled. Rows that may be missing count as
        # applicable in the range: that bounds every way they could turn out.
        to, denominator = rescale.to, applicable + missing
        earned = bounds.scored * to / applicable
        lowest, highest = lowest * to / denominator, highest * to / denominator
    score = None if nothing else plan.rounding.apply(earned)
    low = plan.rounding.apply(lowest)
    high = plan.rounding.apply(highest)
    if _DOUBT & set(bounds.reasons):
        # The values themselves may be wrong: every total the policy allows is still possible.
        ceiling = rescale.to if rescale is not None else policy_total
        low = plan.rounding.apply(_ZERO)
        high = plan.rounding.apply(max(high, ceiling if ceiling is not None else _HUNDRED))
    grades = _grades(plan.policy.grades, low, high)
    grade = grades[0] if len(grades) == 1 else None
    alternatives = tuple(
        AltGrade(alt.name, found[0] if len(found) == 1 else None, tuple(found))
        for alt in plan.policy.alt_grades
        for found in [_grades(alt.grades, low, high)]
    )

    own_total, own_final, own_steps, own_flags = self_total(
        plan, form, lines, budget, budget_counts, short=missing > 0 or nothing
    )
    over = self_total_over(own_total, policy_total, tolerance) if own_final else None
    if over is not None:
        own_final = False
        bounds.because("self_total_over")
        own_flags.append(over)
    final = not bounds.reasons
    own_grade = (
        _grade_of(plan.policy.grades, own_total) if own_total is not None and own_final else None
    )
    delta = None
    if final and own_final and own_total is not None and score is not None:
        delta = score - own_total

    steps = _total_steps(
        plan,
        score=score,
        lines_sum=bounds.scored - budget_part,
        budget=budget if budget_counts else None,
        low=low,
        high=high,
        final=final,
        pending=pending,
        missing=missing,
        grades=grades,
        grade=grade,
        set_aside=set_aside,
        applicable=applicable,
    )
    steps.extend(_alt_steps(plan, alternatives))
    steps.extend(own_steps)
    if own_grade is not None:
        steps.append(Step("self_grade", {"grade": own_grade}))
    if delta is not None:
        steps.append(Step("total_delta", {"delta": delta, "places": places}, delta))
    weight = visible if lines or budget_counts else None
    result = TotalResult(
        score=score,
        self_score=own_total,
        weight=weight,
        grade=grade,
        self_grade=own_grade,
        groups=groups,
        steps=tuple(steps),
        delta=delta,
        final=final,
        low=low,
        high=high,
        grades=tuple(grades),
        reasons=tuple(bounds.reasons),
        pending=pending,
        self_final=own_final,
        alternatives=alternatives,
    )
    flags = form_flags(plan, lines=lines, budget=budget, total=result, pending=pending)
    flags.extend(own_flags)
    if policy_total is not None and visible > policy_total + tolerance:
        flags.append(
            Flag("weights_over_total", {"weights": visible, "total": policy_total}, "error")
        )
    return result, flags


def _cut(form: Form) -> bool:
    """Whether the reader says rows were dropped or the text was cut off."""
    if form.reliability == "partial":
        return True
    return any(d.code in _CUT_CODES for d in form.diagnostics)


def _total_steps(  # noqa: PLR0913
    plan: Plan,
    *,
    score: Decimal | None,
    lines_sum: Decimal,
    budget: BudgetResult | None,
    low: Decimal,
    high: Decimal,
    final: bool,
    pending: int,
    missing: Decimal,
    grades: list[str],
    grade: str | None,
    set_aside: _NotApplicable,
    applicable: Decimal,
) -> list[Step]:
    places = plan.rounding.places
    if score is None:
        if set_aside.count and plan.policy.rescale is not None:
            return [Step("nothing_applicable", {"count": set_aside.count})]
        return [Step("nothing_read")]
    budget_part = budget.score if budget is not None else None
    rescale = plan.policy.rescale
    summed = lines_sum + (budget_part or _ZERO)
    shown = score if rescale is None else plan.rounding.apply(summed)
    args = {"lines": lines_sum, "budget": budget_part, "total": shown, "places": places}
    if rescale is not None:
        args["rescaled"] = True
    steps = [Step("total", args, shown, plan.rounding_source)]
    if rescale is not None:
        args = {
            "earned": summed,
            "applicable": applicable,
            "to": rescale.to,
            "total": score,
            "count": set_aside.count,
            "weight": set_aside.weight,
            "places": places,
        }
        steps.append(Step("rescale", args, score, rescale.loc.cite()))
    elif set_aside.count:
        args = {"count": set_aside.count, "weight": set_aside.weight}
        steps.append(Step("set_aside", args, source=plan.na_source))
    if pending:
        steps.append(Step("pending", {"count": pending}))
    if missing:
        steps.append(Step("missing_weight", {"missing": missing}))
    if final:
        if grade is not None:
            steps.append(_grade_step(plan, score, grade))
        return steps
    span = {"low": low, "high": high, "places": places}
    if grade is not None:
        steps.append(Step("range_one", {**span, "grade": grade}, source=_band_source(plan, grade)))
    else:
        steps.append(Step("range_many", {**span, "grades": tuple(grades)}))
    return steps


def _alt_steps(plan: Plan, alternatives: tuple[AltGrade, ...]) -> list[Step]:
    """The grade (or grades) the total would get under each alternative set."""
    out: list[Step] = []
    for alt, spec in zip(alternatives, plan.policy.alt_grades, strict=True):
        args = {"name": alt.name, "grade": alt.grade, "grades": alt.grades}
        out.append(Step("alt_grade", args, source=spec.loc.cite()))
    return out


def _grade_step(plan: Plan, total: Decimal, grade: str) -> Step:
    band = next(b for b in plan.policy.grades if b.label == grade)
    sign = None if band.bound is None else (">=" if band.inclusive else ">")
    return Step(
        "grade",
        {"grade": grade, "total": total, "op": sign, "bound": band.bound},
        source=band.loc.cite(),
    )


def _band_source(plan: Plan, grade: str) -> str | None:
    return next((b.loc.cite() for b in plan.policy.grades if b.label == grade), None)


def _grade_of(bands: tuple[m.Grade, ...], total: Decimal) -> str | None:
    """The band a total falls in (bands are listed from the highest down)."""
    for grade in bands:
        if grade.bound is None or total > grade.bound or (grade.inclusive and total == grade.bound):
            return grade.label
    return None


def _grades(bands: tuple[m.Grade, ...], low: Decimal, high: Decimal) -> list[str]:
    """Every band a total in [low, high] can fall in, highest first."""
    top, bottom = _grade_of(bands, high), _grade_of(bands, low)
    labels = [g.label for g in bands]
    if top is None or bottom is None:
        return [x for x in (top, bottom) if x is not None]
    return labels[labels.index(top) : labels.index(bottom) + 1]


def _groups(lines: Sequence[LineResult]) -> tuple[GroupTotal, ...]:
    order: list[str] = []
    weights: dict[str, Decimal] = {}
    scores: dict[str, Decimal | None] = {}
    owns: dict[str, Decimal | None] = {}
    for line in lines:
        key = line.line.level1 or "—"
        verdict = line.verdict
        weight, score, own = verdict.weight, verdict.score, line.tail.self_score
        if key not in weights:
            order.append(key)
            weights[key] = _ZERO
            scores[key] = None
            owns[key] = None
        if weight is not None:
            weights[key] += weight
        if score is not None:
            scores[key] = (scores[key] or _ZERO) + score
        if own is not None:
            owns[key] = (owns[key] or _ZERO) + own
    return tuple(
        GroupTotal(level1=k, weight=weights[k], score=scores[k], self_score=owns[k]) for k in order
    )
