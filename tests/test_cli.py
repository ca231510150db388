"""The command-line front end: usage errors are coded, located and bilingual; exit codes hold."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from rules_engine.cli import COMMANDS, main


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


def _commands_imported(args: list[str]) -> tuple[str, list[str]]:
    """What `rules-engine ARGS` prints, and the command modules it imported (a fresh process);
    `commands.context`, what every command receives, comes with the command line itself."""
    code = (
        "import sys\n"
        "from rules_engine.cli import main\n"
        "try:\n"
        f"    main({args!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('rules_engine.commands.')\n"
        "             and m != 'rules_engine.commands.context'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    *printed, modules = done.stdout.rstrip("\n").split("\n")
    return "\n".join(printed), ast.literal_eval(modules)


def test_help_lists_every_command_without_importing_any() -> None:
    printed, modules = _commands_imported(["--help"])
    assert modules == []
    for name, line in COMMANDS.items():
        assert f"{name}  " in printed and line in printed


def test_a_command_imports_its_own_module_only() -> None:
    _, modules = _commands_imported(["check", "--list"])
    assert modules == ["rules_engine.commands.check"]
