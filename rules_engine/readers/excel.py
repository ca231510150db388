"""Excel workbooks: read every visible sheet into a cell grid, each cell as a person sees it."""

from __future__ import annotations

import datetime as dt
import functools
import io
import warnings
import zipfile
import zlib
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import openpyxl
import xlrd
from openpyxl.utils.exceptions import InvalidFileException

from rules_engine.diagnostics import UserError, define
from rules_engine.readers.grid import Cell, Grid, join_lines
from rules_engine.readers.limits import DEFAULT, Limits, check_package

UNREADABLE = define(
    "E180",
    "无法读取 Excel 工作簿：文件已损坏、不完整或不是 Excel 文件（{reason}）",
    "cannot read the Excel workbook: the file is damaged, cut short or not a workbook ({reason})",
    "用 Excel 或 WPS 打开该文件，另存为 .xlsx 后重试；若是下载所得，请重新下载完整文件。",
    "open the file in Excel or WPS and save it again as .xlsx; if it was downloaded, download it "
    "again in full.",
)
ENCRYPTED = define(
    "E181",
    "Excel 工作簿有密码保护，无法读取",
    "the Excel workbook is password-protected and cannot be read",
    "在 Excel 或 WPS 中输入密码打开，取消“用密码进行加密”后另存一份再读取。",
    "open it in Excel or WPS with its password, remove the encryption and save a copy to read.",
)
EMPTY = define(
    "E182",
    "Excel 工作簿中没有任何内容（工作表：{sheets}）",
    "the Excel workbook holds no cell content (sheets: {sheets})",
    "确认表格填在可见的工作表中（隐藏的工作表不读取），保存后重试。",
    "make sure the form is filled in on a visible sheet (hidden sheets are not read) and save it.",
)
LEGACY = define(
    "E183",
    "无法读取旧版 Excel（.xls）工作簿：文件已损坏或格式过旧（{reason}）",
    "cannot read the legacy Excel (.xls) workbook: it is damaged or too old a format ({reason})",
    "用 Excel 或 WPS 打开该文件，另存为 .xlsx 后重试。",
    "open the file in Excel or WPS and save it as .xlsx.",
)

# Excel keeps 15 significant digits; anything past that is binary noise a person never sees.
_EXCEL_DIGITS = 15
# The compound-file signature: encrypted .xlsx files (and legacy .xls) start with it.
_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_MARK = "EncryptedPackage".encode("utf-16-le")
# Blank rows kept in a row: enough to separate forms, few enough to bound far-away stray cells.
_BLANK_ROWS_KEPT = 20
# What a damaged zip or XML part raises while being read (XML parse errors are SyntaxErrors).
_DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    OSError,
    KeyError,
    ValueError,
    SyntaxError,
    EOFError,
)


def read(path: Path, limits: Limits = DEFAULT) -> list[Grid]:
    """Read every visible sheet with content into one grid per sheet (``Cell.sheet`` = its name).

    The content decides the format, not the suffix: units rename files freely.
    """
    source = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError.one(UNREADABLE, file=source, reason=_reason(exc)) from exc
    return read_data(data, source, limits)


def read_data(data: bytes, source: str, limits: Limits = DEFAULT) -> list[Grid]:
    """`read` for a workbook's bytes: each sheet held to the limits on rows, columns and cell
    length as it is read, and an .xlsx to the unpacked size limit before it is opened."""
    if data.startswith(_CFB_MAGIC):
        # A compound file is either an encrypted workbook or a legacy .xls.
        if _ENCRYPTED_MARK in data:
            raise UserError.one(ENCRYPTED, file=source)
        grids, names = _read_xls(data, source, limits)
    else:
        check_package(data, source, limits, UNREADABLE)
        grids, names = _read_xlsx(data, source, limits)
    if not grids:
        raise UserError.one(EMPTY, file=source, sheets="、".join(names) or "-")
    return grids


def _read_xlsx(data: bytes, source: str, limits: Limits) -> tuple[list[Grid], list[str]]:
    """Read an .xlsx / .xlsm read-only with cached formula values."""
    with warnings.catch_warnings():
        # openpyxl warns about parts it drops (data validation, default styles): noise to a user.
        warnings.simplefilter("ignore")
        return _read_xlsx_quietly(data, source, limits)


