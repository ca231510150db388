"""The compiled policy: the checked, resolved form of a policy file that the engine executes.

This module is the contract between the policy compiler and everything that runs a policy
(`rules_engine.engine`, `explain`, `verify`, `diff`). It holds data only, plus a few pure
helpers that fix the matching semantics in one place; it never executes host code. It defines
the whole (`CompiledPolicy`) and names every part, which `rules_engine.policy.ir` defines by theme:
callers import them from here (``from rules_engine.policy import model as m``).

Semantics in brief (the docstrings of each node give the details):

* **Numbers** are `Decimal`. A percent literal in a policy is a fraction: ``80%`` is ``0.8``.
  Form values carrying the unit ``%`` (or 百分比) are read the same way: an actual of ``98%``
  is the number ``0.98`` for every expression, so ``actual >= 80%`` compares like with like.
  Other units are left as printed (``3家`` is 3). Ratios such as ``actual / target`` are
  therefore unit-free whatever the unit.
* **Variables** an expression may name, by scope (``VARIABLES``):
    - indicator line rules and line flags: ``actual`` (the actual as a number), ``target``
      (the target's number: a comparison's value, a range's *low* bound, a predicate term's
      value), ``low`` / ``high`` (a range's bounds; for a comparison both equal its value),
      ``weight`` (the line's 分值), ``self_score`` (the unit's own 得分), ``score`` (line flags
      only: the policy score after rounding);
    - the budget rule and budget flags: ``executed`` (全年执行数), ``adjusted`` (全年预算数 /
      调整后预算数), ``initial`` (年初预算数), ``budget`` (the denominator the budget rule
      chose, see `BudgetRule.denominator`), ``rate`` (``executed / budget``), ``weight`` (the
      budget weight), ``self_score`` (the score printed on the budget row), ``reported_rate``
      (the 执行率 printed on the form, as a fraction);
    - form flags: ``indicator_score`` / ``indicator_weight`` (sums over indicator lines that
      were scored), ``indicator_rate`` (their quotient), ``budget_score`` / ``budget_weight``,
      ``execution_rate`` (the budget ``rate``), ``total`` (policy total), ``self_total`` (the
      total printed on the form), ``weight_total`` (sum of all line weights + budget weight).
  A variable that has no value for a line (a missing actual, ``low`` of a term target, a
  division by zero) makes the clause *unevaluable*: the engine turns the line into a
  ``review`` line whose reason names the variable; it never substitutes 0.
* **Rules** are ordered clause lists: the first clause whose condition holds gives the
  result (`Clause`). The result is then clamped to ``[floor, cap]`` (default ``[0, weight]``)
  and rounded per `Rounding`.
* **Dispatch** (`Apply`) picks the rule for a line: the first `Apply` whose selectors all
  match wins; if none matches, the line is a ``review`` line ("no rule applies"), never 0.
* **Terms**: `Vocabulary` groups synonyms under one label (达成 ≈ 完成 ≈ 达成预期指标);
  `TermPredicate` gives a word a numeric meaning (正增长 = ``> 0``). Texts are compared after
  `normalize_term`.
* **Locations**: every node the engine may cite carries a `Loc`; ``loc.cite()`` gives
  ``policies/national-2020.policy:14``.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from rules_engine.model import FormKind
from rules_engine.policy.ir.base import (
    FUNCTIONS,
    VARIABLES,
    CompareOp,
    Direction,
    Loc,
    Node,
    Outcome,
    Scope,
    Severity,
)
from rules_engine.policy.ir.conditions import (
    Always,
    And,
    BinOp,
    BuiltinCheck,
    Call,
    Check,
    Compare,
    Cond,
    Expr,
    InInterval,
    Interval,
    IsEmpty,
    Meets,
    Neg,
    Not,
    Num,
    Or,
    OutcomeIs,
    ShapeIs,
    TargetShape,
    TermIs,
    Var,
)
from rules_engine.policy.ir.dispatch import (
    Apply,
    CondIs,
    NameIs,
    PathIs,
    PathPattern,
    Selector,
    TermPredicate,
    Vocabulary,
    VocabularyAddition,
)
from rules_engine.policy.ir.names import compile_glob, glob_match, name_key, normalize_term
from rules_engine.policy.ir.rules import (
    Accept,
    Clause,
    Deduct,
    Full,
    FullAt,
    Points,
    Result,
    Review,
    Rule,
    Share,
)
from rules_engine.policy.ir.scoring import (
    BudgetRule,
    FlagDef,
    Grade,
    GradeSet,
    Rounding,
    RoundMethod,
    WeightGroup,
    WeightSpec,
)
from rules_engine.policy.ir.sheets import (
    DEFAULT_KINDS,
    FORM_KIND_NAMES,
    Aggregate,
    FormScope,
    NotApplicable,
    Rescale,
    ReviewCheck,
    ReviewCheckName,
    ReviewForms,
    TargetReview,
)

__all__ = [
    "DEFAULT_KINDS",
    "FORM_KIND_NAMES",
    "FUNCTIONS",
    "VARIABLES",
    "Accept",
    "Aggregate",
    "Always",
    "And",
    "Apply",
    "BinOp",
    "BudgetRule",
    "BuiltinCheck",
    "Call",
    "Check",
    "Clause",
    "Compare",
    "CompareOp",
    "CompiledPolicy",
    "Cond",
    "CondIs",
    "Deduct",
    "Direction",
    "Expr",
    "FlagDef",
    "FormScope",
    "Full",
    "FullAt",
    "Grade",
    "GradeSet",
    "InInterval",
    "Interval",
    "IsEmpty",
    "Loc",
    "Meets",
    "NameIs",
    "Neg",
    "Not",
    "NotApplicable",
    "Num",
    "Or",
    "Outcome",
    "OutcomeIs",
    "PathIs",
    "PathPattern",
    "Points",
    "PolicySource",
    "Rescale",
    "Result",
    "Review",
    "ReviewCheck",
    "ReviewCheckName",
    "ReviewForms",
    "RoundMethod",
    "Rounding",
    "Rule",
    "Scope",
    "Selector",
    "Severity",
    "ShapeIs",
    "Share",
    "TargetReview",
    "TargetShape",
    "TermIs",
    "TermPredicate",
    "Var",
    "Vocabulary",
    "VocabularyAddition",
    "WeightGroup",
    "WeightSpec",
    "compile_glob",
    "glob_match",
    "name_key",
    "normalize_term",
]


class PolicySource(Node):
    """One file in the `extends` chain: its policy name, display path and text digest."""

    name: str
    path: str
    sha256: str


class CompiledPolicy(Node):
    """A policy with `extends` resolved, names checked and every default filled in.

    `sources` lists the files from the root (national) to this one; `path` and `sha256`
    are this file's. `rules` is keyed by rule name; `dispatch` is ordered (first match wins);
    `flags` keyed by code in definition order. `done_vocabulary` names the vocabulary whose
    words mean "done on time" for date targets (see `Meets`), ``None`` if the policy has none.
    `categories` are category names declared with ``categories …`` (its own and inherited),
    known besides those the national templates print.
    """

    name: str
    title: str
    year: int | None = None
    region: str | None = None
    basis: str | None = None
    note: str | None = None
    path: str
    sha256: str
    sources: tuple[PolicySource, ...]
    vocabularies: dict[str, Vocabulary]
    predicates: dict[str, TermPredicate]
    rules: dict[str, Rule]
    dispatch: tuple[Apply, ...]
    weights: WeightSpec | None = None
    budget: BudgetRule | None = None
    grades: tuple[Grade, ...] = ()
    rounding: Rounding = Rounding()
    tolerance: Decimal = Decimal(0)
    flags: tuple[FlagDef, ...] = ()
    done_vocabulary: str | None = None
    # The policy's English for its Chinese labels, titles and notes (``en "…"``), inherited
    # texts included; used when output is in English.
    english: dict[str, str] = Field(default_factory=dict)
    categories: tuple[str, ...] = ()
    review: TargetReview | None = None
    alt_grades: tuple[GradeSet, ...] = ()
    forms: FormScope | None = None
    not_applicable: NotApplicable | None = None
    rescale: Rescale | None = None
    aggregate: Aggregate | None = None

    def kinds(self) -> tuple[FormKind, ...]:
        """The kinds of form the policy scores (`DEFAULT_KINDS` unless it says)."""
        return self.forms.kinds if self.forms is not None else DEFAULT_KINDS

    def scored_kind(self) -> FormKind:
        """The kind of form the policy scores first: what a form written without one is taken
        for (example cases, generated lines)."""
        return next((k for k in self.kinds() if k != "targets-only"), DEFAULT_KINDS[0])

    def vocabulary_of(self, text: str) -> str | None:
        """The label of the vocabulary `text` belongs to (after `normalize_term`), if any."""
        key = normalize_term(text)
        for vocab in self.vocabularies.values():
            if any(normalize_term(m) == key for m in vocab.members()):
                return vocab.label
        return None

    def predicate_of(self, text: str) -> TermPredicate | None:
        """The `TermPredicate` whose words include `text` (after `normalize_term`), if any."""
        key = normalize_term(text)
        for pred in self.predicates.values():
            if any(normalize_term(w) == key for w in pred.words):
                return pred
        return None
