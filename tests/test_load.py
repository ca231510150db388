"""Reading files: formats, encodings and bad input (cases in tests/data/load_errors.yaml)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules_engine.cli import main
from rules_engine.diagnostics import UserError
from rules_engine.readers.load import read_document

FIXTURES = Path(__file__).parent / "fixtures"
SEED = FIXTURES / "seed" / "000_111099e829c6ea1e.txt"
ERRORS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "load_errors.yaml").read_text(encoding="utf-8")
)


def _parse_json(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["parse", str(path), "--format", "json"]) == 0
    return capsys.readouterr().out


def _write(tmp_path: Path, case: dict[str, Any]) -> Path:
    path: Path = tmp_path / str(case["name"])
    if "hex" in case:
        path.write_bytes(bytes.fromhex(case["hex"]))
    else:
        path.write_text(case["text"], encoding="utf-8")
    return path


@pytest.mark.parametrize("case", ERRORS, ids=[c["id"] for c in ERRORS])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bad_input_is_a_coded_located_message(
    case: dict[str, Any], lang: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, case)
    assert main(["parse", str(path), "--lang", lang]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert case["code"] in captured.err
    assert case[lang] in captured.err
    assert str(path) in captured.err
    assert "Traceback" not in captured.err
    if "line" in case:
        assert f"{path}:{case['line']}:" in captured.err


def test_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    with pytest.raises(UserError) as err:
        read_document(tmp_path)
    assert err.value.diagnostics[0].code == "E172"


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(tmp_path / "nothing.txt")]) == 2
    err = capsys.readouterr().err
    assert "E178" in err
    assert "无法读取文件：文件不存在" in err
    assert main(["--lang", "en", "parse", str(tmp_path / "nothing.txt")]) == 2
    assert "cannot read the file: no such file" in capsys.readouterr().err


def test_json_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _parse_json(SEED, capsys)
    saved = tmp_path / "seed.json"
    saved.write_text(first, encoding="utf-8")
    assert _parse_json(saved, capsys) == first
    assert len(json.loads(first)["forms"]) == 2


def test_yaml_reads_like_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = _parse_json(SEED, capsys)
    saved = tmp_path / "seed.yaml"
    saved.write_text(yaml.safe_dump(json.loads(first), allow_unicode=True), encoding="utf-8")
    assert _parse_json(saved, capsys) == first


# Forms written by hand or exported by another system: no cell positions, numbers as numbers,
# one form without the `forms` list, no `kind` (inferred from the lines).
HAND_WRITTEN = {
    "json": '{"title": "某项目绩效自评表", "year": 2021, "indicators": [\n'
    '  {"level1": "产出指标", "name": "培训次数", "target": "≥2次", "actual": "3次",\n'
    '   "weight": 10, "score": 9.50}]}',
    "yaml": "forms:\n- title: 某项目绩效自评表\n  year: 2021\n  indicators:\n"
    "  - {level1: 产出指标, name: 培训次数, target: ≥2次, actual: 3次, weight: 10, score: 9.5}\n",
}


@pytest.mark.parametrize("suffix", sorted(HAND_WRITTEN))
def test_hand_written_forms_need_no_positions(suffix: str, tmp_path: Path) -> None:
    path = tmp_path / f"form.{suffix}"
    path.write_text(HAND_WRITTEN[suffix], encoding="utf-8")
    (form,) = read_document(path).forms
    (line,) = form.indicators
    assert form.kind == "project-self-evaluation"
    assert line.source is None
    assert (line.weight, line.score) == ("10", "9.50" if suffix == "json" else "9.5")
    assert "source" not in line.model_dump(mode="json")


def test_hand_written_target_table_is_targets_only(tmp_path: Path) -> None:
    path = tmp_path / "targets.yaml"
    path.write_text("indicators:\n- {name: 培训次数, target: ≥2次, weight: 10}\n", encoding="utf-8")
    assert read_document(path).forms[0].kind == "targets-only"


def test_hand_written_form_with_a_misspelt_field_names_it(tmp_path: Path) -> None:
    path = tmp_path / "form.json"
    path.write_text('{"forms": [{"indicators": [{"nmae": "x"}]}]}', encoding="utf-8")
    with pytest.raises(UserError) as err:
        read_document(path)
    (diag,) = err.value.diagnostics
    assert diag.code == "E177"
    assert diag.args["where"] == "forms.0.indicators.0.nmae"


def test_gb18030_file_reads_like_utf8(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.read_text(encoding="utf-8")
    utf8 = tmp_path / "seed.txt"
    utf8.write_text(text, encoding="utf-8")
    gb = tmp_path / "gb" / "seed.txt"
    gb.parent.mkdir()
    gb.write_bytes(text.encode("gb18030"))
    expected = _parse_json(utf8, capsys).replace(str(utf8), "FILE")
    assert _parse_json(gb, capsys).replace(str(gb), "FILE") == expected


def test_bom_is_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SEED.read_text(encoding="utf-8")
    plain = tmp_path / "seed.txt"
    plain.write_text(text, encoding="utf-8")
    bom = tmp_path / "bom" / "seed.txt"
    bom.parent.mkdir()
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    expected = _parse_json(plain, capsys).replace(str(plain), "FILE")
    assert _parse_json(bom, capsys).replace(str(bom), "FILE") == expected


def test_csv_with_json_field_names(tmp_path: Path) -> None:
    path = tmp_path / "lines.csv"
    path.write_text(
        "title,year,level1,level2,name,target,actual,weight,score,note\n"
        "表一,2021,产出指标,数量指标,指标1：次数,1-2次,1,10,8,\n"
        "表一,2021,产出指标,质量指标,指标2：合格率,≥95%,—,10,10,\n"
        "表二,2022,效益指标,社会效益指标,受益人数,≥500人,,,,\n",
        encoding="utf-8",
    )
    document = read_document(path)
    first, second = document.forms
    assert first.title == "表一"
    assert first.year == 2021
    assert first.kind == "project-self-evaluation"
    assert [line.name for line in first.indicators] == ["指标1：次数", "指标2：合格率"]
    assert first.indicators[1].actual is None
    source = first.indicators[0].source
    assert source is not None and source.row == 2
    assert first.indicators[0].cells["target"].col == 6
    assert second.kind == "targets-only"
    assert second.indicators[0].target == "≥500人"


def test_csv_with_form_headers_reads_like_the_form(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    path = tmp_path / "seed.csv"
    path.write_text(
        "\n".join(",".join(f'"{cell}"' for cell in line.split("\t")) for line in text.splitlines()),
        encoding="utf-8",
    )
    from_csv = read_document(path)
    from_text = read_document(SEED)
    assert [f.model_dump(exclude={"file"}) for f in from_csv.forms] == [
        f.model_dump(exclude={"file"}) for f in from_text.forms
    ]


def test_reading_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_bytes(SEED.read_bytes())
    before = sorted(p.name for p in tmp_path.iterdir())
    read_document(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


@settings(
    derandomize=True,
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".txt", ".json", ".csv", ".dat"]))
def test_any_bytes_never_crash(
    data: bytes, suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    code = main(["parse", str(path)])
    captured = capsys.readouterr()
    assert code in (0, 1, 2)
    assert "E299" not in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_file_cut_inside_its_last_character_still_reads(encoding: str, tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8").rstrip() + "末尾"
    data = text.encode(encoding)
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-1])
    whole = tmp_path / "whole.txt"
    whole.write_bytes(text[:-1].encode(encoding))
    assert read_document(path).model_dump(exclude={"forms": {"__all__": {"file"}}}) == (
        read_document(whole).model_dump(exclude={"forms": {"__all__": {"file"}}})
    )
