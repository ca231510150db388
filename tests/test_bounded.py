"""The one bounded number reader: form figures, targets and command-line values inside the
range the engine computes with; anything past it is not read, never guessed."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rules_engine import bounded
from tests.strategies import edge_numbers

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "bounded_numbers.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_bounded_case(case: dict[str, Any]) -> None:
    text = case["text"]
    if case["kind"] == "figure":
        value = bounded.figure(text)
        assert (str(value) if value is not None else None) == case["value"]
        assert bounded.figure_problem(text) == case.get("problem")
        return
    read = bounded.count if case["kind"] == "count" else bounded.size
    options = {"low": case["low"]} if "low" in case else {}
    if case.get("error"):
        with pytest.raises(argparse.ArgumentTypeError):
            read(text, **options)
    else:
        assert read(text, **options) == case["value"]


@settings(max_examples=200)
@given(text=edge_numbers())
def test_a_figure_read_is_within_the_bounds(text: str) -> None:
    # Whatever is read is exact inside the scoring context: 15 digits, below 10^12, 6 places.
    value = bounded.figure(text)
    if value is None:
        return
    assert bounded.within(value)
    assert abs(value) < Decimal(10) ** bounded.MAX_INTEGER_DIGITS
    assert value == value.quantize(Decimal(1).scaleb(-bounded.MAX_PLACES))


@settings(max_examples=100)
@given(digits=st.integers(min_value=1, max_value=60), places=st.integers(min_value=0, max_value=60))
def test_within_counts_digits_magnitude_and_places(digits: int, places: int) -> None:
    text = "9" * digits + ("." + "9" * places if places else "")
    expected = (
        digits <= bounded.MAX_INTEGER_DIGITS
        and places <= bounded.MAX_PLACES
        and digits + places <= bounded.MAX_DIGITS
    )
    assert bounded.within(Decimal(text)) == expected
