"""`rules-engine target`: show how target and actual cell texts are read."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text

from rules_engine.diagnostics import CATALOG
from rules_engine.render import figures
from rules_engine.values import plain

if TYPE_CHECKING:
    from rules_engine.commands.context import Context
    from rules_engine.values import CellValue

NAME = "target"

_KINDS = {
    "compare": ("比较", "comparison"),
    "range": ("区间", "range"),
    "term": ("定性", "term"),
    "date": ("日期", "date"),
    "number": ("数值", "number"),
    "unknown": ("无法识别", "unknown"),
}


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the `target` sub-command."""
    p = sub.add_parser(
        NAME,
        parents=[common],
        description="读取年度指标值或实际完成值的写法 · read target or actual cell texts",
    )
    p.add_argument(
        "texts",
        nargs="+",
        metavar="TEXT",
        help="cell texts, `-` reads one per line from stdin / 单元格文本，`-` 从标准输入逐行读取",
    )
    p.add_argument(
        "--role",
        choices=("target", "actual"),
        default="target",
        help="read as a target (年度指标值) or an actual (实际完成值)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(run=run)


def _texts(args: list[str]) -> list[str]:
    texts: list[str] = []
    for arg in args:
        if arg == "-":
            texts.extend(sys.stdin.read().splitlines())
        else:
            texts.append(arg)
    return texts


def reading(value: CellValue, lang: str) -> str:
    """What a value means, in one line of `lang` (an unknown's reason from the catalogue)."""
    zh = lang == "zh"
    if value.kind == "compare":
        return figures.compared(value.op, value.value, value.unit)
    if value.kind == "range":
        return figures.span(value.low, value.high, value.unit, "zh" if zh else "en")
    if value.kind == "number":
        return f"{plain(value.value)}{value.unit or ''}"
    if value.kind == "term":
        return f"「{value.term}」" if zh else f"'{value.term}'"
    if value.kind == "date":
        if value.value is None:
            return "期间（无单一日期）" if zh else "a period (no single date)"
        return value.value
    entry = CATALOG.get(value.code or "")
    if entry is None:
        return value.reason
    return entry.zh if zh else entry.en


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Read each text and print its value as a table or as JSON lines."""
    from rules_engine.targets import read_cell  # noqa: PLC0415  (lark loads only when needed)

    texts = _texts(args.texts)
    values = [read_cell(text, args.role) for text in texts]
    if args.format == "json":
        for value in values:
            ctx.write(json.dumps(value.to_json(), ensure_ascii=False) + "\n", "json")
        ctx.out.file.flush()
        return 0
    table = Table(
        ctx.say("文本", "text"),
        ctx.say("类型", "kind"),
        ctx.say("读作", "reading"),
        title=ctx.say(
            "年度指标值" if args.role == "target" else "实际完成值",
            "targets" if args.role == "target" else "actuals",
        ),
    )
    for text, value in zip(texts, values, strict=True):
        kind = _KINDS[value.kind]
        style = "yellow" if value.kind == "unknown" else None
        # Text() keeps brackets in cell texts from being read as rich markup.
        table.add_row(Text(text), Text(ctx.say(*kind)), Text(reading(value, ctx.lang)), style=style)
    ctx.out.print(table)
    return 0
