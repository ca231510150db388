"""Collect the forms to replay from files and folders: form files via the readers, JSON as is."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from rules_engine.diagnostics import UserError, define
from rules_engine.model import Document, Form
from rules_engine.readers.form_shape import form_data

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
