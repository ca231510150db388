"""Test helpers: workbooks and Word documents built from cell grids, corpus forms and the seed."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import docx
import openpyxl
import xlwt
from docx.table import Table
from openpyxl.utils import range_boundaries

from rules_engine.model import Document
from rules_engine.readers.excel import format_number
from rules_engine.readers.grid import Grid
from rules_engine.readers.layouts import split_text

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "000_111099e829c6ea1e.txt"

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.(\d+))?(%?)")

# The seed's merges as a person draws them in Excel: header values across their row, the
# 一级 / 二级 categories down their groups (rows are the TSV's line numbers).
SEED_MERGES = (
    "A3:I3",
    "B5:I5",
    "B6:D6",
    "F6:I6",
    "A7:A11",
    "A12:A13",
    "B12:D12",
    "E12:I12",
    "B13:D13",
    "E13:I13",
    "A14:A26",
    "B15:B21",
    "C15:C17",
    "C18:C20",
    "B23:B26",
    "A28:E28",
    "B29:I29",
    "A33:G33",
    "A34:G34",
    "A36:B36",
    "C36:G36",
    "A37:B37",
    "D37:E37",
    "A38:B38",
    "D38:E38",
    "A39:B39",
    "C39:G39",
    "A41:A45",
    "B41:C42",
    "D41:F41",
    "B43:C43",
    "B44:C44",
    "B45:C45",
    "A46:B46",
    "B47:G47",
    "A48:A70",
    "B49:B58",
    "B61:B70",
    "C49:C51",
    "C52:C54",
    "C55:C56",
    "C57:C58",
    "C61:C63",
    "C64:C66",
    "C67:C69",
    "A71:A74",
    "B71:B72",
)


_CODE = re.compile(r"\b[EW]\d{3}\b")


def comparable(document: Document) -> dict[str, Any]:
    """The ``parse --format json`` contract with positions aside.

    Cell positions (``source``, ``cells``), file names and the locations written into warnings
    differ between a text file and a workbook by nature; each warning is kept as its code.
    """

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: [_code(w) for w in v] if k == "warnings" else strip(v)
                for k, v in value.items()
                if k not in ("source", "cells", "file")
            }
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    result: dict[str, Any] = strip(document.model_dump(mode="json"))
    return result


def _code(warning: str) -> str:
    found = _CODE.search(warning)
    return found.group(0) if found else warning


def typed(text: str) -> tuple[object, str]:
    """The value and number format a person's typing of `text` leaves in a cell.

    Plain decimals become numbers (with as many decimals shown as typed) and ``95%`` a
    percentage-formatted fraction, exactly as Excel stores what is typed; anything that would
    not show back as the same text stays text.
    """
    match = _NUMBER.fullmatch(text)
    if match is None:
        return text, "General"
    decimals = len(match.group(1) or "")
    number = Decimal(text.rstrip("%"))
    if match.group(2):
        number /= 100
        fmt = "0" + ("." + "0" * decimals if decimals else "") + "%"
    else:
        fmt = "General" if not text.endswith("0") or decimals == 0 else "0." + "0" * decimals
    value: int | float = int(number) if number == number.to_integral_value() else float(number)
    if format_number(value, fmt) != text:
        return text, "General"
    return value, fmt


def rows_of(grid: Grid) -> list[list[str]]:
    """A grid's cell texts as the builder sees them: one list a row, one string a cell."""
    return [[cell.text for cell in row] for row in grid.rows]


