"""Builders for scoring: rules with their clauses and results, the budget block, and the apply
lines that send each line to a rule."""

from __future__ import annotations

from lark import Token, Transformer, v_args
from lark.tree import Meta

from rules_engine.policy import nodes as s
from rules_engine.policy.builders import children as ch


def _opt_expr(item: object) -> s.Expr | None:
    """An expression, or ``None`` for the ``none`` keyword (``cap none``)."""
    return None if isinstance(item, Token) and item.type == "NONE" else ch.expr(item)


def _rule_item(item: object) -> s.RuleItem:
    if isinstance(item, s.RuleItem):
        return item
    raise TypeError(f"expected a rule item, got {type(item).__name__}")


def _result(item: object) -> s.Result:
    if isinstance(item, s.Result):
        return item
    raise TypeError(f"expected a result, got {type(item).__name__}")


def _budget_item(item: object) -> s.BudgetItem:
    if isinstance(item, s.BudgetItem):
        return item
    raise TypeError(f"expected a budget item, got {type(item).__name__}")


def _selector(item: object) -> s.Selector:
    if isinstance(item, s.Selector):
        return item
    raise TypeError(f"expected a selector, got {type(item).__name__}")


@v_args(meta=True)
class RuleBuilders(Transformer[Token, list[s.Statement]]):
    """Rules, clauses and results, the budget block, and dispatch."""

    # -- rules
    def rule_decl(self, meta: Meta, c: ch.Children) -> s.RuleDecl:
        name = ch.word(c[0])
        en, rest = ch.split_en(c[1:])
        title = None
        if rest and isinstance(rest[0], Token):
            title = ch.word(rest[0])
            rest = rest[1:]
        items = tuple(_rule_item(x) for x in rest)
        return s.RuleDecl(name, title, items, ch.meta_pos(meta, c), en)

    def cap_decl(self, meta: Meta, c: ch.Children) -> s.CapDecl:
        return s.CapDecl(_opt_expr(c[0]), ch.meta_pos(meta, c))

    def floor_decl(self, meta: Meta, c: ch.Children) -> s.FloorDecl:
        return s.FloorDecl(_opt_expr(c[0]), ch.meta_pos(meta, c))

    def direction_decl(self, meta: Meta, c: ch.Children) -> s.DirectionDecl:
        return s.DirectionDecl(ch.word(c[0]), ch.meta_pos(meta, c))

    def full_at_decl(self, meta: Meta, c: ch.Children) -> s.FullAtDecl:
        return s.FullAtDecl(_opt_expr(c[-1]), ch.meta_pos(meta, c))

    def when_clause(self, meta: Meta, c: ch.Children) -> s.Clause:
        return self._clause(meta, ch.expr(c[0]), c[1:])

    def otherwise_clause(self, meta: Meta, c: ch.Children) -> s.Clause:
        return self._clause(meta, None, c)

    def _clause(self, meta: Meta, when: s.Expr | None, rest: ch.Children) -> s.Clause:
        en, tail = ch.split_en(rest[1:])
        result = _result(rest[0])
        outcome = next((x for x in tail if isinstance(x, s.Word) and not x.quoted), None)
        label = next((ch.word(x) for x in tail if isinstance(x, Token)), None)
        return s.Clause(when, result, outcome, label, ch.meta_pos(meta, rest), en)

    def outcome(self, meta: Meta, c: ch.Children) -> s.Word:
        return ch.word(c[0])

    def full(self, meta: Meta, c: ch.Children) -> s.FullResult:
        return s.FullResult(ch.pos_of(ch.token(c[0])))

    def review(self, meta: Meta, c: ch.Children) -> s.ReviewResult:
        en = ch.word(c[1]) if len(c) > 1 else None
        return s.ReviewResult(ch.word(c[0]), en, ch.meta_pos(meta, c))

    def accept(self, meta: Meta, c: ch.Children) -> s.AcceptResult:
        otherwise = ch.expr(c[1]) if len(c) > 1 else None
        return s.AcceptResult(ch.typed(s.IntervalLit, c[0]), otherwise, ch.meta_pos(meta, c))

    def deduct_per(self, meta: Meta, c: ch.Children) -> s.DeductResult:
        whole = any(isinstance(x, Token) and x.type == "WHOLE" for x in c)
        rest = [x for x in c if not (isinstance(x, Token) and x.type == "WHOLE")]
        amount, per, side, limit = rest
        return s.DeductResult(
            ch.expr(amount),
            ch.expr(per),
            whole,
            ch.word(side),
            ch.expr(limit),
            ch.meta_pos(meta, c),
        )

    def deduct_each(self, meta: Meta, c: ch.Children) -> s.DeductResult:
        return s.DeductResult(ch.expr(c[0]), None, False, None, None, ch.meta_pos(meta, c))

    def points(self, meta: Meta, c: ch.Children) -> s.PointsResult:
        expr = ch.expr(c[0])
        return s.PointsResult(expr, expr.pos)

    # -- budget
    def budget_decl(self, meta: Meta, c: ch.Children) -> s.BudgetDecl:
        title = None
        en, rest = ch.split_en(c)
        if rest and isinstance(rest[0], Token):
            title = ch.word(rest[0])
            rest = rest[1:]
        items = tuple(_budget_item(x) for x in rest)
        return s.BudgetDecl(title, items, ch.meta_pos(meta, c), en)

    def budget_setting(self, meta: Meta, c: ch.Children) -> s.BudgetSetting:
        value = c[1] if isinstance(c[1], s.Number) else ch.word(c[1])
        return s.BudgetSetting(ch.typed(s.Word, c[0]), value, ch.meta_pos(meta, c))

    def budget_key(self, meta: Meta, c: ch.Children) -> s.Word:
        return ch.word(c[0])

    def budget_score(self, meta: Meta, c: ch.Children) -> s.BudgetScore:
        return s.BudgetScore(ch.expr(c[0]), ch.meta_pos(meta, c))

    # -- dispatch
    def apply_decl(self, meta: Meta, c: ch.Children) -> s.ApplyDecl:
        selectors = tuple(_selector(x) for x in c[:-1] if not isinstance(x, Token))
        target = c[-1]
        if isinstance(target, s.ReviewResult):
            return s.ApplyDecl(selectors, None, target, ch.meta_pos(meta, c))
        return s.ApplyDecl(selectors, ch.typed(s.Word, target), None, ch.meta_pos(meta, c))

    def shape_selector(self, meta: Meta, c: ch.Children) -> s.ShapeSelector:
        shape = ch.typed(s.Word, c[-1])
        return s.ShapeSelector(ch.word(c[0]), ch.negated(c), shape, ch.meta_pos(meta, c))

    def name_selector(self, meta: Meta, c: ch.Children) -> s.NameSelector:
        return s.NameSelector(ch.typed(ch.Words, c[0]).items, ch.meta_pos(meta, c))

    def any_selector(self, meta: Meta, c: ch.Children) -> s.AnySelector:
        return s.AnySelector(ch.pos_of(ch.token(c[0])))

    def path_alts(self, meta: Meta, c: ch.Children) -> s.PathSelector:
        paths = tuple(ch.typed(ch.Words, x).items for x in c)
        return s.PathSelector(paths, ch.meta_pos(meta, [paths[0][0], paths[-1][-1]]))

    def path(self, meta: Meta, c: ch.Children) -> ch.Words:
        return ch.Words(tuple(ch.word(t) for t in c))

    def to_rule(self, meta: Meta, c: ch.Children) -> s.Word:
        return ch.word(c[0])

    def to_review(self, meta: Meta, c: ch.Children) -> s.ReviewResult:
        return self.review(meta, c)
