"""`explain`: choosing the policy, --line parsing, --strict; goldens of the seed in every format."""

from __future__ import annotations

import difflib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine import app as scoring
from rules_engine.commands import explain
from rules_engine.diagnostics import UserError
from rules_engine.model import Document, Form
from rules_engine.policy.loader import ShippedPolicy
from rules_engine.policy.model import CompiledPolicy

HERE = Path(__file__).parent
CHOOSE = yaml.safe_load((HERE / "data" / "explain" / "choose.yaml").read_text(encoding="utf-8"))


def _policy(name: str, year: int, region: str | None) -> CompiledPolicy:
    return CompiledPolicy(
        name=name,
        title=name,
        year=year,
        region=region,
        path=f"policies/{name}.policy",
        sha256="0" * 64,
        sources=(),
        vocabularies={},
        predicates={},
        rules={},
        dispatch=(),
        tolerance=Decimal(0),
    )


@pytest.mark.parametrize("case", CHOOSE, ids=[c["id"] for c in CHOOSE])
def test_policy_chosen_for_the_form(case: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    # Each shipped policy: [year, region] and, optionally, the kinds it scores and its about-words.
    specs = {
        name: (*spec[:2], spec[2] if len(spec) > 2 else None, spec[3] if len(spec) > 3 else ())
        for name, spec in case["shipped"].items()
    }
    fakes = {name: _policy(name, year, region) for name, (year, region, _, _) in specs.items()}
    ships = tuple(
        ShippedPolicy(
            name,
            name,
            year,
            region,
            Path(f"/nowhere/{name}.policy"),
            None,
            tuple(kinds or ("project-self-evaluation", "transfer-self-evaluation")),
            tuple(about),
        )
        for name, (year, region, kinds, about) in specs.items()
    )
    monkeypatch.setattr(scoring, "shipped", lambda: ships)
    monkeypatch.setattr(scoring, "compile_file", lambda path, *_: fakes[Path(path).stem])
    fields = {"kind": "project-self-evaluation", **case["form"]}
    forms = [Form(**fields)]
    document = Document(forms=forms, context=case.get("context", ""))
    choice = scoring.Policies().for_document(document, case.get("region"))
    assert choice.policy.name == case["chosen"]
    assert case["chosen"] in choice.reason("zh")
    assert case["chosen"] in choice.reason("en")


def test_unknown_policy_name_suggests_the_closest(monkeypatch: pytest.MonkeyPatch) -> None:
    ship = ShippedPolicy("national-2020", "全国", 2020, None, Path("/nowhere/n.policy"), None)
    monkeypatch.setattr(scoring, "shipped", lambda: (ship,))
    with pytest.raises(UserError) as caught:
        scoring.Policies().named("nationl-2020")
    diag = caught.value.diagnostics[0]
    assert diag.code == "E452"
    assert diag.suggestion == "national-2020"
    assert caught.value.exit_code == 2


def test_unknown_region_lists_the_shipped_regions(monkeypatch: pytest.MonkeyPatch) -> None:
    ship = ShippedPolicy("wuwei-2021", "武威", 2021, "武威市", Path("/nowhere/w.policy"), None)
    monkeypatch.setattr(scoring, "shipped", lambda: (ship,))
    document = Document(forms=[Form(kind="project-self-evaluation", year=2021)])
    with pytest.raises(UserError) as caught:
        scoring.Policies().for_document(document, "兰州")
    diag = caught.value.diagnostics[0]
    assert diag.code == "E456"
    assert "武威市" in diag.hint("zh")
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("6", (1, 6)),
        ("2:3", (2, 3)),
        (" 13 ", (1, 13)),
        ("2：4", (2, 4)),
        ("budget", (1, 0)),
        ("预算", (1, 0)),
        ("2:total", (2, -1)),
        ("总分", (1, -1)),
    ],
)
def test_line_option(text: str, wanted: tuple[int, int]) -> None:
    assert explain.parse_line(text) == wanted


