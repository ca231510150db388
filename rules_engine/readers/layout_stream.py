"""Rebuild table rows from a flat stream of cells (layouts that lost their row boundaries).

One cell per paragraph, one cell per line, or a whole form on one line: the cells come in reading
order but nothing says where a row ends. Rows are rebuilt by meaning: a label of the form's header
part (项目名称, 年度资金总额 …), a category (产出指标, 数量指标), a numbered name (指标1：)
or a total opens a row; under the indicator header a row also ends once it holds a cell for
every column.
"""

from __future__ import annotations

import re

from rules_engine.readers import cell_shapes, header_words, text_keys
from rules_engine.readers import layout_codes as codes
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell, Grid
from rules_engine.readers.layout_even import even_out
from rules_engine.readers.layout_process import anchored_rows, is_process_header

# Wrapped labels leave pieces that are no cell on their own; joined when together they make one.
_MAX_JOIN = 3
# Longest piece a wrapped label leaves (偏差原因分析及 …).
_PIECE = 10
# Words that open a row in the part above the indicator table.
_TOP_LABELS = re.compile(
    r"^(?:项目资金|资金情况|预算执行情况|年度总体目标|总体目标|年度目标|预期目标|年度绩效目标|"
    r"年度绩效指标完成情况|年度目标完成情况|绩效指标|绩效目标|项目基本情况|项目负责人|填报日期|"
    r"联系人|联系电话|项目属性|项目类别|项目期|项目来源|建设周期|自评得分|中央主管部门|省级财政部门|"
    r"省级主管部门|当年绩效目标|评价结论|存在问题|改进措施|说明|注|总额|财务负责人)"
)
_ANNOTATION = re.compile(r"^[(（][^()（）]{1,12}[)）]分?$")
_SCORE_PIECE = re.compile(r"^[(（]?\s*\d+(?:\.\d+)?\s*分?\s*[)）]分?$")
_YEAR_LINE = re.compile(r"^[(（]?\s*(?:19|20)\d{2}\s*年度?\s*[)）]?$")
_TITLE_WORDS = ("绩效", "自评", "目标", "评价")


def _is_title(text: str) -> bool:
    norm = text_keys.normalize(text)
    return norm.endswith(("表", "表)")) and any(w in norm for w in _TITLE_WORDS) and len(norm) <= 60


def _known(text: str) -> bool:
    """A cell that stands on its own as a label: header, category, form field, budget word."""
    key = re.sub(r"[(][^()]*[)]$", "", text_keys.normalize(text).strip("*:："))
    return bool(
        key in header_words.HEADER_NAMES
        or vocab.category_level(text)
        or header_words.form_field(text) is not None
        or header_words.budget_field(text) is not None
        or header_words.is_total_label(text)
    )


def _joined(parts: list[str]) -> str:
    return "".join(p.strip() for p in parts)


def join_fragments(tokens: list[Cell]) -> list[Cell]:
    """Join pieces of wrapped labels: 数量 + 指标, 年度 + 指标值, 偏差原因 + 分析及 + 改进措施."""
    out: list[Cell] = []
    i = 0
    while i < len(tokens):
        cell = tokens[i]
        taken = 1
        # Wrapped pieces are short: long cells and numbers are never joined (and cost nothing).
        if (
            0 < len(cell.text.strip()) <= _PIECE
            and not cell_shapes.is_number(cell.text)
            and not cell_shapes.is_placeholder(cell.text)
        ):
            for size in range(_MAX_JOIN, 1, -1):
                parts = tokens[i : i + size]
                if len(parts) < size or any(not 0 < len(p.text.strip()) <= _PIECE for p in parts):
                    continue
                if any(_is_annotation(p.text) for p in parts):
                    continue  # points and units attach to their label below, not as a join
                whole = _joined([p.text for p in parts])
                if _known(whole) and not all(_known(p.text) for p in parts):
                    cell = Cell(whole, cell.row, cell.col, cell.sheet)
                    taken = size
                    break
        if out and taken == 1 and _attaches(out[-1].text, cell.text):
            last = out[-1]
            out[-1] = Cell(last.text.strip() + cell.text.strip(), last.row, last.col, last.sheet)
        else:
            out.append(cell)
        i += taken
    return out


def _is_annotation(text: str) -> bool:
    piece = text.strip()
    return bool(_ANNOTATION.match(piece) or _SCORE_PIECE.match(piece))


def _attaches(previous: str, text: str) -> bool:
    """An annotation belonging to the label before it: 产出指标 + (50), 项目资金 + (万元)."""
    piece = text.strip()
    if not piece:
        return False
    if vocab.category_level(previous) and _SCORE_PIECE.match(piece):
        return not re.search(r"[(（].*[)）]|\d+分", previous)
    return bool(_ANNOTATION.match(piece) and _TOP_LABELS.match(text_keys.normalize(previous)))


