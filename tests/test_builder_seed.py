"""The seed file read exactly as its label says: both forms, every field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rules_engine.model import Form, Position
from rules_engine.readers.builder import build_forms
from rules_engine.readers.layouts import split_text

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_111099e829c6ea1e.txt"
LABEL = SEED.with_suffix(".json")
HEADER_FIELDS = ("kind", "title", "project", "department", "unit", "year", "total")
LINE_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score", "note")
BUDGET_FIELDS = ("name", "initial", "adjusted", "executed", "weight", "rate", "score")


def _forms() -> list[Form]:
    grids = split_text(SEED.read_text(encoding="utf-8"), str(SEED))
    return [form for grid in grids for form in build_forms(grid)]


def _labels() -> list[dict[str, Any]]:
    label = json.loads(LABEL.read_text(encoding="utf-8"))
    return [label, *label.get("more_forms", [])]


def test_seed_holds_two_forms() -> None:
    forms = _forms()
    assert [form.kind for form in forms] == ["project-self-evaluation", "targets-only"]


@pytest.mark.parametrize("number", [0, 1], ids=["self-evaluation", "targets"])
def test_seed_header_fields(number: int) -> None:
    form = _forms()[number].model_dump(mode="json")
    label = _labels()[number]
    assert {k: form[k] for k in HEADER_FIELDS} == {k: label[k] for k in HEADER_FIELDS}


@pytest.mark.parametrize("number", [0, 1], ids=["self-evaluation", "targets"])
def test_seed_budget_block(number: int) -> None:
    form = _forms()[number]
    got = [{k: getattr(row, k) for k in BUDGET_FIELDS} for row in form.budget]
    assert got == _labels()[number]["budget"]


@pytest.mark.parametrize("number", [0, 1], ids=["self-evaluation", "targets"])
def test_seed_indicator_lines(number: int) -> None:
    form = _forms()[number]
    got = [{k: getattr(line, k) for k in LINE_FIELDS} for line in form.indicators]
    want = [{k: line[k] for k in LINE_FIELDS} for line in _labels()[number]["indicators"]]
    assert len(got) == len(want) == (13, 29)[number]
    for index, (g, w) in enumerate(zip(got, want, strict=True), start=1):
        assert g == w, f"line {index}"


def test_seed_reads_without_warnings() -> None:
    assert [form.warnings for form in _forms()] == [[], []]


def test_seed_sources_point_at_the_rows_first_placed_cell() -> None:
    first = _forms()[0]
    # 指标1：外出考察次数: its row opens with 产出指标 in column 2 of source row 15.
    source = first.indicators[0].source
    assert source == Position(row=15, col=2)
    # The shifted 成本指标 row: 二级 in column 2, the name in column 3.
    cost = first.indicators[7]
    assert cost.cells["level2"] == Position(row=22, col=2)
    assert cost.cells["name"] == Position(row=22, col=3)
    # Filled-down 一级 points at the merged cell it came from.
    assert cost.cells["level1"] == Position(row=15, col=2)


def test_seed_json_round_trip_keeps_the_contract_shape() -> None:
    form = _forms()[0]
    data = form.model_dump(mode="json")
    assert "diagnostics" not in data
    assert Form.model_validate(data).indicators == form.indicators
