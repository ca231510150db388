"""Coded, located, bilingual messages: the catalogue, the Diagnostic value and the user error."""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Lang = Literal["zh", "en"]
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class MessageDef:
    """One catalogue entry: a code with its text, fix hint and severity.

    `severity` is what the code means when it is raised: an ``error`` makes the command fail
    (exit 1 or 2); a ``warning`` is reported and only fails ``check --strict``.
    """

    code: str
    zh: str
    en: str
    hint_zh: str = ""
    hint_en: str = ""
    severity: Severity = "error"


CATALOG: dict[str, MessageDef] = {}


def define(
    code: str,
    zh: str,
    en: str,
    hint_zh: str = "",
    hint_en: str = "",
    *,
    severity: Severity = "error",
) -> str:
    """Register a message in the catalogue and return its code.

    Each stage module defines its own codes at import time; `docs/errors.md` lists them all,
    with their severity, and a test keeps the two in step.
    """
    if code in CATALOG:
        raise ValueError(f"message code {code} defined twice")
    CATALOG[code] = MessageDef(code, zh, en, hint_zh, hint_en, severity)
    return code


# Why a file operation failed, by errno, in both languages: the system's own text is English
# only, and a Chinese message must not carry an English reason.
_OS_REASONS: dict[int, tuple[str, str]] = {
    errno.ENOENT: ("文件不存在", "no such file"),
    errno.EACCES: ("没有权限", "permission denied"),
    errno.EPERM: ("不允许这样操作", "operation not permitted"),
    errno.EISDIR: ("这是一个文件夹", "it is a folder"),
    errno.ENOTDIR: ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    errno.ENOSPC: ("磁盘已满", "no space left on the disk"),
    errno.EDQUOT: ("超出磁盘配额", "disk quota exceeded"),
    errno.EROFS: ("文件系统是只读的", "the file system is read-only"),
    errno.EFBIG: ("文件太大", "the file is too large"),
    errno.ENAMETOOLONG: ("文件名太长", "the file name is too long"),
    errno.ELOOP: ("符号链接层数太多（可能成环）", "too many levels of symbolic links"),
    errno.EMFILE: ("同时打开的文件太多", "too many open files"),
    errno.ENFILE: ("系统中打开的文件太多", "too many open files in the system"),
    errno.EIO: ("读写出错（磁盘或网络故障）", "input/output error"),
    errno.EBUSY: ("文件正被占用", "the file is busy"),
    errno.ETXTBSY: ("文件正被占用", "the file is busy"),
    errno.ENXIO: ("设备不存在或未就绪", "no such device or address"),
    errno.ENODEV: ("设备不存在", "no such device"),
    errno.ESTALE: ("网络文件已失效", "stale network file handle"),
    errno.ETIMEDOUT: ("操作超时", "the operation timed out"),
    errno.EAGAIN: ("暂时无法读写，请重试", "resource temporarily unavailable"),
    errno.EINVAL: ("无效的操作", "invalid argument"),
    errno.EXDEV: ("不能跨文件系统移动", "cannot move across file systems"),
}


def os_reason(exc: OSError | UnicodeDecodeError) -> tuple[str, str]:
    """Why a file could not be read or written, in Chinese and English (never the system's
    English inside a Chinese message)."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 文本", "not UTF-8 text"
    known = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if known is not None:
        return known
    if isinstance(exc, FileNotFoundError):
        return _OS_REASONS[errno.ENOENT]
    if isinstance(exc, PermissionError):
        return _OS_REASONS[errno.EACCES]
    if isinstance(exc, IsADirectoryError):
        return _OS_REASONS[errno.EISDIR]
    name = errno.errorcode.get(exc.errno, "") if exc.errno is not None else ""
    detail = exc.strerror or str(exc) or type(exc).__name__
    return f"操作系统报告错误{f' {name}' if name else ''}", detail


class Diagnostic(BaseModel):
    """A message about one place: a file position (line/col) or a form cell (row/col)."""

    model_config = ConfigDict(frozen=True)

    code: str
    args: dict[str, str] = Field(default_factory=dict)
    severity: Severity = "error"
    file: str | None = None
    line: int | None = None
    col: int | None = None
    snippet: str | None = None
    width: int = 1
    suggestion: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _catalogue_severity(cls, data: object) -> object:
        """A diagnostic raised without a severity takes the one its code is catalogued with."""
        if isinstance(data, dict) and data.get("severity") is None:
            entry = CATALOG.get(str(data.get("code")))
            if entry is not None:
                return {**data, "severity": entry.severity}
        return data

    def text(self, lang: Lang = "zh") -> str:
        """The message in `lang`, with its arguments filled in."""
        entry = CATALOG[self.code]
        template = entry.zh if lang == "zh" else entry.en
        return template.format(**self.args)

    def hint(self, lang: Lang = "zh") -> str:
        """The fix hint in `lang` (may be empty), plus a did-you-mean when there is one."""
        entry = CATALOG[self.code]
        hint = (entry.hint_zh if lang == "zh" else entry.hint_en).format(**self.args)
        if self.suggestion:
            extra = (
                f"你是不是想写「{self.suggestion}」？"
                if lang == "zh"
                else f"did you mean '{self.suggestion}'?"
            )
            hint = f"{hint} {extra}".strip()
        return hint

    def where(self) -> str:
        """``file:line:col`` (as much of it as is known); empty when the message is about no
        input at all (a command-line flag, a missing policy name)."""
        if self.file is None and self.line is None:
            return ""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where + ': ' if where else ''}{self.code} {self.text('en')}"


class UserError(Exception):
    """Input or usage the program cannot work with; carries diagnostics and an exit code."""

    def __init__(self, diagnostics: list[Diagnostic], exit_code: int = 2) -> None:
        self.diagnostics = diagnostics
        self.exit_code = exit_code
        super().__init__("; ".join(str(d) for d in diagnostics))

    @classmethod
    def one(
        cls,
        code: str,
        exit_code: int = 2,
        *,
        file: str | None = None,
        line: int | None = None,
        col: int | None = None,
        **args: object,
    ) -> UserError:
        """Build an error with a single diagnostic."""
        diag = Diagnostic(
            code=code,
            args={k: str(v) for k, v in args.items()},
            file=file,
            line=line,
            col=col,
        )
        return cls([diag], exit_code)
