"""YAML form files, built from the parser's events and validated like JSON (`structured`).

Every scalar stays the text it prints (``8.60`` keeps its zero), ``null``, ``~`` and empty mean
no value, and aliases and tags are refused, so no alias bomb can expand and no tag can construct
anything. Loaded only when a YAML form is read.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import yaml

from rules_engine.diagnostics import UserError, define
from rules_engine.model import Document
from rules_engine.readers.structured import MAX_DEPTH, validate

BAD_YAML = define(
    "E176",
    "YAML 格式错误：{detail}",
    "invalid YAML: {detail}",
    "YAML 应与 `parse --format json` 的输出结构相同（forms 列表）。",
    "YAML must have the same structure as `parse --format json` output (a forms list).",
)
# Plain YAML scalars that mean "no value".
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# The tags of YAML's core schema: any other (``!!python/object``) is refused.
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when installed


def read_yaml(text: str, where: str) -> Document:
    """A YAML form file, built from the parser's events (see the module's docstring)."""
    try:
        data = _from_events(yaml.parse(io.StringIO(text), Loader=_YAML_LOADER), where)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        raise UserError.one(BAD_YAML, file=where, line=line, col=col, detail=problem) from None
    return validate(data, where)


def _from_events(events: Iterable[yaml.Event], where: str) -> Any:
    """Plain data from YAML events: mappings, sequences and scalars as text, or None."""
    stack: list[tuple[dict[str, Any] | list[Any], list[Any]]] = []
    documents = 0
    result: Any = None
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _yaml_error(where, event, "more than one document")
            continue
        if isinstance(event, yaml.AliasEvent):
            raise _yaml_error(where, event, "aliases (*name) are not allowed in a form")
        if isinstance(event, yaml.NodeEvent):
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in _CORE_TAGS and tag != "!":
                raise _yaml_error(where, event, f"the tag {tag} is not allowed in a form")
        value: Any
        if isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= MAX_DEPTH:
                raise _yaml_error(where, event, "nested too deeply")
            stack.append(({} if isinstance(event, yaml.MappingStartEvent) else [], []))
            continue
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            value = stack.pop()[0]
        elif isinstance(event, yaml.ScalarEvent):
            plain = event.implicit[0] and not event.style
            value = None if plain and event.value in _NULLS else event.value
        else:
            continue
        if not stack:
            result = value
            continue
        container, key = stack[-1]
        if isinstance(container, list):
            container.append(value)
        elif not key:
            key.append(str(value) if value is not None else "")
        else:
            container[key.pop()] = value
    return result


def _yaml_error(where: str, event: yaml.Event, detail: str) -> UserError:
    mark = event.start_mark
    line = mark.line + 1 if mark is not None else None
    col = mark.column + 1 if mark is not None else None
    return UserError.one(BAD_YAML, file=where, line=line, col=col, detail=detail)
