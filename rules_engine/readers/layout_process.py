"""Process scorecards in layouts that lost their row ends: rows found by their numbers.

Under a process scorecard's header (一级指标 得分 二级指标 得分 三级指标 得分 评价标准 指标说明
得分), a row prints its groups with their points, then its name, its weight, the words of its
standard and explanation, and its score: ``投入 16 预算配置 16 在职人员控制率 8 以100%为标准… 8``.
The words between two numbers alternate between a name and a standard, so the numbers tell the
rows apart even where the standard's words wrap over many lines. Each row comes out with its
cells in the header's columns. Text that does not keep that rhythm ends the table.

A number inside a standard would break the rhythm unseen, so the rows are checked against the
points their groups print: a complete group whose weights do not add up to them ends the reading
there (E147); rows no group's points can check are reported (E150), and a row the file's end
cut is reported too (E145).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from rules_engine.readers import header_words, text_keys
from rules_engine.readers import layout_codes as codes
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell, Grid

_NUMBER = re.compile(r"\d+(?:\.\d+)?")
# Points never exceed this; a larger bare number is no weight or score.
_MAX_POINTS = Decimal(100)


def is_process_header(fields: Sequence[str | None]) -> bool:
    """A header read this way: a standard, a score, a name, and no target column."""
    present = set(fields)
    return (
        "standard" in present
        and "name" in present
        and "score" in present
        and not present & {"target", "value", "actual", "op"}
    )


def anchored_rows(
    cells: Sequence[Cell], header: Sequence[Cell], grid: Grid
) -> tuple[list[list[Cell]], int]:
    """Rows of a process scorecard read from `cells`, and how many cells they took."""
    slots = _slots(header)
    found, used, after = _read(cells, slots)
    kept = _checked(found, grid, complete=after)
    return [_placed(row, slots) for row in kept], used


_Row = list[tuple[str, Cell]]


def _read(cells: Sequence[Cell], slots: dict[str, int]) -> tuple[list[_Row], int, bool]:
    """The rows, the cells they took, and whether a group follows the last row (which closes
    the last row's group)."""
    rows: list[_Row] = []
    lead: list[tuple[str, Cell]] = []
    at = 0
    while at < len(cells):
        cell = cells[at]
        if header_words.is_total_label(cell.text) or header_words.form_field(cell.text) is not None:
            break
        levels = vocab.category_level(cell.text)
        level = "level1" if vocab.preferred_level(cell.text) == 1 else "level2"
        scored = at + 1 < len(cells) and _points(cells[at + 1].text)
        if levels and (scored or f"{level}_points" not in slots):
            # A group opens here (a header printing its points needs them: 预算编制 完整性 is a
            # name that begins with a group's word).
            lead.append((level, cell))
            at += 1
            if scored:
                lead.append((f"{level}_points", cells[at]))
                at += 1
            continue
        name_end = _next_number(cells, at)
        if name_end == at or name_end >= len(cells):
            break  # no name, or the text ends before the row's weight
        text_end = _next_number(cells, name_end + 1, groups=True)
        row = [*lead, ("name", _joined(cells[at:name_end])), ("weight", cells[name_end])]
        if text_end > name_end + 1:
            row.append(("standard", _joined(cells[name_end + 1 : text_end])))
        if text_end < len(cells) and _points(cells[text_end].text):
            row.append(("score", cells[text_end]))
        elif text_end < len(cells):
            text_end -= 1  # the group that ends the run opens the next row
        rows.append(row)
        lead = []
        at = text_end + 1
    return rows, at, bool(lead)


def _checked(rows: list[_Row], grid: Grid, *, complete: bool) -> list[_Row]:
    """The rows up to the first complete group whose weights miss its printed points."""
    groups: list[tuple[Cell, Decimal, list[int]]] = []  # group points and its rows
    for number, row in enumerate(rows):
        fields = dict(row)
        for level in ("level2", "level1"):
            printed = fields.get(f"{level}_points")
            if printed is not None:
                groups.append((fields[level], _decimal(printed.text), []))
                break
        if groups:
            groups[-1][2].append(number)
    checked: set[int] = set()
    for place, (label, points, members) in enumerate(groups):
        closed = place + 1 < len(groups) or complete
        total = sum((_decimal(dict(rows[k])["weight"].text) for k in members), Decimal(0))
        if total > points or (closed and total != points):
            codes.warn(grid, codes.BUNCHED, label.row, text=f"{label.text} {points}: {total}")
            return rows[: members[0]]
        if closed:
            checked.update(members)
    if any(k not in checked for k in range(len(rows))):
        first = next(k for k in range(len(rows)) if k not in checked)
        codes.warn(grid, codes.UNCHECKED, dict(rows[first])["name"].row)
    if rows and "score" not in dict(rows[-1]):
        last = dict(rows[-1])
        codes.warn(grid, codes.CUT_OFF, last["weight"].row)
    return rows


def _slots(header: Sequence[Cell]) -> dict[str, int]:
    """The column of each field in the header row; a group's points stand right after it."""
    out: dict[str, int] = {}
    fields = [header_words.header_field(cell.text) for cell in header]
    for k, (cell, name) in enumerate(zip(header, fields, strict=True)):
        if name in ("level1", "level2") and k + 1 < len(header) and fields[k + 1] == "score":
            out.setdefault(f"{name}_points", header[k + 1].col)
        if name == "score" and k > 0 and fields[k - 1] == "name":
            out.setdefault("weight", cell.col)
        elif name is not None:
            out[name] = cell.col  # the last 得分 is the row's score
    return out


def _placed(row: list[tuple[str, Cell]], slots: dict[str, int]) -> list[Cell]:
    """A row's cells at their header columns, in column order."""
    cells = [
        Cell(cell.text, cell.row, slots[field], cell.sheet) for field, cell in row if field in slots
    ]
    return sorted(cells, key=lambda cell: cell.col)


def _decimal(text: str) -> Decimal:
    return Decimal(text_keys.normalize(text).removesuffix("分"))


def _points(text: str) -> bool:
    norm = text_keys.normalize(text).removesuffix("分")
    return bool(_NUMBER.fullmatch(norm)) and Decimal(norm) <= _MAX_POINTS


def _next_number(cells: Sequence[Cell], start: int, *, groups: bool = False) -> int:
    """Where the next bare number (a weight or a score) stands from `start` on; with `groups`,
    a group printed with its points (资金管理 10) also ends the run, a row that lost its score."""
    at = start
    while at < len(cells) and not _points(cells[at].text):
        if (
            header_words.is_total_label(cells[at].text)
            or header_words.form_field(cells[at].text) is not None
        ):
            return len(cells)
        opens = at + 1 < len(cells) and _points(cells[at + 1].text)
        if groups and opens and vocab.category_level(cells[at].text):
            return at
        at += 1
    return at


def _joined(cells: Sequence[Cell]) -> Cell:
    """Words of one cell split by the layout, joined back with a space (as printed)."""
    first = cells[0]
    return Cell(" ".join(cell.text for cell in cells), first.row, first.col, first.sheet)
