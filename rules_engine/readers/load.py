"""Read one form file of any supported format into a `Document`; reading never writes anything.

Formats, chosen by suffix (content decides for unknown suffixes):

- ``.txt`` / ``.tsv`` and other text: every layout the text may be in is read, the best reading
  kept (`choice.read_text`);
- ``.json`` / ``.yaml`` / ``.yml``: the ``parse --format json`` shape ``{"forms": [...]}``;
- ``.csv``: with the JSON field names as columns (``level1, level2, name, target, actual, weight,
  score, note``, plus optional ``kind, title, project, department, unit, year``) one indicator line
  per row; any other CSV (a form saved as CSV, Chinese headers 一级指标 …) is read like a text grid;
- ``.xlsx`` / ``.xlsm`` / ``.xls`` and ``.docx``: the Excel and Word readers, then the builder.

Text bytes are UTF-8 (with or without BOM), else GB18030.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rules_engine.diagnostics import UserError, define, os_reason
from rules_engine.formset import form_data, infer_kind
from rules_engine.model import INDICATOR_FIELDS, Document, Form, IndicatorLine, Position
from rules_engine.model import blank_to_none as _blank
from rules_engine.readers.builder import build_forms
from rules_engine.readers.choice import read_text
from rules_engine.readers.figures import check_figures
from rules_engine.readers.grid import Cell, Grid

UNKNOWN_FORMAT = define(
    "E170",
    "不支持的文件格式「{suffix}」",
    "unsupported file format '{suffix}'",
    "可读取的格式：.txt .tsv .csv .json .yaml .yml .xlsx .xls .docx。",
    "readable formats: .txt .tsv .csv .json .yaml .yml .xlsx .xls .docx.",
)
EMPTY_FILE = define(
    "E171",
    "文件是空的",
    "the file is empty",
    "确认导出或复制时表格内容已写入文件。",
    "Check that the table was actually written to the file.",
)
IS_DIRECTORY = define(
    "E172",
    "这是一个文件夹，不是文件",
    "this is a folder, not a file",
    "给出一个表格文件；要读取整个文件夹请用 `rules-engine parse 文件夹`。",
    "Give a form file; to read a whole folder use `rules-engine parse FOLDER`.",
)
NOT_TEXT = define(
    "E173",
    "文件不是文本（第 {offset} 字节处有二进制内容）",
    "the file is not text (binary content at byte {offset})",
    "表格请另存为 .txt/.csv（UTF-8）或 .xlsx/.docx 后再读取。",
    "Save the form as .txt/.csv (UTF-8) or .xlsx/.docx and read that.",
)
BAD_ENCODING = define(
    "E174",
    "无法识别文件编码（既不是 UTF-8 也不是 GB18030，第 {offset} 字节处出错）",
    "cannot decode the file: neither UTF-8 nor GB18030 (fails at byte {offset})",
    "用文本编辑器把文件另存为 UTF-8 编码。",
    "Save the file as UTF-8 in a text editor.",
)
BAD_JSON = define(
    "E175",
    "JSON 格式错误：{detail}",
    "invalid JSON: {detail}",
    'JSON 应是 `parse --format json` 输出的形状：{{"forms": [...]}}。',
    'JSON must have the shape printed by `parse --format json`: {{"forms": [...]}}.',
)
BAD_YAML = define(
    "E176",
    "YAML 格式错误：{detail}",
    "invalid YAML: {detail}",
    "YAML 应与 `parse --format json` 的输出结构相同（forms 列表）。",
    "YAML must have the same structure as `parse --format json` output (a forms list).",
)
BAD_SHAPE = define(
    "E177",
    "内容不符合表单结构：{where}：{detail}",
    "content does not match the form structure: {where}: {detail}",
    "对照 `rules-engine parse 示例表 --format json` 的输出检查字段名和取值。",
    "Compare field names and values with the output of `rules-engine parse FORM --format json`.",
)
UNREADABLE = define(
    "E178",
    "无法读取文件：{reason_zh}",
    "cannot read the file: {reason_en}",
    "确认路径正确、文件存在且有读取权限。",
    "Check that the path is right, the file exists and can be read.",
)
NO_FORMS = define(
    "E179",
    "文件夹中没有可读取的表格文件",
    "the folder holds no form files",
    "可读取的格式：.txt .tsv .csv .json .yaml .yml .xlsx .xls .docx。",
    "readable formats: .txt .tsv .csv .json .yaml .yml .xlsx .xls .docx.",
)

TEXT_SUFFIXES = frozenset({".txt", ".tsv", ".text", ".md"})
DATA_SUFFIXES = frozenset({".json", ".yaml", ".yml", ".csv"})
BOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
WORD_SUFFIXES = frozenset({".docx"})
SUFFIXES = TEXT_SUFFIXES | DATA_SUFFIXES | BOOK_SUFFIXES | WORD_SUFFIXES
# Suffixes of files that are surely not forms, refused without reading them.
_BINARY_SUFFIXES = frozenset({".pdf", ".doc", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".rar"})
# Tabs, line ends and form feeds are text; other C0 controls and DEL mean binary content.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# CSV columns for the form itself, beside the indicator fields.
_FORM_COLUMNS = ("kind", "title", "project", "department", "unit", "year")


def form_files(folder: Path) -> list[Path]:
    """Every form file under `folder` (any depth), sorted; an empty folder raises `NO_FORMS`."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    if not files:
        raise UserError.one(NO_FORMS, file=str(folder))
    return files


