"""The policy compiler: names, scopes, bands, extends checked; all errors of a policy in one run."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rules_engine.cli import main
from rules_engine.policy import loader
from rules_engine.policy import model as m
from rules_engine.policy.compiler import PolicyError, check_policy, compile_policy
from rules_engine.policy.limits import Limits
from rules_engine.report import format_diagnostic
from rules_engine.resources import policies_dir

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "policy_compile.yaml").read_text(encoding="utf-8")
)["cases"]


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_compile_case(case: dict[str, Any]) -> None:
    policy, diagnostics = check_policy("case.policy", text=case["text"])
    ordered = sorted(diagnostics, key=lambda d: (d.line or 0, d.col or 0, d.code))
    found = [f"{d.code}@{d.line}:{d.col}" for d in ordered]
    assert found == sorted(case["diagnostics"], key=_place)
    for code, suggestion in case.get("suggestions", {}).items():
        assert suggestion in [d.suggestion for d in diagnostics if d.code == code]
    for diag in diagnostics:
        assert diag.file == "case.policy" or (diag.file or "").startswith("policies/")
        assert diag.snippet is not None and diag.text("zh") and diag.text("en")
    errors = [d for d in diagnostics if d.severity == "error"]
    assert (policy is None) == bool(errors)
    if "expect" in case:
        assert policy is not None
        data = policy.model_dump(mode="json")
        for path, value in case["expect"].items():
            assert _get(data, path) == value, path


def _place(text: str) -> tuple[int, int, str]:
    code, where = text.split("@")
    line, col = where.split(":")
    return int(line), int(col), code


@pytest.mark.parametrize("name", loader.shipped_names())
def test_shipped_policies_compile_without_findings(name: str) -> None:
    policy, diagnostics = check_policy(name)
    assert diagnostics == []
    assert policy is not None
    assert policy.path == f"policies/{name}.policy"
    assert policy.sources[-1].sha256 == policy.sha256


def test_national_follows_the_suggested_profile() -> None:
    policy = compile_policy("national-2020")
    assert {g.pattern: str(g.weight) for g in policy.weights.groups} == {  # type: ignore[union-attr]
        "产出指标": "50",
        "效益指标": "30",
        "满意度指标": "10",
    }
    assert policy.budget is not None and str(policy.budget.weight) == "10"
    assert [(g.label, g.bound and str(g.bound)) for g in policy.grades] == [
        ("优", "90"),
        ("良", "80"),
        ("中", "60"),
        ("差", None),
    ]
    assert policy.rounding.method == "half_up" and policy.rounding.places == 2
    assert set(policy.rules) == {"正向", "反向", "等于", "区间", "定性", "时限"}
    # Every rule names its source and how sure we are of it.
    for rule in policy.rules.values():
        assert rule.basis and any(tag in rule.basis for tag in ("已见", "厂商", "回忆", "推断"))
    assert policy.vocabulary_of("达成预期指标") == "达成"
    assert policy.vocabulary_of("基本完成") == "部分达成"
    predicate = policy.predicate_of("正增长")
    assert predicate is not None and (predicate.op, str(predicate.value)) == (">", "0")


def test_wuwei_extends_national_and_says_what_is_unverified() -> None:
    policy = compile_policy("wuwei-2021")
    assert [s.name for s in policy.sources] == ["national-2020", "wuwei-2021"]
    assert policy.year == 2021 and policy.region == "武威市"
    assert policy.basis is not None and "未核实" in policy.basis
    assert policy.rules["反向"].overrides is not None
    assert policy.rules["反向"].overrides.cite().startswith("policies/national-2020.policy:")
    assert policy.rules["正向"].loc.file == "policies/national-2020.policy"
    assert "未核实" in (policy.rules["定性"].basis or "")
    assert policy.vocabulary_of("健康发展") == "达成"


def test_clauses_cite_the_policy_line() -> None:
    policy = compile_policy("national-2020")
    text = (policies_dir() / "national-2020.policy").read_text(encoding="utf-8")
    clause = policy.rules["区间"].clauses[-1]
    line = text.splitlines()[clause.loc.line - 1]
    assert "weight * actual / low" in line
    assert clause.loc.cite() == f"policies/national-2020.policy:{clause.loc.line}"


def test_compile_policy_raises_with_every_error() -> None:
    text = 'policy "x"\nrule r { otherwise => actaul }\napply * -> s\n'
    with pytest.raises(PolicyError) as exc:
        compile_policy("bad.policy", text=text)
    assert [d.code for d in exc.value.diagnostics] == ["E325", "E323"]
    assert exc.value.exit_code == 2


def test_relative_extends_cycle_and_broken_parent(tmp_path: Path) -> None:
    (tmp_path / "a.policy").write_text('policy "a"\nextends "b.policy"\n', encoding="utf-8")
    (tmp_path / "b.policy").write_text('policy "b"\nextends "a.policy"\n', encoding="utf-8")
    _, diagnostics = check_policy(str(tmp_path / "a.policy"))
    assert "E321" in [d.code for d in diagnostics]

    (tmp_path / "base.policy").write_text('policy "base"\nrule r { otherwise => x }\n', "utf-8")
    (tmp_path / "child.policy").write_text('policy "c"\nextends "base.policy"\n', "utf-8")
    _, diagnostics = check_policy(str(tmp_path / "child.policy"))
    codes = {(Path(d.file or "").name, d.code) for d in diagnostics}
    assert ("base.policy", "E325") in codes and ("child.policy", "E353") in codes

    (tmp_path / "base.policy").write_text('policy "base"\nrule r { otherwise => 0\n', "utf-8")
    _, diagnostics = check_policy(str(tmp_path / "child.policy"))
    codes = {(Path(d.file or "").name, d.code) for d in diagnostics}
    assert ("base.policy", "E305") in codes and ("child.policy", "E353") in codes


def test_relative_extends_resolves_beside_the_file(tmp_path: Path) -> None:
    sub = tmp_path / "city"
    sub.mkdir()
    (tmp_path / "province.policy").write_text(
        'policy "省"\nextends "national-2020"\ngrades { 优 >= 85 差 }\n', encoding="utf-8"
    )
    (sub / "city.policy").write_text(
        'policy "市"\nextends "../province.policy"\ntolerance 0.5\n', encoding="utf-8"
    )
    # `..` leaves the city's folder: refused, unless the province's folder is on the path.
    _, diagnostics = check_policy(str(sub / "city.policy"))
    assert [d.code for d in diagnostics] == ["E551"]
    policy = compile_policy(str(sub / "city.policy"), limits=Limits(policy_path=(tmp_path,)))
    assert [s.name for s in policy.sources] == ["national-2020", "province", "city"]
    assert [g.label for g in policy.grades] == ["优", "差"]
    assert str(policy.tolerance) == "0.5"


def test_unreadable_policy_is_e300() -> None:
    policy, diagnostics = check_policy("no/such/file.policy")
    assert policy is None and [d.code for d in diagnostics] == ["E300"]


def test_path_patterns_and_terms_match_as_documented() -> None:
    pattern = m.PathPattern(segments=("*", "成本指标"))
    assert pattern.matches("产出指标", "成本指标", "x")
    assert not pattern.matches("成本指标", None, "x")
    assert m.PathPattern(segments=("产出*",)).matches("产出指标", None, None)
    assert m.normalize_term(" 达成 预期 ") == "达成预期"
    assert m.glob_match("*满意度*", "服务对象满意度指标")


# -- the `check` command


def test_check_passes_shipped_policies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "national-2020", "wuwei-2021"]) == 0
    out = capsys.readouterr().out
    assert out.count("通过") == 2 and "6 条规则" in out


def test_check_reports_all_errors_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = next(c for c in CASES if c["name"].startswith("acceptance"))
    path = tmp_path / "bad.policy"
    path.write_text(case["text"], encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    for code in ("E323", "E324", "E328"):
        assert code in err
    assert "你是不是想写「达成」" in err
    assert main(["--lang", "en", "check", str(path)]) == 1
    assert "unknown rule '反向'" in capsys.readouterr().err


def test_check_a_folder_checks_every_policy_in_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(policies_dir())]) == 0
    assert capsys.readouterr().out.count("通过") == len(loader.shipped_names())
    assert main(["check", str(tmp_path)]) == 2
    assert "E300" in capsys.readouterr().err


def test_check_lists_the_shipped_policies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list"]) == 0
    rows = [line.split() for line in capsys.readouterr().out.splitlines()]
    assert [r[:3] for r in rows] == [
        ["changjiang-2020", "2020", "-"],
        ["national-2020", "2020", "全国"],
        ["national-department-2020", "2020", "全国"],
        ["wuwei-2021", "2021", "武威市"],
        ["yueyang-department", "-", "岳阳市"],
    ]
    assert main(["check"]) == 2
    assert "E201" in capsys.readouterr().err


def test_check_unreadable_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "no/such.policy"]) == 2
    err = capsys.readouterr().err
    assert "E300" in err
    assert "无法读取策略文件：文件不存在" in err
    assert main(["--lang", "en", "check", "no/such.policy"]) == 2
    assert "cannot read the policy file: no such file" in capsys.readouterr().err


_NATIONAL_WORDS = re.split(r"(\s+)", (policies_dir() / "national-2020.policy").read_text("utf-8"))


@settings(derandomize=True, max_examples=12, deadline=None)
@given(st.lists(st.integers(0, len(_NATIONAL_WORDS) - 1), min_size=1, max_size=3))
def test_a_damaged_policy_gives_located_errors_never_an_exception(cuts: list[int]) -> None:
    words = list(_NATIONAL_WORDS)
    for index in cuts:
        words[index] = ""
    policy, diagnostics = check_policy("damaged.policy", text="".join(words))
    errors = [d for d in diagnostics if d.severity == "error"]
    assert (policy is None) == bool(errors)
    assert all(d.code.startswith("E3") and d.line is not None for d in diagnostics)
    for diag in diagnostics:  # every message renders in both languages
        assert format_diagnostic(diag, "zh") and format_diagnostic(diag, "en")


@pytest.mark.parametrize("name", loader.shipped_names())
def test_compiling_twice_gives_the_same_bytes(name: str) -> None:
    first = compile_policy(name).model_dump_json()
    assert compile_policy(name).model_dump_json() == first
