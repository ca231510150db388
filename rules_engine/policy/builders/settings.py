"""Builders for a policy's header and settings: its name, terms, weights, grades, rounding,
tolerance and whole-sheet settings."""

from __future__ import annotations

from lark import Token, Transformer, v_args
from lark.tree import Meta

from rules_engine.policy import nodes as s
from rules_engine.policy.builders import children as ch


def _statement(item: object) -> s.Statement:
    if isinstance(item, s.Statement):
        return item
    raise TypeError(f"expected a statement, got {type(item).__name__}")


def _weight_item(item: object) -> s.WeightItem:
    if isinstance(item, s.WeightItem):
        return item
    raise TypeError(f"expected a weight item, got {type(item).__name__}")


@v_args(meta=True)
class SettingBuilders(Transformer[Token, list[s.Statement]]):
    """The top level, terms, weights, grades, rounding, tolerance and whole sheets."""

    # -- top level
    def start(self, meta: Meta, c: ch.Children) -> list[s.Statement]:
        return [_statement(x) for x in c]

    def policy_decl(self, meta: Meta, c: ch.Children) -> s.PolicyDecl:
        en, rest = ch.split_en(c)
        year = next((x for x in rest[1:] if isinstance(x, s.Number)), None)
        region = next((x for x in rest[1:] if isinstance(x, s.Word)), None)
        return s.PolicyDecl(ch.word(rest[0]), year, region, ch.meta_pos(meta, c), en)

    def policy_year(self, meta: Meta, c: ch.Children) -> s.Number:
        return ch.number(c[1])

    def policy_region(self, meta: Meta, c: ch.Children) -> s.Word:
        return ch.word(c[1])

    def extends_decl(self, meta: Meta, c: ch.Children) -> s.ExtendsDecl:
        return s.ExtendsDecl(ch.word(c[0]), ch.meta_pos(meta, c))

    def basis_decl(self, meta: Meta, c: ch.Children) -> s.BasisDecl:
        en, rest = ch.split_en(c)
        return s.BasisDecl(ch.word(rest[0]), ch.meta_pos(meta, c), en)

    def note_decl(self, meta: Meta, c: ch.Children) -> s.NoteDecl:
        en, rest = ch.split_en(c)
        return s.NoteDecl(ch.word(rest[0]), ch.meta_pos(meta, c), en)

    def en_text(self, meta: Meta, c: ch.Children) -> s.EnText:
        return s.EnText(ch.word(c[0]), ch.meta_pos(meta, c))

    # -- terms
    def terms_decl(self, meta: Meta, c: ch.Children) -> s.TermsDecl:
        en, rest = ch.split_en(c)
        words = ch.typed(ch.Words, rest[2]).items
        return s.TermsDecl(
            ch.word(rest[0]), ch.typed(str, rest[1]), words, ch.meta_pos(meta, c), en
        )

    def terms_op(self, meta: Meta, c: ch.Children) -> str:
        return str(c[0])

    def term_decl(self, meta: Meta, c: ch.Children) -> s.TermDecl:
        signed = ch.typed(ch.SignedNumber, c[2])
        words = ch.typed(ch.Words, c[0]).items
        pos = ch.meta_pos(meta, c)
        return s.TermDecl(words, ch.typed(str, c[1]), signed.number, signed.negative, pos)

    def word_list(self, meta: Meta, c: ch.Children) -> ch.Words:
        return ch.Words(tuple(ch.word(t) for t in c))

    def deadline_decl(self, meta: Meta, c: ch.Children) -> s.DeadlineDecl:
        return s.DeadlineDecl(ch.word(c[0]), ch.meta_pos(meta, c))

    def categories_decl(self, meta: Meta, c: ch.Children) -> s.CategoriesDecl:
        return s.CategoriesDecl(ch.typed(ch.Words, c[0]).items, ch.meta_pos(meta, c))

    # -- weights, grades, rounding, tolerance
    def weights_decl(self, meta: Meta, c: ch.Children) -> s.WeightsDecl:
        return s.WeightsDecl(tuple(_weight_item(x) for x in c), ch.meta_pos(meta, c))

    def weight_group(self, meta: Meta, c: ch.Children) -> s.WeightGroup:
        return s.WeightGroup(ch.word(c[0]), ch.typed(s.Number, c[1]), ch.meta_pos(meta, c))

    def weight_off(self, meta: Meta, c: ch.Children) -> s.WeightOff:
        return s.WeightOff(ch.word(c[0]), ch.meta_pos(meta, c))

    def weight_total(self, meta: Meta, c: ch.Children) -> s.WeightTotal:
        return s.WeightTotal(ch.typed(s.Number, c[1]), ch.meta_pos(meta, c))

    def weight_tolerance(self, meta: Meta, c: ch.Children) -> s.WeightTolerance:
        return s.WeightTolerance(ch.typed(s.Number, c[1]), ch.meta_pos(meta, c))

    def grades_decl(self, meta: Meta, c: ch.Children) -> s.GradesDecl:
        en, rest = ch.split_en(c)
        name = None
        if rest and isinstance(rest[0], Token):
            name = ch.word(rest[0])
            rest = rest[1:]
        items = tuple(ch.typed(s.GradeItem, x) for x in rest)
        return s.GradesDecl(items, ch.meta_pos(meta, c), name, en)

    def grade_item(self, meta: Meta, c: ch.Children) -> s.GradeItem:
        en, rest = ch.split_en(c)
        op = ch.typed(str, rest[1]) if len(rest) > 2 else None
        bound = ch.typed(s.Number, rest[2]) if len(rest) > 2 else None
        return s.GradeItem(ch.word(rest[0]), op, bound, ch.meta_pos(meta, c), en)

    def grade_op(self, meta: Meta, c: ch.Children) -> str:
        return str(c[0])

    def round_decl(self, meta: Meta, c: ch.Children) -> s.RoundDecl:
        stage = ch.word(c[3]) if len(c) > 3 else None
        return s.RoundDecl(ch.word(c[0]), ch.number(c[1]), stage, ch.meta_pos(meta, c))

    def tolerance_decl(self, meta: Meta, c: ch.Children) -> s.ToleranceDecl:
        return s.ToleranceDecl(ch.typed(s.Number, c[1]), ch.meta_pos(meta, c))

    # -- whole sheets
    def forms_decl(self, meta: Meta, c: ch.Children) -> s.FormsDecl:
        lists = [ch.typed(ch.Words, x).items for x in c if isinstance(x, ch.Words)]
        about = lists[1] if len(lists) > 1 else ()
        return s.FormsDecl(lists[0], about, ch.meta_pos(meta, c))

    def not_applicable_decl(self, meta: Meta, c: ch.Children) -> s.NotApplicableDecl:
        return s.NotApplicableDecl(ch.typed(ch.Words, c[0]).items, ch.meta_pos(meta, c))

    def rescale_decl(self, meta: Meta, c: ch.Children) -> s.RescaleDecl:
        return s.RescaleDecl(ch.typed(s.Number, c[0]), ch.meta_pos(meta, c))

    def aggregate_decl(self, meta: Meta, c: ch.Children) -> s.AggregateDecl:
        return s.AggregateDecl(ch.word(c[0]), ch.meta_pos(meta, c))
