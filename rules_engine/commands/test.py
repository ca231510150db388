"""`rules-engine test`: run example cases of a policy, with failure traces and coverage."""

from __future__ import annotations

import argparse
from decimal import Decimal
from pathlib import Path

from rich.text import Text

from rules_engine.app import Policies
from rules_engine.authoring.policytest import (
    CASE_ERROR,
    CASE_FAILED,
    COVERAGE_LOW,
    CaseResult,
    SuiteResult,
    run_suite,
)
from rules_engine.authoring.testfile import NO_POLICY, load_tests
from rules_engine.commands.context import Context
from rules_engine.diagnostics import Diagnostic, UserError, define
from rules_engine.policy.loader import OUTSIDE, within
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.render.flags import flag_text
from rules_engine.render.steps import step_text
from rules_engine.report import print_diagnostics
from rules_engine.scorecard import LineResult

NO_TESTS_FILE = define(
    "E528",
    "规则文件旁没有用例文件 {tests}",
    "no tests file {tests} beside the policy",
    "`rules-engine test` 运行用例文件（规则名.tests.yaml）；"
    "给出规则文件时读取它旁边的同名用例文件。",
    "`rules-engine test` runs a tests file (NAME.tests.yaml); given a policy file, it runs the "
    "tests file of the same name beside it.",
)


def tests_file(given: str) -> str:
    """The tests file to run for `given`: itself, or for a policy file the ``NAME.tests.yaml``
    beside it (a coded error when there is none)."""
    path = Path(given)
    if path.suffix != ".policy":
        return given
    beside = path.with_name(path.stem + ".tests.yaml")
    if not beside.is_file():
        raise UserError.one(NO_TESTS_FILE, 2, file=given, tests=str(beside))
    return str(beside)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `test` to the command line."""
    p = sub.add_parser(
        "test",
        parents=[common],
        description="运行规则文件旁的示例用例（*.tests.yaml），报告失败与条款覆盖率。"
        " · Run the example cases kept beside a policy and report failures and clause coverage.",
    )
    p.add_argument(
        "tests",
        nargs="+",
        metavar="TESTS",
        help="用例文件，或规则文件（读取旁边的同名 .tests.yaml） · tests files (YAML), or policy "
        "files (their NAME.tests.yaml beside them)",
    )
    p.add_argument(
        "--coverage", action="store_true", help="报告条款覆盖率 · report clause coverage"
    )
    p.add_argument(
        "--threshold",
        type=Decimal,
        metavar="N",
        help="覆盖率低于 N%% 时退出码为 1 · exit 1 when coverage is below N%%",
    )
    add_policy_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Run every tests file; exit 1 on a failed case or coverage below the threshold."""
    limits = limits_of(args)
    policies = Policies(limits)
    suites: list[SuiteResult] = []
    for given in args.tests:
        path = tests_file(given)
        tests = load_tests(path)
        policy_path = tests.policy_path()
        # The tests file names its policy as `extends` does: beside it, or on --policy-path.
        if not within(policy_path, [Path(path).parent, *limits.policy_path]):
            raise UserError.one(
                OUTSIDE,
                2,
                file=path,
                line=1,
                what="读取用例文件所指的规则",
                what_en="read the policy the tests file names",
                name=tests.policy,
                where="用例文件所在文件夹和 --policy-path 指定的文件夹中的文件",
                where_en="files under the tests file's folder or a --policy-path folder",
            )
        if not policy_path.exists():
            raise UserError.one(NO_POLICY, 2, file=path, line=1, path=str(policy_path))
        policy = policies.named(str(policy_path)).policy
        suites.append(run_suite(tests, policy))
    status = 0
    for suite in suites:
        _print_suite(suite, ctx)
        if suite.failed:
            status = 1
            # one located message per failed case, so editors can jump to it
            print_diagnostics(
                [_failure(r, suite.tests.path) for r in suite.failed], ctx.err, ctx.lang
            )
        if args.coverage or args.threshold is not None:
            _print_coverage(suite, ctx, show_missed=args.coverage)
        if args.threshold is not None and suite.coverage.percent < args.threshold:
            status = 1
            diag = Diagnostic(
                code=COVERAGE_LOW,
                args={
                    "percent": str(suite.coverage.percent),
                    "threshold": str(args.threshold),
                },
                file=suite.tests.path,
            )
            print_diagnostics([diag], ctx.err, ctx.lang)
            if not args.coverage:  # with --coverage the list is already on the output
                for clause in suite.coverage.missed():
                    text = f"  {clause.at}  {_kind(clause.kind, ctx)} {clause.owner}: {clause.text}"
                    ctx.err.print(Text(text), soft_wrap=True)
    return status