def _read_xlsx_quietly(data: bytes, source: str, limits: Limits) -> tuple[list[Grid], list[str]]:
    grids: list[Grid] = []
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except _DAMAGED as exc:
        raise UserError.one(UNREADABLE, file=source, reason=_reason(exc)) from exc
    except Exception as exc:  # openpyxl raises many kinds on malformed parts; all mean "damaged"
        raise UserError.one(UNREADABLE, file=source, reason=_reason(exc)) from exc
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue  # a person does not see a hidden sheet; it often holds lookup lists
            # The stored dimension is often wrong (a stray format far away); read rows as stored.
            sheet.reset_dimensions()
            rows = ([(c.value, _format_of(c)) for c in r] for r in sheet.iter_rows())
            grid = _read_rows(rows, source, sheet.title, limits)
            if grid is not None:
                grids.append(grid)
    except _DAMAGED as exc:
        # A sheet part cut short or mangled only shows up while its rows are being parsed.
        raise UserError.one(UNREADABLE, file=source, reason=_reason(exc)) from exc
    finally:
        workbook.close()
    return grids, [sheet.title for sheet in workbook.worksheets]


def _read_xls(data: bytes, source: str, limits: Limits) -> tuple[list[Grid], list[str]]:
    """Read a legacy .xls with its number formats and merges (xlrd)."""
    try:
        # xlrd prints its notes to stdout by default, where they would corrupt JSON output.
        book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=io.StringIO())
    except Exception as exc:  # xlrd raises bare errors of many kinds on damaged files
        if "encrypt" in str(exc).lower():
            raise UserError.one(ENCRYPTED, file=source) from exc
        raise UserError.one(LEGACY, file=source, reason=_reason(exc)) from exc
    grids: list[Grid] = []
    for sheet in book.sheets():
        if sheet.visibility:
            continue
        covered = {
            (r, c)
            for top, bottom, left, right in sheet.merged_cells
            # Clipped to the cells stored: a merge may span whole columns of empty cells.
            for r in range(top, min(bottom, sheet.nrows))
            for c in range(left, min(right, sheet.ncols))
            if (r, c) != (top, left)
        }
        rows = (
            [
                (None, None) if (r, c) in covered else _xls_cell(book, sheet.cell(r, c))
                for c in range(sheet.row_len(r))
            ]
            for r in range(sheet.nrows)
        )
        grid = _read_rows(rows, source, sheet.name, limits)
        if grid is not None:
            grids.append(grid)
    return grids, book.sheet_names()


def _xls_cell(book: Any, cell: Any) -> tuple[object, str | None]:
    """An xlrd cell as (value, number format), the shape openpyxl gives."""
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
        return None, None
    if kind == xlrd.XL_CELL_TEXT:
        return cell.value, None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value), None
    if kind == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "#N/A"), None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode), None
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            pass  # not a real date: show the number as stored
    fmt = book.format_map.get(book.xf_list[cell.xf_index].format_key)
    return cell.value, fmt.format_str if fmt is not None else None


def _format_of(cell: Any) -> str | None:
    # Empty read-only cells carry no number format.
    return getattr(cell, "number_format", None)


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) <= 120 else text[:117] + "..."


def _read_rows(
    rows: Iterable[list[tuple[object, str | None]]], source: str, sheet: str, limits: Limits
) -> Grid | None:
    """Turn rows of (value, number format) into a grid; ``None`` when the sheet shows nothing.

    The limits hold as the rows come: a sheet of a million rows stops at the row past the limit.
    """
    grid_rows: list[list[Cell]] = []
    any_text = False
    blank_run = 0
    for row_no, row in enumerate(rows, start=1):
        texts = [cell_text(value, fmt) for value, fmt in row]
        while texts and not texts[-1]:
            texts.pop()  # trailing formatted-but-empty cells are not part of the table
        if texts:
            limits.check_rows(len(grid_rows) + 1, source, row_no)
            limits.check_columns(len(texts), source, row_no)
            for col, text in enumerate(texts, 1):
                if len(text) > limits.cell_chars:
                    limits.check_cell(text, source, row_no, col)
        any_text = any_text or bool(texts)
        blank_run = 0 if texts else blank_run + 1
        if blank_run > _BLANK_ROWS_KEPT:
            continue  # a stray cell a million rows down must not cost a million rows
        grid_rows.append(
            [Cell(text=t, row=row_no, col=col, sheet=sheet) for col, t in enumerate(texts, 1)]
        )
    while grid_rows and not grid_rows[-1]:
        grid_rows.pop()
    if not any_text:
        return None
    return Grid(rows=grid_rows, source=source, layout="xlsx", tabular=True)


