"""Text for matching names: normalised (NFKC, simplified, no converter residue or spaces) and
reduced to a category's words."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Traditional characters that occur in header and category names, mapped to simplified ones.
# Only names are matched through this table; cell text is always kept as printed.
_TRADITIONAL = str.maketrans(
    "標級實際質數時經濟態續響滿對務項門價値單資預執額財撥結轉餘總計產績過決設調權並當規劃評類說準內號稱屬員會開發達測進極點現覺環衛專補學職業國組織樂區縣鎮應與為統體後據眾衆費監農勞審關係護檢驗醫療機構確認備註",
    "标级实际质数时经济态续响满对务项门价值单资预执额财拨结转余总计产绩过决设调权并当规划评类说准内号称属员会开发达测进极点现觉环卫专补学职业国组织乐区县镇应与为统体后据众众费监农劳审关系护检验医疗机构确认备注",
)

# A broken simplified→traditional converter keeps the original reading in brackets: 指標(biāo).
_PINYIN_RESIDUE = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ\s]+[)）]")
# Score annotations printed inside category and header labels: 产出指标(50分), (40-50)分, （必填）.
_ANNOTATION = re.compile(
    r"[(（][^()（）]*[)）]分|[(（][^()（）]*?(?:分|必填|选填|硬性|%)[^()（）]*?[)）]"
    r"|[(（]?\d+(?:\.\d+)?分[)）]?$|[(（]\d+(?:\.\d+)?[)）]$|[★☆*＊]+"
)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Text for matching names: NFKC, simplified, no converter residue, annotations or spaces."""
    out = _PINYIN_RESIDUE.sub("", text)
    out = unicodedata.normalize("NFKC", out)
    out = out.translate(_TRADITIONAL)
    out = _SPACE.sub("", out)
    return out


@lru_cache(maxsize=16384)
def category_key(text: str) -> str:
    """A category label reduced to its words: ``产出指标(50分)`` → ``产出指标``."""
    out = normalize(text)
    out = _ANNOTATION.sub("", out)
    out = out.strip(":：.、")
    return out
