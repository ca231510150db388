"""The vocabulary every explanation is worded with: how variables and cells are named, the
`Words` of one language (with a policy's own English for its labels), and the number helpers the
phrase, step and flag wordings share."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from rules_engine.diagnostics import CATALOG, Lang
from rules_engine.policy import model as m
from rules_engine.policy import show as printer
from rules_engine.render.figures import figure, filled, fixed, literal, show, signed
from rules_engine.scorecard import Numbers
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
SHAPES: dict[str, tuple[str, str]] = {
    "term": ("定性词", "a term"),
    "range": ("区间", "a range"),
    "date": ("日期", "a date"),
    "compare": ("比较式", "a comparison"),
    "number": ("数值", "a number"),
    "unknown": ("无法识读", "unreadable"),
    "missing": ("未填", "empty"),
}
OUTCOMES = {
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
KINDS = {"term": ("定性词", "a term"), "date": ("日期", "a date"), "range": ("区间", "a range")}


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


def num(value: object) -> str:
    assert isinstance(value, Decimal)
    return show(value)


def fix(value: object, places: object) -> str:
    assert isinstance(value, Decimal) and isinstance(places, int)
    return fixed(value, places)


def signed_fixed(value: object, places: object) -> str:
    assert isinstance(value, Decimal) and isinstance(places, int)
    return signed(value, places)


def with_numbers(value: object) -> str:
    """A recorded expression with its line's numbers (``10 × 2 ÷ 3``); absent: ``?``."""
    if value is None:
        return "?"
    assert isinstance(value, Numbers)
    return filled(value)


def unit_text(value: object) -> str:
    return value if isinstance(value, str) else ""


def amount(value: object, a: Mapping[str, Any]) -> str:
    """A figure of the target's kind: a percentage, or the figure with the target's unit."""
    assert isinstance(value, Decimal)
    return figure(value, bool(a["percent"])) + unit_text(a["unit"])


def band_text(w: Words, a: Mapping[str, Any]) -> str:
    left = "[" if a["low_closed"] else "("
    right = "]" if a["high_closed"] else ")"
    return f"{left}{fix(a['low'], a['places'])}, {fix(a['high'], a['places'])}{right}"


Wording = Callable[[Words, Mapping[str, Any]], str]
