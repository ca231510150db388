"""Category names in `apply` patterns and `weights`: is each one a category a form can print?

A pattern naming a category no form prints (成本指木 for 成本指标) never matches, so the lines
meant for it silently fall to another rule. The names forms print are those the form reader
knows (`rules_engine.readers.vocabulary`), plus those a policy declares with ``categories``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rules_engine.policy.messages import did_you_mean
from rules_engine.policy.model import glob_match, normalize_term
from rules_engine.readers.vocabulary import LEVEL1_WORDS, LEVEL2_WORDS


@dataclass(frozen=True)
class Verdict:
    """Whether a pattern segment names a known category, and the closest known name if not."""

    known: bool
    suggestion: str | None = None


def usual_names(level: int) -> tuple[str, ...]:
    """The category names forms print at path position `level` (0: 一级, 1: 二级), sorted."""
    return tuple(sorted(LEVEL1_WORDS if level == 0 else LEVEL2_WORDS))


def judge(segment: str, level: int, declared: Iterable[str]) -> Verdict:
    """Whether `segment` (a name or a glob, at path position `level`) names a category that a
    form can print: a usual name at either level (forms put 成本指标 at both), or a declared
    one. A glob must match at least one of them. Only the first two levels are judged: the
    third is the indicator's own name."""
    if level > 1 or segment.replace("*", "") == "":
        return Verdict(True)
    names = [*usual_names(level), *usual_names(1 - level), *declared]
    if "*" in segment or "?" in segment:
        if any(glob_match(segment, name) for name in names):
            return Verdict(True)
        return Verdict(False, None)
    # Compared as dispatch compares them (`normalize_term`): a pattern in traditional script
    # (效益指標) would not match a form printing 效益指标.
    key = normalize_term(segment)
    if any(normalize_term(name) == key for name in names):
        return Verdict(True)
    return Verdict(False, did_you_mean(segment, [*usual_names(level), *declared]))
