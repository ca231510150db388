"""Read the forms of a text: each layout that fits is read, the one the gate trusts most kept."""

from __future__ import annotations

from rules_engine.model import Form
from rules_engine.readers.builder import build_forms
from rules_engine.readers.layouts import split_text


def read_text(text: str, source: str, layout: str | None = None) -> list[Form]:
    """The forms of `text`; `layout` forces one layout. Raises `UserError` when none is found."""
    forms: list[Form] = []
    for grid in split_text(text, source, layout):
        forms.extend(build_forms(grid))
    return forms
