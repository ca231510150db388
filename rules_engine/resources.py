"""Locate the data files (grammars, shipped policies) inside the wheel or the checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """Return the folder `name` (``grammar`` or ``policies``), installed or in the checkout.

    A wheel carries the folders under ``rules_engine/_data``; an editable install or a plain
    checkout reads them from the repository root beside the package.
    """
    installed = _PACKAGE_DIR / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


@cache
def grammar_text(name: str) -> str:
    """Return the text of ``grammar/<name>.lark``; the one place grammars are loaded from."""
    return (data_dir("grammar") / f"{name}.lark").read_text(encoding="utf-8")


def grammar_tables(name: str) -> bytes | None:
    """Return the prebuilt parse tables ``grammar/<name>.lalr.pickle``, or None if not shipped."""
    try:
        return (data_dir("grammar") / f"{name}.lalr.pickle").read_bytes()
    except FileNotFoundError:
        return None


def policies_dir() -> Path:
    """Return the folder holding the shipped policy files."""
    return data_dir("policies")
