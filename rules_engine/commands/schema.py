"""`rules-engine schema`: print the JSON Schema of the form or of the `explain` output."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from rules_engine.schemas import NAMES, schema

if TYPE_CHECKING:
    from rules_engine.commands.context import Context

NAME = "schema"


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add the `schema` sub-command."""
    p = sub.add_parser(
        NAME,
        parents=[common],
        description=(
            "输出表格（parse --format json）或评分解释（explain --format json）的 JSON Schema · "
            "print the JSON Schema of a form or of the explain output"
        ),
    )
    p.add_argument("which", choices=NAMES, help="form | explain")
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Print the chosen schema as indented JSON."""
    ctx.out.file.write(render(args.which) + "\n")
    return 0


def render(which: str) -> str:
    """The schema as the text `docs/schemas/<which>.schema.json` holds (stable key order)."""
    return json.dumps(schema(which), ensure_ascii=False, indent=2)
