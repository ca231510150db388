"""The dispatch of a compiled policy: its selectors and the routes (``apply`` lines) they pick."""

from __future__ import annotations

from dataclasses import dataclass

from rules_engine.engine.conds import Cond
from rules_engine.engine.rules import CompiledRule
from rules_engine.policy import model as m
from rules_engine.scorecard import Phrase, Step


@dataclass(frozen=True, slots=True)
class Selector:
    """One dispatch selector, compiled: a category path test or a condition."""

    path: int | None  # index of the path test in `Plan.path_tests`
    cond: Cond | None
    phrase: Phrase


@dataclass(frozen=True, slots=True)
class Route:
    """One ``apply`` line: its selectors, the rule it picks (or a review), and its citation."""

    number: int
    selectors: tuple[Selector, ...]
    rule: CompiledRule | None
    review: m.Review | None
    source: str
    # What the selectors ask, and the step that says which rule applies and why.
    phrase: Phrase
    step: Step
