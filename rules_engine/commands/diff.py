"""`rules-engine diff`: replay forms through two policies; show what changed and why."""

from __future__ import annotations

import argparse
import json
from decimal import Decimal
from typing import Any

from rich.table import Table
from rich.text import Text

from rules_engine.app import Policies
from rules_engine.authoring.policydiff import FormChange, LineChange, Replay, RuleChange, replay
from rules_engine.commands.context import Context
from rules_engine.diagnostics import Diagnostic, UserError
from rules_engine.formset import form_files, read_forms
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.render.steps import step_text
from rules_engine.report import print_diagnostics
from rules_engine.scorecard import LineResult


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `diff` to the command line."""
    p = sub.add_parser(
        "diff",
        parents=[common],
        description="用新旧两版规则给同一批表单评分，列出得分、结论或复核标记有变化的指标行，"
        "并列出两版规则条文的差异。"
        " · Score forms under two policies; list the lines whose score, outcome or flags change,"
        " and the rule-level difference.",
    )
    p.add_argument("old", metavar="OLD", help="旧规则 · the old policy")
    p.add_argument("new", metavar="NEW", help="新规则 · the new policy")
    p.add_argument("forms", nargs="*", metavar="FORMS", help="表单文件或文件夹 · forms or folders")
    p.add_argument(
        "--format", choices=("text", "json"), default="text", help="输出格式 · output format"
    )
    add_policy_options(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Print the difference; exit 0 (a difference is a result, not a failure)."""
    policies = Policies(limits_of(args))
    old = policies.named(args.old).policy
    new = policies.named(args.new).policy
    documents = []
    skipped: list[Diagnostic] = []
    for path in form_files(args.forms):
        try:
            documents.append((str(path), read_forms(path)))
        except UserError as exc:  # one unreadable form must not hide the others
            skipped.extend(d.model_copy(update={"severity": "warning"}) for d in exc.diagnostics)
    result = replay(old, new, documents)
    if skipped:
        print_diagnostics(skipped, ctx.err, ctx.lang)
    if args.format == "json":
        ctx.out.file.write(json.dumps(to_json(result), ensure_ascii=False, indent=2) + "\n")
        ctx.out.file.flush()
        return 0
    _print_rules(result.rules, old.path, new.path, ctx)
    _print_lines(result.lines, ctx)
    _print_forms(result, ctx)
    _print_summary(result, ctx)
    return 0


def _line_json(line: LineResult) -> dict[str, Any]:
    return {
        "score": None if line.score is None else str(line.score),
        "outcome": line.outcome,
        "rule": line.rule,
        "source": line.source,
        "flags": sorted({f.code for f in line.flags}),
    }


def to_json(result: Replay) -> dict[str, Any]:
    """The difference as JSON (decimals as strings)."""
    return {
        "rules": [
            {
                "kind": c.kind,
                "what": c.what,
                "name": c.name,
                "old": c.old,
                "new": c.new,
                "old_source": c.old_at,
                "new_source": c.new_at,
            }
            for c in result.rules
        ],
        "lines": [
            {
                "file": c.file,
                "form": c.form,
                "index": c.index,
                "name": c.new.name,
                "changed": list(c.fields),
                "old": _line_json(c.old),
                "new": _line_json(c.new),
            }
            for c in result.lines
        ],
        "forms": [
            {
                "file": f.file,
                "form": f.form,
                "title": f.title,
                "old_total": None if f.old_total is None else str(f.old_total),
                "new_total": None if f.new_total is None else str(f.new_total),
                "old_grade": f.old_grade,
                "new_grade": f.new_grade,
                "old_budget": _decimal(f.old_budget),
                "new_budget": _decimal(f.new_budget),
                "lines_changed": f.lines_changed,
                "changed_lines": list(f.changed_lines),
            }
            for f in result.forms
        ],
        "summary": {
            "forms": result.forms_total,
            "forms_affected": result.forms_affected,
            "lines": result.lines_total,
            "lines_changed": len(result.lines),
            "totals_changed": result.totals_changed,
            "grades_changed": result.grades_changed,
            "budgets_changed": result.budgets_changed,
            "total_deltas": dict(result.total_deltas()),
            "grade_changes": [{"old": a, "new": b, "forms": n} for a, b, n in result.grade_moves()],
        },
    }


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


_KIND = {"added": ("新增", "added"), "removed": ("删除", "removed"), "changed": ("修改", "changed")}


def _print_rules(changes: list[RuleChange], old: str, new: str, ctx: Context) -> None:
    out = ctx.out
    out.print(
        Text(ctx.say(f"规则条文差异 {old} → {new}", f"policy text: {old} → {new}"), style="bold"),
        soft_wrap=True,
    )
    if not changes:
        out.print(ctx.say("  （无差异）", "  (no difference)"))
    for c in changes:
        zh, en = _KIND[c.kind]
        where = " ".join(x for x in (c.old_at, c.new_at) if x)
        out.print(
            Text(f"  {ctx.say(zh, en)} {c.what} {c.name}   {where}", style="bold"), soft_wrap=True
        )
        if c.old is not None:
            out.print(Text(f"    - {c.old}", style="red"), soft_wrap=True)
        if c.new is not None:
            out.print(Text(f"    + {c.new}", style="green"), soft_wrap=True)


def _steps(line: LineResult, ctx: Context) -> str:
    rows = [
        f"{ctx.say('得分', 'score')} {line.score if line.score is not None else '—'}"
        f" ({line.outcome}) · {ctx.say('规则', 'rule')} {line.rule or '—'}"
        f" [{line.source or '—'}]"
    ]
    for step in line.steps:
        rows.append(step_text(step, ctx.lang))
    for flag in line.flags:
        rows.append(f"⚑ {flag.code}")
    return "\n".join(rows)


