"""Engine properties under the shipped national policy: bounds, sums, monotony, determinism."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from rules_engine.engine import evaluate
from rules_engine.model import Document, Form, IndicatorLine, Position
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.render import json as render_json
from rules_engine.scorecard import FormResult, LineResult
from tests import strategies

PROPERTY = settings(derandomize=True, max_examples=60, deadline=None)
FORMS = settings(derandomize=True, max_examples=25, deadline=None)


@cache
def national(copy: int = 0) -> CompiledPolicy:
    """The shipped national policy (`copy` 1 is a second, separately compiled object)."""
    return compile_policy("national-2020")


def _text(value: Decimal) -> str:
    return format(value, "f")


def _score(form: Form) -> FormResult:
    return evaluate(national(), Document(forms=[form])).forms[0]


def _one(target: str, actual: str, weight: str = "10", level2: str = "数量指标") -> LineResult:
    line = IndicatorLine(
        level1="产出指标",
        level2=level2,
        name="指标",
        target=target,
        actual=actual,
        weight=weight,
        source=Position(row=1, col=1),
    )
    return _score(Form(kind="project-self-evaluation", indicators=[line])).lines[0]


@FORMS
@given(strategies.forms())
def test_every_score_lies_within_zero_and_the_weight(form: Form) -> None:
    for line in _score(form).lines:
        if line.score is not None:
            assert line.weight is not None
            assert Decimal(0) <= line.score <= line.weight, line.steps


@FORMS
@given(strategies.forms())
def test_total_is_the_sum_of_lines_plus_a_counted_budget(form: Form) -> None:
    result = _score(form)
    expected = sum((x.score for x in result.lines if x.score is not None), Decimal(0))
    if result.budget is not None and result.budget.counted and result.budget.score is not None:
        expected += result.budget.score
    assert result.total.score == expected


@PROPERTY
@given(strategies.amounts(1, 500), strategies.amounts(0, 900), strategies.amounts(0, 900))
def test_forward_score_never_falls_as_the_actual_rises(
    target: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))
    first = _one(f"≥{_text(target)}", _text(low))
    second = _one(f"≥{_text(target)}", _text(high))
    assert first.rule == second.rule == "正向"
    assert first.score is not None and second.score is not None
    assert first.score <= second.score


@PROPERTY
@given(strategies.amounts(1, 500), strategies.amounts(0, 900), strategies.amounts(0, 900))
def test_reverse_score_never_rises_as_the_actual_rises(
    target: Decimal, a: Decimal, b: Decimal
) -> None:
    low, high = sorted((a, b))
    first = _one(f"≤{_text(target)}万元", _text(low))
    second = _one(f"≤{_text(target)}万元", _text(high))
    assert first.rule == second.rule == "反向"
    assert first.score is not None and second.score is not None
    assert first.score >= second.score


@PROPERTY
@given(
    strategies.amounts(1, 300),
    strategies.amounts(0, 50),
    st.lists(strategies.amounts(0, 400), min_size=2, max_size=2),
)
def test_range_score_never_falls_as_the_actual_rises(
    low: Decimal, span: Decimal, actuals: list[Decimal]
) -> None:
    a, b = sorted(actuals)
    target = f"{_text(low)}-{_text(low + span + 1)}家"
    first, second = _one(target, _text(a)), _one(target, _text(b))
    assert first.score is not None and second.score is not None
    assert first.score <= second.score


@FORMS
@given(strategies.forms())
def test_a_second_run_gives_the_same_bytes(form: Form) -> None:
    document = Document(forms=[form])
    first = render_json.render(evaluate(national(), document), "en")
    # A separately compiled policy: nothing carried over from the first run's caches.
    second = render_json.render(evaluate(national(1), document), "en")
    assert first == second
