"""Shadowed `apply` lines found through indexes agree with the pairwise definition, and globs
match as a regex would, without its backtracking."""

from __future__ import annotations

import re

from hypothesis import given, settings

from rules_engine.policy import model as m
from rules_engine.policy.analysis import covers
from rules_engine.policy.shadowing import apply_covers, shadowed
from tests.strategies import dispatch_lists, glob_pairs

PROPERTY = settings(derandomize=True, max_examples=300, deadline=None)


def pairwise(dispatch: list[m.Apply]) -> list[tuple[int, int]]:
    """Every apply with the first earlier one covering it, comparing every pair."""
    found: list[tuple[int, int]] = []
    seen: list[m.Apply] = []
    for apply in dispatch:
        if any(not a.selectors for a in seen):
            break
        earlier = next((a for a in seen if apply_covers(a, apply, covers)), None)
        if earlier is not None:
            found.append((apply.loc.line, earlier.loc.line))
        seen.append(apply)
    return found


@PROPERTY
@given(dispatch_lists())
def test_indexed_shadowing_is_the_pairwise_one(dispatch: list[m.Apply]) -> None:
    indexed = [(a.loc.line, e.loc.line) for a, e in shadowed(dispatch, covers)]
    assert indexed == pairwise(dispatch)


def by_regex(pattern: str, text: str) -> bool:
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(regex, text, re.DOTALL) is not None


@PROPERTY
@given(glob_pairs())
def test_glob_matches_as_the_regex_does(pair: tuple[str, str]) -> None:
    pattern, text = pair
    assert m.compile_glob(pattern)(text) == by_regex(pattern, text)


def test_a_run_of_stars_is_one_star() -> None:
    # As a regex, `.*.*….*x` on a long text without x takes exponential time; here it is a scan.
    stars = "*" * 60 + "x"
    assert not m.glob_match(stars, "产出指标" * 5000)
    assert m.glob_match(stars, "产出指标" * 5000 + "x")
    assert not m.glob_match("*a" * 40 + "*b", "a" * 20000)
    assert m.glob_match("产出*?标", "产出指标")
