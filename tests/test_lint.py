"""Lint: tier words lost or misplaced in vocabularies, and rules that declare no promises."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.cli import main
from rules_engine.policy.compiler import check_policy
from rules_engine.policy.lint import lint

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "lint_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_lint_case(case: dict[str, Any]) -> None:
    policy, diagnostics = check_policy("case.policy", text=case["text"])
    assert policy is not None, [str(d) for d in diagnostics]
    found = lint(policy)
    assert [f"{d.code}@{d.line}" for d in found] == case["found"]
    assert all(d.severity == "warning" for d in found)


def test_missing_tier_word_names_it_and_its_variants() -> None:
    policy, _ = check_policy("case.policy", text=CASES[1]["text"])
    assert policy is not None
    [diag] = lint(policy)
    assert (
        diag.text("zh")
        == "「合规」不在任何词表中，而「基本合规、不合规」都在：这一档的词可能被删掉了"
    )
    assert "terms 达成 += 合规" in diag.hint("zh")


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "case.policy"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_strict_check_fails_on_an_unused_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(
        tmp_path, CASES[0]["text"] + "rule 多余 { direction up full at none otherwise => 0 }\n"
    )
    assert main(["check", path]) == 0
    out = capsys.readouterr()
    assert "警告 E349" in out.err and "1 个警告" in out.out
    assert main(["check", "--strict", path]) == 1
    assert "（--strict：有警告即不通过）" in capsys.readouterr().err


def test_strict_check_passes_a_policy_without_warnings(tmp_path: Path) -> None:
    assert main(["check", "--strict", _write(tmp_path, CASES[0]["text"])]) == 0


def test_output_labels_each_finding_with_its_severity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, CASES[1]["text"].replace("apply * -> r", "apply 产出指木/* -> r"))
    assert main(["--lang", "en", "check", path]) == 1
    err = capsys.readouterr().err
    assert "case.policy:6:7: error E355:" in err
    assert "did you mean '产出指标'?" in err
