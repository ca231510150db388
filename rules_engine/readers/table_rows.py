"""The rows under an indicator header, placed into its columns by meaning, up to the table's end.

A row is filled down, completed by the row after it, or left out with a warning; the table ends
at its totals row, its notes or the next form's header.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.model import IndicatorLine, Total
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers import cell_shapes, header_words, text_keys
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.cell_fit import fit, fit_under
from rules_engine.readers.form_head import is_title
from rules_engine.readers.grid import Cell, Grid
from rules_engine.readers.indicator_line import PARTS, indicator_line
from rules_engine.readers.layout_codes import CUT_OFF
from rules_engine.readers.placement import Placement, Slot, place
from rules_engine.readers.row_cells import (
    KEPT,
    drop_repeated_name,
    level2_only,
    name_from_category,
    passive,
)
from rules_engine.readers.table_header import Header

UNCERTAIN_CELL = define(
    "E101",
    "第 {row} 行：无法确定「{text}」属于哪一列，已跳过",
    "row {row}: cannot tell which column '{text}' belongs to; skipped",
    "单元格粘连或错位，无法可靠区分；请对照原表核对这一行。",
    "The cells are glued or shifted so that they cannot be told apart; check this row "
    "against the original form.",
    severity="warning",
)
LEFTOVER_CELL = define(
    "E102",
    "第 {row} 行：「{text}」不属于任何一列，已跳过",
    "row {row}: '{text}' fits no column; skipped",
    "这一行的单元格比表头多，或内容与列名不符；请核对原表。",
    "The row has more cells than the header, or a cell does not fit its column; check the "
    "original form.",
    severity="warning",
)
NO_INDICATORS = define(
    "E103",
    "第 {row} 行的指标表头下没有读到任何指标行",
    "no indicator row read under the header at row {row}",
    "表格可能被截断，或指标行的格式无法识别；请核对原表。",
    "The table may be cut off, or its rows are laid out in a way that cannot be read; "
    "check the original form.",
    severity="warning",
)
RESTORED_LEVEL1 = define(
    "E105",
    "第 {row} 行：一级指标缺失或只剩分值，按二级指标「{text}」所属补为「{name}」",
    "row {row}: the 一级 name is lost or reads only its points; restored as '{name}' "
    "from the 二级 '{text}'",
    "提取时丢失了一级指标名称；请核对原表。",
    "The 一级 name was lost in extraction; check it against the original form.",
    severity="warning",
)
TOO_IRREGULAR = define(
    "E106",
    "第 {row} 行起的表格行过于不规则，其余不规则的行未读取",
    "rows from row {row} on are too irregular; the remaining irregular rows were not read",
    "表格里有大量与表头对不齐的行，可能不是绩效表的内容；请检查文件。",
    "The table holds a great many rows that do not line up with its header and may not be "
    "form content; check the file.",
    severity="warning",
)
CUT_VALUE = define(
    "E107",
    "第 {row} 行：「{text}」在文件截断处被切断，不作为数值读取",
    "row {row}: '{text}' is cut off where the file ends; not read as a value",
    "文件不完整；请取得完整的表格后再读取。",
    "The file is incomplete; read the whole form instead.",
    severity="warning",
)

# Rows that need a search (not simply aligned under the header) read per table; real forms need
# a few dozen, and the bound keeps a huge damaged file from taking minutes.
MAX_SEARCHED = 1000
# Fields an indicator row may fill, as the placement sees them.
_ROW_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
# Rows opening these words end an indicator table.
_END_WORDS = ("说明", "填表人", "填报人", "联系人", "评价结论", "审核意见", "自评结论", "备注:")


@dataclass
class Lines:
    """What reading an indicator table produced."""

    lines: list[IndicatorLine] = field(default_factory=list)
    # Per line, the cells of its passive columns (standard, review) a process row keeps.
    passive: list[dict[str, Cell]] = field(default_factory=list)
    total: Total | None = None
    lone_total: Cell | None = None
    end: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def read_lines(grid: Grid, header: Header, stop: int, last_row: int) -> Lines:  # noqa: C901, PLR0912, PLR0915
    """Read the indicator rows under `header`, up to the totals row, the notes or the next form.

    Each row is one of: the totals (总分 / 合计), the end of the table, the second part of a row
    the layout broke in two, a placeholder or block label (skipped), a row of category labels
    only (they open their groups), or an indicator row placed by meaning.
    """
    out = Lines()
    rows = grid.rows
    level1: Cell | None = None
    level2: Cell | None = None
    index = header.index + header.rows
    out.end = stop
    previous: dict[str, Cell] = {}
    opened: Cell | None = None
    searched = skipped = 0
    end_col = _end_column(rows[index:stop], header)
    pending = [header.first] if header.first else []
    named_level1 = any(
        vocab.category_level(cell.text) == {1} or vocab.is_score_only(cell.text)
        for row in rows[index : min(stop, index + _SAMPLE_ROWS)]
        for cell in row
        if cell.text
    )
    while index < stop or pending:
        if pending:
            cells = pending.pop()
        else:
            cells = [cell for cell in rows[index] if cell.text]
            index += 1
        if not cells:
            continue
        first = text_keys.normalize(cells[0].text)
        at = next((k for k, c in enumerate(cells) if header_words.is_total_label(c.text)), None)
        if at is not None and not any(
            cell_shapes.is_name_like(c.text) and not header_words.is_grade_cell(c.text)
            for c in cells
        ):
            out.total = _read_total(cells[at + 1 :], header, out)
            points = header_words.points_in_label(cells[at].text)
            if out.total.weight is None and points is not None:
                out.total = out.total.model_copy(update={"weight": points})
            out.end = index
            break
        if first.startswith(_END_WORDS) or _is_form_start(cells):
            out.end = index - 1
            break
        if out.lines and len(cells) == 1 and _is_prose(cells[0].text):
            out.end = index - 1
            break  # the report's text goes on after the table
        rest = _rest_slots(header, previous) if _is_continuation(cells) else []
        if rest and len(cells) <= len(rest):
            # Layouts that lost row ends break one row in two: the second part holds only the
            # values missing from the row above, and completes it.
            placed = _in_order(cells, rest)
            if placed.fields:
                _report(grid, placed, out)
                previous = {**previous, **_drop_cut_value(grid, _keep(placed.fields), out)}
                line = indicator_line(
                    previous, _restore(grid, level1, level2, out, named_level1), level2
                )
                if line is not None and out.lines:
                    out.lines[-1] = line
                    out.passive[-1] = passive(previous)
                continue
        if all(cell_shapes.is_placeholder(cell.text) for cell in cells):
            continue  # a template placeholder row (……)
        if len(cells) == 1 and vocab.is_block_label(cells[0].text):
            continue  # 年度绩效目标2(40分): a block's label, no indicator
        while len(cells) > 1 and vocab.is_block_label(cells[0].text):
            cells = cells[1:]  # a block label merged down the rows' left (绩效指标)
        # The grid's last row may be cut short: its end says nothing about its columns.
        last = index - 1 == last_row
        if all(vocab.category_level(cell.text) for cell in cells) and len(cells) > 1:
            # A row of category labels only (二级 printed with no indicator row, then the next
            # 一级): each label opens its group, in reading order.
            for cell in cells:
                if vocab.preferred_level(cell.text) == 1:
                    level1, level2 = cell, None
                else:
                    level2 = cell
            previous = {}
            continue
        fit = fit_under(level1)
        placed = place(
            cells, header.slots, fit, None if last else end_col, search=searched < MAX_SEARCHED
        )
        if placed.skipped:
            if searched == MAX_SEARCHED:
                out.diagnostics.append(warn(grid, TOO_IRREGULAR, cells[0]))
                searched += 1
            skipped += 1
            if skipped >= MAX_SEARCHED:
                out.end = index
                break  # nothing but irregular rows for a long stretch: the table is over
            continue
        skipped = 0
        searched += placed.searched
        _report(grid, placed, out)
        got = _drop_cut_value(grid, _split_description(grid, header, placed, out), out)
        got, repeated = drop_repeated_name(name_from_category(got))
        out.diagnostics.extend(warn(grid, LEFTOVER_CELL, cell) for cell in repeated)
        if opened is not None and "level1" not in got and level2_only(got):
            level1 = opened  # 成本指标 over 经济成本指标: the word printed first is the 一级
        opened = None
        if "level1" in got:
            level1 = got["level1"]
            if "level2" not in got:
                level2 = None
        if "level2" in got:
            level2 = got["level2"]
        line = indicator_line(got, _restore(grid, level1, level2, out, named_level1), level2)
        previous = got if line is not None else {}
        if line is not None:
            out.lines.append(line)
            out.passive.append(passive(got))
        elif level2 is not None and vocab.category_level(level2.text) == {1, 2}:
            opened = level2  # a label alone that may be the 一级 of the 二级 that follows
    if not out.lines:
        first_cell = rows[header.index][0] if rows[header.index] else None
        out.diagnostics.append(
            Diagnostic(
                code=NO_INDICATORS,
                args={"row": str(first_cell.row if first_cell else header.index + 1)},
                severity="warning",
                file=grid.source,
                line=first_cell.row if first_cell else None,
                col=1,
            )
        )
    return out


# Enough rows to tell a table's shape; a table is never longer than this would need.
_SAMPLE_ROWS = 200
_SAMPLE_ENDS = 5


def _end_column(rows: Sequence[Sequence[Cell]], header: Header) -> int | None:
    """The column rows end in, for tables whose layout dropped empty cells (else ``None``).

    A layout that keeps empty cells leaves gaps inside rows (merged 一级 and 二级 cells); one
    that drops them packs every row from the left, so only the rows' ends line up.
    """
    packed: list[list[Cell]] = []
    gaps = 0
    for row in rows[:_SAMPLE_ROWS]:
        filled = [k for k, cell in enumerate(row) if cell.text]
        if len(filled) < 2:
            continue
        if filled[-1] - filled[0] + 1 != len(filled) or row[filled[0]].col != row[0].col:
            gaps += 1
        packed.append([row[k] for k in filled])
    if not packed or gaps * 3 >= len(packed):
        return None
    longest = max(len(row) for row in packed)
    ends: list[int] = []
    for row in [row for row in packed if len(row) == longest][:_SAMPLE_ENDS]:
        if len(row) == longest:
            # The column of the header slot the row's last cell is placed in (rows may stand
            # shifted against their header, as where the header opens with a block label).
            placed = place(row, header.slots, fit)
            slot = next((c for c in header.slots if placed.fields.get(c.field) is row[-1]), None)
            if slot is not None:
                ends.append(slot.col)
    return max(set(ends), key=ends.count) if ends else None


def _restore(
    grid: Grid, level1: Cell | None, level2: Cell | None, out: Lines, named_level1: bool
) -> Cell | None:
    """A 一级 cell that kept only its points (``(50分)``) named after the 二级 under it.

    A 一级 lost altogether is restored only in a table that prints 一级 names elsewhere: a
    table that never prints them has no 一级 to restore.
    """
    if level2 is None or (level1 is not None and not vocab.is_score_only(level1.text)):
        return level1
    if level1 is None and not named_level1:
        return None
    family = vocab.family_of(level2.text)
    if family is None:
        return level1
    # A 一级 lost altogether is named after the 二级 under it, and points at that 二级 cell.
    source = level1 if level1 is not None else level2
    points = level1.text.strip() if level1 is not None else ""
    restored = Cell(text=family + points, row=source.row, col=source.col, sheet=source.sheet)
    said = {(d.args.get("name"), d.line) for d in out.diagnostics if d.code == RESTORED_LEVEL1}
    key_line = level1.row if level1 is not None else None
    if (restored.text, key_line) not in {(n, line if level1 else None) for n, line in said}:
        out.diagnostics.append(
            Diagnostic(
                code=RESTORED_LEVEL1,
                args={"row": str(source.row), "text": level2.text, "name": restored.text},
                severity="warning",
                file=grid.source,
                line=source.row,
                col=source.col,
            )
        )
    return restored


_DESCRIPTION = re.compile(r"反映")


def _split_description(
    grid: Grid, header: Header, placed: Placement, out: Lines
) -> dict[str, Cell]:
    """Split a name glued to its description (``…次数反映…情况``) when the header has a column
    for descriptions (绩效标准, 指标解释) that the row left empty.

    Template descriptions open with 反映; the name is what precedes it. Without a value in the
    row, the glued text may hold several rows, so the name is left out as uncertain.
    """
    got = _keep(placed.fields)
    name = got.get("name")
    has_description = any(slot.field in header_words.PASSIVE_FIELDS for slot in header.slots)
    if (
        name is None
        or not has_description
        or any(f in placed.fields for f in header_words.PASSIVE_FIELDS)
    ):
        return got
    match = _DESCRIPTION.search(name.text)
    if match is None or match.start() < 2:
        return got
    if not any(k in got for k in ("target", "value", "actual")):
        out.diagnostics.append(warn(grid, UNCERTAIN_CELL, name))
        return {k: v for k, v in got.items() if k != "name"}
    cut = name.text[: match.start()].strip()
    return {**got, "name": Cell(text=cut, row=name.row, col=name.col, sheet=name.sheet)}


_VALUES = ("target", "actual", "weight", "score", "op", "value", "unit")


def _drop_cut_value(grid: Grid, got: dict[str, Cell], out: Lines) -> dict[str, Cell]:
    """Leave out a value cell the file's end cut in two (the layout reader names it with E145);
    a cut name keeps its visible part."""
    cuts = {(d.line, d.col) for d in grid.diagnostics if d.code == CUT_OFF and d.col is not None}
    if not cuts:
        return got
    keep: dict[str, Cell] = {}
    for name, cell in got.items():
        if name in _VALUES and (cell.row, cell.col) in cuts:
            out.diagnostics.append(warn(grid, CUT_VALUE, cell))
            continue
        keep[name] = cell
    return keep


_SECTION = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、](?!\d))"
)


def _is_prose(text: str) -> bool:
    """A report's running text: a section heading (二、 (一) 3.) or a long sentence."""
    norm = text.strip()
    return bool(_SECTION.match(norm)) or (norm.endswith("。") and len(norm) > 20) or len(norm) > 80


