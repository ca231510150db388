"""One indicator line from the cells a row placed: values, their cells, and the joined target."""

from __future__ import annotations

import re

from rules_engine.model import IndicatorLine, Position
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers import cell_shapes
from rules_engine.readers.grid import Cell

# Columns a target may be printed in, apart: operator, value and unit.
PARTS = ("op", "value", "unit")

_MARKED = ("target", "actual", "score")


def indicator_line(
    got: dict[str, Cell], level1: Cell | None, level2: Cell | None
) -> IndicatorLine | None:
    """One indicator line from the placed cells, or ``None`` for placeholder and label rows."""
    values: dict[str, str | None] = {}
    cells: dict[str, Position] = {}
    marks: dict[str, str] = {}
    for name in ("name", "target", "actual", "weight", "score", "note"):
        cell = got.get(name)
        if cell is not None:
            values[name] = _blank(cell.text)
            cells[name] = position(cell)
            if values[name] is None and cell.text.strip() and name in _MARKED:
                marks[name] = cell.text.strip()
    parts = [got[p] for p in PARTS if p in got and _blank(got[p].text) is not None]
    if parts and "target" not in got:
        # Operator, value and unit printed in their own columns read as one target: = 100 % → =100%.
        values["target"] = _join_target(got)
        cells["target"] = position(parts[0])
    label = values.get("name")
    content = [values.get(k) for k in ("target", "actual", "weight", "score")]
    if all(v is None for v in content) and (
        label is None or cell_shapes.is_placeholder(label) or cell_shapes.is_pure_value(label)
    ):
        return None  # a category label alone, a template placeholder (指标2：, ……), a stray number
    if label is not None and cell_shapes.is_placeholder(label) and values.get("target") is None:
        return None
    first = min(got.values(), key=_cell_order)
    if level1 is not None:
        cells["level1"] = position(level1)
    if level2 is not None:
        cells["level2"] = position(level2)
    return IndicatorLine(
        level1=_blank(level1.text) if level1 else None,
        level2=_blank(level2.text) if level2 else None,
        name=label,
        target=values.get("target"),
        actual=values.get("actual"),
        weight=values.get("weight"),
        score=values.get("score"),
        note=values.get("note"),
        source=position(first),
        cells=cells,
        marks=marks,
    )


def _join_target(got: dict[str, Cell]) -> str | None:
    """Operator + value + unit as one target; a unit joins only a value that ends in a number.

    ``28.8萬元`` + ``%`` and ``應保盡保`` + ``%`` keep their value alone: the unit cell contradicts
    a value that already carries its unit or is a word.
    """
    op, value, unit = (_blank(got[p].text) if p in got else None for p in PARTS)
    text = (op or "") + (value or "")
    if unit is not None and (value is None or re.search(r"\d$", value)):
        text += unit
    return text or None


def _cell_order(cell: Cell) -> tuple[int, int]:
    return cell.row, cell.col


def position(cell: Cell) -> Position:
    return Position(row=cell.row, col=cell.col, sheet=cell.sheet)
