"""All hypothesis strategies of the test suite, in one module."""

from __future__ import annotations

from hypothesis import strategies as _st

from rules_engine.values import Role

# --- target language: cell texts (tests/test_targets_property.py) ---------------------------

# Pieces real target cells are made of, in several spellings, so random joins reach deep rules.
TARGET_PIECES = (
    *"0123456789０１２３４５６７８９.．%％-－~～—±+, ，。/、*",
    *("≥", "≧", ">=", "＞", ">", "≤", "<=", "<", "=", "﹦", "═", "＝"),
    *("不低于", "不少于", "至少", "以上", "及以上", "不超过", "以内", "以下", "及其以下"),
    *("小于", "低于", "大于", "超过", "至", "到", "每", "全年", "完成", "百分比", "萬元"),
    *("次", "家", "个", "人", "人次", "万元", "元", "亿元", "亩", "天", "工作日", "万平方米"),
    *("年", "月", "日", "底", "前", "份", "O", "合规", "正增长", " ", "\t", "\n"),
)


def target_texts() -> _st.SearchStrategy[str]:
    """Texts a target or actual cell might hold: joined real pieces, or any text at all."""
    joined = _st.lists(_st.sampled_from(TARGET_PIECES), max_size=12).map("".join)
    return _st.one_of(joined, _st.text(max_size=30))


def roles() -> _st.SearchStrategy[Role]:
    """The two ways a cell is read."""
    both: tuple[Role, ...] = ("target", "actual")
    return _st.sampled_from(both)
