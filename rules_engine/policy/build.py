"""A lark parse tree of a policy → typed syntax nodes (`build`), one method per grammar rule.

`rules_engine.policy.parse` runs lark and hands the tree here; what comes back holds only the
nodes of `rules_engine.policy.nodes`, so no lark object leaves the front end. Each method gets
the children lark collected for its rule (tokens, and what the methods of the rules below it
built) and checks their types as it reads them: a mismatch is a bug between the grammar and
this module, never a user's error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from lark import Token, Transformer, Tree, v_args
from lark.tree import Meta

from rules_engine.policy import nodes as s
from rules_engine.signs import ARITHMETIC_ASCII

__all__ = ["build", "builder_methods"]


def build(tree: Tree[Token]) -> list[s.Statement]:
    """The statements of a parse tree of grammar/policy.lark, in order."""
    return _Build().transform(tree)


def builder_methods() -> set[str]:
    """Names of the tree-building methods (for the one-method-per-rule test)."""
    return {n for n in vars(_Build) if not n.startswith("_")}


# ---------------------------------------------------------------------------------------------
# What some rules build for the rule above them (never seen outside this module).


@dataclass(frozen=True, slots=True)
class _Words:
    """A ``word_list``, or the segments of a ``path``."""

    items: tuple[s.Word, ...]


@dataclass(frozen=True, slots=True)
class _FlagBody:
    items: tuple[s.FlagItem, ...]


@dataclass(frozen=True, slots=True)
class _ReviewBody:
    items: tuple[s.ReviewCheckItem, ...]


@dataclass(frozen=True, slots=True)
class _SignedNumber:
    negative: bool
    number: s.Number


_T = TypeVar("_T")


def _a(kind: type[_T], item: object) -> _T:
    """`item`, which the grammar makes a `kind`."""
    if isinstance(item, kind):
        return item
    raise TypeError(f"expected {kind.__name__}, got {type(item).__name__}")


def _expr(item: object) -> s.Expr:
    if isinstance(item, s.Expr):
        return item
    raise TypeError(f"expected an expression, got {type(item).__name__}")


def _token(item: object) -> Token:
    return _a(Token, item)


def _opt_expr(item: object) -> s.Expr | None:
    """An expression, or ``None`` for the ``none`` keyword (``cap none``)."""
    return None if isinstance(item, Token) and item.type == "NONE" else _expr(item)


def _bound(item: object) -> s.Expr | s.Unbounded:
    if isinstance(item, Token):
        return s.Unbounded(str(item), _pos_of(item))
    return _expr(item)


def _pos_of(item: object) -> s.Pos:
    if isinstance(item, Token):
        end_line = item.end_line if item.end_line is not None else item.line or 1
        end_col = item.end_column if item.end_column is not None else (item.column or 1) + 1
        return s.Pos(item.line or 1, item.column or 1, end_line, end_col)
    pos = getattr(item, "pos", None)
    if isinstance(pos, s.Pos):
        return pos
    raise TypeError(f"no position for {item!r}")


def _span(first: object, last: object) -> s.Pos:
    a, b = _pos_of(first), _pos_of(last)
    return s.Pos(a.line, a.col, b.end_line, b.end_col)


def _meta_pos(meta: Meta, children: Sequence[object]) -> s.Pos:
    if not meta.empty:
        return s.Pos(meta.line, meta.column, meta.end_line, meta.end_column)
    if children:
        return _span(children[0], children[-1])
    return s.Pos(1, 1, 1, 2)


def _unquote(token: Token) -> str:
    text = str(token)
    if text[:1] in '"“' and len(text) >= 2:
        return text[1:-1]
    return text


def _split_en(children: Sequence[object]) -> tuple[s.Word | None, list[object]]:
    """The ``en "…"`` among a rule's children (its text), and the other children."""
    en = next((x.text for x in children if isinstance(x, s.EnText)), None)
    return en, [x for x in children if not isinstance(x, s.EnText)]


