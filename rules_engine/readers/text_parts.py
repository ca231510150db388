"""A large text file read part by part, each part ending where a form begins, so that reading a
file of any size takes the memory of one part.

A part grows to `PART` characters or `PART_LINES` lines and then ends before the next line that
is a form's title (…绩效自评表, …绩效目标表), so that no form is cut in two; each part is read like
a whole text, its rows numbered as the file's. In a text a row is a line with something on it:
a part that finds no title in more lines than the row limit stops there with E188.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from rules_engine.diagnostics import UserError
from rules_engine.model import Document
from rules_engine.readers.choice import read_text
from rules_engine.readers.encoding import EMPTY_FILE, lines
from rules_engine.readers.form_head import is_title
from rules_engine.readers.limits import CELL_TOO_LONG, TOO_MANY_COLUMNS, TOO_MANY_ROWS, Limits

# How long a part grows before it looks for the next form's title to end at.
PART = 1 << 20
PART_LINES = 5_000
# How much of a part's text its document keeps to choose its policy by the places it names.
CONTEXT_LIMIT = 1 << 16
# A title is a short line; longer lines are not looked at.
_TITLE_CHARS = 100


def parts(
    handle: BinaryIO, where: str, layout: str | None, limits: Limits, *, known: bool = True
) -> Iterator[Document]:
    """The forms of the text in `handle`, one document per part that holds any. A part with no
    form (a notice between forms) is passed over, as the reading of a whole text passes over a
    table with none; when no part holds a form, the first part's error is raised."""
    first_line = 1
    chunk: list[str] = []
    size = filled = 0
    failed: list[UserError] = []
    found = False
    for line in lines(handle, where, known):
        if (size >= PART or filled >= PART_LINES) and _starts_form(line):
            document = _read(chunk, where, layout, limits, first_line, failed=failed)
            if document is not None:
                found = True
                yield document
            first_line += len(chunk)
            chunk, size, filled = [], 0, 0
        chunk.append(line)
        size += len(line)
        if not line.isspace():
            filled += 1
            if filled > limits.rows:
                row = first_line + len(chunk) - 1
                raise UserError.one(TOO_MANY_ROWS, file=where, line=row, row=row, limit=limits.rows)
    document = _read(chunk, where, layout, limits, first_line, failed=failed) if chunk else None
    if document is not None:
        yield document
    elif not found:
        raise failed[0] if failed else UserError.one(EMPTY_FILE, file=where)


def _starts_form(line: str) -> bool:
    text = line.strip().strip("\t|")
    return 0 < len(text) <= _TITLE_CHARS and is_title(text)


def _read(
    chunk: list[str],
    where: str,
    layout: str | None,
    limits: Limits,
    first_line: int,
    *,
    failed: list[UserError],
) -> Document | None:
    text = "".join(chunk)
    if not text.strip():
        return None
    try:
        forms = read_text(text, where, layout, limits=limits, first_line=first_line)
    except UserError as exc:
        if any(d.code in _LIMIT_CODES for d in exc.diagnostics):
            raise  # a limit stops the whole file, as it would stop reading it whole
        failed.append(exc)
        return None
    return Document(forms=forms, context=text[:CONTEXT_LIMIT])


_LIMIT_CODES = frozenset({TOO_MANY_ROWS, TOO_MANY_COLUMNS, CELL_TOO_LONG})
