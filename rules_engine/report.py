"""Print diagnostics for a person: location, code, message, the source line with a caret, a hint."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from rules_engine.diagnostics import Diagnostic, Lang


def caret_line(snippet: str, col: int, width: int = 1) -> str:
    """Spaces then carets under 1-based character column `col` of `snippet`, by terminal cells.

    A CJK character takes two cells, so the caret is placed by `cell_len`, not by character count.
    """
    prefix = snippet[: max(col - 1, 0)].replace("\t", " ")
    marked = snippet[max(col - 1, 0) : max(col - 1, 0) + max(width, 1)]
    return " " * cell_len(prefix) + "^" * max(cell_len(marked), 1)


def format_diagnostic(diag: Diagnostic, lang: Lang) -> str:
    """Plain-text rendering of one diagnostic (what goldens record)."""
    label = {"error": ("错误", "error"), "warning": ("警告", "warning")}[diag.severity]
    kind = label[0] if lang == "zh" else label[1]
    where = diag.where()
    lines = [f"{where + ': ' if where else ''}{kind} {diag.code}: {diag.text(lang)}"]
    if diag.snippet is not None and diag.col is not None:
        lines.append(f"  | {diag.snippet.replace(chr(9), ' ')}")
        lines.append(f"  | {caret_line(diag.snippet, diag.col, diag.width)}")
    hint = diag.hint(lang)
    if hint:
        lines.append(("  提示：" if lang == "zh" else "  hint: ") + hint)
    return "\n".join(lines)


def print_diagnostics(diags: list[Diagnostic], console: Console, lang: Lang) -> None:
    """Print every diagnostic, sorted by place, without markup interpretation."""
    ordered = sorted(diags, key=lambda d: (d.file or "", d.line or 0, d.col or 0, d.code))
    for diag in ordered:
        style = "red" if diag.severity == "error" else "yellow"
        console.print(Text(format_diagnostic(diag, lang), style=style), soft_wrap=True)
