"""Render a scorecard as the DESIGN.md section 5 JSON contract (decimals as plain strings)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal, NotRequired

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from rules_engine.diagnostics import Lang
from rules_engine.model import Position
from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.render import labels as L
from rules_engine.render import phrases, select, trace_facts
from rules_engine.scorecard import (
    BudgetResult,
    Flag,
    FormResult,
    GroupTotal,
    LineResult,
    Numbers,
    Phrase,
    Scorecard,
    Step,
    TotalResult,
)
from rules_engine.values import plain

# The shapes the renderer writes (DESIGN §5): the one definition the JSON Schema of
# `explain --format json` is generated from (`rules_engine.schemas`), checked by mypy here.
Figure = Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$")]
Outcome = Literal["met", "partial", "missed", "review", "not_applicable"]


class PolicyJson(TypedDict):
    """Which policy scored the document."""

    name: str
    year: int | None
    path: str
    sha256: str
    title: str | None


class StepJson(TypedDict):
    """One trace step: its code, its text, the number it produced, its source, its arguments."""

    kind: str
    text: str
    value: Figure | None
    source: str | None
    args: dict[str, Any]


class FlagJson(TypedDict):
    """A review flag."""

    code: str
    message: str
    severity: Literal["info", "warning", "error"]
    source: str | None


class PositionJson(TypedDict):
    """Where a cell stands (1-based), and its sheet in a workbook."""

    row: int
    col: int
    sheet: NotRequired[str]


class LineJson(TypedDict):
    """One indicator line scored."""

    index: int
    level1: str | None
    level2: str | None
    name: str | None
    target: str | None
    actual: str | None
    weight: Figure | None
    rule: str | None
    source: str | None
    outcome: Outcome
    score: Figure | None
    self_score: Figure | None
    delta: Figure | None
    steps: list[StepJson]
    flags: list[FlagJson]
    note: str | None
    target_value: dict[str, Any] | None
    actual_value: dict[str, Any] | None
    rule_title: str | None
    label: str | None
    unrounded: Figure | None
    points_lost: Figure | None
    full_marks_actual: str | None
    band: list[Figure] | None
    position: PositionJson | None


class BudgetJson(TypedDict):
    """The budget-execution score and what the rule computed."""

    rate: Figure | None
    weight: Figure | None
    score: Figure | None
    computed: Figure | None
    counted: bool
    read: bool
    reason: str | None
    self_score: Figure | None
    self_printed: Figure | None
    printed_weight: Figure | None
    delta: Figure | None
    source: str | None
    steps: list[StepJson]
    flags: list[FlagJson]


class GroupJson(TypedDict):
    """One 一级 subtotal."""

    level1: str
    weight: Figure
    score: Figure | None
    self_score: Figure | None


class AltGradeJson(TypedDict):
    """The grade under one of the policy's alternative grade sets."""

    name: str
    grade: str | None
    grades: list[str]


class TotalJson(TypedDict):
    """The total: final or a range, its grade and reasons, beside the self-reported total;
    `alternatives` (only when the policy has alternative grade sets) the grade under each."""

    score: Figure | None
    self_score: Figure | None
    weight: Figure | None
    grade: str | None
    final: bool
    low: Figure | None
    high: Figure | None
    grades: list[str]
    reasons: list[str]
    pending: int
    self_grade: str | None
    self_final: bool
    delta: Figure | None
    groups: list[GroupJson]
    steps: list[StepJson]
    alternatives: NotRequired[list[AltGradeJson]]


class ListedJson(TypedDict):
    """Which lines `explain --only` kept: the kinds asked for, how many lines matched, of all."""

    only: list[Literal["partial", "flags", "changed"]]
    lines: int
    of: int


class FormResultJson(TypedDict):
    """One form scored; `form` is the form as `parse --format json` writes it. With
    `explain --only`, `lines` holds the matching lines and `listed` says so."""

    form: dict[str, Any]
    lines: list[LineJson]
    budget: BudgetJson | None
    total: TotalJson
    flags: list[FlagJson]
    listed: NotRequired[ListedJson]


