"""Cut text without table markup into cells: paragraphs, space-separated words, PDF lines."""

from __future__ import annotations

import re

from rules_engine.readers import cell_shapes, header_words, text_keys
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


_POINTS = re.compile(r"^[(（]?\s*\d+(?:\.\d+)?\s*分?\s*[)）]分?$")


def line_rows(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """One row per line, one cell per space-separated word.

    A line holding only the end of a label wrapped over two lines (``指标`` under ``项目完成``,
    ``(50分)`` under ``产出指标``) completes the last cell of the row before it; the line break
    stays a space, as in the pipe layouts.
    """
    rows: list[list[Cell]] = []
    for line_no, line in lines:
        cells = [Cell(m.group(0), line_no, m.start() + 1) for m in _SPACES.finditer(line)]
        if not cells:
            continue
        if len(cells) == 1 and rows and _label_end(rows[-1][-1].text, cells[0].text):
            last = rows[-1][-1]
            rows[-1][-1] = Cell(f"{last.text} {cells[0].text}", last.row, last.col, last.sheet)
            continue
        rows.append(cells)
    return rows


def _label_end(previous: str, text: str) -> bool:
    """`text` ends the label `previous` began: 项目完成 + 指标, 产出指标 + (50分)."""
    if text_keys.normalize(text) == "指标" and not cell_shapes.is_number(previous):
        return not text_keys.normalize(previous).endswith("指标") and len(previous) <= 10
    if _POINTS.match(text):
        return bool(vocab.category_level(previous)) and "分" not in previous
    joined = previous + text
    return bool(vocab.category_level(joined) or header_words.header_field(joined)) and not (
        vocab.category_level(text) or header_words.header_field(text)
    )


def scrambled_rows(lines: list[tuple[int, str]], grid: Grid) -> list[list[Cell]]:
    """PDF text whose reading order is lost: keep the lines above the indicator header only."""
    rows: list[list[Cell]] = []
    for line_no, line in lines:
        if any(w in text_keys.normalize(line) for w in ("一级指标", "二级指标", "三级指标")):
            break
        cells = [Cell(m.group(0), line_no, n) for n, m in enumerate(_SPACES.finditer(line), 1)]
        if cells:
            rows.append(cells)
    codes.warn(grid, codes.SCRAMBLED)
    return rows
