"""Cell shapes: whether a cell's text reads as a number, an amount, a value, a unit, an operator,
a placeholder or an indicator name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rules_engine.readers.text_keys import normalize

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_NAME_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]")
_PLACEHOLDER_NAME = re.compile(r"^指标\s*\d*\s*[:：.、]?\s*[/／—－-]*$")
_VALUE_START = re.compile(r"^[≥≧≤≦<>＜＞=﹦═±+\-~～]|^\d|^[０-９]")
_OPERATOR_ONLY = re.compile(r"^[≥≧≤≦<>＜＞=﹦═]+$|^[>＞<＜]=$")
_DOTS = re.compile(r"^[…\.。·]+$")


@lru_cache(maxsize=16384)
def is_number(text: str) -> bool:
    """A bare decimal number (weights and scores print like this): ``10``, ``9.00``, ``１０``."""
    return bool(_NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip()))


_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|万|元|亿元|亿|千元)?")


@lru_cache(maxsize=16384)
def is_amount(text: str) -> bool:
    """An amount of money as forms print it: ``8.6``, ``150万``, ``150万元``, ``1,234.56``."""
    return bool(_AMOUNT.fullmatch(unicodedata.normalize("NFKC", text).strip()))


@lru_cache(maxsize=16384)
def is_weightlike(text: str) -> bool:
    """A number that can be a weight or a score: a bare number, maybe with 分."""
    norm = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    return bool(_NUMBER.fullmatch(norm))


@lru_cache(maxsize=16384)
def is_name_like(text: str) -> bool:
    """Whether a cell reads as an indicator name: ``指标1：…`` and the like."""
    return bool(_NAME_PREFIX.match(normalize(text)))


@lru_cache(maxsize=16384)
def is_placeholder(text: str) -> bool:
    """A template placeholder printed in place of a row: ``指标2：``, ``……``."""
    norm = normalize(text)
    return bool(_PLACEHOLDER_NAME.fullmatch(norm) or _DOTS.fullmatch(norm))


# Characters units are written with (度量单位 cells): %, 人次, 万元, 元/人·月, 公里, 万平方米 …
_UNIT_CHARS = set(
    "%‰％人次个家元万亿千百亩天年月日周时小分钟秒篇份项条辆座公里米平方立千克吨台套件户所场期批株"
    "棵只头张本册卷处间名位岗班课门例种类组部栋层孔口眼台辆艘架盏块根床元角/·*、 "
    "mMkKgGtTbBＭ"
)


@lru_cache(maxsize=16384)
def is_unit(text: str) -> bool:
    """A cell that reads as a unit of measure (%, 人次, 万元, 元/人·月)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    return 0 < len(norm) <= 6 and all(ch in _UNIT_CHARS for ch in norm)


_PURE_VALUE = re.compile(r"^[≥≧≤≦<>=﹦═±]*\s*\d+(?:\.\d+)?\s*(\S{0,6})$")


@lru_cache(maxsize=16384)
def is_pure_value(text: str) -> bool:
    """A cell that is only a quantity: ``37442人``, ``97.30%``, ``≥95%``, ``14种`` (no name)."""
    match = _PURE_VALUE.match(unicodedata.normalize("NFKC", text).strip())
    return match is not None and all(ch in _UNIT_CHARS for ch in match.group(1))


VALUE_TYPES = frozenset({"定量", "定性"})


def is_value_type(text: str) -> bool:
    """A 指标值类型 cell (定量 / 定性): it says what kind of target follows, it is no target."""
    return normalize(text) in VALUE_TYPES


@lru_cache(maxsize=16384)
def is_operator(text: str) -> bool:
    """A cell holding only a comparison operator (指标性质 / 计算符号 columns)."""
    return bool(_OPERATOR_ONLY.fullmatch(text.strip()))


@lru_cache(maxsize=16384)
def is_value_like(text: str) -> bool:
    """A cell that reads as a target or actual: it starts with a number or an operator."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if not norm:
        return False
    if _VALUE_START.match(norm) and not _NAME_PREFIX.match(norm):
        return True
    return any(word in norm for word in ("不低于", "不少于", "不超过", "不高于", "以上", "以内"))


def year_in(text: str) -> int | None:
    """The year a title or a ``(2021年度)`` line names, if any (``表(2021)`` too)."""
    norm = unicodedata.normalize("NFKC", text)
    match = re.search(r"(20\d{2}|19\d{2})\s*年", norm) or re.search(
        r"[(]\s*(20\d{2}|19\d{2})\s*[)]", norm
    )
    return int(match.group(1)) if match else None
