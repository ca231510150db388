"""Properties of the target reader: any text gives a value, never an exception; always the same."""

from __future__ import annotations

from typing import get_args

from hypothesis import given, settings
from pydantic import TypeAdapter

from rules_engine.targets import _read_target, read_cell
from rules_engine.values import CellValue, Compare, DateValue, Number, Range, Role, Term, Unknown
from tests.strategies import roles, target_texts

VALUE_TYPES = (Compare, Range, Term, DateValue, Number, Unknown)
ADAPTER: TypeAdapter[CellValue] = TypeAdapter(CellValue)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(text=target_texts(), role=roles())
def test_any_text_reads_as_a_value(text: str, role: Role) -> None:
    assert role in get_args(Role)
    value = read_cell(text, role)
    assert isinstance(value, VALUE_TYPES)
    # The JSON shape is valid and reads back as the same value.
    assert ADAPTER.validate_python(value.to_json()).to_json() == value.to_json()
    if isinstance(value, Unknown):
        assert value.code is not None and value.reason


@settings(derandomize=True, max_examples=300, deadline=None)
@given(text=target_texts())
def test_reading_is_deterministic(text: str) -> None:
    # Uncached twice, then through the cache: the same value every time.
    first = _read_target(text)
    assert _read_target(text) == first
    assert read_cell(text) == (read_cell(text))
    if not isinstance(first, (Compare, Unknown)):
        assert read_cell(text) == first


@settings(derandomize=True, max_examples=200, deadline=None)
@given(text=target_texts())
def test_actuals_never_carry_an_operator(text: str) -> None:
    assert not isinstance(read_cell(text, "actual"), Compare)
