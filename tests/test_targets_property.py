"""Properties of the target reader: any text gives a coded value, never an exception."""

from __future__ import annotations

from hypothesis import given, settings
from pydantic import TypeAdapter

from rules_engine.targets import MESSAGES, normalise, read_cell, read_uncached
from rules_engine.values import CellValue, Compare, Number, Role, Term, Unknown
from tests.strategies import roles, target_texts

ADAPTER: TypeAdapter[CellValue] = TypeAdapter(CellValue)


@settings(derandomize=True, max_examples=400, deadline=None)
@given(text=target_texts(), role=roles())
def test_any_text_reads_as_a_value_with_a_coded_reason(text: str, role: Role) -> None:
    value = read_cell(text, role)
    # The JSON shape is valid and reads back as the same value.
    assert ADAPTER.validate_python(value.to_json()).to_json() == value.to_json()
    if isinstance(value, Unknown):
        assert value.code in MESSAGES


@settings(derandomize=True, max_examples=300, deadline=None)
@given(text=target_texts(), role=roles())
def test_the_cache_returns_what_reading_gives(text: str, role: Role) -> None:
    assert read_cell(text, role) == read_uncached(text, role)


@settings(derandomize=True, max_examples=300, deadline=None)
@given(text=target_texts())
def test_an_actual_reads_as_the_target_reading_without_its_operator(text: str) -> None:
    target, actual = read_cell(text, "target"), read_cell(text, "actual")
    if isinstance(target, Compare):
        assert actual == Number(value=target.value, unit=target.unit)
    else:
        assert not isinstance(actual, (Compare, Number))
        assert actual == target


@settings(derandomize=True, max_examples=300, deadline=None)
@given(text=target_texts(), role=roles())
def test_a_normalised_text_reads_the_same(text: str, role: Role) -> None:
    value, again = read_cell(text, role), read_cell(normalise(text), role)
    if isinstance(value, Term):
        assert isinstance(again, Term)  # a term keeps the text as printed
    else:
        assert again == value