def _failure(result: CaseResult, file: str) -> Diagnostic:
    if result.error is not None:
        args = {"case": result.case.name, "detail": result.error}
        return Diagnostic(code=CASE_ERROR, args=args, file=file, line=result.case.at)
    return Diagnostic(
        code=CASE_FAILED, args={"case": result.case.name}, file=file, line=result.case.at
    )


def _kind(kind: str, ctx: Context) -> str:
    names = {
        "clause": ("规则条款", "rule clause"),
        "budget": ("预算条款", "budget clause"),
        "apply": ("apply", "apply"),
        "flag": ("复核标记", "flag"),
        "grade": ("等级", "grade"),
        "term": ("词语", "term"),
        "alt_grade": ("备选等级", "alternative grade"),
        "na": ("不适用的写法", "not-applicable word"),
        "rescale": ("折算", "rescaling"),
    }
    zh, en = names.get(kind, (kind, kind))
    return ctx.say(zh, en)


def _print_suite(suite: SuiteResult, ctx: Context) -> None:
    out = ctx.out
    out.print(Text(f"{suite.tests.path} · {suite.policy.path}", style="bold"), soft_wrap=True)
    for result in suite.results:
        if result.passed:
            out.print(Text(f"  {ctx.say('通过', 'ok  ')}  {result.case.name}", style="green"))
        else:
            _print_failure(result, suite.tests.path, ctx)
    failed = len(suite.failed)
    total = len(suite.results)
    out.print(
        ctx.say(
            f"用例 {total} 个：{total - failed} 通过，{failed} 失败",
            f"{total} cases: {total - failed} passed, {failed} failed",
        )
    )


def _print_failure(result: CaseResult, file: str, ctx: Context) -> None:
    out = ctx.out
    where = f"{file}:{result.case.at}"
    out.print(
        Text(f"  {ctx.say('失败', 'FAIL')}  {result.case.name}  ({where})", style="red"),
        soft_wrap=True,
    )
    if result.error is not None:
        out.print(Text(f"        {result.error}"), soft_wrap=True)
    for miss in result.mismatches:
        out.print(
            Text(
                f"        {miss.field}: {ctx.say('期望', 'expected')} {miss.expected}"
                f"  {ctx.say('实际', 'got')} {miss.actual}"
            ),
            soft_wrap=True,
        )
    for line in _lines_to_show(result):
        head = "/".join(x or "—" for x in (line.level1, line.level2, line.name))
        out.print(
            Text(
                f"        #{line.index} {head} · {line.target or '—'} · {line.actual or '—'}"
                f" → {line.score if line.score is not None else '—'} ({line.outcome})"
            ),
            soft_wrap=True,
        )
        for step in line.steps:
            text = step_text(step, ctx.lang)
            cite = f"   [{step.source}]" if step.source else ""
            out.print(Text(f"          {text}{cite}"), soft_wrap=True)
        for flag in line.flags:
            text = flag_text(flag, ctx.lang)
            out.print(Text(f"          ⚑ {flag.code}: {text}"), soft_wrap=True)


def _lines_to_show(result: CaseResult) -> list[LineResult]:
    """A line case shows its line; a form case only the lines whose expectation failed."""
    if result.case.form is None:
        return result.lines
    wanted = {int(m.field.split(".")[1]) for m in result.mismatches if m.field.startswith("lines.")}
    return [line for line in result.lines if line.index in wanted]


def _print_coverage(suite: SuiteResult, ctx: Context, show_missed: bool) -> None:
    cov = suite.coverage
    hit = len(cov.hit)
    total = len(cov.clauses)
    ctx.out.print(
        ctx.say(
            f"条款覆盖率 {cov.percent}%（{hit}/{total}）",
            f"clause coverage {cov.percent}% ({hit}/{total})",
        )
    )
    missed = cov.missed()
    if show_missed and missed:
        ctx.out.print(ctx.say("未覆盖的条款：", "clauses no case exercised:"))
        for clause in missed:
            ctx.out.print(
                Text(f"  {clause.at}  {_kind(clause.kind, ctx)} {clause.owner}: {clause.text}"),
                soft_wrap=True,
            )
