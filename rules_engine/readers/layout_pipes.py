"""Pipe layouts: HTML tables flattened to ``a | b |`` rows, markdown rows or ``cell |`` lines.

Flatteners pad every row with trailing pipes up to the table's width (``a | b | ||||``), so a run of
two or more pipes at a line's end closes a row, and a row also closes once it holds as many pipes
as the padded rows do. Without padding, a row is one line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rules_engine.readers.grid import Cell, join_lines

_PAD = re.compile(r"\|\s*\|+\s*$")  # ``||`` (or ``| ||``) at a line's end: padding, the row is over
_LEAD = re.compile(r"^\s+\|\s?")  # ``        | cell``: the pipe stands before the cell


@dataclass
class _Row:
    cells: list[Cell] = field(default_factory=list)
    pipes: int = 0
    padded: bool = False
    open_tail: bool = False
    standalone: bool = False  # a line above the table: a row by itself, holding no pipe


def _pieces(lines: list[tuple[int, str]], markdown: bool) -> list[_Row]:
    """Cut lines into pieces at every line that ends with a pipe; each pipe closes one cell.

    Text after a line's last pipe runs on into the next line (a cell wrapped over lines).
    """
    pieces: list[_Row] = []
    row = _Row()
    text: list[str] = []
    start_line = 0
    seen_pipe = False
    for line_no, line in lines:
        if not seen_pipe and "|" not in line:
            # Text above the table (page titles, notes): each line a row of its own.
            if line.strip():
                pieces.append(_Row([Cell(line.strip(), line_no, 1)], standalone=True))
            continue
        seen_pipe = True
        pos = 0
        lead = markdown and line.lstrip().startswith("|")
        for match in re.finditer(r"\|", line):
            chunk = line[pos : match.start()]
            if chunk.strip() and not start_line:
                start_line = line_no
            text.append(chunk)
            cell_text = join_lines(text)  # a cell wrapped over lines
            row.pipes += 1
            if not (lead and row.pipes == 1 and not cell_text):
                row.cells.append(Cell(cell_text, start_line or line_no, len(row.cells) + 1))
            text = []
            start_line = 0
            pos = match.end()
        rest = line[pos:]
        if rest.strip():
            if not start_line:
                start_line = line_no
            text.append(rest)
        elif row.pipes:
            row.padded = bool(_PAD.search(line))
            pieces.append(row)
            row = _Row()
    if text:
        # Text after the file's last pipe, on one line: the file may be cut within this cell.
        row.open_tail = len(text) == 1
        row.cells.append(Cell(join_lines(text), start_line, len(row.cells) + 1))
    if row.cells:
        pieces.append(row)
    return pieces


def table_width(pieces: list[_Row]) -> int | None:
    """The pipes a full row holds: the most common count among rows that padding closes.

    None when no row is padded (then padding says nothing about where rows end).
    """
    counts: Counter[int] = Counter()
    pipes = 0
    for piece in pieces:
        if piece.standalone:
            continue
        pipes += piece.pipes
        if piece.padded:
            counts[pipes] += 1
            pipes = 0
    if not counts:
        return None
    # Padding after several full rows adds their pipes up: ties go to the narrowest count.
    top = max(counts.values())
    return min(width for width, seen in counts.items() if seen == top)


def _regroup(pieces: list[_Row], width: int) -> list[_Row]:
    """Join pieces until they hold `width` pipes or padding closes them (a row over lines)."""
    out: list[_Row] = []
    acc = _Row()
    for piece in pieces:
        if piece.standalone:
            if acc.cells:
                out.append(acc)
                acc = _Row()
            out.append(piece)
            continue
        for cell in piece.cells:
            acc.cells.append(Cell(cell.text, cell.row, len(acc.cells) + 1))
        acc.pipes += piece.pipes
        if piece.padded or acc.pipes >= width:
            acc.padded = piece.padded or acc.pipes == width
            out.append(acc)
            acc = _Row()
    if acc.cells:
        out.append(acc)
    return out


@dataclass(frozen=True)
class PipeTable:
    """A pipe table's rows; the padded width if any; where a truncation cut it."""

    rows: list[list[Cell]]
    width: int | None
    cut: bool  # the last row stops short of the table's width
    cut_cell: Cell | None  # the cell the file's end cut in two, inside a row


def split_pipes(lines: list[tuple[int, str]], markdown: bool = False) -> PipeTable:
    """Rows of a pipe table (see `PipeTable`).

    Without padding every piece (a line, or for one cell per line a cell) is returned as it
    stands, empty cells included, so that rows can be rebuilt by meaning.
    """
    pieces = _pieces(lines, markdown)
    width = table_width(pieces)
    open_tail = bool(pieces) and pieces[-1].open_tail
    if width is None:
        rows = [r.cells for r in pieces]
        cut_cell = rows[-1][-1] if open_tail and len(rows[-1]) >= 2 else None
        return PipeTable(rows, None, cut_cell is not None, cut_cell)
    grouped = _regroup(pieces, width)
    last = grouped[-1] if grouped else None
    cut_cell = None
    if open_tail and last is not None and len(last.cells) >= 2:
        cut_cell = last.cells[-1]  # mid-row: the text after the last pipe is a cut cell
    # A last row that holds no pipe is text after the table, not a cut row.
    short = last is not None and not last.padded and 0 < last.pipes < width
    rows = [trim(r.cells) for r in grouped if any(c.text for c in r.cells)]
    return PipeTable(rows, width, cut_cell is not None or short, cut_cell)


def leading_pipes(lines: list[tuple[int, str]]) -> bool:
    """Whether cells are written as indented ``| cell`` lines (the pipe before the cell)."""
    with_pipe = sum(1 for _, t in lines if "|" in t)
    return with_pipe > 0 and sum(1 for _, t in lines if _LEAD.match(t)) > with_pipe / 2


def split_leading(lines: list[tuple[int, str]]) -> list[list[Cell]]:
    """Rows where each cell line starts with an indented pipe and a row starts at the margin."""
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    for line_no, line in lines:
        if not line.strip():
            continue
        lead = _LEAD.match(line)
        if lead:
            parts = line[lead.end() :].split("|")
            for part in parts:
                row.append(Cell(part.strip(), line_no, len(row) + 1))
        elif line[:1].isspace() and row:
            last = row[-1]
            row[-1] = Cell(last.text + line.strip(), last.row, last.col)
        else:
            if row:
                rows.append(trim(row))
            row = [Cell(line.strip(), line_no, 1)]
    if row:
        rows.append(trim(row))
    return [r for r in rows if r]


def trim(cells: list[Cell]) -> list[Cell]:
    """Drop the empty cells a row ends with (padding leaves no information)."""
    end = len(cells)
    while end and not cells[end - 1].text:
        end -= 1
    return cells[:end]
