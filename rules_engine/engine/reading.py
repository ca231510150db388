"""How a line's target and actual cells are read: typed values, numbers for rules, worded steps."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rules_engine.diagnostics import CATALOG
from rules_engine.engine.env import Env
from rules_engine.engine.numbers import show
from rules_engine.engine.terms import Terms
from rules_engine.policy import model as m
from rules_engine.targets import read_cell
from rules_engine.values import CellValue, Unknown

_HUNDRED = Decimal(100)
_OP_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """One cell as read: the typed value, its number and unit as printed, its words' meaning."""

    text: str | None
    value: CellValue | None
    zh: str
    en: str
    number: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    vocab: str | None = None
    predicate: m.TermPredicate | None = None
    quantified: bool = False


@dataclass(frozen=True, slots=True)
class Pair:
    """A target and an actual read together: the numbers rules see, and the unit decision."""

    target: Reading
    actual: Reading
    target_number: Decimal | None
    low: Decimal | None
    high: Decimal | None
    actual_number: Decimal | None
    percent: frozenset[str]
    unit_mismatch: bool
    actual_zh: str
    actual_en: str

    def fill(self, env: Env) -> None:
        """Put the pair's values into a line's variables."""
        env.target = self.target_number
        env.low = self.low
        env.high = self.high
        env.actual = self.actual_number
        env.percent = self.percent
        env.target_text = self.target.text
        env.actual_text = self.actual.text
        env.target_value = self.target.value
        env.actual_value = self.actual.value


def unknown_reason(value: Unknown) -> tuple[str, str]:
    """Why a text could not be read, in Chinese (from the catalogue) and English."""
    zh = value.reason
    if value.code and value.code in CATALOG:
        try:
            zh = CATALOG[value.code].zh.format()
        except (KeyError, IndexError):  # a catalogue text that wants arguments: keep English
            zh = value.reason
    return zh, value.reason


def read_target(text: str | None, terms: Terms) -> Reading:
    """Read a target cell (once per distinct text; the caller caches)."""
    if text is None:
        return Reading(
            text=None,
            value=None,
            zh="年度指标值未填",
            en="the target is empty",
        )
    value = read_cell(text, "target")
    head_zh, head_en = f"年度指标值「{text}」", f"target '{text}'"
    if value.kind == "compare":
        unit = value.unit
        sign = _OP_SIGN[value.op]
        shown = f"{sign} {show(value.value)}{unit or ''}"
        return Reading(
            text=text,
            value=value,
            number=value.value,
            low=value.value,
            high=value.value,
            unit=unit,
            quantified=True,
            zh=f"{head_zh}读作 {shown}",
            en=f"{head_en} read as {shown}",
        )
    if value.kind == "range":
        unit = value.unit or ""
        low, high = show(value.low), show(value.high)
        return Reading(
            text=text,
            value=value,
            number=value.low,
            low=value.low,
            high=value.high,
            unit=value.unit,
            quantified=True,
            zh=f"{head_zh}读作区间 {low}～{high}{unit}",
            en=f"{head_en} read as the range {low} to {high}{unit}",
        )
    if value.kind == "term":
        pred = terms.predicate_of(text)
        if pred is not None:
            meaning = f"{_OP_SIGN[pred.op]} {show(pred.value)}"
            return Reading(
                text=text,
                value=value,
                number=pred.value,
                low=pred.value,
                high=pred.value,
                predicate=pred,
                quantified=True,
                zh=f"{head_zh}读作「{pred.name}」，即 {meaning}",
                en=f"{head_en} read as {pred.name}, i.e. {meaning}",
            )
        label = terms.label_of(text)
        if label is not None:
            return Reading(
                text=text,
                value=value,
                vocab=label,
                zh=f"{head_zh}读作定性词，属于「{label}」",
                en=f"{head_en} read as a term of {terms.en(label)}",
            )
        return Reading(
            text=text,
            value=value,
            zh=f"{head_zh}读作定性词（规则的词表未收录）",
            en=f"{head_en} read as a term the policy's vocabularies do not list",
        )
    if value.kind == "date":
        when = value.value or "时段"
        return Reading(
            text=text,
            value=value,
            quantified=True,
            zh=f"{head_zh}读作期限 {when}",
            en=f"{head_en} read as the deadline {value.value or 'a period'}",
        )
    assert isinstance(value, Unknown)
    zh, en = unknown_reason(value)
    return Reading(
        text=text,
        value=value,
        zh=f"{head_zh}无法识读：{zh}",
        en=f"{head_en} cannot be read: {en}",
    )


