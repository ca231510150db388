"""A form's JSON shape made ready for the model: numbers as printed text, a kind inferred."""

from __future__ import annotations

from typing import Any

from rules_engine.model import BUDGET_FIELDS, INDICATOR_FIELDS, PROCESS_FIELDS, Form

# The cell fields of each part of a form, which hold text as printed.
_SECTIONS: dict[str, tuple[str, ...]] = {
    "indicators": (*INDICATOR_FIELDS, "source", "cells", "marks"),
    "process": (*PROCESS_FIELDS, "source", "cells"),
    "budget": (*BUDGET_FIELDS, "source"),
}
_POSITIONS = ("source", "cells", "marks")


def form_data(data: dict[str, Any], *, lenient: bool = False) -> dict[str, Any]:
    """A form's JSON shape made ready for the model: numbers given as numbers become the text
    they print as (``10`` → ``"10"``), and a missing ``kind`` is inferred.

    Forms written by hand or exported by another system need no cell positions and may give
    numbers as numbers. With `lenient`, fields the model does not know are dropped (labels
    carry notes); otherwise they are left for the model to reject with their path.
    """
    known = set(Form.model_fields)
    out = {k: v for k, v in data.items() if not lenient or k in known}
    for section, fields in _SECTIONS.items():
        rows = out.get(section)
        if isinstance(rows, list):
            out[section] = [_row(row, fields, lenient) for row in rows]
    total = out.get("total")
    if isinstance(total, dict):
        out["total"] = _row(total, ("weight", "score"), lenient)
    if "kind" not in out:
        out["kind"] = infer_kind(out.get("indicators"))
    return out


def _row(row: Any, fields: tuple[str, ...], lenient: bool) -> Any:
    if not isinstance(row, dict):
        return row  # the model says what is wrong with it, and where
    return {
        k: v if k in _POSITIONS else _text(v) for k, v in row.items() if not lenient or k in fields
    }


def infer_kind(lines: Any) -> str:
    """A form that gives no kind: a target table when no line has an actual or a score."""
    rows = [line for line in lines if isinstance(line, dict)] if isinstance(lines, list) else []
    reported = any(line.get("actual") is not None or line.get("score") is not None for line in rows)
    return "targets-only" if rows and not reported else "project-self-evaluation"


def _text(value: Any) -> Any:
    # YAML and JSON hand numbers over as numbers; a form cell is always the text as printed.
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        return value
    return str(value)
