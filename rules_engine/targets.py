"""Read a target (年度指标值) or actual (实际完成值) cell text into a typed value."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache, lru_cache

from lark import Lark
from lark.exceptions import LarkError, UnexpectedInput

from rules_engine.bounded import SHORT, within
from rules_engine.lark_tables import load_parser, terminals
from rules_engine.target_fast import FastPath
from rules_engine.target_messages import (
    EMPTY,
    GARBLED,
    MESSAGES,
    MISREAD_OPERATOR,
    MISREAD_PERCENT,
    ODD_SIGNS,
    ONLY_OPERATOR,
    OUT_OF_RANGE,
    PLACEHOLDER,
    SEVERAL_NUMBERS,
    TOO_LONG_NUMBER,
    UNREADABLE,
    WORDS_BEFORE,
    unknown,
)
from rules_engine.target_tree import TermText, ToValue
from rules_engine.values import CellValue, Compare, DateValue, Number, Range, Role, Term, Unknown

__all__ = ["MESSAGES", "fast_path_reads", "normalise", "read_cell", "read_uncached"]

# ------------------------------------------------------------------------------------------------
# Normalisation: one spelling of every symbol, so the grammar stays readable.

# Full-width ASCII (Ｕ+FF01..FF5E) and the ideographic space become their half-width forms.
_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_VARIANTS = {
    "\u3000": " ",
    "≥": ">=",
    "≧": ">=",
    "⩾": ">=",
    "≮": ">=",
    "≤": "<=",
    "≦": "<=",
    "⩽": "<=",
    "≯": "<=",
    "﹥": ">",
    "﹤": "<",
    "﹦": "=",
    "═": "=",
    "〓": "=",
    "–": "-",
    "—": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "−": "-",
    "﹣": "-",
    "〜": "~",
    "∼": "~",
    "﹪": "%",
}
_SYMBOLS = str.maketrans(_FULL_WIDTH | _VARIANTS)
_SPACES = re.compile(r"\s+")
# Each rewrite runs only where its trigger occurs: most cells need none of them.
_REWRITES = (
    # Doubled dashes between two values are one separator (`2020年1月--2020年11月`); before
    # the first digit they are kept, so that `--5` is not read as -5.
    ("--", re.compile(r"([0-9][^-]*?)-{2,}"), r"\1-"),
    ("~~", re.compile(r"~{2,}"), "~"),
    ("=>", re.compile(r"=>"), ">="),
    ("=<", re.compile(r"=<"), "<="),
    ("百分之", re.compile(r"百分之([0-9.]+)"), r"\1%"),
    ("百分比", re.compile(r"百分比"), "%"),
    ("萬元", re.compile(r"萬元"), "万元"),
    ("億元", re.compile(r"億元"), "亿元"),
    # 1,000 is one thousand; a comma between clauses is left for the grammar to reject.
    (",", re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))"), ""),
)
# Trailing sentence punctuation is not part of the value.
_TRAILING = "。.;,、:"
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LONG_NUMBER = re.compile(r"[0-9]{21,}")


# `\d` is any Unicode decimal digit; the ASCII ones stay as they are.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(found: re.Match[str]) -> str:
    return str(unicodedata.decimal(found[0]))


def normalise(text: str) -> str:
    """Rewrite `text` into the one spelling the grammar reads (see the head of target.lark)."""
    # Other scripts' decimal digits (Arabic-Indic, full-width) become ASCII digits.
    out = _SPACES.sub("", _OTHER_DIGIT.sub(_ascii_digit, text).translate(_SYMBOLS))
    for trigger, pattern, replacement in _REWRITES:
        if trigger in out:
            out = pattern.sub(replacement, out)
    return out.rstrip(_TRAILING)


# ------------------------------------------------------------------------------------------------
# Damage: texts a scan or a converter spoilt, which would otherwise read as something they are not.

# A cell of dashes, slashes or dots only is the form's way of printing "nothing here" (the same
# placeholders model.blank_to_none knows); a scanned `—` often comes back as 一, which no value
# cell means by itself.
_PLACEHOLDER = re.compile(r"[-一_/\\~…·]+")
# Two signs before the first number (`--5`, `+-5`): which sign was meant cannot be known.
_ODD_SIGNS = re.compile(r"[^0-9]*?[-+±]{2,}(?=[0-9.])")
# 一 or 二 right before a digit: a scanned `-`, `=` or `≥` (二100%); numerals never do that.
_NUMERAL_FOR_OPERATOR = re.compile(r"(?<![0-9])[一二](?=[0-9.])")
# A letter O, l or I among digits (`1O0%`, `l00%`): OCR put a letter where a digit was.
_LETTER_AMONG_DIGITS = re.compile(r"[0-9][OoIl]+(?=[0-9%‰])|(?<![A-Za-z])[OoIl]+(?=[0-9])")


def _damaged(text: str) -> Unknown | None:
    """The reason a normalised, non-empty text is damaged beyond reading, if it is."""
    if _PLACEHOLDER.fullmatch(text):
        return unknown(PLACEHOLDER)
    if _ODD_SIGNS.match(text):
        return unknown(ODD_SIGNS)
    if _NUMERAL_FOR_OPERATOR.search(text):
        return unknown(MISREAD_OPERATOR)
    if _LETTER_AMONG_DIGITS.search(text):
        return unknown(GARBLED)
    if _LONG_NUMBER.search(text):
        return unknown(TOO_LONG_NUMBER)
    return None


def misread_ge(value: Compare) -> bool:
    """A percentage with no operator that reads as `2` + a share: `≥92%` scanned as `292%`."""
    if value.op != "=" or value.unit != "%":
        return False
    return Decimal(200) <= value.value < Decimal(300) or value.value == Decimal(2100)


# ------------------------------------------------------------------------------------------------
# The reader.


@cache
def _parser() -> Lark:
    """The LALR parser of grammar/target.lark, loaded once (from its prebuilt tables).

    The transformer runs inside the parser (no tree is built), which halves the time per text.
    """
    return load_parser("target", transformer=ToValue())


@cache
def _fast_path() -> FastPath:
    """The hand-written reader of the commonest shapes, built from the grammar's terminals (read
    from the prebuilt tables: the parser itself is loaded only for a text the fast path leaves)."""
    return FastPath.from_terminals(terminals("target"))


def _parse(text: str, fast: bool) -> object:
    """What the grammar's transformer gives for a normalised text (raises LarkError if none)."""
    quick = _fast_path().read(text) if fast else None
    return quick if quick is not None else _parser().parse(text)


