"""Text from bytes: the encoding found (a byte order mark, else UTF-8, else GB18030) and binary
content refused, for a whole file at once or, for a large one, line by line in flat memory."""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from rules_engine.diagnostics import UserError, define

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
NOT_TEXT = define(
    "E173",
    "文件不是文本（第 {offset} 字节处有二进制内容）",
    "the file is not text (binary content at byte {offset})",
    "表格请另存为 .txt/.csv（UTF-8）或 .xlsx/.docx 后再读取。",
    "Save the form as .txt/.csv (UTF-8) or .xlsx/.docx and read that.",
)
BAD_ENCODING = define(
    "E174",
    "无法识别文件编码（既不是 UTF-8、带 BOM 的 UTF-16，也不是 GB18030，第 {offset} 字节处出错）",
    "cannot decode the file: neither UTF-8, UTF-16 with a BOM nor GB18030 (fails at byte {offset})",
    "用文本编辑器把文件另存为 UTF-8 编码。",
    "Save the file as UTF-8 in a text editor.",
)

# Byte order marks, longest first (UTF-32's begin like UTF-16's), with what they mean.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xef\xbb\xbf", "utf-8"),
)
# Without a mark: UTF-8 first, then the national standard most Chinese text is saved in.
_GUESSES = ("utf-8", "gb18030")
# Tabs, line ends and form feeds are text; other C0 controls and DEL mean binary content.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Bytes read at a time from a large file.
CHUNK = 1 << 20


def decode(data: bytes, where: str, known: bool = True) -> str:
    """Bytes to text: UTF-8, UTF-16 or UTF-32 with a byte order mark, UTF-8 without one, else
    GB18030; binary content is refused (`known`: the suffix is a form's, else E170)."""
    if not data:
        raise UserError.one(EMPTY_FILE, file=where)
    marked = _marked(data)
    if marked is not None:
        codec, skip = marked
        text = _decoded(data[skip:], codec)
        if text is None:
            raise UserError.one(BAD_ENCODING, file=where, offset=_first_bad_byte(data, codec))
    else:
        _check_nul(data, 0, where, known)
        text = next((t for c in _GUESSES if (t := _decoded(data, c)) is not None), None)
        if text is None:
            raise UserError.one(BAD_ENCODING, file=where, offset=_first_bad_byte(data, "utf-8"))
    _check_controls(text, 0, where, known)
    return text


def lines(handle: BinaryIO, where: str, known: bool = True) -> Iterator[str]:
    """The lines of a large text file, each with its line break, decoded as `decode` would: the
    file is read twice, chunk by chunk (once to find its encoding and refuse binary content,
    once to give its lines), so memory stays flat whatever its size. Lines break where
    `str.splitlines` breaks them, so that they are numbered as a whole text's lines are."""
    head = handle.read(4)
    if not head:
        raise UserError.one(EMPTY_FILE, file=where)
    marked = _marked(head)
    codec, skip = marked if marked is not None else (_sniff(handle, where, known), 0)
    if marked is not None and not _reads_as(handle, codec, skip, where, known):
        raise UserError.one(BAD_ENCODING, file=where, offset=0)
    handle.seek(skip)
    decoder = codecs.getincrementaldecoder(codec)()
    pending = ""
    while chunk := handle.read(CHUNK):
        pending += decoder.decode(chunk)
        parts = pending.splitlines(keepends=True)
        # The last part may go on in the next chunk (a CR may be the first half of CR LF).
        pending = parts.pop() if parts else ""
        yield from parts
    if pending:
        yield pending


def _sniff(handle: BinaryIO, where: str, known: bool) -> str:
    for codec in _GUESSES:
        if _reads_as(handle, codec, 0, where, known):
            return codec
    handle.seek(0)
    offset = 0
    decoder = codecs.getincrementaldecoder("utf-8")()
    while chunk := handle.read(CHUNK):
        try:
            decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            offset += exc.start
            break
        offset += len(chunk)
    raise UserError.one(BAD_ENCODING, file=where, offset=offset)


def _reads_as(handle: BinaryIO, codec: str, skip: int, where: str, known: bool) -> bool:
    """Whether the file from byte `skip` decodes in `codec` (a file cut inside its last
    character still does); binary content raises its error on the way."""
    handle.seek(skip)
    decoder = codecs.getincrementaldecoder(codec)()
    offset = skip
    text_offset = 0
    while chunk := handle.read(CHUNK):
        if codec in _GUESSES:
            _check_nul(chunk, offset, where, known)
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
        _check_controls(text, text_offset, where, known)
        offset += len(chunk)
        text_offset += len(text.encode("utf-8"))
    return True


def _marked(data: bytes) -> tuple[str, int] | None:
    """The encoding a byte order mark names, and the mark's length."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec, len(bom)
    return None


def _check_nul(data: bytes, offset: int, where: str, known: bool) -> None:
    nul = data.find(b"\x00")
    if nul >= 0:
        code = NOT_TEXT if known else UNKNOWN_FORMAT
        raise UserError.one(code, file=where, offset=offset + nul, suffix=Path(where).suffix or "?")


def _check_controls(text: str, offset: int, where: str, known: bool) -> None:
    control = _CONTROL.search(text)
    if control is not None:
        code = NOT_TEXT if known else UNKNOWN_FORMAT
        at = offset + len(text[: control.start()].encode("utf-8"))
        raise UserError.one(code, file=where, offset=at, suffix=Path(where).suffix or "?")


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


def _first_bad_byte(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as exc:
        return exc.start
    return 0
