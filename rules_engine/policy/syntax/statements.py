"""Syntax nodes of the other statements (header, terms, weights, grades, whole-sheet settings,
flags, target review) and of the policy file that holds them with its comments."""

from __future__ import annotations

from dataclasses import dataclass, field

from rules_engine.policy.syntax.blocks import (
    ApplyDecl,
    BasisDecl,
    BudgetDecl,
    NoteDecl,
    PathSelector,
    RuleDecl,
)
from rules_engine.policy.syntax.expressions import Expr, Number, Pos, Word


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
class CategoriesDecl:
    """``categories 投入指标, 过程指标``: category names the policy's forms print."""

    words: tuple[Word, ...]
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
