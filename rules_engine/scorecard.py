"""The scorecard: what evaluation produces and every renderer reads (each score and its trace).

Explanations are data: a step or a flag is a code with its arguments (numbers, cell texts,
policy labels, clause positions); `rules_engine.render` words them in Chinese or English. Lines
that agree in what their score depends on share one `Verdict` (the trace up to the score) and
one `Tail` (the self-score comparison): a batch of many forms builds each once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, PlainSerializer, PlainValidator, TypeAdapter

from rules_engine.model import Form, IndicatorLine, Position
from rules_engine.policy import model as m
from rules_engine.values import CellValue, Unknown

# ``not_applicable``: the policy reads the line as not applicable to the unit (no score; its
# weight leaves the applicable weight).
Outcome = Literal["met", "partial", "missed", "review", "not_applicable"]
Severity = Literal["info", "warning", "error"]


def _encode(value: object) -> Any:
    """An explanation argument as JSON data, tagged with what it is so `_decode` gets it back."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, Decimal):
        return {"$d": str(value)}  # Decimal(str(x)) keeps the digits and exponent of x
    if isinstance(value, Phrase):
        return {"$p": value.code, "args": _encode_args(value.args)}
    if isinstance(value, Numbers):
        return {
            "$n": value.expr.model_dump(mode="json"),
            "values": [[name, str(number)] for name, number in value.values],
            "percent": sorted(value.percent),
        }
    if isinstance(value, Mapping):
        return {"$m": _encode_args(value)}
    if isinstance(value, frozenset):
        return {"$s": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, (tuple, list)):
        return {"$t": [_encode(v) for v in value]}
    if isinstance(value, Unknown):
        return {"$v": {**value.model_dump(mode="json"), "code": value.code}}
    if isinstance(value, (m.Num, m.Var, m.BinOp, m.Neg, m.Call)):
        return {"$e": value.model_dump(mode="json")}
    if isinstance(value, BaseModel):
        return {"$v": value.model_dump(mode="json")}
    raise TypeError(f"an explanation cannot hold {type(value).__name__}")


def _decode(data: Any) -> object:
    if not isinstance(data, dict):
        return data
    if "$d" in data:
        return Decimal(data["$d"])
    if "$p" in data:
        return Phrase(data["$p"], _decode_args(data["args"]))
    if "$n" in data:
        values = tuple((str(name), Decimal(number)) for name, number in data["values"])
        return Numbers(_EXPR.validate_python(data["$n"]), values, frozenset(data["percent"]))
    if "$m" in data:
        return _decode_args(data["$m"])
    if "$s" in data:
        return frozenset(_decode(v) for v in data["$s"])
    if "$t" in data:
        return tuple(_decode(v) for v in data["$t"])
    if "$e" in data:
        return _EXPR.validate_python(data["$e"])
    value = data["$v"]
    if value.get("kind") == "unknown":
        return Unknown(reason=value["reason"], code=value.get("code"))
    return _VALUE.validate_python(value)


def _encode_args(args: Mapping[str, object]) -> dict[str, Any]:
    return {key: _encode(value) for key, value in args.items()}


def _decode_args(data: object) -> Mapping[str, object]:
    if not isinstance(data, dict):
        raise ValueError("explanation arguments must be a mapping")
    return {str(key): _decode(value) for key, value in data.items()}


# Built when a stored scorecard is first read back, not when scoring starts.
_EXPR: TypeAdapter[m.Expr] = TypeAdapter(m.Expr, config=ConfigDict(defer_build=True))
_VALUE: TypeAdapter[CellValue] = TypeAdapter(CellValue, config=ConfigDict(defer_build=True))

# What an explanation argument may hold: a number, a text (a cell as printed, a policy label,
# a clause citation), a nested phrase, a policy expression, a typed cell reading, or a tuple,
# set or mapping of these. Written as tagged JSON data when a scorecard is stored.
Args = Annotated[
    Mapping[str, object],
    PlainSerializer(_encode_args, return_type=dict[str, Any]),
    PlainValidator(_decode_args),
]
NO_ARGS: Mapping[str, object] = {}


