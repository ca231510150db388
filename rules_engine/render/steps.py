"""The words of every trace step, in Chinese or English. The engine records what it did as codes
with arguments; only `render` says it (a line's steps in `render.line_steps`, a form's budget and
total in `render.form_steps`, phrases in `render.phrases`, flags in `render.flags`)."""

from __future__ import annotations

from collections.abc import Mapping

from rules_engine.diagnostics import Lang
from rules_engine.render.form_steps import FORM_STEPS
from rules_engine.render.line_steps import LINE_STEPS
from rules_engine.render.words import Wording, words
from rules_engine.scorecard import Step

STEPS: dict[str, Wording] = {**LINE_STEPS, **FORM_STEPS}


def step_text(step: Step, lang: Lang, glossary: Mapping[str, str] | None = None) -> str:
    """A trace step in `lang`."""
    word = STEPS.get(step.code)
    if word is None:  # pragma: no cover - tests/test_render.py checks every code has its words
        return step.code
    return word(words(lang, glossary), step.args)
