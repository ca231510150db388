"""Collect the forms to replay from files and folders: form files via the readers, JSON as is."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rules_engine.diagnostics import UserError, define
from rules_engine.model import (
    BUDGET_FIELDS,
    INDICATOR_FIELDS,
    PROCESS_FIELDS,
    Document,
    Form,
)

NO_FORMS = define(
    "E560",
    "找不到表格文件：{path}",
    "no form file found at {path}",
    "请给出表格文件或存放表格的文件夹。",
    "give a form file or a folder that holds form files.",
)
BAD_FORM_JSON = define(
    "E561",
    "无法读取 JSON 表格 {path}：{detail}",
    "cannot read the JSON form {path}: {detail}",
    'JSON 表格应为 `parse --format json` 的输出形状：{{"forms": [...]}} 或单张表。',
    'a JSON form has the shape `parse --format json` prints: {{"forms": [...]}} or one form.',
)

# Suffixes of form files a folder is searched for (JSON is a form already read).
FORM_SUFFIXES = (".txt", ".tsv", ".csv", ".md", ".html", ".htm", ".xlsx", ".xls", ".docx", ".json")


def form_files(paths: Iterable[str | Path]) -> list[Path]:
    """Expand folders into the form files they hold, sorted, so replays are deterministic."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in FORM_SUFFIXES
                )
            )
        elif path.is_file():
            found.append(path)
        else:
            raise UserError.one(NO_FORMS, 2, path=str(path))
    return found


def form_from_data(data: dict[str, Any], file: str | None = None) -> Form:
    """Build a Form from its JSON shape, ignoring fields the model does not know (labels' notes)."""
    clean = form_data(data, lenient=True)
    if file is not None:
        clean.setdefault("file", file)
    return Form.model_validate(clean)


# The cell fields of each part of a form, which hold text as printed.
_SECTIONS: dict[str, tuple[str, ...]] = {
    "indicators": (*INDICATOR_FIELDS, "source", "cells", "marks"),
    "process": (*PROCESS_FIELDS, "source", "cells"),
    "budget": (*BUDGET_FIELDS, "source"),
}
_POSITIONS = ("source", "cells", "marks")


def form_data(data: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
    """A form's JSON shape made ready for the model: numbers given as numbers become the text
    they print as (``10`` → ``"10"``), and a missing ``kind`` is inferred.

    Forms written by hand or exported by another system need no cell positions and may give
    numbers as numbers. With `lenient`, fields the model does not know are dropped (labels
    carry notes); otherwise they are left for the model to reject with their path.
    """
    known = set(Form.model_fields)
    out = {k: v for k, v in data.items() if not lenient or k in known}
    for section, fields in _SECTIONS.items():
        rows = out.get(section)
        if isinstance(rows, list):
            out[section] = [_row(row, fields, lenient) for row in rows]
    total = out.get("total")
    if isinstance(total, dict):
        out["total"] = _row(total, ("weight", "score"), lenient)
    if "kind" not in out:
        out["kind"] = infer_kind(out.get("indicators"))
    return out


def _row(row: Any, fields: tuple[str, ...], lenient: bool) -> Any:
    if not isinstance(row, dict):
        return row  # the model says what is wrong with it, and where
    return {
        k: v if k in _POSITIONS else _text(v) for k, v in row.items() if not lenient or k in fields
    }


def infer_kind(lines: Any) -> str:
    """A form that gives no kind: a target table when no line has an actual or a score."""
    rows = [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []
    reported = any(line.get("actual") is not None or line.get("score") is not None for line in rows)
    return "targets-only" if rows and not reported else "project-self-evaluation"


def _text(value: Any) -> Any:
    # YAML and JSON hand numbers over as numbers; a form cell is always the text as printed.
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return value
    return str(value)


def read_json_forms(path: Path) -> Document:
    """Read a JSON file holding ``{"forms": [...]}``, one form, or a corpus label; the file is
    opened and decoded by the readers' one door (a plain file within the limits)."""
    from rules_engine.readers.encoding import decode  # noqa: PLC0415 - readers load lazily
    from rules_engine.readers.load import read_bytes  # noqa: PLC0415

    text = decode(read_bytes(path), str(path))
    try:
        data = json.loads(text, parse_float=str, parse_int=str)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        raw = data["forms"] if "forms" in data else [data, *data.get("more_forms", [])]
        return Document(forms=[form_from_data(f, str(path)) for f in raw])
    except (OSError, ValueError, KeyError, TypeError, ValidationError) as exc:
        detail = str(exc).splitlines()[0]
        raise UserError.one(BAD_FORM_JSON, 2, path=str(path), detail=detail) from None


def read_forms(path: Path) -> Document:
    """Read one form file: JSON directly, anything else through the readers."""
    if path.suffix.lower() == ".json":
        return read_json_forms(path)
    from rules_engine.readers.load import read_document  # noqa: PLC0415 - readers load lazily

    return read_document(path)
