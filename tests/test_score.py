"""`score` rows and writers on a hand-made scorecard; the command end to end on the seed."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from rules_engine.diagnostics import Lang
from rules_engine.render.columns import LINE_COLUMNS, headings
from rules_engine.render.rows import ScoredFile
from rules_engine.render.streams import BOM, COLUMNS, CsvWriter, JsonlWriter, json_rows
from rules_engine.scorecard import Scorecard
from tests import handmade

HERE = Path(__file__).parent
SEED = HERE / "fixtures" / "explain" / "seed.txt"
LINE_HEADS = [
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


def _card() -> Scorecard:
    return handmade.card()


def _item(name: str = "a.txt") -> ScoredFile:
    return ScoredFile(name, f"forms/{name}", "0" * 64, _card())


def test_one_json_row_per_line_of_every_form() -> None:
    got = list(json_rows(_card(), "seed.txt", "zh"))
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


def test_json_row_holds_the_scored_line() -> None:
    row = list(json_rows(_card(), "seed.txt", "zh"))[1]
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
def test_steps_in_the_chosen_language(lang: Lang, first: str) -> None:
    row = list(json_rows(_card(), "seed.txt", lang, steps=True))[1]
    assert row["steps"][0] == first
    assert len(row["steps"]) == 7


def test_jsonl_is_one_object_per_line_and_names_the_path_read() -> None:
    buffer = io.StringIO()
    writer = JsonlWriter(buffer)
    writer.write(_item("a.txt"))
    writer.write(_item("b.txt"))
    lines = buffer.getvalue().splitlines()
    assert len(lines) == 14
    decoded = [json.loads(line) for line in lines]
    assert decoded[8]["file"] == "b.txt"
    assert decoded[1]["score"] == "6.67"
    assert "参加展会情况" in lines[1]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("steps", [False, True])
def test_jsonl_text_is_the_row_as_json(lang: Lang, steps: bool) -> None:
    # The JSONL writer encodes field by field for speed; it must print exactly what
    # json.dumps prints for the row dictionary.
    buffer = io.StringIO()
    JsonlWriter(buffer, lang, steps).write(_item("表单 a.txt"))
    expected = [
        json.dumps(row, ensure_ascii=False) for row in json_rows(_card(), "表单 a.txt", lang, steps)
    ]
    assert buffer.getvalue().splitlines() == expected


def _csv(text: str) -> list[list[str]]:
    assert text.startswith(BOM)
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))


def test_csv_has_a_bom_chinese_headings_and_the_line_columns() -> None:
    buffer = io.StringIO()
    CsvWriter(buffer).write(_item())
    table = _csv(buffer.getvalue())
    assert table[0] == LINE_HEADS == headings(LINE_COLUMNS, "zh")
    assert len(table) == 1 + 7
    fair = dict(zip(table[0], table[2], strict=True))
    assert fair["文件"] == "forms/a.txt"
    assert (fair["复核得分"], fair["自评得分"], fair["差异"]) == ("6.67", "8", "-1.33")
    assert fair["结果"] == "部分达成"
    assert fair["标记"]  # in words, not a code
    assert "missing_note" not in fair["标记"]
    review = dict(zip(table[0], table[4], strict=True))
    assert (review["复核得分"], review["结果"]) == ("", "待复核")


def test_csv_in_english_with_steps() -> None:
    buffer = io.StringIO()
    CsvWriter(buffer, "en", steps=True).write(_item())
    table = _csv(buffer.getvalue())
    assert table[0][:3] == ["file", "form", "#"]
    assert table[0][-1] == "steps"
    second = dict(zip(table[0], table[2], strict=True))
    assert second["outcome"] == "partial"
    assert second["steps"].startswith("target '3-5家' read as the range 3 to 5家\n")


def test_csv_rows_end_in_crlf_so_a_lone_cr_is_quoted() -> None:
    buffer = io.StringIO()
    CsvWriter(buffer).write(_item())
    text = buffer.getvalue()
    assert text.count("\r\n") == 8
    assert "\n" not in text.replace("\r\n", "")


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
    # The department's table in the same file sets 5-8家 for the same work.
    assert fair["flags"] == ["missing_note", "target_below_department"]
    assert fair["source"].startswith("policies/national-2020.policy:")
    assert {r["score"] for r in rows_out if r["form"] == 2} == {None}
    # Standard error says in one line what was done.
    assert err.strip().splitlines() == ["已评分 1 个文件（2 张表，42 条指标）"]


def test_score_seed_to_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "results.csv"
    code, _, err = _score_cli([str(SEED), str(SEED), "--out", str(out), "--steps"], capsys)
    assert code == 0, err
    table = _csv(out.read_text(encoding="utf-8"))
    assert len(table) == 1 + 2 * (13 + 29)
    first = dict(zip(table[0], table[1], strict=True))
    assert (first["序号"], first["复核得分"], first["结果"]) == ("1", "10", "达成")
    assert first["文件"] == "seed.txt"
    assert "1-2次" in first["评分步骤"]
    assert "结果写入" in err


def test_score_reports_failures_before_their_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The skipped files are listed, then their count says "above", then the summary line.
    missing = tmp_path / "missing.txt"
    out = tmp_path / "results.jsonl"
    code, _, err = _score_cli([str(missing), str(SEED), "--out", str(out)], capsys)
    assert code == 2
    assert len(out.read_text(encoding="utf-8").splitlines()) == 13 + 29
    lines = err.strip().splitlines()
    first_error = next(i for i, line in enumerate(lines) if "E178" in line)
    count = next(i for i, line in enumerate(lines) if "E462" in line)
    assert str(missing) in lines[first_error]
    assert first_error < count
    assert "上方" in lines[count]
    assert lines[-1].startswith("已评分 1 个文件") and "跳过 1 个" in lines[-1]


def test_score_rejects_other_output_types(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = _score_cli([str(SEED), "--out", str(tmp_path / "r.ods")], capsys)
    assert code == 2
    assert "E460" in err


def test_score_takes_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Every form file under the folder, at any depth, in sorted order; other files are skipped.
    # JSONL names each file by the path read; the tables by the path below the folder given.
    forms = tmp_path / "收到的表"
    (forms / "b").mkdir(parents=True)
    (forms / "b" / "seed.txt").write_bytes(SEED.read_bytes())
    (forms / "a.txt").write_bytes(SEED.read_bytes())
    (forms / "notes.bin").write_bytes(b"\x00")
    code, out, err = _score_cli([str(forms), "--policy", "national-2020"], capsys)
    assert code == 0, err
    files = [json.loads(line)["file"] for line in out.splitlines()]
    assert len(files) == 2 * (13 + 29)
    assert list(dict.fromkeys(files)) == [str(forms / "a.txt"), str(forms / "b" / "seed.txt")]
    csv_out = tmp_path / "r.csv"
    code, _, err = _score_cli([str(forms), "--out", str(csv_out)], capsys)
    assert code == 0, err
    shown = [row[0] for row in _csv(csv_out.read_text(encoding="utf-8"))[1:]]
    assert list(dict.fromkeys(shown)) == ["收到的表/a.txt", "收到的表/b/seed.txt"]


def test_score_reports_an_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _score_cli([str(tmp_path), str(SEED), "--policy", "national-2020"], capsys)
    assert code == 2
    assert "E179" in err
    assert "E172" not in err
    assert len(out.splitlines()) == 13 + 29


@pytest.mark.parametrize(("name", "lang"), [("results.csv", "zh"), ("report.html", "en")])
def test_jobs_give_the_same_results_in_the_same_order(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    lang: str,
) -> None:
    # The English page shows the reader's warnings and unreadable targets in English: what the
    # workers hand back keeps every field those words come from.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    forms = HERE / "fixtures" / "corpus" / "forms"
    outputs = []
    for jobs in ("1", "2"):
        (tmp_path / jobs).mkdir()
        out = tmp_path / jobs / name
        args = [str(forms), str(SEED), "--jobs", jobs, "--out", str(out), "--lang", lang]
        code, _, err = _score_cli(args, capsys)
        assert code == 2, err  # three corpus forms have no indicator table
        outputs.append((out.read_bytes(), err.replace(str(out), "OUT")))
    assert outputs[0] == outputs[1]
    assert len(outputs[0][0].splitlines()) > 200


def test_jobs_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _score_cli([str(SEED), "--jobs", "0"], capsys)
    assert code == 2
    assert "E201" in err


def test_no_progress_bar_when_stderr_is_not_a_terminal() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rules_engine", "score", str(SEED), "--policy", "national-2020"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stderr == "已评分 1 个文件（2 张表，42 条指标）\n"


def test_rows_are_streamed(tmp_path: Path) -> None:
    # Documents are consumed one at a time: rows of the first file are written before the
    # second file is produced.
    buffer = io.StringIO()
    seen: list[int] = []

    def documents() -> Iterator[ScoredFile]:
        yield _item("a.txt")
        seen.append(len(buffer.getvalue().splitlines()))
        yield _item("b.txt")

    writer = JsonlWriter(buffer)
    for item in documents():
        writer.write(item)
    assert seen == [7]


def test_a_progress_bar_when_stderr_is_a_terminal(tmp_path: Path) -> None:
    import pty

    leader, follower = pty.openpty()
    command = [sys.executable, "-m", "rules_engine", "score", str(SEED), "--out"]
    process = subprocess.Popen(
        [*command, str(tmp_path / "r.csv")], stdout=subprocess.DEVNULL, stderr=follower
    )
    os.close(follower)
    shown = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        shown += chunk
    os.close(leader)
    assert process.wait() == 0
    text = shown.decode("utf-8", "replace")
    assert "评分中" in text
    assert text.rstrip().splitlines()[-1].endswith(f"结果写入 {tmp_path / 'r.csv'}")
