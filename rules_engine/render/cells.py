"""Text made safe for a spreadsheet cell: formula triggers neutralised, controls made visible."""

from __future__ import annotations

import re

# What makes Excel, LibreOffice or Sheets read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as ``-1.33`` or ``+5%`` is read as a number, never as a formula: left alone.
_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
# C0 controls other than tab, line feed and carriage return, and DEL: a workbook cannot hold
# them (openpyxl refuses them, Excel calls the file damaged) and a terminal would obey them.
_C0 = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# C1 controls, lone surrogates and the two non-characters XML refuses.
_OTHER = re.compile("[\x80-\x9f\ud800-\udfff\ufffe\uffff]")
# U+2400 is the Control Pictures block: ␀ … ␟, and ␡ for DEL, so a reader sees what was there.
_PICTURES = 0x2400
_DEL_PICTURE = "\u2421"
_REPLACEMENT = "\ufffd"


def _picture(match: re.Match[str]) -> str:
    char = match.group(0)
    return _DEL_PICTURE if char == "\x7f" else chr(_PICTURES + ord(char))


def mark_controls(text: str) -> str:
    """Each control character replaced by a visible mark: ESC → ␛, DEL → ␡, others → �."""
    if text.isprintable():
        return text
    return _OTHER.sub(_REPLACEMENT, _C0.sub(_picture, text))


# What a terminal obeys besides C0 and C1 controls: the bidirectional overrides and isolates,
# which reorder what is shown (a score could be made to read backwards).
_BIDI = "\u202a-\u202e\u2066-\u2069"
_TERMINAL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def _terminal_picture(match: re.Match[str]) -> str:
    char = match.group(0)
    if char < "\x20":
        return chr(_PICTURES + ord(char))  # carriage return too: ␍
    return _DEL_PICTURE if char == "\x7f" else _REPLACEMENT


def mark_for_terminal(text: str) -> str:
    """`mark_controls` for text shown in a terminal: also a carriage return (which would let a
    cell overwrite the line it is on) and the bidirectional controls; tab and line feed stay."""
    return _TERMINAL.sub(_terminal_picture, text)


def neutralise(text: str) -> str:
    """``=1+2`` → ``'=1+2``: a text starting with a formula trigger gets a quote before it."""
    if text.startswith(FORMULA_TRIGGERS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def safe_text(text: str) -> str:
    """A text for a CSV or workbook cell: controls marked, then any formula trigger neutralised."""
    return neutralise(mark_controls(text))
