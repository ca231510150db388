"""The target review (绩效目标审核): the seed's target table, the checks case by case, and the
findings in every output (explain, --only flags, score's JSONL, CSV, workbook and HTML page)."""

from __future__ import annotations

import csv
import io
import json
from functools import cache
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from rules_engine.cli import main
from rules_engine.engine import evaluate
from rules_engine.formset import form_from_data
from rules_engine.model import Document
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.readers.load import read_document
from rules_engine.render.flags import flag_text
from rules_engine.scorecard import Flag, FormResult, Phrase, Scorecard

HERE = Path(__file__).parent
SEED = HERE / "fixtures" / "corpus" / "seed" / "000_111099e829c6ea1e.txt"
CASES: dict[str, Any] = yaml.safe_load(
    (HERE / "data" / "review_cases.yaml").read_text(encoding="utf-8")
)


@cache
def _policy(key: str | None) -> CompiledPolicy:
    if key is None:
        return compile_policy("national-2020")
    return compile_policy("case.policy", text=CASES["policies"][key])


@cache
def _seed() -> Scorecard:
    return evaluate(compile_policy("national-2020"), read_document(SEED))


def _review(flags: tuple[Flag, ...]) -> list[str]:
    return sorted(f.code for f in flags if f.code.startswith("target_") and "detail" in f.args)


def _detail(flag: Flag) -> dict[str, Any]:
    detail = flag.args["detail"]
    assert isinstance(detail, Phrase)
    return dict(detail.args)


def _findings(result: FormResult) -> dict[int, list[str]]:
    return {line.index: _review(line.flags) for line in result.lines if _review(line.flags)}


# ---------------------------------------------------------------------------------------------
# The seed: a project's self-evaluation and its department's target table in one file


def test_the_seed_target_table_lists_every_kind_of_finding() -> None:
    table = _seed().forms[1]
    assert table.form.kind == "targets-only"
    found = _findings(table)
    # 举办培训班2-3次 / 完成: the amount belongs in the target (the 数量 lines only: the 质量 and
    # 时效 lines of the same names are told that their own targets are not quantified).
    assert [i for i, codes in found.items() if "target_number_in_name" in codes] == [13, 14, 15]
    amounts = [
        _detail(f)["amounts"]
        for x in table.lines
        for f in x.flags
        if f.code == "target_number_in_name"
    ]
    assert amounts == [("2-3次",), ("2-3次",), ("5-8家",)]
    # 外贸企业数量增加 / 增加: a direction, not a value.
    assert found[24] == ["target_direction_word"]
    # The same name and target twice (管理制度健全性 under three groups, the satisfaction line).
    duplicates = [i for i, codes in found.items() if "target_duplicate" in codes]
    assert duplicates == [9, 12, 29]
    # Every other line not quantified is said to be; 100%, 100% and 正增长 are quantified.
    unquantified = [i for i, codes in found.items() if "target_not_quantified" in codes]
    assert unquantified == [*range(3, 13), *range(16, 23), *range(25, 30)]
    assert {1, 2, 23}.isdisjoint(found)
    # Each line is told about its target once; the engine's own note gives way to the review's.
    for line in table.lines:
        told = [f.code for f in line.flags if f.code != "target_duplicate"]
        assert len(told) <= 1, (line.index, told)
    # The summary: quantified 3 of 29; all five groups are there, so none is missing.
    assert _review(table.flags) == ["target_quantified_share"]
    share = _detail(table.flags[0])
    assert (share["quantified"], share["total"]) == (3, 29)
    assert share["lines"] == (*range(3, 23), *range(24, 30))


def test_the_seed_project_targets_are_below_the_department_targets() -> None:
    project = _seed().forms[0]
    found = {
        line.index: _detail(f)
        for line in project.lines
        for f in line.flags
        if f.code == "target_below_department"
    }
    assert sorted(found) == [1, 2, 3, 4, 5, 6]
    pairs = {i: (d["target"], d["department"], d["line"], d["sure"]) for i, d in found.items()}
    # 外出考察次数 1-2次 against 外出考察学习2-3次: one name holds the other.
    assert pairs[1] == ("1-2次", "2-3次", 14, True)
    # 参加展会情况 3-5家 against 组织5-8家企业参加展会.
    assert pairs[6] == ("3-5家", "5-8家", 15, True)
    # 组织参展企业数 and 举行培训班次数 are only close to 组织…参加展会 and 举办培训班: said so.
    assert pairs[3] == ("3-5家", "5-8家", 15, False)
    assert pairs[2] == ("1-2次", "2-3次", 13, False)
    text = flag_text(next(f for f in project.lines[2].flags if "below" in f.code), "zh")
    assert "无法确定" in text and "「3-5家」" in text and "「5-8家」" in text


def test_a_project_table_is_compared_with_its_nearest_department_table_only() -> None:
    # The seed's two tables twice over, then a department table of another unit: each project
    # line is told once, against the department table of its own pair.
    seed = read_document(SEED)
    project, department = seed.forms
    other = department.model_copy(update={"unit": "另一个单位", "department": "另一个部门"})
    forms = [project, department, project, department, other]
    card = evaluate(compile_policy("national-2020"), Document(forms=forms))
    for number in (0, 2):
        found = [
            _detail(f)["form"]
            for line in card.forms[number].lines
            for f in line.flags
            if f.code == "target_below_department"
        ]
        assert len(found) == 6 and set(found) == {number + 2}