@cache
def terminal_patterns() -> dict[str, str]:
    """The regular expression of each terminal of grammar/target.lark, by terminal name
    (``UNIT``, ``GE_WORD``…), for other readers of amounts to match what targets match."""
    return {t.name: t.pattern.to_regexp() for t in terminals("target")}


@cache
def _operator_only() -> re.Pattern[str]:
    """A text made of operators (symbols, comparison words) and at most a unit: no value."""
    names = "OP_SYMBOL PLUS_MINUS GE_WORD LE_WORD GT_WORD LT_WORD EQ_WORD GE_AFTER LE_AFTER"
    patterns = terminal_patterns()
    words = "|".join(patterns[name] for name in names.split())
    return re.compile(rf"(?:{words})+(?:{patterns['UNIT']})?(?:{words})*")


@cache
def _letter_for_digit() -> re.Pattern[str]:
    """A lone letter O right before a unit (`第O份`): OCR put a letter where the digit 0 was."""
    return re.compile(rf"(?<![A-Za-z])[Oo](?={terminal_patterns()['UNIT']})")


def _explain_failure(text: str, error: LarkError) -> Unknown:
    """Pick the most useful reason for a text the grammar rejects."""
    numbers = _DIGITS.findall(text)
    if len(numbers) > 1:
        return unknown(SEVERAL_NUMBERS)
    first_digit = next((i for i, ch in enumerate(text) if ch.isdigit()), len(text))
    position = error.pos_in_stream if isinstance(error, UnexpectedInput) else None
    if position is not None and 0 <= position < first_digit:
        return unknown(WORDS_BEFORE)
    return unknown(UNREADABLE)


def _read_target(original: str, fast: bool = True) -> CellValue:
    text = normalise(original)
    if not text:
        return unknown(EMPTY)
    damage = _damaged(text)
    if damage is not None:
        return damage
    try:
        value = _parse(text, fast)
    except LarkError as error:
        return _explain_failure(text, error)
    if isinstance(value, TermText):
        if _operator_only().fullmatch(text):
            return unknown(ONLY_OPERATOR)
        if _letter_for_digit().search(text):
            return unknown(GARBLED)
        return Term(term=original.strip())
    if len(text) <= SHORT:
        assert isinstance(value, (Compare, Range, DateValue, Unknown))
        return value  # its numbers are too short to be past the bounds
    if isinstance(value, Compare):
        return value if within(value.value) else unknown(OUT_OF_RANGE)
    if isinstance(value, Range):
        return value if within(value.low) and within(value.high) else unknown(OUT_OF_RANGE)
    assert isinstance(value, (DateValue, Unknown))
    return value


def read_cell(text: str, role: Role = "target") -> CellValue:
    """Read one cell's text as a target (a bare number is ``=``) or an actual (a ``Number``).

    Never raises: a text that cannot be read is an `Unknown` carrying a coded reason. Each
    distinct (text, role) is parsed once; values are frozen, so sharing them is safe.
    """
    return _read_cached(text, role)


def read_uncached(text: str, role: Role = "target", *, fast: bool = True) -> CellValue:
    """`read_cell` without its cache; ``fast=False`` reads every text with the grammar alone.

    The two give the same value for every text (tests/test_target_fast.py); the switch exists
    so that tests and benchmarks can compare them.
    """
    value = _read_target(text, fast)
    if isinstance(value, Compare):
        # Both roles: an actual that copies its target (`≥92%`) is scanned the same way.
        if misread_ge(value):
            return unknown(MISREAD_PERCENT)
        if role == "actual":
            # An actual that copies the target with its operator (`≥266米`) states that number.
            return Number(value=value.value, unit=value.unit)
    return value


@lru_cache(maxsize=1 << 16)
def _read_cached(text: str, role: Role) -> CellValue:
    return read_uncached(text, role)


def fast_path_reads(text: str) -> bool:
    """Whether the fast path, not the grammar, reads `text` (for benchmarks: the hit rate)."""
    normal = normalise(text)
    return bool(normal) and _damaged(normal) is None and _fast_path().read(normal) is not None
