"""Each worked example of the scoring research reproduces its published or computed figure."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine_cases import case_ids, cases, check

FILE = "worked_examples.yaml"


@pytest.mark.parametrize("case", cases(FILE), ids=case_ids(FILE))
def test_worked_example(case: dict[str, Any]) -> None:
    check(FILE, case)
