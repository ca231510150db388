"""The cell grid: what every layout reader produces and the form builder consumes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rules_engine.diagnostics import Diagnostic


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
    # Empty cells keep their columns (tab-separated text, padded pipe rows, workbooks, documents):
    # a row that leaves a column empty printed an empty cell there.
    tabular: bool = False
    warnings: list[str] = field(default_factory=list)
    # The same warnings as coded diagnostics (file, line), so a form can carry them on.
    diagnostics: list[Diagnostic] = field(default_factory=list)


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one wrapped cell as one text.

    A space goes back only between two words or numbers (``GDP`` / ``growth``, ``10`` / ``20``);
    Chinese text and symbols wrap without one (``外出`` / ``考察次数``, ``≥`` / ``95%``).
    """
    out = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if out and _wordlike(out[-1]) and _wordlike(line[0]):
            out += " "
        out += line
    return out


def _wordlike(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()
