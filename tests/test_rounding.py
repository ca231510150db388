"""The one rounding rule: every method at its boundary, aliases, and bad settings refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from rules_engine.policy.model import Rounding
from rules_engine.rounding import method_name

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "rounding.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rounding_case(case: dict[str, Any]) -> None:
    rounding = Rounding(method=case["method"], places=case["places"])
    assert format(rounding.apply(Decimal(case["value"])), "f") == case["want"]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("四舍五入", "half_up"),
        ("截断", "truncate"),
        ("bankers", "half_even"),
        ("half_up", "half_up"),
    ],
)
def test_method_names_as_policies_write_them(written: str, name: str) -> None:
    assert method_name(written) == name


def test_unknown_method_and_places_are_refused() -> None:
    assert method_name("round_somehow") is None
    with pytest.raises(ValidationError, match="method"):
        Rounding(method="round_somehow")
    with pytest.raises(ValidationError, match="places"):
        Rounding(places=-1)
    with pytest.raises(ValidationError, match="places"):
        Rounding(places=11)


def test_default_is_half_up_to_two_places_at_line() -> None:
    assert (Rounding().method, Rounding().places, Rounding().stage) == ("half_up", 2, "line")
