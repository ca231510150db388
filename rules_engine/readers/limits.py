"""How much one input file may hold, each limit with a default and a command-line flag to change
it, and the coded error that names the limit and its flag.

The defaults are far above any real form (the largest of our corpus has a few hundred rows) and
keep reading any file, however made, within about 1 GB of memory:

- input size 32 MiB (``--max-input-size``): text is read form by form, but JSON, YAML and Word
  files are parsed whole, and a parsed form takes several times its file's size;
- rows 20,000 (``--max-rows``) in one table, sheet or form;
- columns 256 (``--max-columns``): a legacy .xls sheet has no more;
- cell length 32,767 characters (``--max-cell-length``): the most an Excel cell holds;
- unpacked size 32 MiB (``--max-unpacked-size``): all the parts of one .xlsx or .docx file
  together, as the zip declares them and as they really unpack (a zip bomb stops there); a
  Word document's XML becomes a tree some 15 times its size when it is parsed.
"""

from __future__ import annotations

import argparse
import io
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass

from rules_engine.bounded import count, size
from rules_engine.diagnostics import UserError, define
from rules_engine.readers.grid import Grid

TOO_BIG = define(
    "E187",
    "文件大小 {size}，超过输入大小上限 {limit}",
    "the file is {size}, past the input size limit of {limit}",
    "确认这是要读的表格文件；确实需要时用 --max-input-size 放宽上限"
    "（例如 --max-input-size 128M）。",
    "check that this is the form file meant; if so, raise the limit with --max-input-size (such"
    " as --max-input-size 128M).",
)
TOO_MANY_ROWS = define(
    "E188",
    "第 {row} 行起超过行数上限 {limit} 行",
    "past the limit of {limit} rows from row {row} on",
    "一张表不会有这么多行：确认文件没有损坏或重复粘贴；确实需要时用 --max-rows 放宽上限。",
    "no form has this many rows: check that the file is not damaged or pasted again and again;"
    " if it is right, raise the limit with --max-rows.",
)
TOO_MANY_COLUMNS = define(
    "E189",
    "第 {row} 行有 {count} 列，超过列数上限 {limit} 列",
    "row {row} has {count} columns, past the limit of {limit}",
    "确认文件没有损坏；确实需要时用 --max-columns 放宽上限。",
    "check that the file is not damaged; if it is right, raise the limit with --max-columns.",
)
CELL_TOO_LONG = define(
    "E190",
    "单元格有 {length} 个字符，超过单元格长度上限 {limit}",
    "a cell of {length} characters, past the cell length limit of {limit}",
    "确认文件没有损坏；确实需要时用 --max-cell-length 放宽上限。",
    "check that the file is not damaged; if it is right, raise the limit with --max-cell-length.",
)
UNPACKED_TOO_BIG = define(
    "E191",
    "Office 文件解压后有 {size}（{part}），超过解压大小上限 {limit}",
    "the Office file unpacks to {size} ({part}), past the unpacked size limit of {limit}",
    "这样的文件多半是压缩炸弹或已损坏；确实需要时用 --max-unpacked-size 放宽上限。",
    "such a file is most likely a zip bomb or damaged; if it is right, raise the limit with"
    " --max-unpacked-size.",
)


@dataclass(frozen=True)
class Limits:
    """The limits one run reads its inputs within (see the module's docstring for why)."""

    input_bytes: int = 32 << 20
    rows: int = 20_000
    columns: int = 256
    cell_chars: int = 32_767
    unpacked_bytes: int = 32 << 20

    def check_size(self, length: int, where: str) -> None:
        """Refuse a file of `length` bytes past the input size limit (E187)."""
        if length > self.input_bytes:
            raise UserError.one(
                TOO_BIG, file=where, size=shown_size(length), limit=shown_size(self.input_bytes)
            )

    def check_rows(self, count: int, where: str, row: int) -> None:
        """Refuse a table of `count` rows past the limit (E188), located at row `row`."""
        if count > self.rows:
            raise UserError.one(TOO_MANY_ROWS, file=where, line=row, row=row, limit=self.rows)

    def check_columns(self, count: int, where: str, row: int) -> None:
        """Refuse a row of `count` columns past the limit (E189)."""
        if count > self.columns:
            raise UserError.one(
                TOO_MANY_COLUMNS, file=where, line=row, row=row, count=count, limit=self.columns
            )

    def check_grid(self, grid: Grid) -> None:
        """Refuse a grid past the limits on rows, columns or cell length. Columns count in a
        table (tab-separated text, pipes, CSV); a layout that splits words or rebuilds rows by
        meaning makes a cell of every word, bounded by the text's length instead."""
        rows = grid.rows
        if len(rows) > self.rows:
            beyond = next((cell.row for cell in rows[self.rows]), self.rows + 1)
            self.check_rows(len(rows), grid.source, beyond)
        for row in rows:
            if not row:
                continue
            if grid.tabular:
                self.check_columns(row[-1].col, grid.source, row[0].row)
            for cell in row:
                if len(cell.text) > self.cell_chars:
                    self.check_cell(cell.text, grid.source, cell.row, cell.col)

    def check_cell(self, text: str, where: str, row: int | None, col: int | None) -> None:
        """Refuse a cell longer than the limit (E190)."""
        if len(text) > self.cell_chars:
            raise UserError.one(
                CELL_TOO_LONG,
                file=where,
                line=row,
                col=col,
                length=len(text),
                limit=self.cell_chars,
            )


