"""What every command receives from the command line: its context, and the usage and
internal-error messages it raises."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.console import Console

from rules_engine.diagnostics import Lang, define
from rules_engine.terminal import page_text

USAGE = define(
    "E201",
    "命令行用法有误：{detail}",
    "bad command-line usage: {detail}",
    "运行 `rules-engine {command}--help` 查看用法。",
    "run `rules-engine {command}--help` to see the usage.",
)
INTERNAL = define(
    "E299",
    "内部错误：{detail}",
    "internal error: {detail}",
    "这是 rules-engine 的缺陷，请附上输入文件报告。",
    "this is a bug in rules-engine; please report it with the input file.",
)


@dataclass
class Context:
    """What every command receives besides its arguments: the language and the two consoles."""

    lang: Lang
    out: Console
    err: Console

    def say(self, zh: str, en: str) -> str:
        """Pick the text for the current language."""
        return zh if self.lang == "zh" else en

    def write(self, text: str, kind: Literal["json", "page"]) -> None:
        """Write a whole output (JSON, a Markdown or HTML page) to standard output, with the
        characters a terminal would obey escaped (`terminal.page_text`)."""
        self.out.file.write(page_text(text, kind))
