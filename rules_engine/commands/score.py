"""`rules-engine score`: score many forms into a workbook, CSV, HTML page or JSONL, and archive."""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING, cast

from rules_engine.bounded import count
from rules_engine.diagnostics import Diagnostic, Lang, UserError, define
from rules_engine.policy.options import add_policy_options, limits_of
from rules_engine.readers.limits import add_arguments, from_arguments

if TYPE_CHECKING:
    from rich.console import Console

    from rules_engine.archive import Archive
    from rules_engine.commands.batch import Failed
    from rules_engine.commands.context import Context
    from rules_engine.render.rows import RunInfo, ScoredFile, Writer

SKIPPED = define(
    "E462",
    "{count} 个文件无法评分，已跳过（原因见上方各条）",
    "{count} files could not be scored and were skipped (the reasons are listed above)",
    "修正这些文件后重新运行；其余文件的结果已写出。",
    "fix those files and run again; the other files' results were written.",
)
NOTHING_READ = define(
    "E194",
    "第 {form} 张表没有读到任何指标行，结果里没有它的行",
    "form {form} has no indicator line read: the results hold no row of it",
    "用 `rules-engine parse 文件` 查看这张表读成了什么、有哪些警告，对照原表核对。",
    "run `rules-engine parse FILE` to see what was read and the warnings; check the original.",
    severity="warning",
)
NOTHING_SCORED = define(
    "E465",
    "没有一个文件评分成功，{path} 保持原样",
    "no file could be scored: {path} is left as it was",
    "修正上面列出的问题后重新运行。",
    "fix the problems listed above and run again.",
)


def register(
    sub: argparse._SubParsersAction[argparse.ArgumentParser], common: argparse.ArgumentParser
) -> None:
    """Add `score` to the command line."""
    p = sub.add_parser(
        "score",
        parents=[common],
    )
    p.add_argument(
        "forms", metavar="FORMS", nargs="+", help="表单文件或文件夹 · form files or folders"
    )
    p.add_argument(
        "--out",
        metavar="FILE",
        help="输出文件（.xlsx、.csv、.html 或 .jsonl）；缺省把 JSONL 打印到标准输出"
        " · output file (.xlsx, .csv, .html, .jsonl); default: JSONL on standard output",
    )
    p.add_argument(
        "--db",
        metavar="FILE",
        help="同时存入 SQLite 结果库（同一文件同一规则再评分时替换旧记录）"
        " · also keep the results in a SQLite archive",
    )
    p.add_argument(
        "--policy",
        metavar="P",
        help="规则名或路径；缺省按每个表单的年度和地区选择 · policy name or path",
    )
    p.add_argument(
        "--region",
        metavar="R",
        help="按地区选规则（武威、全国），不看表上写的地区 · choose the policy for this place",
    )
    p.add_argument(
        "--steps",
        action="store_true",
        help="每行附上评分步骤 · add each line's trace steps to its row",
    )
    p.add_argument(
        "--jobs",
        metavar="N",
        type=functools.partial(count, low=1, high=256),
        default=1,
        help="同时评分的进程数；结果与 1 相同 · processes scoring at once; same results as 1",
    )
    add_policy_options(p)
    add_arguments(p)
    p.set_defaults(run=run)


@dataclass
class Tally:
    """What a run did, for the closing line."""

    files: int = 0
    forms: int = 0
    lines: int = 0
    warnings: int = 0
    failed: int = 0
    # Forms read only in part (rows or cells left out, each with a warning) or not at all.
    partial: int = 0
    empty: int = 0


def run(args: argparse.Namespace, ctx: Context) -> int:  # noqa: PLR0912
    """Score every file, write the outputs, then report what could not be scored."""
    from rules_engine.app import Policies  # noqa: PLC0415
    from rules_engine.commands.batch import score_all, sources  # noqa: PLC0415
    from rules_engine.outfile import (  # noqa: PLC0415
        Output,
        cannot_write,
        check_target,
        format_of,
        open_writer,
        run_info,
    )

    # Everything that can be refused is refused before any output file is touched.
    fmt = format_of(args.out) if args.out else "jsonl"
    if args.policy:
        Policies(limits_of(args)).named(args.policy)
    for target in (args.out, args.db):
        if target:
            check_target(target, args.forms)
    failures: list[Diagnostic] = []
    files = sources(args.forms, failures)
    info = run_info(args.forms)
    archive = _open_archive(args.db, info)
    output = Output(args.out) if args.out else None
    tally = Tally(failed=len(failures))
    closing: list[Diagnostic] = []
    writer: Writer | None = None
    try:
        from rules_engine.terminal import JsonStream  # noqa: PLC0415

        stdout = cast("IO[str]", JsonStream(sys.stdout))  # a text stream that writes only
        writer = open_writer(fmt, output, stdout, ctx.lang, info, steps=args.steps)
        limits = from_arguments(args)
        results = score_all(
            files,
            args.policy,
            args.region,
            args.jobs,
            limits=limits,
            policy_limits=limits_of(args),
        )
        for result in _progress(results, len(files), ctx):
            _take(result, writer, archive, failures, tally)
        writer.close()
        if output is not None:
            if tally.files == 0 and failures:
                output.discard()
                closing.append(Diagnostic(code=NOTHING_SCORED, args={"path": output.path}))
            else:
                output.commit()
        else:
            sys.stdout.flush()
        if archive is not None:
            from datetime import datetime  # noqa: PLC0415

            archive.finish(tally.failed, datetime.now(info.started.tzinfo))
    except BaseException as exc:
        if writer is not None:
            writer.abort()
        if output is not None:
            output.discard()
        if archive is not None:
            archive.close()
        if isinstance(exc, OSError) and args.out:  # the disk filled up, the folder went away
            raise cannot_write(args.out, exc) from exc
        if args.db and type(exc).__module__ == "sqlite3":  # the archive could not be written
            raise _archive_failed(args.db, exc) from exc
        raise
    _report(failures, closing, tally, ctx, args)
    # 2: files were skipped; 1: every file was scored, but something of a form was left out.
    if tally.failed:
        return 2
    return 1 if tally.partial or tally.empty else 0