def read_document(path: Path, layout: str | None = None) -> Document:
    """Read the forms in `path` (any supported format); bad input raises `UserError` (exit 2).

    Every number cell is checked against the engine's bounds on the way out (`check_figures`).
    """
    document = _read_document(path, layout)
    checked = [check_figures(form, str(path)) for form in document.forms]
    if all(a is b for a, b in zip(checked, document.forms, strict=True)):
        return document
    return Document(forms=checked, context=document.context)


def _read_document(path: Path, layout: str | None) -> Document:
    where = str(path)
    if path.is_dir():
        raise UserError.one(IS_DIRECTORY, file=where)
    suffix = path.suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise UserError.one(UNKNOWN_FORMAT, file=where, suffix=suffix)
    try:
        if suffix in BOOK_SUFFIXES or suffix in WORD_SUFFIXES:
            if not path.is_file():
                raise FileNotFoundError(where)
            return _read_office(path, suffix)
        data = path.read_bytes()
    except OSError as exc:
        zh, en = os_reason(exc)
        raise UserError.one(UNREADABLE, file=where, reason_zh=zh, reason_en=en) from None
    text = decode(data, where, known=suffix in SUFFIXES)
    if not text.strip():
        raise UserError.one(EMPTY_FILE, file=where)
    if suffix == ".json":
        return _validate(_load_json(text, where), where)
    if suffix in (".yaml", ".yml"):
        return _validate(_load_yaml(text, where), where)
    if suffix == ".csv":
        return _read_csv(text, where)
    return Document(forms=read_text(text, where, layout), context=text[:CONTEXT_LIMIT])


def decode(data: bytes, where: str, known: bool = True) -> str:
    """Bytes to text: UTF-8 (BOM or not), else GB18030; binary content is refused."""
    if not data:
        raise UserError.one(EMPTY_FILE, file=where)
    nul = data.find(b"\x00")
    if nul >= 0:
        code = NOT_TEXT if known else UNKNOWN_FORMAT
        raise UserError.one(code, file=where, offset=nul, suffix=Path(where).suffix or "?")
    text = _decoded(data.removeprefix(b"\xef\xbb\xbf"), "utf-8")
    if text is None:
        text = _decoded(data, "gb18030")
    if text is None:
        offset = _first_bad_byte(data)
        raise UserError.one(BAD_ENCODING, file=where, offset=offset)
    control = _CONTROL.search(text)
    if control is not None:
        bad = control.start()
        code = NOT_TEXT if known else UNKNOWN_FORMAT
        offset = len(text[:bad].encode("utf-8"))
        raise UserError.one(code, file=where, offset=offset, suffix=Path(where).suffix or "?")
    return text


def _decoded(data: bytes, encoding: str) -> str | None:
    """`data` in `encoding`, or None; a file cut inside its last character still reads."""
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3 and exc.end == len(data):
            try:
                return data[: exc.start].decode(encoding)
            except UnicodeDecodeError:
                return None
        return None


def _first_bad_byte(data: bytes) -> int:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return exc.start
    return 0


# How much of a file's text a document keeps to choose its policy by the places it names.
CONTEXT_LIMIT = 1 << 16


def _context(grids: list[Grid]) -> str:
    """The first `CONTEXT_LIMIT` characters of the cells' text, in reading order."""
    parts: list[str] = []
    size = 0
    for grid in grids:
        for row in grid.rows:
            for cell in row:
                parts.append(cell.text)
                size += len(cell.text) + 1
                if size >= CONTEXT_LIMIT:
                    return "\n".join(parts)[:CONTEXT_LIMIT]
    return "\n".join(parts)