def read_actual(text: str | None, terms: Terms) -> Reading:
    """Read an actual cell (once per distinct text; the caller caches)."""
    if text is None:
        return Reading(
            text=None,
            value=None,
            zh="实际完成值未填",
            en="the actual is empty",
        )
    value = read_cell(text, "actual")
    head_zh, head_en = f"实际完成值「{text}」", f"actual '{text}'"
    if value.kind == "number":
        shown = f"{show(value.value)}{value.unit or ''}"
        return Reading(
            text=text,
            value=value,
            number=value.value,
            unit=value.unit,
            quantified=True,
            zh=f"{head_zh}读作 {shown}",
            en=f"{head_en} read as {shown}",
        )
    if value.kind == "term":
        label = terms.label_of(text)
        pred = terms.predicate_of(text)
        if label is not None:
            zh, en = f"读作定性词，属于「{label}」", f"read as a term of {terms.en(label)}"
        elif pred is not None:
            zh, en = f"读作「{pred.name}」", f"read as {pred.name}"
        else:
            zh, en = "读作定性词（规则的词表未收录）", "read as a term the vocabularies do not list"
        return Reading(
            text=text,
            value=value,
            vocab=label,
            predicate=pred,
            zh=head_zh + zh,
            en=f"{head_en} {en}",
        )
    if value.kind == "range":
        unit = value.unit or ""
        low, high = show(value.low), show(value.high)
        return Reading(
            text=text,
            value=value,
            low=value.low,
            high=value.high,
            unit=value.unit,
            zh=f"{head_zh}读作区间 {low}～{high}{unit}，不是单一数值",
            en=f"{head_en} read as the range {low} to {high}{unit}, not one number",
        )
    if value.kind == "date":
        return Reading(
            text=text,
            value=value,
            quantified=True,
            zh=f"{head_zh}读作日期 {value.value or '时段'}",
            en=f"{head_en} read as the date {value.value or 'a period'}",
        )
    if isinstance(value, Unknown):
        zh, en = unknown_reason(value)
        return Reading(
            text=text,
            value=value,
            zh=f"{head_zh}无法识读：{zh}",
            en=f"{head_en} cannot be read: {en}",
        )
    # A comparison never comes back for an actual (the reader keeps its number); be safe anyway.
    return Reading(
        text=text,
        value=value,
        zh=f"{head_zh}无法作为实际值",
        en=f"{head_en} is not an actual value",
    )


def pair(target: Reading, actual: Reading) -> Pair:
    """Combine the two readings: percent units become fractions, a missing unit follows the other
    cell, and two different units are a mismatch (the actual is then not used as a number)."""
    t_unit, a_unit = target.unit, actual.unit
    mismatch = t_unit is not None and a_unit is not None and t_unit != a_unit
    percent: set[str] = set()
    t_pct = t_unit == "%" or (t_unit is None and a_unit == "%" and target.predicate is None)
    a_pct = a_unit == "%" or (a_unit is None and t_unit == "%")
    target_number, low, high = target.number, target.low, target.high
    if t_pct and target.predicate is None:
        target_number, low, high = _pct(target_number), _pct(low), _pct(high)
        percent.update(("target", "low", "high"))
    actual_number = actual.number
    if a_pct:
        actual_number = _pct(actual_number)
        percent.add("actual")
    actual_zh, actual_en = actual.zh, actual.en
    if mismatch:
        actual_number = None
        actual_zh += f"；单位「{a_unit}」与目标的「{t_unit}」不一致，不作比较"
        actual_en += (
            f"; its unit {a_unit} differs from the target's {t_unit}, so it is not compared"
        )
    elif actual.number is not None and a_unit is None and t_unit is not None:
        actual_zh += f"（单位沿用目标的「{t_unit}」）"
        actual_en += f" (in the target's unit, {t_unit})"
    return Pair(
        target,
        actual,
        target_number,
        low,
        high,
        actual_number,
        frozenset(percent),
        mismatch,
        actual_zh,
        actual_en,
    )


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / _HUNDRED
