"""Hostile form files, generated: whatever a file holds, only coded errors come out of parse,
explain and score, and what score writes is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from rules_engine.cli import main
from rules_engine.render.cells import FORMULA_TRIGGERS
from rules_engine.render.streams import BOM
from tests.strategies import hostile_form_files

_SETTINGS = settings(
    max_examples=20,
    deadline=None,
    # capsys is read out after every command, so one fixture serves every example.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
_PLAIN_NUMBER = r"[+-]?\d+(?:\.\d+)?%?"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@_SETTINGS
@given(file=hostile_form_files())
def test_only_coded_errors_come_out(
    file: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    suffix, data = file
    with tempfile.TemporaryDirectory() as folder:
        form = Path(folder) / f"form{suffix}"
        form.write_bytes(data)
        for args in (
            ["parse", str(form), "--format", "json"],
            ["parse", str(form)],
            ["explain", str(form), "--policy", "national-2020", "--format", "json"],
            ["explain", str(form), "--policy", "national-2020"],
            ["score", str(form), "--policy", "national-2020"],
        ):
            code, said = _run(args, capsys)
            assert code in (0, 1, 2), args
            assert "E299" not in said, (args, said[-500:])
            assert "\x1b" not in said and "\x9b" not in said, args


@_SETTINGS
@given(file=hostile_form_files())
def test_written_outputs_are_safe_to_open(
    file: tuple[str, bytes], capsys: pytest.CaptureFixture[str]
) -> None:
    import re

    suffix, data = file
    with tempfile.TemporaryDirectory() as folder:
        form = Path(folder) / f"form{suffix}"
        form.write_bytes(data)
        book, table = Path(folder) / "r.xlsx", Path(folder) / "r.csv"
        for out in (book, table):
            code, said = _run(["score", str(form), "--out", str(out)], capsys)
            assert "E299" not in said
            if code == 2:
                return  # the file was refused: nothing written, nothing to check
        workbook = load_workbook(book)
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
        text = table.read_text(encoding="utf-8").removeprefix(BOM)
        for row in csv.reader(io.StringIO(text, newline="")):
            for cell in row:
                if cell.startswith(FORMULA_TRIGGERS):
                    assert re.fullmatch(_PLAIN_NUMBER, cell), cell
