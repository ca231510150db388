"""Excel reader: cells as a person sees them, merges, formulas, sheets, the seed, bad workbooks."""

from __future__ import annotations

import datetime as dt
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rules_engine.cli import main
from rules_engine.diagnostics import UserError
from rules_engine.model import Document
from rules_engine.readers import excel
from rules_engine.readers.builder import build_forms
from rules_engine.readers.grid import Grid
from rules_engine.readers.layouts import split_text
from rules_engine.readers.load import read_document
from tests.workbooks import (
    FIXTURES,
    SEED,
    comparable,
    put_cached_formula,
    rows_of,
    seed_workbook,
    seed_xls,
    text_workbook,
    write_workbook,
    write_xls,
)

DATA = Path(__file__).parent / "data"
CELL_CASES: list[dict[str, Any]] = yaml.safe_load((DATA / "excel_cells.yaml").read_text("utf-8"))
CORPUS_CASES: list[dict[str, str]] = yaml.safe_load((DATA / "excel_corpus.yaml").read_text("utf-8"))


def _stored(case: dict[str, Any]) -> object:
    kind, value = case["kind"], case["value"]
    if kind == "date":
        return dt.date.fromisoformat(value)
    if kind == "datetime":
        return dt.datetime.fromisoformat(value)
    if kind == "float":
        return float(value)
    return value


@pytest.fixture(scope="module")
def cells_book(tmp_path_factory: pytest.TempPathFactory) -> dict[int, str]:
    """One workbook holding every table case in column B of its own row; read back once."""
    path = tmp_path_factory.mktemp("cells") / "cells.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    for row, case in enumerate(CELL_CASES, start=1):
        sheet.cell(row, 1).value = case["id"]
        cell = sheet.cell(row, 2)
        cell.value = _stored(case)
        cell.number_format = case["format"]
    book.save(path)
    (grid,) = excel.read(path)
    return {row[0].row: (row[1].text if len(row) > 1 else "") for row in grid.rows if row}


@pytest.mark.parametrize("case", CELL_CASES, ids=[c["id"] for c in CELL_CASES])
def test_cell_shows_as_a_person_sees_it(case: dict[str, Any], cells_book: dict[int, str]) -> None:
    row = CELL_CASES.index(case) + 1
    assert cells_book[row] == case["expect"]


def _forms(grids: list[Grid]) -> Document:
    return Document(forms=[form for grid in grids for form in build_forms(grid)])


@pytest.fixture(scope="module")
def seed_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_workbook(tmp_path_factory.mktemp("seed") / "seed.xlsx")


def test_seed_workbook_reads_like_the_seed_text(seed_book: Path) -> None:
    text = _forms(split_text(SEED.read_text(encoding="utf-8"), str(SEED)))
    book = _forms(excel.read(seed_book))
    assert len(text.forms) == 2
    assert text.forms[0].budget[0].rate == "100.00%"
    assert comparable(book) == comparable(text)


def test_seed_workbook_reads_like_the_seed_through_the_loader(seed_book: Path) -> None:
    assert comparable(read_document(seed_book)) == comparable(read_document(SEED))


def test_seed_workbook_parse_json_matches_the_text(
    seed_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(SEED), "--format", "json"]) == 0
    text = json.loads(capsys.readouterr().out)
    assert main(["parse", str(seed_book), "--format", "json"]) == 0
    book = json.loads(capsys.readouterr().out)
    assert comparable(Document.model_validate(book)) == comparable(Document.model_validate(text))
    # Positions name the sheet, the row and the column a person finds in Excel.
    first = book["forms"][0]["indicators"][0]
    assert first["source"]["sheet"] == "自评表"
    assert first["cells"]["name"] == {"row": 15, "col": 4, "sheet": "自评表"}


def test_merged_block_keeps_its_text_in_its_first_row_only(seed_book: Path) -> None:
    (grid,) = excel.read(seed_book)
    rows = rows_of(grid)
    assert rows[14][1:3] == ["产出指标", "数量指标"]  # B15:B21 and C15:C17 merged
    assert rows[15][:3] == ["", "", ""]
    assert rows[17][2] == "质量指标"
    assert rows[4][1:] == ["服务外向型经济工作经费"]  # B5:I5 merged: nothing repeated


def test_numbers_and_percentages_typed_in_the_seed(seed_book: Path) -> None:
    book = openpyxl.load_workbook(seed_book)
    assert book.active["G8"].value == 1  # stored as a percentage-formatted 1, not as text
    assert book.active["G8"].number_format == "0.00%"
    assert book.active["C8"].value == 8.6
    (grid,) = excel.read(seed_book)
    assert rows_of(grid)[7][1:8] == ["年度资金总额", "8.6", "8.6", "8.6", "100", "100.00%", "100"]


