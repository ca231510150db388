"""Golden output of `rules-engine check` on broken policies, in Chinese and English.

Each ``tests/golden/policy_errors/NAME.policy`` has ``NAME.zh.txt`` and ``NAME.en.txt`` beside
it: what `check` prints (no colour, no wrapping) and its exit code. Regenerate on purpose with
``pytest tests/test_policy_errors_golden.py --update-golden`` and review the diff like code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rules_engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
FOLDER = Path("tests/golden/policy_errors")
POLICIES = sorted(p.stem for p in (ROOT / FOLDER).glob("*.policy"))


def _check_output(name: str, lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = main(["--lang", lang, "check", str(FOLDER / f"{name}.policy")])
    captured = capsys.readouterr()
    return f"{captured.err}{captured.out}[exit {code}]\n"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", POLICIES)
def test_check_output_matches_golden(
    name: str,
    lang: str,
    update_golden: bool,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "100")
    output = _check_output(name, lang, capsys)
    golden = ROOT / FOLDER / f"{name}.{lang}.txt"
    if update_golden:
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden and review it"
    assert output == golden.read_text(encoding="utf-8")


def test_there_are_at_least_ten_broken_policies() -> None:
    assert len(POLICIES) >= 10


def test_acceptance_case_reports_three_kinds_in_one_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    output = _check_output("acceptance_three_errors", "zh", capsys)
    assert output.endswith("[exit 1]\n")
    for code in ("E323", "E324", "E328"):
        assert f"{FOLDER}/acceptance_three_errors.policy:" in output and code in output
    # The caret under 达程 sits under the two-cell characters: 7 spaces + "when " = 2 + 5 cells.
    assert "  |   when 达程                   => full\n  |        ^^^^\n" in output


def test_syntax_slips_are_reported_at_their_place(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    colon = _check_output("full_width_colon", "zh", capsys)
    assert f"{FOLDER}/full_width_colon.policy:3:7:" in colon and "「:」" in colon
    brace = _check_output("missing_brace", "en", capsys)
    assert f"{FOLDER}/missing_brace.policy:2:18:" in brace and "add a '}' before line 6" in brace
