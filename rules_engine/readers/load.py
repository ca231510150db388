"""The one door every form file comes in by: the file opened once and checked (a plain file within
the limits), its format chosen, its text decoded, its reader run, its number cells checked.
Reading never writes anything.

Formats, chosen by suffix (content decides for unknown suffixes):

- ``.txt`` / ``.tsv`` and other text: every layout the text may be in is read, the best reading
  kept (`choice.read_text`);
- ``.json`` / ``.yaml`` / ``.yml``: the ``parse --format json`` shape ``{"forms": [...]}``;
- ``.csv``: with the JSON field names as columns (``level1, level2, name, target, actual, weight,
  score, note``, plus optional ``kind, title, project, department, unit, year``) one indicator line
  per row; any other CSV (a form saved as CSV, Chinese headers 一级指标 …) is read like a text grid;
- ``.xlsx`` / ``.xlsm`` / ``.xls`` and ``.docx``: the Excel and Word readers, then the builder.

Text bytes are UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text"), else
GB18030. FIFOs, devices and sockets are refused without being opened for reading.
"""

from __future__ import annotations

import importlib
import operator
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from rules_engine.diagnostics import Diagnostic, UserError, define, os_reason
from rules_engine.model import BUDGET_FIELDS, INDICATOR_FIELDS, PROCESS_FIELDS, Document, Form
from rules_engine.readers import structured
from rules_engine.readers.builder import build_forms
from rules_engine.readers.choice import read_text
from rules_engine.readers.encoding import EMPTY_FILE, UNKNOWN_FORMAT, decode
from rules_engine.readers.figures import check_figures
from rules_engine.readers.grid import Grid
from rules_engine.readers.limits import DEFAULT, Limits

IS_DIRECTORY = define(
    "E172",
    "这是一个文件夹，不是文件",
    "this is a folder, not a file",
    "给出一个表格文件；要读取整个文件夹请用 `rules-engine parse 文件夹`。",
    "Give a form file; to read a whole folder use `rules-engine parse FOLDER`.",
)
UNREADABLE = define(
    "E178",
    "无法读取文件：{reason_zh}",
    "cannot read the file: {reason_en}",
    "确认路径正确、文件存在且有读取权限（所在的每一层文件夹也要能进入）。",
    "Check that the path is right, the file exists and can be read (and every folder on the way"
    " can be entered).",
)
NO_FORMS = define(
    "E179",
    "文件夹中没有可读取的表格文件",
    "the folder holds no form files",
    "可读取的格式：.txt .tsv .csv .json .yaml .yml .xlsx .xls .docx。",
    "readable formats: .txt .tsv .csv .json .yaml .yml .xlsx .xls .docx.",
)
NOT_REGULAR = define(
    "E192",
    "这不是普通文件（{kind}），不读取",
    "this is not a regular file ({kind_en}); it is not read",
    "给出一个保存在磁盘上的表格文件；管道、设备和套接字不能作为表格读取。",
    "give a form file saved on disk; a pipe, a device or a socket cannot be read as a form.",
)
FOLDER_UNREADABLE = define(
    "E193",
    "无法进入文件夹：{reason_zh}，其中的表格未读取",
    "cannot enter the folder: {reason_en}; the forms in it were not read",
    "确认这个文件夹有读取和进入的权限后重新运行。",
    "make sure this folder can be read and entered, then run again.",
)

TEXT_SUFFIXES = frozenset({".txt", ".tsv", ".text", ".md"})
DATA_SUFFIXES = frozenset({".json", ".yaml", ".yml", ".csv"})
BOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls"})
WORD_SUFFIXES = frozenset({".docx"})
SUFFIXES = TEXT_SUFFIXES | DATA_SUFFIXES | BOOK_SUFFIXES | WORD_SUFFIXES
# Suffixes of files that are surely not forms, refused without reading them.
_BINARY_SUFFIXES = frozenset({".pdf", ".doc", ".png", ".jpg", ".jpeg", ".gif", ".zip", ".rar"})
# What a file that is not a regular file is, in both languages.
_KINDS = (
    (stat.S_ISFIFO, "命名管道", "a named pipe"),
    (stat.S_ISCHR, "字符设备", "a character device"),
    (stat.S_ISBLK, "块设备", "a block device"),
    (stat.S_ISSOCK, "套接字", "a socket"),
)
# How much of a file's text a document keeps to choose its policy by the places it names.
CONTEXT_LIMIT = 1 << 16
# A text file larger than this (some 10,000 rows; no single form comes near) is read in parts.
STREAM_FROM = 4 << 20


# --- folders -----------------------------------------------------------------------------------


