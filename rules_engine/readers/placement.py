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
from rules_engine.readers.header_words import PASSIVE_FIELDS

# Fits are scaled so that the bonuses below can be told apart without fractions.
SCALE = 4
# Leaving a non-empty cell out of the placement costs this much.
SKIP_COST = -6 * SCALE
# A cell that keeps the row's common offset from the header column earns this bonus; in a row
# read as two runs, a cell of the trailing run earns a little more (the row's end is surer).
ALIGN_BONUS = SCALE
TRAIL_BONUS = SCALE + 1
END_BONUS = SCALE
# Reading a row as two runs means cells were lost between them: that needs some evidence.
SWITCH_COST = 3
# A row with this many times more cells than the header has columns is no table row.
MAX_CELLS_PER_SLOT = 4
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
    # The row needed a search (it was not simply aligned), or was skipped for want of one.
    searched: bool = False
    skipped: bool = False


def place(
    cells: Sequence[Cell],
    slots: Sequence[Slot],
    fit: Fit,
    end_col: int | None = None,
    *,
    search: bool = True,
) -> Placement:
    """Place `cells` (non-empty, in column order) into `slots` by `fit` and common offset.

    With `search` off, a row that is not simply aligned comes back ``skipped``.
    `end_col` is given for tables whose layout dropped empty cells: rows there still end in the
    same column, so a row's trailing cells may keep their own offset from the row's end (the
    cells after a name that lost its target are the weight and score), and a last cell that
    lands in that column earns the bonus too.
    """
    if not cells:
        return Placement({}, [], [])
    # Every offset that lines some cell up with some column (rows may stand far from their
    # header: a header that opens mid-line, a row that lost its leading cells).
    shifts = sorted({slot.col - cell.col for slot in slots for cell in cells})
    if end_col is None:
        direct = _aligned(cells, slots, fit)
        if direct is not None:
            return direct
    if not search:
        return Placement({}, [], [], skipped=True)  # the caller's search budget is spent
    if len(cells) > MAX_CELLS_PER_SLOT * len(slots):
        # Far more cells than columns: no table row; report them rather than search.
        return Placement({}, [c for c in cells if blank_to_none(c.text) is not None], [])
    fits = [[fit(slot.field, cell.text) * SCALE for slot in slots] for cell in cells]
    plans: list[tuple[int, ...]] = []
    for shift in shifts:
        plans.append((shift,))
        if end_col is not None and end_col - cells[-1].col > shift:
            plans.append((shift, end_col - cells[-1].col))
    # Search the most promising plans first and skip those that cannot reach the best score.
    bounds = sorted(
        ((_bound(cells, slots, fits, plan, end_col), plan) for plan in plans), reverse=True
    )
    tables: list[_Table] = []
    top: int | None = None
    for bound, plan in bounds:
        if top is not None and bound < top:
            break
        table = _Table(cells, slots, fits, plan, end_col)
        tables.append(table)
        top = table.score if top is None else max(top, table.score)
    options: list[tuple[int | None, ...]] = []
    for table in tables:
        if table.score == top:
            options.extend(a for a in table.paths() if a not in options)
    settled = _settle(cells, slots, options[:MAX_TIES])
    return Placement(settled.fields, settled.leftover, settled.uncertain, searched=True)


def _bound(
    cells: Sequence[Cell],
    slots: Sequence[Slot],
    fits: list[list[int]],
    shifts: tuple[int, ...],
    end_col: int | None,
) -> int:
    """An upper bound of what a plan can score: each cell at its best, aligned if it can be."""
    cols = {slot.col: t for t, slot in enumerate(slots)}
    total = 0
    for i, cell in enumerate(cells):
        best = max(SKIP_COST, *fits[i])
        for seg, shift in enumerate(shifts):
            t = cols.get(cell.col + shift)
            if t is not None:
                best = max(best, fits[i][t] + (ALIGN_BONUS if seg == 0 else TRAIL_BONUS))
        total += best
    return total + (END_BONUS if end_col is not None else 0)


