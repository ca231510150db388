"""The children lark hands a builder method, read as what the grammar makes them: typed checks,
positions, words and numbers, and the shapes some rules build for the rule above them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lark import Token
from lark.tree import Meta

from rules_engine.policy import nodes as s


@dataclass(frozen=True, slots=True)
class Words:
    """A ``word_list``, or the segments of a ``path``."""

    items: tuple[s.Word, ...]


@dataclass(frozen=True, slots=True)
class SignedNumber:
    """A ``signed_number``: the number, and whether a ``-`` came before it."""

    negative: bool
    number: s.Number


_T = TypeVar("_T")


def typed(kind: type[_T], item: object) -> _T:
    """`item`, which the grammar makes a `kind`."""
    if isinstance(item, kind):
        return item
    raise TypeError(f"expected {kind.__name__}, got {type(item).__name__}")


def expr(item: object) -> s.Expr:
    """`item`, which the grammar makes an expression."""
    if isinstance(item, s.Expr):
        return item
    raise TypeError(f"expected an expression, got {type(item).__name__}")


def token(item: object) -> Token:
    """`item`, which the grammar makes a token."""
    return typed(Token, item)


def pos_of(item: object) -> s.Pos:
    """Where a token or a built node is in the source."""
    if isinstance(item, Token):
        end_line = item.end_line if item.end_line is not None else item.line or 1
        end_col = item.end_column if item.end_column is not None else (item.column or 1) + 1
        return s.Pos(item.line or 1, item.column or 1, end_line, end_col)
    pos = getattr(item, "pos", None)
    if isinstance(pos, s.Pos):
        return pos
    raise TypeError(f"no position for {item!r}")


def span(first: object, last: object) -> s.Pos:
    """From the start of `first` to the end of `last`."""
    a, b = pos_of(first), pos_of(last)
    return s.Pos(a.line, a.col, b.end_line, b.end_col)


def meta_pos(meta: Meta, children: Sequence[object]) -> s.Pos:
    """Where a rule's match is: lark's meta, else the span of its children."""
    if not meta.empty:
        return s.Pos(meta.line, meta.column, meta.end_line, meta.end_column)
    if children:
        return span(children[0], children[-1])
    return s.Pos(1, 1, 1, 2)


def _unquote(token: Token) -> str:
    text = str(token)
    if text[:1] in '"“' and len(text) >= 2:
        return text[1:-1]
    return text


def split_en(children: Sequence[object]) -> tuple[s.Word | None, list[object]]:
    """The ``en "…"`` among a rule's children (its text), and the other children."""
    en = next((x.text for x in children if isinstance(x, s.EnText)), None)
    return en, [x for x in children if not isinstance(x, s.EnText)]


def word(item: object) -> s.Word:
    """A name or a quoted text, without its quotes."""
    tok = token(item)
    text = str(tok)
    return s.Word(_unquote(tok), text[:1] in '"“', pos_of(tok))


def number(item: object) -> s.Number:
    """A number as written (``5``, ``80%``) and its value (a percentage as a share: 0.8)."""
    tok = token(item)
    text = str(tok)
    percent = text.endswith("%")
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:  # the grammar only lets digits through; keep the tree total anyway
        value = Decimal(0)
    if percent:
        value = value / 100
    return s.Number(text, value, percent, pos_of(tok))


def negated(children: Sequence[object]) -> bool:
    """Whether a ``not`` is among the children."""
    return any(isinstance(x, Token) and x.type == "NOT" for x in children)


Children = list[object]