def _opens_top_row(text: str, previous: str | None) -> bool:
    norm = text_keys.normalize(text)
    if header_words.form_field(text) is not None or header_words.is_fund_name(text):
        return True
    if _TOP_LABELS.match(norm) or _is_title(text) or _YEAR_LINE.match(norm):
        return True
    if _budget_word(text):
        return previous is None or not _budget_word(previous)
    return False


def _budget_word(text: str) -> bool:
    """A budget-block header cell (年初预算数, 全年执行数(B), 执行率, 分值 …), loosely matched."""
    norm = text_keys.normalize(text)
    return header_words.budget_field(text) is not None or (
        len(norm) <= 14 and bool(re.search(r"预算|执行|分值|权重|得分|原因", norm))
    )


def _is_core_header(text: str) -> bool:
    return text_keys.category_key(text).replace("*", "") in header_words.INDICATOR_HEADER_CORE


def rows_from_tokens(tokens: list[Cell], grid: Grid) -> list[list[Cell]]:  # noqa: C901, PLR0912, PLR0915
    """Group a flat stream of cells into table rows by meaning."""
    cells = join_fragments(tokens)
    rows: list[list[Cell]] = []
    row: list[Cell] = []
    columns: list[str] = []  # fields of an indicator row after its categories; empty above it
    in_header = False
    totalled = False  # a total was read: the form's table is over until the next form
    previous: str | None = None
    data: list[tuple[int, int]] = []  # rows read under an indicator header, and their width

    def close() -> None:
        nonlocal row
        if any(c.text.strip() for c in row):
            if columns and not in_header:
                data.append((len(rows), len(columns)))
            rows.append([Cell(c.text.strip(), c.row, n, c.sheet) for n, c in enumerate(row, 1)])
        row = []

    index = -1
    while index + 1 < len(cells):
        index += 1
        cell = cells[index]
        text = cell.text
        following = cells[index + 1].text if index + 1 < len(cells) else ""
        if in_header:
            fallback = _is_fallback(text)
            if _is_header_cell(text) or fallback or (len(row) >= 2 and _is_header_cell(following)):
                # A header cell, or a damaged piece between two (OCR: 年成值全完值).
                row.append(cell)
                previous = text
                continue
            in_header = False
            short = sum(1 for c in row if _is_header_cell(c.text) or _is_fallback(c.text)) < (
                _MIN_HEADER
            )
            if short and totalled:
                # Notes after a form's total name header words (一级指标分值…): plain text.
                close()
                row.append(cell)
                previous = text
                continue
            if short:
                # The header's words are scattered through the data (scrambled column order):
                # only rows whose shape leaves no doubt are read.
                header_cell = row[0]
                row = []
                found, used = _scattered(cells[index:], header_cell, grid)
                rows.extend(found)
                index += used - 1  # go on at the cell that ended the table
                previous = None
                continue
            if is_process_header([header_words.header_field(c.text) for c in row]):
                # A process scorecard: rows are told apart by their numbers.
                header_row = [Cell(c.text.strip(), c.row, n, c.sheet) for n, c in enumerate(row, 1)]
                close()
                found, used = anchored_rows(cells[index:], header_row, grid)
                rows.extend(found)
                index += used - 1
                previous = None
                continue
            columns = _content_columns(row)
            close()
        if _is_core_header(text) and (not columns or _is_header_cell(following)):
            # Header words printed just before the first core word (指标类型 指标名称 …) open
            # the header row with it.
            lead: list[Cell] = []
            while row and header_words.header_field(row[-1].text) not in (
                None,
                *header_words.PASSIVE_FIELDS,
            ):
                lead.insert(0, row.pop())
            close()
            in_header = True
            row.extend(lead)
            row.append(cell)
            previous = text
            continue
        if _opens_form(text):
            totalled = False
        elif columns and header_words.is_total_label(text):
            totalled = True
        if columns:
            if _opens_form(text) or (
                _TOP_LABELS.match(text_keys.normalize(text)) and not vocab.category_level(text)
            ):
                close()
                columns = []
            elif _opens_data_row(row, text, cells, index, columns):
                close()
        elif _opens_top_row(text, previous):
            close()
        row.append(cell)
        previous = text
    if in_header:
        columns = _content_columns(row)
    elif columns and _cut_short(row, columns):
        # The text ends inside an indicator row: its last cell may be cut. The cell is named
        # (its row and its column in the rebuilt row) for the form builder to leave out.
        codes.warn(grid, codes.CUT_OFF, row[-1].row, col=len(row))
    close()
    return even_out(rows, data)


def _cut_short(row: list[Cell], columns: list[str]) -> bool:
    if not row or header_words.is_total_label(row[0].text):
        return False
    content = [c for c in row if not (vocab.category_level(c.text) or _is_annotation(c.text))]
    # Trailing notes and descriptions are often left empty: a row without them is complete.
    needed = len(columns)
    while needed > 2 and columns[needed - 1] in ("note", *header_words.PASSIVE_FIELDS):
        needed -= 1
    return 1 < len(content) < needed and bool(row[-1].text.strip())


def _is_fallback(text: str) -> bool:
    return text_keys.category_key(text) in header_words.TARGET_FALLBACK


