"""Coded, located, bilingual messages: the catalogue, the Diagnostic value and the user error."""

from __future__ import annotations

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


def os_reason(exc: OSError | UnicodeDecodeError) -> tuple[str, str]:
    """Why a file could not be read, in Chinese and English (not the system's English only)."""
    if isinstance(exc, UnicodeDecodeError):
        return "不是 UTF-8 文本", "not UTF-8 text"
    if isinstance(exc, FileNotFoundError):
        return "文件不存在", "no such file"
    if isinstance(exc, PermissionError):
        return "没有读取权限", "permission denied"
    if isinstance(exc, IsADirectoryError):
        return "这是一个文件夹", "it is a folder"
    detail = exc.strerror or str(exc)
    return detail, detail


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
        """``file:line:col`` (as much of it as is known)."""
        parts = [self.file or "<input>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        return f"{self.where()}: {self.code} {self.text('en')}"


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
