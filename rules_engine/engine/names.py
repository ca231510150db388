"""What an indicator's name says about its target: the amounts written into it (``举办培训班
2-3次``), its core words, and whether two names are the same indicator, for the target review.

Amounts are found with the target language's own words (its units and comparison words, taken
from grammar/target.lark) and read by it, so a name's ``5-8家`` means what a target ``5-8家``
means. Matching names is conservative: only a name contained in the other is the same
indicator; names sharing most of their characters are only close, and said to be so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache
from typing import Literal

from rules_engine.policy.model import normalize_term
from rules_engine.targets import normalise, read_cell, terminal_patterns
from rules_engine.values import Compare, Range

# ``指标1：`` before the name proper.
_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.．、]\s*")
# What a name ends with that says "how many" or "how it went" without naming the work.
_GENERIC_ENDS = ("次数", "个数", "数量", "情况", "数")
_PUNCTUATION = re.compile(r"[\s,，、。.;；:：()（）“”\"'‘’《》<>〈〉\[\]【】]")
# The smallest name a match may rest on, and the share of characters close names must share.
_MIN_CORE = 3
_CLOSE_SHARE = Decimal("0.8")

Likeness = Literal["same", "close"]


@dataclass(frozen=True, slots=True)
class Amount:
    """An amount written in a name: as printed (after the target language's normalisation),
    its bounds (equal for a single figure), its comparison (``range`` for a range) and unit."""

    text: str
    low: Decimal
    high: Decimal
    op: str
    unit: str


def short_name(name: str | None) -> str:
    """``指标3：参加展会情况`` → ``参加展会情况``."""
    if not name:
        return ""
    return _PREFIX.sub("", name.strip()) or name.strip()


@cache
def _amount_pattern() -> re.Pattern[str]:
    """An amount as names print it: a comparison word, a figure or a range, a known unit and
    ``以上``; built from the target language's terminals."""
    words = terminal_patterns()
    before = "|".join(words[k] for k in ("GE_WORD", "LE_WORD", "GT_WORD", "LT_WORD"))
    number = r"\d+(?:\.\d+)?"
    unit = words["UNIT"]
    # (周 before 岁 or 年 is an age or an anniversary, not a number of weeks.)
    return re.compile(
        rf"(?<![\d.第])(?:{before}|>=|<=|>|<)?{number}(?:(?:{unit})?[-~至到]{number})?"
        rf"(?:{unit})(?![岁年])(?:/[年月日周天季度]{{1,2}})?(?:{words['GE_AFTER']})?"
    )


@lru_cache(maxsize=16384)
def amounts_in(name: str) -> tuple[Amount, ...]:
    """The amounts with a unit a name holds (``组织5-8家企业参加展会`` → ``5-8家``); a figure
    after 第 (第3期) or without a unit (指标1) is not one."""
    text = normalise(short_name(name))
    found: list[Amount] = []
    for match in _amount_pattern().finditer(text):
        value = read_cell(match.group(), "target")
        if isinstance(value, Range) and value.unit:
            found.append(Amount(match.group(), value.low, value.high, "range", value.unit))
        elif isinstance(value, Compare) and value.unit:
            found.append(Amount(match.group(), value.value, value.value, value.op, value.unit))
    return tuple(found)


def without(name: str, amounts: tuple[Amount, ...]) -> str:
    """The name with its amounts taken out (``举办培训班2-3次`` → ``举办培训班``)."""
    text = normalise(short_name(name))
    for amount in amounts:
        text = text.replace(amount.text, "", 1)
    return text


@lru_cache(maxsize=16384)
def core(name: str) -> str:
    """The words that name the work: no prefix, amounts, punctuation or generic ending
    (``外出考察次数`` → ``外出考察``; ``外出考察学习2-3次`` → ``外出考察学习``)."""
    text = normalize_term(without(name, amounts_in(name)))
    text = _PUNCTUATION.sub("", text)
    for end in _GENERIC_ENDS:
        if text.endswith(end) and len(text) - len(end) >= _MIN_CORE - 1:
            return text[: -len(end)]
    return text


def likeness(one: str, other: str) -> Likeness | None:
    """``same`` when one core name contains the other (at least three characters), ``close``
    when four in five of the shorter one's characters are in the longer one, else ``None``."""
    a, b = core(one), core(other)
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) < _MIN_CORE - 1 or not longer:
        return None
    if shorter == longer or (len(shorter) >= _MIN_CORE and shorter in longer):
        return "same"
    chars = set(shorter)
    if len(chars) < _MIN_CORE:
        return None
    share = Decimal(len(chars & set(longer))) / Decimal(len(chars))
    return "close" if share >= _CLOSE_SHARE else None


def same_name(one: str | None, other: str | None) -> bool:
    """Whether two lines carry the same name (prefix, spacing and punctuation aside)."""
    if not one or not other:
        return False
    return _key(one) == _key(other)


@lru_cache(maxsize=16384)
def _key(name: str) -> str:
    return _PUNCTUATION.sub("", normalize_term(short_name(name)))


def name_key(name: str | None) -> str:
    """The name as lines are compared for duplicates: ``""`` for none, and for a cell with no
    word in it (a placeholder row's ``0`` is not a name)."""
    key = _key(name) if name else ""
    return key if any(ch.isalpha() for ch in key) else ""
