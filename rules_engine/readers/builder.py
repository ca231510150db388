"""The form builder: turn a cell grid into forms — header fields, budget block, indicators, totals.

Rules the builder keeps (see docs/input-formats.md):

- An indicator table starts at a header row naming at least two of 一级指标 / 二级指标 / 三级指标 /
  指标名称 … (matched tolerantly: traditional characters, ``指標(biāo)`` residue, full-width
  punctuation, score annotations). A row right under it that names 指标性质 / 指标值 / 度量单位
  splits the target into operator, value and unit, joined back with no spaces.
- Each row's cells are placed into the header's columns by meaning (`placement.place`), so rows
  shifted by a missing or merged cell land in the right fields. 一级 and 二级 are filled down; a new
  一级 starts a new 二级 group.
- ``source`` of an indicator line is the position of the leftmost cell of its row that was placed
  into a field; ``cells`` maps every field read to the cell it came from (filled-down 一级 and 二级
  point at the cell they were filled from, a target joined from operator / value / unit at its
  first part, a 一级 restored from its 二级 at that 二级 cell).
- Cells that cannot be placed with certainty are left out and reported as warnings; no value is
  ever guessed.

Helpers: `table_header` (header rows), `table_rows` (the rows under it), `indicator_line` (one
line from a placed row), `cell_fit` (what a cell's text can be), `placement` (the search),
`form_head` (title, header fields, kind, budget), `vocabulary` (the words).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from rules_engine.bounded import within
from rules_engine.diagnostics import Diagnostic, UserError, define
from rules_engine.model import BudgetRow, Form, IndicatorLine, Total
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers import cell_shapes, gate, text_keys
from rules_engine.readers.form_head import (
    YEAR_LINE,
    header_fields,
    kind_of,
    notice_year,
    read_budget,
    title_in,
    year_after,
)
from rules_engine.readers.grid import Cell, Grid
from rules_engine.readers.layout_codes import CUT_OFF
from rules_engine.readers.row_cells import process_line
from rules_engine.readers.table_header import Header, find_headers, score_column_from_top
from rules_engine.readers.table_rows import UNCERTAIN_CELL, Lines, read_lines, warn

NO_HEADER = define(
    "E100",
    "找不到指标表头：没有哪一行写着「一级指标」「二级指标」「三级指标」或「指标名称」",
    "no indicator header found: no row names 一级指标, 二级指标, 三级指标 or 指标名称",
    "确认文件是绩效自评表或绩效目标表；表头行应写出一级指标、二级指标、三级指标等列名，"
    "或用 --layout 指定版式。",
    "Check that the file is a performance form; its header row must name the columns "
    "(一级指标, 二级指标, 三级指标 …), or force the layout with --layout.",
)
LAYOUT_NOTE = define(
    "E104",
    "版式读取提示：{text}",
    "layout reader: {text}",
    "版式读取时有单元格无法还原；请对照原表核对。",
    "The layout reader could not recover some cells; check them against the original form.",
    severity="warning",
)


def build_forms(grid: Grid) -> list[Form]:
    """Read every form in `grid`: one per indicator header, with the rows above it as its header."""
    headers = find_headers(grid.rows)
    if not headers:
        raise UserError.one(NO_HEADER, file=grid.source, line=1, col=1)
    forms: list[Form] = []
    start = 0
    # Computed once per grid: per header it made files with many forms quadratic.
    last_row = max((k for k, row in enumerate(grid.rows) if any(c.text for c in row)), default=-1)
    for number, header in enumerate(headers):
        stop = headers[number + 1].index if number + 1 < len(headers) else len(grid.rows)
        top = grid.rows[start : header.index]
        score_column_from_top(header, top)
        read = read_lines(grid, header, stop, last_row)
        last = number + 1 == len(headers)
        form = _assemble(grid, header, top, read, first=number == 0, last=last)
        if forms and _is_second_block(form):
            # A second target block of the same form (年度绩效目标2), not a form of its own.
            form = _join(forms.pop(), form)
        forms.append(form)
        start = read.end
    return forms


def _is_second_block(form: Form) -> bool:
    """A table with nothing above it but block labels: no title, header field or budget."""
    heads = (form.title, form.project, form.department, form.unit, form.year)
    return all(value is None for value in heads) and not form.budget


def _join(first: Form, second: Form) -> Form:
    diagnostics = [*first.diagnostics, *second.diagnostics]
    lines = [*first.indicators, *second.indicators]
    return first.model_copy(
        update={
            "indicators": lines,
            "process": [*first.process, *second.process],
            "total": second.total or first.total,
            "warnings": [*first.warnings, *second.warnings],
            "diagnostics": diagnostics,
            "reliability": gate.reliability(diagnostics, len(lines) + len(first.process)),
        }
    )


def _settle_total(read: Lines, budget: Sequence[BudgetRow]) -> Total | None:
    """A totals row printing one number: the weight if it is the weights' sum, the score if it is
    the scores' sum (budget block included), else nothing."""
    cell = read.lone_total
    if cell is None:
        return read.total
    value = _decimal(cell.text)
    head = budget[0] if budget else None
    sums: dict[str, Decimal] = {}
    for key in ("weight", "score"):
        parts = [getattr(line, key) for line in read.lines]
        parts.append(getattr(head, key) if head is not None else None)
        numbers = [_decimal(p) for p in parts if p is not None]
        sums[key] = sum((n for n in numbers if n is not None), Decimal(0))
    hits = [key for key, total in sums.items() if value is not None and total == value]
    if len(hits) != 1:
        return Total()
    return Total(**{hits[0]: _blank(cell.text)})


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().removesuffix("分"))
    except InvalidOperation:
        return None
    return value if within(value) else None


