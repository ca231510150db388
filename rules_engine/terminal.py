"""The consoles commands print to: text read from a form is shown, never obeyed.

Rich markup (``[link=…]``, ``[/]``) and emoji codes in a cell stay literal text, control
characters (ESC, OSC, CSI, a lone carriage return, other C0 and C1 controls, bidirectional
overrides) are drawn as visible marks, and a reader that closes the pipe (``| head``) ends the
command quietly. Output written as a page (JSON, Markdown, HTML) goes through `page_text`.
"""

from __future__ import annotations

import io
import os
import re
import sys
from collections.abc import Iterable
from typing import IO, Any, Literal

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment
from rich.text import Text

from rules_engine.render.cells import mark_for_terminal


class SafeConsole(Console):
    """A rich console that reads no markup from text and shows control characters as marks."""

    def __init__(self, **options: Any) -> None:
        super().__init__(markup=False, emoji=False, highlight=False, **options)

    def render_str(self, text: str, **options: Any) -> Text:
        """A string (a table cell, a printed line) as text, its control characters marked
        before rich measures it, so that a table keeps its columns."""
        return super().render_str(mark_for_terminal(text), **options)

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        """Every segment as rich renders it, its text with control characters marked (a `Text`
        built from a cell has lost BEL, BS, VT, FF and CR already: rich drops them)."""
        for segment in super().render(renderable, options):
            text = segment.text
            if segment.control or text.isprintable() or not _CONTROLS.search(text):
                yield segment
            else:
                yield Segment(mark_for_terminal(text), segment.style)

    def on_broken_pipe(self) -> None:
        """The reader has gone (``| head``): end the command quietly, exit code 0."""
        silence_stdout()
        raise BrokenPipeError


# The characters `mark_for_terminal` changes, to skip the common segment that has none.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# In JSON these can only stand inside strings, where an escape means the same character.
_JSON_CONTROLS = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def page_text(text: str, kind: Literal["json", "page"]) -> str:
    """A whole output text made safe to print: JSON keeps its meaning (the characters a terminal
    would obey are written as ``\\u`` escapes; JSON itself escapes C0), a page (Markdown, HTML,
    plain text) shows them as marks."""
    if kind == "json":
        if _JSON_CONTROLS.search(text) is None:
            return text
        return _JSON_CONTROLS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    if _CONTROLS.search(text) is None:
        return text
    return mark_for_terminal(text)


def silence_stdout() -> None:
    """Point standard output at the null device, so that the flush at exit cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (tests): nothing to flush
        pass


class JsonStream(io.TextIOBase):
    """Standard output for JSON lines written piece by piece (`score` without ``--out``)."""

    def __init__(self, stream: IO[str]) -> None:
        super().__init__()
        self._stream = stream

    def write(self, text: str) -> int:
        """Write `text` with the characters a terminal would obey escaped."""
        return self._stream.write(page_text(text, "json"))

    def flush(self) -> None:
        """Flush the stream underneath."""
        self._stream.flush()

    def writable(self) -> bool:
        """A stream to write to."""
        return True
