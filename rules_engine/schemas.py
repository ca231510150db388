"""JSON Schemas of what the commands print, generated from the models: the form as read
(`parse --format json`) and the scorecard (`explain --format json`).

The form schema is the `Document` model's own. The scorecard schema follows the scorecard models
field by field, written the way the JSON renderer writes them: decimals as plain strings, a
step's or a flag's two texts as the one text of the chosen language. `_RENDERING` lists what the
renderer leaves out or adds per model; a test validates real output against the schema, so a
field added to a model and to the renderer joins the schema by itself, and one added to only
one of them fails that test.
"""

from __future__ import annotations

import types
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model

from rules_engine.model import Document, Form, Position
from rules_engine.scorecard import (
    BudgetResult,
    Flag,
    LineResult,
    PolicyInfo,
    Scorecard,
    Step,
    TotalResult,
)

SchemaName = Literal["form", "explain"]
NAMES: tuple[SchemaName, ...] = ("form", "explain")
DRAFT = "https://json-schema.org/draft/2020-12/schema"

# Per scorecard model: the fields the JSON renderer leaves out, and the fields it writes instead.
_RENDERING: dict[type[BaseModel], tuple[tuple[str, ...], dict[str, Any]]] = {
    Step: (("zh", "en"), {"text": str}),
    Flag: (("zh", "en"), {"message": str}),
    LineResult: (("within_tolerance",), {}),
    BudgetResult: (("computed", "counted"), {}),
    TotalResult: (("delta",), {}),
    PolicyInfo: (("title",), {}),
}
# Models written as their own JSON shape (`model_dump(mode="json")`).
_AS_DUMPED: tuple[type[BaseModel], ...] = (Form, Position)


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema named `name`: ``form``, else ``explain``."""
    if name == "form":
        body = Document.model_json_schema(mode="serialization")
        title = "rules-engine parse --format json"
    else:
        whole = _rendered(Scorecard)
        body = TypeAdapter(whole).json_schema(mode="serialization")
        title = "rules-engine explain --format json"
    return {"$schema": DRAFT, "title": title, **{k: v for k, v in body.items() if k != "title"}}


@cache
def _rendered(model: type[BaseModel]) -> type[BaseModel]:
    """A model with the fields of `model` as the renderer writes them, every one required."""
    if model in _AS_DUMPED:
        return model
    left_out, added = _RENDERING.get(model, ((), {}))
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name in left_out or info.exclude:
            continue
        fields[name] = (_render(info.annotation), ...)
    fields.update({name: (kind, ...) for name, kind in added.items()})
    config = ConfigDict(extra="forbid", title=model.__name__)
    built: type[BaseModel] = create_model(
        f"{model.__name__}Json", __config__=config, __doc__=model.__doc__, **fields
    )
    return built


def _render(kind: Any) -> Any:
    """A field type as written in the JSON: Decimal as text, models as rendered, recursively."""
    origin = get_origin(kind)
    if kind is Decimal:
        return Annotated[str, Field(pattern=r"^-?\d+(\.\d+)?$")]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        return _rendered(kind)
    if origin is Annotated:
        return _render(get_args(kind)[0])  # a discriminator names a field the JSON keeps
    if origin in (Union, types.UnionType):
        args = tuple(_render(arg) for arg in get_args(kind))
        return Union[args]  # noqa: UP007 - built from a runtime tuple
    if origin is list:
        return list[_render(get_args(kind)[0])]  # type: ignore[misc]
    if origin is tuple:
        return list[_render(get_args(kind)[0])]  # type: ignore[misc]
    if origin is dict:
        key, value = get_args(kind)
        return dict[key, _render(value)]  # type: ignore[misc,valid-type]
    return kind
