"""The cell grid: what every layout reader produces and the form builder consumes."""

from __future__ import annotations

import re
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
    warnings: list[str] = field(default_factory=list)
    # The same warnings as coded diagnostics (file, line), so a form can carry them on.
    diagnostics: list[Diagnostic] = field(default_factory=list)


# Chinese characters and full-width forms: text a wrapped line may be split inside.
_WIDE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def join_lines(lines: Iterable[str]) -> str:
    """Join the lines of one wrapped cell: no space inside Chinese text, one space between words."""
    out = ""
    for line in (part.strip() for part in lines):
        if not line:
            continue
        if out and not (_WIDE.match(out[-1]) or _WIDE.match(line[0])):
            out += " "
        out += line
    return out
