"""Text layouts: find how a text file lays out its table and split it into cell grids."""

from __future__ import annotations

import re

from rules_engine.diagnostics import UserError
from rules_engine.readers import layout_codes as codes
from rules_engine.readers.grid import Cell, Grid
from rules_engine.readers.layout_glued import glued_tokens
from rules_engine.readers.layout_pipes import (
    PipeTable,
    leading_pipes,
    split_leading,
    split_pipes,
    trim,
)
from rules_engine.readers.layout_stream import rows_from_tokens
from rules_engine.readers.layout_tokens import (
    line_rows,
    line_tokens,
    paragraph_tokens,
    scrambled_rows,
)
from rules_engine.readers.text_keys import normalize as vocab_normal

LAYOUTS = (
    "tsv",
    "pipe-cell-per-line",
    "pipe-rows",
    "markdown",
    "paragraph-per-cell",
    "space-separated",
    "space-rows",
    "one-line",
    "glued",
    "pdf-scrambled",
)

# A line longer than this is cut before splitting: no real table cell is this long, and a runaway
# line (a binary blob, a minified page) must not make splitting slow.
MAX_LINE = 20_000
# Layouts whose rows are rebuilt by meaning, and how much of a text they read.
_BY_MEANING = frozenset(
    {"paragraph-per-cell", "space-separated", "space-rows", "one-line", "glued", "pdf-scrambled"}
)
MAX_REBUILT = 1_000_000
# How much of a file layout detection looks at.
DETECT_CHARS = 200_000
# Leading ``# key: value`` lines describe a collected file (source, title, year, layout note).
_META = re.compile(r"^#\s*(source|title|year|layout|note)\s*:", re.IGNORECASE)
_HEADER_WORDS = ("一级指标", "二级指标", "三级指标", "一級指標", "指標(biāo)")


def split_tsv(text: str, source: str) -> Grid:
    """Split tab-separated text: one line a row, one tab a cell boundary, empty cells kept."""
    rows: list[list[Cell]] = []
    for row_no, line in enumerate(text.splitlines(), start=1):
        cells = [
            Cell(text=part.strip(), row=row_no, col=col_no)
            for col_no, part in enumerate(line.split("\t"), start=1)
        ]
        rows.append(cells)
    return Grid(rows=rows, source=source, layout="tsv", tabular=True)


