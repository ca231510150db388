"""The words of a line's steps, in Chinese or English: how its cells were read, which rule took
it, and how the rule scored it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules_engine.render.figures import figure, filled
from rules_engine.render.phrases import cell_reading, phrase, unit_note
from rules_engine.render.words import (
    CELL_NAMES,
    FORM_KINDS,
    Wording,
    Words,
    band_text,
    fix,
    num,
    signed_fixed,
)
from rules_engine.rounding import METHOD_ZH
from rules_engine.scorecard import Numbers


def _read(w: Words, a: Mapping[str, Any]) -> str:
    return cell_reading(w, a["cell"], a["text"], a["how"]) + unit_note(w, a.get("unit"))


def _route(w: Words, a: Mapping[str, Any]) -> str:
    title = a["title"]
    zh_title = f"（{title}）" if title else ""
    en_title = f" ({w.title(title)})" if title else ""
    why = phrase(w, a["why"])
    return w.pick(
        f"适用规则「{a['rule']}」{zh_title}：第 {a['apply']} 条 apply 匹配（{why}）",
        f"rule {a['rule']}{en_title} applies: apply line {a['apply']} matches ({why})",
    )


def _targets_only(w: Words, a: Mapping[str, Any]) -> str:
    if a["no_rule"]:
        zh, en = "没有规则适用于这一行", "no rule applies to this line"
    elif a["review"]:
        zh, en = "规则将其转人工复核", "the policy sends it to review"
    else:
        zh, en = f"将按规则「{a['rule']}」计分", f"rule {a['rule']} would score it"
    return w.pick(
        f"目标表，无实际完成值，不计分；{zh}",
        f"a targets-only form has no actual, so no score; {en}",
    )


def _review(w: Words, a: Mapping[str, Any]) -> str:
    text = a["text"]
    if text is None:
        return w.pick("待复核：按规则转人工复核", "needs review: sent to review by the policy")
    zh, en = text
    return w.pick(f"待复核：{zh}", f"needs review: {en}")


def _band_rejected(w: Words, a: Mapping[str, Any], then: tuple[str, str]) -> str:
    own = a["own"]
    band = band_text(w, a)
    if own is None:
        head = w.pick("自评得分未填", "the self-score is empty")
    else:
        head = w.pick(
            f"自评得分 {num(own)} 不在允许区间 {band} 内",
            f"the self-score {num(own)} lies outside the allowed band {band}",
        )
    return head + w.pick(*then)


def _formula(w: Words, a: Mapping[str, Any]) -> str:
    named = w.expr(a["expr"])
    filled_in = filled(Numbers(a["expr"], tuple(a["values"].items()), a["percent"]))
    result = num(a["result"])
    share = a["share"]
    if share is not None:
        return w.pick(
            f"{named} × 分值 = {filled_in} × {num(share)} = {result}",
            f"{named} × weight = {filled_in} × {num(share)} = {result}",
        )
    return f"{named} = {filled_in} = {result}"


def _deduct(w: Words, a: Mapping[str, Any]) -> str:
    """``实际值 104.5% 高于 100%，每 1% 扣 1 分：合 4.5 个 1%，扣 4.5 分；6 − 4.5 = 1.5``."""
    pct = bool(a["percent"])
    actual = figure(a["actual"], pct)
    count, amount, taken = num(a["count"]), num(a["amount"]), num(a["taken"])
    rest = f"{num(a['weight'])} − {taken} = {num(a['result'])}"
    if a["side"] == "each":
        return w.pick(
            f"实际值 {actual}，每 1 扣 {amount} 分：扣 {amount} × {count} = {taken} 分；{rest}",
            f"the actual is {actual}, {amount} off for each one: {amount} × {count} = {taken} "
            f"off; {rest}",
        )
    limit, per = figure(a["limit"], pct), figure(a["per"], pct)
    above = a["side"] == "above"
    side_zh, side_en = ("高于", "above") if above else ("低于", "below")
    if not a["count"]:
        return w.pick(
            f"实际值 {actual} 不{side_zh} {limit}，不扣分",
            f"the actual {actual} is not {side_en} {limit}: nothing off",
        )
    if a["whole"]:
        many_zh, many_en = f"满 {per} 的有 {count} 个", f"{count} whole steps of {per}"
    else:
        many_zh, many_en = f"合 {count} 个 {per}", f"{count} steps of {per}"
    return w.pick(
        f"实际值 {actual} {side_zh} {limit}，每 {per} 扣 {amount} 分：{many_zh}，扣 {taken} 分；"
        f"{rest}",
        f"the actual {actual} is {side_en} {limit}, {amount} off per {per}: {many_en}, "
        f"{taken} off; {rest}",
    )


def _not_applicable(w: Words, a: Mapping[str, Any]) -> str:
    zh, en = CELL_NAMES[a["cell"]]
    weight = a["weight"]
    aside_zh = f"分值 {num(weight)} 不计入适用分值" if weight is not None else "不计入适用分值"
    aside_en = f"its weight {num(weight)} is set aside" if weight is not None else "set aside"
    return w.pick(
        f"{zh}写作「{a['text']}」：按规则不适用，不计分，{aside_zh}",
        f"the {en} reads '{a['text']}': not applicable under the policy, no score; {aside_en}",
    )


def kind_words(w: Words, a: Mapping[str, Any]) -> tuple[str, str]:
    """The form's kind and the kinds the policy scores, in words."""
    kind = w.pick(*FORM_KINDS.get(a["kind"], (a["kind"], a["kind"])))
    scored = w.pick("、", ", ").join(w.pick(*FORM_KINDS.get(k, (k, k))) for k in a["kinds"])
    return kind, scored


