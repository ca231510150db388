"""Table-driven engine cases: a small policy text and a form in YAML, the expected scorecard.

A case file holds ``policies`` (name → policy text) and ``cases``. A case names its policy
(``policy: NAME``, or ``shipped: national-2020``), gives the form as ``lines`` (indicator lines,
each a mapping of the form's fields), optional ``budget`` rows, ``total`` and ``kind`` (or
several forms as ``forms``, each with those keys and ``project``, ``unit``, ``year``), and
``expect``: per line (by position) ``score`` (a decimal string compared as printed, so the
rounding places count; ``null`` for no score), ``outcome``, ``rule``, ``label``, ``flags`` (the
exact codes), ``flags_include``, ``flags_exclude``, ``band``, ``full_marks``, ``delta``,
``steps_include`` (texts some step's Chinese or English contains); ``budget`` (``score``,
``computed``, ``rate``, ``delta``, ``self_score``, ``counted``, ``read``, ``reason``, ``flags``,
``flags_include``); ``total`` (``score``, ``low``, ``high``, ``final``, ``grade``, ``grades``,
``reasons``, ``pending``, ``self_score``, ``self_final``, ``self_grade``, ``weight``,
``delta``, ``alternatives`` (name → grade), ``flags``, ``flags_include``, ``flags_exclude``).
``forms`` (a count) says how many forms the scorecard holds. A case may also give the form's
``reliability``.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from rules_engine.engine import evaluate
from rules_engine.engine.trace import derive_score
from rules_engine.formset import form_from_data
from rules_engine.model import Document, Form
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.render.phrases import phrase_text
from rules_engine.render.steps import step_text
from rules_engine.scorecard import FormResult, LineResult, Scorecard

DATA = Path(__file__).parent / "data"


@cache
def load(name: str) -> dict[str, Any]:
    """The parsed case file `tests/data/<name>`."""
    loaded: dict[str, Any] = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    return loaded


def cases(name: str) -> list[dict[str, Any]]:
    """The cases of a file, for `pytest.mark.parametrize` (ids from `case_ids`)."""
    found: list[dict[str, Any]] = load(name)["cases"]
    return found


def case_ids(name: str) -> list[str]:
    """One pytest id per case."""
    return [str(c["id"]) for c in cases(name)]


@cache
def policy(file: str, key: str) -> CompiledPolicy:
    """Compile a policy of the case file once (or a shipped policy named ``shipped:NAME``)."""
    if key.startswith("shipped:"):
        return compile_policy(key.removeprefix("shipped:"))
    text = load(file)["policies"][key]
    return compile_policy(f"tests/data/{key}.policy", text=text)


def document(case: dict[str, Any]) -> Document:
    """The case's form (or forms) as a document."""
    return Document(forms=[_form(item) for item in case.get("forms", [case])])


def _form(case: dict[str, Any]) -> Form:
    data: dict[str, Any] = {
        "kind": case.get("kind", "project-self-evaluation"),
        "indicators": case.get("lines", []),
        "budget": case.get("budget", []),
        "total": case.get("total"),
        "reliability": case.get("reliability", "sure"),
    }
    data.update({k: case[k] for k in ("project", "unit", "year", "title") if k in case})
    return form_from_data(data)


def run(file: str, case: dict[str, Any]) -> Scorecard:
    """Evaluate the case under its policy."""
    key = f"shipped:{case['shipped']}" if "shipped" in case else case["policy"]
    return evaluate(policy(file, key), document(case))


def dec(value: Decimal | None) -> str | None:
    """A decimal as printed (``8.62``, ``10.00``) or None."""
    return None if value is None else format(value, "f")


def check(file: str, case: dict[str, Any]) -> None:
    """Run one case and assert every expectation it states."""
    check_card(run(file, case), case)


def check_card(card: Scorecard, case: dict[str, Any]) -> None:
    """Assert every expectation a case states of its scorecard."""
    form = card.forms[0]
    expect = case.get("expect", {})
    if "forms" in expect:
        assert len(card.forms) == expect["forms"], f"{len(card.forms)} forms"
    for i, want in enumerate(expect.get("lines", [])):
        if want is not None:
            check_line(form.lines[i], want)
    for line in form.lines:
        # The score is the trace: whatever the case, the two never disagree.
        assert line.score == derive_score(line.steps)
    if "budget" in expect:
        check_budget(form, expect["budget"])
    if "total" in expect:
        check_total(form, expect["total"])


def check_line(line: LineResult, want: dict[str, Any]) -> None:
    """Assert a line's expectations."""
    where = f"line {line.index} ({line.name or line.target})"
    for key in ("score", "delta", "points_lost"):
        if key in want:
            got = dec(getattr(line, key))
            assert got == _text(want[key]), f"{where}: {key} {got} != {want[key]}"
    for key in ("outcome", "rule", "label"):
        if key in want:
            assert getattr(line, key) == want[key], f"{where}: {key} {getattr(line, key)}"
    if "full_marks" in want:
        at = line.full_marks_actual
        shown = None if at is None else phrase_text(at, "zh")
        assert shown == want["full_marks"], f"{where}: {shown}"
    if "band" in want:
        got_band = None if line.band is None else [dec(x) for x in line.band]
        assert got_band == want["band"], f"{where}: band {got_band}"
    _check_flags(where, [f.code for f in line.flags], want)
    for text in want.get("steps_include", []):
        words = [step_text(s, lang) for s in line.steps for lang in ("zh", "en")]
        assert any(text in w for w in words), f"{where}: no step contains {text!r}: {words}"


def check_budget(form: FormResult, want: dict[str, Any]) -> None:
    """Assert the budget block's expectations."""
    budget = form.budget
    assert budget is not None, "no budget result"
    for key in ("score", "computed", "rate", "delta", "self_score"):
        if key in want:
            got = dec(getattr(budget, key))
            assert got == _text(want[key]), f"budget {key} {got} != {want[key]}"
    for key in ("counted", "read", "reason"):
        if key in want:
            assert getattr(budget, key) == want[key], f"budget {key} {getattr(budget, key)}"
    _check_flags("budget", [f.code for f in budget.flags], want)
    assert budget.computed == derive_score(budget.steps)


def check_total(form: FormResult, want: dict[str, Any]) -> None:
    """Assert the total's expectations (and the form's flags)."""
    total = form.total
    for key in ("score", "weight", "self_score", "delta", "low", "high"):
        if key in want:
            got = dec(getattr(total, key))
            assert got == _text(want[key]), f"total {key} {got} != {want[key]}"
    for key in ("grade", "self_grade", "final", "self_final", "pending"):
        if key in want:
            assert getattr(total, key) == want[key], f"total {key} {getattr(total, key)}"
    for key in ("grades", "reasons"):
        if key in want:
            assert list(getattr(total, key)) == want[key], f"total {key} {getattr(total, key)}"
    if "alternatives" in want:
        under = {alt.name: alt.grade for alt in total.alternatives}
        assert under == want["alternatives"], f"total alternatives {under}"
    _check_flags("form", [f.code for f in form.flags], want)


def _check_flags(where: str, codes: list[str], want: dict[str, Any]) -> None:
    if "flags" in want:
        assert sorted(codes) == sorted(want["flags"]), f"{where}: flags {codes}"
    for code in want.get("flags_include", []):
        assert code in codes, f"{where}: flag {code} missing from {codes}"
    for code in want.get("flags_exclude", []):
        assert code not in codes, f"{where}: flag {code} unexpected in {codes}"


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
