"""`score` rows and writers on a hand-made scorecard; the command end to end on the seed."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from rules_engine.commands.score import COLUMNS, CsvSink, JsonlSink, rows, score_documents
from rules_engine.diagnostics import Lang
from rules_engine.scorecard import Scorecard
from tests import handmade

HERE = Path(__file__).parent


def _card() -> Scorecard:
    return handmade.card()


def test_one_row_per_line_of_every_form() -> None:
    got = list(rows(_card(), "seed.txt", "zh"))
    assert [(r["form"], r["line"]) for r in got] == [
        (1, 1),
        (1, 2),
        (1, 3),
        (1, 4),
        (2, 1),
        (2, 2),
        (2, 3),
    ]
    assert all(list(r) == list(COLUMNS) for r in got)


def test_row_holds_the_scored_line() -> None:
    row = list(rows(_card(), "seed.txt", "zh"))[1]
    assert row == {
        "file": "seed.txt",
        "form": 1,
        "line": 2,
        "level1": "产出指标",
        "level2": "质量指标",
        "name": "指标3：参加展会情况",
        "target": "3-5家",
        "actual": "2",
        "weight": "10",
        "rule": "区间",
        "source": "policies/national-2020.policy:32",
        "outcome": "partial",
        "score": "6.67",
        "self_score": "8",
        "delta": "-1.33",
        "flags": ["missing_note"],
    }


@pytest.mark.parametrize(
    ("lang", "first"),
    [
        ("zh", "年度指标值「3-5家」读作区间 3～5家"),
        ("en", "target '3-5家' read as the range 3 to 5家"),
    ],
)
def test_steps_in_the_chosen_language(lang: str, first: str) -> None:
    row = list(rows(_card(), "seed.txt", lang, steps=True))[1]  # type: ignore[arg-type]
    assert row["steps"][0] == first
    assert len(row["steps"]) == 7


def test_jsonl_is_one_object_per_line() -> None:
    buffer = io.StringIO()
    count = score_documents([("a.txt", _card()), ("b.txt", _card())], JsonlSink(buffer))
    lines = buffer.getvalue().splitlines()
    assert count == len(lines) == 14
    decoded = [json.loads(line) for line in lines]
    assert decoded[8]["file"] == "b.txt"
    assert decoded[1]["score"] == "6.67"
    assert "参加展会情况" in lines[1]


def test_csv_has_a_header_and_joined_flags() -> None:
    buffer = io.StringIO()
    score_documents([("a.txt", _card())], CsvSink(buffer, "en", steps=True))
    table = list(csv.reader(io.StringIO(buffer.getvalue())))
    assert table[0] == [*COLUMNS, "steps"]
    assert len(table) == 1 + 7
    second = dict(zip(table[0], table[2], strict=True))
    assert second["score"] == "6.67"
    assert second["flags"] == "missing_note"
    assert second["steps"].startswith("target '3-5家' read as the range 3 to 5家 | actual '2' read")
    review = dict(zip(table[0], table[4], strict=True))
    assert review["score"] == ""
    assert review["outcome"] == "review"


def test_rows_are_streamed() -> None:
    # A generator of documents is consumed one at a time: rows of the first document are
    # written before the second document is produced.
    buffer = io.StringIO()
    seen: list[int] = []

    def documents() -> Iterator[tuple[str, Scorecard]]:
        yield "a.txt", _card()
        seen.append(len(buffer.getvalue().splitlines()))
        yield "b.txt", _card()

    score_documents(documents(), JsonlSink(buffer))
    assert seen == [7]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("steps", [False, True])
def test_jsonl_text_is_the_row_as_json(lang: Lang, steps: bool) -> None:
    # The JSONL writer encodes field by field for speed; it must print exactly what
    # json.dumps prints for the row dictionary.
    buffer = io.StringIO()
    score_documents([("表单 a.txt", _card())], JsonlSink(buffer, lang, steps))
    expected = [
        json.dumps(row, ensure_ascii=False) for row in rows(_card(), "表单 a.txt", lang, steps)
    ]
    assert buffer.getvalue().splitlines() == expected


SEED = HERE / "fixtures" / "explain" / "seed.txt"


def _score_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    from rules_engine.cli import main

    code = main(["score", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_score_seed_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _score_cli([str(SEED), "--policy", "national-2020"], capsys)
    assert code == 0, err
    rows_out = [json.loads(line) for line in out.splitlines()]
    assert len(rows_out) == 13 + 29
    fair = next(r for r in rows_out if r["name"] == "指标3：参加展会情况")
    assert (fair["score"], fair["self_score"], fair["delta"]) == ("6.67", "8", "-1.33")
    assert fair["flags"] == ["missing_note"]
    assert fair["source"].startswith("policies/national-2020.policy:")
    assert {r["score"] for r in rows_out if r["form"] == 2} == {None}


def test_score_seed_to_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.csv"
    code, _, err = _score_cli([str(SEED), str(SEED), "--out", str(out), "--steps"], capsys)
    assert code == 0, err
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(table) == 2 * (13 + 29)
    first = table[0]
    assert (first["line"], first["score"], first["outcome"]) == ("1", "10", "met")
    assert "1-2次" in first["steps"]


def test_score_skips_unreadable_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "missing.txt"
    out = tmp_path / "results.jsonl"
    code, _, err = _score_cli([str(missing), str(SEED), "--out", str(out)], capsys)
    assert code == 2
    assert "E462" in err
    assert len(out.read_text(encoding="utf-8").splitlines()) == 13 + 29


def test_score_rejects_other_output_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _score_cli([str(SEED), "--out", str(tmp_path / "r.ods")], capsys)
    assert code == 2
    assert "E460" in err


def test_score_seed_to_xlsx(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "results.xlsx"
    code, _, err = _score_cli([str(SEED), "--out", str(out), "--policy", "national-2020"], capsys)
    assert code == 0, err
    book = load_workbook(out, read_only=True)
    try:
        table = [list(row) for row in book["results"].iter_rows(values_only=True)]
    finally:
        book.close()
    assert table[0] == list(COLUMNS)
    assert len(table) == 1 + 13 + 29
    fair = dict(zip(table[0], table[6], strict=True))
    assert fair["name"] == "指标3：参加展会情况"
    assert Decimal(str(fair["score"])) == Decimal("6.67")
    assert fair["flags"] == "missing_note"


def test_score_takes_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every form file under the folder, at any depth, in sorted order; other files are skipped.
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "seed.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "a.txt").write_bytes(SEED.read_bytes())
    (tmp_path / "notes.bin").write_bytes(b"\x00")
    code, out, err = _score_cli([str(tmp_path), "--policy", "national-2020"], capsys)
    assert code == 0, err
    files = [json.loads(line)["file"] for line in out.splitlines()]
    assert len(files) == 2 * (13 + 29)
    assert list(dict.fromkeys(files)) == [str(tmp_path / "a.txt"), str(tmp_path / "b" / "seed.txt")]


def test_score_reports_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _score_cli([str(tmp_path), str(SEED), "--policy", "national-2020"], capsys)
    assert code == 2
    assert "E179" in err
    assert "E172" not in err
    assert len(out.splitlines()) == 13 + 29
