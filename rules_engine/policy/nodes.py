"""The policy syntax tree: typed, located nodes for every statement, name, literal and comment.

`rules_engine.policy.parse.parse_policy` builds it; the compiler and the formatter read it.
Every node keeps its source span (`Pos`), so messages can point at it and `fmt` can print it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Pos:
    """A source span: 1-based line and column of its first and last-plus-one character."""

    line: int
    col: int
    end_line: int
    end_col: int

    @property
    def width(self) -> int:
        """Characters covered on the first line (at least 1)."""
        return max(self.end_col - self.col, 1) if self.end_line == self.line else 0


@dataclass(frozen=True, slots=True)
class Word:
    """A name, a path segment or a quoted text: `text` without quotes, `quoted` if it had them."""

    text: str
    quoted: bool
    pos: Pos


@dataclass(frozen=True, slots=True)
class Number:
    """A number literal as written (`text`), its value (``80%`` → 0.8) and whether it had ``%``."""

    text: str
    value: Decimal
    percent: bool
    pos: Pos


@dataclass(frozen=True, slots=True)
class Name:
    """A bare name inside an expression: a variable (``actual``) or a term (``达成``)."""

    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class Unbounded:
    """``*`` or ``∞`` as an interval end."""

    text: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class BinaryOp:
    """``left op right`` with op ``+ - * /`` (``×`` and ``÷`` are read as ``*`` and ``/``)."""

    op: str
    left: Expr
    right: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class Negate:
    """``-operand``."""

    operand: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class Call:
    """``name(arg, …)``."""

    name: Name
    args: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class Comparison:
    """``left op right`` (op as written: ``>=``, ``≥``, ``=``, …)."""

    left: Expr
    op: str
    right: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class IntervalLit:
    """``[low, high)``: brackets as written; ``Unbounded`` ends for ``*``."""

    low_bracket: str
    low: Expr | Unbounded
    high: Expr | Unbounded
    high_bracket: str
    pos: Pos


@dataclass(frozen=True, slots=True)
class InTest:
    """``subject in [a, b)``."""

    subject: Expr
    interval: IntervalLit
    pos: Pos


@dataclass(frozen=True, slots=True)
class IsTest:
    """``subject is [not] shape`` (``target is term``, ``note is empty``, ``actual is 达成``)."""

    subject: Expr
    negated: bool
    shape: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class MeetsTest:
    """``left meets right`` (``actual meets target``)."""

    left: Expr
    right: Expr
    pos: Pos


@dataclass(frozen=True, slots=True)
class AndTest:
    """``a and b and …``."""

    items: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class OrTest:
    """``a or b or …``."""

    items: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class NotTest:
    """``not item``."""

    item: Expr
    pos: Pos


Expr = (
    Number
    | Name
    | BinaryOp
    | Negate
    | Call
    | Comparison
    | InTest
    | IsTest
    | MeetsTest
    | AndTest
    | OrTest
    | NotTest
)


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
class PolicyDecl:
    """``policy "标题" [year 2021] [region "武威市"]``."""

    title: Word
    year: Number | None
    region: Word | None
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class ExtendsDecl:
    """``extends "national-2020"`` (a shipped name or a relative path)."""

    target: Word
    pos: Pos


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
class TermsDecl:
    """``terms 达成 = 完成, 已完成`` (``+=`` adds to an inherited vocabulary)."""

    label: Word
    op: str
    words: tuple[Word, ...]
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class TermDecl:
    """``term 正增长, 增长 = > 0``."""

    words: tuple[Word, ...]
    op: str
    value: Number
    negative: bool
    pos: Pos


@dataclass(frozen=True, slots=True)
class DeadlineDecl:
    """``deadline 达成``: words of this vocabulary meet a date target."""

    vocabulary: Word
    pos: Pos


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


@dataclass(frozen=True, slots=True)
class CategoriesDecl:
    """``categories 投入指标, 过程指标``: category names the policy's forms print."""

    words: tuple[Word, ...]
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


@dataclass(frozen=True, slots=True)
class WeightGroup:
    """``产出指标 50`` inside ``weights``."""

    name: Word
    value: Number
    pos: Pos


@dataclass(frozen=True, slots=True)
class WeightTotal:
    """``total 100`` inside ``weights``."""

    value: Number
    pos: Pos


@dataclass(frozen=True, slots=True)
class WeightTolerance:
    """``tolerance 0.01`` inside ``weights``."""

    value: Number
    pos: Pos


@dataclass(frozen=True, slots=True)
class WeightOff:
    """``产出指标 off`` inside ``weights``: drop a group the extended policy set."""

    name: Word
    pos: Pos


WeightItem = WeightGroup | WeightTotal | WeightTolerance | WeightOff