def _archive_failed(db: str, exc: BaseException) -> UserError:
    """E461 for the archive, its reason in both languages (a full disk is SQLITE_FULL)."""
    from rules_engine.outfile import CANNOT_WRITE  # noqa: PLC0415

    name = getattr(exc, "sqlite_errorname", "") or type(exc).__name__
    if name == "SQLITE_FULL":
        zh, en = "磁盘已满", "no space left on the disk"
    else:
        zh, en = f"数据库写入失败（{name}）", f"the database write failed ({exc})"
    return UserError.one(CANNOT_WRITE, 2, path=db, reason_zh=zh, reason_en=en)


def _open_archive(db: str | None, info: RunInfo) -> Archive | None:
    if db is None:
        return None
    from rules_engine.archive import Archive  # noqa: PLC0415

    return Archive(db, info.version, info.started, info.inputs)


def _take(
    result: ScoredFile | Failed,
    writer: Writer,
    archive: Archive | None,
    failures: list[Diagnostic],
    tally: Tally,
) -> None:
    from rules_engine.commands.batch import Failed  # noqa: PLC0415

    if isinstance(result, Failed):
        # A file's own messages by place (a warning about the whole file before its first line).
        failures.extend(sorted(result.diagnostics, key=lambda d: (d.line or 0, d.col or 0)))
        tally.failed += 1
        return
    writer.write(result)
    if archive is not None:
        archive.add(result)
    tally.files += 1
    tally.forms += len(result.card.forms)
    tally.lines += sum(len(form.lines) for form in result.card.forms)
    tally.warnings += sum(len(form.form.warnings) for form in result.card.forms)
    for number, form in enumerate(result.card.forms, start=1):
        if form.form.reliability != "sure":
            tally.partial += 1
        if not form.lines and not form.form.process:
            # Nothing of this form reaches the results: say so where the failures are said.
            tally.empty += 1
            args = {"form": str(number)}
            failures.append(Diagnostic(code=NOTHING_READ, args=args, file=result.path))


def _progress(
    results: Iterator[ScoredFile | Failed], total: int, ctx: Context
) -> Iterator[ScoredFile | Failed]:
    """The results, with a progress bar on standard error when it is a terminal."""
    if not ctx.err.is_terminal:
        yield from results
        return
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    columns = (
        TextColumn(ctx.say("评分中", "scoring")),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=ctx.err, transient=True) as bar:
        task = bar.add_task("score", total=total)
        for result in results:
            bar.advance(task)
            yield result


def _report(
    failures: list[Diagnostic],
    closing: list[Diagnostic],
    tally: Tally,
    ctx: Context,
    args: argparse.Namespace,
) -> None:
    """The files that failed, in input order; then how many; then one line on what was done."""
    from rich.text import Text  # noqa: PLC0415

    if tally.failed:
        closing.insert(0, Diagnostic(code=SKIPPED, args={"count": str(tally.failed)}))
    _print(failures + closing, ctx.err, ctx.lang)
    ctx.err.print(Text(_summary(tally, ctx.lang, args.out, args.db)), soft_wrap=True)


def _print(diags: list[Diagnostic], err: Console, lang: Lang) -> None:
    """Diagnostics in the order given (the order of the files), not sorted by place."""
    from rich.text import Text  # noqa: PLC0415

    from rules_engine.report import format_diagnostic  # noqa: PLC0415

    for diag in diags:
        style = "red" if diag.severity == "error" else "yellow"
        err.print(Text(format_diagnostic(diag, lang), style=style), soft_wrap=True)


def _summary(tally: Tally, lang: Lang, out: str | None, db: str | None) -> str:
    if lang == "zh":
        text = f"已评分 {tally.files} 个文件（{tally.forms} 张表，{tally.lines} 条指标）"
        if tally.failed:
            text += f"，跳过 {tally.failed} 个"
        if tally.warnings:
            text += f"，读表警告 {tally.warnings} 条"
        if tally.partial:
            text += f"，{tally.partial} 张表只读取了一部分"
        if tally.empty:
            text += f"，{tally.empty} 张表没有读到指标行"
        where = [f"结果写入 {out}"] if out else []
        where += [f"存入结果库 {db}"] if db else []
        return text + ("；" + "，".join(where) if where else "")
    text = f"scored {tally.files} files ({tally.forms} forms, {tally.lines} lines)"
    if tally.failed:
        text += f", {tally.failed} skipped"
    if tally.warnings:
        text += f", {tally.warnings} reader warnings"
    if tally.partial:
        text += f", {tally.partial} forms read in part"
    if tally.empty:
        text += f", {tally.empty} forms with no line read"
    where = [f"results in {out}"] if out else []
    where += [f"archived in {db}"] if db else []
    return text + ("; " + ", ".join(where) if where else "")