def test_every_finding_cites_its_check_line_and_says_what_to_change() -> None:
    national = compile_policy("national-2020")
    assert national.review is not None
    lines = {c.code: c.loc.cite() for c in national.review.checks}
    for result in _seed().forms:
        flags = [f for x in result.lines for f in x.flags] + list(result.flags)
        for flag in flags:
            if flag.code in lines:
                assert flag.source == lines[flag.code]
                for lang in ("zh", "en"):
                    heading, _, detail = flag_text(flag, lang).partition(
                        "：" if lang == "zh" else ": "
                    )
                    assert heading and detail, flag
    text = flag_text(next(f for f in _seed().forms[1].lines[12].flags), "zh")
    assert "把「2-3次」写进年度指标值，名称改为「举办培训班」" in text


# ---------------------------------------------------------------------------------------------
# The checks, case by case


def _form(data: dict[str, Any]) -> dict[str, Any]:
    form = {k: v for k, v in data.items() if k != "lines"}
    form["indicators"] = [
        dict(zip(("level1", "level2", "name", "target"), row, strict=True))
        for row in data.get("lines", [])
    ]
    return form


@pytest.mark.parametrize("case", CASES["cases"], ids=[c["id"] for c in CASES["cases"]])
def test_review_case(case: dict[str, Any]) -> None:
    document = Document(forms=[form_from_data(_form(f)) for f in case["forms"]])
    card = evaluate(_policy(case.get("policy")), document)
    for number, result in enumerate(card.forms, start=1):
        want = case["expect"].get(number, {})
        lines = {int(k): sorted(v) for k, v in want.get("lines", {}).items()}
        assert _findings(result) == lines, f"form {number}"
        assert _review(result.flags) == sorted(want.get("form", [])), f"form {number}"
    for check in case.get("details", []):
        result = card.forms[check["form"] - 1]
        flags = result.lines[check["line"] - 1].flags if "line" in check else result.flags
        [flag] = [f for f in flags if f.code == check["code"]]
        args = _detail(flag)
        for key, value in check["args"].items():
            got = args[key]
            assert (list(got) if isinstance(got, tuple) else got) == value, key


def test_a_policy_words_and_grades_its_findings() -> None:
    form = _form(
        {"kind": "targets-only", "lines": [["产出指标", "质量指标", "培训质量", "培训合格"]]}
    )
    card = evaluate(_policy("scoped"), Document(forms=[form_from_data(form)]))
    [flag] = card.forms[0].lines[0].flags
    assert (flag.code, flag.severity, flag.source) == (
        "target_not_quantified",
        "info",
        "case.policy:6",
    )
    assert flag.text == ("没有量化", "not quantified")
    assert flag_text(flag, "en").startswith("not quantified: '培训合格' is a word")
    assert flag_text(flag, "zh").startswith("没有量化：「培训合格」是定性的说法")


# ---------------------------------------------------------------------------------------------
# Outputs


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(args)
    return code, capsys.readouterr().out


def test_only_flags_lists_the_lines_with_findings(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    code, out = _cli(
        ["explain", str(SEED), "--policy", "national-2020", "--only", "flags", "--format", "json"],
        capsys,
    )
    assert code == 0
    forms = json.loads(out)["forms"]
    listed = [[line["index"] for line in form["lines"]] for form in forms]
    assert listed[0] == [1, 2, 3, 4, 5, 6]
    assert listed[1] == [*range(3, 23), *range(24, 30)]
    assert forms[1]["listed"] == {"only": ["flags"], "lines": 26, "of": 29}


def test_score_outputs_carry_the_findings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonl, table, book, page = (tmp_path / f"r.{x}" for x in ("jsonl", "csv", "xlsx", "html"))
    for out in (jsonl, table, book, page):
        code = main(["score", str(SEED), "--policy", "national-2020", "--out", str(out)])
        capsys.readouterr()
        assert code == 0, out
    rows = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    by_line = {(r["form"], r["line"]): r for r in rows}
    assert "target_below_department" in by_line[(1, 3)]["flags"]
    assert by_line[(2, 13)]["flags"] == ["target_number_in_name"]
    cells = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8-sig"))))
    words = {(c["表"], c["序号"]): c["标记"] for c in cells}
    assert "把「2-3次」写进年度指标值" in words[("2", "13")]
    assert "「3-5家」低于名称相近的部门指标" in words[("1", "3")]
    workbook = openpyxl.load_workbook(book, read_only=True)
    flag_rows = [
        [str(c or "") for c in row] for row in workbook["标记"].iter_rows(values_only=True)
    ]
    codes = {row[4] for row in flag_rows[1:]}
    assert {"target_below_department", "target_number_in_name", "target_quantified_share"} <= codes
    html = page.read_text(encoding="utf-8")
    assert "数值写在了指标名称里" in html and "已量化 3/29 条" in html