class ScorecardJson(TypedDict):
    """What `explain --format json` prints for a whole document."""

    policy: PolicyJson
    forms: list[FormResultJson]


def render(
    card: Scorecard,
    lang: Lang = "zh",
    line: tuple[int, int] | None = None,
    only: select.Only = select.EVERY,
    *,
    form_number: int | None = None,
) -> str:
    """The scorecard as indented JSON (one line's object when `line` is given), newline-ended;
    `only` narrows each form's list of lines.

    `form_number` is the form's number in its file when the card holds only a part of it.
    """
    g = card.policy.english
    if line is not None:
        form_no, line_no = line
        result = card.forms[form_no - 1]
        doc: dict[str, Any] = {"policy": policy_json(card), "form": form_number or form_no}
        if line_no == trace_facts.BUDGET_LINE:
            doc["budget"] = budget_json(result.budget, lang, g)
        elif line_no == trace_facts.TOTAL_LINE:
            doc["total"] = total_json(result.total, lang, g)
            doc["flags"] = [flag_json(flag, lang, g) for flag in result.flags]
        else:
            chosen = next(x for x in result.lines if x.index == line_no)
            doc["line"] = line_json(chosen, lang, g)
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    return json.dumps(scorecard_json(card, lang, only), ensure_ascii=False, indent=2) + "\n"


def dec(value: Decimal | None) -> str | None:
    """A decimal as a plain string (``6.67``, ``10``), or ``None``."""
    return None if value is None else plain(value)


def scorecard_json(card: Scorecard, lang: Lang, only: select.Only = select.EVERY) -> ScorecardJson:
    """The contract's top object: ``{"policy": …, "forms": […]}``."""
    g = card.policy.english
    return {
        "policy": policy_json(card),
        "forms": [form_json(result, lang, g, only) for result in card.forms],
    }


def policy_json(card: Scorecard) -> PolicyJson:
    """Which policy scored the document."""
    info = card.policy
    return {
        "name": info.name,
        "year": info.year,
        "path": info.path,
        "sha256": info.sha256,
        "title": info.title,
    }


def form_json(
    result: FormResult,
    lang: Lang,
    g: L.Glossary = L.NO_GLOSSARY,
    only: select.Only = select.EVERY,
) -> FormResultJson:
    """One form: the form as read (the ``parse`` shape), its lines, budget, total and flags."""
    listed = select.view(result, only)
    found: FormResultJson = {
        "form": result.form.model_dump(mode="json"),
        "lines": [line_json(line, lang, g) for line in listed.lines],
        "budget": budget_json(result.budget, lang, g),
        "total": total_json(result.total, lang, g),
        "flags": [flag_json(flag, lang, g) for flag in result.flags],
    }
    if only:
        found["listed"] = listed_json(result, listed, only)
    return found


def listed_json(result: FormResult, listed: FormResult, only: select.Only) -> ListedJson:
    """What `explain --only` kept of a form's lines: the kinds asked for, how many, of all."""
    kinds = [kind for kind in select.KINDS if kind in only]
    return {"only": kinds, "lines": len(listed.lines), "of": len(result.lines)}


