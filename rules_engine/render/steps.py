"""The words of every explanation: trace steps, their phrases and the engine's flags, in Chinese
or English. The engine records what it did as codes with arguments; only this module says it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from rules_engine.diagnostics import CATALOG, Lang
from rules_engine.policy import model as m
from rules_engine.policy import show as printer
from rules_engine.render.figures import (
    compared,
    exact,
    figure,
    filled,
    fixed,
    literal,
    percent,
    show,
    signed,
    span,
)
from rules_engine.rounding import METHOD_ZH
from rules_engine.scorecard import Flag, Numbers, Phrase, Step
from rules_engine.signs import SIGNS
from rules_engine.values import Unknown

# How explanations name each variable (Chinese, English).
VARIABLE_NAMES: dict[str, tuple[str, str]] = {
    "actual": ("实际值", "actual"),
    "target": ("目标值", "target"),
    "low": ("目标下限", "low"),
    "high": ("目标上限", "high"),
    "weight": ("分值", "weight"),
    "self_score": ("自评得分", "self-score"),
    "score": ("复核得分", "score"),
    "executed": ("执行数", "executed"),
    "adjusted": ("全年预算数", "adjusted budget"),
    "initial": ("年初预算数", "initial budget"),
    "budget": ("预算数", "budget"),
    "rate": ("执行率", "execution rate"),
    "reported_rate": ("表上执行率", "printed rate"),
    "indicator_score": ("指标得分", "indicator score"),
    "indicator_weight": ("指标分值", "indicator weight"),
    "indicator_rate": ("指标得分率", "indicator rate"),
    "budget_score": ("预算执行得分", "budget score"),
    "budget_weight": ("预算执行分值", "budget weight"),
    "execution_rate": ("预算执行率", "execution rate"),
    "total": ("复核总分", "total"),
    "self_total": ("自评总分", "self-reported total"),
    "weight_total": ("总分值", "total weight"),
}
# The cells a form prints, as explanations name them.
CELL_NAMES: dict[str, tuple[str, str]] = {
    "target": ("年度指标值", "target"),
    "actual": ("实际完成值", "actual"),
    "weight": ("分值", "weight"),
    "self_score": ("自评得分", "self-score"),
    "note": ("偏差原因", "note"),
}
_SHAPES: dict[str, tuple[str, str]] = {
    "term": ("定性词", "a term"),
    "range": ("区间", "a range"),
    "date": ("日期", "a date"),
    "compare": ("比较式", "a comparison"),
    "number": ("数值", "a number"),
    "unknown": ("无法识读", "unreadable"),
    "missing": ("未填", "empty"),
}
_OUTCOMES = {
    "met": "达成",
    "partial": "部分达成",
    "missed": "未达成",
    "review": "待复核",
    "not_applicable": "不适用",
}
# The kinds of form (DESIGN §5 `kind`), as explanations name them.
FORM_KINDS: dict[str, tuple[str, str]] = {
    "project-self-evaluation": ("项目支出绩效自评表", "project self-evaluation"),
    "department-self-evaluation": ("部门整体支出绩效自评表", "department self-evaluation"),
    "transfer-self-evaluation": ("转移支付区域绩效自评表", "transfer-payment self-evaluation"),
    "targets-only": ("绩效目标表", "targets only"),
}
_KINDS = {"term": ("定性词", "a term"), "date": ("日期", "a date"), "range": ("区间", "a range")}


class Words:
    """Wording in one language, with the policy's own English for its labels."""

    def __init__(self, lang: Lang, glossary: Mapping[str, str] | None = None) -> None:
        self.lang = lang
        self.source = glossary
        self.glossary = glossary or {}
        # Expressions as worded, by node identity (the node is kept so its id stays its own).
        self._exprs: dict[int, tuple[object, str]] = {}

    def pick(self, zh: str, en: str) -> str:
        """The text for this language."""
        return zh if self.lang == "zh" else en

    def label(self, text: str | None) -> str:
        """A policy label inside an English sentence: its ``en`` text with the Chinese beside it
        (``met (达成)``); the label alone in Chinese or when the policy gives no English."""
        if text is None:
            return "—"
        if self.lang == "zh":
            return text
        english = self.glossary.get(text)
        return f"{english} ({text})" if english else text

    def title(self, text: str) -> str:
        """A title the policy wrote, in this language when the policy gives one."""
        return self.glossary.get(text, text) if self.lang == "en" else text

    def cell(self, name: str) -> str:
        zh, en = CELL_NAMES.get(name, (name, name))
        return self.pick(zh, en)

    def var(self, name: str) -> str:
        zh, en = VARIABLE_NAMES.get(name, (name, name))
        return self.pick(zh, en)

    def expr(self, node: object) -> str:
        """A policy expression with its variables named (``分值 × 实际值 ÷ 目标值``)."""
        found = self._exprs.get(id(node))
        if found is not None and found[0] is node:
            return found[1]
        assert isinstance(node, (m.Num, m.Var, m.BinOp, m.Neg, m.Call))
        text = printer.expr(node, names=self.var, numbers=literal, signs=printer.MATH_SIGNS)
        if len(self._exprs) > _EXPR_LIMIT:
            self._exprs.clear()
        self._exprs[id(node)] = (node, text)
        return text

    def reason(self, value: object) -> str:
        """Why a cell could not be read."""
        assert isinstance(value, Unknown)
        if self.lang == "zh" and value.code and value.code in CATALOG:
            try:
                return CATALOG[value.code].zh.format()
            except (KeyError, IndexError):  # the template wants arguments the value lacks
                return value.reason
        return value.reason

    def phrase(self, item: object) -> str:
        """A phrase (or a nested one) in words."""
        assert isinstance(item, Phrase)
        word = PHRASES.get(item.code)
        if word is None:  # pragma: no cover - a test checks every code has its words
            return item.code
        return word(self, item.args)


