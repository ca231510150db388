"""`rules-engine explain`: score a form under a policy and show why each line scores as it does."""

from __future__ import annotations

import argparse
import itertools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rules_engine.app import Policies, evaluate
from rules_engine.diagnostics import Diagnostic, Lang, UserError, define
from rules_engine.model import Document
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.readers.limits import add_arguments, from_arguments
from rules_engine.readers.load import read_parts
from rules_engine.render import select, text
from rules_engine.report import print_diagnostics

if TYPE_CHECKING:
    from rules_engine.app import Choice
    from rules_engine.commands.context import Context
    from rules_engine.model import Form
    from rules_engine.render.trace_facts import RuleNotes
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

BAD_ONLY = define(
    "E457",
    "--only 的值「{value}」无法识别",
    "cannot read the --only value '{value}'",
    "可选 partial（未得满分）、flags（带复核标记）、changed（复核与自评不一致），"
    "可用逗号连写（--only partial,flags）。",
    "choose partial (below full marks), flags (flagged for review) or changed (policy and "
    "self-score disagree); join several with commas (--only partial,flags).",
)
ONLY_WITH_LINE = define(
    "E458",
    "--only 与 --line 不能同时使用",
    "--only and --line cannot be used together",
    "--line 显示一条指标的完整说明；--only 筛选整张表列出的指标。",
    "--line shows one line's whole explanation; --only narrows the list of a whole form.",
)

