"""`rules-engine report`: the workbook, CSV or HTML report again, from a results archive."""

from __future__ import annotations

import argparse
import functools
from typing import TYPE_CHECKING

from rules_engine.bounded import count

if TYPE_CHECKING:
    from rules_engine.commands.context import Context
    from rules_engine.render.rows import Writer


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `report` to the command line."""
    p = sub.add_parser(
        "report",
        parents=[common],
    )
    p.add_argument(
        "db", metavar="DB", help="score --db 写出的结果库 · the archive score --db wrote"
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        required=True,
        help="输出文件（.xlsx、.csv、.html 或 .jsonl） · output file (.xlsx, .csv, .html, .jsonl)",
    )
    p.add_argument(
        "--year",
        metavar="Y",
        type=functools.partial(count, low=1900, high=2999),
        action="append",
        default=[],
        help="只要这一年度的表（可写多次，各年度并排对比） · only forms of this year (repeatable)",
    )
    p.add_argument(
        "--unit",
        metavar="U",
        help="只要单位、部门或项目名称含这几个字的表 · only forms whose unit or project names U",
    )
    p.add_argument(
        "--steps",
        action="store_true",
        help="每行附上评分步骤 · add each line's trace steps to its row",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Read the archive's forms (filtered), write them as `score` would, rename into place."""
    from rules_engine.archive import load  # noqa: PLC0415
    from rules_engine.outfile import (  # noqa: PLC0415
        Output,
        check_target,
        format_of,
        open_writer,
        run_info,
    )

    fmt = format_of(args.out)
    check_target(args.out, [args.db])
    # Read everything first: a bad archive must not leave a half-written output behind.
    items = list(load(args.db, args.year, args.unit))
    info = run_info([args.db])
    output = Output(args.out)
    writer: Writer | None = None
    try:
        writer = open_writer(fmt, output, ctx.out.file, ctx.lang, info, steps=args.steps)
        for item in items:
            writer.write(item)
        writer.close()
        output.commit()
    except BaseException:
        if writer is not None:
            writer.abort()
        output.discard()
        raise
    forms = sum(len(item.card.forms) for item in items)
    ctx.err.print(
        ctx.say(f"{forms} 张表写入 {args.out}", f"{forms} forms written to {args.out}"),
        soft_wrap=True,
        markup=False,
    )
    return 0