def _is_header_cell(text: str) -> bool:
    return header_words.header_field(text) is not None or _is_core_header(text)


# Header cells a real indicator header row holds at least (一级指标 二级指标 三级指标 …).
_MIN_HEADER = 3
# Canonical header names, in the order forms print them, for a header rebuilt from its words.
_CANONICAL = (
    ("name", "三级指标"),
    ("target", "年度指标值"),
    ("actual", "实际完成值"),
    ("weight", "分值"),
    ("score", "得分"),
)


def _scattered(cells: list[Cell], first: Cell, grid: Grid) -> tuple[list[list[Cell]], int]:
    """Rows of a table whose header words are scattered among its values.

    The header is rebuilt from the header words the text prints; a row is read only when it
    opens with a numbered name (指标1：) and holds exactly one value per column, weights and
    scores being numbers. Other stretches are reported (E147) and left out. Returns the rows
    and how many cells the table took (it ends at a total or at the next form).
    """
    used = next(
        (
            position
            for position, cell in enumerate(cells)
            if header_words.is_total_label(cell.text) or _opens_form(cell.text)
        ),
        len(cells),
    )
    cells = cells[:used]
    fields = {header_words.header_field(c.text) for c in cells if _is_header_cell(c.text)}
    header = [(f, name) for f, name in _CANONICAL if f in fields or f == "name"]
    values = [f for f, _ in header[1:]]
    rows: list[list[Cell]] = [
        [Cell(name, first.row, n, first.sheet) for n, (_, name) in enumerate(header, start=1)]
    ]
    segment: list[Cell] = []

    def settle() -> None:
        if not segment:
            return
        name, rest = segment[0], segment[1:]
        fits = (
            cell_shapes.is_name_like(name.text)
            and len(rest) == len(values)
            and not any(_is_header_cell(c.text) or vocab.category_level(c.text) for c in rest)
            and all(
                cell_shapes.is_number(c.text) == (f in ("weight", "score"))
                for c, f in zip(rest, values, strict=True)
            )
        )
        if fits:
            rows.append([Cell(c.text, c.row, n, c.sheet) for n, c in enumerate(segment, 1)])
        elif any(c.text.strip() for c in rest) or not cell_shapes.is_name_like(name.text):
            shown = " ".join(c.text for c in segment)[:40]
            codes.warn(grid, codes.BUNCHED, name.row, text=shown)
        segment.clear()

    for cell in cells:
        if vocab.category_level(cell.text):
            settle()  # the rebuilt header has no category columns: the label is not kept
            continue
        if cell_shapes.is_name_like(cell.text):
            settle()
        if cell.text.strip():
            segment.append(cell)
    settle()
    return rows, used


def _content_columns(header: list[Cell]) -> list[str]:
    """Fields of the indicator header after 一级 / 二级 (name, target, … note)."""
    fields = [header_words.header_field(c.text) for c in header]
    if "target" not in fields:
        fields = [
            "target" if _is_fallback(c.text) else f for c, f in zip(header, fields, strict=True)
        ]
    return [f for f in fields if f is not None and f not in ("level1", "level2")] or ["name"]


def _opens_form(text: str) -> bool:
    norm = text_keys.normalize(text)
    return header_words.form_field(text) is not None or (_is_title(text) and "指标" not in norm)


def _opens_data_row(
    row: list[Cell], text: str, cells: list[Cell], index: int, columns: list[str]
) -> bool:
    """Whether `text` starts a new indicator row rather than continuing `row`."""
    if not row:
        return False
    content = [
        c for c in row if not (vocab.category_level(c.text) or _SCORE_PIECE.match(c.text.strip()))
    ]
    stripped = text.strip()
    if header_words.is_total_label(text) or (stripped and _YEAR_LINE.match(stripped)):
        return True
    if vocab.category_level(text) or _SCORE_PIECE.match(stripped):
        return bool(content) or (
            bool(vocab.category_level(row[-1].text)) and _same_level(row, text)
        )
    if cell_shapes.is_name_like(text) or cell_shapes.is_placeholder(text):
        return bool(content)
    if len(content) < len(columns) - 1:
        return False
    if len(content) >= len(columns):
        return True
    if columns[-1] not in ("note", *header_words.PASSIVE_FIELDS):
        return False
    # One column left (the note): a blank cell or text before a row opener is the note; text
    # followed by more cells is the next row's name.
    if not stripped:
        return False
    following = next((c.text for c in cells[index + 1 :] if c.text.strip()), None)
    if following is None:
        return False
    return not (
        vocab.category_level(following)
        or header_words.is_total_label(following)
        or cell_shapes.is_name_like(following)
        or cell_shapes.is_placeholder(following)
    )


def _same_level(row: list[Cell], text: str) -> bool:
    """Two category cells in a row at the same level mean the second opens a new row."""
    last = vocab.preferred_level(row[-1].text)
    return (last is not None and last == vocab.preferred_level(text)) or len(row) >= 2
