"""Place a row's cells into the header's columns by meaning, tolerating shifted and dropped cells.

A row's non-empty cells are matched, in order, to the header's columns: each cell goes to one
column (or is left over), columns are used left to right, and the best placement maximises how
well each cell fits its column's field (a category word fits 一级/二级, ``指标1：…`` fits the name,
``1-2次`` fits a target, ``10`` a weight or score) plus a bonus for cells that keep the row's
common offset from the header. Placements that score the same but put a cell in different columns
make that cell uncertain: it is reported, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rules_engine.model import blank_to_none
from rules_engine.readers.grid import Cell

# Leaving a non-empty cell out of the placement costs this much.
SKIP_COST = -6
# A cell that keeps the row's common offset from the header column earns this bonus.
ALIGN_BONUS = 1
# How many cells a row may sit left (negative) or right (positive) of its header.
SHIFTS = range(-3, 7)
# Enumerating equally good placements stops here; rows are short, this is only a guard.
MAX_TIES = 32

Fit = Callable[[str, str], int]


@dataclass(frozen=True)
class Slot:
    """A header column: its 1-based column number and the field it holds."""

    col: int
    field: str


@dataclass(frozen=True)
class Placement:
    """The outcome for one row: cell per field, cells left over, and cells that were uncertain."""

    fields: dict[str, Cell]
    leftover: list[Cell]
    uncertain: list[Cell]


def place(cells: Sequence[Cell], slots: Sequence[Slot], fit: Fit) -> Placement:
    """Place `cells` (non-empty, in column order) into `slots` by `fit` and common offset."""
    if not cells:
        return Placement({}, [], [])
    best_score: int | None = None
    best: list[tuple[int | None, ...]] = []
    for shift in SHIFTS:
        score, assignments = _best_for_shift(cells, slots, fit, shift)
        if best_score is None or score > best_score:
            best_score, best = score, list(assignments)
        elif score == best_score:
            best.extend(a for a in assignments if a not in best)
    return _settle(cells, slots, best[:MAX_TIES])


def _best_for_shift(
    cells: Sequence[Cell], slots: Sequence[Slot], fit: Fit, shift: int
) -> tuple[int, list[tuple[int | None, ...]]]:
    n, m = len(cells), len(slots)
    gain = [
        [
            fit(slot.field, cell.text) + (ALIGN_BONUS if slot.col == cell.col + shift else 0)
            for slot in slots
        ]
        for cell in cells
    ]
    # best[i][j]: best score placing cells i.. into slots j..
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m, -1, -1):
            score = SKIP_COST + best[i + 1][j]
            for t in range(j, m):
                score = max(score, gain[i][t] + best[i + 1][t + 1])
            best[i][j] = score

    memo: dict[tuple[int, int], list[tuple[int | None, ...]]] = {}

    def paths(i: int, j: int) -> list[tuple[int | None, ...]]:
        if i == n:
            return [()]
        if (i, j) in memo:
            return memo[i, j]
        out: list[tuple[int | None, ...]] = []
        if SKIP_COST + best[i + 1][j] == best[i][j]:
            out.extend((None, *rest) for rest in paths(i + 1, j))
        for t in range(j, m):
            if len(out) >= MAX_TIES:
                break
            if gain[i][t] + best[i + 1][t + 1] == best[i][j]:
                out.extend((t, *rest) for rest in paths(i + 1, t + 1))
        memo[i, j] = out[:MAX_TIES]
        return memo[i, j]

    return best[0][0], paths(0, 0)


def _settle(
    cells: Sequence[Cell], slots: Sequence[Slot], options: list[tuple[int | None, ...]]
) -> Placement:
    fields: dict[str, Cell] = {}
    leftover: list[Cell] = []
    uncertain: list[Cell] = []
    for index, cell in enumerate(cells):
        choices = {_field_of(slots, option[index]) for option in options}
        if len(choices) > 1:
            # Equally good readings disagree on this cell's column: report it, do not pick one.
            if blank_to_none(cell.text) is not None:
                uncertain.append(cell)
            continue
        (choice,) = choices
        if choice is None:
            if blank_to_none(cell.text) is not None:
                leftover.append(cell)
            continue
        fields.setdefault(choice, cell)
    return Placement(fields, leftover, uncertain)


def _field_of(slots: Sequence[Slot], index: int | None) -> str | None:
    return None if index is None else slots[index].field
