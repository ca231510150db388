"""`rules-engine lsp`: run the policy language server on stdin/stdout for an editor."""

from __future__ import annotations

import argparse

from rules_engine.commands.context import Context
from rules_engine.diagnostics import UserError, define

NEEDS_PYGLS = define(
    "E203",
    "语言服务器需要 pygls，当前环境没有安装",
    "the language server needs pygls, which is not installed here",
    "安装带编辑器支持的版本：pip install 'rules-engine[lsp]'（开发环境：make 会装好）。",
    "install the editor support: pip install 'rules-engine[lsp]' (a development setup gets it "
    "from make).",
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `lsp` to the command line."""
    p = sub.add_parser(
        "lsp",
        parents=[common],
        description="在标准输入输出上运行语言服务器（LSP）：边写边显示 check 的错误与警告，"
        "悬停显示规则的依据与说明，补全规则名和词表名。由编辑器启动，不必手工运行。"
        " · Run the language server on stdin/stdout: check findings while typing, a rule's"
        " basis and note on hover, rule and vocabulary names on completion. Editors start it.",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Serve until the editor closes the connection."""
    try:
        from rules_engine.lsp.server import build  # noqa: PLC0415 - pygls is optional
    except ImportError:
        raise UserError.one(NEEDS_PYGLS, 2) from None
    build(ctx.lang).start_io()
    return 0
