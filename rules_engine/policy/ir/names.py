"""How policy words and form texts are compared: normalised terms, indicator name keys and
globs that never backtrack (shared by the compiler and the engine)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

_SPACE = re.compile(r"\s+")


def normalize_term(text: str) -> str:
    """The form texts and policy words are compared in: NFKC (full-width → half-width), no
    whitespace, lower case."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text)).lower()


# Numbering before an indicator's name (指标3：, 1., （2）, 一、) and a bracketed note after it
# (（%）, (5分)): fixed sheets print the same indicator with and without them.
_NAME_NUMBER = re.compile(
    r"^(?:(?:指标\s*\d+|\d+|[一二三四五六七八九十]+)\s*[:.、](?!\d)|\(\s*\d+\s*\))\s*"
)
_NAME_NOTE = re.compile(r"\([^()]*\)$")


def name_key(text: str) -> str:
    """An indicator's name as name selectors compare it: `normalize_term`, without numbering
    before it or a bracketed note after it."""
    key = normalize_term(text)
    key = _NAME_NUMBER.sub("", key, count=1) or key
    return _NAME_NOTE.sub("", key) or key


def glob_match(pattern: str, text: str) -> bool:
    """Whether `text` matches the glob `pattern` (``*`` any run, ``?`` one character), both
    normalised with `normalize_term`."""
    return compile_glob(normalize_term(pattern))(normalize_term(text))


@lru_cache(maxsize=4096)
def compile_glob(pattern: str) -> Callable[[str], bool]:
    """A matcher of the glob `pattern` (already normalised) that never backtracks.

    A regex such as ``.*a.*a.*a.*b`` can take time exponential in the number of stars on a
    text that almost matches; here the pieces between the stars are found one after another,
    each at its first place (which is always safe for a glob), so a match costs at most the
    text's length times the pattern's.
    """
    if "*" not in pattern:
        return lambda text: len(text) == len(pattern) and _fits(pattern, text, 0)
    pieces = pattern.split("*")
    first, middle, last = pieces[0], [p for p in pieces[1:-1] if p], pieces[-1]
    finders = [_finder(piece) for piece in middle]

    def matches(text: str) -> bool:
        end = len(text) - len(last)
        if end < len(first) or not (_fits(first, text, 0) and _fits(last, text, end)):
            return False
        at = len(first)
        for piece, find in zip(middle, finders, strict=True):
            found = find(text, at, end)
            if found < 0:
                return False
            at = found + len(piece)
        return True

    return matches


def _fits(piece: str, text: str, at: int) -> bool:
    """Whether `piece` (``?`` for any character) matches `text` from `at`."""
    if "?" not in piece:
        return text.startswith(piece, at)
    if at + len(piece) > len(text):
        return False
    return all(p in ("?", t) for p, t in zip(piece, text[at : at + len(piece)], strict=True))


def _finder(piece: str) -> Callable[[str, int, int], int]:
    """Where `piece` first occurs in ``text[start:end]`` (``-1`` if nowhere)."""
    if "?" not in piece:
        return lambda text, start, end: text.find(piece, start, end)
    # A fixed-length pattern without repetition: searching it cannot backtrack.
    regex = re.compile("".join("." if ch == "?" else re.escape(ch) for ch in piece), re.DOTALL)

    def find(text: str, start: int, end: int) -> int:
        found = regex.search(text, start, end)
        return -1 if found is None else found.start()

    return find
