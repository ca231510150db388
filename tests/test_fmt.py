"""The policy formatter: canonical text round-trips to the same policy, and formatting is stable."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from rules_engine.cli import main
from rules_engine.policy.parse import parse_policy
from rules_engine.policy.printer import format_policy

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
POLICIES = sorted(
    [
        *(ROOT / "policies").glob("*.policy"),
        *(DATA / "fmt").glob("*.policy"),
        *(DATA / "broken_policies").glob("*.policy"),
    ]
)
SPELLINGS = {"≥": ">=", "≤": "<=", "≠": "!="}
CASES = yaml.safe_load((DATA / "fmt_cases.yaml").read_text(encoding="utf-8"))


def shape(node: Any) -> Any:
    """A syntax node without its source positions (what must survive formatting)."""
    if dataclasses.is_dataclass(node) and not isinstance(node, type):
        return (
            type(node).__name__,
            tuple(
                (f.name, shape(getattr(node, f.name)))
                for f in dataclasses.fields(node)
                if f.name != "pos"
            ),
        )
    if isinstance(node, (tuple, list)):
        return tuple(shape(x) for x in node)
    if isinstance(node, str):  # the formatter writes operators in ASCII: ≥ and >= are one
        return SPELLINGS.get(node, node)
    return node


def _tree(text: str) -> Any:
    tree, errors = parse_policy(text, "x.policy")
    assert errors == []
    return tree


@pytest.mark.parametrize("path", POLICIES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_round_trip(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tree = _tree(text)
    once = format_policy(tree)
    again_tree = _tree(once)
    assert shape(again_tree.statements) == shape(tree.statements)
    assert [c.text.rstrip() for c in again_tree.comments] == [
        c.text.rstrip() for c in tree.comments
    ]
    assert format_policy(again_tree) == once


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_canonical_text(case: dict[str, str]) -> None:
    assert format_policy(_tree(case["given"])) == case["canonical"]


def test_check_names_files_and_leaves_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    messy = tmp_path / "messy.policy"
    messy.write_text('policy   "x"\nrule 正向 { otherwise=>full }\n', encoding="utf-8")
    before = messy.read_text(encoding="utf-8")
    assert main(["fmt", "--check", str(messy)]) == 1
    assert str(messy) in capsys.readouterr().err
    assert messy.read_text(encoding="utf-8") == before


def test_rewrites_in_place_then_check_passes(tmp_path: Path) -> None:
    messy = tmp_path / "messy.policy"
    messy.write_text('policy   "x"\nrule 正向 { otherwise=>full }  # 注释\n', encoding="utf-8")
    assert main(["fmt", str(messy)]) == 0
    assert messy.read_text(encoding="utf-8") == (
        'policy "x"\n\nrule 正向 {\n  otherwise => full  # 注释\n}\n'
    )
    assert main(["fmt", "--check", str(messy)]) == 0


def test_syntax_error_is_not_formatted(tmp_path: Path) -> None:
    broken = tmp_path / "broken.policy"
    broken.write_text("rule 正向 { when actual >= target full }\n", encoding="utf-8")
    before = broken.read_text(encoding="utf-8")
    assert main(["fmt", str(broken)]) == 2
    assert broken.read_text(encoding="utf-8") == before
