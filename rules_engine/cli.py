"""The command line: global options, one sub-command per module in `rules_engine.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from rules_engine import __version__
from rules_engine.commands.context import INTERNAL, USAGE, Context
from rules_engine.diagnostics import Diagnostic, Lang, UserError, define, os_reason
from rules_engine.report import print_diagnostics
from rules_engine.terminal import SafeConsole, silence_stdout

# The command registry: each sub-command, in the order `--help` lists them, with its line there.
# A command is the module `rules_engine.commands.<name>`, imported only when that command runs
# (or shows its own help), so one command never pays for the imports of the others.
COMMANDS: dict[str, str] = {
    "explain": "逐行说明评分 · explain every line's score",
    "parse": "show a form as read / 查看表格的读取结果",
    "target": "how target/actual texts are read / 查看指标值的识别结果",
    "score": "批量评分：工作簿、CSV、HTML 报告或 JSONL · batch scoring",
    "report": "从结果库重新生成报告 · outputs again from a results archive",
    "check": "检查策略文件：语法、名称、分档与分值 · check policy files",
    "policies": "列出随附的规则：地区、年度、表的种类、依据 · list the shipped policies",
    "test": "运行规则的示例用例 · run a policy's example cases",
    "verify": "用随机生成的指标行检验规则的性质 · property-based verification of a policy",
    "diff": "比较两版规则对表单评分的影响 · compare two policies on forms",
    "fmt": "整理规则文件格式 · format policy files",
    "schema": "JSON Schema of a form or of explain output / 输出 JSON Schema",
    "lsp": "为编辑器提供规则文件的语言服务 · language server for policy files (stdio)",
}

UNKNOWN_ARGS = define(
    "E202",
    "不认识的参数：{extra}",
    "unrecognized arguments: {extra}",
    "运行 `rules-engine {command}--help` 查看这个命令接受哪些参数。",
    "run `rules-engine {command}--help` to see what this command accepts.",
)
OS_FAILED = define(
    "E204",
    "读写失败：{reason_zh}",
    "a read or write failed: {reason_en}",
    "检查磁盘空间、权限和路径后重新运行；输出重定向到文件时，确认那里还能写入。",
    "check the disk space, the permissions and the path, then run again; when the output goes"
    " to a file, make sure it can still be written.",
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose usage errors become coded, translatable diagnostics."""

    def error(self, message: str) -> NoReturn:
        command = self.prog.split(" ", 1)[1] + " " if " " in self.prog else ""
        raise UserError.one(USAGE, 2, detail=message, command=command)


def _lang_from(argv: Sequence[str]) -> Lang:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in ("zh", "en"):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg in ("--lang=en", "--lang=zh"):
            return "en" if arg.endswith("en") else "zh"
    return "zh"


def _command_in(argv: Sequence[str]) -> str | None:
    """The command the arguments run (``None`` for the program's own help or a bad name)."""
    value_of_lang = False
    for arg in argv:
        if value_of_lang:
            value_of_lang = False
        elif arg == "--lang":
            value_of_lang = True
        elif arg in ("-h", "--help"):
            return None  # `rules-engine --help check` asks for the list of commands
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser: `only` registered by its module with all its options, every other command
    by its name and help line alone (enough for `--help` and for a misspelt command)."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--lang", choices=("zh", "en"), default="zh", help="message language / 提示语言"
    )
    parser = _Parser(
        prog="rules-engine",
        description="绩效自评表评分规则引擎 · scoring rules for budget performance forms",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"rules-engine {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, line in COMMANDS.items():
        if name == only:
            module = importlib.import_module(f"rules_engine.commands.{name}")
            module.register(sub, common)
        else:
            sub.add_parser(name, help=line)
    return parser


def main(argv: Sequence[str] | None = None, *, loaded: Callable[[], None] | None = None) -> int:
    """Run one command and return its exit code (0 ok, 1 problems found, 2 bad usage or input).

    `loaded` is called once the command's module is imported, before it runs.
    """
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _lang_from(args_list)
    out = SafeConsole(soft_wrap=False)
    err = SafeConsole(stderr=True, soft_wrap=True)
    ctx = Context(lang=lang, out=out, err=err)
    try:
        parser = build_parser(_command_in(args_list))
        args, extra = parser.parse_known_args(args_list)
        if extra:
            command = f"{args.command} " if getattr(args, "command", None) else ""
            raise UserError.one(UNKNOWN_ARGS, 2, extra=" ".join(extra), command=command)
        if not getattr(args, "command", None):
            parser.print_help()
            return 2
        if loaded is not None:
            loaded()
        code: int = args.run(args, ctx)
        # Written out here, so that a full disk is reported, not lost at exit.
        out.file.flush()
        return code
    except UserError as exc:
        print_diagnostics(exc.diagnostics, err, lang)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`): what it wanted it has
        silence_stdout()
        return 0
    except OSError as exc:  # the disk filled up under standard output, a folder went away
        zh, en = os_reason(exc)
        where = exc.filename if isinstance(exc.filename, str) else None
        print_diagnostics(
            [Diagnostic(code=OS_FAILED, args={"reason_zh": zh, "reason_en": en}, file=where)],
            err,
            lang,
        )
        silence_stdout()
        return 2
    except Exception as exc:  # a traceback is a bug: say so plainly instead of dumping it
        if os.environ.get("RULES_ENGINE_DEBUG"):
            raise
        diag = Diagnostic(code=INTERNAL, args={"detail": f"{type(exc).__name__}: {exc}"})
        print_diagnostics([diag], err, lang)
        return 2
