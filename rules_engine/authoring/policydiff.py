"""Compare two policies: replay forms through both (line by line) and diff the rules themselves."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from rules_engine.engine import evaluate
from rules_engine.model import Document
from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.scorecard import LineResult
from rules_engine.values import plain

ChangeKind = Literal["added", "removed", "changed"]


@dataclass(frozen=True)
class LineChange:
    """One indicator line whose score, outcome or flags differ between the two policies."""

    file: str
    form: int
    index: int
    old: LineResult
    new: LineResult
    fields: tuple[str, ...]

    @property
    def delta(self) -> Decimal | None:
        """New score minus old score (``None`` when either is unscored)."""
        if self.old.score is None or self.new.score is None:
            return None
        return self.new.score - self.old.score


@dataclass(frozen=True)
class FormChange:
    """One form's total, grade and budget score under both policies, and which of its lines
    changed (by index). The budget score is the one the rule computes (``None`` when the form
    has no budget block or the policy no budget rule)."""

    file: str
    form: int
    title: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_grade: str | None
    new_grade: str | None
    lines_changed: int
    old_budget: Decimal | None = None
    new_budget: Decimal | None = None
    changed_lines: tuple[int, ...] = ()

    @property
    def delta(self) -> Decimal | None:
        """New total minus old total."""
        if self.old_total is None or self.new_total is None:
            return None
        return self.new_total - self.old_total

    @property
    def total_changed(self) -> bool:
        """Whether the total differs (a total appearing or disappearing counts)."""
        return self.old_total != self.new_total

    @property
    def grade_changed(self) -> bool:
        """Whether the grade differs."""
        return self.old_grade != self.new_grade

    @property
    def budget_changed(self) -> bool:
        """Whether the budget score differs."""
        return self.old_budget != self.new_budget


@dataclass(frozen=True)
class RuleChange:
    """One difference between the two policy texts (a rule, clause, band, term, weight…)."""

    kind: ChangeKind
    what: str  # rule, clause, apply, terms, term, weight, budget, grade, round, flag, …
    name: str
    old: str | None = None
    new: str | None = None
    old_at: str | None = None
    new_at: str | None = None


@dataclass
class Replay:
    """Everything `diff` reports."""

    lines: list[LineChange] = field(default_factory=list)
    forms: list[FormChange] = field(default_factory=list)
    rules: list[RuleChange] = field(default_factory=list)
    forms_total: int = 0
    lines_total: int = 0

    @property
    def forms_affected(self) -> int:
        """Forms with at least one changed line or a changed total, grade or budget score."""
        return sum(
            1
            for f in self.forms
            if f.lines_changed or f.total_changed or f.grade_changed or f.budget_changed
        )

    @property
    def totals_changed(self) -> int:
        """Forms whose total changed."""
        return sum(1 for f in self.forms if f.total_changed)

    @property
    def grades_changed(self) -> int:
        """Forms whose grade changed."""
        return sum(1 for f in self.forms if f.grade_changed)

    @property
    def budgets_changed(self) -> int:
        """Forms whose budget score changed."""
        return sum(1 for f in self.forms if f.budget_changed)

    def grade_moves(self) -> list[tuple[str, str, int]]:
        """How many forms moved from one grade to another, most frequent first."""
        moves = Counter(
            (f.old_grade or "—", f.new_grade or "—")
            for f in self.forms
            if f.old_grade != f.new_grade
        )
        return sorted(((a, b, n) for (a, b), n in moves.items()), key=lambda t: (-t[2], t[0]))

    def total_deltas(self) -> list[tuple[str, int]]:
        """Distribution of total changes over all forms, in buckets, lowest first."""
        buckets: Counter[str] = Counter()
        for f in self.forms:
            buckets[bucket(f.delta)] += 1
        order = [label for label, _, _ in reversed(_BUCKETS)] + ["—"]
        return [(b, buckets[b]) for b in order if buckets[b]]


# Buckets of total changes: (label, lowest delta in the bucket, whether that end is included).
_BUCKETS: tuple[tuple[str, Decimal, bool], ...] = (
    ("≥ 10", Decimal(10), True),
    ("[5, 10)", Decimal(5), True),
    ("[1, 5)", Decimal(1), True),
    ("(0, 1)", Decimal(0), False),
    ("0", Decimal(0), True),
    ("(-1, 0)", Decimal(-1), False),
    ("(-5, -1]", Decimal(-5), False),
    ("(-10, -5]", Decimal(-10), False),
    ("≤ -10", Decimal("-Infinity"), False),
)


def bucket(delta: Decimal | None) -> str:
    """The bucket a total change falls in (``—`` when either total is missing)."""
    if delta is None:
        return "—"
    for label, low, closed in _BUCKETS:
        if delta > low or (closed and delta == low):
            return label
    return "≤ -10"


# --- replay -------------------------------------------------------------------------------------


def _flag_codes(line: LineResult) -> tuple[str, ...]:
    return tuple(sorted({f.code for f in line.flags}))


def line_fields(old: LineResult, new: LineResult) -> tuple[str, ...]:
    """Which of score, outcome and flags differ between two results of the same line."""
    changed = []
    if old.score != new.score:
        changed.append("score")
    if old.outcome != new.outcome:
        changed.append("outcome")
    if _flag_codes(old) != _flag_codes(new):
        changed.append("flags")
    return tuple(changed)


def replay(
    old: m.CompiledPolicy, new: m.CompiledPolicy, documents: Iterable[tuple[str, Document]]
) -> Replay:
    """Score every form under both policies and collect the lines and forms that differ."""
    out = Replay(rules=rule_changes(old, new))
    for file, document in documents:
        before = evaluate(old, document)
        after = evaluate(new, document)
        for index, (a, b) in enumerate(zip(before.forms, after.forms, strict=True), start=1):
            out.forms_total += 1
            changed: list[int] = []
            for la, lb in zip(a.lines, b.lines, strict=True):
                out.lines_total += 1
                fields = line_fields(la, lb)
                if fields:
                    changed.append(la.index)
                    out.lines.append(LineChange(file, index, la.index, la, lb, fields))
            title = a.form.project or a.form.title or a.form.unit or file
            out.forms.append(
                FormChange(
                    file,
                    index,
                    title,
                    a.total.score,
                    b.total.score,
                    a.total.grade,
                    b.total.grade,
                    len(changed),
                    a.budget.computed if a.budget else None,
                    b.budget.computed if b.budget else None,
                    tuple(changed),
                )
            )
    return out


# --- rule-level difference ---------------------------------------------------------------------


def _at(loc: m.Loc | None) -> str | None:
    return None if loc is None else loc.cite()


def _keyed(
    what: str,
    old: dict[str, tuple[str, m.Loc | None]],
    new: dict[str, tuple[str, m.Loc | None]],
) -> list[RuleChange]:
    """Changes between two maps name → (text, loc): added, removed, changed text."""
    out: list[RuleChange] = []
    for name, (text, loc) in old.items():
        if name not in new:
            out.append(RuleChange("removed", what, name, old=text, old_at=_at(loc)))
        elif new[name][0] != text:
            out.append(
                RuleChange("changed", what, name, text, new[name][0], _at(loc), _at(new[name][1]))
            )
    for name, (text, loc) in new.items():
        if name not in old:
            out.append(RuleChange("added", what, name, new=text, new_at=_at(loc)))
    return out


def _sequence(
    what: str, owner: str, old: Sequence[tuple[str, m.Loc]], new: Sequence[tuple[str, m.Loc]]
) -> list[RuleChange]:
    """Changes between two ordered lists of texts (clauses, apply lines), matched by diffing."""
    out: list[RuleChange] = []
    a = [t for t, _ in old]
    b = [t for t, _ in new]
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            o = old[i1 + k] if i1 + k < i2 else None
            n = new[j1 + k] if j1 + k < j2 else None
            kind: ChangeKind = "changed" if o and n else ("removed" if o else "added")
            out.append(
                RuleChange(
                    kind,
                    what,
                    owner,
                    o[0] if o else None,
                    n[0] if n else None,
                    _at(o[1]) if o else None,
                    _at(n[1]) if n else None,
                )
            )
    return out


def _rule_text(rule: m.Rule) -> str:
    parts = [f"rule {rule.name}"]
    if rule.cap != m.Var(name="weight"):
        parts.append(f"cap {show.expr(rule.cap) if rule.cap is not None else 'none'}")
    if rule.floor != m.Num(value=Decimal(0)):
        parts.append(f"floor {show.expr(rule.floor) if rule.floor is not None else 'none'}")
    return " · ".join(parts)


def rule_changes(old: m.CompiledPolicy, new: m.CompiledPolicy) -> list[RuleChange]:
    """The rule-level difference of two compiled policies."""
    out: list[RuleChange] = []
    out += _keyed(
        "rule",
        {n: (_rule_text(r), r.loc) for n, r in old.rules.items()},
        {n: (_rule_text(r), r.loc) for n, r in new.rules.items()},
    )
    for name, rule in old.rules.items():
        if name in new.rules:
            out += _sequence(
                "clause",
                name,
                [(show.clause(c), c.loc) for c in rule.clauses],
                [(show.clause(c), c.loc) for c in new.rules[name].clauses],
            )
    out += _sequence(
        "apply",
        "dispatch",
        [(show.apply(a), a.loc) for a in old.dispatch],
        [(show.apply(a), a.loc) for a in new.dispatch],
    )
    out += _keyed(
        "terms",
        {k: (", ".join(v.members()), v.loc) for k, v in old.vocabularies.items()},
        {k: (", ".join(v.members()), v.loc) for k, v in new.vocabularies.items()},
    )
    out += _keyed("term", _predicates(old), _predicates(new))
    out += _keyed("weight", _weights(old), _weights(new))
    out += _budget(old, new)
    out += _keyed(
        "grade",
        {g.label: (show.grade(g), g.loc) for g in old.grades},
        {g.label: (show.grade(g), g.loc) for g in new.grades},
    )
    out += _keyed(
        "round",
        {"round": (_round_text(old.rounding), old.rounding.loc)},
        {"round": (_round_text(new.rounding), new.rounding.loc)},
    )
    out += _keyed(
        "tolerance",
        {"tolerance": (plain(old.tolerance), None)},
        {"tolerance": (plain(new.tolerance), None)},
    )
    out += _keyed(
        "flag",
        {f.code: (f"{f.zh} on {f.scope} when {show.cond(f.when)}", f.loc) for f in old.flags},
        {f.code: (f"{f.zh} on {f.scope} when {show.cond(f.when)}", f.loc) for f in new.flags},
    )
    return out


def _predicates(policy: m.CompiledPolicy) -> dict[str, tuple[str, m.Loc | None]]:
    return {
        k: (f"{', '.join(p.words)} = {p.op} {plain(p.value)}", p.loc)
        for k, p in policy.predicates.items()
    }


def _round_text(r: m.Rounding) -> str:
    return f"round {r.method} {r.places} at {r.stage}"


def _weights(policy: m.CompiledPolicy) -> dict[str, tuple[str, m.Loc | None]]:
    spec = policy.weights
    if spec is None:
        return {}
    out: dict[str, tuple[str, m.Loc | None]] = {
        g.pattern: (plain(g.weight), g.loc) for g in spec.groups
    }
    if spec.total is not None:
        out["total"] = (plain(spec.total), spec.loc)
    out["tolerance"] = (plain(spec.tolerance), spec.loc)
    return out


def _budget(old: m.CompiledPolicy, new: m.CompiledPolicy) -> list[RuleChange]:
    def head(b: m.BudgetRule | None) -> dict[str, tuple[str, m.Loc | None]]:
        if b is None:
            return {}
        text = f"weight {plain(b.weight)} · denominator {b.denominator} · rows {b.rows}"
        return {b.title: (text, b.loc)}

    out = _keyed("budget", head(old.budget), head(new.budget))
    if old.budget is not None and new.budget is not None:
        out += _sequence(
            "clause",
            new.budget.title,
            [(show.clause(c), c.loc) for c in old.budget.clauses],
            [(show.clause(c), c.loc) for c in new.budget.clauses],
        )
    return out
