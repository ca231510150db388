"""The command-line front end: usage errors are coded, located and bilingual; exit codes hold."""

from __future__ import annotations

import pytest

from rules_engine.cli import main


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert "rules-engine" in capsys.readouterr().out


def test_unknown_command_is_a_chinese_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["no-such-command"]) == 2
    err = capsys.readouterr().err
    assert "E201" in err
    assert "命令行用法有误" in err
    assert "Traceback" not in err


def test_usage_error_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "no-such-command"]) == 2
    err = capsys.readouterr().err
    assert "E201" in err
    assert "bad command-line usage" in err


def test_bad_flag_of_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["target", "--no-such-flag", "1"]) == 2
    err = capsys.readouterr().err
    assert "E202" in err
    assert "--no-such-flag" in err
    assert "rules-engine target --help" in err


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out