# --- the form ------------------------------------------------------------------------------


def _assemble(
    grid: Grid,
    header: Header,
    top: Sequence[Sequence[Cell]],
    read: Lines,
    *,
    first: bool,
    last: bool,
) -> Form:
    found, used = header_fields(top)
    title: str | None = None
    year: int | None = None
    titled = ""  # the cell the title was found in
    for row in top:
        for cell in row:
            if not cell.text or cell in used:
                continue
            # The heading nearest the table wins over page titles printed above it.
            heading = title_in(cell.text)
            if heading is not None:
                title, titled = heading, cell.text
            if year is None and YEAR_LINE.match(text_keys.normalize(cell.text)):
                year = cell_shapes.year_in(cell.text)
    if title is not None:
        year = cell_shapes.year_in(title) or year_after(title, titled) or year
    if year is None:
        year = notice_year(top)
    kind = kind_of(title, header)
    budget = read_budget(top, targets=kind == "targets-only", packed=not grid.tabular)
    diagnostics = list(read.diagnostics)
    if read.lone_total is not None and _settle_total(read, budget) == Total():
        diagnostics.append(warn(grid, UNCERTAIN_CELL, read.lone_total))
    if first and grid.diagnostics:
        diagnostics[:0] = grid.diagnostics
    elif first:
        notes = [
            Diagnostic(code=LAYOUT_NOTE, args={"text": note}, severity="warning", file=grid.source)
            for note in grid.warnings
        ]
        diagnostics[:0] = notes
    context = gate.Context(
        source=grid.source,
        has_target=header.has("target") or header.has("value"),
        tabular=grid.tabular,
        # The file may end inside the last row: the table runs to the file's end, no total.
        cut_last=last
        and (
            any(d.code == CUT_OFF for d in grid.diagnostics)
            or (read.end >= len(grid.rows) and read.total is None and read.lone_total is None)
        ),
    )
    if header.process:
        rows = [
            process_line(line, extra) for line, extra in zip(read.lines, read.passive, strict=True)
        ]
        process, dropped = gate.check_process(rows, context)
        lines: list[IndicatorLine] = []
    else:
        process = []
        lines, dropped = gate.check_lines(read.lines, context)
    diagnostics.extend(dropped)
    return Form(
        kind=kind,
        title=title,
        project=found.get("project"),
        department=found.get("department"),
        unit=found.get("unit"),
        year=year,
        budget=budget,
        indicators=lines,
        process=process,
        total=_settle_total(read, budget),
        warnings=[str(diag) for diag in diagnostics],
        reliability=gate.reliability(diagnostics, len(lines) + len(process)),
        file=grid.source,
        diagnostics=diagnostics,
    )
