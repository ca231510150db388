"""`rules-engine fmt`: rewrite policy files in the canonical layout, or `--check` that they are."""

from __future__ import annotations

import argparse
from pathlib import Path

from rich.text import Text

from rules_engine.commands.context import Context
from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy.loader import Unreadable, read_policy
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.policy.parse import parse_policy
from rules_engine.policy.printer import format_policy
from rules_engine.report import print_diagnostics

WOULD_CHANGE = define(
    "E580",
    "规则文件的格式不规范：fmt 会改写它",
    "the policy file is not in the canonical layout: fmt would rewrite it",
    "运行 `rules-engine fmt {path}` 改写文件。",
    "run `rules-engine fmt {path}` to rewrite it.",
    severity="warning",
)
CANNOT_FORMAT = define(
    "E581",
    "规则文件有语法错误，无法整理格式",
    "the policy file has syntax errors and cannot be formatted",
    "先运行 `rules-engine check {path}` 改正错误。",
    "run `rules-engine check {path}` and fix the errors first.",
)
CANNOT_READ = define(
    "E582",
    "无法读取规则文件 {path}：{detail}",
    "cannot read the policy file {path}: {detail}",
    "检查路径与编码（UTF-8）。",
    "check the path and that the file is UTF-8.",
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `fmt` to the command line."""
    p = sub.add_parser(
        "fmt",
        parents=[common],
        description="按统一格式改写规则文件（保留注释）；--check 只检查，不改写。"
        " · Rewrite policy files in the canonical layout (comments kept); --check only checks.",
    )
    p.add_argument("policies", nargs="+", metavar="POLICY", help="规则文件 · policy files")
    p.add_argument(
        "--check",
        action="store_true",
        help="只检查：有文件需要改写时退出码为 1 · exit 1 if any file would change",
    )
    add_policy_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Format each file; with --check name the files that would change and exit 1."""
    problems: list[Diagnostic] = []
    changed: list[str] = []
    limits = limits_of(args)
    for name in args.policies:
        path = Path(name)
        try:
            text = read_policy(path, limits)
        except Unreadable as refused:
            problems.append(Diagnostic(code=refused.code, args=refused.args_, file=name))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(
                Diagnostic(code=CANNOT_READ, args={"path": name, "detail": str(exc)}, file=name)
            )
            continue
        tree, errors = parse_policy(text, name, limits)
        if errors:
            problems.extend(errors)
            problems.append(Diagnostic(code=CANNOT_FORMAT, args={"path": name}, file=name))
            continue
        formatted = format_policy(tree)
        if formatted == text:
            continue
        changed.append(name)
        if args.check:
            problems.append(
                Diagnostic(code=WOULD_CHANGE, args={"path": name}, file=name, severity="warning")
            )
        else:
            path.write_text(formatted, encoding="utf-8")
            ctx.out.print(Text(ctx.say(f"已改写 {name}", f"rewrote {name}")), soft_wrap=True)
    if problems:
        print_diagnostics(problems, ctx.err, ctx.lang)
    if any(p.severity == "error" for p in problems):
        return 2  # unreadable input; the other files were still checked or formatted
    return 1 if args.check and changed else 0
