"""Table-driven cases for the form builder: small grids and what must be read from them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings

from rules_engine.diagnostics import Diagnostic, UserError
from rules_engine.readers import header_words, text_keys
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.builder import build_forms
from rules_engine.readers.grid import Cell, Grid
from tests.strategies import grids

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "builder_cases.yaml").read_text(encoding="utf-8")
)
FORM_KEYS = ("kind", "title", "year", "project", "department", "unit")


def _grid(rows: list[list[str]], tabular: bool = True) -> Grid:
    """A grid as tab-separated text gives it; `tabular` off for layouts that drop empty cells."""
    cells = [
        [Cell(text=str(text).strip(), row=r, col=c) for c, text in enumerate(row, start=1)]
        for r, row in enumerate(rows, start=1)
    ]
    return Grid(rows=cells, source="case.txt", layout="tsv", tabular=tabular)


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_builder_case(case: dict[str, Any]) -> None:
    forms = build_forms(_grid(case["rows"], case.get("tabular", True)))
    assert len(forms) == case.get("forms", 1)
    form = forms[0]
    for key in FORM_KEYS:
        if key in case:
            assert getattr(form, key) == case[key], key
    if "lines" in case:
        assert len(form.indicators) == len(case["lines"])
        for index, (line, want) in enumerate(zip(form.indicators, case["lines"], strict=True)):
            got = {k: getattr(line, k) for k in want}
            assert got == {k: (None if v is None else str(v)) for k, v in want.items()}, index
    if "total" in case:
        assert form.total is not None
        assert form.total.model_dump() == case["total"]
    if "budget" in case:
        got_budget = [row.model_dump(exclude={"source"}) for row in form.budget]
        assert got_budget == case["budget"]
    if "warnings" in case:
        assert [d.code for d in form.diagnostics] == case["warnings"]
        assert form.warnings == [str(d) for d in form.diagnostics]
    if "reliability" in case:
        assert form.reliability == case["reliability"]


def test_every_line_keeps_its_source_and_cells() -> None:
    case = next(c for c in CASES if c["id"] == "cost-row-shifted-left-reads-as-level2")
    form = build_forms(_grid(case["rows"]))[0]
    cost = form.indicators[1]
    # source: the leftmost placed cell of the row (成本指标 in column 1 of row 3).
    assert cost.source is not None
    assert (cost.source.row, cost.source.col) == (3, 1)
    assert {k: (p.row, p.col) for k, p in cost.cells.items()} == {
        "level1": (2, 1),
        "level2": (3, 1),
        "name": (3, 2),
        "target": (3, 3),
        "actual": (3, 4),
        "weight": (3, 5),
        "score": (3, 6),
    }


def test_uncertain_cell_warning_is_located() -> None:
    case = next(c for c in CASES if c["id"].startswith("value-that-fits-two"))
    diag = build_forms(_grid(case["rows"]))[0].diagnostics[0]
    assert (diag.severity, diag.line, diag.col) == ("warning", 2, 6)
    assert "95%" in diag.text("zh")


@pytest.mark.parametrize(
    "rows",
    [[], [[""]], [["项目名称", "某项目"], ["年度总体目标", "完成"]], [["一级指标"]]],
    ids=["empty", "blank", "no-header", "one-header-word"],
)
def test_no_indicator_header_is_a_located_user_error(rows: list[list[str]]) -> None:
    with pytest.raises(UserError) as caught:
        build_forms(_grid(rows))
    assert caught.value.exit_code == 2
    diag = caught.value.diagnostics[0]
    assert diag.code == "E100"
    assert (diag.file, diag.line) == ("case.txt", 1)
    assert diag.hint("zh") and diag.hint("en")


@pytest.mark.parametrize(
    ("text", "levels", "preferred"),
    [
        ("产出指标", {1}, 1),
        ("产出指标(50分)", {1}, 1),
        ("产出指标(50)", {1}, 1),
        ("满意度指标（10）", {1, 2}, 1),
        ("产出指标 (40-50)分", {1}, 1),
        ("效益指标30分)", {1}, 1),
        ("產(chǎn)出指標(biāo)", {1}, 1),
        ("经济效益 指标", {2}, 2),
        ("数量指标 (必填硬性指标)", {2}, 2),
        ("服务对象满意度指标", {2}, 2),
        ("满意度指标", {1, 2}, 1),
        ("成本指标", {1, 2}, 2),
        ("成本指标(0-20)分", {1, 2}, 2),
        ("指标1：外出考察次数", set(), None),
        ("满意", set(), None),
    ],
)
def test_category_vocabulary(text: str, levels: set[int], preferred: int | None) -> None:
    assert vocab.category_level(text) == levels
    assert vocab.preferred_level(text) == preferred


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("产出指标(50)", "产出指标"),
        ("效益指标（30.5）", "效益指标"),
        ("产出指标(50分)", "产出指标"),
        ("成本指标（元）", "成本指标(元)"),  # a unit, not points: kept
        ("数量指标", "数量指标"),
    ],
)
def test_category_key_drops_the_points_printed_beside_a_name(text: str, key: str) -> None:
    # Weight groups and dispatch compare category names by this key: 产出指标(50) is 产出指标.
    assert text_keys.category_key(text) == key


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("一级指标", "level1"),
        ("一級指標(biāo)", "level1"),
        ("三级指标：", "name"),
        ("年度指标值", "target"),
        ("*指标值", "target"),
        ("年初目标值（A）", "target"),
        ("实际完成值(B)", "actual"),
        ("全年实际值", "actual"),
        ("分值", "weight"),
        ("权重", "weight"),
        ("自评得分", "score"),
        ("偏差原因分析及改进措施", "note"),
        ("指标性质", "op"),
        ("计算符号", "op"),
        ("度量单位", "unit"),
        ("指标解释", "ignore"),
        ("外出考察次数", None),
    ],
)
def test_header_names(text: str, field: str | None) -> None:
    assert header_words.header_field(text) == field


@settings(derandomize=True, max_examples=150, deadline=None)
@given(rows=grids())
def test_any_grid_reads_or_raises_its_own_error(rows: list[list[str]]) -> None:
    try:
        forms = build_forms(_grid(rows))
    except UserError as err:
        assert err.diagnostics[0].code == "E100"
        return
    again = build_forms(_grid(rows))
    assert [f.model_dump() for f in forms] == [f.model_dump() for f in again]
    for form in forms:
        assert form.warnings == [str(d) for d in form.diagnostics]
        for line in form.indicators:
            # Nothing is invented: every value read is the text of some cell of the grid.
            printed = {str(text).strip() for row in rows for text in row}
            for key in ("level2", "name", "actual", "weight", "score", "note"):
                value = getattr(line, key)
                assert value is None or value in printed, key


def test_search_budget_stops_a_table_of_irregular_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("rules_engine.readers.table_rows.MAX_SEARCHED", 2)
    rows = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值"]]
    irregular = ["", "", "", "", "", "", "乱码", "文字", "10"]
    rows += [irregular] * 3 + [["产出指标", "数量指标", "指标1：培训次数", "1-2次", "1"]]
    rows += [irregular] * 3 + [["产出指标", "数量指标", "指标2：参训人数", "≥100人", "120人"]]
    form = build_forms(_grid(rows))[0]
    assert [d.code for d in form.diagnostics].count("E106") == 1
    names = [line.name for line in form.indicators]
    # Aligned rows are still read once the search budget is spent ...
    assert "指标1：培训次数" in names
    # ... until as many irregular rows in a row end the table.
    assert "指标2：参训人数" not in names


@pytest.mark.parametrize(
    ("cut_col", "name", "target"),
    [(4, "指标1：受助对象满意度", None), (3, "指标1：受助对象满", "≥90%")],
    ids=["cut-value-left-out", "cut-name-kept"],
)
def test_a_cell_cut_by_truncation(cut_col: int, name: str, target: str | None) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["满意度指标", "服务对象满意度指标", name, "≥90%"],
    ]
    grid = _grid(rows)
    grid.diagnostics.append(
        Diagnostic(code="E145", args={"line": "2"}, severity="warning", line=2, col=cut_col)
    )
    line = build_forms(grid)[0].indicators[0]
    assert (line.name, line.target) == (name, target)
