"""Failure classes seen on real forms, each with a few made-up texts of its own (the reading
door end to end: layout, builder, gate); cases in tests/data/builder_classes.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from rules_engine.diagnostics import UserError
from rules_engine.readers.choice import read_text
from tests.strategies import layout_texts

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "builder_classes.yaml").read_text(encoding="utf-8")
)
FORM_KEYS = ("kind", "title", "year", "project", "department", "unit", "reliability")
LINE_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_class_case(case: dict[str, Any]) -> None:
    if "error" in case:
        with pytest.raises(UserError) as err:
            read_text(case["text"], "case.txt", case.get("layout"))
        assert err.value.diagnostics[0].code == case["error"]
        return
    forms = read_text(case["text"], "case.txt", case.get("layout"))
    assert len(forms) == case.get("forms", 1)
    form = forms[0]
    for key in FORM_KEYS:
        if key in case:
            assert getattr(form, key) == case[key], key
    if "lines" in case:
        got = [
            {k: getattr(line, k) for k in want}
            for line, want in zip(form.indicators, case["lines"], strict=False)
        ]
        want = [{k: _text(v) for k, v in line.items()} for line in case["lines"]]
        assert got == want
        assert len(form.indicators) == len(case["lines"])
    if "process" in case:
        got = [
            {k: getattr(line, k) for k in want}
            for line, want in zip(form.process, case["process"], strict=False)
        ]
        want = [{k: _text(v) for k, v in line.items()} for line in case["process"]]
        assert got == want
        assert len(form.process) == len(case["process"])
    if "budget" in case:
        got_budget = [row.model_dump(exclude={"source"}, exclude_none=True) for row in form.budget]
        assert got_budget == [{k: str(v) for k, v in row.items()} for row in case["budget"]]
    if "warnings" in case:
        assert sorted({d.code for d in form.diagnostics}) == sorted(set(case["warnings"]))
    if "total" in case:
        assert form.total is not None
        assert form.total.model_dump() == case["total"]


@settings(derandomize=True, max_examples=150, deadline=None)
@given(text=layout_texts())
def test_any_text_reads_or_raises_its_own_error(text: str) -> None:
    """The reading door on any text: forms whose rows passed the gate, or a coded error."""
    try:
        forms = read_text(text, "any.txt")
    except UserError as exc:
        assert exc.diagnostics
        return
    for form in forms:
        assert form.reliability in ("sure", "partial", "unreliable")
        assert len(form.warnings) == len(form.diagnostics)
        if not form.indicators and not form.process:
            assert form.reliability == "unreliable"
    assert read_text(text, "any.txt") == forms  # deterministic
