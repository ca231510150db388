"""Regression guard: value recall and precision of the form reader on the labelled corpus.

The figures are those `benchmarks/corpus_forms.py` reports on the copy of the corpus in
`tests/fixtures/corpus/`, with a little room below them so the test fails on a regression.
"""

from __future__ import annotations

import importlib.util
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).parent / "fixtures" / "corpus"

# group -> (measure, floor), a little below the figures reached when written.
FLOORS = {
    "clean": ("recall", 0.99),
    "messy": ("recall", 0.92),
    "all": ("precision", 0.995),
}


@cache
def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "corpus_forms", ROOT / "benchmarks" / "corpus_forms.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def summary() -> dict[str, dict[str, float]]:
    bench = _bench()
    result: dict[str, dict[str, float]] = bench.summary(bench.score_corpus(CORPUS))
    return result


@pytest.mark.parametrize("readability", sorted(FLOORS))
def test_corpus_figure_holds(summary: dict[str, dict[str, float]], readability: str) -> None:
    measure, floor = FLOORS[readability]
    assert summary[readability]["forms"] > 0
    assert summary[readability][measure] >= floor, summary[readability]


def test_seed_scores_every_field() -> None:
    bench = _bench()
    scores = bench.score_file(CORPUS, CORPUS / "labels" / "000_111099e829c6ea1e.json")
    got = [(s.labelled, s.matched, s.recall, s.precision) for s in scores]
    assert got == [(13, 13, 1.0, 1.0), (29, 29, 1.0, 1.0)]


def test_every_ambiguous_form_says_what_it_could_not_read() -> None:
    bench = _bench()
    scores = [s for s in bench.score_corpus(CORPUS) if s.readability == "ambiguous"]
    silent = [s.file for s in scores if s.warnings == 0 and s.error is None and s.labelled]
    assert silent == []


def test_no_row_is_invented_on_an_ambiguous_file() -> None:
    bench = _bench()
    scores = [s for s in bench.score_corpus(CORPUS) if s.readability == "ambiguous"]
    assert [(s.file, s.extra) for s in scores if s.extra] == []


def test_a_form_that_could_not_be_read_whole_says_so() -> None:
    bench = _bench()
    for score in bench.score_corpus(CORPUS):
        if score.reliability == "sure":
            assert score.readability != "ambiguous" or score.labelled == 0, score.file


def test_points_printed_in_labels_are_read() -> None:
    # Yunnan template (corpus 030): 预算执行情况(万元)(20分) gives the budget's weight, and the
    # totals row 总分(100分) | 100 | 自评等级 | 优 gives the total's weight and score.
    from rules_engine.readers.load import read_document

    form = read_document(CORPUS / "forms" / "030_yunnan_baoshan_tuiyijunren_weiwen_2022.txt").forms[
        0
    ]
    assert form.total is not None
    assert (form.total.weight, form.total.score) == ("100", "100")
    head = form.budget[0]
    assert (head.name, head.adjusted, head.weight, head.score) == (
        "年度财政资金总额",
        "34.64",
        "20",
        "20",
    )


@pytest.mark.parametrize(
    ("text", "total", "points"),
    [
        ("总分", True, None),
        ("总分(100分)", True, "100"),
        ("合计（100分）", True, "100"),
        ("总分值", False, None),
        ("预算执行情况(万元) (20分)", False, "20"),
        ("得分(20分*执行率)", False, None),
    ],
)
def test_total_labels_and_their_points(text: str, total: bool, points: str | None) -> None:
    from rules_engine.readers import header_words

    assert header_words.is_total_label(text) is total
    assert header_words.points_in_label(text) == points
