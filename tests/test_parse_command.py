"""`rules-engine parse`: text and JSON output, folders, and every corpus form without a crash."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rules_engine.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "000_111099e829c6ea1e.txt"
CORPUS = sorted((FIXTURES / "corpus" / "forms").glob("*.txt"))
FORM_KEYS = [
    "kind",
    "title",
    "project",
    "department",
    "unit",
    "year",
    "budget",
    "indicators",
    "total",
    "warnings",
    "reliability",
    "file",
]


def test_text_output_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    out = capsys.readouterr().out
    for word in (
        "项目名称：服务外向型经济工作经费",
        "年度指标值",
        "实际完成值",
        "绩效指标",
        "1-2次",
    ):
        assert word in out
    assert "总分：分值 100 · 得分 90" in out


def test_text_output_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    for word in ("project: 服务外向型经济工作经费", "target", "actual", "indicators"):
        assert word in out
    assert "total: weight 100 · score 90" in out
    assert "年度指标值" not in out


def test_text_output_says_how_far_the_reading_goes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED)]) == 0
    assert "读取：读取完整" in capsys.readouterr().out
    (cut,) = (p for p in CORPUS if p.name.startswith("035_"))
    assert main(["parse", str(cut), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "reading: partly read" in out
    assert "process scorecard" in out  # its rows, apart from the indicator lines
    assert "基础信息 完整性" in out
    assert "indicators" not in out


def test_json_is_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--format", "json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out)
    assert list(data) == ["forms"]
    first = data["forms"][0]
    assert list(first) == FORM_KEYS
    line = first["indicators"][0]
    assert line["name"] == "指标1：外出考察次数"
    assert line["target"] == "1-2次"
    assert line["source"]["row"] == 15
    assert "diagnostics" not in first
    assert "服务外向型经济工作经费" in out  # CJK kept as is, not \\u-escaped


def test_json_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--format", "json"]) == 0
    first = capsys.readouterr().out
    assert main(["parse", str(SEED), "--format", "json"]) == 0
    assert capsys.readouterr().out == first


def test_forced_layout(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(SEED), "--layout", "tsv", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["forms"]) == 2
    assert main(["parse", str(SEED), "--layout", "nonsense"]) == 2
    assert "E140" in capsys.readouterr().err


def test_warnings_are_shown_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    (glued,) = (p for p in CORPUS if p.name.startswith("029_"))
    assert main(["parse", str(glued)]) == 0
    out = capsys.readouterr().out
    assert "警告" in out
    assert "E142" in out


def test_folder_summary_continues_past_failures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(SEED, tmp_path / "a_seed.txt")
    (tmp_path / "b_empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    shutil.copy(SEED, tmp_path / "sub" / "c_seed.tsv")
    (tmp_path / "ignored.png").write_bytes(b"\x89PNG")
    assert main(["parse", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert out.index("a_seed.txt") < out.index("b_empty.txt") < out.index("c_seed.tsv")
    assert "E171" in out
    assert "ignored.png" not in out
    assert "共 3 个文件，读取成功 2 个，失败 1 个" in out


def test_folder_where_nothing_reads_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    assert main(["parse", str(tmp_path), "--lang", "en"]) == 2
    assert "1 files, 0 read, 1 failed" in capsys.readouterr().out


def test_folder_without_forms(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path)]) == 2
    assert "E179" in capsys.readouterr().err


def test_folder_as_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(SEED, tmp_path / "seed.txt")
    assert main(["parse", str(tmp_path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [f["file"] for f in data["files"]] == ["seed.txt"]
    assert len(data["files"][0]["forms"]) == 2


@pytest.mark.parametrize("path", CORPUS, ids=[p.name[:3] for p in CORPUS])
def test_every_corpus_form_reads_without_internal_error(
    path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["parse", str(path), "--format", "json"])
    captured = capsys.readouterr()
    assert code in (0, 2)
    assert "E299" not in captured.err
    assert "Traceback" not in captured.err
    if code == 0:
        assert json.loads(captured.out)["forms"]
    else:
        assert captured.out == ""


def test_folder_reads_workbooks_and_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.workbooks import seed_docx, seed_workbook

    seed_workbook(tmp_path / "seed.xlsx")
    seed_docx(tmp_path / "seed.docx")
    shutil.copy(SEED, tmp_path / "seed.txt")
    assert main(["parse", str(tmp_path), "--format", "json"]) == 0
    files = json.loads(capsys.readouterr().out)["files"]
    assert [f["file"] for f in files] == ["seed.docx", "seed.txt", "seed.xlsx"]
    lines = [[len(form["indicators"]) for form in f["forms"]] for f in files]
    assert lines[0] == lines[1] == lines[2]
