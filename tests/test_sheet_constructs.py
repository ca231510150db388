"""Whole-sheet constructs: deductions, dispatch by name, not-applicable lines and rescaling,
alternative grade sets, the kinds of form a policy scores, recipients added up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.policy.findings import diagnose
from tests.engine_cases import case_ids, cases, check
from tests.test_policy_compile import test_compile_case as compile_case

FILE = "sheet_scoring.yaml"


@pytest.mark.parametrize("case", cases(FILE), ids=case_ids(FILE))
def test_sheet_case(case: dict[str, Any]) -> None:
    check(FILE, case)


COMPILE: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "sheet_compile.yaml").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize("case", COMPILE, ids=[c["name"] for c in COMPILE])
def test_compile_case(case: dict[str, Any]) -> None:
    compile_case(case)


def test_check_finds_tiers_against_their_direction_and_unreachable_alternative_grades() -> None:
    path = Path(__file__).parent / "data" / "broken_policies" / "tiers_reversed.policy"
    policy, diagnostics = diagnose(str(path))
    assert policy is not None
    found = [(d.code, d.line, d.text("en")) for d in diagnostics]
    assert [(code, line) for code, line, _ in found] == [("E527", 10), ("E527", 19), ("E513", 32)]
    assert "the tier [80%, 90%) gives 60%, less than the tier [70%, 80%) (80%)" in found[0][2]
    assert "where the actual is higher" in found[1][2]
    # rescaled to 100, a bound of 120 is out of reach whatever the weights
    assert "above the full mark 100" in found[2][2]