def step_json(step: Step, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> StepJson:
    """One trace step: its kind, the text in `lang`, the number it produced, its source, and
    its arguments as data (numbers as decimal strings, expressions as the policy writes them)."""
    return {
        "kind": step.code,
        "text": L.step_text(step, lang, g),
        "value": dec(step.value),
        "source": step.source,
        "args": {str(k): data(v) for k, v in step.args.items()},
    }


def data(value: object) -> Any:
    """An explanation argument as JSON data."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Phrase):
        return {"code": value.code, "args": data(value.args)}
    if isinstance(value, Numbers):
        return {
            "expr": show.expr(value.expr),
            "values": {name: plain(number) for name, number in value.values},
            "percent": sorted(value.percent),
        }
    if isinstance(value, Mapping):
        return {str(k): data(v) for k, v in value.items()}
    if isinstance(value, frozenset):
        return sorted(data(v) for v in value)
    if isinstance(value, (tuple, list)):
        return [data(v) for v in value]
    if isinstance(value, (m.Num, m.Var, m.BinOp, m.Neg, m.Call)):
        return show.expr(value)
    if isinstance(value, BaseModel) and hasattr(value, "to_json"):
        return value.to_json()
    return str(value)


def flag_json(flag: Flag, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> FlagJson:
    """A flag: code, message in `lang`, severity and the policy clause that raised it."""
    return {
        "code": flag.code,
        "message": L.flag_text(flag, lang, g),
        "severity": flag.severity,
        "source": flag.source,
    }


def line_json(line: LineResult, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> LineJson:
    """One indicator line with every field the contract names, then the extra detail."""
    return {
        "index": line.index,
        "level1": line.level1,
        "level2": line.level2,
        "name": line.name,
        "target": line.target,
        "actual": line.actual,
        "weight": dec(line.weight),
        "rule": line.rule,
        "source": line.source,
        "outcome": line.outcome,
        "score": dec(line.score),
        "self_score": dec(line.self_score),
        "delta": dec(line.delta),
        "steps": [step_json(step, lang, g) for step in line.steps],
        "flags": [flag_json(flag, lang, g) for flag in line.flags],
        "note": line.note,
        "target_value": None if line.target_value is None else line.target_value.to_json(),
        "actual_value": None if line.actual_value is None else line.actual_value.to_json(),
        "rule_title": line.rule_title,
        "label": line.label,
        "unrounded": dec(line.unrounded),
        "points_lost": dec(line.points_lost),
        "full_marks_actual": None
        if line.full_marks_actual is None
        else phrases.phrase_text(line.full_marks_actual, lang, g),
        "band": None if line.band is None else [plain(line.band[0]), plain(line.band[1])],
        "position": None if line.position is None else _position(line.position),
    }


def _position(where: Position) -> PositionJson:
    out: PositionJson = {"row": where.row, "col": where.col}
    if where.sheet is not None:
        out["sheet"] = where.sheet
    return out


def budget_json(
    budget: BudgetResult | None, lang: Lang, g: L.Glossary = L.NO_GLOSSARY
) -> BudgetJson | None:
    """The budget score (``score`` null when the policy does not count it)."""
    if budget is None:
        return None
    return {
        "rate": dec(budget.rate),
        "weight": dec(budget.weight),
        "score": dec(budget.score),
        "computed": dec(budget.computed),
        "counted": budget.counted,
        "read": budget.read,
        "reason": budget.reason,
        "self_score": dec(budget.self_score),
        "self_printed": dec(budget.self_printed),
        "printed_weight": dec(budget.printed_weight),
        "delta": dec(budget.delta),
        "source": budget.source,
        "steps": [step_json(step, lang, g) for step in budget.steps],
        "flags": [flag_json(flag, lang, g) for flag in budget.flags],
    }


def group_json(group: GroupTotal) -> GroupJson:
    """One 一级 subtotal."""
    return {
        "level1": group.level1,
        "weight": plain(group.weight),
        "score": dec(group.score),
        "self_score": dec(group.self_score),
    }


def total_json(total: TotalResult, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> TotalJson:
    """The total and grade beside the self-reported ones, with the 一级 subtotals."""
    found: TotalJson = {
        "score": dec(total.score),
        "self_score": dec(total.self_score),
        "weight": dec(total.weight),
        "grade": total.grade,
        "final": total.final,
        "low": dec(total.low),
        "high": dec(total.high),
        "grades": list(total.grades),
        "reasons": list(total.reasons),
        "pending": total.pending,
        "self_grade": total.self_grade,
        "self_final": total.self_final,
        "delta": dec(total.delta),
        "groups": [group_json(group) for group in total.groups],
        "steps": [step_json(step, lang, g) for step in total.steps],
    }
    if total.alternatives:
        found["alternatives"] = [
            {"name": alt.name, "grade": alt.grade, "grades": list(alt.grades)}
            for alt in total.alternatives
        ]
    return found
