"""Render a scorecard as the DESIGN.md section 5 JSON contract (decimals as plain strings)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from rules_engine.diagnostics import Lang
from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.render import labels as L
from rules_engine.render import steps
from rules_engine.scorecard import (
    BudgetResult,
    Flag,
    FormResult,
    GroupTotal,
    LineResult,
    Phrase,
    Scorecard,
    Step,
    TotalResult,
)
from rules_engine.values import plain


def render(card: Scorecard, lang: Lang = "zh", line: tuple[int, int] | None = None) -> str:
    """The scorecard as indented JSON (one line's object when `line` is given), newline-ended."""
    g = card.policy.english
    if line is not None:
        form_no, line_no = line
        result = card.forms[form_no - 1]
        doc: dict[str, Any] = {"policy": policy_json(card), "form": form_no}
        if line_no == L.BUDGET_LINE:
            doc["budget"] = budget_json(result.budget, lang, g)
        elif line_no == L.TOTAL_LINE:
            doc["total"] = total_json(result.total, lang, g)
            doc["flags"] = [flag_json(flag, lang, g) for flag in result.flags]
        else:
            chosen = next(x for x in result.lines if x.index == line_no)
            doc["line"] = line_json(chosen, lang, g)
    else:
        doc = scorecard_json(card, lang)
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def dec(value: Decimal | None) -> str | None:
    """A decimal as a plain string (``6.67``, ``10``), or ``None``."""
    return None if value is None else plain(value)


def scorecard_json(card: Scorecard, lang: Lang) -> dict[str, Any]:
    """The contract's top object: ``{"policy": …, "forms": […]}``."""
    return {
        "policy": policy_json(card),
        "forms": [form_json(result, lang, card.policy.english) for result in card.forms],
    }


def policy_json(card: Scorecard) -> dict[str, Any]:
    """Which policy scored the document."""
    info = card.policy
    return {
        "name": info.name,
        "year": info.year,
        "path": info.path,
        "sha256": info.sha256,
        "title": info.title,
    }


def form_json(result: FormResult, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> dict[str, Any]:
    """One form: the form as read (the ``parse`` shape), its lines, budget, total and flags."""
    return {
        "form": result.form.model_dump(mode="json"),
        "lines": [line_json(line, lang, g) for line in result.lines],
        "budget": budget_json(result.budget, lang, g),
        "total": total_json(result.total, lang, g),
        "flags": [flag_json(flag, lang, g) for flag in result.flags],
    }


def step_json(step: Step, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> dict[str, Any]:
    """One trace step: its kind, the text in `lang`, the number it produced, its source, and
    its arguments as data (numbers as decimal strings, expressions as the policy writes them)."""
    return {
        "kind": step.code,
        "text": L.step_text(step, lang, g),
        "value": dec(step.value),
        "source": step.source,
        "args": data(step.args),
    }


def data(value: object) -> Any:
    """An explanation argument as JSON data."""
    if value is None or isinstance(value, (str, int, bool)):
        return value
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Phrase):
        return {"code": value.code, "args": data(value.args)}
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


def flag_json(flag: Flag, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> dict[str, Any]:
    """A flag: code, message in `lang`, severity and the policy clause that raised it."""
    return {
        "code": flag.code,
        "message": L.flag_text(flag, lang, g),
        "severity": flag.severity,
        "source": flag.source,
    }


def line_json(line: LineResult, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> dict[str, Any]:
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
        else steps.phrase_text(line.full_marks_actual, lang, g),
        "band": None if line.band is None else [plain(line.band[0]), plain(line.band[1])],
        "position": None if line.position is None else line.position.model_dump(mode="json"),
    }


def budget_json(
    budget: BudgetResult | None, lang: Lang, g: L.Glossary = L.NO_GLOSSARY
) -> dict[str, Any] | None:
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


def group_json(group: GroupTotal) -> dict[str, Any]:
    """One 一级 subtotal."""
    return {
        "level1": group.level1,
        "weight": dec(group.weight),
        "score": dec(group.score),
        "self_score": dec(group.self_score),
    }


def total_json(total: TotalResult, lang: Lang, g: L.Glossary = L.NO_GLOSSARY) -> dict[str, Any]:
    """The total and grade beside the self-reported ones, with the 一级 subtotals."""
    return {
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
