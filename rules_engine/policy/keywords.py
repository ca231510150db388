"""The keywords that start a top-level statement of a policy file.

Kept apart from the scanner so that telling a policy file from another file (`loader`) needs
no part of the parser.
"""

from __future__ import annotations

TOP_KEYWORDS = frozenset(
    {
        "policy",
        "extends",
        "basis",
        "note",
        "terms",
        "term",
        "rule",
        "budget",
        "apply",
        "weights",
        "grades",
        "round",
        "tolerance",
        "flag",
        "deadline",
        "categories",
        "review",
        "forms",
        "not_applicable",
        "rescale",
        "aggregate",
    }
)