@dataclass(frozen=True, slots=True)
class WeightsDecl:
    """``weights { … }``."""

    items: tuple[WeightItem, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class GradeItem:
    """``优 >= 90`` or a bare ``差``."""

    label: Word
    op: str | None
    bound: Number | None
    pos: Pos
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class GradesDecl:
    """``grades ["名称"] { … }``: the grade bands; a named set after the first is an alternative."""

    items: tuple[GradeItem, ...]
    pos: Pos
    name: Word | None = None
    en: Word | None = None


@dataclass(frozen=True, slots=True)
class RoundDecl:
    """``round half_up 2 [at line]``."""

    method: Word
    places: Number
    stage: Word | None
    pos: Pos


@dataclass(frozen=True, slots=True)
class ToleranceDecl:
    """``tolerance 0.1``: allowed difference between the self-score and the policy score."""

    value: Number
    pos: Pos


@dataclass(frozen=True, slots=True)
class FormsDecl:
    """``forms 部门整体支出 [about "禁捕", …]``: the kinds of form the policy scores."""

    kinds: tuple[Word, ...]
    about: tuple[Word, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class NotApplicableDecl:
    """``not_applicable "不适用", "/"``: how a line not applicable to the unit is written."""

    words: tuple[Word, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class RescaleDecl:
    """``rescale to 100``: the total over the applicable weight, scaled to this many points."""

    to: Number
    pos: Pos


@dataclass(frozen=True, slots=True)
class AggregateDecl:
    """``aggregate recipients by adjusted``: recipients' forms added up before scoring."""

    funds: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class EnText:
    """``en "English"``: the English for the Chinese text before it."""

    text: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class FlagEn:
    """``en "message"`` inside a flag body."""

    text: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class FlagSeverity:
    """``severity warning`` inside a flag body."""

    level: Word
    pos: Pos


FlagItem = FlagEn | FlagSeverity | BasisDecl | NoteDecl


@dataclass(frozen=True, slots=True)
class FlagDecl:
    """``flag CODE ["中文"] [on SCOPE] when TEST [{ … }]``."""

    code: Word
    zh: Word | None
    scope: Word | None
    when: Expr
    items: tuple[FlagItem, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class FlagOff:
    """``flag CODE off``: drop an inherited flag."""

    code: Word
    pos: Pos


# ---- target review (绩效目标审核) -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewForms:
    """``forms targets_only`` / ``forms all``: which forms' targets the review reads."""

    value: Word
    pos: Pos


@dataclass(frozen=True, slots=True)
class ReviewWords:
    """``require 数量指标, 质量指标`` / ``up 增加, 提高`` / ``down 下降``: a check's word list."""

    key: Word
    words: tuple[Word, ...]
    pos: Pos


ReviewCheckItem = FlagSeverity | BasisDecl | NoteDecl


@dataclass(frozen=True, slots=True)
class ReviewCheck:
    """``check NAME ["标题"] [en "…"] [on PATHS] [require|up|down WORDS…] [{ … }]``."""

    name: Word
    zh: Word | None
    en: Word | None
    scope: PathSelector | None
    words: tuple[ReviewWords, ...]
    items: tuple[ReviewCheckItem, ...]
    pos: Pos


@dataclass(frozen=True, slots=True)
class ReviewOff:
    """``check NAME off``: drop a check the extended policy's review has."""

    name: Word
    pos: Pos


ReviewItem = BasisDecl | NoteDecl | ReviewForms | ReviewCheck | ReviewOff


@dataclass(frozen=True, slots=True)
class ReviewDecl:
    """``review targets ["标题"] [en "…"] { … }``: which 绩效目标审核 checks run, and how."""

    title: Word | None
    items: tuple[ReviewItem, ...]
    pos: Pos
    en: Word | None = None


Statement = (
    PolicyDecl
    | ExtendsDecl
    | BasisDecl
    | NoteDecl
    | TermsDecl
    | TermDecl
    | DeadlineDecl
    | CategoriesDecl
    | RuleDecl
    | BudgetDecl
    | ApplyDecl
    | WeightsDecl
    | GradesDecl
    | RoundDecl
    | ToleranceDecl
    | FlagDecl
    | FlagOff
    | ReviewDecl
    | FormsDecl
    | NotApplicableDecl
    | RescaleDecl
    | AggregateDecl
)


@dataclass(frozen=True, slots=True)
class Comment:
    """A ``#`` comment: its text (with the ``#``) and position."""

    text: str
    pos: Pos


@dataclass(frozen=True)
class PolicyFile:
    """One policy file: its display path, text, statements in order and comments."""

    file: str
    text: str
    statements: tuple[Statement, ...]
    comments: tuple[Comment, ...] = ()
    lines: tuple[str, ...] = field(default=(), repr=False)
    # Names declared by statements that did not parse (rule, terms, term, flag), so later
    # stages do not report them again as unknown.
    unparsed: tuple[str, ...] = ()

    def line_text(self, line: int) -> str:
        """The source line `line` (1-based), without its newline; empty when out of range."""
        return self.lines[line - 1] if 0 < line <= len(self.lines) else ""
