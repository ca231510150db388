"""The engine: table-driven scoring cases for every rule family and boundary, and the seed form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rules_engine.engine import evaluate
from rules_engine.engine.trace import derive_score
from rules_engine.model import Document
from rules_engine.policy.compiler import compile_policy
from rules_engine.readers.load import read_document
from rules_engine.render import json as render_json
from rules_engine.render.phrases import phrase_text
from rules_engine.render.steps import step_text
from rules_engine.scorecard import Scorecard
from tests.engine_cases import case_ids, cases, check

FILE = "scoring.yaml"
SEED = Path(__file__).parent / "fixtures" / "seed" / "000_111099e829c6ea1e.txt"


@pytest.mark.parametrize("case", cases(FILE), ids=case_ids(FILE))
def test_scoring_case(case: dict[str, Any]) -> None:
    check(FILE, case)


@pytest.fixture(scope="module")
def seed() -> Document:
    return read_document(SEED)


@pytest.fixture(scope="module")
def national_card(seed: Document) -> Scorecard:
    return evaluate(compile_policy("national-2020"), seed)


def _line(card: Scorecard, name: str) -> Any:
    return next(x for x in card.forms[0].lines if x.name and name in x.name)


def test_seed_exhibitions_score_6_67_with_formula_and_note_flag(national_card: Scorecard) -> None:
    line = _line(national_card, "参加展会情况")
    assert (line.target, line.actual, line.weight) == ("3-5家", "2", 10)
    assert format(line.score, "f") == "6.67"
    formulas = [s for s in line.steps if s.code == "formula"]
    assert formulas and "10 × 2 ÷ 3" in step_text(formulas[0], "zh") and formulas[0].source
    assert formulas[0].source.startswith("policies/national-2020.policy:")
    assert formulas[0].args["values"] == {"actual": 2, "low": 3, "weight": 10}
    assert "missing_note" in {f.code for f in line.flags}
    assert line.full_marks_actual is not None
    assert phrase_text(line.full_marks_actual, "zh") == "≥3家"


def test_seed_study_trips_score_full(national_card: Scorecard) -> None:
    line = _line(national_card, "外出考察次数")
    assert format(line.score, "f") == "10.00"
    assert line.outcome == "met"
    assert format(line.delta, "f") == "2.00"


def test_seed_total_and_grade_beside_the_self_reported_90(national_card: Scorecard) -> None:
    total = national_card.forms[0].total
    assert total.self_score == 90
    assert total.score == sum(x.score for x in national_card.forms[0].lines if x.score is not None)
    assert total.grade == "优" and total.self_grade == "优"
    assert total.delta == total.score - 90


def test_seed_every_line_scored_and_traced(national_card: Scorecard) -> None:
    lines = national_card.forms[0].lines
    assert len(lines) == 13
    for line in lines:
        assert line.outcome != "review", line.steps
        assert line.score == derive_score(line.steps)
        assert line.rule and line.source


def test_seed_targets_only_form_explained_without_scores(national_card: Scorecard) -> None:
    form = national_card.forms[1]
    assert form.form.kind == "targets-only"
    assert all(x.score is None and x.outcome == "review" for x in form.lines)
    assert all(x.rule is not None for x in form.lines)
    unquantified = {
        x.target for x in form.lines if "target_not_quantified" in {f.code for f in x.flags}
    }
    assert "合规" in unquantified and "100%" not in unquantified
    assert form.total.score is None and form.budget is None


def test_second_run_is_identical(seed: Document) -> None:
    policy = compile_policy("national-2020")
    first = render_json.render(evaluate(policy, seed), "zh")
    second = render_json.render(evaluate(compile_policy("national-2020"), seed), "zh")
    assert first == second
