"""`rules-engine policies` lists the shipped policies, and `explain` chooses among them by the
form's kind, place and year (a department sheet is never scored with project rules)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rules_engine.app import Policies, read_document
from rules_engine.cli import main
from rules_engine.engine import evaluate
from rules_engine.model import Document, Form, IndicatorLine
from rules_engine.policy.loader import shipped_names

SEED = Path(__file__).parent / "fixtures" / "seed" / "000_111099e829c6ea1e.txt"


def test_json_lists_every_shipped_policy_with_its_kinds_and_basis(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["policies", "--format", "json"]) == 0
    listed = {p["name"]: p for p in json.loads(capsys.readouterr().out)["policies"]}
    assert sorted(listed) == shipped_names()
    assert all(p["basis"] for p in listed.values())
    assert listed["national-2020"]["kinds"] == [
        "project-self-evaluation",
        "transfer-self-evaluation",
    ]
    assert listed["national-department-2020"]["kinds"] == ["department-self-evaluation"]
    assert listed["yueyang-department"] | {"basis": ""} == {
        "name": "yueyang-department",
        "title": "岳阳市市直部门整体支出绩效自评评分规则",
        "region": "岳阳市",
        "year": None,
        "kinds": ["department-self-evaluation"],
        "about": [],
        "extends": None,
        "basis": "",
        "path": "policies/yueyang-department.policy",
    }
    assert listed["changjiang-2020"]["about"] == ["禁捕", "退捕"]
    assert listed["changjiang-2020"]["year"] == 2020
    # an extending policy without its own `forms` line scores what it extends
    assert listed["wuwei-2021"]["kinds"] == listed["national-2020"]["kinds"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "zh",
            [
                "名称",
                "岳阳市",
                "部门整体支出",
                "项目支出、转移支付",
                "写有「禁",
                "S-CJJB",
            ],
        ),
        ("en", ["name", "department", "project, transfer", "naming"]),
    ],
)
def test_text_table(lang: str, words: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", lang, "policies"]) == 0
    out = capsys.readouterr().out
    for name in shipped_names():
        assert name in out
    for word in words:
        assert word in out, word


def _form(kind: str, **fields: object) -> Document:
    line = IndicatorLine(name="三公经费控制率", target="≤100%", actual="104.5%", weight="6")
    return Document(forms=[Form(kind=kind, indicators=[line], **fields)])


@pytest.mark.parametrize(
    ("document", "chosen"),
    [
        (
            _form("department-self-evaluation", year=2021, department="岳阳市财政局"),
            "yueyang-department",
        ),
        (
            _form("department-self-evaluation", year=2021, unit="某县林业局"),
            "national-department-2020",
        ),
        (_form("project-self-evaluation", year=2021, unit="岳阳市某中心"), "national-2020"),
        (
            _form("project-self-evaluation", year=2020, project="长江禁捕退捕渔民补助"),
            "changjiang-2020",
        ),
        (
            _form("project-self-evaluation", year=2020, project="服务外向型经济工作经费"),
            "national-2020",
        ),
    ],
    ids=["yueyang-department", "department-elsewhere", "project-in-yueyang", "jinbu", "other-2020"],
)
def test_shipped_policy_chosen_by_kind_place_and_year(document: Document, chosen: str) -> None:
    choice = Policies().for_document(document)
    assert choice.policy.name == chosen
    # whatever is chosen scores the form's kind: nothing is refused
    result = evaluate(choice.policy, document).forms[0]
    assert "kind_refused" not in result.total.reasons


def test_yueyang_department_sheet_is_scored_by_its_own_rules() -> None:
    document = _form("department-self-evaluation", year=2021, department="岳阳市财政局")
    line = evaluate(Policies().for_document(document).policy, document).forms[0].lines[0]
    assert (line.rule, str(line.score)) == ("三公经费控制率", "1.50")


def test_the_seed_still_chooses_wuwei() -> None:
    document = read_document(str(SEED))
    assert Policies().for_document(document).policy.name == "wuwei-2021"
