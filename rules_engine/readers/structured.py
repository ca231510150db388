"""Forms given as data: JSON and CSV with the JSON field names, validated into a `Document`
(YAML is read into plain data by `yaml_form`, then validated here).

JSON in the shape ``parse --format json`` prints is validated straight from its bytes (the fast
path); any other JSON (numbers as numbers, a form without ``kind``, one form alone) is loaded and
made ready first.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from rules_engine.diagnostics import UserError, define
from rules_engine.model import INDICATOR_FIELDS, Document, Form, IndicatorLine, Position
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers.form_shape import form_data, infer_kind
from rules_engine.readers.grid import Cell, Grid
from rules_engine.readers.limits import Limits

BAD_JSON = define(
    "E175",
    "JSON 格式错误：{detail}",
    "invalid JSON: {detail}",
    'JSON 应是 `parse --format json` 输出的形状：{{"forms": [...]}}。',
    'JSON must have the shape printed by `parse --format json`: {{"forms": [...]}}.',
)
BAD_SHAPE = define(
    "E177",
    "内容不符合表单结构：{where}：{detail}",
    "content does not match the form structure: {where}: {detail}",
    "对照 `rules-engine parse 示例表 --format json` 的输出检查字段名和取值。",
    "Compare field names and values with the output of `rules-engine parse FORM --format json`.",
)

# CSV columns for the form itself, beside the indicator fields.
FORM_COLUMNS = ("kind", "title", "project", "department", "unit", "year")
# Data nested deeper than this is no form (and would exhaust the stack of a recursive reader).
MAX_DEPTH = 64


def read_json(text: str, where: str) -> Document:
    """A JSON form file: the fast path for the shape `parse --format json` prints, else the
    lenient reading (numbers as numbers, one form alone, no ``kind``)."""
    try:
        return Document.model_validate_json(text)
    except ValidationError:
        pass  # not the printed shape, or not valid at all: the lenient reading says which
    try:
        # Numbers keep the digits they were written with (8.60 stays 8.60, 10**5000 is text).
        loaded = json.loads(text, parse_float=str, parse_int=str)
    except json.JSONDecodeError as exc:
        raise UserError.one(
            BAD_JSON, file=where, line=exc.lineno, col=exc.colno, detail=exc.msg
        ) from None
    except RecursionError:
        raise UserError.one(BAD_JSON, file=where, detail="nested too deeply") from None
    return validate(loaded, where)


def validate(data: Any, where: str) -> Document:
    """``{"forms": [...]}``, or one form alone (an object with ``indicators``)."""
    if isinstance(data, dict) and "forms" not in data and "indicators" in data:
        data = {"forms": [data]}
    if not isinstance(data, dict) or "forms" not in data:
        raise UserError.one(
            BAD_SHAPE, file=where, where="(top)", detail='expected an object with "forms"'
        )
    forms = data["forms"]
    if isinstance(forms, list):
        data = {**data, "forms": [form_data(f) if isinstance(f, dict) else f for f in forms]}
    try:
        return Document.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(part) for part in first["loc"]) or "(top)"
        raise UserError.one(BAD_SHAPE, file=where, where=path, detail=first["msg"]) from None


def csv_rows(text: str, where: str, limits: Limits) -> list[list[str]]:
    """The rows of a CSV text, within the limits on rows, columns and cell length."""
    rows: list[list[str]] = []
    try:
        for row_no, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            limits.check_rows(row_no, where, row_no)
            limits.check_columns(len(row), where, row_no)
            for col_no, cell in enumerate(row, start=1):
                limits.check_cell(cell, where, row_no, col_no)
            rows.append(row)
    except csv.Error as exc:
        raise UserError.one(BAD_SHAPE, file=where, where="csv", detail=str(exc)) from None
    return rows


def csv_grid(rows: list[list[str]], where: str) -> Grid | None:
    """A CSV that is a form saved as CSV (its own Chinese headers) as a grid to read like any
    table; None when its header names the JSON fields (one indicator line per row)."""
    header = [cell.strip() for cell in rows[0]] if rows else []
    if "name" in header:
        return None
    grid = Grid(rows=[], source=where, layout="csv", tabular=True)
    grid.rows = [
        [Cell(text.strip(), row_no, col_no) for col_no, text in enumerate(row, start=1)]
        for row_no, row in enumerate(rows, start=1)
    ]
    return grid


def csv_forms(rows: list[list[str]], where: str) -> Iterator[Form]:
    """The forms of a CSV with the JSON field names as columns, one per distinct form key."""
    header = [cell.strip() for cell in rows[0]]
    unknown = [h for h in header if h and h not in INDICATOR_FIELDS and h not in FORM_COLUMNS]
    if unknown:
        raise UserError.one(
            BAD_SHAPE, file=where, line=1, where="csv header", detail=f"unknown column {unknown[0]}"
        )
    groups: dict[tuple[str, ...], list[IndicatorLine]] = {}
    for row_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        key = tuple(record.get(c, "").strip() for c in FORM_COLUMNS)
        cells = {
            f: Position(row=row_no, col=header.index(f) + 1)
            for f in INDICATOR_FIELDS
            if f in record
        }
        marks = {
            f: text
            for f in ("target", "actual", "score")
            if (text := (record.get(f) or "").strip()) and _blank(text) is None
        }
        line = IndicatorLine(
            **{f: _blank(record.get(f)) for f in INDICATOR_FIELDS},
            source=Position(row=row_no, col=header.index("name") + 1),
            cells=cells,
            marks=marks,
        )
        groups.setdefault(key, []).append(line)
    for key, lines in groups.items():
        yield _csv_form(key, lines, where)


def _csv_form(key: tuple[str, ...], lines: list[IndicatorLine], where: str) -> Form:
    values = dict(zip(FORM_COLUMNS, key, strict=True))
    kind = values["kind"] or infer_kind([line.model_dump() for line in lines])
    year = values["year"]
    try:
        return Form.model_validate(
            {
                "kind": kind,
                "title": values["title"] or None,
                "project": values["project"] or None,
                "department": values["department"] or None,
                "unit": values["unit"] or None,
                "year": int(year) if year.isascii() and year.isdigit() and len(year) <= 4 else None,
                "indicators": lines,
                "file": where,
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        raise UserError.one(BAD_SHAPE, file=where, where=path, detail=first["msg"]) from None
