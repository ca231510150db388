"""A scorecard written as JSON and read back exactly: what the process pool hands over and the
results archive keeps, so every output built from it is the same as from the scorecard itself.

This is not the `explain --format json` contract (that one is worded, in one language): it keeps
the data, and explanation arguments carry a tag for what they are (see `scorecard.Args`).
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import TypeAdapter

from rules_engine.scorecard import FormResult, PolicyInfo, Scorecard

T = TypeVar("T", Scorecard, FormResult, PolicyInfo)
# Asks the form model to keep what its contract JSON leaves out (see `model.Form`).
_COMPLETE = {"complete": True}


def dumps(item: Scorecard | FormResult | PolicyInfo) -> str:
    """`item` as JSON text."""
    return _adapter(type(item)).dump_json(item, context=_COMPLETE).decode("utf-8")


def loads(kind: type[T], text: str | bytes) -> T:
    """The `kind` written by `dumps`."""
    found: T = _adapter(kind).validate_json(text)
    return found


_ADAPTERS: dict[type[Any], TypeAdapter[Any]] = {}


def _adapter(kind: type[Any]) -> TypeAdapter[Any]:
    """Built on first use (a few milliseconds each), then kept."""
    found = _ADAPTERS.get(kind)
    if found is None:
        found = _ADAPTERS[kind] = TypeAdapter(kind)
    return found
