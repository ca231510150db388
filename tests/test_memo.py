"""The memo tables share only what prints the same: equal numbers written differently stay apart."""

from __future__ import annotations

from decimal import Decimal

from rules_engine.engine.memo import Memo
from rules_engine.policy import model as m
from rules_engine.scorecard import Numbers, Phrase


def test_a_step_is_shared_only_by_equal_arguments_written_alike() -> None:
    memo = Memo()
    first = memo.step("self", {"own": Decimal("8")}, Decimal("8"))
    assert memo.step("self", {"own": Decimal("8")}, Decimal("8")) is first
    assert memo.step("self", {"own": Decimal("8.0")}, Decimal("8.0")) is not first


def test_numbers_inside_a_phrase_keep_their_digits() -> None:
    memo = Memo()
    whole = memo.step("full_marks", {"at": Phrase("at_least", {"value": Decimal("95")})})
    places = memo.step("full_marks", {"at": Phrase("at_least", {"value": Decimal("95.0")})})
    assert whole is not places
    assert str(places.args["at"].args["value"]) == "95.0"  # type: ignore[attr-defined]
    again = memo.step("full_marks", {"at": Phrase("at_least", {"value": Decimal("95")})})
    assert again is whole


def test_a_formulas_values_and_tuples_keep_their_digits() -> None:
    memo = Memo()
    expr = m.Var(name="actual")
    one = memo.step("formula", {"expr": Numbers(expr, (("actual", Decimal("1")),))})
    other = memo.step("formula", {"expr": Numbers(expr, (("actual", Decimal("1.00")),))})
    assert one is not other
    pair = memo.step("band", {"band": (Decimal("6"), Decimal("8"))})
    assert memo.step("band", {"band": (Decimal("6.0"), Decimal("8"))}) is not pair
    assert memo.step("band", {"band": (Decimal("6"), Decimal("8"))}) is pair
