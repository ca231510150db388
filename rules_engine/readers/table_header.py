"""The indicator table's header: where it stands and which field each of its columns holds.

Header names are matched tolerantly (traditional characters, ``指標(biāo)`` residue, full-width
punctuation, score annotations). Two header rows are merged: by column where they line up, in
reading order where a layout dropped their merged cells; both rows and the first data row may
even share one line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rules_engine.readers import header_words, text_keys
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell
from rules_engine.readers.placement import Slot


@dataclass
class Header:
    """An indicator header: where it stands and which field each column holds."""

    index: int
    rows: int
    slots: list[Slot]
    # Data cells printed on the header's own line (a layout that lost row breaks).
    first: list[Cell] = field(default_factory=list)

    def has(self, name: str) -> bool:
        return any(slot.field == name for slot in self.slots)

    @property
    def process(self) -> bool:
        """A process scorecard (项目决策, 项目管理 … judged by a 评价标准, no target): its rows
        are kept apart from indicator lines."""
        fields = {slot.field for slot in self.slots}
        judged = bool(fields & {"standard", "review"})
        return judged and not fields & {"target", "value", "op", "actual"}


def find_headers(rows: Sequence[Sequence[Cell]]) -> list[Header]:
    headers: list[Header] = []
    index = 0
    while index < len(rows):
        if _is_header_row(rows[index]):
            header = _read_header(rows, index)
            headers.append(header)
            index += header.rows
        else:
            index += 1
    return headers


def score_column_from_top(header: Header, top: Sequence[Sequence[Cell]]) -> None:
    """Area forms head their right-hand column 自评得分 above the table, not in its header row."""
    if header.has("weight") or header.has("score") or not header.slots:
        return
    if any(
        header_words.header_field(cell.text) == "score" for row in top for cell in row if cell.text
    ):
        header.slots.append(Slot(header.slots[-1].col + 1, "score"))


def _is_header_row(row: Sequence[Cell]) -> bool:
    fields = [header_words.header_field(cell.text) for cell in row if cell.text]
    core = sum(
        1
        for cell in row
        if cell.text and text_keys.category_key(cell.text) in header_words.INDICATOR_HEADER_CORE
    )
    known = sum(1 for name in fields if name is not None and name != "ignore")
    if core == 0 and {"standard", "weight"} <= set(fields) and "level1" in fields:
        # A process scorecard's header: 项目权重 / 评价内容 / 分值 / 自评分 / 评价标准 ….
        return known >= 4
    known += sum(
        1
        for cell in row
        if cell.text and text_keys.category_key(cell.text) in header_words.TARGET_FALLBACK
    )
    return core >= 2 or (core >= 1 and known >= 3)


def _read_header(rows: Sequence[Sequence[Cell]], index: int) -> Header:
    inline = _split_header_line(rows[index])
    if inline is not None:
        upper, lower, first = inline
        slots = _merge(_named(lower), _named(upper), finer_first=True, by_column=False)
        slots = _split_target(_name_column(slots))
        return Header(index=index, rows=1, slots=slots, first=first)
    slots = _named(rows[index])
    used = 1
    # A header row above may name the value columns (年度指标值 / 实际完成值 / 分值 / 得分) while
    # this one names the hierarchy and the operator / value / unit split under them.
    if index > 0:
        above = _named(rows[index - 1])
        values = [s for s in above if s.field in ("target", "actual", "weight", "score", "note")]
        if len(values) >= 3 and not _is_header_row(rows[index - 1]):
            slots = _merge(slots, above, finer_first=True)
    # A second header row splits a merged column: 指标性质 / 指标值 / 度量单位, or (A) / (B).
    if index + 1 < len(rows):
        below = [cell for cell in rows[index + 1] if cell.text]
        named = sum(1 for cell in below if header_words.header_field(cell.text) is not None)
        if below and (named == len(below) or (named >= 2 and named * 3 >= len(below) * 2)):
            slots = _merge(slots, _named(rows[index + 1]), finer_first=False)
            used = 2
    slots = _fallback_target(slots, rows[index])
    # A category printed among the header's words (a merged cell the extraction put there) is
    # the first row's group: it opens that group.
    cells = [cell for cell in rows[index] if cell.text]
    inside = [
        k
        for k, cell in enumerate(cells[1:-1], start=1)
        if vocab.category_level(cell.text) and header_words.header_field(cell.text) is None
    ]
    first = [cells[inside[0]]] if len(inside) == 1 else []
    return Header(index=index, rows=used, slots=_split_target(_name_column(slots)), first=first)


def _fallback_target(slots: list[Slot], row: Sequence[Cell]) -> list[Slot]:
    """A header without a target column whose 绩效目标 cell heads it (older templates)."""
    if any(slot.field in ("target", "value") for slot in slots):
        return slots
    taken = {slot.col for slot in slots}
    extra = [
        Slot(cell.col, "target")
        for cell in row
        if cell.text
        and cell.col not in taken
        and text_keys.category_key(cell.text) in header_words.TARGET_FALLBACK
    ]
    return sorted([*slots, *extra[:1]], key=lambda slot: slot.col)


_CORE = ("level1", "level2", "name")


_VALUE_FIELDS = ("target", "actual", "weight", "score", "note")


def _split_header_line(row: Sequence[Cell]) -> tuple[list[Cell], list[Cell], list[Cell]] | None:
    """Both header rows and the first data row printed as one line, or ``None``.

    ``… 年度指标值 实际完成值 分值 得分 偏差原因 一级指标 二级指标 三级指标 指标性质 指标值 度量单位
    产出指标 数量指标 …``: the upper header row, the lower one, then the first row's cells.
    """
    cells = [cell for cell in row if cell.text]
    names = [header_words.header_field(cell.text) for cell in cells]
    core = next((k for k, name in enumerate(names) if name in _CORE), None)
    if core is None:
        return None
    start = core
    while start > 0 and names[start - 1] in _VALUE_FIELDS:
        start -= 1
    upper = cells[start:core]
    if len(upper) < 3:
        return None
    end = core
    while end < len(cells) and names[end] is not None:
        end += 1
    return upper, cells[core:end], cells[end:]


def _named(row: Sequence[Cell]) -> list[Slot]:
    out: list[Slot] = []
    for cell in row:
        name = header_words.header_field(cell.text) if cell.text else None
        if name is None or (name == "note" and "原因" not in text_keys.normalize(cell.text)[:2]):
            name = header_words.glued_header_field(cell.text) or name
        if name is not None:
            out.append(Slot(cell.col, name))
    return out


_SPLIT = ("op", "value", "unit")


def _merge(
    main: list[Slot], extra: list[Slot], *, finer_first: bool, by_column: bool = True
) -> list[Slot]:
    """Merge two header rows: by column where they agree, else in reading order.

    Where cells were dropped (markdown, pipe rows) the two rows' columns no longer line up; the
    extra row's fields then go in its own order around the fields the main row already has.
    """
    by_col = {slot.col: slot.field for slot in main}
    consistent = by_column
    for slot in extra if by_column else []:
        have = by_col.get(slot.col)
        if have is None or have == slot.field or "ignore" in (have, slot.field):
            if have in (None, "ignore"):
                by_col[slot.col] = slot.field
            continue
        if {have, slot.field} & {"target"} and {have, slot.field} & set(_SPLIT):
            if slot.field in _SPLIT and not finer_first:
                by_col[slot.col] = slot.field
            continue
        consistent = False
        break
    if consistent:
        return [Slot(col, name) for col, name in sorted(by_col.items())]
    fields = [slot.field for slot in main]
    split = any(name in _SPLIT for name in fields)
    at = max(
        (k + 1 for k, name in enumerate(fields) if name in ("level1", "level2", "name")), default=0
    )
    for slot in extra:
        if slot.field == "ignore":
            continue
        if slot.field in fields or (slot.field == "target" and split):
            group = _SPLIT if slot.field == "target" and split else (slot.field,)
            at = max(k + 1 for k, name in enumerate(fields) if name in group)
            continue
        fields.insert(at, slot.field)
        at += 1
    first = main[0].col if main else 1
    return [Slot(first + k, name) for k, name in enumerate(fields)]


def _name_column(slots: list[Slot]) -> list[Slot]:
    """Headers with 一级 / 二级 but no 三级 column: their 一级 column holds the group (数量指标)
    and their 二级 column the indicator name."""
    fields = [slot.field for slot in slots]
    if "name" in fields or "level1" not in fields or "level2" not in fields:
        return slots
    shift = {"level1": "level2", "level2": "name"}
    return [Slot(slot.col, shift.get(slot.field, slot.field)) for slot in slots]


def _points_columns(slots: list[Slot]) -> list[Slot]:
    """A header whose every points column is 得分 (一级指标 得分 二级指标 得分 三级指标 得分 …
    得分): the 得分 after a group holds the group's points, the one after the name the row's
    weight, the last one the row's score."""
    fields = [slot.field for slot in slots]
    if fields.count("score") < 2 or "weight" in fields:
        return slots
    last = max(k for k, name in enumerate(fields) if name == "score")
    out: list[Slot] = []
    for k, slot in enumerate(slots):
        name = slot.field
        if name == "score" and k != last and k > 0:
            before = fields[k - 1]
            name = (
                "weight"
                if before == "name"
                else "ignore"
                if before in ("level1", "level2")
                else name
            )
        out.append(Slot(slot.col, name))
    return out


def _split_target(slots: list[Slot]) -> list[Slot]:
    """Rename the value column of an operator / value / unit split and drop repeated fields."""
    slots = _points_columns(slots)
    has_split = any(slot.field in ("op", "unit") for slot in slots)
    out: list[Slot] = []
    seen: set[str] = set()
    for slot in slots:
        name = slot.field
        if has_split and name == "target" and "value" not in seen:
            name = "value"
        if name in seen and name != "ignore":
            name = "ignore"
        seen.add(name)
        out.append(Slot(slot.col, name))
    return out
