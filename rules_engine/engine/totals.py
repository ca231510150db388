"""Subtotals by 一级, the total and its grade beside the self-reported ones, and form flags."""

from __future__ import annotations

from decimal import Decimal

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.numbers import figure, fixed, show
from rules_engine.engine.plan import Plan
from rules_engine.engine.words import build, flag, step
from rules_engine.model import Form
from rules_engine.scorecard import BudgetResult, Flag, GroupTotal, LineResult, Step, TotalResult

_ZERO = Decimal(0)


def score_total(
    plan: Plan, form: Form, lines: list[LineResult], budget: BudgetResult | None, targets_only: bool
) -> tuple[TotalResult, list[Flag]]:
    """The form's total (lines + budget when counted), its grade, the groups and form flags."""
    groups = _groups(lines)
    own_total, own_steps = _self_total(form, lines)
    if targets_only:
        empty = build(
            TotalResult,
            score=None,
            self_score=own_total,
            weight=None,
            grade=None,
            self_grade=None,
            groups=groups,
            steps=[step("total", "目标表，不计总分", "a targets-only form has no total")],
            delta=None,
        )
        return empty, []
    places = plan.rounding.places
    by_total_stage = plan.rounding.stage == "total"
    scored = [x for x in lines if x.score is not None]
    pending = len(lines) - len(scored)
    line_sum = _ZERO
    for x in scored:
        value = x.unrounded if by_total_stage and x.unrounded is not None else x.score
        line_sum += value or _ZERO
    weight_sum = sum((x.weight for x in lines if x.weight is not None), _ZERO)
    steps: list[Step] = []
    parts = [f"指标得分合计 {show(line_sum)}"]
    parts_en = [f"indicator lines {show(line_sum)}"]
    raw = line_sum
    weight = weight_sum
    budget_counted = budget is not None and budget.counted and budget.weight is not None
    if budget is not None and budget_counted:
        assert budget.weight is not None
        weight = weight + budget.weight
        if budget.score is not None:
            raw = raw + budget.score
            parts.append(f"预算执行得分 {show(budget.score)}")
            parts_en.append(f"budget {show(budget.score)}")
    total = plan.rounding.apply(raw)
    steps.append(
        step(
            "total",
            f"复核总分 = {' + '.join(parts)} = {fixed(total, places)}",
            f"total = {' + '.join(parts_en)} = {fixed(total, places)}",
            total,
            plan.rounding_source,
        )
    )
    if pending:
        steps.append(
            step(
                "pending",
                f"另有 {pending} 行待复核，未计入总分",
                f"{pending} line(s) await review and are not in the total",
            )
        )
    grade, grade_step = _grade(plan, total, "复核总分", "the total")
    if grade_step:
        steps.append(grade_step)
    steps.extend(own_steps)
    own_grade = None
    if own_total is not None:
        own_grade, own_grade_step = _grade(plan, own_total, "自评总分", "the self-reported total")
        if own_grade_step:
            steps.append(own_grade_step)
    delta = None if own_total is None else total - own_total
    if delta is not None:
        sign = "+" if delta > 0 else ""
        steps.append(
            step(
                "delta",
                f"复核总分减自评总分 {sign}{fixed(delta, places)}",
                f"total minus self-reported total {sign}{fixed(delta, places)}",
                delta,
            )
        )
    result = build(
        TotalResult,
        score=total,
        self_score=own_total,
        weight=weight,
        grade=grade,
        self_grade=own_grade,
        groups=groups,
        steps=steps,
        delta=delta,
    )
    flags = _form_flags(
        plan, lines=lines, scored=scored, budget=budget, total=result, pending=pending
    )
    return result, flags


