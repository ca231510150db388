"""`rules-engine target`: JSON lines in the contract shape, stdin, the table in two languages."""

from __future__ import annotations

import io
import json

import pytest

from rules_engine.cli import main


def _json_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_range_json_is_exactly_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "3－5家", "--format", "json"]) == 0
    assert capsys.readouterr().out == '{"kind": "range", "low": "3", "high": "5", "unit": "家"}\n'


def test_acceptance_texts_one_object_per_line(capsys: pytest.CaptureFixture[str]) -> None:
    texts = ["不低于95%", "正增长", "12月底前", "每月3000本，一年12期", "≥"]
    assert main(["target", *texts, "--format", "json"]) == 0
    got = _json_lines(capsys.readouterr().out)
    assert got[0] == {"kind": "compare", "op": ">=", "value": "95", "unit": "%"}
    assert got[1] == {"kind": "term", "term": "正增长"}
    assert got[2] == {"kind": "date", "value": "--12-31"}
    assert got[3]["kind"] == "unknown" and got[3]["reason"]
    assert got[4]["kind"] == "unknown" and got[4]["reason"]
    assert len(got) == 5


def test_role_actual_reads_numbers(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "≥266米", "98%", "--role", "actual", "--format", "json"]) == 0
    assert _json_lines(capsys.readouterr().out) == [
        {"kind": "number", "value": "266", "unit": "米"},
        {"kind": "number", "value": "98", "unit": "%"},
    ]


def test_dash_reads_one_text_per_line_from_stdin(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("1-2次\n合规\n\n≥95%\n"))
    assert main(["target", "-", "--format", "json"]) == 0
    kinds = [line["kind"] for line in _json_lines(capsys.readouterr().out)]
    assert kinds == ["range", "term", "unknown", "compare"]


def test_text_table_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "不低于95%", "≥"]) == 0
    out = capsys.readouterr().out
    assert "比较" in out and "≥ 95%" in out
    assert "无法识别" in out and "只有比较符号，没有数值" in out


def test_text_table_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "--lang", "en", "≥", "合规"]) == 0
    out = capsys.readouterr().out
    assert "only an operator, no number" in out
    assert "term" in out and "'合规'" in out


def test_brackets_are_printed_not_styled(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "[bold]合规[/bold]"]) == 0
    assert "[bold]合规[/bold]" in capsys.readouterr().out


def test_bad_role_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "1", "--role", "both"]) == 2
    err = capsys.readouterr().err
    assert "E201" in err and "Traceback" not in err


def test_no_text_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target"]) == 2
    assert "E201" in capsys.readouterr().err
