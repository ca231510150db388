"""The options of every command that reads policies: where `extends` may find them
(`--policy-path`) and the limits they are read under (`--max-…`), as one `Limits` value."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from rules_engine.policy import limits as bounds
from rules_engine.policy.limits import Limits


def add_policy_options(parser: argparse.ArgumentParser) -> None:
    """Add `--policy-path` and the `--max-…` limits to a command's parser."""
    group = parser.add_argument_group(
        "规则文件的来源与上限 · where policies may come from, and their limits"
    )
    group.add_argument(
        "--policy-path",
        action="append",
        type=_folder,
        default=[],
        metavar="DIR",
        help="extends 还可以引用这个文件夹中的规则文件（可写多次）；默认只能引用随附规则和"
        "本规则所在文件夹中的文件 · a folder `extends` may also read policies from (repeatable); "
        "by default only shipped names and files under the extending policy's own folder",
    )
    group.add_argument(
        "--max-policy-size",
        type=_size,
        default=bounds.FILE_BYTES,
        metavar="SIZE",
        help=f"规则文件大小上限（字节，可写 512K、2M；默认 1M，最多 "
        f"{bounds.FILE_BYTES_CEILING >> 20}M） · largest policy file read (default 1M)",
    )
    for flag, default, ceiling, zh, en in (
        (
            "--max-extends-depth",
            bounds.EXTENDS_DEPTH,
            bounds.EXTENDS_DEPTH_CEILING,
            "extends 继承链的层数上限",
            "longest extends chain",
        ),
        (
            "--max-expression-depth",
            bounds.EXPRESSION_DEPTH,
            bounds.EXPRESSION_DEPTH_CEILING,
            "表达式与条件的嵌套层数上限",
            "deepest nesting of an expression or condition",
        ),
        (
            "--max-expression-terms",
            bounds.EXPRESSION_TERMS,
            bounds.EXPRESSION_TERMS_CEILING,
            "一个表达式中数字与名称的个数上限",
            "most numbers and names in one expression",
        ),
    ):
        group.add_argument(
            flag,
            type=_count(ceiling),
            default=default,
            metavar="N",
            help=f"{zh}（默认 {default}，最多 {ceiling}） · {en} (default {default}, "
            f"at most {ceiling})",
        )


def limits_of(args: argparse.Namespace) -> Limits:
    """The limits the options of a parsed command line ask for."""
    return Limits(
        extends_depth=args.max_extends_depth,
        expression_depth=args.max_expression_depth,
        expression_terms=args.max_expression_terms,
        file_bytes=args.max_policy_size,
        policy_path=tuple(args.policy_path),
    )


def _folder(text: str) -> Path:
    path = Path(text)
    if not path.is_dir():
        raise argparse.ArgumentTypeError(f"{text}: 不是文件夹 · not a folder")
    return path


def _size(text: str) -> int:
    try:
        size = bounds.parse_size(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text}: 应为字节数，如 512K、2M · bytes") from None
    if not 1 <= size <= bounds.FILE_BYTES_CEILING:
        raise argparse.ArgumentTypeError(
            f"{text}: 应在 1 到 {bounds.FILE_BYTES_CEILING >> 20}M 之间 · out of range"
        )
    return size


def _count(ceiling: int) -> Callable[[str], int]:
    def count(text: str) -> int:
        if not text.strip().isdigit() or not 1 <= int(text) <= ceiling:
            raise argparse.ArgumentTypeError(
                f"{text}: 应为 1 到 {ceiling} 的整数 · a whole number from 1 to {ceiling}"
            )
        return int(text)

    return count
