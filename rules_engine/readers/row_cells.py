"""What a placed row's cells say beyond their columns: a name standing in a category cell, a
value that only repeats the name, a process scorecard row's standard and reviewed score."""

from __future__ import annotations

from rules_engine.model import IndicatorLine, Position, ProcessLine
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers import text_keys
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell

# Passive columns whose text a process scorecard row keeps.
KEPT = ("standard", "review")


def name_from_category(got: dict[str, Cell]) -> dict[str, Cell]:
    """A row with values but no name whose category cell is a word indicators are named by
    too (社会满意度, 经济效益): that cell is the row's name. Labels ending in 指标 stay groups."""
    if "name" in got or not any(key in got for key in ("target", "value", "actual")):
        return got
    key = "level2" if "level2" in got else "level1" if "level1" in got else None
    if key is None or text_keys.category_key(got[key].text).endswith("指标"):
        return got
    if vocab.is_score_only(got[key].text):
        return got
    return {**{k: v for k, v in got.items() if k != key}, "name": got[key]}


def drop_repeated_name(got: dict[str, Cell]) -> tuple[dict[str, Cell], list[Cell]]:
    """A value cell that repeats the row's name (some exports print the name again in the
    actual column, the value following it) is no value: the row without it, and the cells
    left out (to be reported)."""
    name = got.get("name")
    if name is None:
        return got, []
    repeats = [k for k in ("target", "actual") if k in got and got[k].text == name.text]
    return {k: v for k, v in got.items() if k not in repeats}, [got[k] for k in repeats]


def level2_only(got: dict[str, Cell]) -> bool:
    """The row's 二级 cell is a word only a 二级 is (经济成本指标)."""
    return "level2" in got and vocab.category_level(got["level2"].text) == {2}


def passive(got: dict[str, Cell]) -> dict[str, Cell]:
    """The cells of the row's passive columns a process row keeps."""
    return {k: v for k, v in got.items() if k in KEPT}


def process_line(line: IndicatorLine, kept: dict[str, Cell]) -> ProcessLine:
    """An indicator row of a process scorecard as a process line: its standard kept, and its
    only group level (项目决策) as its 一级."""
    values = {k: _blank(cell.text) for k, cell in kept.items()}
    cells = {**line.cells, **{k: _pos(cell) for k, cell in kept.items()}}
    level1, level2 = line.level1, line.level2
    if level1 is None and level2 is not None:
        level1, level2 = level2, None
        cells["level1"] = cells.pop("level2")
    return ProcessLine(
        level1=level1,
        level2=level2,
        name=line.name,
        standard=values.get("standard"),
        weight=line.weight,
        score=line.score,
        review=values.get("review"),
        note=line.note,
        source=line.source,
        cells=cells,
    )


def _pos(cell: Cell) -> Position:
    return Position(row=cell.row, col=cell.col, sheet=cell.sheet)
