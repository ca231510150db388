"""The words of a form's budget and total steps, in Chinese or English: the funding figures and
rate, the total and its grade, its range while lines are pending, and the self-reported total."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules_engine.render.figures import percent
from rules_engine.render.line_steps import kind_words
from rules_engine.render.words import Wording, Words, fix, num, signed_fixed
from rules_engine.signs import SIGNS


def _budget_rows(w: Words, a: Mapping[str, Any]) -> str:
    listed = "，".join(
        f"{zh} {'—' if a[key] is None else num(a[key])}"
        for key, zh in (
            ("initial", "年初预算数"),
            ("adjusted", "全年预算数"),
            ("executed", "全年执行数"),
        )
    )
    name, taken = a["name"], a["taken"]
    if taken == "total":
        return w.pick(f"取「{name}」行：{listed}", f"figures from the row '{name}'")
    if taken == "parts":
        return w.pick(f"取各分项资金之和：{listed}", "figures summed over the part rows")
    return w.pick(
        f"「{name}」行的预算数为空或为 0，改取各分项资金之和：{listed}",
        f"the row '{name}' has no budget figure, so the part rows are summed",
    )


def _budget_self(w: Words, a: Mapping[str, Any]) -> str:
    own, delta = num(a["own"]), a["delta"]
    if delta is None:
        return w.pick(f"自评预算得分 {own}", f"self-reported budget score {own}")
    signed = signed_fixed(delta, a["places"])
    return w.pick(
        f"自评预算得分 {own}，复核减自评 {signed}",
        f"self-reported budget score {own}; policy minus self {signed}",
    )


def _total(w: Words, a: Mapping[str, Any]) -> str:
    zh = [f"指标得分合计 {num(a['lines'])}"]
    en = [f"indicator lines {num(a['lines'])}"]
    if a["budget"] is not None:
        zh.append(f"预算执行得分 {num(a['budget'])}")
        en.append(f"budget {num(a['budget'])}")
    total = fix(a["total"], a["places"])
    if a.get("rescaled"):
        return w.pick(
            f"得分合计 = {' + '.join(zh)} = {total}", f"points earned = {' + '.join(en)} = {total}"
        )
    return w.pick(f"复核总分 = {' + '.join(zh)} = {total}", f"total = {' + '.join(en)} = {total}")


def _grade(w: Words, a: Mapping[str, Any]) -> str:
    grade = a["grade"]
    if a["bound"] is None:
        why_zh, why_en = "低于以上各档", "below every other band"
    else:
        why_zh = why_en = f"{num(a['total'])} {SIGNS[a['op']]} {num(a['bound'])}"
    return w.pick(
        f"复核总分等级：{grade}（{why_zh}）", f"the total grades {w.label(grade)} ({why_en})"
    )


def _rescale(w: Words, a: Mapping[str, Any]) -> str:
    earned, applicable, to = num(a["earned"]), num(a["applicable"]), num(a["to"])
    total = fix(a["total"], a["places"])
    count = a["count"]
    aside_zh = f"（{count} 行不适用，分值 {num(a['weight'])} 不计入）" if count else ""
    aside_en = f" ({count} line(s) not applicable, weight {num(a['weight'])} set aside)"
    return w.pick(
        f"按适用分值折算：{earned} ÷ {applicable} × {to} = {total}{aside_zh}",
        f"over the applicable weight: {earned} / {applicable} × {to} = {total}"
        f"{aside_en if count else ''}",
    )


def _alt_grade(w: Words, a: Mapping[str, Any]) -> str:
    name = w.label(a["name"])
    if a["grade"] is not None:
        return w.pick(
            f"按备选等级「{a['name']}」：{a['grade']}", f"under {name}: {w.label(a['grade'])}"
        )
    grades = a["grades"]
    if not grades:
        return w.pick(f"按备选等级「{a['name']}」：无等级", f"under {name}: no grade")
    return w.pick(
        f"按备选等级「{a['name']}」：跨「{'、'.join(grades)}」档，暂不定等级",
        f"under {name}: across {', '.join(w.label(g) for g in grades)}, no grade yet",
    )


def _span(a: Mapping[str, Any]) -> str:
    return f"{fix(a['low'], a['places'])}–{fix(a['high'], a['places'])}"


def _self_sum(w: Words, a: Mapping[str, Any]) -> str:
    lines, budget, total = num(a["lines"]), a["budget"], num(a["total"])
    zh = f"各行自评得分之和 {lines}"
    en = f"the line self-scores add up to {lines}"
    if budget is not None:
        zh += f" + 自评预算得分 {num(budget)}"
        en += f", plus the budget self-score {num(budget)}"
    return w.pick(f"表上没有总分，自评总分取{zh} = {total}", f"no total printed; {en}: {total}")


def _self_incomplete(w: Words, a: Mapping[str, Any]) -> str:
    zh, en = [], []
    if a["lines"]:
        zh.append(f"{a['lines']} 行没有自评得分")
        en.append(f"{a['lines']} line(s) have no self-score")
    if a["budget"]:
        zh.append("预算执行的自评得分未读出")
        en.append("the budget self-score was not read")
    if a["rows"]:
        zh.append("表上缺行")
        en.append("rows are missing")
    if a["unreliable"]:
        zh.append("读表不可靠")
        en.append("the form was read unreliably")
    return w.pick(
        f"自评总分不完整（{'；'.join(zh)}），不定等级",
        f"the self-reported total is incomplete ({'; '.join(en)}): no grade",
    )


FORM_STEPS: dict[str, Wording] = {
    "kind_refused_total": lambda w, a: w.pick(
        f"规则不评{kind_words(w, a)[0]}，不计总分",
        f"the policy does not score {kind_words(w, a)[0]} forms: no total",
    ),
    "budget_absent": lambda w, a: w.pick(
        "表上没有预算执行情况（项目资金）", "the form has no funding block"
    ),
    "budget_rows": _budget_rows,
    "budget_weight": lambda w, a: w.pick(
        f"表上预算执行分值为 {num(a['printed'])}，按规则的 {num(a['weight'])} 计",
        f"the form prints a budget weight of {num(a['printed'])}; the policy's "
        f"{num(a['weight'])} is used",
    ),
    "rate": lambda w, a: w.pick(
        f"执行率 = 执行数 ÷ 预算数 = {num(a['executed'])} ÷ {num(a['budget'])}"
        f" = {percent(a['rate'])}",
        f"rate = executed / budget = {num(a['executed'])} / {num(a['budget'])}"
        f" = {percent(a['rate'])}",
    ),
    "counts_never": lambda w, a: w.pick(
        "按规则，预算执行得分只列示、不计入总分",
        "the policy shows the budget score without adding it",
    ),
    "counts_full": lambda w, a: w.pick(
        f"指标分值合计 {num(a['lines'])} 已占满总分 {num(a['total'])}，"
        "预算执行得分只列示、不计入总分",
        f"the indicator weights already add up to {num(a['lines'])} of {num(a['total'])}; "
        "the budget score is shown, not added",
    ),
    "self_scale": lambda w, a: w.pick(
        f"表上自评预算得分 {num(a['printed'])}（分值 {num(a['printed_weight'])}），"
        f"按规则分值 {num(a['weight'])} 折算为 {num(a['scaled'])}",
        f"the printed budget self-score {num(a['printed'])} (of {num(a['printed_weight'])}) "
        f"is {num(a['scaled'])} on the policy's {num(a['weight'])} points",
    ),
    "budget_self": _budget_self,
    "targets_only_total": lambda w, a: w.pick(
        "目标表，不计总分", "a targets-only form has no total"
    ),
    "nothing_read": lambda w, a: w.pick(
        "表上没有读出任何指标，不计总分", "nothing was read: no total"
    ),
    "total": _total,
    "pending": lambda w, a: w.pick(
        f"另有 {a['count']} 行待复核，每行可得 0 至其分值",
        f"{a['count']} line(s) await review, each worth 0 up to its weight",
    ),
    "missing_weight": lambda w, a: w.pick(
        f"表上分值合计比总分值少 {num(a['missing'])} 分，这部分可得 0 至 {num(a['missing'])}",
        f"the weights fall {num(a['missing'])} short of the policy's total; that part is "
        f"worth 0 to {num(a['missing'])}",
    ),
    "grade": _grade,
    "rescale": _rescale,
    "set_aside": lambda w, a: w.pick(
        f"{a['count']} 行不适用，不计分（分值 {num(a['weight'])}）",
        f"{a['count']} line(s) not applicable, no score (weight {num(a['weight'])})",
    ),
    "nothing_applicable": lambda w, a: w.pick(
        f"{a['count']} 行都不适用，没有可折算的分值，不计总分",
        f"all {a['count']} line(s) are not applicable: nothing to rescale, no total",
    ),
    "alt_grade": _alt_grade,
    "range_one": lambda w, a: w.pick(
        f"总分可能的区间 {_span(a)}，都在「{a['grade']}」档内",
        f"the total can be anywhere in {_span(a)}, all within {w.label(a['grade'])}",
    ),
    "range_many": lambda w, a: w.pick(
        f"总分可能的区间 {_span(a)}，跨「{'、'.join(a['grades'])}」档，暂不定等级",
        f"the total can be anywhere in {_span(a)}, across "
        f"{', '.join(w.label(g) for g in a['grades'])}: no grade yet",
    ),
    "self_total_printed": lambda w, a: w.pick(
        f"自评总分（表上）{num(a['total'])}",
        f"self-reported total (as printed) {num(a['total'])}",
    ),
    "self_total_sum": _self_sum,
    "self_incomplete": _self_incomplete,
    "self_grade": lambda w, a: w.pick(
        f"自评总分等级：{a['grade']}", f"the self-reported total grades {w.label(a['grade'])}"
    ),
    "total_delta": lambda w, a: w.pick(
        f"复核总分减自评总分 {signed_fixed(a['delta'], a['places'])}",
        f"total minus self-reported total {signed_fixed(a['delta'], a['places'])}",
    ),
}
