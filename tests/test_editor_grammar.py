"""The TextMate grammar for .policy files (editors/vscode) keeps up with the policy language."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from rules_engine.policy.keywords import TOP_KEYWORDS
from rules_engine.policy.scan import SECOND_WORDS
from rules_engine.resources import grammar_text

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"
GRAMMAR: dict[str, Any] = json.loads(
    (EXTENSION / "syntaxes" / "policy.tmLanguage.json").read_text(encoding="utf-8")
)
# Every English word the policy grammar (grammar/policy.lark) accepts as a keyword.
KEYWORDS = sorted(set(re.findall(r'"([a-z_]+)"', grammar_text("policy"))))


def patterns() -> list[tuple[str, str]]:
    """(scope, regex) of every `match` rule in the grammar."""
    found: list[tuple[str, str]] = []
    for rule in GRAMMAR["repository"].values():
        for item in rule.get("patterns", [rule]):
            if "match" in item:
                found.append((item.get("name", ""), item["match"]))
    return found


def scopes_of(text: str) -> set[str]:
    """The scopes whose pattern matches exactly `text` somewhere in a line holding only it."""
    return {
        scope
        for scope, regex in patterns()
        if scope and any(m.group() == text for m in re.finditer(regex, text))
    }


def test_every_pattern_compiles() -> None:
    for _, regex in patterns():
        re.compile(regex)


@pytest.mark.parametrize("word", KEYWORDS)
def test_every_keyword_is_coloured(word: str) -> None:
    assert scopes_of(word), f"{word} has no scope in the TextMate grammar"


def test_statement_keywords_are_statements() -> None:
    for word in TOP_KEYWORDS - SECOND_WORDS.keys():
        assert "keyword.control.statement.policy" in scopes_of(word), word


@pytest.mark.parametrize("word", sorted(SECOND_WORDS))
def test_two_word_statements_are_statements(word: str) -> None:
    """``review targets`` opens a statement; a bare ``review "理由"`` stays a clause's result."""
    head = GRAMMAR["repository"][f"{word}-head"]
    found = re.match(head["match"], f"  {word} {SECOND_WORDS[word]} {{")
    assert found is not None
    assert {c["name"] for c in head["captures"].values()} == {"keyword.control.statement.policy"}
    assert re.match(head["match"], f'{word} "理由"') is None
    assert "keyword.control.clause.policy" in scopes_of(word)


def test_check_lines_name_their_check() -> None:
    found = re.match(GRAMMAR["repository"]["check-head"]["match"], "  check not_quantified on *")
    assert found is not None and found.group(2) == "not_quantified"


def test_names_and_literals() -> None:
    line = 'rule 正向 "定量正向指标" {  # 注释'
    head = re.match(GRAMMAR["repository"]["rule-head"]["match"], line)
    assert head is not None and head.group(2) == "正向"
    apply = re.search(GRAMMAR["repository"]["apply-target"]["match"], "apply target is > -> 正向")
    assert apply is not None and apply.group(2) == "正向"
    assert (
        re.search(GRAMMAR["repository"]["apply-target"]["match"], 'apply * -> review "x"') is None
    )
    assert "constant.numeric.policy" in scopes_of("80%")
    assert "comment.line.number-sign.policy" in scopes_of("# 说明")
    assert "variable.language.policy" in scopes_of("实际完成值")
    assert not scopes_of("达成") & {"keyword.control.clause.policy", "variable.language.policy"}


def test_the_extension_points_at_its_files() -> None:
    package = json.loads((EXTENSION / "package.json").read_text(encoding="utf-8"))
    [language] = package["contributes"]["languages"]
    [grammar] = package["contributes"]["grammars"]
    assert language["extensions"] == [".policy"]
    assert grammar["scopeName"] == GRAMMAR["scopeName"] == "source.policy"
    for relative in (language["configuration"], grammar["path"], package["main"]):
        assert (EXTENSION / relative).is_file(), relative
    default = package["contributes"]["configuration"]["properties"]["rulesEngine.server"]
    assert default["default"] == ["rules-engine", "lsp"]