DEFAULT = Limits()

# Unpacked bytes read at a time while the real size of a zip member is measured.
_CHUNK = 1 << 20


def check_package(data: bytes, where: str, limits: Limits, damaged: str) -> None:
    """Hold an .xlsx or .docx (a zip) to the unpacked size limit before any reader opens it: the
    sizes its directory declares, then the bytes its members really unpack to (a zip whose
    directory lies stops at the limit too). A member that does not unpack as declared makes the
    file damaged (`damaged`, the reader's code). Data that is no zip is left to the reader."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        members = archive.infolist()
        declared = sum(member.file_size for member in members)
        if declared > limits.unpacked_bytes:
            big = max(members, key=lambda member: member.file_size)
            raise _unpacked(where, declared, big.filename, limits)
        total = 0
        for member in members:
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        total += len(chunk)
                        if total > limits.unpacked_bytes:
                            raise _unpacked(where, total, member.filename, limits)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, RuntimeError) as exc:
                reason = f"{member.filename}: {exc}"[:120]
                raise UserError.one(damaged, file=where, reason=reason) from None


def _unpacked(where: str, size: int, part: str, limits: Limits) -> UserError:
    return UserError.one(
        UNPACKED_TOO_BIG,
        file=where,
        size=shown_size(size),
        part=part[:80],
        limit=shown_size(limits.unpacked_bytes),
    )


def shown_size(length: int) -> str:
    """A size as people read it: ``812 B``, ``31.5 KiB``, ``64 MiB``."""
    for unit, step in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if length >= step:
            value = length / step
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{length} B"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags that change the limits, for the commands that read forms."""
    group = parser.add_argument_group("输入上限 · input limits")
    for flag, field, metavar, parse, zh, en in _OPTIONS:
        group.add_argument(
            flag, metavar=metavar, type=parse, default=getattr(DEFAULT, field), help=f"{zh}· {en}"
        )


def from_arguments(args: argparse.Namespace) -> Limits:
    """The limits the flags set (the defaults for any flag not given)."""
    return Limits(**{field: getattr(args, _dest(flag)) for flag, field, *_ in _OPTIONS})


def _dest(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def _count(text: str) -> int:
    return count(text, low=1, high=10**9)


# Each flag: the `Limits` field it sets, how it is read, and its help in both languages.
_OPTIONS: tuple[tuple[str, str, str, Callable[[str], int], str, str], ...] = (
    (
        "--max-input-size",
        "input_bytes",
        "SIZE",
        size,
        "一个输入文件的大小上限（缺省 32M）",
        "largest input file (default 32M)",
    ),
    (
        "--max-rows",
        "rows",
        "N",
        _count,
        "一张表的行数上限（缺省 20000）",
        "most rows in one table (default 20000)",
    ),
    (
        "--max-columns",
        "columns",
        "N",
        _count,
        "一行的列数上限（缺省 256）",
        "most columns in one row (default 256)",
    ),
    (
        "--max-cell-length",
        "cell_chars",
        "N",
        _count,
        "一个单元格的字符数上限（缺省 32767）",
        "longest cell (default 32767)",
    ),
    (
        "--max-unpacked-size",
        "unpacked_bytes",
        "SIZE",
        size,
        "xlsx/docx 解压后的大小上限（缺省 32M）",
        "largest unpacked .xlsx/.docx (default 32M)",
    ),
)
