"""Running the policy on generated lines and searching with hypothesis (seeded, no database)."""

from __future__ import annotations

import random
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import NoSuchExample, Unsatisfiable

from rules_engine.engine import evaluate
from rules_engine.model import Document, Form, IndicatorLine
from rules_engine.policy.model import CompiledPolicy
from rules_engine.scorecard import FormResult, LineResult

T = TypeVar("T")


def score_form(policy: CompiledPolicy, form: Form) -> FormResult:
    """Evaluate one form."""
    return evaluate(policy, Document(forms=[form])).forms[0]


def score_lines(policy: CompiledPolicy, lines: Sequence[IndicatorLine]) -> list[LineResult]:
    """Evaluate many lines at once, as one form (each line is scored on its own)."""
    if not lines:
        return []
    return list(score_form(policy, Form(kind=policy.scored_kind(), indicators=list(lines))).lines)


def score_line(policy: CompiledPolicy, line: IndicatorLine) -> LineResult:
    """Evaluate one line alone in a form of its own."""
    return score_lines(policy, [line])[0]


def weight_of(line: IndicatorLine) -> Decimal:
    """The line's 分值 as a number (0 when empty)."""
    return Decimal(line.weight or "0")


@dataclass
class Search:
    """The seeded hypothesis search every property uses."""

    policy: CompiledPolicy
    seed: int
    max_examples: int

    def settings(self) -> settings:
        return settings(
            max_examples=self.max_examples,
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            phases=(Phase.generate, Phase.shrink),
            report_multiple_bugs=False,
        )

    def find(self, strategy: st.SearchStrategy[T], broken: Callable[[T], bool]) -> T | None:
        """The smallest example for which `broken` holds, or ``None`` when none was found."""
        try:
            found: Any = find(
                strategy, broken, settings=self.settings(), random=random.Random(self.seed)
            )
        except (NoSuchExample, Unsatisfiable):
            return None
        return found  # type: ignore[no-any-return]


@contextmanager
def scratch_storage() -> Iterator[None]:
    """Keep hypothesis's own cache files in a temporary folder removed afterwards.

    Even without an example database, hypothesis caches what it learns from source files under
    ``.hypothesis/`` in the working folder; verifying a policy must leave the user's folder as
    it was.
    """
    with tempfile.TemporaryDirectory(prefix="rules-engine-verify-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            set_hypothesis_home_dir(None)
