"""Every policy example in docs/policy-language.md compiles (and the broken one fails as shown);
an example followed by an ```example block is also run on the form that block gives, and must
score as it says; every console example in it is run and shows what the document says."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from rules_engine.cli import main
from rules_engine.engine import evaluate
from rules_engine.policy.compiler import check_policy, compile_policy
from rules_engine.report import format_diagnostic
from tests.engine_cases import check_card, document

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "policy-language.md"
TEXT = DOC.read_text(encoding="utf-8")
CONSOLE = re.findall(r"```console\n(.*?)```", TEXT, re.DOTALL)
BLOCKS = re.findall(r"```(policy|policy-error)\n(.*?)```\n(?:\n```\n(.*?)```)?", TEXT, re.DOTALL)
# A policy block followed by an example block: the form it is run on and what it must give
# (the case keys of tests/engine_cases.py).
_BODY = r"((?:(?!```).)*?)"  # a block's text, never running into the next fence
RUNS = re.findall(rf"```policy\n{_BODY}```\n\n```example\n{_BODY}```", TEXT, re.DOTALL)
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


def _text(body: str) -> str:
    return body if body.lstrip().startswith(("policy ", "#")) else PREFIX + body


def test_the_document_runs_its_examples() -> None:
    assert len(RUNS) >= 8


@pytest.mark.parametrize(
    ("body", "example"),
    RUNS,
    ids=[f"run-{i}-{b.splitlines()[0][:20]}" for i, (b, _) in enumerate(RUNS)],
)
def test_example_scores_as_documented(body: str, example: str) -> None:
    case = yaml.safe_load(example)
    policy = compile_policy("示例.policy", text=_text(body))
    check_card(evaluate(policy, document(case)), case)
