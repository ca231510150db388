"""The prebuilt parse tables match their grammars, load as lark builds them, and hold data only."""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable

import pytest
from lark import Lark
from lark.lexer import TerminalDef

from rules_engine import lark_tables
from rules_engine.lark_tables import PARSERS, build_tables, load_parser, prebuilt, terminals
from rules_engine.resources import grammar_tables, grammar_text, policies_dir

REGENERATE = "run `make grammars` and commit the table files"


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_tables_were_built_from_this_grammar(name: str) -> None:
    raw = grammar_tables(name)
    assert raw is not None, f"grammar/{name}.lalr.pickle is missing: {REGENERATE}"
    key = pickle.loads(raw)["key"]
    digest = hashlib.sha256(grammar_text(name).encode("utf-8")).hexdigest()
    assert key["grammar_sha256"] == digest, f"grammar/{name}.lark changed: {REGENERATE}"
    assert key["options"] == dict(PARSERS[name]), f"the {name} parser's options: {REGENERATE}"
    assert prebuilt(name) is not None, f"another lark than {key['lark']} is installed: {REGENERATE}"


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_tables_are_exactly_what_make_grammars_writes(name: str) -> None:
    assert grammar_tables(name) == build_tables(name), f"grammar/{name}.lalr.pickle: {REGENERATE}"


def _policy_texts() -> list[str]:
    return [path.read_text(encoding="utf-8") for path in sorted(policies_dir().glob("*.policy"))]


def test_loaded_policy_parser_parses_as_the_built_one() -> None:
    texts = _policy_texts()
    assert texts
    loaded = load_parser("policy", propagate_positions=True)
    built = Lark(grammar_text("policy"), propagate_positions=True, **PARSERS["policy"])
    for text in texts:
        first, second = loaded.parse(text), built.parse(text)
        assert first == second
        assert (first.meta.line, first.meta.end_line) == (second.meta.line, second.meta.end_line)


@pytest.mark.parametrize("text", [">=95%", "1-2次", "2021年12月底前完成", "合规", "每亩300"])
def test_loaded_target_parser_parses_as_the_built_one(text: str) -> None:
    loaded = load_parser("target")
    built = Lark(grammar_text("target"), **PARSERS["target"])
    assert loaded.parse(text) == built.parse(text)


def test_stale_tables_are_not_used(monkeypatch: pytest.MonkeyPatch) -> None:
    stale = pickle.loads(build_tables("target"))
    stale["key"]["grammar_sha256"] = "0" * 64
    monkeypatch.setattr(lark_tables, "grammar_tables", lambda name: pickle.dumps(stale))
    assert prebuilt("target") is None
    # The parser is then built from the grammar: slower, still right.
    assert load_parser("target").parse(">=95%") is not None


def test_tables_that_name_a_class_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = pickle.dumps({"key": lark_tables._key("target"), "data": pickle.PickleError})
    monkeypatch.setattr(lark_tables, "grammar_tables", lambda name: hostile)
    assert prebuilt("target") is None


def test_missing_or_damaged_tables_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lark_tables, "grammar_tables", lambda name: None)
    assert prebuilt("policy") is None
    monkeypatch.setattr(lark_tables, "grammar_tables", lambda name: b"\x80\x04not a pickle")
    assert prebuilt("policy") is None


@pytest.mark.parametrize("name", sorted(PARSERS))
def test_terminals_read_from_the_tables_are_the_parsers_own(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def shown(found: Iterable[TerminalDef]) -> list[tuple[str, str, int]]:
        return [(t.name, t.pattern.to_regexp(), t.priority) for t in found]

    from_tables = shown(terminals(name))
    assert from_tables, "no terminals read"
    assert from_tables == shown(load_parser(name).terminals)
    # Stale tables: the terminals come from a parser built from the grammar, the same ones.
    monkeypatch.setattr(lark_tables, "prebuilt", lambda name: None)
    assert shown(terminals(name)) == from_tables
