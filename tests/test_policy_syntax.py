"""The policy front end: text → syntax tree, syntax errors located and coded, one run for all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from rules_engine.policy import nodes as s
from rules_engine.policy.build import builder_methods, builder_mixins
from rules_engine.policy.loader import shipped_names
from rules_engine.policy.parse import grammar_rules, parse_policy
from rules_engine.report import format_diagnostic
from rules_engine.resources import policies_dir

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "policy_syntax.yaml").read_text(encoding="utf-8")
)["cases"]


def _where(diag: Any) -> str:
    return f"{diag.code}@{diag.line}:{diag.col}"


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_syntax_case(case: dict[str, Any]) -> None:
    tree, errors = parse_policy(case["text"], "case.policy")
    found = sorted(errors, key=lambda d: (d.line or 0, d.col or 0))
    assert [_where(d) for d in found] == case["errors"]
    if "statements" in case:
        assert [type(x).__name__ for x in tree.statements] == case["statements"]
    for diag in errors:
        assert diag.file == "case.policy"
        assert diag.snippet == case["text"].splitlines()[(diag.line or 1) - 1]


def test_every_grammar_rule_has_one_builder_method() -> None:
    assert grammar_rules() == builder_methods()


def test_no_grammar_rule_is_built_in_two_mixins() -> None:
    # The transformer would silently take the first mixin's method and drop the other.
    names = [n for mixin in builder_mixins() for n in vars(mixin) if not n.startswith("_")]
    assert sorted(names) == sorted(set(names))


@pytest.mark.parametrize("name", shipped_names())
def test_shipped_policies_parse_without_errors(name: str) -> None:
    text = (policies_dir() / f"{name}.policy").read_text(encoding="utf-8")
    tree, errors = parse_policy(text, f"policies/{name}.policy")
    assert errors == []
    assert isinstance(tree.statements[0], s.PolicyDecl)
    assert tree.comments, "shipped policies explain themselves in comments"


def test_positions_point_at_the_source() -> None:
    text = 'policy "x"\nrule 正向 "定量" {\n  otherwise => weight * actual / target\n}\n'
    tree, _ = parse_policy(text)
    rule = tree.statements[1]
    assert isinstance(rule, s.RuleDecl)
    assert (rule.name.text, rule.name.pos.line, rule.name.pos.col) == ("正向", 2, 6)
    clause = rule.items[0]
    assert isinstance(clause, s.Clause) and clause.when is None
    assert (clause.pos.line, clause.pos.col) == (3, 3)
    assert isinstance(clause.result, s.PointsResult)
    expr = clause.result.expr
    assert isinstance(expr, s.BinaryOp) and expr.op == "/"
    assert isinstance(expr.left, s.BinaryOp) and expr.left.op == "*"


def test_percent_literals_are_fractions_and_keep_their_text() -> None:
    tree, _ = parse_policy('policy "x"\nterm 下降 = < -5%\n')
    term = tree.statements[1]
    assert isinstance(term, s.TermDecl)
    assert term.negative and term.value.percent
    assert str(term.value.value) == "0.05" and term.value.text == "5%"


def test_comments_are_kept_with_their_place() -> None:
    tree, _ = parse_policy('# 标题\npolicy "x"  # 说明\n')
    assert [(c.text, c.pos.line, c.pos.col) for c in tree.comments] == [
        ("# 标题", 1, 1),
        ("# 说明", 2, 13),
    ]


def test_a_misspelt_keyword_gets_a_suggestion() -> None:
    _, errors = parse_policy('policy "x"\nrule a { otherwse => full }\n')
    assert [d.suggestion for d in errors] == ["otherwise"]


def test_caret_width_covers_the_full_width_symbol() -> None:
    _, errors = parse_policy('policy "x"\nweights { 产出指标：50 }\n')
    (diag,) = errors
    assert diag.width == 1 and diag.args == {"char": "：", "ascii": ":"}


@settings(derandomize=True, max_examples=100, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            list('policy rule when => full { } [ ] ( ) " # 达成 ： 1 0 % * /\n')
        ),
        max_size=60,
    )
)
def test_any_text_gives_a_tree_and_coded_errors_never_an_exception(text: str) -> None:
    tree, errors = parse_policy(text, "x.policy")
    assert isinstance(tree, s.PolicyFile)
    assert all(d.code.startswith("E3") and d.line is not None for d in errors)
    for diag in errors:  # every message renders in both languages
        assert format_diagnostic(diag, "zh") and format_diagnostic(diag, "en")
