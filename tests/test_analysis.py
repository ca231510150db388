"""Static analysis: exact interval arithmetic, and broken policies caught by `check`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.policy.analysis import analyze
from rules_engine.policy.compiler import check_policy
from rules_engine.policy.intervals import Interval, gaps

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "broken_policies"
CASES = yaml.safe_load((DATA / "analysis_cases.yaml").read_text(encoding="utf-8"))
INTERVALS = yaml.safe_load((DATA / "interval_cases.yaml").read_text(encoding="utf-8"))


def interval(spec: list[Any]) -> Interval:
    low, high = spec[1], spec[2]
    return Interval(
        None if low is None else Decimal(low),
        None if high is None else Decimal(high),
        spec[0] == "[",
        spec[3] == "]",
    )


@pytest.mark.parametrize("case", INTERVALS["intersect"], ids=lambda c: c["name"])
def test_intersect(case: dict[str, Any]) -> None:
    common = interval(case["a"]).intersect(interval(case["b"]))
    assert (None if common is None else str(common)) == case["want"]
    again = interval(case["b"]).intersect(interval(case["a"]))
    assert (None if again is None else str(again)) == case["want"]


@pytest.mark.parametrize("case", INTERVALS["gaps"], ids=lambda c: c["name"])
def test_gaps(case: dict[str, Any]) -> None:
    found = gaps([interval(p) for p in case["pieces"]], interval(case["within"]))
    assert [str(g) for g in found] == case["want"]


def findings(path: Path) -> list[tuple[str, int | None, str]]:
    """What `check` reports: the compiler's diagnostics, then the analysis of the result."""
    policy, diags = check_policy(str(path))
    if policy is not None:
        diags = [*diags, *analyze(policy)]
    return [(d.code, d.line, d.text("en")) for d in diags]


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_broken_policy_is_caught(case: dict[str, Any]) -> None:
    found = findings(BROKEN / case["policy"])
    assert [(code, line) for code, line, _ in found] == [
        (want["code"], want["line"]) for want in case["found"]
    ]
    for (_, _, text), want in zip(found, case["found"], strict=True):
        assert want["text"] in text


def test_bands_print_as_the_policy_writes_them() -> None:
    policy, _ = check_policy(str(BROKEN / "qualitative_gap.policy"))
    assert policy is not None
    [diag] = analyze(policy)
    assert diag.text("zh") == "「定性」的分档之间有空档 [70%, 80%)：落在其中的值没有分档"
    assert diag.snippet is not None and "accept [80%, 100%]" in diag.snippet


def test_a_shadowed_apply_of_the_extended_policy_names_the_file_that_shadows_it() -> None:
    text = (
        'policy "名称遮蔽" year 2020\nextends "yueyang-department"\n'
        "apply name 三公经费控制率, 预算调整率 -> 三公经费控制率\n"
        'apply name "指标3：三公经费控制率" -> 预算调整率\n'
    )
    policy, _ = check_policy("名称遮蔽.policy", text=text)
    assert policy is not None
    found = [d for d in analyze(policy) if d.code == "E508"]
    own = [d for d in found if d.file == "名称遮蔽.policy"]
    parent = [d for d in found if d.file != "名称遮蔽.policy"]
    # The child's second line repeats a name of its first (numbering aside).
    assert [(d.line, d.text("zh")) for d in own] == [
        (4, "这条 apply 永远不会生效：第 3 行的 apply 已接收它能匹配的每一行")
    ]
    # The parent's own 三公经费控制率 and 预算调整率 lines are taken by the child's first line.
    assert len(parent) == 2
    assert all("名称遮蔽.policy line 3" in d.text("en") for d in parent)
