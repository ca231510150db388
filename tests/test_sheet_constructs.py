"""Whole-sheet constructs: deductions, dispatch by name, not-applicable lines and rescaling,
alternative grade sets, the kinds of form a policy scores, recipients added up."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

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