_EXPR_LIMIT = 4096


def words(lang: Lang, glossary: Mapping[str, str] | None = None) -> Words:
    """The (shared) wording for `lang` and a policy's glossary."""
    key = (lang, id(glossary))
    found = _WORDS.get(key)
    if found is not None and found.source is glossary:
        return found
    if len(_WORDS) > _WORDS_LIMIT:
        _WORDS.clear()
    made = _WORDS[key] = Words(lang, glossary)
    return made


_WORDS: dict[tuple[str, int], Words] = {}
_WORDS_LIMIT = 64


def _num(value: object) -> str:
    assert isinstance(value, Decimal)
    return show(value)


def _fix(value: object, places: object) -> str:
    assert isinstance(value, Decimal) and isinstance(places, int)
    return fixed(value, places)


def _signed(value: object, places: object) -> str:
    assert isinstance(value, Decimal) and isinstance(places, int)
    return signed(value, places)


def _n(value: object) -> str:
    """A recorded expression with its line's numbers (``10 × 2 ÷ 3``); absent: ``?``."""
    if value is None:
        return "?"
    assert isinstance(value, Numbers)
    return filled(value)


def _unit(value: object) -> str:
    return value if isinstance(value, str) else ""


def _amount(value: object, a: Mapping[str, Any]) -> str:
    """A figure of the target's kind: a percentage, or the figure with the target's unit."""
    assert isinstance(value, Decimal)
    return figure(value, bool(a["percent"])) + _unit(a["unit"])


def _band(w: Words, a: Mapping[str, Any]) -> str:
    left = "[" if a["low_closed"] else "("
    right = "]" if a["high_closed"] else ")"
    return f"{left}{_fix(a['low'], a['places'])}, {_fix(a['high'], a['places'])}{right}"


Wording = Callable[[Words, Mapping[str, Any]], str]


# --- phrases ----------------------------------------------------------------------------------


