"""Builders for the checks a policy adds: its own flags and its target review (绩效目标审核)."""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Transformer, v_args
from lark.tree import Meta

from rules_engine.policy import nodes as s
from rules_engine.policy.builders import children as ch


@dataclass(frozen=True, slots=True)
class _FlagBody:
    items: tuple[s.FlagItem, ...]


@dataclass(frozen=True, slots=True)
class _ReviewBody:
    items: tuple[s.ReviewCheckItem, ...]


def _flag_item(item: object) -> s.FlagItem:
    if isinstance(item, s.FlagItem):
        return item
    raise TypeError(f"expected a flag item, got {type(item).__name__}")


def _review_item(item: object) -> s.ReviewItem:
    if isinstance(item, s.BasisDecl | s.NoteDecl | s.ReviewForms | s.ReviewCheck | s.ReviewOff):
        return item
    raise TypeError(f"expected a review item, got {type(item).__name__}")


def _review_check_item(item: object) -> s.ReviewCheckItem:
    if isinstance(item, s.FlagSeverity | s.BasisDecl | s.NoteDecl):
        return item
    raise TypeError(f"expected a check item, got {type(item).__name__}")


@v_args(meta=True)
class CheckBuilders(Transformer[Token, list[s.Statement]]):
    """Flags and the target review."""

    # -- flags
    def flag_decl(self, meta: Meta, c: ch.Children) -> s.FlagDecl:
        code = ch.word(c[0])
        zh: s.Word | None = None
        scope: s.Word | None = None
        rest = c[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            zh = ch.word(rest[0])
            rest = rest[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "ON":
            scope = ch.word(rest[1])
            rest = rest[2:]
        when = ch.expr(rest[0])
        items = ch.typed(_FlagBody, rest[1]).items if len(rest) > 1 else ()
        return s.FlagDecl(code, zh, scope, when, items, ch.meta_pos(meta, c))

    def flag_body(self, meta: Meta, c: ch.Children) -> _FlagBody:
        return _FlagBody(tuple(_flag_item(x) for x in c))

    def flag_en(self, meta: Meta, c: ch.Children) -> s.FlagEn:
        return s.FlagEn(ch.word(c[0]), ch.meta_pos(meta, c))

    def flag_severity(self, meta: Meta, c: ch.Children) -> s.FlagSeverity:
        return s.FlagSeverity(ch.word(c[0]), ch.meta_pos(meta, c))

    def flag_off(self, meta: Meta, c: ch.Children) -> s.FlagOff:
        return s.FlagOff(ch.word(c[0]), ch.meta_pos(meta, c))

    # -- target review
    def review_decl(self, meta: Meta, c: ch.Children) -> s.ReviewDecl:
        en, rest = ch.split_en(c)
        title = None
        if rest and isinstance(rest[0], Token):
            title = ch.word(rest[0])
            rest = rest[1:]
        items = tuple(_review_item(x) for x in rest)
        return s.ReviewDecl(title, items, ch.meta_pos(meta, c), en)

    def review_forms(self, meta: Meta, c: ch.Children) -> s.ReviewForms:
        return s.ReviewForms(ch.word(c[0]), ch.meta_pos(meta, c))

    def review_check(self, meta: Meta, c: ch.Children) -> s.ReviewCheck:
        name = ch.word(c[0])
        en, rest = ch.split_en(c[1:])
        zh = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            zh = ch.word(rest[0])
            rest = rest[1:]
        scope = next((x for x in rest if isinstance(x, s.PathSelector)), None)
        words = tuple(x for x in rest if isinstance(x, s.ReviewWords))
        body = next((x.items for x in rest if isinstance(x, _ReviewBody)), ())
        return s.ReviewCheck(name, zh, en, scope, words, body, ch.meta_pos(meta, c))

    def review_words(self, meta: Meta, c: ch.Children) -> s.ReviewWords:
        return s.ReviewWords(
            ch.typed(s.Word, c[0]), ch.typed(ch.Words, c[1]).items, ch.meta_pos(meta, c)
        )

    def review_key(self, meta: Meta, c: ch.Children) -> s.Word:
        return ch.word(c[0])

    def review_body(self, meta: Meta, c: ch.Children) -> _ReviewBody:
        return _ReviewBody(tuple(_review_check_item(x) for x in c))

    def review_off(self, meta: Meta, c: ch.Children) -> s.ReviewOff:
        return s.ReviewOff(ch.word(c[0]), ch.meta_pos(meta, c))
