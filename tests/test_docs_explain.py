"""docs/explain.md says what the program does: every console example in it is run and checked."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from rules_engine.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "explain.md"
_BLOCK = re.compile(r"```console\n(.*?)```", re.DOTALL)


def _examples() -> list[tuple[str, list[str], list[str]]]:
    text = DOC.read_text(encoding="utf-8")
    found = []
    for match in _BLOCK.finditer(text):
        command, *shown = match.group(1).rstrip("\n").split("\n")
        assert command.startswith("$ rules-engine "), command
        line = text[: match.start()].count("\n") + 2
        found.append((f"explain.md:{line}", shlex.split(command[2:])[1:], shown))
    return found


EXAMPLES = _examples()


@pytest.mark.parametrize(("where", "args", "shown"), EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_example(
    where: str,
    args: list[str],
    shown: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(ROOT)
    code = main(args)
    out = capsys.readouterr().out.splitlines()
    assert code == 0, where
    for row in shown:
        assert row in out, f"{where}: {row!r} is not in the output"


def test_the_guide_has_examples() -> None:
    assert len(EXAMPLES) >= 5