def _join(w: Words, items: object, zh: str, en: str) -> str:
    assert isinstance(items, tuple)
    return w.pick(zh, en).join(w.phrase(i) for i in items)


def _shape_words(w: Words, shape: str) -> str:
    if shape in SIGNS:
        return w.pick(f"{SIGNS[shape]} 比较式", f"a {SIGNS[shape]} comparison")
    zh, en = _SHAPES.get(shape, (f"「{shape}」", f"'{shape}'"))
    return w.pick(zh, en)


def _first_fails(w: Words, a: Mapping[str, Any]) -> str:
    why = w.phrase(a["why"])
    before = a["before"]
    if before < 2:
        return why
    return why + w.pick(
        f"（前 {before} 条都不成立）", f" (none of the {before} clauses before holds)"
    )


def _compare(w: Words, a: Mapping[str, Any]) -> str:
    sign = SIGNS[a["op"]]
    numbers = f"{_n(a['left_n'])} {sign} {_n(a['right_n'])}"
    named = f"{w.expr(a['left'])} {sign} {w.expr(a['right'])}"
    return w.pick(f"{named}（{numbers}）", f"{named} ({numbers})")


def _interval(w: Words, a: Mapping[str, Any], named: bool) -> str:
    left = "[" if a["low_closed"] else "("
    right = "]" if a["high_closed"] else ")"
    if named:
        low = "-∞" if a["low"] is None else w.expr(a["low"])
        high = "+∞" if a["high"] is None else w.expr(a["high"])
    else:
        low = "-∞" if a["low_n"] is None else _n(a["low_n"])
        high = "+∞" if a["high_n"] is None else _n(a["high_n"])
    return f"{left}{low}, {high}{right}"


def _in(w: Words, a: Mapping[str, Any]) -> str:
    subject = w.expr(a["subject"])
    named, numbers = _interval(w, a, True), _interval(w, a, False)
    value = _n(a["value"])
    return w.pick(
        f"{subject} 在 {named} 内（{value} ∈ {numbers}）",
        f"{subject} in {named} ({value} ∈ {numbers})",
    )


def _end(zh: str, en: str) -> Wording:
    def word(w: Words, a: Mapping[str, Any]) -> str:
        subject = w.expr(a["subject"])
        value, bound = _n(a["value"]), _n(a["bound"])
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
    zh = "、".join(_OUTCOMES[o] for o in outcomes)
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
    kind_zh, kind_en = _KINDS[a["kind"]]
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
def _reading(w: Words, cell: str, text: str | None, how: Phrase) -> str:
    a: Mapping[str, Any] = how.args
    code = how.code
    name = w.cell(cell)
    if code == "empty_cell":
        return w.pick(f"{name}未填", f"the {name} is empty")
    head = w.pick(f"{name}「{text}」", f"{name} '{text}'")
    unit = _unit(a.get("unit"))
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


