"""JSON Schemas of what the commands print, generated from the models: the form as read
(`parse --format json`) and the scorecard (`explain --format json`).

The form schema is the `Document` model's own. The scorecard schema is the JSON renderer's own
typed shapes (`rules_engine.render.json`), which mypy checks the renderer against; a test
validates real output against both schemas.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import TypeAdapter

from rules_engine.model import Document, Form
from rules_engine.render.json import ScorecardJson

SchemaName = Literal["form", "explain"]
NAMES: tuple[SchemaName, ...] = ("form", "explain")
DRAFT = "https://json-schema.org/draft/2020-12/schema"


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema named `name`: ``form``, else ``explain``."""
    if name == "form":
        body = Document.model_json_schema(mode="serialization")
        title = "rules-engine parse --format json"
    else:
        body = _explain()
        title = "rules-engine explain --format json"
    return {"$schema": DRAFT, "title": title, **{k: v for k, v in body.items() if k != "title"}}


def _explain() -> dict[str, Any]:
    """The renderer's own shapes, with each form's ``form`` written as the Form model is."""
    body = TypeAdapter(ScorecardJson).json_schema(mode="serialization")
    form = Form.model_json_schema(mode="serialization")
    defs: dict[str, Any] = body.setdefault("$defs", {})
    defs.update(form.pop("$defs", {}))
    defs["Form"] = form
    defs["FormResultJson"]["properties"]["form"] = {"$ref": "#/$defs/Form"}
    closed: dict[str, Any] = _closed(body)
    return closed


def _closed(node: Any) -> Any:
    """Every object the renderer writes has exactly its declared keys."""
    if isinstance(node, dict):
        out = {k: _closed(v) for k, v in node.items()}
        if out.get("type") == "object" and "properties" in out:
            out.setdefault("additionalProperties", False)
        return out
    if isinstance(node, list):
        return [_closed(v) for v in node]
    return node