@dataclass
class Found:
    """The form files under a folder, and the folders in it that could not be entered."""

    files: list[Path]
    problems: list[Diagnostic]


def find_forms(folder: Path) -> Found:
    """Every form file under `folder` (any depth, symbolic links to folders not followed),
    sorted; a folder that cannot be entered is a problem (E193), never skipped in silence."""
    files: list[Path] = []
    problems: list[Diagnostic] = []

    def refused(exc: OSError) -> None:
        zh, en = os_reason(exc)
        where = exc.filename if isinstance(exc.filename, str) else str(folder)
        args = {"reason_zh": zh, "reason_en": en}
        problems.append(Diagnostic(code=FOLDER_UNREADABLE, args=args, file=where))

    for top, _folders, names in os.walk(folder, onerror=refused):
        for name in names:
            path = Path(top) / name
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
    files.sort()
    problems.sort(key=lambda d: d.file or "")
    return Found(files, problems)


def is_folder(path: Path) -> bool:
    """Whether `path` is a folder; a path that cannot even be looked at is taken for a file, so
    that reading it says why (E178) instead of failing here."""
    try:
        return path.is_dir()
    except OSError:
        return False


def form_files(folder: Path) -> list[Path]:
    """Every form file under `folder`, sorted; a folder without any raises `NO_FORMS`, and one
    that holds a folder that cannot be entered raises that (E193)."""
    found = find_forms(folder)
    if found.problems:
        raise UserError(found.problems)
    if not found.files:
        raise UserError.one(NO_FORMS, file=str(folder))
    return found.files


# --- files -------------------------------------------------------------------------------------


def read_document(path: Path, layout: str | None = None, limits: Limits = DEFAULT) -> Document:
    """Read the forms in `path` (any supported format); bad input raises `UserError` (exit 2).

    Every number cell is checked against the engine's bounds on the way out (`check_figures`).
    A large text file is read in parts (`read_parts`), gathered here into one document.
    """
    documents = read_parts(path, layout, limits)
    first = next(documents)
    rest = [form for part in documents for form in part.forms]
    if not rest:
        return first
    return Document(forms=[*first.forms, *rest], context=first.context)


def read_parts(
    path: Path, layout: str | None = None, limits: Limits = DEFAULT
) -> Iterator[Document]:
    """The forms in `path` as one document, or, for a text file larger than `STREAM_FROM`, as a
    document per part (`text_parts`), read one after another in the memory of one part."""
    where = str(path)
    suffix = path.suffix.lower()
    if suffix in _BINARY_SUFFIXES:
        raise UserError.one(UNKNOWN_FORMAT, file=where, suffix=suffix)
    with _open(path, where, limits) as handle:
        text = suffix not in DATA_SUFFIXES | BOOK_SUFFIXES | WORD_SUFFIXES
        if text and os.fstat(handle.fileno()).st_size > STREAM_FROM:
            from rules_engine.readers import text_parts  # noqa: PLC0415

            known = suffix in TEXT_SUFFIXES
            for part in text_parts.parts(handle, where, layout, limits, known=known):
                yield _checked(part, where, suffix, limits)
            return
        data = _read_all(handle, where, limits)
    yield _checked(_read(data, where, suffix, layout, limits), where, suffix, limits)


def _checked(document: Document, where: str, suffix: str, limits: Limits) -> Document:
    if suffix in (".json", ".yaml", ".yml"):
        for form in document.forms:
            _check_form(form, where, limits)
    checked = [check_figures(form, where) for form in document.forms]
    if all(a is b for a, b in zip(checked, document.forms, strict=True)):
        return document
    return Document(forms=checked, context=document.context)


def read_bytes(path: Path, limits: Limits = DEFAULT) -> bytes:
    """The bytes of a plain file within the input size limit; anything else raises a coded
    error: a folder (E172), a FIFO, device or socket (E192), too big (E187), unreadable (E178).

    A FIFO or device is refused by what `stat` says, before it is opened: a FIFO would block,
    and ``/dev/zero`` would never end.
    """
    where = str(path)
    with _open(path, where, limits) as handle:
        return _read_all(handle, where, limits)


def _read_all(handle: BinaryIO, where: str, limits: Limits) -> bytes:
    try:
        data = handle.read(limits.input_bytes + 1)
    except OSError as exc:
        raise unreadable(where, exc) from None
    limits.check_size(len(data), where)  # the file may have grown since it was looked at
    return data