def _unit_note(w: Words, note: object) -> str:
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
        f"实际 {_n(a['actual'])} 低于下限 {_n(a['bound'])}",
        f"the actual {_n(a['actual'])} is below the lower end {_n(a['bound'])}",
    ),
    "actual_above": lambda w, a: w.pick(
        f"实际 {_n(a['actual'])} 高于上限 {_n(a['bound'])}",
        f"the actual {_n(a['actual'])} is above the upper end {_n(a['bound'])}",
    ),
    "late": lambda w, a: w.pick(
        f"实际完成「{a['actual']}」晚于目标时限「{a['target']}」",
        f"'{a['actual']}' is later than the deadline '{a['target']}'",
    ),
    "short_of": lambda w, a: w.pick(
        f"实际 {_n(a['actual'])} 未达到目标「{a['target']}」",
        f"the actual {_n(a['actual'])} does not meet the target '{a['target']}'",
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
    "not": lambda w, a: w.pick("并非：", "not: ") + w.phrase(a["item"]),
    "all": lambda w, a: _join(w, a["items"], "，且", " and "),
    "any": lambda w, a: _join(w, a["items"], "，或", " or "),
    "any_line": lambda w, a: w.pick("其余指标", "any other line"),
    "path": lambda w, a: w.pick("类别匹配 ", "category matches ") + "、".join(a["patterns"]),
    "name_is": lambda w, a: w.pick("指标名称为 ", "the indicator is ") + "、".join(a["names"]),
    "is_vocab": lambda w, a: w.pick(f"属于「{a['vocab']}」", f"is {w.label(a['vocab'])}"),
    "condition_holds": lambda w, a: w.pick("条件成立", "the condition holds"),
    # Why a value is missing.
    "division_by_zero": lambda w, a: w.pick("除数为 0", "a division by zero"),
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
    "fm_value": lambda w, a: SIGNS[a["op"]] + _amount(a["value"], a),
    "fm_range": lambda w, a: w.pick(
        f"{_amount(a['low'], a)}～{_amount(a['high'], a)}",
        f"{_amount(a['low'], a)} to {_amount(a['high'], a)}",
    ),
    # What made a flag fire.
    "groups_off": _groups_off,
    "total_off": lambda w, a: w.pick(
        f"表上合计 {show(a['weights'])}，规定 {show(a['total'])}",
        f"the form's weights add up to {show(a['weights'])}, the policy sets {show(a['total'])}",
    ),
}


# --- steps ------------------------------------------------------------------------------------


def _read(w: Words, a: Mapping[str, Any]) -> str:
    return _reading(w, a["cell"], a["text"], a["how"]) + _unit_note(w, a.get("unit"))


def _route(w: Words, a: Mapping[str, Any]) -> str:
    title = a["title"]
    zh_title = f"（{title}）" if title else ""
    en_title = f" ({w.title(title)})" if title else ""
    why = w.phrase(a["why"])
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
    band = _band(w, a)
    if own is None:
        head = w.pick("自评得分未填", "the self-score is empty")
    else:
        head = w.pick(
            f"自评得分 {_num(own)} 不在允许区间 {band} 内",
            f"the self-score {_num(own)} lies outside the allowed band {band}",
        )
    return head + w.pick(*then)


def _formula(w: Words, a: Mapping[str, Any]) -> str:
    named = w.expr(a["expr"])
    filled_in = filled(Numbers(a["expr"], tuple(a["values"].items()), a["percent"]))
    result = _num(a["result"])
    share = a["share"]
    if share is not None:
        return w.pick(
            f"{named} × 分值 = {filled_in} × {_num(share)} = {result}",
            f"{named} × weight = {filled_in} × {_num(share)} = {result}",
        )
    return f"{named} = {filled_in} = {result}"


def _deduct(w: Words, a: Mapping[str, Any]) -> str:
    """``实际值 104.5% 高于 100%，每 1% 扣 1 分：合 4.5 个 1%，扣 4.5 分；6 − 4.5 = 1.5``."""
    pct = bool(a["percent"])
    actual = figure(a["actual"], pct)
    count, amount, taken = _num(a["count"]), _num(a["amount"]), _num(a["taken"])
    rest = f"{_num(a['weight'])} − {taken} = {_num(a['result'])}"
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
    aside_zh = f"分值 {_num(weight)} 不计入适用分值" if weight is not None else "不计入适用分值"
    aside_en = f"its weight {_num(weight)} is set aside" if weight is not None else "set aside"
    return w.pick(
        f"{zh}写作「{a['text']}」：按规则不适用，不计分，{aside_zh}",
        f"the {en} reads '{a['text']}': not applicable under the policy, no score; {aside_en}",
    )


def _kinds(w: Words, a: Mapping[str, Any]) -> tuple[str, str]:
    """The form's kind and the kinds the policy scores, in words."""
    kind = w.pick(*FORM_KINDS.get(a["kind"], (a["kind"], a["kind"])))
    scored = w.pick("、", ", ").join(w.pick(*FORM_KINDS.get(k, (k, k))) for k in a["kinds"])
    return kind, scored


