"""JSON written piece by piece: byte for byte what ``json.dumps(..., indent=2)`` writes for the
whole, in the memory of one line: `explain --format json` of files read in parts, and a form as
`parse --format json` prints it."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from rules_engine.diagnostics import Lang
from rules_engine.model import INDICATOR_FIELDS, Form, IndicatorLine
from rules_engine.render import json as render_json
from rules_engine.render import select
from rules_engine.scorecard import FormResult, Scorecard


def chunks(
    cards: Iterable[Scorecard], lang: Lang = "zh", only: select.Only = select.EVERY
) -> Iterator[str]:
    """The JSON of every form of `cards` as one document under the first card's policy;
    `only` narrows each form's list of lines (`render.json.form_json`)."""
    cards = iter(cards)
    first = next(cards, None)
    if first is None:
        raise ValueError("no scorecard to write")
    forms = (
        _form(result, lang, card, only) for card in _chain(first, cards) for result in card.forms
    )
    document = {"policy": render_json.policy_json(first), "forms": forms}
    yield from _stream(document, 0)
    yield "\n"


def _chain(head: Scorecard, rest: Iterator[Scorecard]) -> Iterator[Scorecard]:
    yield head
    yield from rest


def form_data(form: Form, *, ordered: bool = False) -> dict[str, Any]:
    """``form.model_dump(mode="json")`` with its indicator lines given one at a time; `ordered`
    puts each line's cell positions in field order (as `parse` prints them, however the input
    listed them)."""
    data = form.model_dump(mode="json", exclude={"indicators"})
    out: dict[str, Any] = {}
    for key in Form.model_fields:
        if key == "indicators":
            out[key] = (_line_data(line, ordered) for line in form.indicators)
        elif key in data:
            out[key] = data[key]
    return out


def _line_data(line: IndicatorLine, ordered: bool) -> dict[str, Any]:
    data = line.model_dump(mode="json")
    if ordered:
        cells = data["cells"]
        data["cells"] = {k: cells[k] for k in sorted(cells, key=lambda k: (_ORDER.get(k, 99), k))}
    return data


_ORDER = {name: number for number, name in enumerate(INDICATOR_FIELDS)}


def stream(value: Any, level: int = 0) -> Iterator[str]:
    """``json.dumps(value, indent=2)`` (at nesting `level`) in pieces; an iterator in `value`
    stands for a list, written item by item."""
    yield from _stream(value, level)


def _form(result: FormResult, lang: Lang, card: Scorecard, only: select.Only) -> dict[str, Any]:
    """`render.json.form_json` with its lines given one at a time (the same keys in order)."""
    g = card.policy.english
    listed = select.view(result, only)
    found: dict[str, Any] = {
        "form": form_data(result.form),
        "lines": (render_json.line_json(line, lang, g) for line in listed.lines),
        "budget": render_json.budget_json(result.budget, lang, g),
        "total": render_json.total_json(result.total, lang, g),
        "flags": [render_json.flag_json(flag, lang, g) for flag in result.flags],
    }
    if only:
        found["listed"] = render_json.listed_json(result, listed, only)
    return found


def _stream(value: Any, level: int) -> Iterator[str]:
    """`json.dumps(value, indent=2)` at nesting `level`, an iterator standing for a list."""
    if isinstance(value, dict) and value and _lazy(value):
        pad = "  " * (level + 1)
        for number, (key, item) in enumerate(value.items()):
            yield ("{\n" if number == 0 else ",\n") + pad + json.dumps(key, ensure_ascii=False)
            yield ": "
            yield from _stream(item, level + 1)
        yield "\n" + "  " * level + "}"
    elif isinstance(value, Iterator):
        empty = True
        for item in value:
            yield ("[\n" if empty else ",\n") + "  " * (level + 1)
            yield from _stream(item, level + 1)
            empty = False
        yield "[]" if empty else "\n" + "  " * level + "]"
    else:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        yield text.replace("\n", "\n" + "  " * level) if level else text


def _lazy(value: dict[str, Any]) -> bool:
    """Whether a dict holds a list given as an iterator, at any depth of dicts."""
    return any(
        isinstance(item, Iterator) or (isinstance(item, dict) and _lazy(item))
        for item in value.values()
    )
