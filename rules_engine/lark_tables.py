"""The LALR parsers of the shipped grammars, loaded from parse tables prebuilt by `make grammars`.

Building the tables of grammar/policy.lark and grammar/target.lark takes about a tenth of a
second at every start; loading prebuilt ones takes a few milliseconds. The tables are written
beside each grammar (``grammar/<name>.lalr.pickle``) by ``make grammars``, never at run time
(reading a file writes nothing). Each file carries a key: the sha256 of the grammar text, the
lark version and the parser options it was built with. When the key does not match (a grammar
edited without regenerating, another lark installed), the parser is built from the grammar as
before, so the program stays right and only the start is slower; tests/test_lark_tables.py
fails until the tables are regenerated.

The file is a pickle of plain data (dicts, lists, strings, numbers) read by an unpickler that
refuses every class and function, so loading it cannot run code.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Mapping
from typing import Any, Final

import lark
from lark import Lark, Transformer
from lark.grammar import Rule
from lark.lexer import TerminalDef

from rules_engine.resources import grammar_tables, grammar_text

__all__ = ["PARSERS", "build_tables", "load_parser", "prebuilt", "terminals"]

# The options that shape the tables of each grammar. Options that do not (the transformer,
# position tracking) are given when the parser is loaded.
PARSERS: Final[Mapping[str, Mapping[str, Any]]] = {
    "target": {"parser": "lalr", "lexer": "contextual"},
    "policy": {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": False},
}
_FORMAT = 1
_PROTOCOL = 4
_SHIFT = 0  # lark's serialised action code for a shift (1 is a reduce)


def load_parser(
    name: str,
    *,
    transformer: Transformer[Any, Any] | None = None,
    propagate_positions: bool = False,
) -> Lark:
    """The parser of grammar/<name>.lark: from its prebuilt tables, or built now if stale."""
    tables = prebuilt(name)
    if tables is None:
        return Lark(
            grammar_text(name),
            transformer=transformer,
            propagate_positions=propagate_positions,
            **PARSERS[name],
        )
    # The entry point lark's standalone parsers use to load serialised tables.
    loaded: Lark = Lark._load_from_dict(  # type: ignore[no-untyped-call]
        tables["data"],
        tables["memo"],
        transformer=transformer,
        propagate_positions=propagate_positions,
    )
    return loaded


def terminals(name: str) -> tuple[TerminalDef, ...]:
    """The terminals of grammar/<name>.lark, as `Lark.terminals` gives them: read from the
    prebuilt tables without building the parser (a reader that matches the commonest texts with
    the grammar's own patterns needs nothing more), or from a parser built now if they are stale.
    """
    tables = prebuilt(name)
    if tables is None:
        return tuple(Lark(grammar_text(name), **PARSERS[name]).terminals)
    # Only the terminals are rebuilt (each holds its pattern), not the grammar's rules.
    stored = tables["memo"]
    refs = tables["data"]["parser"]["lexer_conf"]["terminals"]
    return tuple(TerminalDef.deserialize(stored[ref["@"]], {}) for ref in refs)


def prebuilt(name: str) -> dict[str, Any] | None:
    """The prebuilt tables of grammar/<name>.lark, if shipped and built from this very grammar."""
    raw = grammar_tables(name)
    if raw is None:
        return None
    try:
        tables = _DataOnly(io.BytesIO(raw)).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(tables, dict) or tables.get("key") != _key(name):
        return None
    return tables


def build_tables(name: str) -> bytes:
    """The content of grammar/<name>.lalr.pickle for the grammar and lark installed now.

    The same grammar always gives the same bytes: lark numbers its states and tokens in a
    different order from one run to the next, so they are renumbered in a canonical order first.
    """
    parser = Lark(grammar_text(name), **PARSERS[name])
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    data["parser"]["parser"] = _canonical(data["parser"]["parser"])
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=_PROTOCOL)
    # No memo: equal data gives equal bytes, whichever string objects happen to be shared.
    pickler.fast = True
    pickler.dump({"key": _key(name), "data": data, "memo": memo})
    return buffer.getvalue()


def _key(name: str) -> dict[str, Any]:
    digest = hashlib.sha256(grammar_text(name).encode("utf-8")).hexdigest()
    return {
        "format": _FORMAT,
        "grammar_sha256": digest,
        "lark": lark.__version__,
        "options": dict(PARSERS[name]),
    }


def _canonical(table: dict[str, Any]) -> dict[str, Any]:
    """Renumber a serialised LALR table: tokens by name, states in breadth-first order."""
    names: dict[int, str] = table["tokens"]
    states: dict[int, dict[int, tuple[int, Any]]] = table["states"]
    token_ids = {name: index for index, name in enumerate(sorted(names.values()))}
    order: dict[int, int] = {}
    queue = [table["start_states"][start] for start in sorted(table["start_states"])]
    queue += [table["end_states"][start] for start in sorted(table["end_states"])]
    for state in queue:
        order.setdefault(state, len(order))
    position = 0
    while position < len(queue):
        actions = states[queue[position]]
        position += 1
        for token in sorted(actions, key=names.__getitem__):
            action, target = actions[token]
            if action == _SHIFT and target not in order:
                order[target] = len(order)
                queue.append(target)
    if len(order) != len(states):
        raise ValueError("the parse table has states no shift reaches")
    renumbered = {
        order[state]: {
            token_ids[names[token]]: (action, order[arg] if action == _SHIFT else arg)
            for token, (action, arg) in sorted(actions.items(), key=lambda a: names[a[0]])
        }
        for state, actions in sorted(states.items(), key=lambda s: order[s[0]])
    }
    return {
        "tokens": {index: name for name, index in token_ids.items()},
        "states": renumbered,
        "start_states": {k: order[v] for k, v in sorted(table["start_states"].items())},
        "end_states": {k: order[v] for k, v in sorted(table["end_states"].items())},
    }


class _DataOnly(pickle.Unpickler):
    """An unpickler for plain data: any class or function in the stream is refused."""

    def find_class(self, module_name: str, global_name: str, /) -> Any:
        raise pickle.UnpicklingError(f"{module_name}.{global_name}: only plain data is read")
