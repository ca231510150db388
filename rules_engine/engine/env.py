"""The values an expression can name while a line, the budget block or a form is scored."""

from __future__ import annotations

from decimal import Decimal

from rules_engine.values import CellValue


class Unevaluable(Exception):  # a signal, not an error: the line goes to review
    """A clause needs a value the line does not have (a missing actual, a division by zero)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


class Env:
    """Variables of one evaluation; ``None`` means the value is missing (unevaluable when used).

    `percent` names the variables that hold a fraction read from a ``%`` value, so the
    explanation prints them back as percentages (``0.98`` → ``98%``).
    """

    __slots__ = (
        "actual",
        "actual_text",
        "actual_value",
        "adjusted",
        "budget",
        "budget_score",
        "budget_weight",
        "checks",
        "executed",
        "execution_rate",
        "high",
        "indicator_rate",
        "indicator_score",
        "indicator_weight",
        "initial",
        "low",
        "note",
        "outcome",
        "percent",
        "rate",
        "reported_rate",
        "score",
        "self_score",
        "self_total",
        "target",
        "target_text",
        "target_value",
        "texts",
        "total",
        "weight",
        "weight_total",
    )

    def __init__(self) -> None:
        self.actual: Decimal | None = None
        self.target: Decimal | None = None
        self.low: Decimal | None = None
        self.high: Decimal | None = None
        self.weight: Decimal | None = None
        self.self_score: Decimal | None = None
        self.score: Decimal | None = None
        self.executed: Decimal | None = None
        self.adjusted: Decimal | None = None
        self.initial: Decimal | None = None
        self.budget: Decimal | None = None
        self.rate: Decimal | None = None
        self.reported_rate: Decimal | None = None
        self.indicator_score: Decimal | None = None
        self.indicator_weight: Decimal | None = None
        self.indicator_rate: Decimal | None = None
        self.budget_score: Decimal | None = None
        self.budget_weight: Decimal | None = None
        self.execution_rate: Decimal | None = None
        self.total: Decimal | None = None
        self.self_total: Decimal | None = None
        self.weight_total: Decimal | None = None
        self.percent: frozenset[str] = frozenset()
        # Cell texts and typed readings for term tests and `meets` (line scope).
        self.target_text: str | None = None
        self.actual_text: str | None = None
        self.target_value: CellValue | None = None
        self.actual_value: CellValue | None = None
        # Form cells `is empty` may test: note, actual, target, self_score, weight.
        self.texts: dict[str, str | None] = {}
        self.note: str | None = None
        # The line's policy outcome (line flags), and built-in checks that hold.
        self.outcome: str | None = None
        self.checks: frozenset[str] = frozenset()