@pytest.mark.parametrize("text", ["six", "0", "-1", "1:0", "1:2:3", "", "0:budget", "1:2:total"])
def test_bad_line_option(text: str) -> None:
    with pytest.raises(UserError) as caught:
        explain.parse_line(text)
    assert caught.value.diagnostics[0].code == "E450"
    assert caught.value.exit_code == 2


GOLDENS = yaml.safe_load((HERE / "data" / "explain" / "goldens.yaml").read_text(encoding="utf-8"))
GOLDEN_DIR = HERE / "golden" / "explain"


def _run_cli(args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: Any) -> tuple[int, str]:
    from rules_engine.cli import main

    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(HERE / "fixtures" / "explain")
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out + captured.err


@pytest.mark.parametrize("case", GOLDENS, ids=[c["id"] for c in GOLDENS])
def test_golden(
    case: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    request: pytest.FixtureRequest,
) -> None:
    code, out = _run_cli(case["args"], monkeypatch, capsys)
    assert code == case.get("exit", 0), out
    golden = GOLDEN_DIR / case["golden"]
    if request.config.getoption("--update-golden", default=False):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(out.encode("utf-8"))
    assert golden.exists(), f"no golden file {golden}; run pytest --update-golden and review it"
    expected = golden.read_bytes()
    if out.encode("utf-8") != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8").splitlines(),
            out.splitlines(),
            f"{golden.name} (golden)",
            f"{golden.name} (now)",
            lineterm="",
        )
        shown = "\n".join(list(diff)[:60])
        pytest.fail(
            f"explain output differs from {golden}; if the change is meant, run "
            f"`pytest tests/test_explain.py --update-golden` and review the diff:\n{shown}"
        )


def test_seed_acceptance_under_the_national_policy(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run_cli(
        ["explain", "seed.txt", "--policy", "national-2020", "--format", "json"],
        monkeypatch,
        capsys,
    )
    assert code == 0, out
    doc = json.loads(out)
    assert doc["policy"]["path"] == "policies/national-2020.policy"
    first = doc["forms"][0]
    lines = {line["name"]: line for line in first["lines"]}
    assert len(first["lines"]) == 13
    fair = lines["指标3：参加展会情况"]
    assert (fair["target"], fair["actual"], fair["weight"]) == ("3-5家", "2", "10")
    assert fair["score"] == "6.67"
    assert fair["self_score"] == "8"
    assert fair["delta"] == "-1.33"
    assert any("10 × 2 ÷ 3 = 6.6666" in step["text"] for step in fair["steps"]), fair["steps"]
    assert "missing_note" in [flag["code"] for flag in fair["flags"]]
    assert fair["source"].startswith("policies/national-2020.policy:")
    trips = lines["指标1：外出考察次数"]
    assert trips["score"] == "10"
    assert trips["outcome"] == "met"
    assert first["total"]["self_score"] == "90"
    assert first["total"]["grade"] is not None
    # The targets-only form is explained without invented scores.
    second = doc["forms"][1]
    assert second["form"]["kind"] == "targets-only"
    assert all(line["score"] is None for line in second["lines"])


def test_strict_exits_1_when_flags_fire(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = _run_cli(
        ["explain", "seed.txt", "--strict", "--format", "json"], monkeypatch, capsys
    )
    assert code == 1
    assert "E455" in out
    code, out = _run_cli(["explain", "seed.txt", "--format", "json"], monkeypatch, capsys)
    assert code == 0
    assert "E455" not in out


def test_narrow_targets_only_view_summarises_unquantified_targets(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from rules_engine.cli import main

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.chdir(HERE / "fixtures" / "explain")
    assert main(["explain", "seed.txt"]) == 0
    narrow = capsys.readouterr().out
    targets_part = narrow.split("目标表：只列目标，不计分。", 1)[1]
    # The policy's target review sums them up (the engine's own summary line then gives way).
    assert "已量化 3/29 条；未量化：第3–22、24–29行" in targets_part
    assert "目标未量化的指标" not in targets_part
    assert "target_not_quantified" not in targets_part