def _aligned(cells: Sequence[Cell], slots: Sequence[Slot], fit: Fit) -> Placement | None:
    """The placement of a row whose every cell stands in its header column and fits it well.

    Such a row needs no search: moving any cell would lose its alignment and gain no fit. This
    is the common case (tab-separated text, workbooks), so large tables read fast.
    """
    by_col = {slot.col: t for t, slot in enumerate(slots)}
    fields: dict[str, Cell] = {}
    for cell in cells:
        t = by_col.get(cell.col)
        if t is None:
            return None
        empty = blank_to_none(cell.text) is None
        score = fit(slots[t].field, cell.text)
        if score < 1 and not (empty or (score == 0 and slots[t].field in PASSIVE_FIELDS)):
            return None
        fields.setdefault(slots[t].field, cell)
    return Placement(fields, [], [])


class _Table:
    """The search for one plan: the row's cells keep `shifts[0]`, then (from some cell on) the
    next shift; ``score`` is the best total, ``paths()`` the placements reaching it."""

    def __init__(
        self,
        cells: Sequence[Cell],
        slots: Sequence[Slot],
        fits: list[list[int]],
        shifts: tuple[int, ...],
        end_col: int | None,
    ) -> None:
        n, m, segs = len(cells), len(slots), len(shifts)
        self.n, self.m, self.segs = n, m, segs
        bonuses = [ALIGN_BONUS] + [TRAIL_BONUS] * (segs - 1)
        self.gain = [
            [
                [
                    fits[i][t]
                    + (bonus if slots[t].col == cells[i].col + shift else 0)
                    + (END_BONUS if i == n - 1 and slots[t].col == end_col else 0)
                    for t in range(m)
                ]
                for i in range(n)
            ]
            for shift, bonus in zip(shifts, bonuses, strict=True)
        ]
        # best[s][i][j]: best score placing cells i.. into slots j.., in segment s or a later
        # one; a running maximum over the slots keeps this linear in the row's length.
        best = [[[0] * (m + 1) for _ in range(n + 1)] for _ in range(segs)]
        for i in range(n - 1, -1, -1):
            for seg in range(segs - 1, -1, -1):
                run: int | None = None
                for j in range(m, -1, -1):
                    if j < m:
                        for s2 in range(seg, segs):
                            switch = SWITCH_COST if s2 != seg else 0
                            value = self.gain[s2][i][j] - switch + best[s2][i + 1][j + 1]
                            run = value if run is None or value > run else run
                    skip = SKIP_COST + best[seg][i + 1][j]
                    best[seg][i][j] = skip if run is None or skip > run else run
        self.best = best
        self.score = best[0][0][0]
        self._memo: dict[tuple[int, int, int], list[tuple[int | None, ...]]] = {}

    def paths(self, seg: int = 0, i: int = 0, j: int = 0) -> list[tuple[int | None, ...]]:
        """Every placement (slot index or ``None`` per cell) reaching the best score, capped."""
        if i == self.n:
            return [()]
        key = (seg, i, j)
        if key in self._memo:
            return self._memo[key]
        best, gain = self.best, self.gain
        out: list[tuple[int | None, ...]] = []
        target = best[seg][i][j]
        if SKIP_COST + best[seg][i + 1][j] == target:
            out.extend((None, *rest) for rest in self.paths(seg, i + 1, j))
        for s2 in range(seg, self.segs):
            switch = SWITCH_COST if s2 != seg else 0
            for t in range(j, self.m):
                if len(out) >= MAX_TIES:
                    break
                if gain[s2][i][t] - switch + best[s2][i + 1][t + 1] == target:
                    out.extend((t, *rest) for rest in self.paths(s2, i + 1, t + 1))
        self._memo[key] = out[:MAX_TIES]
        return self._memo[key]


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
