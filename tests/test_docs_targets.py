"""docs/targets.md says what the program does: every example row and command in it is executed."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from rules_engine.cli import main
from rules_engine.diagnostics import CATALOG
from rules_engine.targets import MESSAGES, read_cell
from rules_engine.values import Role

DOC = Path(__file__).resolve().parent.parent / "docs" / "targets.md"
LINES = DOC.read_text(encoding="utf-8").splitlines()
ROLES: dict[str, Role] = {"目标": "target", "实际": "actual"}

EXAMPLE = re.compile(r"^\| `(?P<text>[^`]+)` \| (?P<role>目标|实际) \| `(?P<json>\{.*\})` \|$")
CODE_ROW = re.compile(r"^\| (?P<code>E2\d\d) \| (?P<zh>[^|]+) \| (?P<en>[^|]+) \|$")

EXAMPLES = [(n, m) for n, line in enumerate(LINES, 1) if (m := EXAMPLE.match(line))]
CODES = [m for line in LINES if (m := CODE_ROW.match(line))]


def _commands() -> list[tuple[int, str, str]]:
    """``$ rules-engine …`` lines in fenced blocks, each with the output lines that follow it."""
    found: list[tuple[int, str, str]] = []
    for index, line in enumerate(LINES):
        if line.startswith("$ rules-engine "):
            output: list[str] = []
            for follow in LINES[index + 1 :]:
                if follow.startswith(("```", "$ ")):
                    break
                output.append(follow)
            found.append((index + 1, line[2:], "\n".join(output) + "\n"))
    return found


@pytest.mark.parametrize(
    ("line", "match"), EXAMPLES, ids=[f"L{n}:{m['text']}" for n, m in EXAMPLES]
)
def test_example_row(line: int, match: re.Match[str]) -> None:
    value = read_cell(match["text"], ROLES[match["role"]])
    assert value.to_json() == json.loads(match["json"]), f"docs/targets.md:{line}"


def test_the_doc_shows_every_kind_and_many_examples() -> None:
    assert len(EXAMPLES) >= 60
    kinds = {json.loads(m["json"])["kind"] for _, m in EXAMPLES}
    assert kinds == {"compare", "range", "number", "date", "term", "unknown"}


def test_reason_code_table_matches_the_catalogue() -> None:
    assert [m["code"] for m in CODES] == list(MESSAGES)
    for match in CODES:
        entry = CATALOG[match["code"]]
        assert (match["zh"], match["en"]) == (entry.zh, entry.en)


COMMANDS = _commands()


@pytest.mark.parametrize(
    ("line", "command", "output"), COMMANDS, ids=[f"L{c[0]}" for c in COMMANDS]
)
def test_command_example(
    line: int, command: str, output: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = shlex.split(command)[1:]
    assert main(argv) == 0
    assert capsys.readouterr().out == output, f"docs/targets.md:{line}"
