"""Hostile and broken inputs: each ends in a located, coded message within its limit, the rest of
a batch goes on, and nothing read from a form is obeyed by the terminal."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text

from rules_engine.cli import main
from rules_engine.terminal import SafeConsole, page_text

HERE = Path(__file__).parent
HOSTILE = HERE / "fixtures" / "hostile"
SEED = HERE / "fixtures" / "explain" / "seed.txt"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- numbers past the engine's bounds -----------------------------------------------------------


def test_numbers_past_the_bounds_are_located_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    # A 30-digit weight and score, a doubled sign, a 19-digit target, a 35-digit budget, 0.000…1
    # with 40 zeros and a 50-digit total: each a warning at its cell, none read, none guessed.
    form = HOSTILE / "numbers.json"
    code, out, _ = _run(["parse", str(form), "--format", "json", "--lang", "en"], capsys)
    assert code == 0
    (read,) = json.loads(out)["forms"]
    assert read["reliability"] == "partial"
    warnings = read["warnings"]
    assert len(warnings) == 8
    assert f"{form}:15:7: E471 indicator 1's weight '{'1' * 30}'" in warnings[0]
    assert f"{form}:17:7: E472 indicator 3's weight '--5' has doubled or mixed signs" in warnings[2]
    assert sum("E471 funding row 1's" in w for w in warnings) == 2
    assert warnings[-1].startswith(f"{form}: E471 the total's weight")


def test_numbers_past_the_bounds_are_never_scored(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["explain", str(HOSTILE / "numbers.json"), "--format", "json"], capsys)
    assert code == 0, err
    (result,) = json.loads(out)["forms"]
    lines = {line["index"]: line for line in result["lines"]}
    # The unread weights, the unreadable target and actual leave their lines pending review.
    for index in (1, 3, 4, 5):
        assert (lines[index]["outcome"], lines[index]["score"]) == ("review", None), index
    assert lines[2]["self_score"] is None  # the 30-digit self-score is not read either
    assert result["total"]["final"] is False
    assert result["budget"]["computed"] is None


# --- the terminal ---------------------------------------------------------------------------------

_OSC_LINK = "\x1b]8;;http://evil.example\x1b\\点我\x1b]8;;\x1b\\"


@pytest.mark.parametrize(
    ("text", "shown", "as_text"),
    [
        ("a\x1b[2Jb", "a␛[2Jb", None),
        (_OSC_LINK, "␛]8;;http://evil.example␛\\点我␛]8;;␛\\", None),
        ("\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇", "␛]52;c;ZXZpbA=="),
        ("98\r100", "98␍100", "98100"),
        ("x\x9b31my", "x\ufffd31my", None),
        ("\u202e001", "\ufffd001", None),
        ("[/] [bold]粗[/bold] :smile:", "[/] [bold]粗[/bold] :smile:", None),
        ("合规\t≥95%", "合规    ≥95%", None),
    ],
)
def test_the_console_shows_what_a_cell_holds(text: str, shown: str, as_text: str | None) -> None:
    # A string is marked before rich lays it out; a `Text` has lost the five controls rich
    # drops (BEL, BS, VT, FF, CR), and every other one is marked when it is drawn.
    for renderable, expected in ((text, shown), (Text(text), as_text or shown)):
        buffer = io.StringIO()
        console = SafeConsole(file=buffer, width=200, force_terminal=True, color_system=None)
        console.print(renderable)
        assert buffer.getvalue() == expected + "\n"


def test_pages_keep_their_meaning_and_obey_nothing() -> None:
    value = "\x1b[31m\x9b\u202e\x7f合规"
    dumped = json.dumps({"name": value}, ensure_ascii=False)
    safe = page_text(dumped, "json")
    assert json.loads(safe) == {"name": value}
    assert not any(ch in safe for ch in "\x1b\x9b\u202e\x7f")
    assert page_text("| \x1b[2J |\n", "page") == "| ␛[2J |\n"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_explain_of_escapes_and_markup_obeys_nothing(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["explain", str(HOSTILE / "controls.json"), "--format", fmt], capsys)
    assert code == 0, err
    assert not any(ch in out for ch in "\x1b\x9b\x07\r"), repr(out[:200])


def test_parse_of_markup_shows_it_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = tmp_path / "form.json"
    line = {"name": "[/] [link=http://evil.example]点我[/link]", "target": "≥95%", "weight": "10"}
    form.write_text(json.dumps({"forms": [{"indicators": [line]}]}), encoding="utf-8")
    code, out, err = _run(["parse", str(form)], capsys)
    assert code == 0, err
    assert "[link=http://evil.example]点我" in out.replace("\n", "").replace(" ", "")


def test_a_closed_pipe_ends_every_command_quietly(tmp_path: Path) -> None:
    # `| head`: the reader goes away after one line; the command stops with 0 and no message.
    forms = tmp_path / "forms.txt"
    forms.write_text((SEED.read_text(encoding="utf-8") + "\n") * 12, encoding="utf-8")
    runs = (
        (["parse", str(forms)], ""),
        (["parse", str(forms), "--format", "json"], ""),
        (["explain", str(forms), "--policy", "national-2020"], ""),
        (["score", str(forms), "--policy", "national-2020"], None),
        (["target", "-"], "≥95%\n" * 20000),
    )
    for args, stdin in runs:
        command = [sys.executable, "-m", "rules_engine", *args]
        with subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdin is not None and process.stdout is not None
            assert process.stderr is not None
            process.stdin.write(stdin or "")
            process.stdin.close()
            process.stdout.readline()
            process.stdout.close()
            code = process.wait(timeout=120)
            err = process.stderr.read()
        if stdin is None:  # `score` closes with its summary line on standard error
            err = "\n".join(line for line in err.splitlines() if not line.startswith("已评分"))
        assert (code, err) == (0, ""), args
