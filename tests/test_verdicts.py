"""Form verdicts: a total is final only when it is known, otherwise a range and a grade only
when the range lies in one band (DESIGN §5); the defects found on real forms, one case each."""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from rules_engine.engine import evaluate
from rules_engine.model import BudgetRow, Document, Form, IndicatorLine, Position
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.scorecard import FormResult
from tests import strategies
from tests.engine_cases import case_ids, cases, check

FILE = "verdicts.yaml"
VERDICTS = settings(derandomize=True, max_examples=80, deadline=None)
# Reasons under which every total is possible (the values themselves may be wrong).
DOUBT = {"reading_unreliable", "weights_over", "header_fragments", "nothing_read"}


@pytest.mark.parametrize("case", cases(FILE), ids=case_ids(FILE))
def test_verdict_case(case: dict[str, Any]) -> None:
    check(FILE, case)


@cache
def national() -> CompiledPolicy:
    return compile_policy("national-2020")


def _score(form: Form) -> FormResult:
    return evaluate(national(), Document(forms=[form])).forms[0]


def _grade(total: Decimal) -> str:
    for band in national().grades:
        if band.bound is None or total > band.bound or (band.inclusive and total == band.bound):
            return band.label
    raise AssertionError("no band")


def _forward(weight: Decimal, actual: Decimal, row: int) -> IndicatorLine:
    """A line any policy can score: ≥100 against an actual, worth `weight`."""
    return IndicatorLine(
        level1="产出指标",
        name=f"补足{row}",
        target="≥100",
        actual=format(actual, "f"),
        weight=format(weight, "f"),
        source=Position(row=row, col=1),
    )


def _complete(form: Form, result: FormResult, actuals: list[Decimal], spent: Decimal) -> Form:
    """One way the unknown parts of `form` could turn out: every pending line scored, the weight
    missing from the policy's total present as a line, an unread budget read."""
    lines: list[IndicatorLine] = []
    draws = iter(actuals)
    for line, scored in zip(form.indicators, result.lines, strict=True):
        doubtful = any(f.code == "self_score_above_weight" for f in scored.flags)
        if scored.score is not None and scored.weight is not None and not doubtful:
            lines.append(line)
        elif scored.weight is not None:
            lines.append(_forward(scored.weight, next(draws, Decimal(0)), len(lines) + 1))
    total = national().weights.total  # type: ignore[union-attr]
    assert total is not None
    visible = sum((x.weight for x in result.lines if x.weight is not None), Decimal(0))
    budget = result.budget
    counted = budget is not None and budget.counted and budget.weight is not None
    if counted:
        assert budget is not None and budget.weight is not None
        visible += budget.weight
    if visible < total:
        lines.append(_forward(total - visible, next(draws, Decimal(0)), len(lines) + 1))
    rows = form.budget
    if budget is not None and counted and budget.score is None:
        rows = [BudgetRow(name="年度资金总额", adjusted="100", executed=format(spent, "f"))]
    return form.model_copy(update={"indicators": lines, "budget": rows})


@VERDICTS
@given(
    strategies.forms(),
    st.lists(strategies.amounts(0, 150), min_size=10, max_size=10),
    strategies.amounts(0, 150),
)
def test_every_completion_lies_within_low_and_high(
    form: Form, actuals: list[Decimal], spent: Decimal
) -> None:
    result = _score(form)
    total = result.total
    assume(not DOUBT & set(total.reasons))
    assert total.low is not None and total.high is not None
    done = _score(_complete(form, result, actuals, spent))
    assert done.total.final, done.total.reasons
    assert done.total.score is not None
    assert total.low <= done.total.score <= total.high, (total.reasons, done.total.score)


@VERDICTS
@given(strategies.forms())
def test_a_final_total_equals_its_parts(form: Form) -> None:
    result = _score(form)
    total = result.total
    if not total.final:
        assert total.reasons
        return
    parts = sum((x.score for x in result.lines if x.score is not None), Decimal(0))
    if result.budget is not None and result.budget.counted and result.budget.score is not None:
        parts += result.budget.score
    assert all(x.score is not None for x in result.lines)
    assert total.score == parts == total.low == total.high
    assert total.grade == _grade(parts)


@VERDICTS
@given(strategies.forms())
def test_no_grade_when_the_range_crosses_a_band_bound(form: Form) -> None:
    total = _score(form).total
    if total.low is None or total.high is None:
        assert total.grade is None
        return
    if _grade(total.low) != _grade(total.high):
        assert total.grade is None
        assert len(total.grades) > 1
    else:
        assert list(total.grades) == [_grade(total.low)]
        assert total.grade == _grade(total.low)
