"""diff: replaying forms through two policies lists exactly the lines that change."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rules_engine.authoring.policydiff import bucket, replay, rule_changes
from rules_engine.cli import main
from rules_engine.diagnostics import UserError
from rules_engine.engine import evaluate
from rules_engine.formset import form_files, read_forms
from rules_engine.model import Document
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
NATIONAL = ROOT / "policies" / "national-2020.policy"
OLD_BAND = "accept [60%, 80%)"
NEW_BAND = "accept [50%, 80%)"
FORMS = [FIXTURES / "corpus" / "forms", FIXTURES / "seed", FIXTURES / "diff"]

Key = tuple[str, int, int]


@pytest.fixture(scope="module")
def variant(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national policy with its 部分达成 band moved from [60%, 80%) to [50%, 80%)."""
    text = NATIONAL.read_text(encoding="utf-8")
    assert text.count(OLD_BAND) == 1
    path = tmp_path_factory.mktemp("policies") / "national-variant.policy"
    path.write_text(text.replace(OLD_BAND, NEW_BAND), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def documents() -> list[tuple[str, Document]]:
    """Every readable corpus form, the seed, and a form made to sit on the band's edges."""
    found = []
    for path in form_files(FORMS):
        try:
            found.append((str(path), read_forms(path)))
        except UserError:
            continue  # forms the readers cannot place are not part of this comparison
    return found


def expected(
    old: CompiledPolicy, new: CompiledPolicy, documents: list[tuple[str, Document]]
) -> tuple[set[Key], set[Key]]:
    """Lines whose score changes, and lines whose score, outcome or flags change, computed
    by scoring every form under both policies side by side."""
    scores: set[Key] = set()
    anything: set[Key] = set()
    for file, document in documents:
        before, after = evaluate(old, document), evaluate(new, document)
        for f, (a, b) in enumerate(zip(before.forms, after.forms, strict=True), start=1):
            for x, y in zip(a.lines, b.lines, strict=True):
                key = (file, f, x.index)
                if x.score != y.score:
                    scores.add(key)
                flags = sorted(g.code for g in x.flags) != sorted(g.code for g in y.flags)
                if x.score != y.score or x.outcome != y.outcome or flags:
                    anything.add(key)
    return scores, anything


def test_diff_lists_exactly_the_lines_whose_score_changes(
    variant: Path, documents: list[tuple[str, Document]]
) -> None:
    old, new = compile_policy(str(NATIONAL)), compile_policy(str(variant))
    scores, anything = expected(old, new, documents)
    result = replay(old, new, documents)
    listed = {(c.file, c.form, c.index) for c in result.lines}
    assert {(c.file, c.form, c.index) for c in result.lines if "score" in c.fields} == scores
    assert listed == anything
    edge = str(FIXTURES / "diff" / "partial_tier.json")
    assert {(edge, 1, 1), (edge, 1, 2), (edge, 1, 5)} <= scores  # 55%, 50% and 2.6 of 5
    assert (edge, 1, 3) not in listed  # 70% is inside both bands
    assert (edge, 1, 4) not in listed  # 45% is outside both
    assert result.lines_total == sum(
        len(f.lines) for _, d in documents for f in evaluate(old, d).forms
    )


def test_rule_level_difference_is_the_one_band(variant: Path) -> None:
    [change] = rule_changes(compile_policy(str(NATIONAL)), compile_policy(str(variant)))
    assert (change.kind, change.what, change.name) == ("changed", "clause", "定性")
    assert change.old is not None and "[60%, 80%)" in change.old
    assert change.new is not None and "[50%, 80%)" in change.new


def test_command_json(variant: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edge = FIXTURES / "diff"
    code = main(["diff", str(NATIONAL), str(variant), str(edge), "--format", "json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    changed = [(x["index"], x["old"]["score"], x["new"]["score"]) for x in out["lines"]]
    assert changed == [(1, None, "5.50"), (2, None, "5.00"), (5, None, "2.60")]
    assert out["summary"]["lines_changed"] == 3
    assert out["summary"]["forms_affected"] == 1
    assert [r["what"] for r in out["rules"]] == ["clause"]


def test_command_text_shows_both_traces(variant: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(NATIONAL), str(variant), str(FIXTURES / "diff")]) == 0
    out = capsys.readouterr().out
    assert "旧规则" in out and "新规则" in out
    assert "不在允许区间 [6.00, 8.00)" in out and "在允许区间 [5.00, 8.00)" in out
    assert "受影响 1 张" in out and "变化 3 行" in out


BUCKETS = yaml.safe_load((Path(__file__).parent / "data" / "diff_buckets.yaml").read_text("utf-8"))


@pytest.mark.parametrize("case", BUCKETS, ids=[str(c["delta"]) for c in BUCKETS])
def test_total_change_buckets(case: dict[str, str | None]) -> None:
    delta = None if case["delta"] is None else Decimal(case["delta"])
    assert bucket(delta) == case["bucket"]


@pytest.fixture(scope="module")
def budget_and_grades(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The national policy with the budget score raised (min(rate × 1.1, 100%)) and 优 from 85."""
    text = NATIONAL.read_text(encoding="utf-8")
    old_budget, old_grade = "weight * min(rate, 100%)", "优 >= 90"
    assert text.count(old_budget) == 1 and text.count(old_grade) == 1
    text = text.replace(old_budget, "weight * min(rate * 1.1, 100%)")
    text = text.replace(old_grade, "优 >= 85")
    path = tmp_path_factory.mktemp("policies") / "national-budget-grades.policy"
    path.write_text(text, encoding="utf-8")
    return path


def _form_with(budget_executed: str, lines: list[dict[str, str]]) -> dict[str, object]:
    budget = {"name": "年度资金总额", "initial": "100", "adjusted": "100"}
    budget |= {"executed": budget_executed, "weight": "10"}
    return {
        "kind": "project-self-evaluation",
        "project": f"执行 {budget_executed}",
        "budget": [budget],
        "indicators": lines,
    }


@pytest.fixture(scope="module")
def moved_forms(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two forms: one whose budget (80% executed) gains points, one at 88 that becomes 优."""
    full = {"level1": "产出指标", "level2": "数量指标", "target": "≥10次", "actual": "10"}
    short = full | {"actual": "8"}
    one = _form_with(
        "80", [full | {"name": "甲", "weight": "50"}, full | {"name": "乙", "weight": "40"}]
    )
    two = _form_with(
        "100", [full | {"name": "丙", "weight": "30"}, short | {"name": "丁", "weight": "60"}]
    )
    path = tmp_path_factory.mktemp("forms") / "moved.json"
    path.write_text(json.dumps({"forms": [one, two]}, ensure_ascii=False), encoding="utf-8")
    return path


def test_text_lists_changed_totals_grades_and_budgets_per_form(
    budget_and_grades: Path, moved_forms: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(NATIONAL), str(budget_and_grades), str(moved_forms)]) == 0
    out = capsys.readouterr().out
    assert "总分、等级或预算得分变化的表（2 张）" in out
    # Form 1: 90 of the lines + 8 of the budget → 90 + 8.8; 优 either way.
    assert "表 1 执行 80 · 总分 98.00 → 98.80 (+0.80) · 预算得分 8.00 → 8.80" in out
    assert "起因：预算执行率得分" in out
    # Form 2: 30 + 48 + 10 = 88: 良 under 90/80/60, 优 under 85.
    assert "表 2 执行 100 · 总分 88.00 不变 · 等级 良 → 优" in out
    assert "起因：等级划分或合计方式的改动（各行得分未变）" in out
    assert "变化：指标行 0 行，总分 1 张，等级 1 张" in out


def test_text_names_the_lines_behind_a_total(
    variant: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "diff", str(NATIONAL), str(variant), str(FIXTURES / "diff")]) == 0
    out = capsys.readouterr().out
    assert "total 41.50 → 54.60 (+13.10)" in out
    assert "caused by: lines #1 档内 55% — → 5.50, #2 新下限 50% — → 5.00" in out
    assert "3 lines, 1 totals, 0 grades changed" in out


def test_json_carries_budget_scores_and_the_counts(
    budget_and_grades: Path, moved_forms: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["diff", str(NATIONAL), str(budget_and_grades), str(moved_forms), "--format", "json"])
    out = json.loads(capsys.readouterr().out)
    first, second = out["forms"]
    assert (first["old_budget"], first["new_budget"]) == ("8.00", "8.80")
    assert (second["old_grade"], second["new_grade"]) == ("良", "优")
    summary = out["summary"]
    assert (summary["totals_changed"], summary["grades_changed"], summary["budgets_changed"]) == (
        1,
        1,
        1,
    )
