"""`rules-engine score`: score many forms, one result row per indicator line (JSONL, CSV, xlsx)."""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from rules_engine.diagnostics import Lang, UserError, define
from rules_engine.render.steps import step_text
from rules_engine.values import plain

try:  # the C encoder; the pure-Python one gives the same text
    from _json import encode_basestring as _encode_string
except ImportError:  # pragma: no cover
    from json.encoder import py_encode_basestring as _encode_string

if TYPE_CHECKING:
    from rich.console import Console

    from rules_engine.cli import Context
    from rules_engine.commands.scoring import Policies
    from rules_engine.scorecard import LineResult, Scorecard, Tail, Verdict

BAD_OUT = define(
    "E460",
    "不支持的输出文件类型「{suffix}」：{path}",
    "unsupported output file type '{suffix}': {path}",
    "输出文件以 .jsonl、.csv 或 .xlsx 结尾；不写 --out 时按 JSONL 打印到标准输出。",
    "name the output file .jsonl, .csv or .xlsx; without --out, JSONL goes to standard output.",
)
CANNOT_WRITE = define(
    "E461",
    "无法写入输出文件 {path}：{reason}",
    "cannot write the output file {path}: {reason}",
    "检查目录是否存在、是否有写权限。",
    "check that the folder exists and that you may write there.",
)
SKIPPED = define(
    "E462",
    "{count} 个文件无法评分，已跳过（见上方的错误）",
    "{count} files could not be scored and were skipped (see the errors above)",
    "修正这些文件后重新运行；其余文件的结果已写出。",
    "fix those files and run again; the other files' results were written.",
)