def cell_text(value: object, number_format: str | None) -> str:
    """The text a person sees in a cell: numbers through their format, dates as ISO text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_number(value, number_format or "General")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return join_lines(str(value).splitlines())


def format_number(value: int | float, number_format: str) -> str:
    """Write a number as Excel shows it under `number_format` (decimals, percent, literal text)."""
    number = _to_decimal(value)
    if number is None:
        return str(value)  # inf / nan cannot come from Excel; keep whatever arrived
    sections = number_format.split(";")
    section = sections[0]
    signed = True
    if number < 0 and len(sections) > 1 and sections[1]:
        section, number, signed = sections[1], -number, False  # the section prints its own sign
    elif number == 0 and len(sections) > 2:
        section = sections[2]
    spec = _parse_section(section)
    if spec is None:
        return _general(number)
    prefix, suffix, min_dec, max_dec, scale = spec
    if "%" in prefix + suffix:
        number *= 100
    number = number.scaleb(-3 * scale)
    text = _fixed(number, min_dec, max_dec)
    if text.startswith("-") and (not signed or Decimal(text) == 0):
        text = text[1:]  # the section prints its own sign; a negative rounded to 0 shows as 0
    if prefix.startswith("-") and text.startswith("-"):
        prefix = prefix[1:]
    if text.startswith("-") and prefix:
        return "-" + prefix + text[1:] + suffix
    return prefix + text + suffix


def _to_decimal(value: int | float) -> Decimal | None:
    if isinstance(value, int):
        return Decimal(value)
    try:
        # repr is the shortest text that reads back as the same double: no float arithmetic.
        number = Decimal(repr(value))
    except InvalidOperation:
        return None
    if not number.is_finite():
        return None
    if number.is_zero():
        return Decimal(0)
    digits = number.adjusted() + 1
    return number.quantize(Decimal(1).scaleb(digits - _EXCEL_DIGITS), rounding=ROUND_HALF_UP)


def _general(number: Decimal) -> str:
    """The General format: no trailing zeros, no exponent."""
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "") else text


def _fixed(number: Decimal, min_dec: int, max_dec: int) -> str:
    text = format(number.quantize(Decimal(1).scaleb(-max_dec), rounding=ROUND_HALF_UP), "f")
    if max_dec > min_dec and "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0")
        frac = frac + "0" * (min_dec - len(frac))
        text = f"{whole}.{frac}" if frac else whole
    return text


_PLACEHOLDERS = "0#?"


@functools.lru_cache(maxsize=256)  # a workbook uses a handful of formats over many cells
def _parse_section(section: str) -> tuple[str, str, int, int, int] | None:
    """Split one format section into (prefix, suffix, min decimals, max decimals, 1000s scale).

    ``None`` means "show as General": the General format, text (@), or forms we do not draw
    (scientific, fractions) where the plain number is the honest reading.
    """
    literal: list[str] = []
    prefix: str | None = None
    body = ""
    i = 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            literal.append(section[i + 1 : end])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            literal.append(section[i + 1])
            i += 2
            continue
        if ch == "[":
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1  # colours, locales, conditions
            continue
        if ch in "_*":
            i += 2  # padding to the width of a character / fill: nothing printed
            continue
        if ch in _PLACEHOLDERS or (ch in ".," and prefix is not None):
            if prefix is None:
                prefix = "".join(literal)
                literal = []
            elif literal:
                body += "".join(literal)  # literal text between digits: too rare to draw
                literal = []
            body += ch
            i += 1
            continue
        if ch in "Ee/" and prefix is not None:
            return None  # scientific or fraction
        literal.append(ch)
        i += 1
    if prefix is None:
        return None  # General, @ or a format without digits
    # Commas after the last digit placeholder divide by a thousand each; inside, they group.
    scale = len(body) - len(body.rstrip(","))
    _, _, frac = body.rstrip(",").partition(".")
    min_dec = frac.count("0")
    max_dec = sum(frac.count(p) for p in _PLACEHOLDERS)
    return prefix, "".join(literal), min_dec, max_dec, scale
