"""`rules-engine policies`: the shipped policies with region, year, kinds of form and basis."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from rich.table import Table

from rules_engine.policy.loader import ShippedPolicy, shipped_policies
from rules_engine.policy.model import FORM_KIND_NAMES

if TYPE_CHECKING:
    from rules_engine.commands.context import Context

NAME = "policies"
# The names a policy writes in `forms` (Chinese first, then English, for each kind).
_SHORT: dict[str, list[str]] = {}
for _word, _kind in FORM_KIND_NAMES.items():
    _SHORT.setdefault(_kind, []).append(_word)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the `policies` sub-command."""
    p = sub.add_parser(
        NAME,
        parents=[common],
        description="列出随附的规则：名称、地区、年度、评哪类表、依据；explain 与 score 不指定"
        " --policy 时按表的种类、地区和年度从中选择。"
        " · List the shipped policies: name, region, year, the kinds of form each scores and"
        " its basis; explain and score choose among them by kind, region and year.",
    )
    p.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="输出格式 · output format (default text)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Print the shipped policies as a table or as JSON."""
    found = shipped_policies()
    if args.format == "json":
        data = {"policies": [as_json(p) for p in found]}
        ctx.out.file.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    heads = ("名称", "地区", "年度", "评哪类表", "依据")
    heads_en = ("name", "region", "year", "forms scored", "basis")
    table = Table(box=None, show_edge=False, pad_edge=False, header_style="bold")
    for index, (zh, en) in enumerate(zip(heads, heads_en, strict=True)):
        # names, places and years are kept whole; the kinds and the basis wrap
        table.add_column(ctx.say(zh, en), overflow="fold", no_wrap=index < 3)
    for policy in found:
        kinds = ctx.say("、", ", ").join(ctx.say(*_SHORT[k][:2]) for k in policy.kinds)
        if policy.about:
            kinds += ctx.say(
                f"（写有「{'、'.join(policy.about)}」的）", f" (naming {', '.join(policy.about)})"
            )
        table.add_row(
            policy.name,
            policy.region or "—",
            str(policy.year) if policy.year is not None else "—",
            kinds,
            policy.basis or "—",
        )
    ctx.out.print(table)
    return 0


def as_json(policy: ShippedPolicy) -> dict[str, Any]:
    """One shipped policy as `--format json` prints it."""
    return {
        "name": policy.name,
        "title": policy.title,
        "region": policy.region,
        "year": policy.year,
        "kinds": list(policy.kinds),
        "about": list(policy.about),
        "extends": policy.extends,
        "basis": policy.basis,
        "path": policy.display,
    }