# Columns of a result row, in output order (CSV header and JSONL key order).
COLUMNS = (
    "file",
    "form",
    "line",
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "rule",
    "source",
    "outcome",
    "score",
    "self_score",
    "delta",
    "flags",
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
        help="输出文件（.jsonl、.csv 或 .xlsx）；缺省打印 JSONL"
        " · output file (.jsonl, .csv, .xlsx); default: JSONL on standard output",
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
    p.set_defaults(run=run)


# Decimal → plain string, remembered: a batch repeats the same few weights and scores.
_PLAIN: dict[Decimal, str] = {}


# JSON-encoded strings, remembered: categories, rules, sources and targets repeat across forms.
class _Encoded(dict[str | None, str]):
    """Texts to their JSON strings (``None`` → ``null``); a lookup that misses encodes the text.

    Looking up hits in C (`dict.__getitem__`) is what keeps the row writer cheap.
    """

    def __missing__(self, text: str | None) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        encoded = self[text] = "null" if text is None else _encode_string(text)
        return encoded


_ENCODED = _Encoded()


class _Figures(dict[Decimal | None, str]):
    """Decimals to their JSON strings (``None`` → ``null``), as `_dec` prints them."""

    def __missing__(self, value: Decimal | None) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        encoded = self[value] = _ENCODED[_dec(value)]
        return encoded


_FIGURES = _Figures()
_CACHE_LIMIT = 1 << 16


def _dec(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = _PLAIN.get(value)
    if text is None:
        if len(_PLAIN) >= _CACHE_LIMIT:
            _PLAIN.clear()
        # Keyed by value: 6.67 and 6.670 are equal and print alike.
        text = _PLAIN[value] = plain(value)
    return text


def line_row(
    file: str,
    form_no: int,
    line: LineResult,
    lang: Lang,
    steps: bool,
    *,
    glossary: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One result row: where the line is, what it says, how the policy scored it."""
    row: dict[str, Any] = {
        "file": file,
        "form": form_no,
        "line": line.index,
        "level1": line.level1,
        "level2": line.level2,
        "name": line.name,
        "target": line.target,
        "actual": line.actual,
        "weight": _dec(line.weight),
        "rule": line.rule,
        "source": line.source,
        "outcome": line.outcome,
        "score": _dec(line.score),
        "self_score": _dec(line.self_score),
        "delta": _dec(line.delta),
        "flags": [flag.code for flag in line.flags],
    }
    if steps:
        row["steps"] = [step_text(step, lang, glossary) for step in line.steps]
    return row


def rows(card: Scorecard, file: str, lang: Lang, steps: bool = False) -> Iterator[dict[str, Any]]:
    """Every line of every form of one scored document, as `line_row` dictionaries."""
    for form_no, result in enumerate(card.forms, start=1):
        for line in result.lines:
            yield line_row(file, form_no, line, lang, steps)


class Sink(Protocol):
    """Where result rows go."""

    def start(self, card: Scorecard) -> None:
        """Begin the rows of one scored document."""

    def write(self, file: str, form_no: int, line: LineResult) -> None:
        """Write the row of one scored line."""

    def close(self) -> None:
        """Finish the output (the caller closes any stream it opened)."""


def _string(text: str | None) -> str:
    """`text` as a JSON string (Chinese kept as is), or ``null``."""
    return _ENCODED[text]


class JsonlSink:
    """One JSON object per line (the `line_row` keys in order), Chinese kept as is.

    Rows are encoded field by field rather than through a dictionary: this is the hot loop of a
    batch, and most field values repeat, so their encodings are remembered.
    """

    def __init__(self, stream: IO[str], lang: Lang = "zh", steps: bool = False) -> None:
        self._stream = stream
        self._lang: Lang = lang
        self._steps = steps
        self._file = ("", "")
        self._glossary: Mapping[str, str] = {}
        # The JSON of a verdict's or a tail's step texts, by the object's identity; the object
        # is kept beside its text so its identity cannot be reused while remembered.
        self._texts: dict[int, tuple[Verdict | Tail, str]] = {}

    def start(self, card: Scorecard) -> None:
        """Words for this document's policy labels."""
        if card.policy.english != self._glossary:
            self._glossary = card.policy.english
            self._texts.clear()

    def _step_texts(self, part: Verdict | Tail) -> str:
        found = self._texts.get(id(part))
        if found is not None and found[0] is part:
            return found[1]
        if len(self._texts) >= _CACHE_LIMIT:
            self._texts.clear()
        lang, glossary = self._lang, self._glossary
        text = ", ".join(_ENCODED[step_text(step, lang, glossary)] for step in part.steps)
        self._texts[id(part)] = (part, text)
        return text

    def write(self, file: str, form_no: int, line: LineResult) -> None:
        """Write one row as a JSON line."""
        if self._file[0] != file:
            self._file = (file, '{"file": ' + _encode_string(file) + ', "form": ')
        s = _ENCODED.__getitem__
        d = _FIGURES.__getitem__
        parts = [
            self._file[1],
            str(form_no),
            ', "line": ',
            str(line.index),
            ', "level1": ',
            s(line.level1),
            ', "level2": ',
            s(line.level2),
            ', "name": ',
            s(line.name),
            ', "target": ',
            s(line.target),
            ', "actual": ',
            s(line.actual),
            ', "weight": ',
            d(line.weight),
            ', "rule": ',
            s(line.rule),
            ', "source": ',
            s(line.source),
            ', "outcome": ',
            s(line.outcome),
            ', "score": ',
            d(line.score),
            ', "self_score": ',
            d(line.self_score),
            ', "delta": ',
            d(line.delta),
            ', "flags": [',
            ", ".join([s(flag.code) for flag in line.flags]),
            "]",
        ]
        if self._steps:
            # Lines alike share their verdict and tail, and so their step texts.
            head, tail = self._step_texts(line.verdict), self._step_texts(line.tail)
            parts += [', "steps": [', head, ", " if head and tail else "", tail, "]"]
        parts.append("}\n")
        self._stream.write("".join(parts))

    def close(self) -> None:
        """Nothing to finish: every row is complete when written."""


class CsvSink:
    """A header row, then one row per line; flag codes and steps joined into one cell."""

    def __init__(self, stream: IO[str], lang: Lang = "zh", steps: bool = False) -> None:
        self._lang: Lang = lang
        self._steps = steps
        self._writer = csv.writer(stream, lineterminator="\n")
        self._writer.writerow((*COLUMNS, "steps") if steps else COLUMNS)
        self._glossary: Mapping[str, str] = {}

    def start(self, card: Scorecard) -> None:
        """Words for this document's policy labels."""
        self._glossary = card.policy.english

    def write(self, file: str, form_no: int, line: LineResult) -> None:
        """Write one row as CSV cells."""
        row = line_row(file, form_no, line, self._lang, self._steps, glossary=self._glossary)
        row["flags"] = ";".join(row["flags"])
        if self._steps:
            row["steps"] = " | ".join(row["steps"])
        self._writer.writerow(["" if c is None else c for c in row.values()])

    def close(self) -> None:
        """Nothing to finish: every row is complete when written."""


class XlsxSink:
    """One worksheet: a header row, then one row per line; figures as numbers, flags joined.

    The workbook is written in openpyxl's write-only mode, which streams rows to disk.
    """

    def __init__(self, path: str, lang: Lang = "zh", steps: bool = False) -> None:
        from openpyxl import Workbook  # noqa: PLC0415

        self._path = path
        self._lang: Lang = lang
        self._steps = steps
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("results")
        self._sheet.append(list((*COLUMNS, "steps") if steps else COLUMNS))
        self._glossary: Mapping[str, str] = {}

    def start(self, card: Scorecard) -> None:
        """Words for this document's policy labels."""
        self._glossary = card.policy.english

    def write(self, file: str, form_no: int, line: LineResult) -> None:
        """Append one row."""
        row = line_row(file, form_no, line, self._lang, self._steps, glossary=self._glossary)
        for key, value in (
            ("weight", line.weight),
            ("score", line.score),
            ("self_score", line.self_score),
            ("delta", line.delta),
        ):
            row[key] = value
        row["flags"] = ";".join(row["flags"])
        if self._steps:
            row["steps"] = "\n".join(row["steps"])
        self._sheet.append(list(row.values()))

    def close(self) -> None:
        """Write the workbook file."""
        try:
            self._book.save(self._path)
        except OSError as exc:
            reason = exc.strerror or str(exc)
            raise UserError.one(CANNOT_WRITE, 2, path=self._path, reason=reason) from exc


def score_documents(documents: Iterable[tuple[str, Scorecard]], sink: Sink) -> int:
    """Write the rows of each scored document as it comes; return how many rows were written.

    Documents are consumed one at a time so memory stays flat however many forms there are.
    """
    written = 0
    write = sink.write
    for file, card in documents:
        sink.start(card)
        for form_no, result in enumerate(card.forms, start=1):
            for line in result.lines:
                write(file, form_no, line)
            written += len(result.lines)
    return written


def scored(
    paths: Iterable[str],
    policies: Policies,
    spec: str | None,
    failures: list[UserError],
    region: str | None = None,
) -> Iterator[tuple[str, Scorecard]]:
    """Read and evaluate each file in turn; a file that cannot be read is recorded and skipped."""
    from rules_engine.commands.scoring import evaluate, read_document  # noqa: PLC0415

    fixed = policies.named(spec) if spec else None
    for path in _files(paths, failures):
        try:
            document = read_document(path)
            choice = fixed or policies.for_document(document, region)
            yield path, evaluate(choice.policy, document)
        except UserError as exc:
            failures.append(exc)


def _files(paths: Iterable[str], failures: list[UserError]) -> Iterator[str]:
    """Each path as given, a folder as every form file under it (sorted, as `parse` walks it)."""
    from rules_engine.readers.load import form_files  # noqa: PLC0415

    for path in paths:
        folder = Path(path)
        if not folder.is_dir():
            yield path
            continue
        try:
            yield from (str(file) for file in form_files(folder))
        except UserError as exc:
            failures.append(exc)


def _open_sink(
    out: str | None, lang: Lang, steps: bool, stdout: IO[str]
) -> tuple[Sink, IO[str] | None]:
    if out is None:
        return JsonlSink(stdout, lang, steps), None
    suffix = Path(out).suffix.lower()
    if suffix not in (".jsonl", ".csv", ".xlsx"):
        raise UserError.one(BAD_OUT, 2, suffix=suffix or "（无）", path=out)
    try:
        # Opened before scoring so an unwritable path is reported before any work is done.
        stream = open(out, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by run
    except OSError as exc:
        raise UserError.one(CANNOT_WRITE, 2, path=out, reason=exc.strerror or str(exc)) from exc
    if suffix == ".xlsx":
        stream.close()
        return XlsxSink(out, lang, steps), None
    sink: Sink = (
        CsvSink(stream, lang, steps) if suffix == ".csv" else JsonlSink(stream, lang, steps)
    )
    return sink, stream


def run(args: argparse.Namespace, ctx: Context) -> int:
    """Score every file, stream the rows out, report the files that could not be scored."""
    from rules_engine.commands.scoring import Policies  # noqa: PLC0415

    policies = Policies()
    sink, stream = _open_sink(args.out, ctx.lang, args.steps, sys.stdout)
    failures: list[UserError] = []
    try:
        documents = scored(args.forms, policies, args.policy, failures, args.region)
        score_documents(documents, sink)
        sink.close()
    finally:
        if stream is not None:
            stream.close()
        else:
            sys.stdout.flush()
    if failures:
        _report(failures, ctx.err, ctx.lang)
        return 2
    return 0


def _report(failures: list[UserError], err: Console, lang: Lang) -> None:
    from rules_engine.diagnostics import Diagnostic  # noqa: PLC0415
    from rules_engine.report import print_diagnostics  # noqa: PLC0415

    diags = [d for exc in failures for d in exc.diagnostics]
    diags.append(Diagnostic(code=SKIPPED, args={"count": str(len(failures))}))
    print_diagnostics(diags, err, lang)
