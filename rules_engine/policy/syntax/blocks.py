"""Syntax nodes of the blocks that score: a clause and what it gives, the items of ``rule`` and
``budget`` blocks, and the selectors of ``apply``."""

from __future__ import annotations

from dataclasses import dataclass

from rules_engine.policy.syntax.expressions import Expr, IntervalLit, Number, Pos, Word


@dataclass(frozen=True, slots=True)
class FullResult:
    """``full``."""

    pos: Pos


@dataclass(frozen=True, slots=True)
class PointsResult:
    """An expression result (a bare percentage is a share of the weight; the compiler decides)."""

    expr: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class ReviewResult:
    """``review "理由" [en "reason"]``."""

    zh: Word
    en: Word | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class AcceptResult:
    """``accept [80%, 100%] [else EXPR]``."""

    band: IntervalLit
    otherwise: Expr | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class DeductResult:
    """``deduct 1 per [whole] 1% above|below 100%`` or ``deduct 1 each``.

    `side` is the keyword as written (``above``, ``below``), ``None`` for ``each``; `per` and
    `limit` are ``None`` for ``each`` too."""

    amount: Expr
    per: Expr | None
    whole: bool
    side: Word | None
    limit: Expr | None
    pos: Pos


Result = FullResult | PointsResult | ReviewResult | AcceptResult | DeductResult


@dataclass(frozen=True, slots=True)
class Clause:
    """``when TEST => RESULT [as OUTCOME] ["说明"]``; `when` is ``None`` for ``otherwise``."""

    when: Expr | None
    result: Result
    outcome: Word | None
    label: Word | None
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class BasisDecl:
    """``basis "财预〔2020〕10号"``: the legal source (at top level or inside a block)."""

    text: Word
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class NoteDecl:
    """``note "说明"``: an explanation shown with the rule (at top level or inside a block)."""

    text: Word
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class CapDecl:
    """``cap EXPR`` or ``cap none``."""

    expr: Expr | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class FloorDecl:
    """``floor EXPR`` or ``floor none``."""

    expr: Expr | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class DirectionDecl:
    """``direction up`` / ``down`` / ``none``: how the score moves as the actual rises."""

    value: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class FullAtDecl:
    """``full at target`` / ``full at 100%`` / ``full at none``: where full marks start."""

    expr: Expr | None
    pos: Pos


RuleItem = BasisDecl | NoteDecl | CapDecl | FloorDecl | DirectionDecl | FullAtDecl | Clause


@dataclass(frozen=True, slots=True)
class RuleDecl:
    """``rule 名称 ["标题"] { … }``."""

    name: Word
    title: Word | None
    items: tuple[RuleItem, ...]
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class BudgetSetting:
    """``weight 10`` / ``denominator adjusted`` / ``rows total`` / ``rate_tolerance 0.01``."""

    key: Word
    value: Number | Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class BudgetScore:
    """``score = EXPR`` (the same as ``otherwise => EXPR``)."""

    expr: Expr
    pos: Pos


BudgetItem = (
    BasisDecl | NoteDecl | CapDecl | FloorDecl | Clause | BudgetSetting | BudgetScore | FullAtDecl
)


@dataclass(frozen=True, slots=True)
class BudgetDecl:
    """``budget ["预算执行率"] { … }``."""

    title: Word | None
    items: tuple[BudgetItem, ...]
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class PathSelector:
    """``成本指标/*, */成本指标``: alternatives, each a tuple of segments."""

    paths: tuple[tuple[Word, ...], ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class ShapeSelector:
    """``target is <=`` / ``actual is not term``."""

    subject: Word
    negated: bool
    shape: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class NameSelector:
    """``name 三公经费控制率, "三公经费变动率"``: the indicator's own name (fixed sheets)."""

    names: tuple[Word, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class AnySelector:
    """``otherwise`` in an apply."""

    pos: Pos


Selector = PathSelector | ShapeSelector | NameSelector | AnySelector


@dataclass(frozen=True, slots=True)
class ApplyDecl:
    """``apply SELECTOR [and SELECTOR…] -> 规则`` or ``-> review "理由"``."""

    selectors: tuple[Selector, ...]
    rule: Word | None
    review: ReviewResult | None
    pos: Pos
