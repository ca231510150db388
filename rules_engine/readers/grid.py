"""The cell grid: what every layout reader produces and the form builder consumes."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Cell:
    """One cell's text (trimmed) and its 1-based position in the source."""

    text: str
    row: int
    col: int
    sheet: str | None = None


@dataclass
class Grid:
    """Rows of cells as a layout reader found them, plus what it could not recover."""

    rows: list[list[Cell]]
    source: str
    layout: str
    warnings: list[str] = field(default_factory=list)