@dataclass(frozen=True, slots=True)
class Numbers:
    """A policy expression with the values its variables had on one line: the data of a
    formula "with the numbers filled in", which `render` prints (``10 × 2 ÷ 3``). `percent`
    names the variables read from a ``%`` cell (printed back as percentages)."""

    expr: m.Expr
    values: tuple[tuple[str, Decimal], ...]
    percent: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Phrase:
    """A piece of an explanation: a code and its arguments, worded by `render.steps`."""

    code: str
    args: Args = field(default_factory=dict)

    def __hash__(self) -> int:
        # Phrases whose arguments are texts and numbers can key a memo table.
        return hash((self.code, *self.args.items()))


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a trace: what was done (`code` and `args`), the number it produced (`value`)
    and the policy clause it comes from (`source`, ``policies/national-2020.policy:14``)."""

    code: str
    args: Args = field(default_factory=dict)
    value: Decimal | None = None
    source: str | None = None

    @property
    def kind(self) -> str:
        """The step's code (what kind of step it is)."""
        return self.code


@dataclass(frozen=True, slots=True)
class Flag:
    """A review flag raised on a line, the budget block or the whole form.

    A policy flag carries the policy's own message (`text`, Chinese and English); a flag the
    engine raises by itself is worded from its code and `args`. `args` may also carry a
    ``detail`` phrase that says which group, figure or cell made the flag fire.
    """

    code: str
    args: Args = field(default_factory=dict)
    severity: Severity = "warning"
    source: str | None = None
    text: tuple[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a line's score depends on, decided once for every line alike: how its cells were
    read, the rule and clause taken, the steps up to the score and the score they end in."""

    weight: Decimal | None
    target_value: CellValue | None
    actual_value: CellValue | None
    rule: str | None
    rule_title: str | None
    # Short text of the clause taken (区间·按比例), for the table's rule column.
    label: str | None
    source: str | None
    outcome: Outcome
    score: Decimal | None
    unrounded: Decimal | None
    steps: tuple[Step, ...]
    flags: tuple[Flag, ...] = ()
    band: tuple[Decimal, Decimal] | None = None
    # The actual that would have earned full marks (``≥3家``), when the rule makes it clear.
    full_marks_actual: Phrase | None = None
    # The self-score was accepted inside the top tier's band: points lost there were lost to
    # the score chosen in the band, not to the actual.
    in_top_band: bool = False


@dataclass(frozen=True, slots=True)
class Tail:
    """What a reviewer reads after the score: points lost, full marks, the self-score."""

    self_score: Decimal | None
    delta: Decimal | None
    points_lost: Decimal | None
    within_tolerance: bool | None
    steps: tuple[Step, ...]


@dataclass(frozen=True, slots=True)
class LineResult:
    """One indicator line scored: the line as read, its verdict, the self-score comparison and
    the flags raised."""

    index: int
    line: IndicatorLine
    verdict: Verdict
    tail: Tail
    flags: tuple[Flag, ...]

    @property
    def level1(self) -> str | None:
        return self.line.level1

    @property
    def level2(self) -> str | None:
        return self.line.level2

    @property
    def name(self) -> str | None:
        return self.line.name

    @property
    def target(self) -> str | None:
        return self.line.target

    @property
    def actual(self) -> str | None:
        return self.line.actual

    @property
    def note(self) -> str | None:
        return self.line.note

    @property
    def position(self) -> Position | None:
        return self.line.source

    @property
    def weight(self) -> Decimal | None:
        return self.verdict.weight

    @property
    def target_value(self) -> CellValue | None:
        return self.verdict.target_value

    @property
    def actual_value(self) -> CellValue | None:
        return self.verdict.actual_value

    @property
    def rule(self) -> str | None:
        return self.verdict.rule

    @property
    def rule_title(self) -> str | None:
        return self.verdict.rule_title

    @property
    def label(self) -> str | None:
        return self.verdict.label

    @property
    def source(self) -> str | None:
        return self.verdict.source

    @property
    def outcome(self) -> Outcome:
        return self.verdict.outcome

    @property
    def score(self) -> Decimal | None:
        return self.verdict.score

    @property
    def unrounded(self) -> Decimal | None:
        return self.verdict.unrounded

    @property
    def band(self) -> tuple[Decimal, Decimal] | None:
        return self.verdict.band

    @property
    def full_marks_actual(self) -> Phrase | None:
        return self.verdict.full_marks_actual

    @property
    def self_score(self) -> Decimal | None:
        return self.tail.self_score

    @property
    def delta(self) -> Decimal | None:
        return self.tail.delta

    @property
    def points_lost(self) -> Decimal | None:
        return self.tail.points_lost

    @property
    def within_tolerance(self) -> bool | None:
        return self.tail.within_tolerance

    @property
    def steps(self) -> tuple[Step, ...]:
        return self.verdict.steps + self.tail.steps


@dataclass(frozen=True, slots=True)
class BudgetResult:
    """The budget-execution score: rate, weight, what the rule computed and whether it counts.

    `self_score` is the unit's own budget score on the policy's scale (a 得分 of 100 beside a
    printed 分值 of 100 on a 10-point budget reads 10); `self_printed` is the cell as printed.
    `reason` says why `score` is None: not_counted, weights_full, unread, zero, review.
    """

    rate: Decimal | None
    weight: Decimal | None
    score: Decimal | None
    self_score: Decimal | None
    delta: Decimal | None = None
    source: str | None = None
    steps: tuple[Step, ...] = ()
    flags: tuple[Flag, ...] = ()
    computed: Decimal | None = None
    counted: bool = True
    read: bool = True
    reason: str | None = None
    printed_weight: Decimal | None = None
    self_printed: Decimal | None = None


@dataclass(frozen=True, slots=True)
class GroupTotal:
    """Subtotal of one 一级 group."""

    level1: str
    weight: Decimal
    score: Decimal | None
    self_score: Decimal | None


@dataclass(frozen=True, slots=True)
class AltGrade:
    """The grade a total gets under one of the policy's alternative grade sets (``grades
    "名称" { … }``): `grade` when the total's range lies in one band, and every band it touches."""

    name: str
    grade: str | None
    grades: tuple[str, ...]


