"""Renderers on a hand-made scorecard: what each format shows, the JSON contract, determinism."""

from __future__ import annotations

import ast
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from rules_engine.model import Document, Form
from rules_engine.render import html, markdown, text
from rules_engine.render import json as render_json
from rules_engine.render.form_steps import FORM_STEPS
from rules_engine.render.line_steps import LINE_STEPS
from rules_engine.render.steps import STEPS
from rules_engine.scorecard import Flag, Scorecard
from tests import handmade
from tests.strategies import forms

HERE = Path(__file__).parent
CASES = yaml.safe_load((HERE / "data" / "render" / "cases.yaml").read_text(encoding="utf-8"))


def _card() -> Scorecard:
    return handmade.card()


def _render(
    card: Scorecard,
    fmt: str,
    lang: Any,
    line: tuple[int, int] | None,
    notes: dict[str, tuple[str | None, str | None]] | None = None,
) -> str:
    if fmt == "text":
        buffer = io.StringIO()
        console = Console(file=buffer, width=120, color_system=None, force_terminal=False)
        text.render(card, console, lang, line=line, notes=notes)
        return buffer.getvalue()
    if fmt == "markdown":
        return markdown.render(card, lang, line=line, notes=notes)
    if fmt == "html":
        return html.render(card, lang, line=line, notes=notes)
    return render_json.render(card, lang, line=line)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_render_shows(case: dict[str, Any]) -> None:
    line = tuple(case["line"]) if "line" in case else None
    notes = {k: tuple(v) for k, v in case["notes"].items()} if "notes" in case else None
    out = _render(_card(), case["format"], case["lang"], line, notes)
    for wanted in case.get("contains", []):
        assert wanted in out, f"missing {wanted!r} in:\n{out}"
    for unwanted in case.get("absent", []):
        assert unwanted not in out, f"unexpected {unwanted!r} in:\n{out}"


def test_text_has_no_trailing_blanks() -> None:
    out = _render(_card(), "text", "zh", None)
    assert all(row == row.rstrip() for row in out.splitlines())


LINE_KEYS = [
    "index", "level1", "level2", "name", "target", "actual", "weight", "rule", "source",
    "outcome", "score", "self_score", "delta", "steps", "flags",
]  # fmt: skip


def test_json_follows_the_contract() -> None:
    doc = json.loads(_render(_card(), "json", "zh", None))
    assert list(doc) == ["policy", "forms"]
    assert list(doc["policy"]) == ["name", "year", "path", "sha256", "title"]
    first = doc["forms"][0]
    assert list(first)[:5] == ["form", "lines", "budget", "total", "flags"]
    line = first["lines"][1]
    assert list(line)[: len(LINE_KEYS)] == LINE_KEYS
    assert line["score"] == "6.67"
    assert line["self_score"] == "8"
    assert line["delta"] == "-1.33"
    assert line["weight"] == "10"
    assert line["source"] == "policies/national-2020.policy:32"
    assert line["outcome"] == "partial"
    assert line["flags"] == [
        {
            "code": "missing_note",
            "message": "未填偏差原因",
            "severity": "warning",
            "source": "policies/national-2020.policy:70",
        }
    ]
    assert line["steps"][4]["value"] == "6.666666666666666666666666667"
    assert line["target_value"] == {"kind": "range", "low": "3", "high": "5", "unit": "家"}
    assert first["budget"]["rate"] == "1"
    assert first["budget"]["score"] == "10"
    assert first["budget"]["computed"] == "10"
    # DESIGN §5: a total with a pending line and weights short of 100 is a range, not a grade.
    assert first["total"] == {
        **first["total"],
        "score": "36.67",
        "self_score": "36",
        "weight": "40",
        "grade": None,
        "final": False,
        "low": "36.67",
        "high": "96.67",
        "grades": ["优", "良", "中", "差"],
        "reasons": ["lines_pending", "weights_short"],
    }
    assert first["form"]["indicators"][1]["name"] == "指标3：参加展会情况"
    # A targets-only form has no budget and invents no score.
    second = doc["forms"][1]
    assert second["budget"] is None
    assert {line["score"] for line in second["lines"]} == {None}


def test_json_messages_follow_lang() -> None:
    doc = json.loads(_render(_card(), "json", "en", None))
    line = doc["forms"][0]["lines"][1]
    assert line["flags"][0]["message"] == "no deviation note"
    assert line["steps"][0]["text"] == "target '3-5家' read as the range 3 to 5家"


