"""Layout detection and splitting: small texts per layout (tests/data/layout_cases.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rules_engine.diagnostics import UserError
from rules_engine.readers.layouts import LAYOUTS, detect_layout, split_text
from tests.strategies import layout_texts

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "layout_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_layout_case(case: dict[str, Any]) -> None:
    grids = split_text(case["text"], "case.txt", case.get("force"))
    assert len(grids) == 1
    grid = grids[0]
    assert grid.layout == case["layout"]
    assert [" | ".join(cell.text for cell in row) for row in grid.rows] == case["rows"]
    codes = sorted({d.code for d in grid.diagnostics})
    assert codes == sorted(set(case.get("warnings", [])))
    assert len(grid.warnings) == len(grid.diagnostics)


@pytest.mark.parametrize(
    "case", [c for c in CASES if "force" not in c], ids=[c["id"] for c in CASES if "force" not in c]
)
def test_layout_detected_by_itself(case: dict[str, Any]) -> None:
    assert detect_layout(case["text"]) == case["layout"]


CORPUS = Path(__file__).parent / "fixtures" / "corpus" / "forms"
# The layout each corpus file is labelled with (labels/<stem>.json, field `layout`).
LABELLED = {
    "001": "one-line",
    "002": "pipe-cell-per-line",
    "004": "space-separated",
    "007": "pipe-rows",
    "010": "pipe-rows",
    "011": "pipe-rows",
    "013": "pipe-rows",
    "014": "paragraph-per-cell",
    "016": "markdown",
    "017": "pipe-cell-per-line",
    "019": "glued",
    "020": "pipe-cell-per-line",
    "022": "glued",
    "023": "glued",
    "025": "pipe-rows",
    "026": "pipe-cell-per-line",
    "028": "space-separated",
    "029": "glued",
    "031": "pipe-rows",
    "035": "pipe-rows",
    "038": "pipe-rows",
    "040": "paragraph-per-cell",
    "041": "space-separated",
    "043": "markdown",
    "044": "paragraph-per-cell",
    "046": "glued",
    "047": "pipe-cell-per-line",
    "049": "markdown",
}


@pytest.mark.parametrize("prefix", sorted(LABELLED))
def test_corpus_layout_detected(prefix: str) -> None:
    (path,) = CORPUS.glob(f"{prefix}_*.txt")
    assert detect_layout(path.read_text(encoding="utf-8")) == LABELLED[prefix]


def test_forced_layout_must_be_known() -> None:
    with pytest.raises(UserError) as err:
        split_text("a\tb\n", "x.txt", "columns")
    assert err.value.diagnostics[0].code == "E140"
    assert "pipe-rows" in err.value.diagnostics[0].hint("en")


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_takes_any_text(layout: str) -> None:
    text = "一级指标 | 二级指标\n\n\t产出指标数量指标10次10次55\n  (50分)\n"
    (grid,) = split_text(text, "x.txt", layout)
    assert all(cell.text == cell.text.strip() for row in grid.rows for cell in row)


def test_runaway_line_is_cut_and_reported() -> None:
    text = "一级指标\t二级指标\t三级指标\n" + "x" * 50_000 + "\n"
    (grid,) = split_text(text, "x.txt")
    assert [d.code for d in grid.diagnostics] == ["E146"]
    assert max(len(c.text) for row in grid.rows for c in row) <= 20_000


@settings(derandomize=True, max_examples=120, deadline=None)
@given(text=layout_texts(), layout=st.sampled_from([None, *LAYOUTS]))
def test_any_text_splits_without_error(text: str, layout: str | None) -> None:
    (grid,) = split_text(text, "any.txt", layout)
    lines = len(text.splitlines())
    for row in grid.rows:
        for cell in row:
            assert cell.text == cell.text.strip()
            assert 1 <= cell.row <= max(lines, 1)
            assert cell.col >= 1
    assert len(grid.warnings) == len(grid.diagnostics)
    assert split_text(text, "any.txt", layout)[0].rows == grid.rows  # deterministic


def test_layouts_rebuilt_by_meaning_read_a_bounded_text(monkeypatch: pytest.MonkeyPatch) -> None:
    from rules_engine.readers import layouts

    monkeypatch.setattr(layouts, "MAX_REBUILT", 60)
    text = "项目名称\n\n某某项目\n\n" * 10
    (grid,) = split_text(text, "x.txt", "paragraph-per-cell")
    assert [d.code for d in grid.diagnostics] == ["E148"]
    assert max(cell.row for row in grid.rows for cell in row) <= 20  # of 40 lines
    (whole,) = split_text(text, "x.txt", "tsv")
    assert not whole.diagnostics  # table layouts are read whole


@pytest.mark.parametrize(
    ("text", "layout", "where"),
    [
        # One cell per line, padded rows: the file ends inside the third cell of a row.
        ("一级指标 |\n二级指标 |\n指标值 |\n||\n产出指标 |\n数量指标 |\n>=9", None, (7, 3)),
        # Rows on lines: the file ends after a pipe inside a row.
        ("一级指标 | 二级指标 | 指标值 | |\n产出指标 | 数量指标 | >=9", "pipe-rows", (2, 3)),
        # Paragraphs: the last row stops after its target.
        (
            "一级指标\n\n二级指标\n\n三级指标\n\n年度指标值\n\n实际完成值\n\n分值\n\n"
            "产出指标\n\n数量指标\n\n指标1:次数\n\n≥2次\n\n2",
            "paragraph-per-cell",
            (21, 5),
        ),
    ],
    ids=["cell-lines", "pipe-rows", "paragraphs"],
)
def test_the_cell_a_truncation_cut_is_named(
    text: str, layout: str | None, where: tuple[int, int]
) -> None:
    (grid,) = split_text(text, "cut.txt", layout)
    (cut,) = [d for d in grid.diagnostics if d.code == "E145"]
    assert (cut.line, cut.col) == where
    cell = next(c for row in grid.rows for c in row if (c.row, c.col) == where)
    assert cell.text  # kept as printed: the form builder leaves a cut value out


def test_text_after_a_complete_table_is_no_cut() -> None:
    text = "一级指标 | 二级指标 | 指标值 | |\n产出指标 | 数量指标 | 1次 | |\n- 扫一扫打开当前页"
    (grid,) = split_text(text, "page.txt")
    assert not grid.diagnostics