def _numbered_lines(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The file's lines with 1-based numbers (from `first_line`, for a part of a file), leading
    metadata lines skipped, runaway lines cut."""
    lines = text.splitlines()
    out: list[tuple[int, str]] = []
    body = False
    for no, line in enumerate(lines, start=first_line):
        if not body and _META.match(line):
            continue
        body = True
        out.append((no, line if len(line) <= MAX_LINE else line[:MAX_LINE]))
    return out


def detect_layout(text: str) -> str:  # noqa: PLR0911
    """Name the layout of `text` from how its lines look (see `LAYOUTS`).

    The table decides, not the page around it: whether cells are split by tabs or pipes is
    judged on the lines from a little above the indicator header on, when the text names one (a
    long notice before a table does not hide the table's layout). A huge file is looked at in its
    first `DETECT_CHARS` characters.
    """
    lines = [t for _, t in _numbered_lines(text[:DETECT_CHARS])]
    filled = [t for t in lines if t.strip()]
    if not filled:
        return "tsv"
    table = [t for t in _table_lines(lines) if t.strip()]
    tabbed = sum(1 for t in table if t.count("\t") >= 2)
    if (tabbed >= 3 and tabbed >= len(table) / 4) or (tabbed and tabbed >= len(table) / 2):
        return "tsv"
    piped = [t for t in table if "|" in t]
    if (len(piped) >= 5 and len(piped) >= len(table) / 3) or (
        len(piped) >= 2 and len(piped) >= len(table) / 2
    ):
        inner = sum(1 for t in piped if re.search(r"[^|\s]\s*\|\s*[^|\s]", t))
        lead = sum(1 for t in piped if t.startswith("|") and len(t.strip()) > 1)
        if leading_pipes([(0, t) for t in piped]):
            return "pipe-cell-per-line"
        if lead >= len(piped) / 3 and inner:
            return "markdown"
        if inner >= len(piped) / 4:
            return "pipe-rows"
        return "pipe-cell-per-line"
    body = "".join(filled)
    longest = max(filled, key=len)
    spaced = any(w in body for w in ("一级指标 二级指标", "二级指标 三级指标"))
    if len(longest) > 300 and not spaced and longest.count(" ") < len(longest) * 0.06:
        return "glued"
    blank = sum(1 for t in lines if not t.strip())
    if blank >= len(filled) * 0.6 and len(filled) > 20:
        return "paragraph-per-cell"
    if len(longest) > 800 and len(longest) > len(body) / 2:
        return "one-line"
    broken = sum(1 for t in filled if re.fullmatch(r"\s*(分|标|指|[(（]?\d+\s*分?[)）]?)\s*", t))
    if broken >= 3 and not spaced:
        return "pdf-scrambled"
    return "space-separated"


# Lines kept above the indicator header: the form's own header part (title, fields, budget).
_ABOVE_HEADER = 12
_CORE_WORDS = ("一级指标", "二级指标", "三级指标", "指标名称")


def _table_lines(lines: list[str]) -> list[str]:
    """The lines from a little above the first one naming an indicator header, or all lines."""
    first = next(
        (k for k, line in enumerate(lines) if any(w in vocab_normal(line) for w in _CORE_WORDS)),
        None,
    )
    if first is None:
        return lines
    start = max(0, first - _ABOVE_HEADER)
    # A header whose line holds the whole form (one line, glued) keeps the text as it is.
    return lines[start:] if len(lines) - start >= 3 else lines


def split_text(
    text: str, source: str, layout: str | None = None, first_line: int = 1
) -> list[Grid]:
    """Split a whole text file into grids (one per table found); `layout` forces a layout. A part
    of a larger file gives the number of its first line, so that rows keep the file's numbers."""
    if layout is not None and layout not in LAYOUTS:
        raise UserError.one(codes.UNKNOWN_LAYOUT, 2, layout=layout, known=", ".join(LAYOUTS))
    chosen = layout or detect_layout(text)
    grid = Grid(rows=[], source=source, layout=chosen)
    if chosen in _BY_MEANING and len(text) > MAX_REBUILT:
        # Rebuilding rows by meaning takes time per cell; no form is this long.
        cut = text.rfind("\n", 0, MAX_REBUILT)
        text = text[: cut if cut > 0 else MAX_REBUILT]
        codes.warn(grid, codes.TOO_LONG, line=text.count("\n") + first_line, limit=MAX_REBUILT)
    lines = _numbered_lines(text, first_line)
    if any(len(t) >= MAX_LINE for _, t in lines):
        codes.warn(grid, codes.LONG_LINE, limit=MAX_LINE)
    if chosen == "tsv":
        grid.tabular = True
        # Empty cells at a line's end carry nothing; interior ones keep the columns in place.
        grid.rows = [
            [
                Cell(part.strip(), no, col)
                for col, part in enumerate(line.rstrip("\t \r").split("\t"), start=1)
            ]
            for no, line in lines
            if line.strip()
        ]
    elif chosen in ("pipe-rows", "markdown"):
        table = split_pipes(lines, markdown=chosen == "markdown")
        grid.rows = table.rows if table.width else [r for r in map(trim, table.rows) if r]
        grid.tabular = table.width is not None
        _report_cut(grid, table, lines)
    elif chosen == "pipe-cell-per-line":
        _split_cell_lines(grid, lines)
    elif chosen == "paragraph-per-cell":
        grid.rows = rows_from_tokens(paragraph_tokens(lines), grid)
    elif chosen in ("space-separated", "one-line"):
        grid.rows = rows_from_tokens(line_tokens(lines), grid)
    elif chosen == "space-rows":
        grid.rows = line_rows(lines)
    elif chosen == "glued":
        grid.rows = rows_from_tokens(glued_tokens(lines, grid), grid)
    else:
        grid.rows = scrambled_rows(lines, grid)
    if not any(any(c.text for c in r) for r in grid.rows):
        codes.warn(grid, codes.NO_TABLE)
    return [grid]


def _split_cell_lines(grid: Grid, lines: list[tuple[int, str]]) -> None:
    if leading_pipes(lines):
        grid.rows = split_leading(lines)
        grid.tabular = True
        return
    table = split_pipes(lines)
    _report_cut(grid, table, lines)
    rows = table.rows
    if table.width is not None and table.width >= 2:
        grid.rows = rows
        grid.tabular = True
        return
    # No padding says where rows end: every cell stands alone, rows are rebuilt by meaning.
    tokens = [cell for row in rows for cell in row]
    grid.rows = rows_from_tokens(tokens, grid)


def _report_cut(grid: Grid, table: PipeTable, lines: list[tuple[int, str]]) -> None:
    """E145 where the file's end cut the table: at the cut cell when there is one."""
    if table.cut_cell is not None:
        cell = table.cut_cell
        codes.warn(grid, codes.CUT_OFF, line=cell.row, col=cell.col)
    elif table.cut:
        codes.warn(grid, codes.CUT_OFF, line=_last_line(table.rows, lines))


def _last_line(rows: list[list[Cell]], lines: list[tuple[int, str]]) -> int:
    """Where a cut table stops: its last cell, or else the file's last line."""
    if rows and rows[-1]:
        return rows[-1][-1].row
    return lines[-1][0] if lines else 1