def _word(item: object) -> s.Word:
    token = _token(item)
    text = str(token)
    return s.Word(_unquote(token), text[:1] in '"“', _pos_of(token))


def _number(item: object) -> s.Number:
    token = _token(item)
    text = str(token)
    percent = text.endswith("%")
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:  # the grammar only lets digits through; keep the tree total anyway
        value = Decimal(0)
    if percent:
        value = value / 100
    return s.Number(text, value, percent, _pos_of(token))


def _rule_item(item: object) -> s.RuleItem:
    if isinstance(item, s.RuleItem):
        return item
    raise TypeError(f"expected a rule item, got {type(item).__name__}")


def _budget_item(item: object) -> s.BudgetItem:
    if isinstance(item, s.BudgetItem):
        return item
    raise TypeError(f"expected a budget item, got {type(item).__name__}")


def _statement(item: object) -> s.Statement:
    if isinstance(item, s.Statement):
        return item
    raise TypeError(f"expected a statement, got {type(item).__name__}")


def _selector(item: object) -> s.Selector:
    if isinstance(item, s.Selector):
        return item
    raise TypeError(f"expected a selector, got {type(item).__name__}")


def _result(item: object) -> s.Result:
    if isinstance(item, s.Result):
        return item
    raise TypeError(f"expected a result, got {type(item).__name__}")


def _weight_item(item: object) -> s.WeightItem:
    if isinstance(item, s.WeightItem):
        return item
    raise TypeError(f"expected a weight item, got {type(item).__name__}")


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


def _negated(children: Sequence[object]) -> bool:
    return any(isinstance(x, Token) and x.type == "NOT" for x in children)


_Children = list[object]


