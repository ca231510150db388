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

from rules_engine.policy.nodes import (
    AcceptResult,
    AndTest,
    AnySelector,
    ApplyDecl,
    BasisDecl,
    BinaryOp,
    BudgetDecl,
    BudgetItem,
    BudgetScore,
    BudgetSetting,
    Call,
    CapDecl,
    CategoriesDecl,
    Clause,
    Comparison,
    DeadlineDecl,
    DirectionDecl,
    EnText,
    Expr,
    ExtendsDecl,
    FlagDecl,
    FlagEn,
    FlagItem,
    FlagOff,
    FlagSeverity,
    FloorDecl,
    FullAtDecl,
    FullResult,
    GradeItem,
    GradesDecl,
    IntervalLit,
    InTest,
    IsTest,
    MeetsTest,
    Name,
    Negate,
    NoteDecl,
    NotTest,
    Number,
    OrTest,
    PathSelector,
    PointsResult,
    PolicyDecl,
    Pos,
    Result,
    ReviewResult,
    RoundDecl,
    RuleDecl,
    RuleItem,
    Selector,
    ShapeSelector,
    Statement,
    TermDecl,
    TermsDecl,
    ToleranceDecl,
    Unbounded,
    WeightGroup,
    WeightItem,
    WeightsDecl,
    WeightTolerance,
    WeightTotal,
    Word,
)
from rules_engine.signs import ARITHMETIC_ASCII

__all__ = ["build", "builder_methods"]


def build(tree: Tree[Token]) -> list[Statement]:
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

    items: tuple[Word, ...]


@dataclass(frozen=True, slots=True)
class _FlagBody:
    items: tuple[FlagItem, ...]


@dataclass(frozen=True, slots=True)
class _SignedNumber:
    negative: bool
    number: Number


_T = TypeVar("_T")


def _a(kind: type[_T], item: object) -> _T:
    """`item`, which the grammar makes a `kind`."""
    if isinstance(item, kind):
        return item
    raise TypeError(f"expected {kind.__name__}, got {type(item).__name__}")


def _expr(item: object) -> Expr:
    if isinstance(item, Expr):
        return item
    raise TypeError(f"expected an expression, got {type(item).__name__}")


def _token(item: object) -> Token:
    return _a(Token, item)


def _opt_expr(item: object) -> Expr | None:
    """An expression, or ``None`` for the ``none`` keyword (``cap none``)."""
    return None if isinstance(item, Token) and item.type == "NONE" else _expr(item)


def _bound(item: object) -> Expr | Unbounded:
    if isinstance(item, Token):
        return Unbounded(str(item), _pos_of(item))
    return _expr(item)


def _pos_of(item: object) -> Pos:
    if isinstance(item, Token):
        end_line = item.end_line if item.end_line is not None else item.line or 1
        end_col = item.end_column if item.end_column is not None else (item.column or 1) + 1
        return Pos(item.line or 1, item.column or 1, end_line, end_col)
    pos = getattr(item, "pos", None)
    if isinstance(pos, Pos):
        return pos
    raise TypeError(f"no position for {item!r}")


def _span(first: object, last: object) -> Pos:
    a, b = _pos_of(first), _pos_of(last)
    return Pos(a.line, a.col, b.end_line, b.end_col)


def _meta_pos(meta: Meta, children: Sequence[object]) -> Pos:
    if not meta.empty:
        return Pos(meta.line, meta.column, meta.end_line, meta.end_column)
    if children:
        return _span(children[0], children[-1])
    return Pos(1, 1, 1, 2)


def _unquote(token: Token) -> str:
    text = str(token)
    if text[:1] in '"“' and len(text) >= 2:
        return text[1:-1]
    return text


def _split_en(children: Sequence[object]) -> tuple[Word | None, list[object]]:
    """The ``en "…"`` among a rule's children (its text), and the other children."""
    en = next((x.text for x in children if isinstance(x, EnText)), None)
    return en, [x for x in children if not isinstance(x, EnText)]


def _word(item: object) -> Word:
    token = _token(item)
    text = str(token)
    return Word(_unquote(token), text[:1] in '"“', _pos_of(token))


def _number(item: object) -> Number:
    token = _token(item)
    text = str(token)
    percent = text.endswith("%")
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:  # the grammar only lets digits through; keep the tree total anyway
        value = Decimal(0)
    if percent:
        value = value / 100
    return Number(text, value, percent, _pos_of(token))


def _rule_item(item: object) -> RuleItem:
    if isinstance(item, RuleItem):
        return item
    raise TypeError(f"expected a rule item, got {type(item).__name__}")


def _budget_item(item: object) -> BudgetItem:
    if isinstance(item, BudgetItem):
        return item
    raise TypeError(f"expected a budget item, got {type(item).__name__}")