@pytest.mark.parametrize("case", CORPUS_CASES, ids=[c["id"] for c in CORPUS_CASES])
def test_corpus_form_typed_into_a_workbook_reads_the_same(
    case: dict[str, str], tmp_path: Path
) -> None:
    source = FIXTURES / "corpus" / "forms" / case["form"]
    text = read_document(source)
    book = read_document(text_workbook(tmp_path / "form.xlsx", source.read_text("utf-8")))
    assert text.forms and any(form.indicators for form in text.forms)
    assert comparable(book) == comparable(text)


def test_formulas_show_their_cached_values(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "f.xlsx", {"S": [["分值", "10", "5", "0"]]})
    put_cached_formula(path, 1, "D1", "SUM(B1:C1)", "15")
    (grid,) = excel.read(path)
    assert rows_of(grid) == [["分值", "10", "5", "15"]]


def test_formula_never_calculated_reads_empty_not_as_its_text(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["分值", 10, "=B1*2"])
    book.save(path)
    (grid,) = excel.read(path)
    assert rows_of(grid) == [["分值", "10"]]


def test_every_visible_sheet_is_read_in_order(tmp_path: Path, seed_book: Path) -> None:
    seed = openpyxl.load_workbook(seed_book)
    rows = [[c if c is not None else "" for c in row] for row in seed.active.values]
    form = [[str(c) if not isinstance(c, str) else c for c in row] for row in rows[:29]]
    form[7][6] = "100.00%"
    path = write_workbook(
        tmp_path / "two.xlsx",
        {"项目一": form, "说明": [["填表说明：本表由单位填写"]], "项目二": form, "隐藏": form},
    )
    book = openpyxl.load_workbook(path)
    book["隐藏"].sheet_state = "hidden"
    book.save(path)
    grids = excel.read(path)
    assert [next(c for r in g.rows for c in r).sheet for g in grids] == ["项目一", "说明", "项目二"]
    document = read_document(path)
    assert [form.project for form in document.forms] == ["服务外向型经济工作经费"] * 2
    sheets = [
        source.sheet if (source := form.indicators[0].source) else None for form in document.forms
    ]
    assert sheets == ["项目一", "项目二"]
    assert document.forms[0].budget[0].rate == "100.00%"


def test_ten_thousand_row_shape_reads_end_to_end(tmp_path: Path) -> None:
    # The 10,000-row case is timed by benchmarks/excel_readers.py; here the same shape, smaller.
    rows = [["项目名称", "大型项目"], ["一级指标", "二级指标", "三级指标", "年度指标值", "分值"]]
    rows += [
        ["产出指标" if i == 0 else "", "数量指标" if i == 0 else "", f"指标{i}", "≥95%", "1"]
        for i in range(150)
    ]
    path = write_workbook(tmp_path / "big.xlsx", {"S": rows})
    (grid,) = excel.read(path)
    assert len(grid.rows) == 152
    assert rows_of(grid)[-1] == ["", "", "指标149", "≥95%", "1"]
    document = read_document(path)
    assert len(document.forms[0].indicators) == 150
    assert document.forms[0].indicators[-1].name == "指标149"


def test_library_warnings_stay_out_of_the_output(tmp_path: Path) -> None:
    # A date serial beyond the calendar makes openpyxl warn; Excel shows an error there too.
    path = tmp_path / "w.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "完成时间"
    book.active["B1"] = 1e10
    book.active["B1"].number_format = "yyyy-mm-dd"
    book.save(path)
    (grid,) = excel.read(path)  # pytest turns any warning that escapes into a failure
    assert rows_of(grid) == [["完成时间", "#VALUE!"]]


def test_stray_cell_far_below_keeps_its_row_without_thousands_of_blank_rows(
    tmp_path: Path,
) -> None:
    path = tmp_path / "far.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    book.active["A5000"] = "备注"
    book.save(path)
    (grid,) = excel.read(path)
    assert len(grid.rows) < 30
    assert grid.rows[-1][0].text == "备注"
    assert grid.rows[-1][0].row == 5000


def _error(path: Path) -> UserError:
    with pytest.raises(UserError) as caught:
        excel.read(path)
    return caught.value


def test_truncated_workbook_is_a_coded_error(tmp_path: Path, seed_book: Path) -> None:
    data = seed_book.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    assert _error(cut).diagnostics[0].code == "E180"


