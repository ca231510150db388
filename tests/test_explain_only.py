"""`explain --only partial|flags|changed`: the lines listed are picked from the scorecard's data,
the same in every format and language, and the totals are never narrowed."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from rules_engine.app import Policies, evaluate, read_document
from rules_engine.cli import main
from rules_engine.render import select
from rules_engine.scorecard import LineResult, Scorecard

HERE = Path(__file__).parent
SEED = next((HERE / "fixtures" / "corpus" / "seed").glob("*.txt"))
FORMS = sorted((HERE / "fixtures" / "corpus" / "forms").glob("*.txt"))


@cache
def _card(path: Path) -> Scorecard:
    document = read_document(str(path))
    return evaluate(Policies().for_document(document, None).policy, document)


def _by_hand(line: LineResult, kind: str) -> bool:
    """What each kind means, written out from the scorecard's fields."""
    if kind == "partial":
        return line.score is not None and line.weight is not None and line.score < line.weight
    if kind == "flags":
        return any(flag.severity in ("warning", "error") for flag in line.flags)
    assert kind == "changed"
    return line.tail.within_tolerance is False


@cache
def _readable(paths: tuple[Path, ...]) -> list[Path]:
    from rules_engine.diagnostics import UserError

    found = []
    for path in paths:
        try:
            read_document(str(path))
        except UserError:
            continue
        found.append(path)
    return found


@pytest.mark.parametrize("kind", select.KINDS)
def test_each_kind_lists_exactly_its_lines_on_every_corpus_form(kind: str) -> None:
    listed_somewhere = left_out_somewhere = 0
    for path in [SEED, *_readable(tuple(FORMS))]:
        for result in _card(path).forms:
            view = select.view(result, frozenset({kind}))  # type: ignore[arg-type]
            expected = [line.index for line in result.lines if _by_hand(line, kind)]
            assert [line.index for line in view.lines] == expected, (path.name, kind)
            assert view.total is result.total and view.budget is result.budget
            listed_somewhere += len(expected)
            left_out_somewhere += len(result.lines) - len(expected)
    # The corpus has lines of both sorts for every kind, so the filter is really exercised.
    assert listed_somewhere and left_out_somewhere


def test_kinds_together_list_the_union() -> None:
    for result in _card(SEED).forms:
        both = select.view(result, frozenset({"partial", "changed"}))
        alone = {
            line.index
            for kind in ("partial", "changed")
            for line in select.view(result, frozenset({kind})).lines
        }
        assert {line.index for line in both.lines} == alone


def test_no_kind_lists_every_line() -> None:
    result = _card(SEED).forms[0]
    assert select.view(result, select.EVERY) is result
    assert select.notice(result, select.EVERY, "zh") is None


def test_text_lists_only_the_partial_lines_and_keeps_the_totals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["explain", str(SEED)]) == 0
    whole = capsys.readouterr().out
    assert main(["explain", str(SEED), "--only", "partial"]) == 0
    narrowed = capsys.readouterr().out
    card = _card(SEED)
    partial = [line for line in card.forms[0].lines if _by_hand(line, "partial")]
    others = [line for line in card.forms[0].lines if not _by_hand(line, "partial")]
    assert partial and others
    shown = f"只列出未得满分的指标：{len(partial)} / {len(card.forms[0].lines)} 条"
    assert shown in narrowed
    rows = {int(m) for m in re.findall(r"^(\d+)\s", narrowed, re.M)}
    assert {line.index for line in partial} <= rows
    assert not rows & {line.index for line in others}
    total = re.search(r"复核总分 [\d.]+", whole)
    assert total is not None and total.group(0) in narrowed


def test_json_says_what_was_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(SEED), "--format", "json"]) == 0
    whole = json.loads(capsys.readouterr().out)
    assert "listed" not in whole["forms"][0]
    assert main(["explain", str(SEED), "--format", "json", "--only", "flags,changed"]) == 0
    narrowed = json.loads(capsys.readouterr().out)
    for all_of, some in zip(whole["forms"], narrowed["forms"], strict=True):
        assert some["total"] == all_of["total"] and some["budget"] == all_of["budget"]
        kept = [
            line
            for line in all_of["lines"]
            if any(f["severity"] != "info" for f in line["flags"]) or _outside_tolerance(line)
        ]
        assert some["lines"] == kept
        assert some["listed"] == {
            "only": ["flags", "changed"],
            "lines": len(kept),
            "of": len(all_of["lines"]),
        }


def _outside_tolerance(line: dict[str, Any]) -> bool:
    """The JSON's own record of the comparison: the ``delta`` step's ``within`` argument."""
    return any(step["kind"] == "delta" and not step["args"]["within"] for step in line["steps"])


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_documents_carry_the_notice_in_english(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--lang", "en", "explain", str(SEED), "--format", fmt, "--only", "changed"]) == 0
    out = capsys.readouterr().out
    card = _card(SEED)
    changed = [line for line in card.forms[0].lines if _by_hand(line, "changed")]
    assert f"listing only lines policy and self-score disagree: {len(changed)} of" in out


def test_unknown_kind_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["explain", str(SEED), "--only", "partial,wrong"]) == 2
    err = capsys.readouterr().err
    assert "E457" in err and "wrong" in err and "partial" in err


def test_only_with_line_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "explain", str(SEED), "--only", "partial", "--line", "6"]) == 2
    assert "E458" in capsys.readouterr().err
