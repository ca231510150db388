"""Why a value a clause needs is missing: the review reason of a line, as a phrase."""

from __future__ import annotations

from rules_engine.engine.env import Env
from rules_engine.scorecard import Phrase
from rules_engine.values import Unknown


def reason_for(env: Env, name: str) -> Phrase:
    """Why the variable `name` has no value on this line (an empty or unreadable cell, a word
    where a number is needed, a division by zero, …)."""
    if name in ("actual", "target", "low", "high"):
        return _cell_reason(env, "actual" if name == "actual" else "target", name)
    if name == "÷0":
        return Phrase("division_by_zero")
    if name == "out_of_bounds":
        return Phrase("out_of_bounds")
    if name in ("weight", "self_score"):
        return Phrase("cell_empty_or_unreadable", {"cell": name})
    return Phrase("value_missing", {"name": name})


def _cell_reason(env: Env, cell: str, name: str) -> Phrase:
    value = env.actual_value if cell == "actual" else env.target_value
    text = env.actual_text if cell == "actual" else env.target_text
    if value is None or text is None:
        return Phrase("cell_empty", {"cell": cell})
    if isinstance(value, Unknown):
        return Phrase("cell_unreadable", {"cell": cell, "text": text, "reason": value})
    if cell == "actual" and "unit_mismatch" in env.checks:
        return Phrase(
            "units_differ",
            {
                "target_unit": getattr(env.target_value, "unit", None),
                "actual_unit": getattr(value, "unit", None),
            },
        )
    if name in ("low", "high") and value.kind != "range":
        return Phrase("not_a_range", {"cell": cell, "text": text})
    if value.kind in ("term", "date", "range"):
        return Phrase("needs_a_number", {"cell": cell, "text": text, "kind": value.kind})
    return Phrase("does_not_fit", {"cell": cell, "text": text})
