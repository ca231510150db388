"""The form model: documents, forms, budget rows and indicator lines as read, located by cell."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    model_serializer,
)
from pydantic.dataclasses import dataclass

from rules_engine.diagnostics import Diagnostic

# How far the reader trusts what it read (DESIGN §5): `sure` (every run read), `partial` (some
# runs dropped, each with a warning), `unreliable` (the layout could not be read with confidence).
Reliability = Literal["sure", "partial", "unreliable"]

FormKind = Literal[
    "project-self-evaluation",
    "department-self-evaluation",
    "transfer-self-evaluation",
    "targets-only",
]

# Fields of an indicator line, in the order forms print them.
INDICATOR_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
# Fields of a budget row, in the order forms print them.
BUDGET_FIELDS = ("name", "initial", "adjusted", "executed", "weight", "rate", "score")
# Fields of a process scorecard row, in the order forms print them.
PROCESS_FIELDS = ("level1", "level2", "name", "standard", "weight", "score", "review", "note")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# A slotted dataclass, not a model: a form holds one per cell, and a model instance costs about
# five times the memory (its own dict and field set), which made a line cost some 6 KB.
@dataclass(frozen=True, slots=True, config=ConfigDict(extra="forbid"))
class Position:
    """Where a cell stands in its source: 1-based row and column, and the sheet for workbooks."""

    row: int
    col: int
    sheet: str | None = Field(default=None, exclude_if=lambda v: v is None)


class IndicatorLine(_Frozen):
    """One indicator row as printed: raw cell strings, ``None`` for empty, ``—``, ``-`` or ``/``."""

    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    weight: str | None = None
    score: str | None = None
    note: str | None = None
    # Where the row was read; forms written by hand or by another system may have none.
    source: Position | None = Field(default=None, exclude_if=lambda v: v is None)
    cells: dict[str, Position] = Field(default_factory=dict)
    # The placeholder a cell read as empty was printed with (``{"actual": "/"}``), so that a
    # policy can tell 不适用 written as ``/`` from a cell left blank; left out when none.
    marks: dict[str, str] = Field(default_factory=dict, exclude_if=lambda v: not v)


class ProcessLine(_Frozen):
    """One row of a process scorecard (项目决策, 项目管理 …): judged by its 评价标准, no target.

    `score` is the unit's own score (自评分, 得分) and `review` the reviewed one (复核分).
    """

    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    standard: str | None = None
    weight: str | None = None
    score: str | None = None
    review: str | None = None
    note: str | None = None
    source: Position | None = Field(default=None, exclude_if=lambda v: v is None)
    cells: dict[str, Position] = Field(default_factory=dict)


class BudgetRow(_Frozen):
    """One row of the funding block (项目资金)."""

    name: str | None = None
    initial: str | None = None
    adjusted: str | None = None
    executed: str | None = None
    weight: str | None = None
    rate: str | None = None
    score: str | None = None
    source: Position | None = None


class Total(_Frozen):
    """The 总分 / 合计 row."""

    weight: str | None = None
    score: str | None = None


class Form(_Frozen):
    """One form: its kind, header fields, budget block, indicator lines and totals."""

    kind: FormKind
    title: str | None = None
    project: str | None = None
    department: str | None = None
    unit: str | None = None
    year: int | None = None
    budget: list[BudgetRow] = Field(default_factory=list)
    indicators: list[IndicatorLine] = Field(default_factory=list)
    # A process scorecard printed beside the indicators (old templates: 项目决策, 项目管理 with
    # 评价标准), kept apart from them; left out of the JSON when the form has none.
    process: list[ProcessLine] = Field(default_factory=list, exclude_if=lambda v: not v)
    total: Total | None = None
    warnings: list[str] = Field(default_factory=list)
    reliability: Reliability = "sure"
    file: str | None = None
    # The same warnings as coded diagnostics, so renderers can show them in either language.
    # Not part of the JSON contract: a form read back from contract JSON keeps only `warnings`.
    # A dump with the context ``{"complete": True}`` (worker results, the results archive)
    # keeps them, so what is built from it is worded as from the form itself.
    diagnostics: list[Diagnostic] = Field(default_factory=list, exclude=True)

    # No return annotation: pydantic would take it as the serialised schema and the form's
    # JSON Schema would lose its fields.
    @model_serializer(mode="wrap")
    def _with_diagnostics(  # type: ignore[no-untyped-def]
        self, handler: SerializerFunctionWrapHandler, info: SerializationInfo
    ):
        data = handler(self)
        context = info.context
        if isinstance(context, dict) and context.get("complete") and self.diagnostics:
            data["diagnostics"] = [d.model_dump(mode=info.mode) for d in self.diagnostics]
        return data


class Document(_Frozen):
    """What one file holds: one or more forms.

    `context` keeps the start of the file's text (titles, notices, narrative around the
    tables), so the policy can be chosen by a place the body names; it is not part of the
    JSON contract.
    """

    forms: list[Form]
    context: str = Field(default="", exclude=True)


def blank_to_none(text: str | None) -> str | None:
    """Trim a cell and map the printed placeholders for "nothing" to ``None``."""
    if text is None:
        return None
    stripped = text.strip()
    if stripped in {"", "—", "-", "/", "－", "——", "／", "–"}:
        return None
    return stripped
