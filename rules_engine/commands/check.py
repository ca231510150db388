"""`rules-engine check POLICY…`: compile policies, run the static analysis, print all findings."""

from __future__ import annotations

import argparse
from pathlib import Path

from rules_engine.commands.context import USAGE, Context
from rules_engine.diagnostics import UserError
from rules_engine.policy.compiler import unreadable
from rules_engine.policy.findings import diagnose
from rules_engine.policy.loader import shipped_policies
from rules_engine.policy.model import CompiledPolicy
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.report import print_diagnostics

NAME = "check"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the `check` sub-command."""
    p = sub.add_parser(
        NAME,
        parents=[common],
        description="编译策略文件并做静态检查，列出全部错误与警告（含文件:行:列）。"
        " Compile policy files and report every error and warning with file:line:col.",
    )
    p.add_argument(
        "--list",
        action="store_true",
        help="列出随附的策略（名称、年度、地区） · list the shipped policies",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="有警告也算不通过（退出码 1），供持续集成使用 · fail on warnings too (for CI)",
    )
    p.add_argument(
        "policies",
        nargs="*",
        metavar="POLICY",
        help="策略文件、目录（检查其中全部 *.policy）或内置策略名（如 national-2020）"
        " · a policy file, a folder of them, or a shipped name",
    )
    add_policy_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Check every policy; exit 0 when none has errors (nor, with ``--strict``, warnings), 1 when
    some has, 2 if one is unreadable."""
    if args.list:
        _list(ctx)
        if not args.policies:
            return 0
    if not args.policies:
        raise UserError.one(USAGE, 2, detail="check POLICY…", command="check ")
    worst = 0
    limits = limits_of(args)
    for source in _expand(args.policies):
        policy, diagnostics = diagnose(source, limits=limits)
        print_diagnostics(diagnostics, ctx.err, ctx.lang)
        errors = sum(1 for d in diagnostics if d.severity == "error")
        warnings = len(diagnostics) - errors
        if unreadable(diagnostics):
            worst = max(worst, 2)
        elif errors or policy is None or (args.strict and warnings):
            worst = max(worst, 1)
            strict = not errors and policy is not None
            ctx.err.print(
                ctx.say(
                    f"{source}：{errors} 个错误，{warnings} 个警告"
                    + ("（--strict：有警告即不通过）" if strict else ""),
                    f"{source}: {errors} error(s), {warnings} warning(s)"
                    + (" (--strict: warnings fail the check)" if strict else ""),
                ),
                markup=False,
                highlight=False,
            )
        else:
            ctx.out.print(
                _summary(policy, warnings, ctx), markup=False, highlight=False, soft_wrap=True
            )
    return worst


def _list(ctx: Context) -> None:
    for policy in shipped_policies():
        year = str(policy.year) if policy.year is not None else "-"
        base = ctx.say(f"（继承 {policy.extends}）", f" (extends {policy.extends})")
        ctx.out.print(
            f"{policy.name}  {year}  {policy.region or '-'}  {policy.title}"
            f"{base if policy.extends else ''}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _expand(sources: list[str]) -> list[str]:
    """A folder stands for the policy files in it, in name order."""
    out: list[str] = []
    for source in sources:
        folder = Path(source)
        found = sorted(folder.glob("*.policy")) if folder.is_dir() else []
        # A folder without policies is reported as unreadable rather than passed silently.
        out.extend([str(p) for p in found] or [source])
    return out


def _summary(policy: CompiledPolicy, warnings: int, ctx: Context) -> str:
    terms = len(policy.vocabularies) + len(policy.predicates)
    extra_zh = f"，{warnings} 个警告" if warnings else ""
    extra_en = f", {warnings} warning(s)" if warnings else ""
    return ctx.say(
        f"通过：{policy.path}（{policy.title}）· {len(policy.rules)} 条规则 · "
        f"{len(policy.dispatch)} 条 apply · {terms} 个术语 · {len(policy.flags)} 个复核标记"
        f"{extra_zh}",
        f"ok: {policy.path} ({policy.title}) · {len(policy.rules)} rules · "
        f"{len(policy.dispatch)} applies · {terms} terms · {len(policy.flags)} review flags"
        f"{extra_en}",
    )