def test_json_line_only() -> None:
    doc = json.loads(_render(_card(), "json", "zh", (1, 2)))
    assert list(doc) == ["policy", "form", "line"]
    assert doc["line"]["name"] == "指标3：参加展会情况"


def test_json_keeps_chinese_unescaped() -> None:
    out = _render(_card(), "json", "zh", None)
    assert "参加展会情况" in out
    assert "\\u" not in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_same_input_same_bytes(fmt: str) -> None:
    assert _render(_card(), fmt, "zh", None) == _render(_card(), fmt, "zh", None)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("width", [60, 80, 100, 110, 119, 120, 160])
def test_text_never_wider_than_the_console(lang: str, width: int) -> None:
    # Rich crops a row wider than the console, which would silently lose text.
    card = _card()
    # Words (characters) that appear nowhere else, so a cropped one is missed.
    zh = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    en = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike"
    long_flag = Flag(code="missing_note", text=(zh, en))
    first = card.forms[0]
    line = replace(first.lines[0], flags=(long_flag,))
    form = replace(first, lines=(line, *first.lines[1:]))
    card = replace(card, forms=(form, *card.forms[1:]))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    text.render(card, console, lang)  # type: ignore[arg-type]
    out = buffer.getvalue()
    assert max(cell_len(row) for row in out.splitlines()) <= width
    assert "⚑" in out
    # The long flag is wrapped, never cropped.
    if lang == "zh":
        assert all(ch in out for ch in zh)
    else:
        assert set(en.split()) <= set(out.split())


READINGS = yaml.safe_load((HERE / "data" / "render" / "readings.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", READINGS, ids=[c["id"] for c in READINGS])
def test_reading(case: dict[str, Any]) -> None:
    from pydantic import TypeAdapter

    import rules_engine.targets  # noqa: F401 - defines the codes an unknown value carries
    from rules_engine.render import labels
    from rules_engine.values import CellValue

    value = None if case["value"] is None else TypeAdapter(CellValue).validate_python(case["value"])
    assert labels.reading(value, case["lang"]) == case["text"]


GROUPS = yaml.safe_load((HERE / "data" / "render" / "groups.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", GROUPS, ids=[c["text"] for c in GROUPS])
def test_short_group(case: dict[str, str]) -> None:
    from rules_engine.render.labels import short_group

    assert short_group(case["text"]) == case["short"]


_POLICY: list[Any] = []


def _national() -> Any:
    if not _POLICY:
        from rules_engine.app import Policies

        _POLICY.append(Policies().named("national-2020").policy)
    return _POLICY[0]


@settings(derandomize=True, max_examples=12, deadline=None)
@given(form=forms(max_lines=6), width=st.integers(60, 160), lang=st.sampled_from(["zh", "en"]))
def test_every_format_renders_any_scored_form(form: Form, width: int, lang: Any) -> None:
    from rules_engine.engine import evaluate

    card = evaluate(_national(), Document(forms=[form]))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, force_terminal=False)
    text.render(card, console, lang)
    shown = buffer.getvalue()
    assert max(cell_len(row) for row in shown.splitlines()) <= width
    text.render(card, console, lang, line=(1, card.forms[0].lines[-1].index))
    doc = json.loads(render_json.render(card, lang))
    assert len(doc["forms"][0]["lines"]) == len(form.indicators)
    table_rows = [r for r in markdown.render(card, lang).splitlines() if r.startswith("| ")]
    subtotals = len(card.forms[0].total.groups)
    assert len(table_rows) == 2 + len(form.indicators) + subtotals
    assert html.render(card, lang).count("<details") == len(form.indicators)


def test_line_and_form_steps_word_different_codes() -> None:
    # `render.steps` merges the two tables: a code in both would silently lose one wording.
    assert not LINE_STEPS.keys() & FORM_STEPS.keys()


def _recorded_step_codes() -> set[str]:
    """Every step code the engine writes as a literal: the first argument of `Step(…)` and of
    the step makers (`memo.step`, `plan.step`, a `make` passed in)."""
    codes: set[str] = set()
    engine = Path(__file__).resolve().parent.parent / "rules_engine" / "engine"
    for path in sorted(engine.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            first = node.args[0]
            code = first.value if isinstance(first, ast.Constant) else None
            if name in {"Step", "step", "make"} and isinstance(code, str):
                codes.add(code)
    return codes


def test_every_step_the_engine_records_has_words() -> None:
    codes = _recorded_step_codes()
    assert len(codes) > 50  # the scan found the engine's steps, multi-line calls included
    assert sorted(codes - STEPS.keys()) == []
