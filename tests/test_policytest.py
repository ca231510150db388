"""The policy test runner: the tests-file format, failures with their trace, clause coverage."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rules_engine.authoring.policytest import clauses, run_suite
from rules_engine.authoring.testfile import load_tests
from rules_engine.cli import main
from rules_engine.diagnostics import UserError
from rules_engine.policy.compiler import compile_policy

DATA = Path(__file__).parent / "data" / "policytest"
# The tests files name a policy in a sibling folder: the command may read it when told so.
BESIDE = ["--policy-path", str(DATA.parent / "broken_policies")]
BASE = "tests/data/broken_policies/base.policy"


def test_numbers_are_read_as_written_not_through_floats(tmp_path: Path) -> None:
    path = tmp_path / "x.tests.yaml"
    path.write_text(
        "policy: p.policy\ncases:\n  - name: a\n    line: {weight: 0.1}\n"
        "    expect: {score: 0.30000000000000004, total: 6.675}\n",
        encoding="utf-8",
    )
    [case] = load_tests(path).cases
    assert case.line is not None and case.line.weight == "0.1"
    assert case.expect.score == Decimal("0.30000000000000004")
    assert case.expect.total == Decimal("6.675")
    assert case.at == 3


def test_full_coverage_of_a_policy() -> None:
    tests = load_tests(DATA / "base.tests.yaml")
    suite = run_suite(tests, compile_policy(BASE))
    assert [r.case.name for r in suite.failed] == []
    assert suite.coverage.missed() == []
    assert suite.coverage.percent == Decimal(100)


def test_failure_shows_compared_values_and_trace(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(DATA / "failing.tests.yaml"), *BESIDE]) == 1
    out = capsys.readouterr().out
    assert "failing.tests.yaml:4" in out  # where the failing case is
    assert "score: 期望 7  实际 6.72" in out
    assert "outcome: 期望 met  实际 partial" in out
    assert "flags: 期望 [missing_note]  实际 []" in out
    assert "8 × 42 ÷ 50 = 6.72" in out  # the line's trace
    assert f"{BASE}:11]" in out  # each step cites its policy line
    assert "failing.tests.yaml:10" in out  # a case that cannot run fails with its reason
    assert "用例 3 个：1 通过，2 失败" in out


def test_threshold_names_uncovered_clauses_even_when_cases_fail(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(
        ["test", str(DATA / "failing.tests.yaml"), "--threshold", "100", "--lang", "en", *BESIDE]
    )
    assert code == 1
    captured = capsys.readouterr()
    # A one-line form has no final total, so no grade counts as exercised.
    assert "clause coverage 13.33% (4/30)" in captured.out
    assert "E525" in captured.err
    assert f"{BASE}:22  rule clause 定性: when actual is 部分达成" in captured.err
    assert f"{BASE}:29  budget clause 预算执行率: when budget = 0" in captured.err
    assert f"{BASE}:46  grade 优: 优 >= 90" in captured.err


def test_coverage_listing(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["test", str(DATA / "base.tests.yaml"), "--coverage", "--threshold", "100", *BESIDE]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "条款覆盖率 100.00%（30/30）" in out
    assert "未覆盖" not in out


def test_coverage_counts_failing_cases(tmp_path: Path) -> None:
    failing = load_tests(DATA / "failing.tests.yaml")
    suite = run_suite(failing, compile_policy(BASE))
    assert [r.case.name for r in suite.failed] == ["正向·按比例（期望写错）", "表单文件不存在"]
    assert suite.failed[1].error is not None
    covered = {c.at for c in suite.coverage.clauses if c.key in suite.coverage.hit}
    assert f"{BASE}:11" in covered  # the clause the failing case exercised still counts


@pytest.mark.parametrize(
    ("name", "code", "line"),
    [("bad_shape.tests.yaml", "E522", 3), ("bad_yaml.tests.yaml", "E521", 5)],
    ids=["wrong shape", "not YAML"],
)
def test_bad_tests_file(name: str, code: str, line: int) -> None:
    with pytest.raises(UserError) as caught:
        load_tests(DATA / name)
    first = caught.value.diagnostics[0]
    assert (first.code, first.line) == (code, line)


def test_missing_policy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.tests.yaml"
    path.write_text(
        "policy: nowhere.policy\ncases:\n  - {name: a, budget: [], expect: {}}\n", "utf-8"
    )
    assert main(["test", str(path)]) == 2
    assert "E523" in capsys.readouterr().err


def test_an_extending_policy_covers_only_the_words_it_writes() -> None:
    wuwei = compile_policy("wuwei-2021")
    words = [c for c in clauses(wuwei) if c.kind == "term"]
    assert {c.text for c in words} == {"健康发展", "符合环保要求", "合理合规"}
    assert {c.at for c in words} == {"policies/wuwei-2021.policy:22"}
    national = [c for c in clauses(compile_policy("national-2020")) if c.kind == "term"]
    assert len(national) > 60 and all(c.at.startswith("policies/national-2020") for c in national)


def test_a_policy_file_runs_the_tests_file_beside_it(capsys: pytest.CaptureFixture[str]) -> None:
    policies = Path(__file__).resolve().parent.parent / "policies"
    assert main(["test", str(policies / "national-2020.policy")]) == 0
    out = capsys.readouterr().out
    total = len(load_tests(str(policies / "national-2020.tests.yaml")).cases)
    assert f"用例 {total} 个：{total} 通过，0 失败" in out


def test_a_policy_file_without_tests_beside_it_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    policy = tmp_path / "地方.policy"
    policy.write_text('policy "地方" year 2020\nextends "national-2020"\n', encoding="utf-8")
    assert main(["test", str(policy)]) == 2
    err = capsys.readouterr().err
    assert "E528" in err and str(tmp_path / "地方.tests.yaml") in err
