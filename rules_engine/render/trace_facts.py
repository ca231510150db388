"""The facts a trace lists around its steps: an indicator line's cell, readings, rule and score,
and the budget block's and the total's figures."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from rules_engine.diagnostics import Lang
from rules_engine.render import phrases
from rules_engine.render.labels import (
    NO_GLOSSARY,
    Glossary,
    alt_grade_shown,
    full_path,
    number,
    outcome,
    percent,
    pick,
    policy_word,
    raw,
    reading,
    self_total_text,
    signed,
    subtotal_label,
    text_or_dash,
    total_text,
)
from rules_engine.scorecard import Flag, FormResult, LineResult, Step
from rules_engine.values import plain


def _shorten(value: Decimal) -> str:
    """An unrounded figure, cut (not rounded) after ten places so ``6.666…`` stays readable."""
    text = plain(value)
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac[:10]}…" if len(frac) > 10 else text


# Rule name → (basis, note): the legal source and the 说明 a policy writes for each rule.
RuleNotes = Mapping[str, tuple[str | None, str | None]]


def trace_head(
    result: FormResult,
    line: LineResult,
    lang: Lang,
    notes: RuleNotes | None = None,
    glossary: Glossary = NO_GLOSSARY,
) -> list[tuple[str, str]]:
    """The facts before the steps: the line, its cell, how target and actual were read, the rule."""
    rows = [(pick(lang, "指标", "indicator"), f"#{line.index} {full_path(line)}")]
    if line.position is not None:
        where = pick(
            lang,
            f"第 {line.position.row} 行 第 {line.position.col} 列",
            f"row {line.position.row}, column {line.position.col}",
        )
        rows.append((pick(lang, "位置", "cell"), where))
    rows.append(
        (
            pick(lang, "目标", "target"),
            f"{text_or_dash(line.target)} → {reading(line.target_value, lang)}",
        )
    )
    if result.form.kind != "targets-only":
        rows.append(
            (
                pick(lang, "实际", "actual"),
                f"{text_or_dash(line.actual)} → {reading(line.actual_value, lang)}",
            )
        )
        rows.append((pick(lang, "分值", "weight"), raw(line.weight)))
    rule = line.rule or pick(lang, "无", "none")
    if line.rule_title:
        title = policy_word(line.rule_title, lang, glossary)
        rule = pick(lang, f"{rule}「{title}」", f"{rule} ({title})")
    if line.source:
        rule = f"{rule} · {line.source}"
    rows.append((pick(lang, "规则", "rule"), rule))
    basis, note = (notes or {}).get(line.rule or "", (None, None))
    if basis:
        rows.append((pick(lang, "依据", "basis"), policy_word(basis, lang, glossary)))
    if note:
        rows.append((pick(lang, "说明", "note"), policy_word(note, lang, glossary)))
    return rows


def trace_tail(result: FormResult, line: LineResult, lang: Lang) -> list[tuple[str, str]]:
    """The facts after the steps: score before and after rounding, points lost, the self-score."""
    if result.form.kind == "targets-only":
        return []
    score = number(line.score)
    if line.unrounded is not None and line.score is not None and line.unrounded != line.score:
        before = _shorten(line.unrounded)
        score = pick(lang, f"{score}（舍入前 {before}）", f"{score} (before rounding {before})")
    rows = [(pick(lang, "复核得分", "policy score"), f"{score} · {outcome(line, lang)}")]
    # The engine's steps usually say these already, in both languages; repeat only what is missing.
    told = {step.kind for step in line.steps}
    if line.points_lost is not None and "lost" not in told:
        rows.append((pick(lang, "失分", "points lost"), number(line.points_lost)))
    if line.full_marks_actual is not None and "full_marks" not in told:
        at = phrases.phrase_text(line.full_marks_actual, lang)
        rows.append(
            (
                pick(lang, "满分所需", "full marks at"),
                pick(lang, f"实际达到 {at}", f"an actual of {at}"),
            )
        )
    if line.band is not None:
        rows.append(
            (pick(lang, "允许区间", "allowed band"), f"[{raw(line.band[0])}, {raw(line.band[1])}]")
        )
    rows.append((pick(lang, "自评得分", "self score"), raw(line.self_score)))
    rows.append(
        (
            pick(lang, "差异", "difference"),
            pick(
                lang,
                f"{signed(line.delta)}（复核 − 自评）",
                f"{signed(line.delta)} (policy − self)",
            ),
        )
    )
    rows.append((pick(lang, "偏差原因", "deviation note"), text_or_dash(line.note)))
    return rows


# `--line budget` and `--line total` ask for these blocks' traces instead of an indicator line's.
BUDGET_LINE = 0
TOTAL_LINE = -1


def block_trace(
    result: FormResult, which: int, lang: Lang, glossary: Glossary = NO_GLOSSARY
) -> tuple[str, list[tuple[str, str]], Sequence[Step], Sequence[Flag]]:
    """Title, facts, steps and flags of the budget block (`BUDGET_LINE`) or the total."""
    if result.form.kind == "targets-only":
        title = pick(lang, "预算执行率", "budget execution") if which == BUDGET_LINE else None
        nothing = pick(lang, "目标表：只列目标，不计分。", "targets-only form: nothing is scored.")
        return title or pick(lang, "总分", "total"), [(pick(lang, "说明", "note"), nothing)], [], []
    if which == BUDGET_LINE:
        return _budget_trace(result, lang)
    total = result.total
    facts = [
        (pick(lang, "复核总分", "policy total"), total_text(total, lang, glossary)),
        (pick(lang, "自评总分", "self-reported total"), self_total_text(total, lang, glossary)),
        (pick(lang, "分值合计", "weights"), raw(total.weight)),
    ]
    for alt in total.alternatives:
        name = policy_word(alt.name, lang, glossary)
        label = pick(lang, f"按「{name}」", f"under {name}")
        facts.append((label, alt_grade_shown(alt, lang, glossary)))
    if total.delta is not None:
        facts.append((pick(lang, "差异", "difference"), signed(total.delta)))
    for group in total.groups:
        sub = f"{number(group.score)} / {raw(group.weight)}"
        sub += pick(lang, f"（自评 {raw(group.self_score)}）", f" (self {raw(group.self_score)})")
        facts.append((subtotal_label(group, lang), sub))
    return pick(lang, "总分", "total"), facts, total.steps, result.flags


def _budget_trace(
    result: FormResult, lang: Lang
) -> tuple[str, list[tuple[str, str]], Sequence[Step], Sequence[Flag]]:
    title = pick(lang, "预算执行率", "budget execution")
    budget = result.budget
    if budget is None:
        return title, [], [], []
    weight = raw(budget.weight)
    if budget.printed_weight is not None and budget.printed_weight != budget.weight:
        weight += pick(
            lang,
            f"（表上 {raw(budget.printed_weight)}）",
            f" (printed {raw(budget.printed_weight)})",
        )
    score = number(budget.computed)
    if budget.computed is not None and not budget.counted:
        score += pick(lang, "（不计入总分）", " (not in the total)")
    elif budget.computed is None:
        score = pick(lang, "未计算（见下）", "not computed (see below)")
    own = raw(budget.self_score)
    if budget.self_printed is not None and budget.self_printed != budget.self_score:
        own += pick(
            lang, f"（表上 {raw(budget.self_printed)}）", f" (printed {raw(budget.self_printed)})"
        )
    facts = [
        (pick(lang, "执行率", "rate"), percent(budget.rate)),
        (pick(lang, "分值", "weight"), weight),
        (pick(lang, "复核得分", "policy score"), score),
        (pick(lang, "自评得分", "self score"), own),
        (pick(lang, "差异", "difference"), signed(budget.delta)),
    ]
    if budget.source:
        facts.append((pick(lang, "规则", "rule"), budget.source))
    return title, facts, budget.steps, budget.flags
