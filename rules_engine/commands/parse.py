"""`rules-engine parse`: show a form as read, or summarise every form in a folder."""

from __future__ import annotations

import argparse
import itertools
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.table import Table
from rich.text import Text

from rules_engine.commands import parse_folder
from rules_engine.commands.parse_folder import KINDS
from rules_engine.diagnostics import CATALOG
from rules_engine.readers.limits import add_arguments, from_arguments

if TYPE_CHECKING:
    from rules_engine.commands.context import Context
    from rules_engine.model import Document, Form

NAME = "parse"

_LINE_COLUMNS = (
    ("#", "#"),
    ("行", "row"),
    ("指标", "indicator"),
    ("年度指标值", "target"),
    ("实际完成值", "actual"),
    ("分值", "weight"),
    ("得分", "score"),
    ("偏差原因", "note"),
)
_PROCESS_COLUMNS = (
    ("#", "#"),
    ("指标", "item"),
    ("评价标准", "standard"),
    ("分值", "weight"),
    ("自评分", "score"),
    ("复核分", "review"),
)
# How far the form as read can be trusted (DESIGN §5 `reliability`).
_RELIABILITY = {
    "sure": ("读取完整", "read in full"),
    "partial": (
        "部分读取：有的行或单元格未读取，见警告",
        "partly read: some rows or cells were not read, see the warnings",
    ),
    "unreliable": (
        "读取不可靠：版式无法可靠还原，请对照原表",
        "unreliable: the layout could not be read with confidence; check the original form",
    ),
}
_BUDGET_COLUMNS = (
    ("资金", "funds"),
    ("年初预算数", "initial"),
    ("全年预算数", "adjusted"),
    ("全年执行数", "executed"),
    ("分值", "weight"),
    ("执行率", "rate"),
    ("得分", "score"),
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the `parse` sub-command."""
    p = sub.add_parser(
        NAME,
        parents=[common],
        description="读取绩效表（文本、CSV、JSON、YAML、Excel、Word）· read performance forms",
    )
    p.add_argument("form", metavar="FORM", help="form file or folder / 表格文件或文件夹")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument(
        "--layout",
        default=None,
        metavar="NAME",
        help="force a text layout (tsv, pipe-rows, markdown …) / 指定文本版式",
    )
    add_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Read FORM (or every form under a folder) and print it."""
    from rules_engine.readers.load import is_folder  # noqa: PLC0415

    path = Path(args.form)
    if is_folder(path):
        return parse_folder.run(path, args, ctx)
    from rules_engine.readers.load import read_parts  # noqa: PLC0415  (readers load on use)

    # A large text comes in parts: each form is printed as soon as it is read. The first part
    # is read before anything is written, so that a file that cannot be read prints nothing.
    parts = read_parts(path, args.layout, from_arguments(args))
    first = next(parts)
    forms = (form for part in itertools.chain([first], parts) for form in part.forms)
    if args.format == "json":
        for chunk in json_chunks(forms):
            ctx.write(chunk, "json")
        return 0
    for form in forms:
        _print_form(form, ctx)
    return 0


def to_json(document: Document) -> str:
    """The DESIGN §5 JSON: ``{"forms": [Form, …]}``, stable key order, CJK kept as is."""
    return "".join(json_chunks(document.forms)).removesuffix("\n")


def json_chunks(forms: Iterable[Form]) -> Iterator[str]:
    """`to_json` written form by form (newline-ended): the text ``json.dumps`` would give for
    the whole document with ``indent=2``, in the memory of one form."""
    from rules_engine.render.json_stream import form_data, stream  # noqa: PLC0415

    yield '{\n  "forms": ['
    first = True
    for form in forms:
        yield ("\n" if first else ",\n") + "    "
        # Cell positions in field order, however the input listed them (YAML sorts keys).
        yield from stream(form_data(form, ordered=True), 2)
        first = False
    yield "]\n}\n" if first else "\n  ]\n}\n"


def _print_form(form: Form, ctx: Context) -> None:
    kind = KINDS[form.kind]
    heading = " · ".join(
        part
        for part in (
            form.title or ctx.say("（无标题）", "(no title)"),
            ctx.say(kind[0], kind[1]),
            str(form.year) if form.year else None,
            form.file,
        )
        if part
    )
    ctx.out.print(Text(heading, style="bold"))
    for label, value in (
        (ctx.say("项目名称", "project"), form.project),
        (ctx.say("主管部门", "department"), form.department),
        (ctx.say("实施单位", "unit"), form.unit),
    ):
        if value:
            ctx.out.print(Text(f"{label}：{value}" if ctx.lang == "zh" else f"{label}: {value}"))
    if form.budget:
        table = _table(ctx, _BUDGET_COLUMNS, ctx.say("预算执行", "budget"))
        for row in form.budget:
            table.add_row(
                *(
                    _cell(v)
                    for v in (
                        row.name,
                        row.initial,
                        row.adjusted,
                        row.executed,
                        row.weight,
                        row.rate,
                        row.score,
                    )
                )
            )
        ctx.out.print(table)
    if form.process:
        process = _table(ctx, _PROCESS_COLUMNS, ctx.say("过程评分", "process scorecard"))
        for number, item in enumerate(form.process, start=1):
            process.add_row(
                str(number),
                _path(item.level1, item.level2, item.name),
                *(_cell(v) for v in (item.standard, item.weight, item.score, item.review)),
            )
        ctx.out.print(process)
    table = _table(ctx, _LINE_COLUMNS, ctx.say("绩效指标", "indicators"))
    for number, line in enumerate(form.indicators, start=1):
        table.add_row(
            str(number),
            str(line.source.row) if line.source else "—",
            _path(line.level1, line.level2, line.name),
            *(
                _cell(v)
                for v in (
                    line.target,
                    line.actual,
                    line.weight,
                    line.score,
                    line.note,
                )
            ),
        )
    if form.indicators or not form.process:
        ctx.out.print(table)
    if form.total is not None:
        ctx.out.print(
            Text(
                ctx.say(
                    f"总分：分值 {_cell(form.total.weight)} · 得分 {_cell(form.total.score)}",
                    f"total: weight {_cell(form.total.weight)} · score {_cell(form.total.score)}",
                )
            )
        )
    zh, en = _RELIABILITY[form.reliability]
    label = ctx.say(f"读取：{zh}", f"reading: {en}")
    ctx.out.print(Text(label, style="" if form.reliability == "sure" else "yellow"))
    _print_warnings(form, ctx)
    ctx.out.print()


def _print_warnings(form: Form, ctx: Context) -> None:
    if form.diagnostics:
        lines = [
            f"{d.where() + ': ' if d.where() else ''}{d.code} {d.text(ctx.lang)}"
            for d in form.diagnostics
            if d.code in CATALOG
        ]
    else:
        lines = list(form.warnings)
    if not lines:
        return
    ctx.out.print(Text(ctx.say(f"警告（{len(lines)}）：", f"warnings ({len(lines)}):"), "yellow"))
    for line in lines:
        ctx.out.print(Text(f"  {line}", style="yellow"), soft_wrap=True)


def _table(ctx: Context, columns: tuple[tuple[str, str], ...], title: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False)
    for zh, en in columns:
        table.add_column(ctx.say(zh, en), overflow="fold")
    return table


def _path(level1: str | None, level2: str | None, name: str | None) -> str:
    """``产出/数量 指标1：外出考察次数``: the categories shortened, then the name."""
    groups = "/".join(
        re.sub(r"指标$", "", re.sub(r"[(（].*?[)）]", "", g)) or g for g in (level1, level2) if g
    )
    return f"{groups} {_cell(name)}" if groups else _cell(name)


def _cell(value: str | None) -> str:
    return "—" if value is None else value