def write_workbook(
    path: Path,
    sheets: dict[str, Sequence[Sequence[str]]],
    merges: dict[str, Sequence[str]] | None = None,
) -> Path:
    """Write one sheet per entry, each text typed into its cell; merge the given ranges."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, text in enumerate(row, start=1):
                if not text:
                    continue
                cell = sheet.cell(r, c)
                value, fmt = typed(text)
                cell.value = value
                cell.number_format = fmt
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # typed text such as "=100%", not a formula
        for ref in (merges or {}).get(name, ()):
            covered = [c for line in sheet[ref] for c in line][1:]
            assert all(c.value is None for c in covered), f"merge {ref} would hide a value"
            sheet.merge_cells(ref)
    book.save(path)
    return path


def seed_workbook(path: Path) -> Path:
    """The seed laid out exactly as its TSV: same rows and columns, merges a person would draw."""
    rows = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    # A person types the heading, not the markdown marker the web page export put before it.
    rows = [[cell.removeprefix("## ").strip() for cell in row] for row in rows]
    return write_workbook(path, {"自评表": rows}, {"自评表": SEED_MERGES})


def text_workbook(path: Path, text: str, sheet: str = "Sheet1") -> Path:
    """A workbook holding what the text layouts read from `text`, cell for cell."""
    sheets: dict[str, Sequence[Sequence[str]]] = {}
    for number, grid in enumerate(split_text(text, "text"), start=1):
        sheets[sheet if number == 1 else f"{sheet}-{number}"] = rows_of(grid)
    return write_workbook(path, sheets)


def put_cached_formula(path: Path, sheet_index: int, ref: str, formula: str, value: str) -> None:
    """Give cell `ref` a formula with a cached value, as Excel saves it (openpyxl cannot)."""
    part = f"xl/worksheets/sheet{sheet_index}.xml"
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    xml = parts[part].decode("utf-8")
    cell = f'<c r="{ref}"><f>{formula}</f><v>{value}</v></c>'
    pattern = re.compile(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)')
    if pattern.search(xml):
        xml = pattern.sub(cell, xml, count=1)
    else:
        raise AssertionError(f"cell {ref} must exist (write a placeholder value first)")
    parts[part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def write_docx(
    path: Path,
    blocks: Sequence[str | Sequence[Sequence[str]]],
    merges: Sequence[tuple[int, int, int, int, int]] = (),
) -> Path:
    """A Word document: strings are paragraphs, lists of rows are tables.

    `merges` are (table index, top row, left col, bottom row, right col), 0-based; the merged
    cell keeps the top-left text (python-docx would join all texts, so the others must be empty).
    """
    document = docx.Document()
    tables: list[Table] = []
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        width = max(len(row) for row in block)
        table = document.add_table(rows=len(block), cols=width)
        for r, row in enumerate(block):
            for c, text in enumerate(row):
                cell = table.cell(r, c)
                lines = text.split("\n")
                cell.paragraphs[0].text = lines[0]
                for line in lines[1:]:
                    cell.add_paragraph(line)
        tables.append(table)
    for index, top, left, bottom, right in merges:
        table = tables[index]
        first = table.cell(top, left)
        text = first.text
        for r in range(top, bottom + 1):
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    assert not table.cell(r, c).text, "a merge would join two texts"
        merged = first.merge(table.cell(bottom, right))
        merged.paragraphs[0].text = text.split("\n")[0]
        for extra in merged.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
    document.save(str(path))
    return path


def seed_docx(path: Path) -> Path:
    """The seed as a unit files it in Word: headings as paragraphs, each form's cells as tables.

    The first form is split into two tables (header and funding block, then the indicators), as
    Word forms often are; merges follow `SEED_MERGES` within each table.
    """
    lines = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [[cell.removeprefix("## ").strip() for cell in row] for row in lines]
    # (first TSV row, last TSV row) of each table; the rows between tables are headings.
    spans = ((5, 13), (14, 29), (36, 77))
    blocks: list[str | Sequence[Sequence[str]]] = []
    merges: list[tuple[int, int, int, int, int]] = []
    previous = 0
    for index, (first, last) in enumerate(spans):
        blocks.extend(line[0] for line in lines[previous : first - 1] if any(line) and line[0])
        blocks.append(lines[first - 1 : last])
        previous = last
        for ref in SEED_MERGES:
            left, top, right, bottom = range_boundaries(ref)
            if first <= top and bottom <= last:
                merges.append((index, top - first, left - 1, bottom - first, right - 1))
    return write_docx(path, blocks, merges)


def write_xls(
    path: Path,
    sheets: dict[str, Sequence[Sequence[str]]],
    merges: dict[str, Sequence[str]] | None = None,
    hidden: Sequence[str] = (),
) -> Path:
    """The same as `write_workbook`, saved as a legacy .xls (Excel 97-2003)."""
    book = xlwt.Workbook(encoding="utf-8")
    styles: dict[str, Any] = {}
    for name, rows in sheets.items():
        sheet = book.add_sheet(name)
        if name in hidden:
            sheet.visibility = 1
        spans = {}
        covered: set[tuple[int, int]] = set()
        for ref in (merges or {}).get(name, ()):
            left, top, right, bottom = range_boundaries(ref)
            spans[(top - 1, left - 1)] = (bottom - 1, right - 1)
            covered |= {(r, c) for r in range(top - 1, bottom) for c in range(left - 1, right)} - {
                (top - 1, left - 1)
            }
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                if (r, c) in covered:
                    assert not text, f"merge at row {r + 1} would hide a value"
                    continue
                value, fmt = typed(text) if text else ("", "General")
                style = styles.setdefault(fmt, xlwt.easyxf(num_format_str=fmt))
                if (r, c) in spans:
                    bottom, right = spans[(r, c)]
                    sheet.write_merge(r, bottom, c, right, value, style)
                elif text:
                    sheet.write(r, c, value, style)
    book.save(str(path))
    return path


def seed_xls(path: Path) -> Path:
    """The seed laid out as in `seed_workbook`, saved as a legacy .xls."""
    rows = [line.split("\t") for line in SEED.read_text(encoding="utf-8").splitlines()]
    rows = [[cell.removeprefix("## ").strip() for cell in row] for row in rows]
    return write_xls(path, {"自评表": rows}, {"自评表": SEED_MERGES})
