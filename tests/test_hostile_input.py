"""Hostile and broken inputs: each ends in a located, coded message within its limit, the rest of
a batch goes on, and nothing read from a form is obeyed by the terminal."""

from __future__ import annotations

import errno
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from rich.text import Text

from rules_engine.cli import main
from rules_engine.policy.model import CompiledPolicy
from rules_engine.terminal import SafeConsole, page_text

HERE = Path(__file__).parent
HOSTILE = HERE / "fixtures" / "hostile"
SEED = HERE / "fixtures" / "explain" / "seed.txt"
CASES: list[dict[str, Any]] = yaml.safe_load(
    (HERE / "data" / "hostile_inputs.yaml").read_text(encoding="utf-8")
)


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_crafted_file(case: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    args = [case["command"], str(HOSTILE / case["file"])]
    if case["command"] != "parse":
        args += ["--policy", "national-2020"]
    code, out, err = _run(args, capsys)
    assert code == case["exit"], err
    assert "E299" not in err + out
    if "code" in case:
        assert f"E{case['code'][1:]}" in err
    if "warning" in case:
        assert case["warning"] in out


def test_utf16_reads_as_the_same_form(capsys: pytest.CaptureFixture[str]) -> None:
    # Excel's "Unicode text" export: UTF-16 with a byte order mark, read like the UTF-8 original.
    _, utf8, _ = _run(["parse", str(SEED), "--format", "json"], capsys)
    _, utf16, _ = _run(["parse", str(HOSTILE / "utf16.txt"), "--format", "json"], capsys)
    assert utf16.replace("utf16.txt", "seed.txt").replace(str(HOSTILE), str(SEED.parent)) == utf8


# --- files that are not files, and files past the limits ------------------------------------


def test_a_fifo_is_refused_without_waiting(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fifo = tmp_path / "form.txt"
    os.mkfifo(fifo)  # nobody writes to it: opening it for reading would block for ever
    code, _, err = _run(["parse", str(fifo)], capsys)
    assert (code, "E192" in err, "命名管道" in err) == (2, True, True)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_dev_zero_is_never_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    link = tmp_path / "zero.txt"
    link.symlink_to("/dev/zero")
    for form in ("/dev/zero", str(link)):
        code, _, err = _run(["explain", form, "--lang", "en"], capsys)
        assert (code, "E192" in err, "a character device" in err) == (2, True, True)


@pytest.mark.parametrize(
    ("flag", "code"),
    [
        (["--max-input-size", "1K"], "E187"),
        (["--max-rows", "5"], "E188"),
        (["--max-cell-length", "10"], "E190"),
    ],
)
def test_each_limit_names_itself_and_its_flag(
    flag: list[str], code: str, capsys: pytest.CaptureFixture[str]
) -> None:
    exit_code, _, err = _run(["parse", str(SEED), *flag], capsys)
    assert (exit_code, code in err, flag[0] in err) == (2, True, True)


def test_the_limits_hold_in_every_reader(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.workbooks import seed_docx, seed_workbook

    book, document = tmp_path / "seed.xlsx", tmp_path / "seed.docx"
    seed_workbook(book)
    seed_docx(document)
    for form in (book, document, HOSTILE / "lone-cr.csv"):
        for flag, code in (("--max-rows", "E188"), ("--max-columns", "E189")):
            exit_code, _, err = _run(["parse", str(form), flag, "2"], capsys)
            assert (exit_code, code in err) == (2, True), (form.name, flag, err)


def test_a_zip_bomb_stops_at_the_unpacked_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    from tests.workbooks import seed_workbook

    book = tmp_path / "seed.xlsx"
    seed_workbook(book)
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/pad.bin", b"\0" * (3 << 20))  # 3 MiB in a few KiB
    assert book.stat().st_size < 64 << 10
    code, _, err = _run(["parse", str(book), "--max-unpacked-size", "2M"], capsys)
    assert (code, "E191" in err, "--max-unpacked-size" in err) == (2, True, True)
    code, _, err = _run(["parse", str(book)], capsys)
    assert code == 0, err


def test_a_span_of_millions_of_columns_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import zipfile

    from tests.workbooks import seed_docx

    plain, crafted = tmp_path / "plain.docx", tmp_path / "span.docx"
    seed_docx(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(crafted, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                span = b'<w:tcPr><w:gridSpan w:val="100000000"/>'
                data = data.replace(b"<w:tcPr>", span, 1)
            target.writestr(item, data)
    code, _, err = _run(["parse", str(crafted)], capsys)
    assert (code, "E189" in err, "100000000" in err) == (2, True, True)


# --- wrong or missing diagnoses ---------------------------------------------------------------


def test_an_unreadable_workbook_is_not_called_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.workbooks import seed_workbook

    book = tmp_path / "seed.xlsx"
    seed_workbook(book)
    real_open = os.open

    def refused(path: Any, flags: int, *args: Any) -> int:
        if str(path) == str(book):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", refused)
    code, _, err = _run(["parse", str(book)], capsys)
    assert (code, "E178" in err, "没有权限" in err, "E180" in err) == (2, True, True, False)
    assert "Permission denied" not in err  # the reason is worded in Chinese


def test_a_file_in_a_folder_that_cannot_be_entered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    form = tmp_path / "locked" / "form.txt"
    real_stat = Path.stat

    def stat(path: Path, **options: Any) -> os.stat_result:
        if path == form:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_stat(path, **options)

    monkeypatch.setattr(Path, "stat", stat)
    for command in ("parse", "explain", "score"):
        code, _, err = _run([command, str(form), "--lang", "en"], capsys)
        assert (code, "E178" in err, "permission denied" in err) == (2, True, True), command
        assert f"{form}: " in err and "E299" not in err


def test_a_full_disk_under_standard_output_is_reported() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    for args in (["parse", str(SEED)], ["score", str(SEED), "--policy", "national-2020"]):
        with open("/dev/full", "w", encoding="utf-8") as full:
            done = subprocess.run(
                [sys.executable, "-m", "rules_engine", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                check=False,
            )
        assert (done.returncode, "E204" in done.stderr, "磁盘已满" in done.stderr) == (
            2,
            True,
            True,
        )
        assert "E299" not in done.stderr and "Traceback" not in done.stderr


def test_messages_about_no_input_name_no_input(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(["score", str(SEED), "--jobs", "--5"], capsys)
    assert code == 2
    assert "<input>" not in err and err.startswith("错误 E201")


# --- numbers past the engine's bounds -----------------------------------------------------------


def test_numbers_past_the_bounds_are_located_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    # A 30-digit weight and score, a doubled sign, a 19-digit target, a 35-digit budget, 0.000…1
    # with 40 zeros and a 50-digit total: each a warning at its cell, none read, none guessed.
    form = HOSTILE / "numbers.json"
    code, out, _ = _run(["parse", str(form), "--format", "json", "--lang", "en"], capsys)
    assert code == 0
    (read,) = json.loads(out)["forms"]
    assert read["reliability"] == "partial"
    warnings = read["warnings"]
    assert len(warnings) == 8
    assert f"{form}:15:7: E471 indicator 1's weight '{'1' * 30}'" in warnings[0]
    assert f"{form}:17:7: E472 indicator 3's weight '--5' has doubled or mixed signs" in warnings[2]
    assert sum("E471 funding row 1's" in w for w in warnings) == 2
    assert warnings[-1].startswith(f"{form}: E471 the total's weight")


def test_numbers_past_the_bounds_are_never_scored(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["explain", str(HOSTILE / "numbers.json"), "--format", "json"], capsys)
    assert code == 0, err
    (result,) = json.loads(out)["forms"]
    lines = {line["index"]: line for line in result["lines"]}
    # The unread weights, the unreadable target and actual leave their lines pending review.
    for index in (1, 3, 4, 5):
        assert (lines[index]["outcome"], lines[index]["score"]) == ("review", None), index
    assert lines[2]["self_score"] is None  # the 30-digit self-score is not read either
    assert result["total"]["final"] is False
    assert result["budget"]["computed"] is None


# --- the terminal ---------------------------------------------------------------------------------

_OSC_LINK = "\x1b]8;;http://evil.example\x1b\\点我\x1b]8;;\x1b\\"


@pytest.mark.parametrize(
    ("text", "shown", "as_text"),
    [
        ("a\x1b[2Jb", "a␛[2Jb", None),
        (_OSC_LINK, "␛]8;;http://evil.example␛\\点我␛]8;;␛\\", None),
        ("\x1b]52;c;ZXZpbA==\x07", "␛]52;c;ZXZpbA==␇", "␛]52;c;ZXZpbA=="),
        ("98\r100", "98␍100", "98100"),
        ("x\x9b31my", "x\ufffd31my", None),
        ("\u202e001", "\ufffd001", None),
        ("[/] [bold]粗[/bold] :smile:", "[/] [bold]粗[/bold] :smile:", None),
        ("合规\t≥95%", "合规    ≥95%", None),
    ],
)
def test_the_console_shows_what_a_cell_holds(text: str, shown: str, as_text: str | None) -> None:
    # A string is marked before rich lays it out; a `Text` has lost the five controls rich
    # drops (BEL, BS, VT, FF, CR), and every other one is marked when it is drawn.
    for renderable, expected in ((text, shown), (Text(text), as_text or shown)):
        buffer = io.StringIO()
        console = SafeConsole(file=buffer, width=200, force_terminal=True, color_system=None)
        console.print(renderable)
        assert buffer.getvalue() == expected + "\n"


def test_pages_keep_their_meaning_and_obey_nothing() -> None:
    value = "\x1b[31m\x9b\u202e\x7f合规"
    dumped = json.dumps({"name": value}, ensure_ascii=False)
    safe = page_text(dumped, "json")
    assert json.loads(safe) == {"name": value}
    assert not any(ch in safe for ch in "\x1b\x9b\u202e\x7f")
    assert page_text("| \x1b[2J |\n", "page") == "| ␛[2J |\n"


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "html"])
def test_explain_of_escapes_and_markup_obeys_nothing(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _run(["explain", str(HOSTILE / "controls.json"), "--format", fmt], capsys)
    assert code == 0, err
    assert not any(ch in out for ch in "\x1b\x9b\x07\r"), repr(out[:200])


def test_parse_of_markup_shows_it_as_text(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = tmp_path / "form.json"
    line = {"name": "[/] [link=http://evil.example]点我[/link]", "target": "≥95%", "weight": "10"}
    form.write_text(json.dumps({"forms": [{"indicators": [line]}]}), encoding="utf-8")
    code, out, err = _run(["parse", str(form)], capsys)
    assert code == 0, err
    assert "[link=http://evil.example]点我" in out.replace("\n", "").replace(" ", "")


def test_a_closed_pipe_ends_every_command_quietly(tmp_path: Path) -> None:
    # `| head`: the reader goes away after one line; the command stops with 0 and no message.
    forms = tmp_path / "forms.txt"
    forms.write_text((SEED.read_text(encoding="utf-8") + "\n") * 12, encoding="utf-8")
    runs = (
        (["parse", str(forms)], ""),
        (["parse", str(forms), "--format", "json"], ""),
        (["explain", str(forms), "--policy", "national-2020"], ""),
        (["score", str(forms), "--policy", "national-2020"], None),
        (["target", "-"], "≥95%\n" * 20000),
    )
    for args, stdin in runs:
        command = [sys.executable, "-m", "rules_engine", *args]
        with subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdin is not None and process.stdout is not None
            assert process.stderr is not None
            process.stdin.write(stdin or "")
            process.stdin.close()
            process.stdout.readline()
            process.stdout.close()
            code = process.wait(timeout=120)
            err = process.stderr.read()
        if stdin is None:  # `score` closes with its summary line on standard error
            err = "\n".join(line for line in err.splitlines() if not line.startswith("已评分"))
        assert (code, err) == (0, ""), args


# --- a batch goes on past a bad form ----------------------------------------------------------

CORPUS = HERE / "fixtures" / "corpus" / "forms"


def _folder(tmp_path: Path, count: int) -> Path:
    forms = tmp_path / "forms"
    forms.mkdir()
    for number in range(count):
        (forms / f"{number:03d}.txt").write_bytes(SEED.read_bytes())
    return forms


def _poison(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Make `module.name` (a reader or the evaluator) fail unexpectedly on the form 003.txt."""
    real = getattr(module, name)

    def poisoned(*args: Any, **options: Any) -> Any:
        for arg in args:  # a path, or a document whose forms name their file
            if isinstance(arg, CompiledPolicy):
                continue
            forms = getattr(arg, "forms", None)
            if "003.txt" in (str(arg) if forms is None else str(forms[0].file)):
                raise ZeroDivisionError("poisoned")
        return real(*args, **options)

    monkeypatch.setattr(module, name, poisoned)


@pytest.mark.parametrize("where", ["reading", "scoring"])
def test_score_goes_on_past_a_form_that_fails_unexpectedly(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules_engine.commands import batch

    forms = _folder(tmp_path, 6)
    _poison(monkeypatch, batch, "read_document" if where == "reading" else "evaluate")
    out = tmp_path / "results.jsonl"
    code, _, err = _run(
        ["score", str(forms), "--policy", "national-2020", "--out", str(out)], capsys
    )
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 2
    assert len({row["file"] for row in rows}) == 5 and len(rows) == 5 * (13 + 29)
    assert f"{forms / '003.txt'}: 错误 E299" in err and "ZeroDivisionError" in err
    assert "1 个文件无法评分" in err and "跳过 1 个" in err


def test_parse_of_a_folder_goes_on_past_a_form_that_fails_unexpectedly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules_engine.readers import load

    forms = _folder(tmp_path, 6)
    _poison(monkeypatch, load, "read_document")
    code, out, err = _run(["parse", str(forms), "--format", "json"], capsys)
    files = json.loads(out)["files"]
    assert code == 1
    assert [f["file"] for f in files if f["error"]] == ["003.txt"]
    assert sum(len(f["forms"]) for f in files) == 5 * 2
    assert f"{forms / '003.txt'}: 错误 E299" in err
    assert "共 6 个文件，读取成功 5 个，失败 1 个" in err


def test_a_folder_that_cannot_be_entered_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    forms = _folder(tmp_path, 2)
    locked = forms / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_bytes(SEED.read_bytes())
    real_scandir = os.scandir

    def scandir(path: Any = ".") -> Any:
        if str(path) == str(locked):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = _run(["parse", str(forms)], capsys)
    assert (code, f"{locked}: 错误 E193" in err, "1 个文件夹无法进入" in out) == (1, True, True)
    code, out, err = _run(["score", str(forms), "--policy", "national-2020"], capsys)
    assert (code, f"{locked}: 错误 E193" in err) == (2, True)
    assert len({json.loads(line)["file"] for line in out.splitlines()}) == 2


def test_a_form_of_which_nothing_is_read_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    (form,) = CORPUS.glob("023_*")
    code, out, err = _run(["score", str(form), str(SEED), "--policy", "national-2020"], capsys)
    assert code == 1
    assert f"{form}: 警告 E194: 第 1 张表没有读到任何指标行" in err
    assert "1 张表没有读到指标行" in err.splitlines()[-1]
    assert {json.loads(line)["file"] for line in out.splitlines()} == {str(SEED)}


# --- large texts are read form by form --------------------------------------------------------


@pytest.fixture
def small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Texts from 20 KiB on are read in parts of about 1,000 characters (a few forms each)."""
    from rules_engine.readers import load, text_parts

    monkeypatch.setattr(load, "STREAM_FROM", 20 << 10)
    monkeypatch.setattr(text_parts, "PART", 1000)


@pytest.mark.parametrize(
    "args",
    [
        ["parse", "--format", "json"],
        ["parse"],
        ["explain", "--format", "json"],
        ["explain"],
        ["explain", "--line", "7:6", "--format", "json"],
        ["explain", "--format", "markdown"],
    ],
)
def test_a_large_text_reads_as_it_reads_whole(
    args: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    forms = tmp_path / "forms.txt"
    forms.write_text((SEED.read_text(encoding="utf-8") + "\n") * 8, encoding="utf-8")
    # Read in parts, a project table is compared with a department table of its own part only
    # (docs/input-formats.md); this policy leaves that comparison out, so the parts must add up
    # to the whole byte for byte.
    policy = tmp_path / "no-cross-table.policy"
    policy.write_text(
        'policy "不比对部门表" year 2020\nextends "national-2020"\n'
        "review targets { check below_department off }\n",
        encoding="utf-8",
    )
    command = [args[0], str(forms), "--policy", str(policy), *args[1:]]
    if args[0] == "parse":
        command.remove("--policy")
        command.remove(str(policy))
    whole = _run(command, capsys)
    from rules_engine.readers import load, text_parts

    monkeypatch.setattr(load, "STREAM_FROM", 20 << 10)
    monkeypatch.setattr(text_parts, "PART", 1000)
    parts = list(load.read_parts(forms))
    assert len(parts) > 2  # the text is read in parts indeed
    assert _run(command, capsys) == whole


@pytest.mark.usefixtures("small_parts")
def test_a_large_text_without_forms_stops_at_the_row_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = tmp_path / "rows.txt"
    rows.write_text("产出指标\t数量指标\t培训次数\t≥2次\t3次\t10\t9\n" * 3000, encoding="utf-8")
    code, out, err = _run(["parse", str(rows), "--max-rows", "1000"], capsys)
    assert (code, out, f"{rows}:1001: 错误 E188" in err) == (2, "", True)


def test_a_poisoned_folder_loses_only_the_poisoned_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The smaller cousin of benchmarks/inputs.py `poisoned`: of 12 forms, one is binary and one
    # carries a 35-digit budget (which once stopped the whole batch with E299).
    forms = _folder(tmp_path, 12)
    (forms / "004.txt").write_bytes(b"\x00\x01poison" * 10)
    text = SEED.read_text(encoding="utf-8")
    budget = text.replace("年度资金总额\t8.6\t8.6", "年度资金总额\t8.6\t" + "9" * 35, 1)
    assert budget != text
    (forms / "007.txt").write_text(budget, encoding="utf-8")
    out = tmp_path / "results.csv"
    code, _, err = _run(
        ["score", str(forms), "--policy", "national-2020", "--out", str(out)], capsys
    )
    shown = {row.split(",", 1)[0] for row in out.read_text(encoding="utf-8").splitlines()[1:]}
    assert code == 2
    assert len(shown) == 11 and "forms/004.txt" not in shown and "forms/007.txt" in shown
    assert f"{forms / '004.txt'}: 错误 E173" in err
    assert "E299" not in err and "跳过 1 个" in err and "1 张表只读取了一部分" in err


def test_a_lone_carriage_return_stays_inside_its_csv_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.csv"
    form = HOSTILE / "lone-cr.csv"
    code, _, err = _run(
        ["score", str(form), "--policy", "national-2020", "--out", str(out)], capsys
    )
    assert code == 0, err
    raw = out.read_bytes().decode("utf-8")
    assert '"外出\r考察次数"' in raw  # quoted, so the CR cannot end the row
    assert ",'=1+2," in raw  # and the formula is text
    assert raw.count("\r\n") == 1 + 2


def test_a_full_disk_under_the_archive_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from rules_engine.archive import Archive

    def full(self: Archive, item: object) -> None:
        error = sqlite3.OperationalError("database or disk is full")
        error.sqlite_errorname = "SQLITE_FULL"
        raise error

    monkeypatch.setattr(Archive, "add", full)
    db = tmp_path / "results.sqlite"
    code, _, err = _run(["score", str(SEED), "--policy", "national-2020", "--db", str(db)], capsys)
    assert (code, f"错误 E461: 无法写入输出文件 {db}：磁盘已满" in err, "E299" in err) == (
        2,
        True,
        False,
    )
