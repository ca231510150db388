"""Word documents: the body in reading order, tables as cell rows, into one cell grid."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn

from rules_engine.diagnostics import UserError, define
from rules_engine.readers.grid import Cell, Grid, join_lines
from rules_engine.readers.layouts import split_text
from rules_engine.readers.limits import DEFAULT, Limits, check_package

UNREADABLE = define(
    "E184",
    "无法读取 Word 文档：文件已损坏、不完整或不是 .docx 文件（{reason}）",
    "cannot read the Word document: the file is damaged, cut short or not a .docx ({reason})",
    "用 Word 或 WPS 打开该文件，另存为 .docx 后重试；若是下载所得，请重新下载完整文件。",
    "open the file in Word or WPS and save it again as .docx; if it was downloaded, download it "
    "again in full.",
)
ENCRYPTED = define(
    "E185",
    "Word 文档有密码保护，无法读取",
    "the Word document is password-protected and cannot be read",
    "在 Word 或 WPS 中输入密码打开，取消“用密码进行加密”后另存一份再读取。",
    "open it in Word or WPS with its password, remove the encryption and save a copy to read.",
)
EMPTY = define(
    "E186",
    "Word 文档中没有表格，也没有文字",
    "the Word document holds no table and no text",
    "确认绩效表填在该文档里（可以是表格，也可以是粘贴的文字），保存后重试。",
    "make sure the form is in this document (as a table or as pasted text) and save it.",
)

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_P, _TBL, _TR, _TC, _SDT = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc"), qn("w:sdt")
_SDT_CONTENT = qn("w:sdtContent")


def read(path: Path, limits: Limits = DEFAULT) -> list[Grid]:
    """The document as cell grids (a document of pasted text split in its detected layout)."""
    body = read_body(path, limits)
    return split_text(body, str(path)) if isinstance(body, str) else body


def read_body(path: Path, limits: Limits = DEFAULT) -> list[Grid] | str:
    """Read the document body into one grid: paragraphs as one-cell rows, table rows as rows.

    Tables are not split into grids of their own: Word forms often put the title in a paragraph
    and the header block and the indicators in separate tables, and the form builder needs them
    together, in order, as a person reads them. A document with no table is pasted text: its
    text is returned, for the text layouts to read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError.one(UNREADABLE, file=str(path), reason=_reason(exc)) from exc
    return read_body_data(data, str(path), limits)


def read_body_data(data: bytes, source: str, limits: Limits = DEFAULT) -> list[Grid] | str:
    """`read_body` for a document's bytes, held to the unpacked size limit before it is opened
    and to the limits on rows, columns and cell length as its rows are read."""
    body = _open(data, source, limits).element.body
    rows: list[list[Cell]] = []
    lines: list[str] = []
    tables = 0
    for block in _blocks(body):
        if block.tag == _P:
            lines.append(block.text)  # as typed: tabs may separate cells of pasted text
            text = join_lines(block.text.splitlines())
            if text:
                limits.check_cell(text, source, len(rows) + 1, 1)
                rows.append([Cell(text=text, row=len(rows) + 1, col=1)])
        else:
            tables += 1
            for tr in _children(block, _TR):
                rows.append(_row(tr, len(rows) + 1, source, limits))
        limits.check_rows(len(rows), source, len(rows))
    if tables == 0:
        text = "\n".join(lines)
        if not text.strip():
            raise UserError.one(EMPTY, file=source)
        return text
    return [Grid(rows=rows, source=source, layout="docx", tabular=True)]


def _open(data: bytes, source: str, limits: Limits) -> Any:
    """Open the document; map every failure to a coded error (encrypted, damaged)."""
    if data.startswith(_CFB_MAGIC):
        # A .docx in a compound file is an encrypted package (or a .doc under the wrong name).
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise UserError.one(ENCRYPTED, file=source)
        raise UserError.one(UNREADABLE, file=source, reason="Word 97-2003 (.doc)")
    check_package(data, source, limits, UNREADABLE)
    try:
        return docx.Document(io.BytesIO(data))
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UserError.one(UNREADABLE, file=source, reason=_reason(exc)) from exc
    except Exception as exc:  # malformed XML (lxml) and odd parts raise many kinds: all "damaged"
        raise UserError.one(UNREADABLE, file=source, reason=_reason(exc)) from exc


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _blocks(parent: Any) -> Iterator[Any]:
    """Paragraphs and tables of the body in order, looking inside content controls."""
    for child in parent:
        if child.tag in (_P, _TBL):
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _blocks(content)


def _children(parent: Any, tag: str) -> Iterator[Any]:
    """Direct children with `tag`, including those wrapped in content controls."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                yield from _children(content, tag)


def _row(tr: Any, row_no: int, source: str, limits: Limits) -> list[Cell]:
    """One table row laid out on the table grid, each merged cell's text in its first position.

    A cell spanning columns leaves the columns it covers empty, and a cell continuing a vertical
    merge is empty: the same layout a workbook gives, so the builder fills down by meaning. The
    spans count against the column limit before any cell is made (a span may claim millions).
    """
    cells: list[Cell] = []
    col = 1 + (tr.grid_before or 0)
    limits.check_columns(col - 1, source, row_no)
    cells.extend(Cell(text="", row=row_no, col=c) for c in range(1, col))
    for tc in _children(tr, _TC):
        text = "" if tc.vMerge == "continue" else _cell_text(tc)
        span = max(tc.grid_span, 1)
        limits.check_columns(col + span - 1, source, row_no)
        if len(text) > limits.cell_chars:
            limits.check_cell(text, source, row_no, col)
        cells.append(Cell(text=text, row=row_no, col=col))
        cells.extend(Cell(text="", row=row_no, col=col + k) for k in range(1, span))
        col += span
    while cells and not cells[-1].text:
        cells.pop()
    return cells


def _cell_text(tc: Any) -> str:
    """A cell's paragraphs joined as one wrapped text; nested tables are read in order too."""
    parts: list[str] = []
    for block in _blocks(tc):
        if block.tag == _P:
            parts.extend(block.text.splitlines())
        else:
            parts.extend(_cell_text(inner) for inner in block.iter(_TC))
    return join_lines(parts)
