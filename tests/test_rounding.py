"""The one rounding rule: every method at its boundary, aliases, and bad settings refused."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.rounding import Rounding, method_name, round_score

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "rounding.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_rounding_case(case: dict[str, Any]) -> None:
    rounding = Rounding(method=case["method"], places=case["places"])
    assert format(round_score(Decimal(case["value"]), rounding), "f") == case["want"]


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
    with pytest.raises(ValueError, match="unknown rounding method"):
        Rounding(method="round_somehow")
    with pytest.raises(ValueError, match="places"):
        Rounding(places=-1)


def test_default_is_half_up_to_two_places_at_line() -> None:
    assert Rounding().describe("zh") == "四舍五入保留2位小数"
    assert (Rounding().method, Rounding().places, Rounding().stage) == ("half_up", 2, "line")