def kind_refused(w: Words, a: Mapping[str, Any]) -> str:
    kind, scored = kind_words(w, a)
    return w.pick(
        f"这是{kind}，规则只评{scored}：不按其他表的规则计分，待复核",
        f"this is a {kind} form and the policy scores {scored} forms only: not scored with "
        "rules written for another sheet; needs review",
    )


_FUNDS = {
    "adjusted": ("全年预算数", "adjusted budget"),
    "executed": ("全年执行数", "executed amount"),
    "initial": ("年初预算数", "initial budget"),
}
DIFFER = {
    "missing": ("有的单位没有这一行", "some recipients lack this line"),
    "targets": ("各单位的年度指标值不同", "the recipients' targets differ"),
    "weights": ("各单位的分值不同", "the recipients' weights differ"),
    "actuals": ("有的单位实际完成值未填", "some recipients left the actual empty"),
    "tiers": (
        "各单位写的档位不同，按资金加权的档位规则未规定",
        "the recipients write different tiers",
    ),
    "values": ("实际完成值有的是数、有的不是", "some actuals are not numbers"),
    "units": ("各单位的单位不同", "the recipients' units differ"),
    "funds": ("有的单位资金额未读出，无法加权", "some recipient's funds are unknown: no weights"),
}


def _recipients(w: Words, a: Mapping[str, Any]) -> str:
    parts = a["parts"]
    how, count = a["how"], a["count"]
    texts = "、".join(f"{name} {text or '—'}" for name, text, _ in parts)
    if how == "differ":
        zh, en = DIFFER[a["why"]]
        return w.pick(
            f"{count} 个资金使用单位（{texts}）无法汇总：{zh}，待复核",
            f"{count} recipients ({texts}) cannot be added up: {en}; needs review",
        )
    if how == "same":
        return w.pick(
            f"{count} 个资金使用单位都写「{a['result']}」",
            f"all {count} recipients write '{a['result']}'",
        )
    if how == "sum":
        summed = " + ".join(text or "—" for _, text, _ in parts)
        return w.pick(
            f"{count} 个资金使用单位的实际完成值相加：{summed} = {a['result']}",
            f"the actuals of {count} recipients added up: {summed} = {a['result']}",
        )
    zh_funds, en_funds = _FUNDS[a["funds"]]
    weighted = "、".join(f"{text}（{num(fund)}）" for _, text, fund in parts)
    weighted_en = ", ".join(f"{text} ({num(fund)})" for _, text, fund in parts)
    return w.pick(
        f"{count} 个资金使用单位的实际完成值按{zh_funds}加权平均：{weighted} → {a['result']}"
        f"（四舍五入保留 {a['places']} 位小数）",
        f"the actuals of {count} recipients averaged weighted by their {en_funds}: "
        f"{weighted_en} → {a['result']} (half up to {a['places']} places)",
    )


def _round(w: Words, a: Mapping[str, Any]) -> str:
    method, places = a["method"], a["places"]
    change = f"{num(a['before'])} → {fix(a['after'], places)}"
    return w.pick(
        f"{METHOD_ZH[method]}保留{places}位小数：{change}",
        f"rounded {method} to {places} places: {change}",
    )


