"""The scorecard: what evaluation produces and every renderer reads (score and its trace)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rules_engine.model import Form, Position
from rules_engine.values import CellValue

Outcome = Literal["met", "partial", "missed", "review"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Step(_Frozen):
    """One step of a trace, readable by a finance officer, in both languages.

    `value` is the number the step produced (if any); `source` cites the policy clause
    (``policies/national-2020.policy:14``) the step comes from.
    """

    kind: str
    zh: str
    en: str
    value: Decimal | None = None
    source: str | None = None


class Flag(_Frozen):
    """A review flag raised on a line, the budget block or the whole form."""

    code: str
    zh: str
    en: str
    severity: Literal["info", "warning", "error"] = "warning"
    source: str | None = None


class LineResult(_Frozen):
    """One indicator line scored: inputs as read, the rule, the steps and the score they give."""

    index: int
    level1: str | None
    level2: str | None
    name: str | None
    target: str | None
    actual: str | None
    weight: Decimal | None
    note: str | None
    target_value: CellValue | None
    actual_value: CellValue | None
    rule: str | None
    rule_title: str | None = None
    # Short text of the clause taken (区间·按比例), for the table's rule column.
    label: str | None = None
    source: str | None
    outcome: Outcome
    score: Decimal | None
    unrounded: Decimal | None = None
    self_score: Decimal | None
    delta: Decimal | None
    points_lost: Decimal | None = None
    full_marks_actual: str | None = None
    band: tuple[Decimal, Decimal] | None = None
    steps: list[Step] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    position: Position | None = None
    # Whether |delta| is within the policy's tolerance (None when there is no delta).
    within_tolerance: bool | None = None


class BudgetResult(_Frozen):
    """The budget-execution score: rate, weight, what the rule computed and whether it counts.

    `self_score` is the unit's own budget score on the policy's scale (a 得分 of 100 beside a
    printed 分值 of 100 on a 10-point budget reads 10); `self_printed` is the cell as printed.
    """

    rate: Decimal | None
    weight: Decimal | None
    score: Decimal | None
    self_score: Decimal | None
    delta: Decimal | None = None
    source: str | None = None
    steps: list[Step] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    # What the budget rule gives even when the policy does not add it to the total (then
    # `score` is None), and whether it is added.
    computed: Decimal | None = None
    counted: bool = True
    # Whether the budget figures were read, and why `score` is None when it is (a code:
    # not_counted, weights_full, unread, zero, review).
    read: bool = True
    reason: str | None = None
    printed_weight: Decimal | None = None
    self_printed: Decimal | None = None


class GroupTotal(_Frozen):
    """Subtotal of one 一级 group."""

    level1: str
    weight: Decimal
    score: Decimal | None
    self_score: Decimal | None


# Why a total is not final (DESIGN §5): lines_pending, rows_missing, weights_short,
# budget_unread, budget_pending, reading_unreliable, nothing_read, weights_over,
# values_inconsistent, header_fragments, self_total_over.
TotalReason = str


class TotalResult(_Frozen):
    """The form's total and grade beside the self-reported ones.

    A total is `final` only when everything it is built on is known; otherwise `low` and `high`
    bound every total still possible, `grades` lists the bands that range touches, `grade` is
    set only when it touches one, and `reasons` say what is not known.
    """

    score: Decimal | None
    self_score: Decimal | None
    weight: Decimal | None
    grade: str | None
    self_grade: str | None = None
    groups: list[GroupTotal] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    # Policy total minus the self-reported total (only when both are final).
    delta: Decimal | None = None
    final: bool = True
    low: Decimal | None = None
    high: Decimal | None = None
    grades: list[str] = Field(default_factory=list)
    reasons: list[TotalReason] = Field(default_factory=list)
    # Lines awaiting review, and whether the self total is complete.
    pending: int = 0
    self_final: bool = True


class FormResult(_Frozen):
    """One form scored (a targets-only form's lines carry the rule that would apply, no score)."""

    form: Form
    lines: list[LineResult]
    budget: BudgetResult | None
    total: TotalResult
    flags: list[Flag] = Field(default_factory=list)


class PolicyInfo(_Frozen):
    """Which policy scored the document."""

    name: str
    year: int | None
    path: str
    sha256: str
    title: str | None = None
    # The policy's own English for its Chinese labels (grades, tiers, rule titles, clause
    # labels, notes), used when output is in English.
    english: dict[str, str] = Field(default_factory=dict)


class Scorecard(_Frozen):
    """Everything `explain` and `score` print."""

    policy: PolicyInfo
    forms: list[FormResult]
