"""`rules-engine explain`: score a form under a policy and show why each line scores as it does."""

from __future__ import annotations

import argparse
import re
from typing import TYPE_CHECKING

from rules_engine.diagnostics import Diagnostic, Lang, UserError, define
from rules_engine.readers.limits import add_arguments, from_arguments

if TYPE_CHECKING:
    from rules_engine.cli import Context
    from rules_engine.render.labels import RuleNotes
    from rules_engine.scorecard import Scorecard

BAD_LINE = define(
    "E450",
    "--line 的值「{value}」无法识别",
    "cannot read the --line value '{value}'",
    "写指标序号（如 --line 6），文件有多张表时写「表序号:指标序号」（如 --line 2:3）；"
    "预算执行率写 --line budget，总分写 --line total。",
    "give the line number (--line 6), or form:line when the file holds several forms "
    "(--line 2:3); --line budget and --line total explain the budget score and the total.",
)
NO_SUCH_LINE = define(
    "E451",
    "第 {form} 张表没有第 {number} 条指标（共 {count} 条）",
    "form {form} has no line {number} (it has {count})",
    "用 1 到 {count} 之间的序号；不带 --line 运行可以看到所有序号。",
    "use a number from 1 to {count}; run without --line to see every line's number.",
)
NO_SUCH_FORM = define(
    "E454",
    "文件中没有第 {form} 张表（共 {count} 张）",
    "the file has no form {form} (it has {count})",
    "表序号从 1 数起；不带 --line 运行可以看到所有表。",
    "forms are numbered from 1; run without --line to see every form.",
)
STRICT_FLAGS = define(
    "E455",
    "复核标记 {count} 个（--strict）",
    "{count} review flags raised (--strict)",
    "逐条查看标记；用 --line N 看某一行的完整说明。",
    "look at each flag; --line N shows one line's full explanation.",
    severity="warning",
)

# Numbers of at most 9 ASCII digits: no sign (``--5`` is not read as 5 or -5), no exponent.
_LINE = re.compile(r"^\s*(?:([0-9]{1,9})\s*[:：.]\s*)?([0-9]{1,9}|[^\d:：.\s+-]+)\s*$")
# Words `--line` takes for the budget block and the total instead of a line number.
_BLOCKS = {"budget": 0, "预算": 0, "预算执行率": 0, "total": -1, "总分": -1}


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `explain` to the command line."""
    p = sub.add_parser(
        "explain",
        parents=[common],
        help="逐行说明评分 · explain every line's score",
        description="按规则给表单评分，逐行说明得分、依据、与自评的差异和复核标记。"
        " · Score a form under a policy and explain every line.",
    )
    p.add_argument("form", metavar="FORM", help="表单文件 · the form file")
    p.add_argument(
        "--policy",
        metavar="P",
        help="规则名（national-2020）或文件路径；缺省按表单年度和地区选择"
        " · policy name or path; default: chosen by the form's year and place",
    )
    p.add_argument(
        "--region",
        metavar="R",
        help="按地区选规则（武威、全国），不看表上写的地区 · choose the policy for this place",
    )
    p.add_argument(
        "--line",
        metavar="N",
        help="只看第 N 条指标的完整说明（表:行；budget 预算执行率；total 总分）"
        " · one line's trace (N, FORM:N, budget or total)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "markdown", "html"),
        default="text",
        help="输出格式 · output format",
    )
    p.add_argument(
        "--strict",
        action="store_true",
        help="有复核标记时退出码为 1 · exit 1 when review flags are raised",
    )
    add_arguments(p)
    p.set_defaults(run=run)


def parse_line(value: str, file: str | None = None) -> tuple[int, int]:
    """``6`` → (1, 6); ``2:3`` → (2, 3); ``budget`` → (1, 0); ``2:total`` → (2, -1)."""
    match = _LINE.match(value)
    form = int(match.group(1) or 1) if match else 0
    item = match.group(2) if match else ""
    digits = item.isascii() and item.isdigit()
    number = int(item) if digits else _BLOCKS.get(item.lower())
    if number is None or form < 1 or (number == 0 and digits):
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise UserError.one(BAD_LINE, 2, file=file, value=shown)
    return form, number


def check_line(card: Scorecard, wanted: tuple[int, int], file: str) -> None:
    """Raise a coded error when the form or line does not exist."""
    form_no, line_no = wanted
    if form_no > len(card.forms):
        raise UserError.one(NO_SUCH_FORM, 2, file=file, form=form_no, count=len(card.forms))
    if line_no <= 0:  # the budget block or the total: every form has them
        return
    lines = card.forms[form_no - 1].lines
    if not any(line.index == line_no for line in lines):
        raise UserError.one(
            NO_SUCH_LINE, 2, file=file, form=form_no, number=line_no, count=len(lines)
        )


def count_flags(card: Scorecard) -> int:
    """Review flags (warnings and errors) on lines, budgets and forms."""
    count = 0
    for result in card.forms:
        flags = list(result.flags)
        if result.budget is not None:
            flags.extend(result.budget.flags)
        for line in result.lines:
            flags.extend(line.flags)
        count += sum(1 for flag in flags if flag.severity != "info")
    return count


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Read, choose the policy, evaluate, render; exit 1 under --strict when flags fire."""
    from rules_engine.app import Policies, evaluate, read_document  # noqa: PLC0415

    wanted = parse_line(args.line, args.form) if args.line is not None else None
    document = read_document(args.form, from_arguments(args))
    policies = Policies()
    if args.policy:
        choice = policies.named(args.policy)
    else:
        choice = policies.for_document(document, args.region)
    card = evaluate(choice.policy, document)
    if wanted is not None:
        check_line(card, wanted, args.form)
    lang = ctx.lang
    notes = {name: (rule.basis, rule.note) for name, rule in choice.policy.rules.items()}
    if args.format == "text":
        from rules_engine.render import text  # noqa: PLC0415

        text.render(card, ctx.out, lang, line=wanted, chosen=choice.reason(lang), notes=notes)
    else:
        why = choice.reason(lang)
        page = _render_other(card, args.format, lang, wanted=wanted, notes=notes, chosen=why)
        ctx.write(page, "json" if args.format == "json" else "page")
        ctx.out.file.flush()
    if args.strict:
        flags = count_flags(card)
        if flags:
            from rules_engine.report import print_diagnostics  # noqa: PLC0415

            diag = Diagnostic(
                code=STRICT_FLAGS, args={"count": str(flags)}, severity="warning", file=args.form
            )
            print_diagnostics([diag], ctx.err, lang)
            return 1
    return 0


def _render_other(
    card: Scorecard,
    fmt: str,
    lang: Lang,
    *,
    wanted: tuple[int, int] | None,
    notes: RuleNotes,
    chosen: str,
) -> str:
    if fmt == "json":
        from rules_engine.render import json as render_json  # noqa: PLC0415

        return render_json.render(card, lang, line=wanted)
    if fmt == "markdown":
        from rules_engine.render import markdown  # noqa: PLC0415

        return markdown.render(card, lang, line=wanted, notes=notes, chosen=chosen)
    from rules_engine.render import html  # noqa: PLC0415

    return html.render(card, lang, line=wanted, notes=notes, chosen=chosen)
