"""Builders for conditions and expressions: tests, comparisons, intervals, arithmetic, names,
calls and numbers."""

from __future__ import annotations

from lark import Token, Transformer, v_args
from lark.tree import Meta

from rules_engine.policy import nodes as s
from rules_engine.policy.builders import children as ch
from rules_engine.signs import ARITHMETIC_ASCII


def _bound(item: object) -> s.Expr | s.Unbounded:
    if isinstance(item, Token):
        return s.Unbounded(str(item), ch.pos_of(item))
    return ch.expr(item)


@v_args(meta=True)
class ExpressionBuilders(Transformer[Token, list[s.Statement]]):
    """Conditions and expressions."""

    # -- conditions and expressions
    def or_test(self, meta: Meta, c: ch.Children) -> s.OrTest:
        items = tuple(ch.expr(x) for x in c if not isinstance(x, Token))
        return s.OrTest(items, ch.meta_pos(meta, c))

    def and_test(self, meta: Meta, c: ch.Children) -> s.AndTest:
        items = tuple(ch.expr(x) for x in c if not isinstance(x, Token))
        return s.AndTest(items, ch.meta_pos(meta, c))

    def not_test(self, meta: Meta, c: ch.Children) -> s.NotTest:
        return s.NotTest(ch.expr(c[1]), ch.meta_pos(meta, c))

    def compare(self, meta: Meta, c: ch.Children) -> s.Comparison:
        return s.Comparison(ch.expr(c[0]), ch.typed(str, c[1]), ch.expr(c[2]), ch.meta_pos(meta, c))

    def in_interval(self, meta: Meta, c: ch.Children) -> s.InTest:
        return s.InTest(ch.expr(c[0]), ch.typed(s.IntervalLit, c[1]), ch.meta_pos(meta, c))

    def is_test(self, meta: Meta, c: ch.Children) -> s.IsTest:
        return s.IsTest(ch.expr(c[0]), ch.negated(c), ch.typed(s.Word, c[-1]), ch.meta_pos(meta, c))

    def meets(self, meta: Meta, c: ch.Children) -> s.MeetsTest:
        return s.MeetsTest(ch.expr(c[0]), ch.expr(c[1]), ch.meta_pos(meta, c))

    def cmp_op(self, meta: Meta, c: ch.Children) -> str:
        return str(c[0])

    def shape(self, meta: Meta, c: ch.Children) -> s.Word:
        return ch.word(c[0])

    def interval(self, meta: Meta, c: ch.Children) -> s.IntervalLit:
        low, high = _bound(c[1]), _bound(c[2])
        return s.IntervalLit(
            ch.typed(str, c[0]), low, high, ch.typed(str, c[3]), ch.meta_pos(meta, c)
        )

    def lbound(self, meta: Meta, c: ch.Children) -> str:
        return str(c[0])

    def rbound(self, meta: Meta, c: ch.Children) -> str:
        return str(c[0])

    def sum(self, meta: Meta, c: ch.Children) -> s.Expr:
        return self._fold(c)

    def product(self, meta: Meta, c: ch.Children) -> s.Expr:
        return self._fold(c)

    def _fold(self, c: ch.Children) -> s.Expr:
        expr = ch.expr(c[0])
        for op, item in zip(c[1::2], c[2::2], strict=True):
            right = ch.expr(item)
            text = ARITHMETIC_ASCII.get(str(op), str(op))
            expr = s.BinaryOp(text, expr, right, ch.span(expr, right))
        return expr

    def neg(self, meta: Meta, c: ch.Children) -> s.Negate:
        return s.Negate(ch.expr(c[0]), ch.meta_pos(meta, c))

    def var(self, meta: Meta, c: ch.Children) -> s.Name:
        token = ch.token(c[0])
        return s.Name(str(token), ch.pos_of(token))

    def call(self, meta: Meta, c: ch.Children) -> s.Call:
        token = ch.token(c[0])
        args = tuple(ch.expr(x) for x in c[1:])
        return s.Call(s.Name(str(token), ch.pos_of(token)), args, ch.meta_pos(meta, c))

    def number(self, meta: Meta, c: ch.Children) -> s.Number:
        return ch.number(c[0])

    def signed_number(self, meta: Meta, c: ch.Children) -> ch.SignedNumber:
        # a leading "-" token is kept by the `!` rule
        return ch.SignedNumber(len(c) > 1, ch.typed(s.Number, c[-1]))
