"""`score --db` keeps results in SQLite, stamped and without duplicates; `report` rebuilds the
outputs from it, filtered by year and unit, two years side by side."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from rules_engine import __version__

HERE = Path(__file__).parent
SEED = HERE / "fixtures" / "explain" / "seed.txt"
TABLES = ("forms", "lines", "flags", "runs")


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from rules_engine.cli import main

    code = main(args)
    return code, capsys.readouterr().err


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def forms(tmp_path: Path) -> Path:
    """The seed as filed in 2021 and again, with its year changed, in 2022."""
    folder = tmp_path / "forms"
    folder.mkdir()
    text = SEED.read_text(encoding="utf-8")
    (folder / "a_2021.txt").write_text(text, encoding="utf-8")
    (folder / "b_2022.txt").write_text(text.replace("2021", "2022"), encoding="utf-8")
    return folder


def test_scoring_twice_leaves_the_same_rows(
    forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "results.sqlite"
    assert _cli(["score", str(forms), "--db", str(db)], capsys)[0] == 0
    first = _counts(db)
    assert first["forms"] == 4 and first["lines"] == 4 * 42 // 2 and first["runs"] == 1
    assert _cli(["score", str(forms), "--db", str(db), "--out", str(tmp_path / "r.csv")], capsys)
    second = _counts(db)
    assert {t: second[t] for t in TABLES[:3]} == {t: first[t] for t in TABLES[:3]}
    assert second["runs"] == 2  # the runs table logs each run


def test_rows_are_stamped(forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "results.sqlite"
    assert _cli(["score", str(forms / "a_2021.txt"), "--db", str(db)], capsys)[0] == 0
    digest = hashlib.sha256((forms / "a_2021.txt").read_bytes()).hexdigest()
    policy = (HERE.parent / "policies" / "wuwei-2021.policy").read_bytes()
    with sqlite3.connect(db) as con:
        for table in ("forms", "lines", "flags"):
            columns = "file_sha256, policy_name, policy_sha256, tool_version"
            stamps = con.execute(f"SELECT DISTINCT {columns} FROM {table}").fetchall()
            assert stamps == [
                (digest, "wuwei-2021", hashlib.sha256(policy).hexdigest(), __version__)
            ], table
        run = con.execute("SELECT tool_version, files, forms, failed FROM runs").fetchone()
        assert run == (__version__, 1, 2, 0)
        score = con.execute("SELECT score FROM lines WHERE name = '指标3：参加展会情况'").fetchone()
        assert score == ("6.67",)  # decimal text, never a float


def test_another_policy_keeps_its_own_rows(
    forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "results.sqlite"
    form = str(forms / "a_2021.txt")
    assert _cli(["score", form, "--db", str(db)], capsys)[0] == 0
    assert _cli(["score", form, "--db", str(db), "--policy", "national-2020"], capsys)[0] == 0
    with sqlite3.connect(db) as con:
        policies = con.execute("SELECT policy_name, count(*) FROM forms GROUP BY 1").fetchall()
    assert sorted(policies) == [("national-2020", 2), ("wuwei-2021", 2)]


def _sheets(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    book = load_workbook(path)
    return {s.title: list(s.iter_rows(values_only=True)) for s in book.worksheets}


def test_report_rebuilds_the_workbook_score_wrote(
    forms: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    db, direct, rebuilt = tmp_path / "r.sqlite", tmp_path / "direct.xlsx", tmp_path / "again.xlsx"
    code, _ = _cli(["score", str(forms), "--db", str(db), "--out", str(direct)], capsys)
    assert code == 0
    code, err = _cli(["report", str(db), "--out", str(rebuilt)], capsys)
    assert code == 0, err
    old, new = _sheets(direct), _sheets(rebuilt)
    assert list(old) == list(new) == ["汇总", "指标", "标记", "目标表", "对比", "说明"]
    for name in list(old)[:-1]:
        assert new[name] == old[name], name
    # 说明 differs only in what the run read: the folder, or the archive.
    differs = [(a, b) for a, b in zip(old["说明"], new["说明"], strict=True) if a != b]
    assert [(a[1], b[1]) for a, b in differs] == [("输入", "输入")]


def test_report_rebuilds_the_page_score_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # In English: the archive keeps what the reader's warnings and unreadable targets are
    # worded from, not only the Chinese text.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    corpus = HERE / "fixtures" / "corpus"
    db, direct, rebuilt = tmp_path / "r.sqlite", tmp_path / "direct.html", tmp_path / "again.html"
    args = ["score", str(corpus / "forms"), str(corpus / "seed"), "--db", str(db)]
    code, _ = _cli([*args, "--out", str(direct), "--lang", "en"], capsys)
    assert code == 2  # three forms skipped
    code, err = _cli(["report", str(db), "--out", str(rebuilt), "--lang", "en"], capsys)
    assert code == 0, err
    page = direct.read_text(encoding="utf-8")
    assert rebuilt.read_text(encoding="utf-8") == page
    assert "unreadable (" in page  # an unreadable target, worded in English


def test_two_years_of_one_project_side_by_side(
    forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, out = tmp_path / "r.sqlite", tmp_path / "years.xlsx"
    assert _cli(["score", str(forms), "--db", str(db)], capsys)[0] == 0
    code, err = _cli(["report", str(db), "--out", str(out), "--unit", "对外经济贸易"], capsys)
    assert code == 0, err
    years = _sheets(out)["对比"]
    assert years[0][:5] == ("单位", "项目", "2021 复核总分", "2021 自评总分", "2021 差异")
    assert years[0][5] == "2022 复核总分"
    assert len(years) == 2
    assert years[1][1] == "服务外向型经济工作经费"
    assert years[1][2] and years[1][5]  # both years' totals


def test_report_filters_by_year(
    forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, out = tmp_path / "r.sqlite", tmp_path / "y.xlsx"
    assert _cli(["score", str(forms), "--db", str(db)], capsys)[0] == 0
    assert _cli(["report", str(db), "--out", str(out), "--year", "2022"], capsys)[0] == 0
    sheets = _sheets(out)
    assert [row[6] for row in sheets["汇总"][1:]] == [2022, 2022]  # both forms of b_2022.txt
    assert "对比" not in sheets
    code, err = _cli(["report", str(db), "--out", str(out), "--year", "1999"], capsys)
    assert (code, "E468" in err) == (2, True)


def test_report_writes_html_and_csv(
    forms: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "r.sqlite"
    assert _cli(["score", str(forms), "--db", str(db)], capsys)[0] == 0
    assert (
        _cli(["report", str(db), "--out", str(tmp_path / "r.html"), "--lang", "en"], capsys)[0] == 0
    )
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.count('<section class="form"') == 4
    assert "Years side by side" in page
    assert _cli(["report", str(db), "--out", str(tmp_path / "r.csv")], capsys)[0] == 0
    assert (tmp_path / "r.csv").read_text(encoding="utf-8").startswith("\ufeff文件,表,序号")


def test_a_file_that_is_not_an_archive(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bogus = tmp_path / "r.sqlite"
    bogus.write_text("not a database, just text\n" * 100, encoding="utf-8")
    code, err = _cli(["report", str(bogus), "--out", str(tmp_path / "r.xlsx")], capsys)
    assert (code, "E466" in err) == (2, True)
    code, err = _cli(["score", str(SEED), "--db", str(bogus)], capsys)
    assert (code, "E466" in err) == (2, True)
    code, err = _cli(
        ["report", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "r.xlsx")], capsys
    )
    assert (code, "E466" in err) == (2, True)
    assert not (tmp_path / "none.sqlite").exists()  # reading never creates the archive
    assert not (tmp_path / "r.xlsx").exists()
