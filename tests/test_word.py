"""Word reader: tables in reading order, merged cells once, cell paragraphs joined, bad files."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from rules_engine.cli import main
from rules_engine.diagnostics import UserError
from rules_engine.readers import word
from rules_engine.readers.load import read_document
from tests.workbooks import SEED, comparable, rows_of, seed_docx, write_docx


@pytest.fixture(scope="module")
def seed_doc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return seed_docx(tmp_path_factory.mktemp("seed") / "seed.docx")


def test_seed_document_reads_like_the_seed_text(seed_doc: Path) -> None:
    text = read_document(SEED)
    doc = read_document(seed_doc)
    assert [form.kind for form in doc.forms] == ["project-self-evaluation", "targets-only"]
    assert comparable(doc) == comparable(text)


def test_seed_document_through_parse_json(
    seed_doc: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["parse", str(seed_doc), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    form = out["forms"][0]
    # The header table and the indicator table continue one form: both are read together.
    assert form["project"] == "服务外向型经济工作经费"
    assert form["title"] == "2021年市外服中心预算项目支出绩效自评表"
    assert len(form["indicators"]) == 13
    assert form["indicators"][0]["level1"] == "产出指标"


def test_merged_cells_read_once_at_their_first_position(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "m.docx",
        [
            [
                ["项目名称", "服务外向型经济工作经费", "", ""],
                ["一级指标", "二级指标", "三级指标", "年度指标值"],
                ["产出指标", "数量指标", "指标1：外出考察次数", "1-2次"],
                ["", "", "指标2：举行培训班次数", "1-2次"],
            ]
        ],
        merges=[(0, 0, 1, 0, 3), (0, 2, 0, 3, 0), (0, 2, 1, 3, 1)],
    )
    (grid,) = word.read(path)
    assert rows_of(grid) == [
        ["项目名称", "服务外向型经济工作经费"],
        ["一级指标", "二级指标", "三级指标", "年度指标值"],
        ["产出指标", "数量指标", "指标1：外出考察次数", "1-2次"],
        ["", "", "指标2：举行培训班次数", "1-2次"],
    ]
    assert [cell.col for cell in grid.rows[3]] == [1, 2, 3, 4]


def test_paragraphs_in_a_cell_are_joined(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "p.docx",
        ["绩效自评表", [["三级指标", "年度指标值"], ["指标1：外出\n考察次数", "≥\n95%"]]],
    )
    (grid,) = word.read(path)
    assert rows_of(grid) == [
        ["绩效自评表"],
        ["三级指标", "年度指标值"],
        ["指标1：外出考察次数", "≥95%"],
    ]


def test_paragraphs_and_tables_keep_reading_order(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "o.docx", ["标题", [["a", "b"]], "", "中间", [["c"]], "结尾"])
    (grid,) = word.read(path)
    assert rows_of(grid) == [["标题"], ["a", "b"], ["中间"], ["c"], ["结尾"]]
    assert [row[0].row for row in grid.rows] == [1, 2, 3, 4, 5]


def test_document_without_tables_is_read_as_pasted_text(tmp_path: Path) -> None:
    lines = SEED.read_text(encoding="utf-8").splitlines()
    path = write_docx(tmp_path / "pasted.docx", lines)
    assert comparable(read_document(path)) == comparable(read_document(SEED))


def _error(path: Path) -> UserError:
    with pytest.raises(UserError) as caught:
        word.read(path)
    return caught.value


def test_truncated_document_exits_2_with_a_message(
    tmp_path: Path, seed_doc: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = seed_doc.read_bytes()
    cut = tmp_path / "cut.docx"
    cut.write_bytes(data[: len(data) // 2])
    assert _error(cut).diagnostics[0].code == "E184"
    assert main(["parse", str(cut)]) == 2
    err = capsys.readouterr().err
    assert "E184" in err
    assert "无法读取 Word 文档" in err
    assert "Traceback" not in err


def test_random_bytes_named_docx(tmp_path: Path) -> None:
    path = tmp_path / "noise.docx"
    path.write_bytes(bytes(range(256)) * 8)
    assert _error(path).diagnostics[0].code == "E184"


def test_damaged_body_inside_a_sound_zip(tmp_path: Path, seed_doc: Path) -> None:
    with zipfile.ZipFile(seed_doc) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    body = "word/document.xml"
    parts[body] = parts[body][: len(parts[body]) // 2]
    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert _error(path).diagnostics[0].code == "E184"


def test_password_protected_document(tmp_path: Path) -> None:
    path = tmp_path / "secret.docx"
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 512)
    error = _error(path)
    assert error.diagnostics[0].code == "E185"
    assert error.diagnostics[0].hint("zh")


def test_empty_document(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "empty.docx", ["", "  "])
    error = _error(path)
    assert error.diagnostics[0].code == "E186"
    assert error.exit_code == 2