def _print_lines(changes: list[LineChange], ctx: Context) -> None:
    out = ctx.out
    out.print(
        Text(
            ctx.say(f"变化的指标行（{len(changes)} 行）", f"lines that change ({len(changes)})"),
            style="bold",
        )
    )
    for c in changes:
        head = "/".join(x or "—" for x in (c.new.level1, c.new.level2, c.new.name))
        delta = c.delta
        shown = "" if delta is None else f" Δ {'+' if delta > 0 else ''}{delta}"
        out.print(
            Text(
                f"  {c.file} {ctx.say('表', 'form')} {c.form} #{c.index} {head}"
                f" · {c.new.target or '—'} · {c.new.actual or '—'}"
                f" · {ctx.say('变化', 'changed')}: {', '.join(c.fields)}{shown}"
            ),
            soft_wrap=True,
        )
        table = Table(show_header=True, box=None, padding=(0, 2), pad_edge=False)
        table.add_column(Text(ctx.say("旧规则", "old policy")), overflow="fold", ratio=1)
        table.add_column(Text(ctx.say("新规则", "new policy")), overflow="fold", ratio=1)
        table.add_row(Text(_steps(c.old, ctx)), Text(_steps(c.new, ctx)))
        out.print(table)


def _score(value: Decimal | None) -> str:
    return "—" if value is None else str(value)


def _print_forms(result: Replay, ctx: Context) -> None:
    """Each form whose total, grade or budget score changed, old → new, and why."""
    moved = [f for f in result.forms if f.total_changed or f.grade_changed or f.budget_changed]
    by_form: dict[tuple[str, int], list[LineChange]] = {}
    for change in result.lines:
        by_form.setdefault((change.file, change.form), []).append(change)
    ctx.out.print(
        Text(
            ctx.say(
                f"总分、等级或预算得分变化的表（{len(moved)} 张）",
                f"forms whose total, grade or budget score changes ({len(moved)})",
            ),
            style="bold",
        )
    )
    for f in moved:
        if f.total_changed:
            total = ctx.say(
                f"总分 {_score(f.old_total)} → {_score(f.new_total)}",
                f"total {_score(f.old_total)} → {_score(f.new_total)}",
            )
            if f.delta:
                total += f" ({'+' if f.delta > 0 else ''}{f.delta})"
        else:
            total = ctx.say(
                f"总分 {_score(f.new_total)} 不变", f"total {_score(f.new_total)} unchanged"
            )
        parts = [total]
        if f.grade_changed:
            old, new = f.old_grade or "—", f.new_grade or "—"
            parts.append(ctx.say(f"等级 {old} → {new}", f"grade {old} → {new}"))
        if f.budget_changed:
            old, new = _score(f.old_budget), _score(f.new_budget)
            parts.append(ctx.say(f"预算得分 {old} → {new}", f"budget {old} → {new}"))
        ctx.out.print(
            Text(f"  {f.file} {ctx.say('表', 'form')} {f.form} {f.title} · " + " · ".join(parts)),
            soft_wrap=True,
        )
        ctx.out.print(
            Text(f"    {_cause(f, by_form.get((f.file, f.form), []), ctx)}"), soft_wrap=True
        )


def _cause(f: FormChange, lines: list[LineChange], ctx: Context) -> str:
    """The lines (and budget) behind a form's change, or that only the grade bands moved."""
    causes_zh: list[str] = []
    causes_en: list[str] = []
    if lines:
        shown = ", ".join(
            f"#{c.index} {c.new.name or '—'} {_score(c.old.score)} → {_score(c.new.score)}"
            for c in lines
        )
        causes_zh.append(f"指标行 {shown}")
        causes_en.append(f"lines {shown}")
    if f.budget_changed:
        causes_zh.append("预算执行率得分")
        causes_en.append("the budget score")
    if not causes_zh:
        return ctx.say(
            "起因：等级划分或合计方式的改动（各行得分未变）",
            "cause: the grade bands or how totals are counted (no line score changed)",
        )
    return ctx.say(f"起因：{'、'.join(causes_zh)}", f"caused by: {', '.join(causes_en)}")


def _print_summary(result: Replay, ctx: Context) -> None:
    out = ctx.out
    out.print(Text(ctx.say("摘要", "summary"), style="bold"))
    lines, totals, grades = len(result.lines), result.totals_changed, result.grades_changed
    out.print(
        ctx.say(
            f"  变化：指标行 {lines} 行，总分 {totals} 张，等级 {grades} 张",
            f"  {lines} lines, {totals} totals, {grades} grades changed",
        )
    )
    out.print(
        ctx.say(
            f"  表单 {result.forms_total} 张，受影响 {result.forms_affected} 张；"
            f"指标行 {result.lines_total} 行，变化 {len(result.lines)} 行；"
            f"预算得分变化 {result.budgets_changed} 张",
            f"  {result.forms_affected} of {result.forms_total} forms affected; "
            f"{len(result.lines)} of {result.lines_total} lines change; "
            f"{result.budgets_changed} budget scores change",
        )
    )
    dist = " · ".join(f"{bucket}: {n}" for bucket, n in result.total_deltas())
    out.print(ctx.say(f"  总分变化分布：{dist or '—'}", f"  total changes: {dist or '—'}"))
    moves = result.grade_moves()
    if moves:
        text = " · ".join(f"{a} → {b}: {n}" for a, b, n in moves)
        out.print(ctx.say(f"  等级变化：{text}", f"  grade changes: {text}"))
    else:
        out.print(ctx.say("  等级变化：无", "  grade changes: none"))
