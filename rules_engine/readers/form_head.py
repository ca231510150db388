"""The part of a form above its indicator table: title, year, header fields, kind and budget."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from rules_engine.model import BudgetRow, FormKind, Position
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers import cell_shapes, header_words, text_keys
from rules_engine.readers.grid import Cell
from rules_engine.readers.placement import Slot, place
from rules_engine.readers.table_header import Header

_TITLE_WORDS = ("绩效", "自评", "目标", "评价")


_TITLE_END = re.compile(r"表(?:\([^()]*\)){0,2}$")


YEAR_LINE = re.compile(r"^[(（]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?$")


def is_title(text: str) -> bool:
    norm = text_keys.normalize(text).lstrip("#").strip()
    return (
        _TITLE_END.search(norm) is not None
        and any(word in norm for word in _TITLE_WORDS)
        and len(norm) <= 80
        and header_words.form_field(norm) is None
    )


_YEAR_OF = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年度")


def year_after(title: str, text: str) -> int | None:
    """The year printed right after a title in its cell: ``…自评表 (2021)``."""
    at = text.find(title)
    if at < 0:
        return None
    found = re.match(r"\s*[(（]\s*((?:19|20)\d{2})\s*(?:年度?)?\s*[)）]", text[at + len(title) :])
    return int(found.group(1)) if found else None


def notice_year(top: Sequence[Sequence[Cell]]) -> int | None:
    """The year the text above a form names (关于2021年度项目支出绩效自评的公示), when the form's
    title gives none: every ``YYYY年度`` there must name the same year. Dates of publication
    (2022年3月1日) name no 年度 and are not taken."""
    years = {
        int(found)
        for row in top
        for cell in row
        if cell.text
        for found in _YEAR_OF.findall(text_keys.normalize(cell.text))
    }
    return years.pop() if len(years) == 1 else None


def header_fields(top: Sequence[Sequence[Cell]]) -> tuple[dict[str, str | None], set[Cell]]:
    """项目名称, 主管部门, 实施单位 … and their values: the next cell, or the next row's only
    cell when the label ends its row; also the label and value cells, which are no title."""
    found: dict[str, str | None] = {}
    used: set[Cell] = set()
    rows = [[cell for cell in row if cell.text] for row in top]
    for number, cells in enumerate(rows):
        for pos, cell in enumerate(cells):
            key = header_words.form_field(cell.text)
            if key is not None:
                used.add(cell)
                nxt = cells[pos + 1] if pos + 1 < len(cells) else None
                if nxt is None and number + 1 < len(rows) and len(rows[number + 1]) == 1:
                    nxt = rows[number + 1][0]
                if nxt is not None and _is_value(nxt.text) and not found.get(key):
                    found[key] = _value(nxt.text)
                    used.add(nxt)
                continue
            inline = _inline_field(cell.text)
            if inline is not None:
                used.add(cell)
                if not found.get(inline[0]):
                    found[inline[0]] = inline[1]
    return found, used


# A label printed inside a cell: 填报日期:…, 评价时间: ….
_LABEL_INSIDE = re.compile(r"\s+[^\s:：]{2,8}[:：]")


def _is_value(text: str) -> bool:
    """A cell that can be a header field's value: no label of its own (评价时间: …)."""
    norm = text.strip()
    return header_words.form_field(norm) is None and not re.match(r"^[^\s:：]{2,8}[:：]", norm)


def _value(text: str) -> str | None:
    """A header field's value, up to the next label printed in the same cell."""
    return _blank(_LABEL_INSIDE.split(text.strip(), maxsplit=1)[0])


_SENTENCE_END = re.compile(r".*[。；;！!》:：]")


def title_in(text: str) -> str | None:
    """The form's heading in a cell: the whole cell, or a word of a cell full of page text
    (what follows the page's last sentence: ``…请在文库上搜索。部门整体绩效自评表``)."""
    for word in (text, *text.split()):
        tail = _SENTENCE_END.sub("", word.lstrip("#").strip()).strip()
        if is_title(tail):
            return tail
    return None


def _inline_field(text: str) -> tuple[str, str | None] | None:
    """``项目名称：某某项目`` printed in one cell."""
    match = re.match(r"^([^:：]{2,12})[:：]\s*(.+)$", text.strip())
    if not match:
        return None
    key = header_words.form_field(match.group(1))
    if key is None:
        return None
    # 填报单位:(盖章) 单位:万元 — a remark, then the next label: no value printed.
    value = re.sub(r"^[(（][^()（）]*[)）]\s*", "", match.group(2).strip())
    if re.match(r"^[^:：]{1,6}[:：]", value):
        return key, None
    return key, _value(value)


_TARGET_TABLE = ("目标表", "申报表", "审批表")


def kind_of(title: str | None, header: Header) -> FormKind:
    norm = text_keys.normalize(title or "")
    if header.process and header.has("score"):
        # A process scorecard is scored by the unit itself: a self-evaluation.
        return "department-self-evaluation" if "整体" in norm else "project-self-evaluation"
    if not header.has("actual") and ("自评" not in norm or "目标" in norm):
        # No 实际完成值 column: a target table — unless the title names a self-evaluation
        # (a damaged extraction may lose that header cell) and no target table.
        return "targets-only"
    if any(word in norm for word in _TARGET_TABLE) and "自评" not in norm:
        return "targets-only"  # a target table printing an empty 实际完成值 column
    if "转移支付" in norm or "区域" in norm:
        return "transfer-self-evaluation"
    if "整体" in norm:
        return "department-self-evaluation"
    return "project-self-evaluation"


