"""The engine's own words: steps and flags built without re-validation, and review reasons."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from rules_engine.engine.env import VARIABLE_NAMES, Env
from rules_engine.engine.reading import unknown_reason
from rules_engine.scorecard import Flag, Step
from rules_engine.values import Unknown

M = TypeVar("M", bound=BaseModel)


_new = object.__new__
_set = object.__setattr__


def trusted(cls: type[M], values: dict[str, Any]) -> M:
    """A model instance from values the engine computed itself, without validation.

    `values` must name every field in declaration order (the order JSON dumps follow). This is
    what `model_construct` does, minus its per-field alias and default handling, which costs
    more than the rest of scoring a line.
    """
    obj = _new(cls)
    _set(obj, "__dict__", values)
    _set(obj, "__pydantic_fields_set__", _fields(cls))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


def build(cls: type[M], **values: Any) -> M:
    """`trusted` with keyword values. Given in the class's field order (the fast case) they are
    used as they are; otherwise they are put in order and fields not given take their defaults,
    so a field added to the model later never breaks the engine."""
    order = _order(cls)
    if tuple(values) != order:
        fields = cls.model_fields
        values = {
            name: values[name]
            if name in values
            else fields[name].get_default(call_default_factory=True)
            for name in order
        }
    return trusted(cls, values)


@cache
def _order(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(cls.model_fields)


@cache
def _fields(cls: type[BaseModel]) -> set[str]:
    # Shared by every instance of the (frozen) class: pydantic copies it on `model_copy`.
    return set(cls.model_fields)


def step(
    kind: str, zh: str, en: str, value: Decimal | None = None, source: str | None = None
) -> Step:
    """A trace step, built as `trusted` (hundreds of thousands of steps per batch)."""
    return trusted(Step, {"kind": kind, "zh": zh, "en": en, "value": value, "source": source})


def flag(
    code: str,
    zh: str,
    en: str,
    severity: Literal["info", "warning", "error"] = "warning",
    source: str | None = None,
) -> Flag:
    """A review flag (built like `step`)."""
    return trusted(Flag, {"code": code, "zh": zh, "en": en, "severity": severity, "source": source})


def reason_for(env: Env, name: str) -> tuple[str, str]:
    """Why a value a clause needs is missing, in both languages (the review reason)."""
    if name in ("actual", "target", "low", "high"):
        return _cell_reason(env, "actual" if name == "actual" else "target", name)
    if name == "÷0":
        return "除数为 0", "a division by zero"
    if name == "weight":
        return "分值未填或无法识读", "the weight is empty or unreadable"
    if name == "self_score":
        return "自评得分未填或无法识读", "the self-score is empty or unreadable"
    zh, en = VARIABLE_NAMES.get(name, (name, name))
    return f"缺少{zh}", f"the {en} is missing"


def _cell_reason(env: Env, cell: str, name: str) -> tuple[str, str]:
    value = env.actual_value if cell == "actual" else env.target_value
    text = env.actual_text if cell == "actual" else env.target_text
    zh_cell = "实际完成值" if cell == "actual" else "年度指标值"
    if value is None or text is None:
        return f"{zh_cell}未填", f"the {cell} is empty"
    if isinstance(value, Unknown):
        zh, en = unknown_reason(value)
        return f"{zh_cell}「{text}」无法识读（{zh}）", f"the {cell} '{text}' cannot be read ({en})"
    if cell == "actual" and "unit_mismatch" in env.checks:
        t_unit = getattr(env.target_value, "unit", None)
        a_unit = getattr(value, "unit", None)
        return (
            f"单位不一致：目标为「{t_unit}」，实际为「{a_unit}」",
            f"the units differ: the target is in {t_unit}, the actual in {a_unit}",
        )
    if name in ("low", "high") and value.kind != "range":
        return f"{zh_cell}「{text}」不是区间", f"the {cell} '{text}' is not a range"
    if value.kind in ("term", "date", "range"):
        kinds = {
            "term": ("定性词", "a term"),
            "date": ("日期", "a date"),
            "range": ("区间", "a range"),
        }
        zh_kind, en_kind = kinds[value.kind]
        return (
            f"{zh_cell}「{text}」是{zh_kind}，这一条需要数值",
            f"the {cell} '{text}' is {en_kind}; this clause needs a number",
        )
    return f"{zh_cell}「{text}」无法用于这一条", f"the {cell} '{text}' does not fit this clause"
