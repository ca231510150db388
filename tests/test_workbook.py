"""The results workbook of `score --out review.xlsx` on the corpus forms, as openpyxl reads it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook

from rules_engine.app import Policies, evaluate, read_document
from rules_engine.render.columns import FLAG_COLUMNS, SUMMARY_COLUMNS, TARGET_COLUMNS

HERE = Path(__file__).parent
FORMS = HERE / "fixtures" / "corpus" / "forms"
SEEDS = HERE / "fixtures" / "corpus" / "seed"

SUMMARY = [
    "文件",
    "表",
    "表类型",
    "项目名称",
    "主管部门",
    "实施单位",
    "年度",
    "规则",
    "预算执行率",
    "预算得分",
    "复核总分",
    "总分区间",
    "等级",
    "自评总分",
    "自评等级",
    "差异",
    "待复核条数",
    "标记数",
    "读表警告",
    "整表标记",
]
LINES = [
    "文件",
    "表",
    "序号",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "复核得分",
    "自评得分",
    "差异",
    "结果",
    "规则",
    "规则位置",
    "标记",
    "偏差原因",
]
FLAGS = ["文件", "表", "序号", "位置", "代码", "说明", "级别", "规则位置"]
TARGETS = [
    "文件",
    "表",
    "序号",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "读作",
    "适用规则",
    "规则位置",
    "标记",
]
NOTES = ["类别", "项目", "内容"]


def _readable_forms() -> int:
    """How many forms of the corpus fixtures the reader reads (`score` skips the other files)."""
    from rules_engine.diagnostics import UserError
    from rules_engine.readers.load import form_files, read_document

    count = 0
    for path in [*form_files(FORMS), *form_files(SEEDS)]:
        try:
            count += len(read_document(path).forms)
        except UserError:
            continue
    return count


def _score(tmp: Path, *extra: str) -> Path:
    from rules_engine.cli import main

    out = tmp / "review.xlsx"
    code = main(["score", str(FORMS), str(SEEDS), "--out", str(out), *extra])
    assert code == 2  # corpus files with no indicator table are skipped, named and counted
    return out


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return load_workbook(_score(tmp_path_factory.mktemp("zh")))


@pytest.fixture(scope="module")
def book_en(tmp_path_factory: pytest.TempPathFactory) -> Workbook:
    return load_workbook(_score(tmp_path_factory.mktemp("en"), "--lang", "en"))


def _table(book: Workbook, sheet: str) -> list[dict[str, Any]]:
    rows = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_the_sheets_and_their_headings(book: Workbook) -> None:
    assert book.sheetnames == ["汇总", "指标", "标记", "目标表", "说明"]
    for sheet, heads in (
        ("汇总", SUMMARY),
        ("指标", LINES),
        ("标记", FLAGS),
        ("目标表", TARGETS),
        ("说明", NOTES),
    ):
        assert [c.value for c in book[sheet][1]] == heads, sheet


def test_every_sheet_is_frozen_filtered_and_sized(book: Workbook) -> None:
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        last = f"{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        assert sheet.auto_filter.ref == f"A1:{last}", sheet.title
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(w and w >= 6 for w in widths), (sheet.title, widths)


def test_one_summary_row_per_form_with_relative_files(book: Workbook) -> None:
    rows = _table(book, "汇总")
    assert len(rows) == _readable_forms()
    assert all(r["文件"].startswith(("forms/", "seed/")) for r in rows)
    seed = [r for r in rows if r["文件"] == "seed/000_111099e829c6ea1e.txt"]
    assert [r["表"] for r in seed] == [1, 2]
    assert seed[1]["表类型"] == "绩效目标表"
    # department forms are scored by the department policy, every other form as before
    chosen = ("national-2020 · ", "wuwei-2021 · ", "national-department-2020 · ")
    assert all(r["规则"].startswith(chosen) for r in rows)
    department = [r for r in rows if r["表类型"] == "部门整体支出绩效自评表"]
    assert department
    assert all(r["规则"].startswith("national-department-2020 · ") for r in department)


def test_totals_and_grades_are_the_engines(book: Workbook) -> None:
    # A total shows in 复核总分 only when final; otherwise 总分区间 holds the range. 等级 is what
    # the engine gave: never a grade for a total that is not final unless its range lies in one
    # band.
    policies = Policies()
    rows = {(r["文件"], r["表"]): r for r in _table(book, "汇总")}
    checked = 0
    for folder in (FORMS, SEEDS):
        for path in sorted(folder.iterdir()):
            try:
                document = read_document(str(path))
            except Exception:
                continue
            card = evaluate(policies.for_document(document).policy, document)
            for form_no, result in enumerate(card.forms, start=1):
                row = rows[(f"{folder.name}/{path.name}", form_no)]
                total = result.total
                if result.form.kind == "targets-only":
                    assert (row["复核总分"], row["等级"]) == (None, None)
                    continue
                checked += 1
                assert row["等级"] == total.grade
                if total.final:
                    assert Decimal(str(row["复核总分"])) == total.score
                    assert row["总分区间"] is None
                else:
                    assert row["复核总分"] is None
                    assert row["总分区间"]
                    if len(total.grades) > 1:
                        assert row["等级"] is None
    assert checked > 20


def test_number_formats_red_differences_and_shaded_review_rows(book: Workbook) -> None:
    sheet = book["指标"]
    heads = [c.value for c in sheet[1]]
    col = {name: heads.index(name) for name in heads}
    reds = shaded = 0
    for row in sheet.iter_rows(min_row=2):
        for name in ("分值", "复核得分", "自评得分", "差异"):
            cell = row[col[name]]
            if isinstance(cell.value, int | float):
                assert cell.number_format == "0.00", (name, cell.coordinate)
        delta = row[col["差异"]]
        if isinstance(delta.value, int | float) and delta.value < 0:
            assert delta.font.color is not None and delta.font.color.rgb.endswith("C00000")
            reds += 1
        if row[col["结果"]].value == "待复核":
            assert row[col["三级指标"]].fill.fgColor.rgb.endswith("FFF2CC")
            shaded += 1
        else:
            assert row[col["三级指标"]].fill.fill_type is None
    assert reds > 0 and shaded > 0
    summary = book["汇总"]
    rates = [r[8] for r in summary.iter_rows(min_row=2) if isinstance(r[8].value, int | float)]
    assert rates and all(c.number_format == "0.00%" for c in rates)


def test_target_tables_are_kept_apart(book: Workbook) -> None:
    summary = _table(book, "汇总")
    targets_only = {(r["文件"], r["表"]) for r in summary if r["表类型"] == "绩效目标表"}
    lines = {(r["文件"], r["表"]) for r in _table(book, "指标")}
    listed = {(r["文件"], r["表"]) for r in _table(book, "目标表")}
    assert targets_only and listed <= targets_only
    assert not lines & targets_only
    assert {r["结果"] for r in _table(book, "指标")} <= {"达成", "部分达成", "未达成", "待复核"}


def test_flags_are_rows_in_words(book: Workbook) -> None:
    flags = _table(book, "标记")
    counts: dict[tuple[str, int], int] = {}
    for row in flags:
        key = (row["文件"], row["表"])
        counts[key] = counts.get(key, 0) + 1
        assert row["代码"] and row["说明"] and row["说明"] != row["代码"]
    for row in _table(book, "汇总"):
        assert row["标记数"] == counts.get((row["文件"], row["表"]), 0)


def test_the_notes_say_which_policy_tool_and_time(book: Workbook) -> None:
    notes = _table(book, "说明")
    items = {(r["类别"], r["项目"]): r["内容"] for r in notes}
    assert items[("运行", "工具版本")].startswith("rules-engine ")
    assert items[("运行", "运行时间")]
    policies = [r for r in notes if r["类别"] == "规则"]
    names = {r["项目"].split(" · ")[0] for r in policies}
    assert names == {"national-2020", "wuwei-2021", "national-department-2020"}
    assert all(len(r["内容"].split("sha256 ")[1]) == 64 for r in policies)
    explained = {(r["类别"], r["项目"]) for r in notes}
    assert ("汇总", "总分区间") in explained and ("指标", "差异") in explained


def test_english_headings_and_words(book_en: Workbook) -> None:
    assert book_en.sheetnames == ["summary", "lines", "flags", "targets", "notes"]
    heads = [c.value for c in book_en["summary"][1]]
    assert heads == [c.en for c in SUMMARY_COLUMNS]
    assert [c.value for c in book_en["flags"][1]] == [c.en for c in FLAG_COLUMNS]
    assert [c.value for c in book_en["targets"][1]] == [c.en for c in TARGET_COLUMNS]
    outcomes = {r["outcome"] for r in _table(book_en, "lines")}
    assert outcomes <= {"met", "partial", "missed", "review"}
    kinds = {r["form type"] for r in _table(book_en, "summary")}
    assert "targets only" in kinds


def test_a_sheet_past_the_row_limit_is_an_error_not_a_loss(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from rules_engine.cli import main
    from rules_engine.render import workbook

    monkeypatch.setattr(workbook, "_MAX_ROWS", 20)  # the seed's first form has 13 lines
    out = tmp_path / "review.xlsx"
    out.write_bytes(b"earlier")
    assert main(["score", str(SEEDS), str(SEEDS), "--out", str(out)]) == 2
    assert "E470" in capsys.readouterr().err
    assert out.read_bytes() == b"earlier"
