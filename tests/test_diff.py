"""diff: replaying forms through two policies lists exactly the lines that change."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from rules_engine.cli import main
from rules_engine.diagnostics import UserError
from rules_engine.engine import evaluate
from rules_engine.formset import form_files, read_forms
from rules_engine.model import Document
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.policydiff import bucket, replay, rule_changes

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