def _from_grids(grids: list[Grid]) -> Document:
    forms: list[Form] = []
    errors: list[UserError] = []
    for grid in grids:
        try:
            forms.extend(build_forms(grid))
        except UserError as exc:
            # What the layout reader could not recover explains why no form was found.
            errors.append(UserError([*exc.diagnostics, *grid.diagnostics], exc.exit_code))
    if not forms:
        if errors:
            raise errors[0]
        raise UserError.one(EMPTY_FILE, file=grids[0].source if grids else None)
    return Document(forms=forms, context=_context(grids))


def _read_office(path: Path, suffix: str) -> Document:
    # Imported lazily: the Excel and Word libraries are heavy and only these formats need them.
    if suffix in BOOK_SUFFIXES:
        module = "rules_engine.readers.excel"
    else:
        module = "rules_engine.readers.word"
    try:
        reader = importlib.import_module(module)
    except ImportError:
        raise UserError.one(UNKNOWN_FORMAT, file=str(path), suffix=suffix) from None
    if suffix in WORD_SUFFIXES:
        body: list[Grid] | str = reader.read_body(path)
        if isinstance(body, str):
            # Pasted text, no table.
            return Document(forms=read_text(body, str(path)), context=body[:CONTEXT_LIMIT])
        return _from_grids(body)
    grids: list[Grid] = reader.read(path)
    return _from_grids(grids)


def _load_json(text: str, where: str) -> Any:
    try:
        # Numbers keep the digits they were written with (8.60 stays 8.60).
        return json.loads(text, parse_float=str)
    except json.JSONDecodeError as exc:
        raise UserError.one(
            BAD_JSON, file=where, line=exc.lineno, col=exc.colno, detail=exc.msg
        ) from None
    except RecursionError:
        raise UserError.one(BAD_JSON, file=where, detail="nested too deeply") from None


def _load_yaml(text: str, where: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        raise UserError.one(BAD_YAML, file=where, line=line, col=col, detail=problem) from None
    except RecursionError:
        raise UserError.one(BAD_YAML, file=where, detail="nested too deeply") from None


def _validate(data: Any, where: str) -> Document:
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


def _read_csv(text: str, where: str) -> Document:
    try:
        rows = list(csv.reader(io.StringIO(text)))
    except csv.Error as exc:
        raise UserError.one(BAD_SHAPE, file=where, where="csv", detail=str(exc)) from None
    header = [cell.strip() for cell in rows[0]] if rows else []
    if "name" not in header:
        # A form saved as CSV (its own Chinese headers): read it like any other table.
        grid = Grid(rows=[], source=where, layout="csv", tabular=True)
        grid.rows = [
            [Cell(text.strip(), row_no, col_no) for col_no, text in enumerate(row, start=1)]
            for row_no, row in enumerate(rows, start=1)
        ]
        return _from_grids([grid])
    unknown = [h for h in header if h and h not in INDICATOR_FIELDS and h not in _FORM_COLUMNS]
    if unknown:
        raise UserError.one(
            BAD_SHAPE, file=where, line=1, where="csv header", detail=f"unknown column {unknown[0]}"
        )
    groups: dict[tuple[str, ...], list[IndicatorLine]] = {}
    for row_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = {h: (row[i] if i < len(row) else "") for i, h in enumerate(header) if h}
        key = tuple(record.get(c, "").strip() for c in _FORM_COLUMNS)
        cells = {
            f: Position(row=row_no, col=header.index(f) + 1)
            for f in INDICATOR_FIELDS
            if f in record
        }
        line = IndicatorLine(
            **{f: _blank(record.get(f)) for f in INDICATOR_FIELDS},
            source=Position(row=row_no, col=header.index("name") + 1),
            cells=cells,
        )
        groups.setdefault(key, []).append(line)
    forms = [_csv_form(key, lines, where) for key, lines in groups.items()]
    if not forms:
        raise UserError.one(EMPTY_FILE, file=where)
    return Document(forms=forms)


def _csv_form(key: tuple[str, ...], lines: list[IndicatorLine], where: str) -> Form:
    values = dict(zip(_FORM_COLUMNS, key, strict=True))
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
                "year": int(year) if year.isdigit() else None,
                "indicators": lines,
                "file": where,
            }
        )
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(part) for part in first["loc"])
        raise UserError.one(BAD_SHAPE, file=where, where=path, detail=first["msg"]) from None