def _keep(fields: dict[str, Cell]) -> dict[str, Cell]:
    return {k: v for k, v in fields.items() if k in _ROW_FIELDS or k in PARTS or k in KEPT}


def _report(grid: Grid, placed: Placement, out: Lines) -> None:
    for cell in placed.uncertain:
        out.diagnostics.append(warn(grid, UNCERTAIN_CELL, cell))
    for cell in placed.leftover:
        out.diagnostics.append(warn(grid, LEFTOVER_CELL, cell))


def _is_continuation(cells: Sequence[Cell]) -> bool:
    """Cells that can only finish a row: values, with no name and no category among them."""
    return all(
        not cell_shapes.is_name_like(cell.text)
        and not cell_shapes.is_placeholder(cell.text)
        and not vocab.category_level(cell.text)
        and (
            cell_shapes.is_value_like(cell.text)
            or cell_shapes.is_weightlike(cell.text)
            or len(cell.text) <= 8
        )
        for cell in cells
    )


def _in_order(cells: Sequence[Cell], slots: Sequence[Slot]) -> Placement:
    """Cells into slots one by one, in reading order; stops at the first cell that does not fit."""
    fields: dict[str, Cell] = {}
    at = 0
    for k, cell in enumerate(cells):
        # Optional columns (operator, unit, notes) a cell does not fit are passed over.
        while at < len(slots) and fit(slots[at].field, cell.text) < 0:
            if slots[at].field not in ("op", "unit", *header_words.PASSIVE_FIELDS):
                at = len(slots)
                break
            at += 1
        if at >= len(slots):
            return Placement(fields, list(cells[k:]), []) if fields else Placement({}, [], [])
        fields[slots[at].field] = cell
        at += 1
    return Placement(fields, [], [])