def _groups(lines: list[LineResult]) -> list[GroupTotal]:
    order: list[str] = []
    weights: dict[str, Decimal] = {}
    scores: dict[str, Decimal | None] = {}
    owns: dict[str, Decimal | None] = {}
    for line in lines:
        key = line.level1 or "—"
        if key not in weights:
            order.append(key)
            weights[key] = _ZERO
            scores[key] = None
            owns[key] = None
        if line.weight is not None:
            weights[key] += line.weight
        if line.score is not None:
            scores[key] = (scores[key] or _ZERO) + line.score
        if line.self_score is not None:
            owns[key] = (owns[key] or _ZERO) + line.self_score
    return [
        build(GroupTotal, level1=k, weight=weights[k], score=scores[k], self_score=owns[k])
        for k in order
    ]


def _self_total(form: Form, lines: list[LineResult]) -> tuple[Decimal | None, list[Step]]:
    printed = figure(form.total.score) if form.total is not None else None
    if printed is not None:
        return printed, [
            step(
                "self_total",
                f"自评总分（表上）{show(printed)}",
                f"self-reported total (as printed) {show(printed)}",
                printed,
            )
        ]
    owns = [x.self_score for x in lines if x.self_score is not None]
    if not owns:
        return None, []
    summed = sum(owns, _ZERO)
    return summed, [
        step(
            "self_total",
            f"表上没有总分，自评总分取各行自评得分之和 {show(summed)}",
            f"no total printed; the self-scores add up to {show(summed)}",
            summed,
        )
    ]


def _grade(plan: Plan, total: Decimal, zh: str, en: str) -> tuple[str | None, Step | None]:
    for grade in plan.policy.grades:
        if grade.bound is None or total > grade.bound or (grade.inclusive and total == grade.bound):
            if grade.bound is None:
                why_zh, why_en = "低于以上各档", "below every other band"
            else:
                sign = "≥" if grade.inclusive else ">"
                why_zh = why_en = f"{show(total)} {sign} {show(grade.bound)}"
            return grade.label, step(
                "grade",
                f"{zh}等级：{grade.label}（{why_zh}）",
                f"{en} grades {grade.label} ({why_en})",
                source=grade.loc.cite(),
            )
    return None, None


def _form_flags(
    plan: Plan,
    *,
    lines: list[LineResult],
    scored: list[LineResult],
    budget: BudgetResult | None,
    total: TotalResult,
    pending: int,
) -> list[Flag]:
    env = Env()
    env.indicator_score = sum((x.score for x in scored if x.score is not None), _ZERO)
    weights = [x.weight for x in scored if x.weight is not None]
    env.indicator_weight = sum(weights, _ZERO) if weights else None
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
    env.checks = _weight_checks(plan, lines, budget)
    raised: list[Flag] = []
    for check in plan.flags["form"]:
        try:
            holds = check.cond.test(env)
        except Unevaluable:
            continue
        if holds:
            d = check.definition
            raised.append(flag(d.code, d.zh, d.en, d.severity, check.source))
    if pending:
        raised.append(
            flag(
                "total_incomplete",
                f"{pending} 行待复核，总分不完整",
                f"{pending} line(s) await review; the total is incomplete",
                "warning",
            )
        )
    return raised


def _weight_checks(
    plan: Plan, lines: list[LineResult], budget: BudgetResult | None
) -> frozenset[str]:
    spec = plan.policy.weights
    if spec is None:
        return frozenset()
    found: set[str] = set()
    sums = [_ZERO] * len(spec.groups)
    for line in lines:
        if line.level1 is not None and line.weight is not None:
            for i in plan.weight_groups_of(line.level1):
                sums[i] += line.weight
    for group, summed in zip(spec.groups, sums, strict=True):
        if abs(summed - group.weight) > spec.tolerance:
            found.add("weights_mismatch")
    if spec.total is not None:
        summed = sum((x.weight for x in lines if x.weight is not None), _ZERO)
        if budget is not None and budget.counted and budget.weight is not None:
            summed += budget.weight
        if abs(summed - spec.total) > spec.tolerance:
            found.add("weights_total_mismatch")
    return frozenset(found)