def _statement(item: object) -> Statement:
    if isinstance(item, Statement):
        return item
    raise TypeError(f"expected a statement, got {type(item).__name__}")


def _selector(item: object) -> Selector:
    if isinstance(item, Selector):
        return item
    raise TypeError(f"expected a selector, got {type(item).__name__}")


def _result(item: object) -> Result:
    if isinstance(item, Result):
        return item
    raise TypeError(f"expected a result, got {type(item).__name__}")


def _weight_item(item: object) -> WeightItem:
    if isinstance(item, WeightItem):
        return item
    raise TypeError(f"expected a weight item, got {type(item).__name__}")


def _flag_item(item: object) -> FlagItem:
    if isinstance(item, FlagItem):
        return item
    raise TypeError(f"expected a flag item, got {type(item).__name__}")


def _negated(children: Sequence[object]) -> bool:
    return any(isinstance(x, Token) and x.type == "NOT" for x in children)


_Children = list[object]


@v_args(meta=True)
class _Build(Transformer[Token, list[Statement]]):
    """Build syntax nodes bottom-up; each method is named after the grammar rule it builds."""

    # -- top level
    def start(self, meta: Meta, c: _Children) -> list[Statement]:
        return [_statement(x) for x in c]

    def policy_decl(self, meta: Meta, c: _Children) -> PolicyDecl:
        en, rest = _split_en(c)
        year = next((x for x in rest[1:] if isinstance(x, Number)), None)
        region = next((x for x in rest[1:] if isinstance(x, Word)), None)
        return PolicyDecl(_word(rest[0]), year, region, _meta_pos(meta, c), en)

    def policy_year(self, meta: Meta, c: _Children) -> Number:
        return _number(c[1])

    def policy_region(self, meta: Meta, c: _Children) -> Word:
        return _word(c[1])

    def extends_decl(self, meta: Meta, c: _Children) -> ExtendsDecl:
        return ExtendsDecl(_word(c[0]), _meta_pos(meta, c))

    def basis_decl(self, meta: Meta, c: _Children) -> BasisDecl:
        en, rest = _split_en(c)
        return BasisDecl(_word(rest[0]), _meta_pos(meta, c), en)

    def note_decl(self, meta: Meta, c: _Children) -> NoteDecl:
        en, rest = _split_en(c)
        return NoteDecl(_word(rest[0]), _meta_pos(meta, c), en)

    def en_text(self, meta: Meta, c: _Children) -> EnText:
        return EnText(_word(c[0]), _meta_pos(meta, c))

    # -- terms
    def terms_decl(self, meta: Meta, c: _Children) -> TermsDecl:
        en, rest = _split_en(c)
        words = _a(_Words, rest[2]).items
        return TermsDecl(_word(rest[0]), _a(str, rest[1]), words, _meta_pos(meta, c), en)

    def terms_op(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def term_decl(self, meta: Meta, c: _Children) -> TermDecl:
        signed = _a(_SignedNumber, c[2])
        words = _a(_Words, c[0]).items
        pos = _meta_pos(meta, c)
        return TermDecl(words, _a(str, c[1]), signed.number, signed.negative, pos)

    def word_list(self, meta: Meta, c: _Children) -> _Words:
        return _Words(tuple(_word(t) for t in c))

    def deadline_decl(self, meta: Meta, c: _Children) -> DeadlineDecl:
        return DeadlineDecl(_word(c[0]), _meta_pos(meta, c))

    def categories_decl(self, meta: Meta, c: _Children) -> CategoriesDecl:
        return CategoriesDecl(_a(_Words, c[0]).items, _meta_pos(meta, c))

    # -- rules
    def rule_decl(self, meta: Meta, c: _Children) -> RuleDecl:
        name = _word(c[0])
        en, rest = _split_en(c[1:])
        title = None
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        items = tuple(_rule_item(x) for x in rest)
        return RuleDecl(name, title, items, _meta_pos(meta, c), en)

    def cap_decl(self, meta: Meta, c: _Children) -> CapDecl:
        return CapDecl(_opt_expr(c[0]), _meta_pos(meta, c))

    def floor_decl(self, meta: Meta, c: _Children) -> FloorDecl:
        return FloorDecl(_opt_expr(c[0]), _meta_pos(meta, c))

    def direction_decl(self, meta: Meta, c: _Children) -> DirectionDecl:
        return DirectionDecl(_word(c[0]), _meta_pos(meta, c))

    def full_at_decl(self, meta: Meta, c: _Children) -> FullAtDecl:
        return FullAtDecl(_opt_expr(c[-1]), _meta_pos(meta, c))

    def when_clause(self, meta: Meta, c: _Children) -> Clause:
        return self._clause(meta, _expr(c[0]), c[1:])

    def otherwise_clause(self, meta: Meta, c: _Children) -> Clause:
        return self._clause(meta, None, c)

    def _clause(self, meta: Meta, when: Expr | None, rest: _Children) -> Clause:
        en, tail = _split_en(rest[1:])
        result = _result(rest[0])
        outcome = next((x for x in tail if isinstance(x, Word) and not x.quoted), None)
        label = next((_word(x) for x in tail if isinstance(x, Token)), None)
        return Clause(when, result, outcome, label, _meta_pos(meta, rest), en)

    def outcome(self, meta: Meta, c: _Children) -> Word:
        return _word(c[0])

    def full(self, meta: Meta, c: _Children) -> FullResult:
        return FullResult(_pos_of(_token(c[0])))

    def review(self, meta: Meta, c: _Children) -> ReviewResult:
        en = _word(c[1]) if len(c) > 1 else None
        return ReviewResult(_word(c[0]), en, _meta_pos(meta, c))

    def accept(self, meta: Meta, c: _Children) -> AcceptResult:
        otherwise = _expr(c[1]) if len(c) > 1 else None
        return AcceptResult(_a(IntervalLit, c[0]), otherwise, _meta_pos(meta, c))

    def points(self, meta: Meta, c: _Children) -> PointsResult:
        expr = _expr(c[0])
        return PointsResult(expr, expr.pos)

    # -- budget
    def budget_decl(self, meta: Meta, c: _Children) -> BudgetDecl:
        title = None
        en, rest = _split_en(c)
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        items = tuple(_budget_item(x) for x in rest)
        return BudgetDecl(title, items, _meta_pos(meta, c), en)

    def budget_setting(self, meta: Meta, c: _Children) -> BudgetSetting:
        value = c[1] if isinstance(c[1], Number) else _word(c[1])
        return BudgetSetting(_a(Word, c[0]), value, _meta_pos(meta, c))

    def budget_key(self, meta: Meta, c: _Children) -> Word:
        return _word(c[0])

    def budget_score(self, meta: Meta, c: _Children) -> BudgetScore:
        return BudgetScore(_expr(c[0]), _meta_pos(meta, c))

    # -- dispatch
    def apply_decl(self, meta: Meta, c: _Children) -> ApplyDecl:
        selectors = tuple(_selector(x) for x in c[:-1] if not isinstance(x, Token))
        target = c[-1]
        if isinstance(target, ReviewResult):
            return ApplyDecl(selectors, None, target, _meta_pos(meta, c))
        return ApplyDecl(selectors, _a(Word, target), None, _meta_pos(meta, c))

    def shape_selector(self, meta: Meta, c: _Children) -> ShapeSelector:
        shape = _a(Word, c[-1])
        return ShapeSelector(_word(c[0]), _negated(c), shape, _meta_pos(meta, c))

    def any_selector(self, meta: Meta, c: _Children) -> AnySelector:
        return AnySelector(_pos_of(_token(c[0])))

    def path_alts(self, meta: Meta, c: _Children) -> PathSelector:
        paths = tuple(_a(_Words, x).items for x in c)
        return PathSelector(paths, _meta_pos(meta, [paths[0][0], paths[-1][-1]]))

    def path(self, meta: Meta, c: _Children) -> _Words:
        return _Words(tuple(_word(t) for t in c))

    def to_rule(self, meta: Meta, c: _Children) -> Word:
        return _word(c[0])

    def to_review(self, meta: Meta, c: _Children) -> ReviewResult:
        return self.review(meta, c)

    # -- weights, grades, rounding, tolerance
    def weights_decl(self, meta: Meta, c: _Children) -> WeightsDecl:
        return WeightsDecl(tuple(_weight_item(x) for x in c), _meta_pos(meta, c))

    def weight_group(self, meta: Meta, c: _Children) -> WeightGroup:
        return WeightGroup(_word(c[0]), _a(Number, c[1]), _meta_pos(meta, c))

    def weight_total(self, meta: Meta, c: _Children) -> WeightTotal:
        return WeightTotal(_a(Number, c[1]), _meta_pos(meta, c))

    def weight_tolerance(self, meta: Meta, c: _Children) -> WeightTolerance:
        return WeightTolerance(_a(Number, c[1]), _meta_pos(meta, c))

    def grades_decl(self, meta: Meta, c: _Children) -> GradesDecl:
        return GradesDecl(tuple(_a(GradeItem, x) for x in c), _meta_pos(meta, c))

    def grade_item(self, meta: Meta, c: _Children) -> GradeItem:
        en, rest = _split_en(c)
        op = _a(str, rest[1]) if len(rest) > 2 else None
        bound = _a(Number, rest[2]) if len(rest) > 2 else None
        return GradeItem(_word(rest[0]), op, bound, _meta_pos(meta, c), en)

    def grade_op(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def round_decl(self, meta: Meta, c: _Children) -> RoundDecl:
        stage = _word(c[3]) if len(c) > 3 else None
        return RoundDecl(_word(c[0]), _number(c[1]), stage, _meta_pos(meta, c))

    def tolerance_decl(self, meta: Meta, c: _Children) -> ToleranceDecl:
        return ToleranceDecl(_a(Number, c[1]), _meta_pos(meta, c))

    # -- flags
    def flag_decl(self, meta: Meta, c: _Children) -> FlagDecl:
        code = _word(c[0])
        zh: Word | None = None
        scope: Word | None = None
        rest = c[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            zh = _word(rest[0])
            rest = rest[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "ON":
            scope = _word(rest[1])
            rest = rest[2:]
        when = _expr(rest[0])
        items = _a(_FlagBody, rest[1]).items if len(rest) > 1 else ()
        return FlagDecl(code, zh, scope, when, items, _meta_pos(meta, c))

    def flag_body(self, meta: Meta, c: _Children) -> _FlagBody:
        return _FlagBody(tuple(_flag_item(x) for x in c))

    def flag_en(self, meta: Meta, c: _Children) -> FlagEn:
        return FlagEn(_word(c[0]), _meta_pos(meta, c))

    def flag_severity(self, meta: Meta, c: _Children) -> FlagSeverity:
        return FlagSeverity(_word(c[0]), _meta_pos(meta, c))

    def flag_off(self, meta: Meta, c: _Children) -> FlagOff:
        return FlagOff(_word(c[0]), _meta_pos(meta, c))

    # -- conditions and expressions
    def or_test(self, meta: Meta, c: _Children) -> OrTest:
        items = tuple(_expr(x) for x in c if not isinstance(x, Token))
        return OrTest(items, _meta_pos(meta, c))

    def and_test(self, meta: Meta, c: _Children) -> AndTest:
        items = tuple(_expr(x) for x in c if not isinstance(x, Token))
        return AndTest(items, _meta_pos(meta, c))

    def not_test(self, meta: Meta, c: _Children) -> NotTest:
        return NotTest(_expr(c[1]), _meta_pos(meta, c))

    def compare(self, meta: Meta, c: _Children) -> Comparison:
        return Comparison(_expr(c[0]), _a(str, c[1]), _expr(c[2]), _meta_pos(meta, c))

    def in_interval(self, meta: Meta, c: _Children) -> InTest:
        return InTest(_expr(c[0]), _a(IntervalLit, c[1]), _meta_pos(meta, c))

    def is_test(self, meta: Meta, c: _Children) -> IsTest:
        return IsTest(_expr(c[0]), _negated(c), _a(Word, c[-1]), _meta_pos(meta, c))

    def meets(self, meta: Meta, c: _Children) -> MeetsTest:
        return MeetsTest(_expr(c[0]), _expr(c[1]), _meta_pos(meta, c))

    def cmp_op(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def shape(self, meta: Meta, c: _Children) -> Word:
        return _word(c[0])

    def interval(self, meta: Meta, c: _Children) -> IntervalLit:
        low, high = _bound(c[1]), _bound(c[2])
        return IntervalLit(_a(str, c[0]), low, high, _a(str, c[3]), _meta_pos(meta, c))

    def lbound(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def rbound(self, meta: Meta, c: _Children) -> str:
        return str(c[0])

    def sum(self, meta: Meta, c: _Children) -> Expr:
        return self._fold(c)

    def product(self, meta: Meta, c: _Children) -> Expr:
        return self._fold(c)

    def _fold(self, c: _Children) -> Expr:
        expr = _expr(c[0])
        for op, item in zip(c[1::2], c[2::2], strict=True):
            right = _expr(item)
            text = ARITHMETIC_ASCII.get(str(op), str(op))
            expr = BinaryOp(text, expr, right, _span(expr, right))
        return expr

    def neg(self, meta: Meta, c: _Children) -> Negate:
        return Negate(_expr(c[0]), _meta_pos(meta, c))

    def var(self, meta: Meta, c: _Children) -> Name:
        token = _token(c[0])
        return Name(str(token), _pos_of(token))

    def call(self, meta: Meta, c: _Children) -> Call:
        token = _token(c[0])
        args = tuple(_expr(x) for x in c[1:])
        return Call(Name(str(token), _pos_of(token)), args, _meta_pos(meta, c))

    def number(self, meta: Meta, c: _Children) -> Number:
        return _number(c[0])

    def signed_number(self, meta: Meta, c: _Children) -> _SignedNumber:
        # a leading "-" token is kept by the `!` rule
        return _SignedNumber(len(c) > 1, _a(Number, c[-1]))
