"""How well a cell's text suits each indicator field: the meaning side of cell placement."""

from __future__ import annotations

from functools import lru_cache

from rules_engine.model import blank_to_none as _blank
from rules_engine.readers import cell_shapes, header_words, text_keys
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell
from rules_engine.readers.placement import Fit


def _budget_word(text: str) -> bool:
    """A budget block's column name (执行率, 全年执行数); 预算执行率 is also an indicator name."""
    return header_words.budget_field(text) is not None and "预算执行率" not in text_keys.normalize(
        text
    )


@lru_cache(maxsize=65536)
def fit(name: str, text: str) -> int:  # noqa: C901, PLR0911, PLR0912
    """How well a cell's text suits a field; negative means it contradicts the field."""
    if _blank(text) is None:
        return 0  # a printed "nothing" (—, /) fits any column
    header_word = header_words.header_field(text) is not None and not vocab.category_level(text)
    if header_word or _budget_word(text):
        return (
            0 if name in header_words.PASSIVE_FIELDS else -8
        )  # a header word is no value of the table
    levels = vocab.category_level(text)
    named = cell_shapes.is_name_like(text)
    number = cell_shapes.is_weightlike(text)
    value = cell_shapes.is_value_like(text) or number
    operator = cell_shapes.is_operator(text)
    long_text = len(text) > 24
    if cell_shapes.is_value_type(text):
        return 1 if name in header_words.PASSIVE_FIELDS else -4
    if name in ("level1", "level2"):
        level = 1 if name == "level1" else 2
        if levels:
            if level not in levels:
                return -3
            return 4 if vocab.preferred_level(text) == level else 3
        if named or value or operator:
            return -8
        # A 二级 the vocabulary does not know is short (部门工作管理); longer text is a name.
        return 0 if len(text) <= 6 else -1 if not long_text else -2
    if name == "name":
        if named:
            return 5
        if cell_shapes.is_pure_value(text) and not number:
            return -8  # a quantity (37442人, 97.30%) is never a name; a bare 0 may be a stub
        if levels:
            return -2
        if operator:
            return -6
        if number:
            return -4
        if value:
            return -1
        # Names run longer than targets: a sentence standing alone is a name written out.
        return 2 if len(text) > 12 else 1
    if name in ("target", "actual", "value"):
        if named:
            return -8
        if levels:
            return -6
        if operator:
            return -4
        if value:
            return 3
        return 1 if len(text) <= 8 else 0
    if name in ("weight", "score", "review"):
        return 3 if number else -6
    if name == "op":
        return 5 if operator else -6
    if name == "unit":
        if number or named or levels:
            return -6
        return 2 if cell_shapes.is_unit(text) else -3
    # note and ignored columns take any text, but not the row's own name or categories.
    return -4 if named or levels else 0


def fit_under(level1: Cell | None) -> Fit:
    """`fit`, knowing the 一级 the row stands under: the same word again is its 二级."""
    if level1 is None:
        return fit
    current = text_keys.category_key(level1.text)

    def fit_here(name: str, text: str) -> int:
        same = name in ("level1", "level2") and text_keys.category_key(text) == current
        if same and vocab.category_level(text) == {1, 2}:
            return 4 if name == "level2" else 3
        return fit(name, text)

    return fit_here
