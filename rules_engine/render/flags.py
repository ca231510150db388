"""The words of the flags the engine raises by itself, and of a policy's own flags with what made
them fire, in Chinese or English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules_engine.diagnostics import Lang
from rules_engine.render import findings
from rules_engine.render.line_steps import DIFFER, kind_refused
from rules_engine.render.phrases import phrase
from rules_engine.render.words import Wording, Words, band_text, num, words
from rules_engine.scorecard import Flag


def _budget_unread(w: Words, a: Mapping[str, Any]) -> str:
    if a.get("absent"):
        weight = num(a["weight"])
        return w.pick(
            f"表上没有预算执行情况，预算执行得分（{weight} 分）无法计算",
            f"the form has no funding block: the budget score ({weight} points) cannot be computed",
        )
    return w.pick(
        "预算数或执行数未读出，预算执行得分无法计算",
        "the budget or the executed amount could not be read: no budget score",
    )


def _finding(code: str) -> Wording:
    """A finding the policy words no heading for: the engine's heading, then the detail (the
    engine's own unquantified note when there is no detail)."""
    zh, en = findings.HEADINGS[code]
    fallback = findings.engine_unquantified if code == "target_not_quantified" else None

    def word(w: Words, a: Mapping[str, Any]) -> str:
        detail = a.get("detail")
        if detail is None and fallback is not None:
            return fallback(w, a)
        return w.pick(zh, en) + w.pick("：", ": ") + phrase(w, detail)

    return word


FLAGS: dict[str, Wording] = {
    "recipients_added": lambda w, a: w.pick(
        f"本表由 {a['count']} 个资金使用单位的表汇总而成：{a['units']}",
        f"this form adds up the forms of {a['count']} recipients: {a['units']}",
    ),
    "recipients_differ": lambda w, a: w.pick(
        f"各资金使用单位的这一行无法汇总：{DIFFER[a['why']][0]}",
        f"this line cannot be added up over the recipients: {DIFFER[a['why']][1]}",
    ),
    "kind_not_scored": lambda w, a: w.pick(
        "规则不评这类表：" + kind_refused(w, a), "not scored: " + kind_refused(w, a)
    ),
    "header_fragment": lambda w, a: w.pick(
        "这一行的指标名称是表头文字或其片段，不像指标：可能是读表时误把表头当成了指标行",
        "this line's name is a column header word or a piece of one, not an indicator: the reader "
        "may have taken part of the header for a row",
    ),
    "missing_target": lambda w, a: w.pick("年度指标值未填", "the target is empty"),
    "unreadable_target": lambda w, a: w.pick(
        f"年度指标值「{a['target']}」无法识读", f"the target '{a['target']}' cannot be read"
    ),
    "missing_actual": lambda w, a: w.pick("实际完成值未填", "the actual is empty"),
    "unreadable_actual": lambda w, a: w.pick(
        f"实际完成值「{a['actual']}」无法识读", f"the actual '{a['actual']}' cannot be read"
    ),
    "unit_mismatch": lambda w, a: w.pick(
        f"实际完成值的单位「{a['actual_unit']}」与年度指标值的「{a['target_unit']}」不一致",
        f"the actual's unit {a['actual_unit']} differs from the target's {a['target_unit']}",
    ),
    "no_rule": lambda w, a: w.pick("没有规则适用于这一行", "no rule applies to this line"),
    "missing_weight": lambda w, a: w.pick(
        "分值未填或无法识读", "the weight is empty or unreadable"
    ),
    "self_score_without_weight": lambda w, a: w.pick(
        f"有自评得分 {num(a['own'])}，却没有分值",
        f"a self-score of {num(a['own'])} on a line with no weight",
    ),
    "self_score_above_weight": lambda w, a: w.pick(
        f"自评得分 {num(a['own'])} 高于分值 {num(a['weight'])}",
        f"the self-score {num(a['own'])} is above the weight {num(a['weight'])}",
    ),
    "self_score_out_of_band": lambda w, a: w.pick(
        f"自评得分 {num(a['own'])} 不在该档允许的区间 {band_text(w, a)} 内",
        f"the self-score {num(a['own'])} lies outside the tier's band {band_text(w, a)}",
    ),
    "budget_unread": _budget_unread,
    "budget_zero": lambda w, a: w.pick("预算数为 0", "the budget is zero"),
    "budget_weight_differs": lambda w, a: w.pick(
        f"表上预算执行分值为 {num(a['printed'])}，规则规定 {num(a['weight'])}，"
        f"按规则的 {num(a['weight'])} 计分",
        f"the form's budget weight is {num(a['printed'])}, the policy's "
        f"{num(a['weight'])}; the policy's weight is used",
    ),
    "budget_self_scale": lambda w, a: w.pick(
        f"自评预算得分 {num(a['printed'])} 高于规则分值 {num(a['weight'])}，"
        "表上又没有分值可供折算：不计入自评总分",
        f"the budget self-score {num(a['printed'])} is above the policy's "
        f"{num(a['weight'])} points and no printed weight allows converting it: "
        "left out of the self total",
    ),
    "total_incomplete": lambda w, a: w.pick(
        f"{a['pending']} 行待复核，总分未定",
        f"{a['pending']} line(s) await review; the total is not final",
    ),
    "weights_over_total": lambda w, a: w.pick(
        f"表上分值合计 {num(a['weights'])} 超过总分值 {num(a['total'])}：有的分值读错或填错",
        f"the weights add up to {num(a['weights'])}, more than the {num(a['total'])} "
        "points a form has: some weight was misread or misprinted",
    ),
    "self_total_over": lambda w, a: w.pick(
        f"自评总分 {num(a['own'])} 超过总分值 {num(a['total'])}",
        f"the self-reported total {num(a['own'])} is above the {num(a['total'])} points a "
        "form can score",
    ),
    # The target review's findings, when the policy gives them no heading of its own.
    **{code: _finding(code) for code in findings.HEADINGS},
}


def flag_text(flag: Flag, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A flag's message in `lang`: the policy's own text (with what made it fire), or the
    engine's words for a flag it raises by itself."""
    wording = words(lang, glossary)
    if flag.text is not None:
        text = wording.pick(*flag.text)
        detail = flag.args.get("detail")
        if detail is not None:
            text += wording.pick("：", ": ") + phrase(wording, detail)
        return text
    word = FLAGS.get(flag.code)
    if word is None:  # pragma: no cover - a test checks every code has its words
        return flag.code
    return word(wording, flag.args)


def flag_heading(flag: Flag, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A flag's heading without its detail (the policy's text, or a finding's heading); other
    flags in full. Tables show this; the full text is listed under them."""
    if flag.text is not None:
        return words(lang, glossary).pick(*flag.text)
    return findings.heading(flag.code, lang) or flag_text(flag, lang, glossary)
