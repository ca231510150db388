"""The words of the phrases inside explanations (why a clause held, how a cell was read, what
made a flag fire), in Chinese or English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rules_engine.diagnostics import Lang
from rules_engine.render import findings
from rules_engine.render.figures import compared, exact, show, span
from rules_engine.render.words import (
    CELL_NAMES,
    KINDS,
    OUTCOMES,
    SHAPES,
    Wording,
    Words,
    amount,
    unit_text,
    with_numbers,
    words,
)
from rules_engine.scorecard import Phrase
from rules_engine.signs import SIGNS


def _join(w: Words, items: object, zh: str, en: str) -> str:
    assert isinstance(items, tuple)
    return w.pick(zh, en).join(phrase(w, i) for i in items)


def _shape_words(w: Words, shape: str) -> str:
    if shape in SIGNS:
        return w.pick(f"{SIGNS[shape]} 比较式", f"a {SIGNS[shape]} comparison")
    zh, en = SHAPES.get(shape, (f"「{shape}」", f"'{shape}'"))
    return w.pick(zh, en)


def _first_fails(w: Words, a: Mapping[str, Any]) -> str:
    why = phrase(w, a["why"])
    before = a["before"]
    if before < 2:
        return why
    return why + w.pick(
        f"（前 {before} 条都不成立）", f" (none of the {before} clauses before holds)"
    )


def _compare(w: Words, a: Mapping[str, Any]) -> str:
    sign = SIGNS[a["op"]]
    numbers = f"{with_numbers(a['left_n'])} {sign} {with_numbers(a['right_n'])}"
    named = f"{w.expr(a['left'])} {sign} {w.expr(a['right'])}"
    return w.pick(f"{named}（{numbers}）", f"{named} ({numbers})")


def _interval(w: Words, a: Mapping[str, Any], named: bool) -> str:
    left = "[" if a["low_closed"] else "("
    right = "]" if a["high_closed"] else ")"
    if named:
        low = "-∞" if a["low"] is None else w.expr(a["low"])
        high = "+∞" if a["high"] is None else w.expr(a["high"])
    else:
        low = "-∞" if a["low_n"] is None else with_numbers(a["low_n"])
        high = "+∞" if a["high_n"] is None else with_numbers(a["high_n"])
    return f"{left}{low}, {high}{right}"


def _in(w: Words, a: Mapping[str, Any]) -> str:
    subject = w.expr(a["subject"])
    named, numbers = _interval(w, a, True), _interval(w, a, False)
    value = with_numbers(a["value"])
    return w.pick(
        f"{subject} 在 {named} 内（{value} ∈ {numbers}）",
        f"{subject} in {named} ({value} ∈ {numbers})",
    )


def _end(zh: str, en: str) -> Wording:
    def word(w: Words, a: Mapping[str, Any]) -> str:
        subject = w.expr(a["subject"])
        value, bound = with_numbers(a["value"]), with_numbers(a["bound"])
        return w.pick(f"{subject} {value} {zh} {bound}", f"the {subject} {value} {en} {bound}")

    return word


def _shape(w: Words, a: Mapping[str, Any]) -> str:
    subject = a["subject"]
    shape = _shape_words(w, a["shape"]) if w.lang == "zh" else a["shape"]
    zh_subject = "目标" if subject == "target" else "实际值"
    if a["negated"]:
        return w.pick(f"{zh_subject}不是{shape}", f"{subject} is not {shape}")
    return w.pick(f"{zh_subject}是{shape}", f"{subject} is {shape}")


def _sel_shape(w: Words, a: Mapping[str, Any]) -> str:
    subject = a["subject"]
    zh_subject = "年度指标值" if subject == "target" else "实际完成值"
    text = w.pick(f"{zh_subject}是", f"the {subject} is ") + _shape_words(w, a["shape"])
    return w.pick(f"并非：{text}", f"not: {text}") if a["negated"] else text


def _term_is(w: Words, a: Mapping[str, Any]) -> str:
    text, vocab = a["text"], a["vocab"]
    if a["negated"]:
        return w.pick(f"「{text}」不属于「{vocab}」", f"'{text}' is not {w.label(vocab)}")
    return w.pick(f"「{text}」属于「{vocab}」", f"'{text}' is {w.label(vocab)}")


def _empty(w: Words, a: Mapping[str, Any]) -> str:
    field = a["field"]
    zh = CELL_NAMES.get(field, (field, field))[0]
    if a["negated"]:
        return w.pick(f"{zh}已填", f"{field} is filled in")
    return w.pick(f"{zh}未填", f"{field} is empty")


def _outcome_is(w: Words, a: Mapping[str, Any]) -> str:
    outcomes = a["outcomes"]
    zh = "、".join(OUTCOMES[o] for o in outcomes)
    en = ", ".join(outcomes)
    if a["negated"]:
        return w.pick(f"结果不是{zh}", f"outcome is not {en}")
    return w.pick(f"结果为{zh}", f"outcome is {en}")


def _cell_text(w: Words, a: Mapping[str, Any]) -> tuple[str, str]:
    cell = a["cell"]
    return CELL_NAMES[cell][0], cell


def _cell_unreadable(w: Words, a: Mapping[str, Any]) -> str:
    zh, en = _cell_text(w, a)
    reason = w.reason(a["reason"])
    return w.pick(
        f"{zh}「{a['text']}」无法识读（{reason}）",
        f"the {en} '{a['text']}' cannot be read ({reason})",
    )


def _needs_a_number(w: Words, a: Mapping[str, Any]) -> str:
    zh, en = _cell_text(w, a)
    kind_zh, kind_en = KINDS[a["kind"]]
    return w.pick(
        f"{zh}「{a['text']}」是{kind_zh}，这一条需要数值",
        f"the {en} '{a['text']}' is {kind_en}; this clause needs a number",
    )


def _empty_or_unreadable(w: Words, a: Mapping[str, Any]) -> str:
    if a["cell"] == "weight":
        return w.pick("分值未填或无法识读", "the weight is empty or unreadable")
    return w.pick("自评得分未填或无法识读", "the self-score is empty or unreadable")


def _fm_words(w: Words, a: Mapping[str, Any]) -> str:
    text, vocab = a["text"], a["vocab"]
    if vocab:
        return w.pick(
            f"「{text}」或同属「{vocab}」的用语", f"'{text}' or a word of {w.label(vocab)}"
        )
    return w.pick(f"「{text}」", f"'{text}'")


def _groups_off(w: Words, a: Mapping[str, Any]) -> str:
    parts = []
    for pattern, summed, expected in a["groups"]:
        if summed is None:
            shown = w.pick("0（表上没有这一组）", "0 (the form has no such group)")
        else:
            shown = show(summed)
        parts.append(
            w.pick(
                f"{pattern} 表上合计 {shown}，规定 {show(expected)}",
                f"{pattern} adds up to {shown}, the policy sets {show(expected)}",
            )
        )
    return w.pick("；", "; ").join(parts)


# Readings of a cell: what the reader made of it (the cell's name and text come before).
def cell_reading(w: Words, cell: str, text: str | None, how: Phrase) -> str:  # noqa: PLR0911
    a: Mapping[str, Any] = how.args
    code = how.code
    name = w.cell(cell)
    if code == "empty_cell":
        return w.pick(f"{name}未填", f"the {name} is empty")
    head = w.pick(f"{name}「{text}」", f"{name} '{text}'")
    unit = unit_text(a.get("unit"))
    if code == "as_compare":
        return head + w.pick("读作 ", " read as ") + compared(a["op"], a["value"], a.get("unit"))
    if code in ("as_range", "as_range_not_number"):
        spanned = span(a["low"], a["high"], a.get("unit"), w.lang)
        tail = w.pick("，不是单一数值", ", not one number") if code == "as_range_not_number" else ""
        return head + w.pick(f"读作区间 {spanned}{tail}", f" read as the range {spanned}{tail}")
    if code == "as_predicate":
        meaning = f"{SIGNS[a['op']]} {exact(a['value'])}"
        return head + w.pick(
            f"读作「{a['name']}」，即 {meaning}", f" read as {a['name']}, i.e. {meaning}"
        )
    if code == "as_term":
        return head + w.pick(
            f"读作定性词，属于「{a['vocab']}」", f" read as a term of {w.label(a['vocab'])}"
        )
    if code == "as_unlisted_term":
        en = (
            " read as a term the policy's vocabularies do not list"
            if cell == "target"
            else " read as a term the vocabularies do not list"
        )
        return head + w.pick("读作定性词（规则的词表未收录）", en)
    if code == "as_deadline":
        date = a["date"]
        return head + w.pick(
            f"读作期限 {date or '时段'}", f" read as the deadline {date or 'a period'}"
        )
    if code == "as_date":
        date = a["date"]
        return head + w.pick(
            f"读作日期 {date or '时段'}", f" read as the date {date or 'a period'}"
        )
    if code == "as_number":
        return head + w.pick("读作 ", " read as ") + f"{exact(a['value'])}{unit}"
    if code == "as_word":
        return head + w.pick(f"读作「{a['name']}」", f" read as {a['name']}")
    if code == "unreadable":
        return head + w.pick("无法识读：", " cannot be read: ") + w.reason(a["reason"])
    return head + w.pick("无法作为实际值", " is not an actual value")


def unit_note(w: Words, note: object) -> str:
    if note is None:
        return ""
    assert isinstance(note, Phrase)
    a = note.args
    if note.code == "unit_mismatch":
        return w.pick(
            f"；单位「{a['actual_unit']}」与目标的「{a['target_unit']}」不一致，不作比较",
            f"; its unit {a['actual_unit']} differs from the target's {a['target_unit']}, "
            "so it is not compared",
        )
    return w.pick(f"（单位沿用目标的「{a['unit']}」）", f" (in the target's unit, {a['unit']})")


PHRASES: dict[str, Wording] = {
    "always": lambda w, a: w.pick("无条件", "unconditionally"),
    "first_fails": _first_fails,
    "compare": _compare,
    "in": _in,
    "below_low": _end("低于下限", "is below the lower end"),
    "on_open_low": _end("恰在不含的下限", "sits on the excluded lower end"),
    "above_high": _end("高于上限", "is above the upper end"),
    "on_open_high": _end("恰在不含的上限", "sits on the excluded upper end"),
    "meets": lambda w, a: w.pick(
        f"实际值达到目标（实际「{a['actual']}」满足目标「{a['target']}」）",
        f"the actual meets the target (actual '{a['actual']}' meets target '{a['target']}')",
    ),
    "actual_below": lambda w, a: w.pick(
        f"实际 {with_numbers(a['actual'])} 低于下限 {with_numbers(a['bound'])}",
        f"the actual {with_numbers(a['actual'])} is below the lower end {with_numbers(a['bound'])}",
    ),
    "actual_above": lambda w, a: w.pick(
        f"实际 {with_numbers(a['actual'])} 高于上限 {with_numbers(a['bound'])}",
        f"the actual {with_numbers(a['actual'])} is above the upper end {with_numbers(a['bound'])}",
    ),
    "late": lambda w, a: w.pick(
        f"实际完成「{a['actual']}」晚于目标时限「{a['target']}」",
        f"'{a['actual']}' is later than the deadline '{a['target']}'",
    ),
    "short_of": lambda w, a: w.pick(
        f"实际 {with_numbers(a['actual'])} 未达到目标「{a['target']}」",
        f"the actual {with_numbers(a['actual'])} does not meet the target '{a['target']}'",
    ),
    "not_meets": lambda w, a: w.pick(
        f"实际「{a['actual']}」未达到目标「{a['target']}」",
        f"the actual '{a['actual']}' does not meet the target '{a['target']}'",
    ),
    "shape": _shape,
    "sel_shape": _sel_shape,
    "term_is": _term_is,
    "empty": _empty,
    "outcome_is": _outcome_is,
    "check": lambda w, a: w.pick(f"检查 {a['name']} 成立", a["name"]),
    "check_not": lambda w, a: w.pick(f"检查 {a['name']} 不成立", f"not {a['name']}"),
    "not": lambda w, a: w.pick("并非：", "not: ") + phrase(w, a["item"]),
    "all": lambda w, a: _join(w, a["items"], "，且", " and "),
    "any": lambda w, a: _join(w, a["items"], "，或", " or "),
    "any_line": lambda w, a: w.pick("其余指标", "any other line"),
    "path": lambda w, a: w.pick("类别匹配 ", "category matches ") + "、".join(a["patterns"]),
    "name_is": lambda w, a: w.pick("指标名称为 ", "the indicator is ") + "、".join(a["names"]),
    "is_vocab": lambda w, a: w.pick(f"属于「{a['vocab']}」", f"is {w.label(a['vocab'])}"),
    "condition_holds": lambda w, a: w.pick("条件成立", "the condition holds"),
    # Why a value is missing.
    "division_by_zero": lambda w, a: w.pick("除数为 0", "a division by zero"),
    "out_of_bounds": lambda w, a: w.pick(
        "算出的分数（或上限、下限）绝对值大于 10^12，超出允许范围",
        "the computed score (or its cap or floor) is above 10^12 in magnitude",
    ),
    "cell_empty_or_unreadable": _empty_or_unreadable,
    "value_missing": lambda w, a: w.pick(
        f"缺少{w.var(a['name'])}", f"the {w.var(a['name'])} is missing"
    ),
    "cell_empty": lambda w, a: w.pick(
        f"{CELL_NAMES[a['cell']][0]}未填", f"the {a['cell']} is empty"
    ),
    "cell_unreadable": _cell_unreadable,
    "units_differ": lambda w, a: w.pick(
        f"单位不一致：目标为「{a['target_unit']}」，实际为「{a['actual_unit']}」",
        f"the units differ: the target is in {a['target_unit']}, the actual in {a['actual_unit']}",
    ),
    "not_a_range": lambda w, a: w.pick(
        f"{CELL_NAMES[a['cell']][0]}「{a['text']}」不是区间",
        f"the {a['cell']} '{a['text']}' is not a range",
    ),
    "needs_a_number": _needs_a_number,
    "does_not_fit": lambda w, a: w.pick(
        f"{CELL_NAMES[a['cell']][0]}「{a['text']}」无法用于这一条",
        f"the {a['cell']} '{a['text']}' does not fit this clause",
    ),
    # The actual that earns full marks.
    "fm_words": _fm_words,
    "fm_date": lambda w, a: w.pick(
        f"不晚于 {a['date'] or '期限'} 完成", f"done by {a['date'] or 'the deadline'}"
    ),
    "fm_value": lambda w, a: SIGNS[a["op"]] + amount(a["value"], a),
    "fm_range": lambda w, a: w.pick(
        f"{amount(a['low'], a)}～{amount(a['high'], a)}",
        f"{amount(a['low'], a)} to {amount(a['high'], a)}",
    ),
    # What made a flag fire.
    "groups_off": _groups_off,
    "total_off": lambda w, a: w.pick(
        f"表上合计 {show(a['weights'])}，规定 {show(a['total'])}",
        f"the form's weights add up to {show(a['weights'])}, the policy sets {show(a['total'])}",
    ),
    # What the target review found (each says what to change).
    **findings.PHRASES,
}


def phrase(w: Words, item: object) -> str:
    """A phrase (or a nested one) in words."""
    assert isinstance(item, Phrase)
    word = PHRASES.get(item.code)
    if word is None:  # pragma: no cover - a test checks every code has its words
        return item.code
    return word(w, item.args)


def phrase_text(item: Phrase, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A phrase (such as the actual that earns full marks) in `lang`."""
    return phrase(words(lang, glossary), item)
