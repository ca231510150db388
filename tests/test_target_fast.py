"""The fast path reads the common shapes exactly as the grammar does, and reads most of them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from rules_engine import targets
from rules_engine.targets import fast_path_reads, normalise, read_uncached
from rules_engine.values import Role
from tests.strategies import fast_shape_texts, roles


def _same(fast: object, grammar: object) -> bool:
    # repr as well as ==: Decimal('95') == Decimal('95.0'), but they print differently.
    return fast == grammar and repr(fast) == repr(grammar)


@settings(derandomize=True, max_examples=3000, deadline=None)
@given(text=fast_shape_texts())
def test_fast_path_gives_what_the_grammar_gives(text: str) -> None:
    normal = normalise(text)
    if not normal:
        return
    fast = targets._fast_path().read(normal)
    if fast is not None:
        # Where the fast path answers, the grammar reads the same text to the same value.
        assert _same(fast, targets._parser().parse(normal)), normal


@settings(derandomize=True, max_examples=2000, deadline=None)
@given(text=fast_shape_texts(), role=roles())
def test_reading_with_and_without_the_fast_path_agrees(text: str, role: Role) -> None:
    assert _same(read_uncached(text, role), read_uncached(text, role, fast=False)), text


@pytest.mark.parametrize(
    "text",
    [
        "≥95%",
        "＞＝９５％",
        "100",
        "38508人",
        "1100万元",
        "95%以上",
        "不低于95%",
        "≤7个工作日",
        "30天以内",
        "1-2次",
        "3－5家",
        "5至8家",
        "1.5-2.5万元",
        "合规",
        "按时完成",
        " 满意 ",
    ],
)
def test_common_shapes_take_the_fast_path(text: str) -> None:
    assert fast_path_reads(text)


@pytest.mark.parametrize(
    "text",
    # A sign, a leading zero, a month, a remark, two operators, a reversed range, a deadline
    # in words, a label, a unit the grammar does not list: the grammar reads these.
    [
        "-5",
        "000亩",
        "2023.07",
        "100%覆盖",
        "≥95%以上",
        "5-3次",
        "年底前完成",
        "合格率≥95%",
        "80TB",
        "2021年",
        "1-12月",
        "每月3次",
        "一",
    ],
)
def test_other_texts_are_left_to_the_grammar(text: str) -> None:
    assert not fast_path_reads(text)


def test_fast_path_reads_most_generated_shapes() -> None:
    # Not vacuous: on the plain shapes (no near misses) the fast path answers.
    texts = [
        f"{op}{n}{unit}"
        for op in ("", "≥", "≤", "不低于")
        for n in ("1", "95", "0.5")
        for unit in ("", "%", "次", "万元")
    ]
    assert all(fast_path_reads(text) for text in texts)