PAGE_TOO_LONG = define(
    "E195",
    "{format} 页面最多放 {limit} 条指标，这个文件有 {count} 条以上",
    "a {format} page holds at most {limit} lines; this file has {count} or more",
    "用 --format text 或 --format json（逐表输出，不受此限），或用 --max-rows 放宽上限。",
    "use --format text or --format json (written form by form, without this limit), or raise"
    " the limit with --max-rows.",
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
        "--only",
        metavar="KINDS",
        action="append",
        help="只列出部分指标：partial 未得满分，flags 带复核标记，changed 复核与自评不一致"
        "（可用逗号连写）· list only lines below full marks, flagged, or whose score changed",
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
    add_policy_options(p)
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


def check_line(
    card: Scorecard, wanted: tuple[int, int], file: str, *, shown: int | None = None
) -> None:
    """Raise a coded error when the form or line does not exist (`shown`: the form's number in
    its file, when the card holds a part of it)."""
    form_no, line_no = wanted
    if form_no > len(card.forms):
        raise UserError.one(NO_SUCH_FORM, 2, file=file, form=form_no, count=len(card.forms))
    if line_no <= 0:  # the budget block or the total: every form has them
        return
    lines = card.forms[form_no - 1].lines
    if not any(line.index == line_no for line in lines):
        raise UserError.one(
            NO_SUCH_LINE, 2, file=file, form=shown or form_no, number=line_no, count=len(lines)
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


def parse_only(values: list[str] | None) -> select.Only:
    """Every ``--only`` given, joined (``--only partial --only flags`` = ``partial,flags``)."""
    kinds: set[select.Kind] = set()
    for value in values or ():
        try:
            kinds |= select.parse(value)
        except ValueError:
            raise UserError.one(BAD_ONLY, 2, value=value) from None
    return frozenset(kinds)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Read, choose the policy, evaluate, render; exit 1 under --strict when flags fire.

    A large text file is read in parts: each part is scored and written in turn (text, JSON),
    or the part holding the line asked for is found; a Markdown or HTML page holds the whole.
    """

    only = parse_only(args.only)
    if only and args.line is not None:
        raise UserError.one(ONLY_WITH_LINE, 2)
    wanted = parse_line(args.line, args.form) if args.line is not None else None
    limits = from_arguments(args)
    parts = read_parts(Path(args.form), None, limits)
    first = next(parts)
    policies = Policies(limits_of(args))
    if args.policy:
        choice = policies.named(args.policy)
    else:
        choice = policies.for_document(first, args.region)
    documents = itertools.chain([first], parts)
    if wanted is not None:
        flags = _explain_line(documents, wanted, choice, args, ctx)
    elif args.format in ("text", "json"):
        flags = _explain_parts(documents, choice, args.format, ctx, only=only)
    else:
        flags = _explain_page(
            documents, first.context, choice, args, ctx, rows=limits.rows, only=only
        )
    if args.strict and flags:
        diag = Diagnostic(
            code=STRICT_FLAGS, args={"count": str(flags)}, severity="warning", file=args.form
        )
        print_diagnostics([diag], ctx.err, ctx.lang)
        return 1
    return 0


def _explain_line(
    documents: Iterator[Document],
    wanted: tuple[int, int],
    choice: Choice,
    args: argparse.Namespace,
    ctx: Context,
) -> int:
    """One line's trace: only the part that holds its form is scored."""
    form_no, line_no = wanted
    before = 0
    for document in documents:
        if before + len(document.forms) >= form_no:
            break
        before += len(document.forms)
    else:
        raise UserError.one(NO_SUCH_FORM, 2, file=args.form, form=form_no, count=before)
    card = evaluate(choice.policy, document)
    local = (form_no - before, line_no)
    check_line(card, local, args.form, shown=form_no)
    lang = ctx.lang
    notes = _notes(choice)
    if args.format == "text":
        text.render(card, ctx.out, lang, line=local, chosen=choice.reason(lang), notes=notes)
    elif args.format == "json":
        from rules_engine.render import json as render_json  # noqa: PLC0415

        ctx.write(render_json.render(card, lang, line=local, form_number=form_no), "json")
    else:
        page = _render_page(card, args.format, lang, wanted=local, notes=notes, chosen=choice)
        ctx.write(page, "page")
    return count_flags(card)


def _explain_parts(
    documents: Iterator[Document],
    choice: Choice,
    fmt: str,
    ctx: Context,
    *,
    only: select.Only = select.EVERY,
) -> int:
    """Every form, part by part: scored, written and let go before the next part is read."""
    flags = 0

    def scored() -> Iterator[Scorecard]:
        nonlocal flags
        for document in documents:
            card = evaluate(choice.policy, document)
            flags += count_flags(card)
            yield card

    lang = ctx.lang
    if fmt == "json":
        from rules_engine.render import json_stream  # noqa: PLC0415

        for chunk in json_stream.chunks(scored(), lang, only):
            ctx.write(chunk, "json")
        return flags
    notes = _notes(choice)
    for number, card in enumerate(scored()):
        if number:
            ctx.out.print()
        chosen = choice.reason(lang) if number == 0 else None
        text.render(card, ctx.out, lang, chosen=chosen, notes=notes, only=only)
    return flags


def _explain_page(
    documents: Iterator[Document],
    context: str,
    choice: Choice,
    args: argparse.Namespace,
    ctx: Context,
    *,
    rows: int,
    only: select.Only = select.EVERY,
) -> int:
    """A Markdown or HTML page holds every form at once: as many lines as the row limit."""

    forms: list[Form] = []
    for document in documents:
        forms.extend(document.forms)
        lines = sum(len(form.indicators) for form in forms)
        if lines > rows:
            raise UserError.one(
                PAGE_TOO_LONG, 2, file=args.form, format=args.format, count=lines, limit=rows
            )
    card = evaluate(choice.policy, Document(forms=forms, context=context))
    lang = ctx.lang
    notes = _notes(choice)
    page = _render_page(card, args.format, lang, wanted=None, notes=notes, chosen=choice, only=only)
    ctx.write(page, "page")
    return count_flags(card)


def _notes(choice: Choice) -> RuleNotes:
    """Each rule's basis and 说明, for the line traces."""
    return {name: (rule.basis, rule.note) for name, rule in choice.policy.rules.items()}


def _render_page(
    card: Scorecard,
    fmt: str,
    lang: Lang,
    *,
    wanted: tuple[int, int] | None,
    notes: RuleNotes,
    chosen: Choice,
    only: select.Only = select.EVERY,
) -> str:
    if fmt == "markdown":
        from rules_engine.render import markdown  # noqa: PLC0415

        why = chosen.reason(lang)
        return markdown.render(card, lang, line=wanted, notes=notes, chosen=why, only=only)
    from rules_engine.render import html  # noqa: PLC0415

    return html.render(card, lang, line=wanted, notes=notes, chosen=chosen.reason(lang), only=only)