def _open(path: Path, where: str, limits: Limits) -> BinaryIO:
    """The file opened for reading, once it is known to be a plain file within the size limit."""
    try:
        status = path.stat()
        _check_kind(status.st_mode, where)
        limits.check_size(status.st_size, where)
        # Non-blocking, so that a file swapped for a FIFO after `stat` cannot block the open.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
        handle = os.fdopen(fd, "rb")
        try:
            status = os.fstat(handle.fileno())
            _check_kind(status.st_mode, where)
            limits.check_size(status.st_size, where)
        except BaseException:
            handle.close()
            raise
    except OSError as exc:
        raise unreadable(where, exc) from None
    return handle


def unreadable(where: str, exc: OSError) -> UserError:
    """E178 for a file the system would not let us read, with its reason in both languages."""
    if isinstance(exc, IsADirectoryError):
        return UserError.one(IS_DIRECTORY, file=where)
    zh, en = os_reason(exc)
    return UserError.one(UNREADABLE, file=where, reason_zh=zh, reason_en=en)


def _check_kind(mode: int, where: str) -> None:
    if stat.S_ISDIR(mode):
        raise UserError.one(IS_DIRECTORY, file=where)
    for test, zh, en in _KINDS:
        if test(mode):
            raise UserError.one(NOT_REGULAR, file=where, kind=zh, kind_en=en)


def _read(data: bytes, where: str, suffix: str, layout: str | None, limits: Limits) -> Document:
    if suffix in BOOK_SUFFIXES or suffix in WORD_SUFFIXES:
        return _read_office(data, where, suffix, limits)
    text = decode(data, where, known=suffix in SUFFIXES)
    del data
    if not text.strip():
        raise UserError.one(EMPTY_FILE, file=where)
    if suffix == ".json":
        return structured.read_json(text, where)
    if suffix in (".yaml", ".yml"):
        # Imported lazily, as the office readers are: only YAML forms need PyYAML.
        yaml_form = importlib.import_module("rules_engine.readers.yaml_form")
        document: Document = yaml_form.read_yaml(text, where)
        return document
    if suffix == ".csv":
        return _read_csv(text, where, limits)
    forms = read_text(text, where, layout, limits=limits)
    return Document(forms=forms, context=text[:CONTEXT_LIMIT])


def _check_form(form: Form, where: str, limits: Limits) -> None:
    """A form given as data (JSON, YAML) within the limits on rows and cell length; forms read
    from a table were held to them row by row already."""
    rows = len(form.indicators) + len(form.process) + len(form.budget)
    limits.check_rows(rows, where, rows)
    longest = limits.cell_chars
    for parts, cells in (
        (form.indicators, _LINE_CELLS),
        (form.process, _PROCESS_CELLS),
        (form.budget, _BUDGET_CELLS),
    ):
        for part in parts:
            for value in cells(part):
                if value is not None and len(value) > longest:
                    limits.check_cell(value, where, None, None)


_LINE_CELLS = operator.attrgetter(*INDICATOR_FIELDS)
_PROCESS_CELLS = operator.attrgetter(*PROCESS_FIELDS)
_BUDGET_CELLS = operator.attrgetter(*BUDGET_FIELDS)


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


def _from_grids(grids: list[Grid], where: str) -> Document:
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
        raise UserError.one(EMPTY_FILE, file=where)
    return Document(forms=forms, context=_context(grids))


def _read_office(data: bytes, where: str, suffix: str, limits: Limits) -> Document:
    # Imported lazily: the Excel and Word libraries are heavy and only these formats need them.
    if suffix in BOOK_SUFFIXES:
        module = "rules_engine.readers.excel"
    else:
        module = "rules_engine.readers.word"
    try:
        reader = importlib.import_module(module)
    except ImportError:
        raise UserError.one(UNKNOWN_FORMAT, file=where, suffix=suffix) from None
    if suffix in WORD_SUFFIXES:
        body: list[Grid] | str = reader.read_body_data(data, where, limits)
        if isinstance(body, str):
            # Pasted text, no table.
            forms = read_text(body, where, limits=limits)
            return Document(forms=forms, context=body[:CONTEXT_LIMIT])
        return _from_grids(body, where)
    grids: list[Grid] = reader.read_data(data, where, limits)
    return _from_grids(grids, where)


def _read_csv(text: str, where: str, limits: Limits) -> Document:
    rows = structured.csv_rows(text, where, limits)
    grid = structured.csv_grid(rows, where)
    if grid is not None:
        # A form saved as CSV (its own Chinese headers): read it like any other table.
        return _from_grids([grid], where)
    forms = list(structured.csv_forms(rows, where))
    if not forms:
        raise UserError.one(EMPTY_FILE, file=where)
    return Document(forms=forms)
