"""Rows cut evenly: a stretch of cells under one category that divides into whole rows.

Layouts that lost row ends (paragraph per cell, one line) are cut into rows by meaning; where a
row leaves a trailing column empty and the next row's name follows, that cut can go wrong. When
the cells of a stretch (from a category label to the next one) divide evenly into rows of the
header's width, and every such row has a name first and no name elsewhere, the stretch is those
rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from rules_engine.readers import cell_shapes, header_words
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell


def even_out(rows: list[list[Cell]], data: Sequence[tuple[int, int]]) -> list[list[Cell]]:
    """`rows` with each stretch of data rows re-cut evenly where that is certain.

    `data` lists the data rows: (row index, row width the header gives), in order.
    """
    replaced: dict[int, list[list[Cell]]] = {}
    for stretch, width in _stretches(rows, data):
        recut = _recut([rows[k] for k in stretch], width)
        if recut is not None:
            replaced[stretch[0]] = recut
            replaced.update({k: [] for k in stretch[1:]})
    out: list[list[Cell]] = []
    for index, row in enumerate(rows):
        out.extend(replaced.get(index, [row]))
    return out


def _stretches(
    rows: Sequence[Sequence[Cell]], data: Sequence[tuple[int, int]]
) -> list[tuple[list[int], int]]:
    """Consecutive data rows of one width, each run opened by a row that leads with a category."""
    out: list[tuple[list[int], int]] = []
    current: list[int] = []
    width = 0
    last = -2
    for index, row_width in data:
        row = rows[index]
        opens = bool(row) and bool(vocab.category_level(row[0].text))
        if opens or index != last + 1 or row_width != width:
            if current:
                out.append((current, width))
            current, width = [], row_width
        current.append(index)
        last = index
    if current:
        out.append((current, width))
    return [(stretch, w) for stretch, w in out if rows[stretch[0]] and w >= 2]


def _recut(rows: Sequence[Sequence[Cell]], width: int) -> list[list[Cell]] | None:
    """The stretch cut into rows of `width` after its leading categories, or ``None``."""
    first = list(rows[0])
    lead: list[Cell] = []
    while first and (vocab.category_level(first[0].text) or vocab.is_score_only(first[0].text)):
        lead.append(first.pop(0))
    body = first + [cell for row in rows[1:] for cell in row]
    if not lead or not body or len(body) % width or len(body) == width:
        return None
    chunks = [body[k : k + width] for k in range(0, len(body), width)]
    current = [first, *(list(row) for row in rows[1:])]
    if [len(row) for row in current] == [width] * len(chunks):
        return None  # already even
    for chunk in chunks:
        name, values = chunk[0], chunk[1:]
        if not name.text or cell_shapes.is_pure_value(name.text) or vocab.category_level(name.text):
            return None
        if any(cell_shapes.is_name_like(c.text) or vocab.category_level(c.text) for c in values):
            return None
        if any(header_words.is_total_label(c.text) for c in chunk):
            return None
    return [
        [
            Cell(c.text, c.row, n, c.sheet)
            for n, c in enumerate([*lead, *chunk] if k == 0 else chunk, 1)
        ]
        for k, chunk in enumerate(chunks)
    ]
