"""`rules-engine verify`: search for form lines that break a policy's invariants (hypothesis)."""

from __future__ import annotations

import argparse

from rich.text import Text

from rules_engine.app import Policies
from rules_engine.authoring.verify import Finding, verify
from rules_engine.commands.context import Context
from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.render.steps import step_text
from rules_engine.report import print_diagnostics

BROKEN = define(
    "E540",
    "规则 {policy} 有 {count} 项性质不成立",
    "{count} properties of {policy} do not hold",
    "按上面的反例修改规则，再运行 verify（同一 --seed 得到同样的反例）。",
    "fix the policy using the counterexamples above and run verify again "
    "(the same --seed finds the same ones).",
)

PROPERTY_NAMES = {
    "bands": ("分档与等级划分无空档、无重叠", "tiers and grades partition their range"),
    "dispatch_gap": (
        "每种目标写法在每个类别下都有计分规则接收（兜底的 apply 不算）",
        "every target shape in every category reaches a scoring rule (the catch-all does not "
        "count)",
    ),
    "score_range": (
        "每条规则的得分在其 [floor, cap] 内",
        "every rule scores within its [floor, cap]",
    ),
    "monotone": (
        "得分随实际值变化的方向与规则声明的 direction 一致",
        "scores move with the actual as each rule's direction declares",
    ),
    "met_full": (
        "达到规则声明的满分点（full at）即得满分",
        "an actual at the rule's declared full-marks point earns full marks",
    ),
    "missed_not_full": (
        "明显未达到满分点的不得满分",
        "an actual clearly short of the full-marks point does not earn full marks",
    ),
    "budget_range": ("预算得分在 [0, 分值] 内", "the budget score lies within [0, weight]"),
    "budget_monotone": (
        "预算得分随执行率升高不降",
        "the budget score never falls as the rate rises",
    ),
    "budget_full": (
        "执行率达到满分点（默认 100%）即得满分",
        "the budget is full from its full-marks rate (100% unless declared)",
    ),
    "budget_short": (
        "执行率明显低于满分点的不得满分",
        "a rate clearly below it does not earn full marks",
    ),
    "total_range": ("总分在 [0, 分值合计] 内", "totals lie within the weight sum"),
}


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `verify` to the command line."""
    p = sub.add_parser(
        "verify",
        parents=[common],
        description="生成大量指标行检验规则：每种目标写法都有规则接收、得分范围、"
        "规则声明的方向（direction）与满分点（full at）、预算执行率得分、分档无空档无重叠、"
        "总分范围；发现问题时给出最简反例。"
        " · Generate form lines and check the policy's invariants (dispatch, each rule's declared"
        " direction and full-marks point, the budget rule, bands, totals); print shrunk"
        " counterexamples.",
    )
    p.add_argument("policy", metavar="POLICY", help="规则名或文件 · policy name or file")
    p.add_argument("--seed", type=int, default=0, help="随机种子 · random seed (default 0)")
    p.add_argument(
        "--max-examples",
        type=int,
        default=200,
        metavar="N",
        help="每项性质至多试 N 例 · examples per property (default 200)",
    )
    add_policy_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Verify the policy; exit 1 when a property fails."""
    policy = Policies(limits_of(args)).named(args.policy).policy
    report = verify(policy, seed=args.seed, max_examples=max(args.max_examples, 1))
    ctx.out.print(
        Text(
            ctx.say(
                f"{policy.path} · 检验 {len(report.properties)} 项性质，"
                f"种子 {report.seed}，每项至多 {report.max_examples} 例",
                f"{policy.path} · {len(report.properties)} properties, seed {report.seed}, "
                f"up to {report.max_examples} examples each",
            ),
            style="bold",
        ),
        soft_wrap=True,
    )
    failed = {f.prop for f in report.findings}
    for prop in report.properties:
        zh, en = PROPERTY_NAMES.get(prop, (prop, prop))
        if prop not in failed:
            ctx.out.print(Text(f"  {ctx.say('成立', 'ok  ')}  {ctx.say(zh, en)}", style="green"))
            continue
        ctx.out.print(Text(f"  {ctx.say('不成立', 'FAIL')}  {ctx.say(zh, en)}", style="red"))
        for finding in report.findings:
            if finding.prop == prop:
                _print_finding(finding, ctx)
    for zh, en in report.unchecked:
        ctx.out.print(
            Text(f"  {ctx.say('未检验', 'note')}  {ctx.say(zh, en)}", style="yellow"),
            soft_wrap=True,
        )
    ctx.out.print(
        ctx.say(f"用时 {report.seconds:.1f} 秒", f"took {report.seconds:.1f} s"),
    )
    if failed:
        diag = Diagnostic(
            code=BROKEN,
            args={"policy": policy.path, "count": str(len(failed))},
            file=policy.path,
        )
        print_diagnostics([diag], ctx.err, ctx.lang)
        return 1
    return 0


def _print_finding(finding: Finding, ctx: Context) -> None:
    out = ctx.out
    where = f"{finding.where}: " if finding.where else ""
    out.print(Text(f"        {where}{ctx.say(finding.zh, finding.en)}"), soft_wrap=True)
    if not finding.lines:
        return
    out.print(ctx.say("        反例（已收缩）：", "        counterexample (shrunk):"))
    for line, result in zip(finding.lines, finding.results, strict=False):
        out.print(
            Text(
                f"          一级/二级/三级 {line.level1 or '—'}/{line.level2 or '—'}/"
                f"{line.name or '—'} · {ctx.say('目标', 'target')} {line.target or '—'}"
                f" · {ctx.say('实际', 'actual')} {line.actual or '—'}"
                f" · {ctx.say('分值', 'weight')} {line.weight or '—'}"
                f" · {ctx.say('自评', 'self-score')} {line.score or '—'}"
            ),
            soft_wrap=True,
        )
        score = result.score if result.score is not None else "—"
        out.print(
            Text(
                f"            → {ctx.say('规则', 'rule')} {result.rule or '—'}"
                f" · {ctx.say('得分', 'score')} {score} ({result.outcome})"
            ),
            soft_wrap=True,
        )
        for step in result.steps:
            text = step_text(step, ctx.lang)
            cite = f"   [{step.source}]" if step.source else ""
            out.print(Text(f"              {text}{cite}"), soft_wrap=True)
    if finding.form is not None:
        total = finding.form.total
        out.print(
            Text(f"            {ctx.say('总分', 'total')} {total.score} · {total.grade or '—'}"),
            soft_wrap=True,
        )