def read_budget(
    rows: Sequence[Sequence[Cell]], *, targets: bool = False, packed: bool = False
) -> list[BudgetRow]:
    """The funding block: a header naming its columns, then one row per fund.

    Amounts are kept as printed (``150万``, ``150万元``, ``1,234.56``). A fund row whose values
    run on to the next line (a row split over two lines) takes that line's values too. A target
    table (`targets`) may print one amount per fund and no column header: it is the planned
    amount (`initial`). In a layout that drops empty cells (`packed`) a row's last value
    stands in the last column: its cells are placed from both ends.
    """
    budget: list[BudgetRow] = []
    slots: list[Slot] | None = None
    fund: list[Cell] = []
    # The block's points printed in its label (预算执行情况(20分)): the first fund's weight when
    # its row prints none.
    points: str | None = None

    def settle() -> None:
        if fund and slots is not None:
            row = _budget_row(fund, slots, packed=packed)
            if not budget and row.weight is None and points is not None:
                row = row.model_copy(update={"weight": points})
            budget.append(row)
        fund.clear()

    for row in rows:
        cells = [cell for cell in row if cell.text]
        if not cells:
            continue
        heads = [(cell, header_words.budget_field(cell.text)) for cell in cells]
        named = [(cell, name) for cell, name in heads if name is not None]
        if len(named) >= 3:
            settle()
            slots = [Slot(cell.col, name) for cell, name in named]
            labels = [cell.text for cell, name in heads if name is None]
            if not budget:
                points = next(
                    (p for p in map(header_words.points_in_label, labels) if p is not None), points
                )
            continue
        if slots is None and not budget and _budget_label(cells[0].text):
            points = header_words.points_in_label(cells[0].text) or points
        while len(cells) > 1 and all(header_words.is_fund_name(c.text) for c in cells[:2]):
            cells = cells[1:]  # the block's label (项目资金) before its first fund
        if slots is None:
            if targets and _one_amount(cells, listed=bool(budget)):
                budget.append(_budget_row(cells, [Slot(cells[-1].col, "initial")]))
            continue
        if fund and _continues(fund, cells, slots):
            fund.extend(_after(fund, cells))
            continue
        settle()
        if not header_words.is_fund_name(cells[0].text):
            # The block ends at the first row that names no fund (年度主要任务, 年度总体目标 …).
            slots = None
            continue
        fund.extend(cells)
    settle()
    return budget


def _budget_label(text: str) -> bool:
    """The funding block's own label (预算执行情况, 项目资金情况), before its column heads."""
    norm = text_keys.normalize(text)
    return norm.startswith(("预算执行情况", "项目资金", "资金情况", "预算执行"))


def _one_amount(cells: Sequence[Cell], *, listed: bool) -> bool:
    """A fund and its one amount (or, inside a block already begun, a fund with none)."""
    if not header_words.is_fund_name(cells[0].text):
        return False
    if len(cells) == 1:
        return listed
    return len(cells) == 2 and cell_shapes.is_amount(cells[1].text)


def _budget_row(cells: Sequence[Cell], slots: Sequence[Slot], *, packed: bool = False) -> BudgetRow:
    name_cell = cells[0]
    end = slots[-1].col if packed and len(cells) > 2 else None
    placed = place(cells[1:], slots, _fit_budget, end)
    values = {k: _blank(v.text) for k, v in placed.fields.items()}
    return BudgetRow(
        name=name_cell.text.strip(),
        initial=values.get("initial"),
        adjusted=values.get("adjusted"),
        executed=values.get("executed"),
        weight=values.get("weight"),
        rate=values.get("rate"),
        score=values.get("score"),
        source=_pos(name_cell),
    )


def _continues(fund: Sequence[Cell], cells: Sequence[Cell], slots: Sequence[Slot]) -> bool:
    """A line of values only, that the fund row above leaves room for."""
    return all(_budget_value(cell.text) for cell in cells) and len(fund) - 1 + len(cells) <= len(
        slots
    )


def _after(fund: Sequence[Cell], cells: Sequence[Cell]) -> list[Cell]:
    """The continuation's cells placed after the fund row's (keeping their columns when the
    layout kept them to the right of the row's last cell)."""
    last = fund[-1].col
    if all(cell.col > last for cell in cells):
        return list(cells)
    return [Cell(c.text, c.row, last + k, c.sheet) for k, c in enumerate(cells, start=1)]


def _budget_value(text: str) -> bool:
    norm = text.strip()
    return _blank(norm) is None or norm.endswith("%") or cell_shapes.is_amount(norm)


def _fit_budget(name: str, text: str) -> int:
    if _blank(text) is None:
        return 0
    percent = text.strip().endswith("%")
    if name == "rate":
        return 3 if percent else (1 if cell_shapes.is_number(text) else -6)
    if name in ("weight", "score") and cell_shapes.is_weightlike(text):
        # Points are whole numbers (10, 10.00) up to 100; an amount such as 7.29 fits them less.
        if Decimal(text_keys.normalize(text).removesuffix("分")) > 100:
            return -3
        return 2 if re.fullmatch(r"\d+(?:\.0+)?", text.strip()) else 0
    if cell_shapes.is_amount(text):
        return 2
    return -6 if percent else -3


def _pos(cell: Cell) -> Position:
    return Position(row=cell.row, col=cell.col, sheet=cell.sheet)
