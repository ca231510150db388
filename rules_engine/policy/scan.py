"""Policy text → top-level statements, comments and brace errors, before any parsing (`scan`).

The text is cut into statements at the lines that start with a top-level keyword, so the parser
can read each statement alone when the file has errors: one slip does not hide the others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy.keywords import TOP_KEYWORDS
from rules_engine.policy.messages import located
from rules_engine.policy.nodes import Comment, Pos

UNCLOSED = define(
    "E305",
    "这个「{{」没有对应的「}}」",
    "this '{{' is never closed by a '}}'",
    "在{where}补上「}}」。",
    "add a '}}' {where_en}.",
)
UNMATCHED_CLOSE = define(
    "E306",
    "多余的「}}」：前面没有对应的「{{」",
    "unmatched '}}': there is no '{{' before it",
    "删去这个「}}」，或在块的开头补上「{{」。",
    "remove this '}}' or add the missing '{{' where the block starts.",
)

# Keywords that can never appear inside a block (meeting one of those inside braces means the
# block was not closed; ``forms`` also opens a line of a ``review targets`` block).
BLOCK_BREAKERS = TOP_KEYWORDS - {"basis", "note", "tolerance", "forms"}
# Keywords that start a statement only before a second word: ``review targets { … }`` (a bare
# ``review "理由"`` is a clause's result, and may open a line inside a rule).
SECOND_WORDS = {"review": "targets"}

# The name a statement declares, read without parsing (for statements with syntax errors).
_DECLARED = re.compile(r"\s*(?:rule|terms|term|flag)\s+([^\s{=,\"]+)")


@dataclass
class Chunk:
    """One top-level statement's text, from line `first_line`; `close` when its block was left
    open (the parser then reads it with a ``}`` added, so only the missing brace is reported)."""

    first_line: int
    text: str
    close: bool = False

    def declared(self) -> str | None:
        """The name the statement declares (``rule 正向`` → ``正向``), read without parsing."""
        found = _DECLARED.match(self.text)
        return found.group(1) if found else None


@dataclass
class Scan:
    """What the scanner found: the statements, every comment, and brace errors."""

    chunks: list[Chunk]
    comments: list[Comment]
    diagnostics: list[Diagnostic]


def scan(file: str, lines: Sequence[str]) -> Scan:
    """Cut the text into top-level statements, collect comments, and check braces."""
    comments: list[Comment] = []
    diagnostics: list[Diagnostic] = []
    chunks: list[Chunk] = []
    depth_stack: list[Pos] = []
    current: list[str] = []
    start = 1

    def flush(close: bool) -> None:
        if any(part.strip() for part in current):
            chunks.append(Chunk(start, "\n".join(current), close))
        del current[:]

    for number, raw in enumerate(lines, start=1):
        word = _first_word(raw)
        starts_statement = word in TOP_KEYWORDS and (not depth_stack or word in BLOCK_BREAKERS)
        if starts_statement and number > start:
            unclosed = bool(depth_stack)
            if unclosed:
                opened = depth_stack[0]
                diagnostics.append(_unclosed(opened, number, file, lines))
                depth_stack.clear()
            flush(unclosed)
            start = number
        kept = _scan_line(
            raw,
            number,
            comments=comments,
            depth_stack=depth_stack,
            diagnostics=diagnostics,
            file=file,
            lines=lines,
        )
        current.append(kept)
    if depth_stack:
        diagnostics.append(_unclosed(depth_stack[0], None, file, lines))
        flush(True)
    else:
        flush(False)
    return Scan(chunks, comments, diagnostics)


def _first_word(line: str) -> str:
    stripped = line.lstrip()
    word = ""
    for ch in stripped:
        if ch.isalnum() or ch == "_":
            word += ch
        else:
            break
    second = SECOND_WORDS.get(word)
    if second is not None and _first_word(stripped[len(word) :]) != second:
        return ""
    return word


def _unclosed(opened: Pos, before: int | None, file: str, lines: Sequence[str]) -> Diagnostic:
    """E305 at the unclosed brace, saying where the `}` is missing."""
    if before is None:
        where, where_en = "文件末尾", "at the end of the file"
    else:
        where, where_en = f"第 {before} 行之前", f"before line {before}"
    return located(UNCLOSED, file, lines, opened, where=where, where_en=where_en)


def _scan_line(
    raw: str,
    number: int,
    *,
    comments: list[Comment],
    depth_stack: list[Pos],
    diagnostics: list[Diagnostic],
    file: str,
    lines: Sequence[str],
) -> str:
    """Track braces and comments on one line; blank out a stray ``}`` so parsing can go on."""
    out = list(raw)
    quote: str | None = None
    for index, ch in enumerate(raw):
        col = index + 1
        if quote is not None:
            if ch == quote:
                quote = None
            continue
        if ch == '"':
            quote = '"'
        elif ch == "“":
            quote = "”"
        elif ch == "#":
            comments.append(Comment(raw[index:], Pos(number, col, number, len(raw) + 1)))
            break
        elif ch == "{":
            depth_stack.append(Pos(number, col, number, col + 1))
        elif ch == "}":
            if depth_stack:
                depth_stack.pop()
            else:
                diagnostics.append(
                    located(UNMATCHED_CLOSE, file, lines, Pos(number, col, number, col + 1))
                )
                out[index] = " "
    return "".join(out)
