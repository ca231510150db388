"""Cut text without table markup into cells: paragraphs, space-separated words, PDF lines."""

from __future__ import annotations

import re

from rules_engine.readers import layout_codes as codes
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell, Grid

_SPACES = re.compile(r"\S+")


def paragraph_tokens(lines: list[tuple[int, str]]) -> list[Cell]:
    """One cell per paragraph line; a line holding only spaces is an empty cell."""
    out: list[Cell] = []
    for line_no, line in lines:
        if line == "":
            continue
        out.append(Cell(line.strip(), line_no, len(out) + 1))
    return out


def line_tokens(lines: list[tuple[int, str]]) -> list[Cell]:
    """One cell per space-separated word (cells of these layouts hold no spaces)."""
    out: list[Cell] = []
    for line_no, line in lines:
        for match in _SPACES.finditer(line):
            out.append(Cell(match.group(0), line_no, match.start() + 1))
    return out


def scrambled_rows(lines: list[tuple[int, str]], grid: Grid) -> list[list[Cell]]:
    """PDF text whose reading order is lost: keep the lines above the indicator header only."""
    rows: list[list[Cell]] = []
    for line_no, line in lines:
        if any(w in vocab.normalize(line) for w in ("一级指标", "二级指标", "三级指标")):
            break
        cells = [Cell(m.group(0), line_no, n) for n, m in enumerate(_SPACES.finditer(line), 1)]
        if cells:
            rows.append(cells)
    codes.warn(grid, codes.SCRAMBLED)
    return rows
