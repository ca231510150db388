"""Compiled shipped policies, prebuilt as data so that scoring with one needs no compiler.

Compiling a shipped policy at every start (lexing, parsing and the passes of its whole `extends`
chain) costs more than the rest of a one-form ``explain``. ``make prebuilt`` writes each shipped
policy's `CompiledPolicy` to ``policies/compiled/<name>.json``; never at run time (reading a file
writes nothing). `shipped` returns it only when it still describes the policy files as they are:
the sha256 of every file of its `extends` chain, read now under the same checks as compiling
reads them, must match, and so must the field names of every node type. Otherwise the policy is
compiled from its text, so the result is the same either way and only the start is slower;
tests/test_policy_snapshots.py fails until the snapshots are rewritten.

The file is JSON: plain values, ``{"$d": "0.8"}`` for a `Decimal`, ``{"$m": [[key, value], …]}``
for a mapping and ``{"@": "Rule", …fields}`` for a node. Decoding builds only the node types of
`rules_engine.policy.model` and never runs code named by the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, Final

from rules_engine.policy import loader
from rules_engine.policy import model as m
from rules_engine.policy.ir.base import Node
from rules_engine.policy.limits import DEFAULT, Limits
from rules_engine.resources import policies_dir

__all__ = ["FOLDER", "encode", "shipped", "snapshot_path"]

FOLDER: Final = "compiled"
_FORMAT: Final = 1
_IR: Final = "rules_engine.policy.ir."


def snapshot_path(name: str) -> Path:
    """Where the snapshot of shipped policy `name` lives."""
    return policies_dir() / FOLDER / f"{name}.json"


def shipped(path: Path, limits: Limits = DEFAULT) -> m.CompiledPolicy | None:
    """The prebuilt compiled policy for the shipped file at `path`, or ``None`` when there is
    none, it is stale, or `limits` differ from the defaults (a limit must be applied to the text).

    Reading the files of the chain may raise what `loader.read_policy` raises; the caller then
    compiles, which reports it in the usual way.
    """
    if limits != DEFAULT or path.suffix != loader.SUFFIX:
        return None
    name = path.stem
    own = loader.shipped_path(name)
    if own is None or path.resolve() != own.resolve():
        return None
    try:
        raw = snapshot_path(name).read_text(encoding="utf-8")
        data = json.loads(raw)
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("key") != _fingerprint():
        return None
    sources = data.get("sources")
    if not isinstance(sources, list) or not sources or not _current(sources, limits):
        return None
    try:
        policy = _decode(data["policy"])
    except (KeyError, TypeError, ValueError, RecursionError):
        return None
    return policy if isinstance(policy, m.CompiledPolicy) and policy.name == name else None


def encode(policy: m.CompiledPolicy) -> str:
    """The snapshot file of `policy` (compiled from a shipped file): canonical JSON text."""
    data = {
        "key": _fingerprint(),
        "sources": [[s.name, s.sha256] for s in policy.sources],
        "policy": _encode(policy),
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"


def _current(sources: list[Any], limits: Limits) -> bool:
    """Whether every file of the chain is a shipped file whose text has the recorded digest."""
    for entry in sources:
        if not (isinstance(entry, list) and len(entry) == 2):
            return False
        name, digest = entry
        path = loader.shipped_path(str(name))
        if path is None:
            return False
        text = loader.read_policy(path, limits)
        if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            return False
    return True


@cache
def _node_types() -> Mapping[str, type[Node]]:
    """Every node type a compiled policy may hold, by class name."""
    found: dict[str, type[Node]] = {}
    pending: list[type[Node]] = [Node]
    while pending:
        kind = pending.pop()
        for sub in kind.__subclasses__():
            if sub.__module__ == m.__name__ or sub.__module__.startswith(_IR):
                found[sub.__name__] = sub
                pending.append(sub)
    return found


@cache
def _fingerprint() -> dict[str, Any]:
    """What a snapshot must have been written with: this format and the same node fields."""
    fields = {name: sorted(kind.model_fields) for name, kind in sorted(_node_types().items())}
    digest = hashlib.sha256(json.dumps(fields, sort_keys=True).encode("utf-8")).hexdigest()
    return {"format": _FORMAT, "nodes": digest}


def _encode(value: object) -> object:
    if isinstance(value, Node):
        fields = {name: _encode(getattr(value, name)) for name in sorted(value.model_fields_set)}
        return {"@": type(value).__name__, **fields}
    if isinstance(value, Decimal):
        return {"$d": str(value)}
    if isinstance(value, tuple):
        return [_encode(item) for item in value]
    if isinstance(value, dict):
        return {"$m": [[key, _encode(item)] for key, item in value.items()]}
    if value is None or isinstance(value, str | int | bool):
        return value
    raise TypeError(f"a compiled policy holds a {type(value).__name__}, which has no snapshot form")


def _decode(value: object) -> object:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if not isinstance(value, dict):
        return value
    if "@" in value:
        kind = _node_types()[value["@"]]
        fields = {key: _decode(item) for key, item in value.items() if key != "@"}
        if not fields.keys() <= kind.model_fields.keys():
            raise ValueError(f"unknown fields of {kind.__name__}")
        return kind.model_construct(_fields_set=set(fields), **fields)
    if "$d" in value:
        return Decimal(value["$d"])
    return {key: _decode(item) for key, item in value["$m"]}