def _kind_refused(w: Words, a: Mapping[str, Any]) -> str:
    kind, scored = _kinds(w, a)
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
_DIFFER = {
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
        zh, en = _DIFFER[a["why"]]
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
    weighted = "、".join(f"{text}（{_num(fund)}）" for _, text, fund in parts)
    weighted_en = ", ".join(f"{text} ({_num(fund)})" for _, text, fund in parts)
    return w.pick(
        f"{count} 个资金使用单位的实际完成值按{zh_funds}加权平均：{weighted} → {a['result']}"
        f"（四舍五入保留 {a['places']} 位小数）",
        f"the actuals of {count} recipients averaged weighted by their {en_funds}: "
        f"{weighted_en} → {a['result']} (half up to {a['places']} places)",
    )


def _round(w: Words, a: Mapping[str, Any]) -> str:
    method, places = a["method"], a["places"]
    change = f"{_num(a['before'])} → {_fix(a['after'], places)}"
    return w.pick(
        f"{METHOD_ZH[method]}保留{places}位小数：{change}",
        f"rounded {method} to {places} places: {change}",
    )


def _delta(w: Words, a: Mapping[str, Any]) -> str:
    own, tol = _num(a["own"]), _num(a["tolerance"])
    signed = _signed(a["delta"], a["places"])
    within = a["within"]
    return w.pick(
        f"自评得分 {own}，复核减自评 {signed}（{'在容差内' if within else '超出容差'} {tol}）",
        f"self-score {own}; policy minus self {signed} "
        f"({'within' if within else 'beyond'} the tolerance {tol})",
    )


def _budget_rows(w: Words, a: Mapping[str, Any]) -> str:
    listed = "，".join(
        f"{zh} {'—' if a[key] is None else _num(a[key])}"
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
    own, delta = _num(a["own"]), a["delta"]
    if delta is None:
        return w.pick(f"自评预算得分 {own}", f"self-reported budget score {own}")
    signed = _signed(delta, a["places"])
    return w.pick(
        f"自评预算得分 {own}，复核减自评 {signed}",
        f"self-reported budget score {own}; policy minus self {signed}",
    )


def _total(w: Words, a: Mapping[str, Any]) -> str:
    zh = [f"指标得分合计 {_num(a['lines'])}"]
    en = [f"indicator lines {_num(a['lines'])}"]
    if a["budget"] is not None:
        zh.append(f"预算执行得分 {_num(a['budget'])}")
        en.append(f"budget {_num(a['budget'])}")
    total = _fix(a["total"], a["places"])
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
        why_zh = why_en = f"{_num(a['total'])} {SIGNS[a['op']]} {_num(a['bound'])}"
    return w.pick(
        f"复核总分等级：{grade}（{why_zh}）", f"the total grades {w.label(grade)} ({why_en})"
    )


def _rescale(w: Words, a: Mapping[str, Any]) -> str:
    earned, applicable, to = _num(a["earned"]), _num(a["applicable"]), _num(a["to"])
    total = _fix(a["total"], a["places"])
    count = a["count"]
    aside_zh = f"（{count} 行不适用，分值 {_num(a['weight'])} 不计入）" if count else ""
    aside_en = f" ({count} line(s) not applicable, weight {_num(a['weight'])} set aside)"
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
    return f"{_fix(a['low'], a['places'])}–{_fix(a['high'], a['places'])}"


def _self_sum(w: Words, a: Mapping[str, Any]) -> str:
    lines, budget, total = _num(a["lines"]), a["budget"], _num(a["total"])
    zh = f"各行自评得分之和 {lines}"
    en = f"the line self-scores add up to {lines}"
    if budget is not None:
        zh += f" + 自评预算得分 {_num(budget)}"
        en += f", plus the budget self-score {_num(budget)}"
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


def _band_choice(w: Words, a: Mapping[str, Any]) -> str:
    places = a["places"]
    low, high, score = _fix(a["low"], places), _fix(a["high"], places), _fix(a["score"], places)
    return w.pick(
        f"实际完成值已在最高一档（可得 {low}–{high}），失分来自档内选定的分值 {score}，"
        "不是实际完成值不足",
        f"the actual is already in the top tier (worth {low} to {high}); the points were lost "
        f"to the score chosen in the band ({score}), not to the actual",
    )


STEPS: dict[str, Wording] = {
    "read": _read,
    "targets_only_actual": lambda w, a: w.pick(
        "目标表，无实际完成值", "a targets-only form: no actual"
    ),
    "route": _route,
    "route_review": lambda w, a: w.pick(
        f"第 {a['apply']} 条 apply（{w.phrase(a['why'])}）：转人工复核",
        f"apply line {a['apply']} ({w.phrase(a['why'])}): sent to review",
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
        f"规则「{a['rule']}」第 {a['clause']} 条无法判断：{w.phrase(a['why'])}，待复核",
        f"clause {a['clause']} of rule {a['rule']} cannot be decided: {w.phrase(a['why'])}; "
        "needs review",
    ),
    "clause": lambda w, a: w.pick(
        f"规则「{a['rule']}」第 {a['clause']} 条成立：{w.phrase(a['why'])}",
        f"clause {a['clause']} of rule {a['rule']} holds: {w.phrase(a['why'])}",
    ),
    "band_accepted": lambda w, a: w.pick(
        f"自评得分 {_num(a['own'])} 在允许区间 {_band(w, a)} 内，采用自评得分",
        f"the self-score {_num(a['own'])} lies in the allowed band {_band(w, a)}: accepted",
    ),
    "band_review": lambda w, a: _band_rejected(w, a, ("，待复核", "; needs review")),
    "band_rejected": lambda w, a: _band_rejected(
        w, a, ("，改按规则计分", "; scored by the rule instead")
    ),
    "full": lambda w, a: w.pick(
        f"满分：分值 {_num(a['weight'])}", f"full marks: weight {_num(a['weight'])}"
    ),
    "formula": _formula,
    "deduct": _deduct,
    "not_applicable": _not_applicable,
    "kind_refused": _kind_refused,
    "recipients": _recipients,
    "kind_refused_total": lambda w, a: w.pick(
        f"规则不评{_kinds(w, a)[0]}，不计总分",
        f"the policy does not score {_kinds(w, a)[0]} forms: no total",
    ),
    "constant": lambda w, a: w.pick(f"得 {_num(a['value'])} 分", f"{_num(a['value'])} points"),
    "cap": lambda w, a: w.pick(
        f"超过上限（{w.expr(a['cap'])}）{_num(a['value'])}，按 {_num(a['value'])} 计",
        f"above the cap ({w.expr(a['cap'])}) {_num(a['value'])}: {_num(a['value'])}",
    ),
    "floor": lambda w, a: w.pick(
        f"低于下限 {_num(a['value'])}，按 {_num(a['value'])} 计",
        f"below the floor {_num(a['value'])}: {_num(a['value'])}",
    ),
    "round": _round,
    "score": lambda w, a: w.pick(
        f"复核得分 {_fix(a['score'], a['places'])}", f"policy score {_fix(a['score'], a['places'])}"
    ),
    "lost": lambda w, a: w.pick(
        f"失分 {_fix(a['lost'], a['places'])}", f"points lost {_fix(a['lost'], a['places'])}"
    ),
    "band_choice": _band_choice,
    "full_marks": lambda w, a: w.pick(
        f"实际达到 {w.phrase(a['at'])} 可得满分",
        f"an actual of {w.phrase(a['at'])} earns full marks",
    ),
    "self": lambda w, a: w.pick(f"自评得分 {_num(a['own'])}", f"self-score {_num(a['own'])}"),
    "delta": _delta,
    "budget_absent": lambda w, a: w.pick(
        "表上没有预算执行情况（项目资金）", "the form has no funding block"
    ),
    "budget_rows": _budget_rows,
    "budget_weight": lambda w, a: w.pick(
        f"表上预算执行分值为 {_num(a['printed'])}，按规则的 {_num(a['weight'])} 计",
        f"the form prints a budget weight of {_num(a['printed'])}; the policy's "
        f"{_num(a['weight'])} is used",
    ),
    "rate": lambda w, a: w.pick(
        f"执行率 = 执行数 ÷ 预算数 = {_num(a['executed'])} ÷ {_num(a['budget'])}"
        f" = {percent(a['rate'])}",
        f"rate = executed / budget = {_num(a['executed'])} / {_num(a['budget'])}"
        f" = {percent(a['rate'])}",
    ),
    "counts_never": lambda w, a: w.pick(
        "按规则，预算执行得分只列示、不计入总分",
        "the policy shows the budget score without adding it",
    ),
    "counts_full": lambda w, a: w.pick(
        f"指标分值合计 {_num(a['lines'])} 已占满总分 {_num(a['total'])}，"
        "预算执行得分只列示、不计入总分",
        f"the indicator weights already add up to {_num(a['lines'])} of {_num(a['total'])}; "
        "the budget score is shown, not added",
    ),
    "self_scale": lambda w, a: w.pick(
        f"表上自评预算得分 {_num(a['printed'])}（分值 {_num(a['printed_weight'])}），"
        f"按规则分值 {_num(a['weight'])} 折算为 {_num(a['scaled'])}",
        f"the printed budget self-score {_num(a['printed'])} (of {_num(a['printed_weight'])}) "
        f"is {_num(a['scaled'])} on the policy's {_num(a['weight'])} points",
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
        f"表上分值合计比总分值少 {_num(a['missing'])} 分，这部分可得 0 至 {_num(a['missing'])}",
        f"the weights fall {_num(a['missing'])} short of the policy's total; that part is "
        f"worth 0 to {_num(a['missing'])}",
    ),
    "grade": _grade,
    "rescale": _rescale,
    "set_aside": lambda w, a: w.pick(
        f"{a['count']} 行不适用，不计分（分值 {_num(a['weight'])}）",
        f"{a['count']} line(s) not applicable, no score (weight {_num(a['weight'])})",
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
        f"自评总分（表上）{_num(a['total'])}",
        f"self-reported total (as printed) {_num(a['total'])}",
    ),
    "self_total_sum": _self_sum,
    "self_incomplete": _self_incomplete,
    "self_grade": lambda w, a: w.pick(
        f"自评总分等级：{a['grade']}", f"the self-reported total grades {w.label(a['grade'])}"
    ),
    "total_delta": lambda w, a: w.pick(
        f"复核总分减自评总分 {_signed(a['delta'], a['places'])}",
        f"total minus self-reported total {_signed(a['delta'], a['places'])}",
    ),
}


# --- flags the engine raises by itself --------------------------------------------------------


def _budget_unread(w: Words, a: Mapping[str, Any]) -> str:
    if a.get("absent"):
        weight = _num(a["weight"])
        return w.pick(
            f"表上没有预算执行情况，预算执行得分（{weight} 分）无法计算",
            f"the form has no funding block: the budget score ({weight} points) cannot be computed",
        )
    return w.pick(
        "预算数或执行数未读出，预算执行得分无法计算",
        "the budget or the executed amount could not be read: no budget score",
    )


FLAGS: dict[str, Wording] = {
    "recipients_added": lambda w, a: w.pick(
        f"本表由 {a['count']} 个资金使用单位的表汇总而成：{a['units']}",
        f"this form adds up the forms of {a['count']} recipients: {a['units']}",
    ),
    "recipients_differ": lambda w, a: w.pick(
        f"各资金使用单位的这一行无法汇总：{_DIFFER[a['why']][0]}",
        f"this line cannot be added up over the recipients: {_DIFFER[a['why']][1]}",
    ),
    "kind_not_scored": lambda w, a: w.pick(
        "规则不评这类表：" + _kind_refused(w, a), "not scored: " + _kind_refused(w, a)
    ),
    "header_fragment": lambda w, a: w.pick(
        "这一行的指标名称是表头文字或其片段，不像指标：可能是读表时误把表头当成了指标行",
        "this line's name is a column header word or a piece of one, not an indicator: the reader "
        "may have taken part of the header for a row",
    ),
    "target_not_quantified": lambda w, a: w.pick(
        f"年度指标值「{a['target'] or '—'}」未量化",
        f"the target '{a['target'] or '—'}' is not quantified",
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
        f"有自评得分 {_num(a['own'])}，却没有分值",
        f"a self-score of {_num(a['own'])} on a line with no weight",
    ),
    "self_score_above_weight": lambda w, a: w.pick(
        f"自评得分 {_num(a['own'])} 高于分值 {_num(a['weight'])}",
        f"the self-score {_num(a['own'])} is above the weight {_num(a['weight'])}",
    ),
    "self_score_out_of_band": lambda w, a: w.pick(
        f"自评得分 {_num(a['own'])} 不在该档允许的区间 {_band(w, a)} 内",
        f"the self-score {_num(a['own'])} lies outside the tier's band {_band(w, a)}",
    ),
    "budget_unread": _budget_unread,
    "budget_zero": lambda w, a: w.pick("预算数为 0", "the budget is zero"),
    "budget_weight_differs": lambda w, a: w.pick(
        f"表上预算执行分值为 {_num(a['printed'])}，规则规定 {_num(a['weight'])}，"
        f"按规则的 {_num(a['weight'])} 计分",
        f"the form's budget weight is {_num(a['printed'])}, the policy's "
        f"{_num(a['weight'])}; the policy's weight is used",
    ),
    "budget_self_scale": lambda w, a: w.pick(
        f"自评预算得分 {_num(a['printed'])} 高于规则分值 {_num(a['weight'])}，"
        "表上又没有分值可供折算：不计入自评总分",
        f"the budget self-score {_num(a['printed'])} is above the policy's "
        f"{_num(a['weight'])} points and no printed weight allows converting it: "
        "left out of the self total",
    ),
    "total_incomplete": lambda w, a: w.pick(
        f"{a['pending']} 行待复核，总分未定",
        f"{a['pending']} line(s) await review; the total is not final",
    ),
    "weights_over_total": lambda w, a: w.pick(
        f"表上分值合计 {_num(a['weights'])} 超过总分值 {_num(a['total'])}：有的分值读错或填错",
        f"the weights add up to {_num(a['weights'])}, more than the {_num(a['total'])} "
        "points a form has: some weight was misread or misprinted",
    ),
    "self_total_over": lambda w, a: w.pick(
        f"自评总分 {_num(a['own'])} 超过总分值 {_num(a['total'])}",
        f"the self-reported total {_num(a['own'])} is above the {_num(a['total'])} points a "
        "form can score",
    ),
}


def step_text(step: Step, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A trace step in `lang`."""
    word = STEPS.get(step.code)
    if word is None:  # pragma: no cover - a test checks every code has its words
        return step.code
    return word(words(lang, glossary), step.args)


def flag_text(flag: Flag, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A flag's message in `lang`: the policy's own text (with what made it fire), or the
    engine's words for a flag it raises by itself."""
    wording = words(lang, glossary)
    if flag.text is not None:
        text = wording.pick(*flag.text)
        detail = flag.args.get("detail")
        if detail is not None:
            text += wording.pick("：", ": ") + wording.phrase(detail)
        return text
    word = FLAGS.get(flag.code)
    if word is None:  # pragma: no cover - a test checks every code has its words
        return flag.code
    return word(wording, flag.args)


def phrase_text(phrase: Phrase, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A phrase (such as the actual that earns full marks) in `lang`."""
    return words(lang, glossary).phrase(phrase)