# Why a total is not final (DESIGN §5): lines_pending, rows_missing, weights_short,
# budget_unread, budget_pending, reading_unreliable, nothing_read, weights_over,
# values_inconsistent, header_fragments, self_total_over, nothing_applicable, kind_refused
# (and targets_only).
TotalReason = str


@dataclass(frozen=True, slots=True)
class TotalResult:
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
    groups: tuple[GroupTotal, ...] = ()
    steps: tuple[Step, ...] = ()
    # Policy total minus the self-reported total (only when both are final).
    delta: Decimal | None = None
    final: bool = True
    low: Decimal | None = None
    high: Decimal | None = None
    grades: tuple[str, ...] = ()
    reasons: tuple[TotalReason, ...] = ()
    # Lines awaiting review, and whether the self total is complete.
    pending: int = 0
    self_final: bool = True
    # The grade under each alternative grade set of the policy, in the policy's order.
    alternatives: tuple[AltGrade, ...] = ()


@dataclass(frozen=True, slots=True)
class FormResult:
    """One form scored (a targets-only form's lines carry the rule that would apply, no score)."""

    form: Form
    lines: tuple[LineResult, ...]
    budget: BudgetResult | None
    total: TotalResult
    flags: tuple[Flag, ...] = ()


@dataclass(frozen=True, slots=True)
class PolicyInfo:
    """Which policy scored the document."""

    name: str
    year: int | None
    path: str
    sha256: str
    title: str | None = None
    # The policy's own English for its Chinese labels (grades, tiers, rule titles, clause
    # labels, notes), used when output is in English.
    english: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Scorecard:
    """Everything `explain` and `score` print."""

    policy: PolicyInfo
    forms: tuple[FormResult, ...]
