"""`rules-engine parse FOLDER`: every form file under a folder, each read on its own.

A file that cannot be read, for whatever reason, is listed with its coded error and the others go
on; a folder that cannot be entered is reported; the exit code says whether anything was lost
(1) or nothing could be read at all (2). JSON is written file by file, so a folder of any size
needs the memory of one file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.progress import track
from rich.table import Table
from rich.text import Text

from rules_engine.commands.context import INTERNAL, Context
from rules_engine.diagnostics import Diagnostic, UserError
from rules_engine.readers.limits import Limits, from_arguments

if TYPE_CHECKING:
    from rules_engine.model import Document

# The kinds of form, as `parse` names them (Chinese, English).
KINDS = {
    "project-self-evaluation": ("项目支出绩效自评表", "project self-evaluation"),
    "department-self-evaluation": ("部门整体支出绩效自评表", "department self-evaluation"),
    "transfer-self-evaluation": ("转移支付区域绩效自评表", "transfer-payment self-evaluation"),
    "targets-only": ("绩效目标表", "targets only"),
}

# Folders with more files than this show a progress bar (when stderr is a terminal).
PROGRESS_FROM = 20


@dataclass(frozen=True)
class Row:
    """What the summary shows of one file: its kinds, lines and warnings, or its error."""

    name: str
    kinds: str
    lines: int
    warnings: int
    error: Diagnostic | None


def run(folder: Path, args: argparse.Namespace, ctx: Context) -> int:
    """Read every form file under `folder`; print a summary table, or JSON file by file."""
    from rules_engine.readers.load import NO_FORMS, find_forms  # noqa: PLC0415

    found = find_forms(folder)
    if not found.files:
        raise UserError(found.problems or [Diagnostic(code=NO_FORMS, file=str(folder))])
    limits = from_arguments(args)
    rows: list[Row] = []
    if args.format == "json":
        ctx.write('{\n  "files": [\n', "json")
    for number, path in enumerate(_progress(found.files, ctx)):
        name = str(path.relative_to(folder))
        document, error = read_one(path, args.layout, limits)
        rows.append(_row(name, document, error, ctx))
        if args.format == "json":
            item = {
                "file": name,
                "error": f"{error.code} {error.text(ctx.lang)}" if error else None,
                "forms": document.model_dump(mode="json")["forms"] if document else [],
            }
            text = json.dumps(item, ensure_ascii=False, indent=2)
            ctx.write((",\n" if number else "") + textwrap.indent(text, "    "), "json")
    if args.format == "json":
        ctx.write("\n  ]\n}\n", "json")
    else:
        _print_table(rows, ctx)
    failures = [row.error for row in rows if row.error is not None]
    _report(failures, found.problems, rows, ctx, table=args.format != "json")
    if len(failures) == len(rows):
        return 2
    return 1 if failures or found.problems else 0


def read_one(
    path: Path, layout: str | None, limits: Limits
) -> tuple[Document | None, Diagnostic | None]:
    """The file read, or the first reason it could not be: a coded error, or an internal error
    (E299) named with the file, so that one broken file never stops the others."""
    from rules_engine.readers.load import read_document  # noqa: PLC0415

    try:
        return read_document(path, layout=layout, limits=limits), None
    except UserError as exc:
        first = exc.diagnostics[0]
        return None, first if first.file else first.model_copy(update={"file": str(path)})
    except Exception as exc:
        if os.environ.get("RULES_ENGINE_DEBUG"):
            raise
        detail = f"{type(exc).__name__}: {exc}"
        return None, Diagnostic(code=INTERNAL, args={"detail": detail}, file=str(path))


def _row(name: str, document: Document | None, error: Diagnostic | None, ctx: Context) -> Row:
    if document is None:
        return Row(name, "—", 0, 0, error)
    kinds = ", ".join(sorted({ctx.say(*KINDS[f.kind]) for f in document.forms}))
    lines = sum(len(f.indicators) for f in document.forms)
    warnings = sum(len(f.warnings) for f in document.forms)
    return Row(name, kinds, lines, warnings, None)


def _print_table(rows: list[Row], ctx: Context) -> None:
    table = Table(box=None, show_edge=False)
    for zh, en in (
        ("文件", "file"),
        ("类型", "kind"),
        ("指标行", "lines"),
        ("警告", "warnings"),
        ("错误", "error"),
    ):
        table.add_column(ctx.say(zh, en), overflow="fold")
    for row in rows:
        if row.error is not None:
            error = Text(f"{row.error.code} {row.error.text(ctx.lang)}", style="red")
            table.add_row(row.name, "—", "0", "0", error)
        else:
            table.add_row(row.name, row.kinds, str(row.lines), str(row.warnings), "")
    ctx.out.print(table)


def _report(
    failures: list[Diagnostic],
    problems: list[Diagnostic],
    rows: list[Row],
    ctx: Context,
    *,
    table: bool,
) -> None:
    """The errors on standard error, in file order, then one line on what was read: on standard
    output under the table, on standard error beside JSON."""
    from rules_engine.report import format_diagnostic  # noqa: PLC0415

    for diag in [*problems, *failures]:
        style = "red" if diag.severity == "error" else "yellow"
        ctx.err.print(Text(format_diagnostic(diag, ctx.lang), style=style), soft_wrap=True)
    failed = len(failures)
    read = len(rows) - failed
    warnings = sum(row.warnings for row in rows)
    zh = f"共 {len(rows)} 个文件，读取成功 {read} 个，失败 {failed} 个"
    en = f"{len(rows)} files, {read} read, {failed} failed"
    if warnings:
        zh += f"，读表警告 {warnings} 条"
        en += f", {warnings} reader warnings"
    if problems:
        zh += f"；{len(problems)} 个文件夹无法进入"
        en += f"; {len(problems)} folders could not be entered"
    (ctx.out if table else ctx.err).print(Text(ctx.say(zh, en)), soft_wrap=True)


def _progress(files: list[Path], ctx: Context) -> Iterable[Path]:
    """The files, wrapped in a progress bar on long runs when stderr is a terminal."""
    if len(files) < PROGRESS_FROM or not sys.stderr.isatty():
        return files
    return track(files, description=ctx.say("读取中…", "reading…"), console=ctx.err)