def _rest_slots(header: Header, previous: dict[str, Cell]) -> list[Slot]:
    """The header columns after the last one the previous line filled (none if it is full)."""
    if not previous or ("name" not in previous and "level2" not in previous):
        return []
    filled = [k for k, slot in enumerate(header.slots) if slot.field in previous]
    if not filled:
        return []
    rest = header.slots[max(filled) + 1 :]
    return [slot for slot in rest if slot.field not in header_words.PASSIVE_FIELDS] if rest else []


# Cells whose placeholder (``/``, ``—``) a policy may read as "not applicable".


def _read_total(cells: list[Cell], header: Header, out: Lines) -> Total:
    slots = [slot for slot in header.slots if slot.field in ("weight", "score")]
    numbers = [cell for cell in cells if cell_shapes.is_weightlike(cell.text)]
    if not slots:
        return Total()
    if len(numbers) == 1 and len(slots) == 2:
        out.lone_total = numbers[0]  # weight or score? settled against the lines' sums
        return Total()
    placed = place(numbers, slots, fit)
    weight = placed.fields.get("weight")
    score = placed.fields.get("score")
    return Total(
        weight=_blank(weight.text) if weight else None,
        score=_blank(score.text) if score else None,
    )


def _is_form_start(cells: Sequence[Cell]) -> bool:
    """A row that opens the next form's header: its title, or a 项目名称 / 部门名称 line."""
    if header_words.form_field(cells[0].text) is not None:
        return True
    return len(cells) <= 3 and is_title(cells[0].text)


def warn(grid: Grid, code: str, cell: Cell) -> Diagnostic:
    return Diagnostic(
        code=code,
        args={"row": str(cell.row), "text": cell.text[:40]},
        severity="warning",
        file=grid.source,
        line=cell.row,
        col=cell.col,
    )
