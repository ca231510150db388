"""One policy file under compilation: its tree, the state its passes build, and its messages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rules_engine.diagnostics import Diagnostic, Severity
from rules_engine.policy import categories
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.expressions import ExpressionCompiler
from rules_engine.policy.limits import DEFAULT, Limits
from rules_engine.policy.messages import DUPLICATE, SETTING_TWICE, UNKNOWN_CATEGORY, located
from rules_engine.policy.nodes import Pos

# Compiles the file a policy extends (its path, display name and the chain of files extending
# it), reporting into the same run; ``None`` when it has errors.
Load = Callable[[Path, str, tuple[str, ...]], m.CompiledPolicy | None]


@dataclass
class State:
    """What a policy has accumulated so far (inherited, then this file's statements)."""

    vocabularies: dict[str, m.Vocabulary] = field(default_factory=dict)
    predicates: dict[str, m.TermPredicate] = field(default_factory=dict)
    rules: dict[str, m.Rule] = field(default_factory=dict)
    dispatch: list[m.Apply] = field(default_factory=list)
    weights: m.WeightSpec | None = None
    budget: m.BudgetRule | None = None
    grades: tuple[m.Grade, ...] = ()
    rounding: m.Rounding = field(default_factory=m.Rounding)
    tolerance: Decimal = Decimal(0)
    flags: dict[str, m.FlagDef] = field(default_factory=dict)
    done_vocabulary: str | None = None
    sources: list[m.PolicySource] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    english: dict[str, str] = field(default_factory=dict)
    review: m.TargetReview | None = None
    alt_grades: dict[str, m.GradeSet] = field(default_factory=dict)
    forms: m.FormScope | None = None
    not_applicable: m.NotApplicable | None = None
    rescale: m.Rescale | None = None
    aggregate: m.Aggregate | None = None

    @classmethod
    def inherited(cls, parent: m.CompiledPolicy) -> State:
        """Everything the extended policy defines, for this file to add to and override."""
        return cls(
            vocabularies=dict(parent.vocabularies),
            predicates=dict(parent.predicates),
            rules=dict(parent.rules),
            dispatch=list(parent.dispatch),
            weights=parent.weights,
            budget=parent.budget,
            grades=parent.grades,
            rounding=parent.rounding,
            tolerance=parent.tolerance,
            flags={f.code: f for f in parent.flags},
            done_vocabulary=parent.done_vocabulary,
            sources=list(parent.sources),
            categories=list(parent.categories),
            english=dict(parent.english),
            review=parent.review,
            alt_grades={g.name: g for g in parent.alt_grades},
            forms=parent.forms,
            not_applicable=parent.not_applicable,
            rescale=parent.rescale,
            aggregate=parent.aggregate,
        )


class Unit:
    """A file being compiled: what its passes read (the tree), build (`state`) and leave for
    the passes after them, and the run's message list they all report into."""

    def __init__(
        self,
        tree: s.PolicyFile,
        path: Path,
        display: str,
        *,
        stack: tuple[str, ...],
        diagnostics: list[Diagnostic],
        load: Load,
        limits: Limits = DEFAULT,
    ) -> None:
        self.tree = tree
        self.path = path
        self.display = display
        self.stack = stack
        self.name = Path(display).stem
        self.diagnostics = diagnostics
        self.load = load
        # Where the files this one extends may be, and how long the chain may grow.
        self.limits = limits
        self.state = State()
        self.exprs = ExpressionCompiler(tree, self.error)
        # Left by `names.declare` for later passes: the first statement of each name (the
        # others are duplicates, reported there) and every rule name an apply may use.
        self.declared: dict[tuple[str, str], Pos] = {}
        self.first_rules: set[int] = set()
        self.rule_names: set[str] = set()

    def loc(self, pos: Pos) -> m.Loc:
        """Where `pos` is, as the IR cites it."""
        return m.Loc(file=self.display, line=pos.line, col=pos.col)

    def error(
        self,
        code: str,
        pos: Pos,
        *,
        severity: Severity | None = None,
        suggestion: str | None = None,
        **args: object,
    ) -> None:
        """Report a message at `pos` of this file (the severity is the code's unless given)."""
        self.diagnostics.append(
            located(
                code,
                self.display,
                self.tree.lines,
                pos,
                severity=severity,
                suggestion=suggestion,
                **args,
            )
        )

    def once(self, kind: str, what: tuple[str, str], name: str, pos: Pos) -> bool:
        """Whether this is the first `kind` called `name` in the file (else E322, and False)."""
        key = (kind, name)
        if key in self.declared:
            self.error(
                DUPLICATE,
                pos,
                what=what[0],
                what_en=what[1],
                name=name,
                line=self.declared[key].line,
            )
            return False
        self.declared[key] = pos
        return True

    def first_setting(self, seen: dict[str, Pos], key: str, pos: Pos) -> bool:
        """Whether `key` is set for the first time in its block (`seen` holds those set so far;
        else E346, and False)."""
        if key in seen:
            self.error(SETTING_TWICE, pos, setting=key, line=seen[key].line)
            return False
        seen[key] = pos
        return True

    def known_category(self, word: s.Word, level: int) -> bool:
        """Whether a pattern segment names a category a form can print (else an E355 error with
        the closest usual name: a pattern naming no category silently matches no line)."""
        verdict = categories.judge(word.text, level, self.state.categories)
        if verdict.known:
            return True
        self.error(
            UNKNOWN_CATEGORY,
            word.pos,
            suggestion=verdict.suggestion,
            name=word.text,
            level="一级指标" if level == 0 else "二级指标",
            level_en="level-1" if level == 0 else "level-2",
        )
        return False
