"""Every policy example in docs/policy-language.md compiles (and the broken one fails as shown),
and every console example in it is run and shows what the document says."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from rules_engine.cli import main
from rules_engine.policy.compiler import check_policy
from rules_engine.report import format_diagnostic

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "policy-language.md"
TEXT = DOC.read_text(encoding="utf-8")
CONSOLE = re.findall(r"```console\n(.*?)```", TEXT, re.DOTALL)
BLOCKS = re.findall(r"```(policy|policy-error)\n(.*?)```\n(?:\n```\n(.*?)```)?", TEXT, re.DOTALL)
# A fragment is compiled on top of the national policy.
PREFIX = 'policy "片段"\nextends "national-2020"\n'


def _ids() -> list[str]:
    return [f"{kind}-{i}-{body.splitlines()[0][:20]}" for i, (kind, body, _) in enumerate(BLOCKS)]


def test_the_document_has_examples() -> None:
    assert sum(1 for kind, _, _ in BLOCKS if kind == "policy") >= 12
    assert any(kind == "policy-error" for kind, _, _ in BLOCKS)


@pytest.mark.parametrize(("kind", "body", "shown"), BLOCKS, ids=_ids())
def test_example_compiles(kind: str, body: str, shown: str) -> None:
    complete = body.lstrip().startswith(("policy ", "#"))
    text = body if complete else PREFIX + body
    policy, diagnostics = check_policy("有错的策略.policy", text=text)
    errors = [d for d in diagnostics if d.severity == "error"]
    if kind == "policy":
        assert errors == [], [format_diagnostic(d, "zh") for d in errors]
        assert policy is not None
        return
    assert errors, "the broken example must not compile"
    output = "\n".join(format_diagnostic(d, "zh") for d in sorted(errors, key=_place))
    for line in shown.splitlines():
        if line.strip() != "…":
            assert line in output.splitlines(), line


def _place(diag: object) -> tuple[int, int]:
    return (getattr(diag, "line", 0) or 0, getattr(diag, "col", 0) or 0)


@pytest.mark.parametrize("block", CONSOLE, ids=[b.split("\n", 1)[0] for b in CONSOLE])
def test_console_example(
    block: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command, *shown = block.rstrip("\n").split("\n")
    assert command.startswith("$ rules-engine "), command
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(ROOT)
    assert main(shlex.split(command[2:])[1:]) == 0
    out = capsys.readouterr().out.splitlines()
    for row in shown:
        assert row in out, f"{row!r} is not in the output of {command}"


def test_the_document_runs_examples() -> None:
    assert CONSOLE
