"""verify: broken policies yield readable, shrunk counterexamples; clean policies none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.authoring.verify import Report, verify
from rules_engine.cli import main
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.values import Number

BROKEN = Path(__file__).parent / "data" / "broken_policies"
CASES = yaml.safe_load(
    (Path(__file__).parent / "data" / "verify_cases.yaml").read_text(encoding="utf-8")
)
EXAMPLES = 60
BY_NAME = {c["name"]: c for c in CASES}
REVERSE = BY_NAME["a reverse rule whose penalty raises the score"]


def policy(name: str) -> CompiledPolicy:
    return compile_policy(str(BROKEN / name))


def run(case: dict[str, Any], seed: int = 0) -> Report:
    return verify(policy(case["policy"]), seed=seed, max_examples=EXAMPLES, only=case.get("only"))


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_policy_is_caught(case: dict[str, Any]) -> None:
    report = run(case)
    assert sorted({f.prop for f in report.findings}) == sorted(case["fails"])
    for finding in report.findings:
        if "rule" in case:
            assert {r.rule for r in finding.results} == {case["rule"]}
        if "target_starts" in case:
            assert all(
                line.target and line.target[0] in case["target_starts"] for line in finding.lines
            )
        if "level1_not" in case:
            [line] = finding.lines
            assert line.level1 not in case["level1_not"]
            assert finding.results[0].rule is None
        if "text" in case:
            assert case["text"] in finding.zh and case["text"] in finding.en


def test_monotone_counterexample_breaks_the_direction() -> None:
    [finding] = run(REVERSE).findings
    first, second = finding.results
    low, high = (r.actual_value for r in finding.results)
    assert isinstance(low, Number) and isinstance(high, Number)
    assert low.value < high.value
    assert first.score is not None and second.score is not None
    assert second.score > first.score  # a reverse rule must not rise with the actual


def test_same_seed_same_counterexample() -> None:
    one = run(REVERSE, seed=7).findings[0]
    two = run(REVERSE, seed=7).findings[0]
    assert one.lines == two.lines
    assert one.zh == two.zh


def test_command_prints_the_counterexample_as_a_form_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(BROKEN / "reverse_penalty_raises.policy")
    assert main(["verify", path, "--max-examples", str(EXAMPLES), "--seed", "0"]) == 1
    out = capsys.readouterr()
    assert "反例（已收缩）" in out.out
    assert "一级/二级/三级" in out.out and "目标 " in out.out and "分值 " in out.out
    assert "E540" in out.err


def test_command_passes_a_clean_policy(capsys: pytest.CaptureFixture[str]) -> None:
    path = str(BROKEN / "declared_base.policy")
    assert main(["verify", path, "--max-examples", "30", "--lang", "en"]) == 0
    assert "FAIL" not in capsys.readouterr().out


def test_verify_writes_nothing_in_the_working_folder(tmp_path: Path) -> None:
    # A fresh process: hypothesis picks its cache folder from the working folder at import.
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_STORAGE_DIRECTORY"}
    done = subprocess.run(
        [sys.executable, "-m", "rules_engine", "verify", "national-2020", "--max-examples", "5"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("utf-8")
    assert list(tmp_path.iterdir()) == []