def test_truncated_workbook_exits_2_with_a_message(
    tmp_path: Path, seed_book: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = seed_book.read_bytes()
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(data[: len(data) * 2 // 3])
    assert main(["parse", str(cut)]) == 2
    err = capsys.readouterr().err
    assert "E180" in err
    assert "无法读取 Excel 工作簿" in err
    assert "Traceback" not in err
    assert main(["parse", str(cut), "--lang", "en"]) == 2
    assert "cannot read the Excel workbook" in capsys.readouterr().err


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "noise.xlsx"
    path.write_bytes(bytes(range(256)) * 8)
    assert _error(path).diagnostics[0].code == "E180"


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert _error(path).diagnostics[0].code == "E180"


def test_damaged_sheet_inside_a_sound_zip(tmp_path: Path, seed_book: Path) -> None:
    import zipfile

    with zipfile.ZipFile(seed_book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet][: len(parts[sheet]) // 2]
    path = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert _error(path).diagnostics[0].code == "E180"


def test_password_protected_workbook(tmp_path: Path) -> None:
    # Excel saves an encrypted workbook as a compound file holding an "EncryptedPackage" stream.
    path = tmp_path / "secret.xlsx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    error = _error(path)
    assert error.diagnostics[0].code == "E181"
    assert "密码" in error.diagnostics[0].text("zh")
    assert error.diagnostics[0].hint("en")


def test_workbook_with_nothing_in_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    book = openpyxl.Workbook()
    book.active["C3"].number_format = "0.00%"  # formatted but empty is still empty
    book.save(path)
    error = _error(path)
    assert error.diagnostics[0].code == "E182"
    assert error.exit_code == 2


def test_seed_as_legacy_xls_reads_like_the_seed_text(tmp_path: Path) -> None:
    path = seed_xls(tmp_path / "seed.xls")
    assert comparable(read_document(path)) == comparable(read_document(SEED))
    (grid,) = excel.read(path)
    assert rows_of(grid)[7][1:8] == ["年度资金总额", "8.6", "8.6", "8.6", "100", "100.00%", "100"]
    assert rows_of(grid)[15][:3] == ["", "", ""]  # merged 一级 / 二级: text in the first row only


def test_legacy_xls_sheets_and_number_formats(tmp_path: Path) -> None:
    path = write_xls(
        tmp_path / "s.xls",
        {"表一": [["执行率", "95%", "8.60"]], "隐藏": [["x"]], "表二": [["得分", "8.5"]]},
        hidden=["隐藏"],
    )
    grids = excel.read(path)
    assert [rows_of(g) for g in grids] == [[["执行率", "95%", "8.60"]], [["得分", "8.5"]]]
    assert [g.rows[0][0].sheet for g in grids] == ["表一", "表二"]


def test_xlsx_named_xls_is_read_by_its_content(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "really-xlsx.xls", {"S": [["分值", "10"]]})
    assert rows_of(excel.read(path)[0]) == [["分值", "10"]]


def test_damaged_legacy_xls_says_how_to_convert(tmp_path: Path) -> None:
    data = seed_xls(tmp_path / "seed.xls").read_bytes()
    path = tmp_path / "cut.xls"
    path.write_bytes(data[: len(data) // 2])
    error = _error(path)
    assert error.diagnostics[0].code == "E183"
    assert ".xlsx" in error.diagnostics[0].hint("zh")


def test_compound_file_that_is_no_workbook(tmp_path: Path) -> None:
    path = tmp_path / "renamed.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    assert _error(path).diagnostics[0].code == "E183"


def test_missing_file(tmp_path: Path) -> None:
    assert _error(tmp_path / "absent.xlsx").diagnostics[0].code == "E180"


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15))
def test_general_format_is_the_stored_number_to_fifteen_digits(value: float) -> None:
    text = excel.format_number(value, "General")
    assert "e" not in text.lower()
    assert not text.endswith(".0")
    stored = Decimal(repr(value))
    if stored:
        digits = stored.adjusted() + 1 - 15
        stored = stored.quantize(Decimal(1).scaleb(digits), rounding=ROUND_HALF_UP)
    assert Decimal(text) == stored


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_percent_format_shows_two_decimals_of_the_hundredfold(value: float) -> None:
    text = excel.format_number(value, "0.00%")
    assert text.endswith("%")
    assert len(text[:-1].partition(".")[2]) == 2
    shown = Decimal(text[:-1])
    slack = Decimal("0.005") + abs(shown) * Decimal("1e-13")  # half a hundredth, 15-digit noise
    assert abs(shown - Decimal(repr(value)) * 100) <= slack
