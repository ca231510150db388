"""Plausible broken edits of the shipped policies are caught by `check` or `verify`, at the clause.

Each case of ``tests/data/policy_slips.yaml`` edits a copy of a shipped policy the way a yearly
revision might go wrong, and names the tool that must catch it, what it reports and the line of
the variant the report must point at.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.authoring.verify import verify
from rules_engine.cli import main
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.findings import diagnose

ROOT = Path(__file__).resolve().parent.parent
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "policy_slips.yaml").read_text(encoding="utf-8")
)
# The example count CI uses for verify on shipped policies (tests/test_shipped_policies.py).
EXAMPLES = 40


def variant(case: dict[str, Any], folder: Path) -> tuple[Path, int]:
    """The edited copy of the shipped policy, and the line number of the case's `at` text."""
    text = (ROOT / "policies" / f"{case['policy']}.policy").read_text(encoding="utf-8")
    for edit in case["edits"]:
        assert text.count(edit["from"]) == 1, edit["from"]
        text = text.replace(edit["from"], edit["to"])
    path = folder / f"{case['policy']}.policy"
    path.write_text(text, encoding="utf-8")
    lines = [n for n, line in enumerate(text.splitlines(), start=1) if case["at"] in line]
    assert lines, case["at"]
    return path, lines[0]


def _line_of(cite: str | None) -> int | None:
    if cite is None:
        return None
    parts = cite.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_slip_is_caught_at_its_clause(case: dict[str, Any], tmp_path: Path) -> None:
    path, at = variant(case, tmp_path)
    if case["caught"] == "check":
        _, diagnostics = diagnose(str(path))
        found = [d for d in diagnostics if d.code == case["code"]]
        assert found, [str(d) for d in diagnostics]
        assert any(d.line == at and d.file == str(path) for d in found), [str(d) for d in found]
        assert any(case["says"] in d.text("zh") + d.text("en") for d in found)
        severity = "warning" if case.get("strict") else "error"
        assert {d.severity for d in found} == {severity}
        strict = ["--strict"] if case.get("strict") else []
        assert main(["check", *strict, str(path)]) == 1
        return
    report = verify(compile_policy(str(path)), max_examples=EXAMPLES, only=[case["property"]])
    broken = [f for f in report.findings if f.prop == case["property"]]
    assert broken, f"{case['property']} holds on the variant"
    assert any(_line_of(f.where) == at for f in broken), [f.where for f in broken]
    assert any(case["says"] in f.zh + f.en for f in broken), [f.zh for f in broken]


@pytest.mark.parametrize("name", ["national-2020", "wuwei-2021"])
def test_the_shipped_policies_pass_the_strict_check(name: str) -> None:
    assert main(["check", "--strict", str(ROOT / "policies" / f"{name}.policy")]) == 0