@v_args(meta=True)
class _Build(Transformer[Token, list[s.Statement]]):
    """Build syntax nodes bottom-up; each method is named after the grammar rule it builds."""

    # -- top level
    def start(self, meta: Meta, c: _Children) -> list[s.Statement]:
        return [_statement(x) for x in c]

    def policy_decl(self, meta: Meta, c: _Children) -> s.PolicyDecl:
        en, rest = _split_en(c)
        year = next((x for x in rest[1:] if isinstance(x, s.Number)), None)
        region = next((x for x in rest[1:] if isinstance(x, s.Word)), None)
        return s.PolicyDecl(_word(rest[0]), year, region, _meta_pos(meta, c), en)

    def policy_year(self, meta: Meta, c: _Children) -> s.Number:
        return _number(c[1])

    def policy_region(self, meta: Meta, c: _Children) -> s.Word:
        return _word(c[1])

    def extends_decl(self, meta: Meta, c: _Children) -> s.ExtendsDecl:
        return s.ExtendsDecl(_word(c[0]), _meta_pos(meta, c))

    def basis_decl(self, meta: Meta, c: _Children) -> s.BasisDecl:
        en, rest = _split_en(c)
        return s.BasisDecl(_word(rest[0]), _meta_pos(meta, c), en)

    def note_decl(self, meta: Meta, c: _Children) -> s.NoteDecl:
        en, rest = _split_en(c)
        return s.NoteDecl(_word(rest[0]), _meta_pos(meta, c), en)

    def en_text(self, meta: Meta, c: _Children) -> s.EnText:
        return s.EnText(_word(c[0]), _meta_pos(meta, c))

    # -- terms
    def terms_decl(self, meta: Meta, c: _Children) -> s.TermsDecl:
        en, rest = _split_en(c)
        words = _a(_Words, rest[2]).items
        return s.TermsDecl(_word(rest[0]), _a(str, rest[1]), words, _meta_pos(meta, c), en)

    def terms_op(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def term_decl(self, meta: Meta, c: _Children) -> s.TermDecl:
        signed = _a(_SignedNumber, c[2])
        words = _a(_Words, c[0]).items
        pos = _meta_pos(meta, c)
        return s.TermDecl(words, _a(str, c[1]), signed.number, signed.negative, pos)

    def word_list(self, meta: Meta, c: _Children) -> _Words:
        return _Words(tuple(_word(t) for t in c))

    def deadline_decl(self, meta: Meta, c: _Children) -> s.DeadlineDecl:
        return s.DeadlineDecl(_word(c[0]), _meta_pos(meta, c))

    def categories_decl(self, meta: Meta, c: _Children) -> s.CategoriesDecl:
        return s.CategoriesDecl(_a(_Words, c[0]).items, _meta_pos(meta, c))

    # -- rules
    def rule_decl(self, meta: Meta, c: _Children) -> s.RuleDecl:
        name = _word(c[0])
        en, rest = _split_en(c[1:])
        title = None
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        items = tuple(_rule_item(x) for x in rest)
        return s.RuleDecl(name, title, items, _meta_pos(meta, c), en)

    def cap_decl(self, meta: Meta, c: _Children) -> s.CapDecl:
        return s.CapDecl(_opt_expr(c[0]), _meta_pos(meta, c))

    def floor_decl(self, meta: Meta, c: _Children) -> s.FloorDecl:
        return s.FloorDecl(_opt_expr(c[0]), _meta_pos(meta, c))

    def direction_decl(self, meta: Meta, c: _Children) -> s.DirectionDecl:
        return s.DirectionDecl(_word(c[0]), _meta_pos(meta, c))

    def full_at_decl(self, meta: Meta, c: _Children) -> s.FullAtDecl:
        return s.FullAtDecl(_opt_expr(c[-1]), _meta_pos(meta, c))

    def when_clause(self, meta: Meta, c: _Children) -> s.Clause:
        return self._clause(meta, _expr(c[0]), c[1:])

    def otherwise_clause(self, meta: Meta, c: _Children) -> s.Clause:
        return self._clause(meta, None, c)

    def _clause(self, meta: Meta, when: s.Expr | None, rest: _Children) -> s.Clause:
        en, tail = _split_en(rest[1:])
        result = _result(rest[0])
        outcome = next((x for x in tail if isinstance(x, s.Word) and not x.quoted), None)
        label = next((_word(x) for x in tail if isinstance(x, Token)), None)
        return s.Clause(when, result, outcome, label, _meta_pos(meta, rest), en)

    def outcome(self, meta: Meta, c: _Children) -> s.Word:
        return _word(c[0])

    def full(self, meta: Meta, c: _Children) -> s.FullResult:
        return s.FullResult(_pos_of(_token(c[0])))

    def review(self, meta: Meta, c: _Children) -> s.ReviewResult:
        en = _word(c[1]) if len(c) > 1 else None
        return s.ReviewResult(_word(c[0]), en, _meta_pos(meta, c))

    def accept(self, meta: Meta, c: _Children) -> s.AcceptResult:
        otherwise = _expr(c[1]) if len(c) > 1 else None
        return s.AcceptResult(_a(s.IntervalLit, c[0]), otherwise, _meta_pos(meta, c))

    def deduct_per(self, meta: Meta, c: _Children) -> s.DeductResult:
        whole = any(isinstance(x, Token) and x.type == "WHOLE" for x in c)
        rest = [x for x in c if not (isinstance(x, Token) and x.type == "WHOLE")]
        amount, per, side, limit = rest
        return s.DeductResult(
            _expr(amount), _expr(per), whole, _word(side), _expr(limit), _meta_pos(meta, c)
        )

    def deduct_each(self, meta: Meta, c: _Children) -> s.DeductResult:
        return s.DeductResult(_expr(c[0]), None, False, None, None, _meta_pos(meta, c))

    def points(self, meta: Meta, c: _Children) -> s.PointsResult:
        expr = _expr(c[0])
        return s.PointsResult(expr, expr.pos)

    # -- budget
    def budget_decl(self, meta: Meta, c: _Children) -> s.BudgetDecl:
        title = None
        en, rest = _split_en(c)
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        items = tuple(_budget_item(x) for x in rest)
        return s.BudgetDecl(title, items, _meta_pos(meta, c), en)

    def budget_setting(self, meta: Meta, c: _Children) -> s.BudgetSetting:
        value = c[1] if isinstance(c[1], s.Number) else _word(c[1])
        return s.BudgetSetting(_a(s.Word, c[0]), value, _meta_pos(meta, c))

    def budget_key(self, meta: Meta, c: _Children) -> s.Word:
        return _word(c[0])

    def budget_score(self, meta: Meta, c: _Children) -> s.BudgetScore:
        return s.BudgetScore(_expr(c[0]), _meta_pos(meta, c))

    # -- dispatch
    def apply_decl(self, meta: Meta, c: _Children) -> s.ApplyDecl:
        selectors = tuple(_selector(x) for x in c[:-1] if not isinstance(x, Token))
        target = c[-1]
        if isinstance(target, s.ReviewResult):
            return s.ApplyDecl(selectors, None, target, _meta_pos(meta, c))
        return s.ApplyDecl(selectors, _a(s.Word, target), None, _meta_pos(meta, c))

    def shape_selector(self, meta: Meta, c: _Children) -> s.ShapeSelector:
        shape = _a(s.Word, c[-1])
        return s.ShapeSelector(_word(c[0]), _negated(c), shape, _meta_pos(meta, c))

    def name_selector(self, meta: Meta, c: _Children) -> s.NameSelector:
        return s.NameSelector(_a(_Words, c[0]).items, _meta_pos(meta, c))

    def any_selector(self, meta: Meta, c: _Children) -> s.AnySelector:
        return s.AnySelector(_pos_of(_token(c[0])))

    def path_alts(self, meta: Meta, c: _Children) -> s.PathSelector:
        paths = tuple(_a(_Words, x).items for x in c)
        return s.PathSelector(paths, _meta_pos(meta, [paths[0][0], paths[-1][-1]]))

    def path(self, meta: Meta, c: _Children) -> _Words:
        return _Words(tuple(_word(t) for t in c))

    def to_rule(self, meta: Meta, c: _Children) -> s.Word:
        return _word(c[0])

    def to_review(self, meta: Meta, c: _Children) -> s.ReviewResult:
        return self.review(meta, c)

    # -- weights, grades, rounding, tolerance
    def weights_decl(self, meta: Meta, c: _Children) -> s.WeightsDecl:
        return s.WeightsDecl(tuple(_weight_item(x) for x in c), _meta_pos(meta, c))

    def weight_group(self, meta: Meta, c: _Children) -> s.WeightGroup:
        return s.WeightGroup(_word(c[0]), _a(s.Number, c[1]), _meta_pos(meta, c))

    def weight_off(self, meta: Meta, c: _Children) -> s.WeightOff:
        return s.WeightOff(_word(c[0]), _meta_pos(meta, c))

    def weight_total(self, meta: Meta, c: _Children) -> s.WeightTotal:
        return s.WeightTotal(_a(s.Number, c[1]), _meta_pos(meta, c))

    def weight_tolerance(self, meta: Meta, c: _Children) -> s.WeightTolerance:
        return s.WeightTolerance(_a(s.Number, c[1]), _meta_pos(meta, c))

    def grades_decl(self, meta: Meta, c: _Children) -> s.GradesDecl:
        en, rest = _split_en(c)
        name = None
        if rest and isinstance(rest[0], Token):
            name = _word(rest[0])
            rest = rest[1:]
        items = tuple(_a(s.GradeItem, x) for x in rest)
        return s.GradesDecl(items, _meta_pos(meta, c), name, en)

    def grade_item(self, meta: Meta, c: _Children) -> s.GradeItem:
        en, rest = _split_en(c)
        op = _a(str, rest[1]) if len(rest) > 2 else None
        bound = _a(s.Number, rest[2]) if len(rest) > 2 else None
        return s.GradeItem(_word(rest[0]), op, bound, _meta_pos(meta, c), en)

    def grade_op(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def round_decl(self, meta: Meta, c: _Children) -> s.RoundDecl:
        stage = _word(c[3]) if len(c) > 3 else None
        return s.RoundDecl(_word(c[0]), _number(c[1]), stage, _meta_pos(meta, c))

    def tolerance_decl(self, meta: Meta, c: _Children) -> s.ToleranceDecl:
        return s.ToleranceDecl(_a(s.Number, c[1]), _meta_pos(meta, c))

    # -- whole sheets
    def forms_decl(self, meta: Meta, c: _Children) -> s.FormsDecl:
        lists = [_a(_Words, x).items for x in c if isinstance(x, _Words)]
        about = lists[1] if len(lists) > 1 else ()
        return s.FormsDecl(lists[0], about, _meta_pos(meta, c))

    def not_applicable_decl(self, meta: Meta, c: _Children) -> s.NotApplicableDecl:
        return s.NotApplicableDecl(_a(_Words, c[0]).items, _meta_pos(meta, c))

    def rescale_decl(self, meta: Meta, c: _Children) -> s.RescaleDecl:
        return s.RescaleDecl(_a(s.Number, c[0]), _meta_pos(meta, c))

    def aggregate_decl(self, meta: Meta, c: _Children) -> s.AggregateDecl:
        return s.AggregateDecl(_word(c[0]), _meta_pos(meta, c))

    # -- flags
    def flag_decl(self, meta: Meta, c: _Children) -> s.FlagDecl:
        code = _word(c[0])
        zh: s.Word | None = None
        scope: s.Word | None = None
        rest = c[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            zh = _word(rest[0])
            rest = rest[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "ON":
            scope = _word(rest[1])
            rest = rest[2:]
        when = _expr(rest[0])
        items = _a(_FlagBody, rest[1]).items if len(rest) > 1 else ()
        return s.FlagDecl(code, zh, scope, when, items, _meta_pos(meta, c))

    def flag_body(self, meta: Meta, c: _Children) -> _FlagBody:
        return _FlagBody(tuple(_flag_item(x) for x in c))

    def flag_en(self, meta: Meta, c: _Children) -> s.FlagEn:
        return s.FlagEn(_word(c[0]), _meta_pos(meta, c))

    def flag_severity(self, meta: Meta, c: _Children) -> s.FlagSeverity:
        return s.FlagSeverity(_word(c[0]), _meta_pos(meta, c))

    def flag_off(self, meta: Meta, c: _Children) -> s.FlagOff:
        return s.FlagOff(_word(c[0]), _meta_pos(meta, c))

    # -- target review
    def review_decl(self, meta: Meta, c: _Children) -> s.ReviewDecl:
        en, rest = _split_en(c)
        title = None
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        items = tuple(_review_item(x) for x in rest)
        return s.ReviewDecl(title, items, _meta_pos(meta, c), en)

    def review_forms(self, meta: Meta, c: _Children) -> s.ReviewForms:
        return s.ReviewForms(_word(c[0]), _meta_pos(meta, c))

    def review_check(self, meta: Meta, c: _Children) -> s.ReviewCheck:
        name = _word(c[0])
        en, rest = _split_en(c[1:])
        zh = None
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            zh = _word(rest[0])
            rest = rest[1:]
        scope = next((x for x in rest if isinstance(x, s.PathSelector)), None)
        words = tuple(x for x in rest if isinstance(x, s.ReviewWords))
        body = next((x.items for x in rest if isinstance(x, _ReviewBody)), ())
        return s.ReviewCheck(name, zh, en, scope, words, body, _meta_pos(meta, c))

    def review_words(self, meta: Meta, c: _Children) -> s.ReviewWords:
        return s.ReviewWords(_a(s.Word, c[0]), _a(_Words, c[1]).items, _meta_pos(meta, c))

    def review_key(self, meta: Meta, c: _Children) -> s.Word:
        return _word(c[0])

    def review_body(self, meta: Meta, c: _Children) -> _ReviewBody:
        return _ReviewBody(tuple(_review_check_item(x) for x in c))

    def review_off(self, meta: Meta, c: _Children) -> s.ReviewOff:
        return s.ReviewOff(_word(c[0]), _meta_pos(meta, c))

    # -- conditions and expressions
    def or_test(self, meta: Meta, c: _Children) -> s.OrTest:
        items = tuple(_expr(x) for x in c if not isinstance(x, Token))
        return s.OrTest(items, _meta_pos(meta, c))

    def and_test(self, meta: Meta, c: _Children) -> s.AndTest:
        items = tuple(_expr(x) for x in c if not isinstance(x, Token))
        return s.AndTest(items, _meta_pos(meta, c))

    def not_test(self, meta: Meta, c: _Children) -> s.NotTest:
        return s.NotTest(_expr(c[1]), _meta_pos(meta, c))

    def compare(self, meta: Meta, c: _Children) -> s.Comparison:
        return s.Comparison(_expr(c[0]), _a(str, c[1]), _expr(c[2]), _meta_pos(meta, c))

    def in_interval(self, meta: Meta, c: _Children) -> s.InTest:
        return s.InTest(_expr(c[0]), _a(s.IntervalLit, c[1]), _meta_pos(meta, c))

    def is_test(self, meta: Meta, c: _Children) -> s.IsTest:
        return s.IsTest(_expr(c[0]), _negated(c), _a(s.Word, c[-1]), _meta_pos(meta, c))

    def meets(self, meta: Meta, c: _Children) -> s.MeetsTest:
        return s.MeetsTest(_expr(c[0]), _expr(c[1]), _meta_pos(meta, c))

    def cmp_op(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def shape(self, meta: Meta, c: _Children) -> s.Word:
        return _word(c[0])

    def interval(self, meta: Meta, c: _Children) -> s.IntervalLit:
        low, high = _bound(c[1]), _bound(c[2])
        return s.IntervalLit(_a(str, c[0]), low, high, _a(str, c[3]), _meta_pos(meta, c))

    def lbound(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def rbound(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def sum(self, meta: Meta, c: _Children) -> s.Expr:
        return self._fold(c)

    def product(self, meta: Meta, c: _Children) -> s.Expr:
        return self._fold(c)

    def _fold(self, c: _Children) -> s.Expr:
        expr = _expr(c[0])
        for op, item in zip(c[1::2], c[2::2], strict=True):
            right = _expr(item)
            text = ARITHMETIC_ASCII.get(str(op), str(op))
            expr = s.BinaryOp(text, expr, right, _span(expr, right))
        return expr

    def neg(self, meta: Meta, c: _Children) -> s.Negate:
        return s.Negate(_expr(c[0]), _meta_pos(meta, c))

    def var(self, meta: Meta, c: _Children) -> s.Name:
        token = _token(c[0])
        return s.Name(str(token), _pos_of(token))

    def call(self, meta: Meta, c: _Children) -> s.Call:
        token = _token(c[0])
        args = tuple(_expr(x) for x in c[1:])
        return s.Call(s.Name(str(token), _pos_of(token)), args, _meta_pos(meta, c))

    def number(self, meta: Meta, c: _Children) -> s.Number:
        return _number(c[0])

    def signed_number(self, meta: Meta, c: _Children) -> _SignedNumber:
        # a leading "-" token is kept by the `!` rule
        return _SignedNumber(len(c) > 1, _a(s.Number, c[-1]))
