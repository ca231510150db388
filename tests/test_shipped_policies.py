"""CI for the shipped policies: check (strict), example tests at 100% coverage, verify, layout."""

from __future__ import annotations

from pathlib import Path

import pytest

from rules_engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
POLICIES = sorted((ROOT / "policies").glob("*.policy"))
IDS = [p.stem for p in POLICIES]
# verify draws this many examples per property: enough to catch a reversed rule, fast in CI.
EXAMPLES = "40"


def test_every_policy_has_example_tests() -> None:
    assert POLICIES
    missing = [p.name for p in POLICIES if not p.with_suffix(".tests.yaml").is_file()]
    assert missing == []


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_check(policy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", "--strict", str(policy)])
    assert code == 0, capsys.readouterr().err


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_examples_cover_every_clause(policy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tests = policy.with_suffix(".tests.yaml")
    code = main(["test", str(tests), "--coverage", "--threshold", "100"])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_verify(policy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["verify", str(policy), "--max-examples", EXAMPLES, "--seed", "0"])
    captured = capsys.readouterr()
    assert code == 0, captured.out + captured.err


@pytest.mark.parametrize("policy", POLICIES, ids=IDS)
def test_canonical_layout(policy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["fmt", "--check", str(policy)])
    assert code == 0, capsys.readouterr().err
