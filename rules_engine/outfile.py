"""Output files: the format chosen by suffix, checked against the inputs, written beside the target
and renamed into place only when complete, so a failure or a kill keeps the previous file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Literal

from rules_engine.diagnostics import Lang, UserError, define
from rules_engine.render.rows import RunInfo, Writer
from rules_engine.render.streams import CsvWriter, JsonlWriter

BAD_OUT = define(
    "E460",
    "不支持的输出文件类型「{suffix}」：{path}",
    "unsupported output file type '{suffix}': {path}",
    "输出文件以 .xlsx、.csv、.html 或 .jsonl 结尾；不写 --out 时按 JSONL 打印到标准输出。",
    "name the output file .xlsx, .csv, .html or .jsonl; without --out, JSONL goes to standard"
    " output.",
)
CANNOT_WRITE = define(
    "E461",
    "无法写入输出文件 {path}：{reason_zh}",
    "cannot write the output file {path}: {reason_en}",
    "检查目录是否存在、是否有写权限。",
    "check that the folder exists and that you may write there.",
)
OUT_IS_INPUT = define(
    "E463",
    "输出文件 {path} 就是要读的输入文件，写出结果会毁掉它",
    "the output file {path} is one of the inputs: writing the results would destroy it",
    "给输出文件另起一个名字。",
    "give the output file another name.",
)
OUT_IN_INPUT = define(
    "E464",
    "输出文件 {path} 在输入文件夹 {folder} 里，又是表单能读的类型：下次运行会把它当作表单读入",
    "the output file {path} lies inside the input folder {folder} and has a form file's suffix:"
    " the next run would read it as a form",
    "把输出文件写到输入文件夹之外。",
    "write the output file outside the input folder.",
)

BAD_EPOCH = define(
    "E469",
    "环境变量 SOURCE_DATE_EPOCH 的值「{value}」不是整数秒",
    "the environment variable SOURCE_DATE_EPOCH is '{value}', not a whole number of seconds",
    "写成自 1970-01-01 起的秒数（如 1700000000），或删去这个变量。",
    "give seconds since 1970-01-01 (such as 1700000000), or unset it.",
)


Format = Literal["jsonl", "csv", "xlsx", "html"]
FORMATS: dict[str, Format] = {".xlsx": "xlsx", ".csv": "csv", ".html": "html", ".jsonl": "jsonl"}


def format_of(out: str) -> Format:
    """The output format `out`'s suffix names; any other suffix is refused (E460)."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        raise UserError.one(BAD_OUT, 2, suffix=suffix or "（无）", path=out)
    return FORMATS[suffix]


def check_target(out: str, inputs: Sequence[str]) -> None:
    """Refuse an output that is an input, that lies inside an input folder with a form file's
    suffix, or whose folder cannot be written. Nothing is created or emptied here."""
    from rules_engine.readers.load import SUFFIXES, is_folder  # noqa: PLC0415

    target = Path(out).resolve()
    for given in inputs:
        source = Path(given).resolve()
        if source == target:
            raise UserError.one(OUT_IS_INPUT, 2, path=out)
        inside = is_folder(source) and target.is_relative_to(source)
        if inside and target.suffix.lower() in SUFFIXES:
            raise UserError.one(OUT_IN_INPUT, 2, path=out, folder=given)
    folder = target.parent
    if target.is_dir():
        raise _cannot_write(out, "这是一个文件夹", "it is a folder")
    if not folder.is_dir():
        raise _cannot_write(out, "所在文件夹不存在", "its folder does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _cannot_write(out, "没有写权限", "permission denied")


def _cannot_write(path: str, zh: str, en: str) -> UserError:
    return UserError.one(CANNOT_WRITE, 2, path=path, reason_zh=zh, reason_en=en)


def cannot_write(path: str, exc: OSError) -> UserError:
    """E461 for `path`, with the reason `exc` gives, in both languages."""
    from rules_engine.diagnostics import os_reason  # noqa: PLC0415

    return _cannot_write(path, *os_reason(exc))


class Output:
    """A temporary file beside `path`, renamed over it by `commit`; `discard` removes it.

    The rename is atomic, so readers of `path` see the old file or the new one, never a part,
    and two runs writing the same file each leave a whole file (the last rename wins).
    """

    def __init__(self, path: str) -> None:
        self.path = path
        target = Path(path)
        try:
            fd, temp = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent or "."
            )
        except OSError as exc:
            raise cannot_write(path, exc) from exc
        os.close(fd)
        self.temp = temp
        self._stream: IO[str] | None = None

    def stream(self) -> IO[str]:
        """The temporary file opened for text (UTF-8, newlines written as given)."""
        if self._stream is None:
            self._stream = open(self.temp, "w", encoding="utf-8", newline="")  # noqa: SIM115
        return self._stream

    def commit(self) -> None:
        """Flush the temporary file to disk and rename it over the target."""
        try:
            if self._stream is not None:
                self._stream.flush()
                os.fsync(self._stream.fileno())
                self._stream.close()
            else:  # a writer that wrote the file by its path (the workbook)
                with open(self.temp, "rb") as done:
                    os.fsync(done.fileno())
            os.chmod(self.temp, _mode(Path(self.path)))
            os.replace(self.temp, self.path)
        except OSError as exc:
            self.discard()
            raise cannot_write(self.path, exc) from exc

    def discard(self) -> None:
        """Remove the temporary file; the target stays as it was."""
        if self._stream is not None and not self._stream.closed:
            self._stream.close()
        Path(self.temp).unlink(missing_ok=True)


def _mode(target: Path) -> int:
    """The permissions the new file gets: the old file's, else what the umask allows."""
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def open_writer(
    fmt: Format, output: Output | None, stdout: IO[str], lang: Lang, run: RunInfo, *, steps: bool
) -> Writer:
    """The writer for `fmt`, writing into `output`'s temporary file (or `stdout` for JSONL)."""
    if output is None:
        return JsonlWriter(stdout, lang, steps)
    if fmt == "xlsx":
        from rules_engine.render.workbook import WorkbookWriter  # noqa: PLC0415

        return WorkbookWriter(output.temp, lang, run, steps)
    if fmt == "html":
        from rules_engine.render.batch_page import HtmlReportWriter  # noqa: PLC0415

        return HtmlReportWriter(output.stream(), lang, run)
    if fmt == "csv":
        return CsvWriter(output.stream(), lang, steps)
    return JsonlWriter(output.stream(), lang, steps)


def run_info(inputs: Sequence[str]) -> RunInfo:
    """The tool version and the time of the run (``SOURCE_DATE_EPOCH`` fixes the time, so that
    a rebuilt output is byte for byte the same)."""
    from rules_engine import __version__  # noqa: PLC0415

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        started = datetime.now().astimezone().replace(microsecond=0)
    else:
        try:
            started = datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise UserError.one(BAD_EPOCH, 2, value=epoch) from None
    return RunInfo(version=__version__, started=started, inputs=tuple(inputs))