def _delta(w: Words, a: Mapping[str, Any]) -> str:
    own, tol = num(a["own"]), num(a["tolerance"])
    signed = signed_fixed(a["delta"], a["places"])
    within = a["within"]
    return w.pick(
        f"自评得分 {own}，复核减自评 {signed}（{'在容差内' if within else '超出容差'} {tol}）",
        f"self-score {own}; policy minus self {signed} "
        f"({'within' if within else 'beyond'} the tolerance {tol})",
    )


def _band_choice(w: Words, a: Mapping[str, Any]) -> str:
    places = a["places"]
    low, high, score = fix(a["low"], places), fix(a["high"], places), fix(a["score"], places)
    return w.pick(
        f"实际完成值已在最高一档（可得 {low}–{high}），失分来自档内选定的分值 {score}，"
        "不是实际完成值不足",
        f"the actual is already in the top tier (worth {low} to {high}); the points were lost "
        f"to the score chosen in the band ({score}), not to the actual",
    )


LINE_STEPS: dict[str, Wording] = {
    "read": _read,
    "targets_only_actual": lambda w, a: w.pick(
        "目标表，无实际完成值", "a targets-only form: no actual"
    ),
    "route": _route,
    "route_review": lambda w, a: w.pick(
        f"第 {a['apply']} 条 apply（{phrase(w, a['why'])}）：转人工复核",
        f"apply line {a['apply']} ({phrase(w, a['why'])}): sent to review",
    ),
    "no_rule": lambda w, a: w.pick(
        "没有规则适用于这一行（没有一条 apply 匹配），待复核",
        "no rule applies to this line (no apply line matches); needs review",
    ),
    "review": _review,
    "targets_only": _targets_only,
    "no_clause": lambda w, a: w.pick(
        f"规则「{a['rule']}」没有一条适用于这一行，待复核",
        f"no clause of rule {a['rule']} applies to this line; needs review",
    ),
    "undecidable": lambda w, a: w.pick(
        f"规则「{a['rule']}」第 {a['clause']} 条无法判断：{phrase(w, a['why'])}，待复核",
        f"clause {a['clause']} of rule {a['rule']} cannot be decided: {phrase(w, a['why'])}; "
        "needs review",
    ),
    "clause": lambda w, a: w.pick(
        f"规则「{a['rule']}」第 {a['clause']} 条成立：{phrase(w, a['why'])}",
        f"clause {a['clause']} of rule {a['rule']} holds: {phrase(w, a['why'])}",
    ),
    "band_accepted": lambda w, a: w.pick(
        f"自评得分 {num(a['own'])} 在允许区间 {band_text(w, a)} 内，采用自评得分",
        f"the self-score {num(a['own'])} lies in the allowed band {band_text(w, a)}: accepted",
    ),
    "band_review": lambda w, a: _band_rejected(w, a, ("，待复核", "; needs review")),
    "band_rejected": lambda w, a: _band_rejected(
        w, a, ("，改按规则计分", "; scored by the rule instead")
    ),
    "full": lambda w, a: w.pick(
        f"满分：分值 {num(a['weight'])}", f"full marks: weight {num(a['weight'])}"
    ),
    "formula": _formula,
    "deduct": _deduct,
    "not_applicable": _not_applicable,
    "kind_refused": kind_refused,
    "recipients": _recipients,
    "constant": lambda w, a: w.pick(f"得 {num(a['value'])} 分", f"{num(a['value'])} points"),
    "cap": lambda w, a: w.pick(
        f"超过上限（{w.expr(a['cap'])}）{num(a['value'])}，按 {num(a['value'])} 计",
        f"above the cap ({w.expr(a['cap'])}) {num(a['value'])}: {num(a['value'])}",
    ),
    "floor": lambda w, a: w.pick(
        f"低于下限 {num(a['value'])}，按 {num(a['value'])} 计",
        f"below the floor {num(a['value'])}: {num(a['value'])}",
    ),
    "round": _round,
    "score": lambda w, a: w.pick(
        f"复核得分 {fix(a['score'], a['places'])}", f"policy score {fix(a['score'], a['places'])}"
    ),
    "lost": lambda w, a: w.pick(
        f"失分 {fix(a['lost'], a['places'])}", f"points lost {fix(a['lost'], a['places'])}"
    ),
    "band_choice": _band_choice,
    "full_marks": lambda w, a: w.pick(
        f"实际达到 {phrase(w, a['at'])} 可得满分",
        f"an actual of {phrase(w, a['at'])} earns full marks",
    ),
    "self": lambda w, a: w.pick(f"自评得分 {num(a['own'])}", f"self-score {num(a['own'])}"),
    "delta": _delta,
}
