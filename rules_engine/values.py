"""Typed values read from target and actual cells (the result of the target language)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Op = Literal[">=", ">", "<=", "<", "="]
Role = Literal["target", "actual"]


def plain(value: Decimal) -> str:
    """Write a Decimal as a plain string: no exponent, no trailing zeros (``95``, ``0.5``)."""
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    text = format(value.normalize(), "f")
    return text


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    def to_json(self) -> dict[str, Any]:
        """Return the DESIGN.md section 5 JSON shape: decimals as plain strings."""
        out: dict[str, Any] = {}
        for key, val in self.model_dump().items():
            out[key] = plain(val) if isinstance(val, Decimal) else val
        return out


class Compare(_Value):
    """A comparison target: ``≥95%`` is op ``>=``, value 95, unit ``%``. A bare number is ``=``."""

    kind: Literal["compare"] = "compare"
    op: Op
    value: Decimal
    unit: str | None = None


class Range(_Value):
    """A closed range: ``1-2次`` is low 1, high 2, unit ``次``; ``±10%`` is -10..10 %."""

    kind: Literal["range"] = "range"
    low: Decimal
    high: Decimal
    unit: str | None = None


class Term(_Value):
    """A qualitative word or phrase as printed (合规, 正增长, 效果明显)."""

    kind: Literal["term"] = "term"
    term: str


class DateValue(_Value):
    """A date, deadline or period: ``2021-12-31``, a month ``2025-12``, ``None`` for a period."""

    kind: Literal["date"] = "date"
    value: str | None


class Number(_Value):
    """An actual value: a number with an optional unit."""

    kind: Literal["number"] = "number"
    value: Decimal
    unit: str | None = None


class Unknown(_Value):
    """A text that cannot be read, with the reason (never an exception)."""

    kind: Literal["unknown"] = "unknown"
    reason: str
    # Catalogue code of the reason, so renderers can show it in Chinese; not in the JSON shape.
    code: str | None = Field(default=None, exclude=True)


CellValue = Annotated[
    Compare | Range | Term | DateValue | Number | Unknown, Field(discriminator="kind")
]
