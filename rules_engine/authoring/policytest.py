"""A policy's example cases run: each case scored and compared with what it expects, and the
policy's clauses its cases exercise (`run_suite`); `rules_engine.authoring.testfile` reads them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from rules_engine.authoring.testfile import Case, LineExpect, TestFile
from rules_engine.diagnostics import UserError, define
from rules_engine.engine import evaluate
from rules_engine.formset import form_from_data, read_forms
from rules_engine.model import BudgetRow, Document, Form, FormKind, IndicatorLine, Position
from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.scorecard import FormResult, LineResult, Scorecard, Step

CASE_FAILED = define(
    "E524",
    "用例「{case}」未通过",
    "case '{case}' failed",
    "对照输出中列出的期望值、实际值与评分步骤。",
    "compare the expected and actual values and the scoring steps in the output.",
)
COVERAGE_LOW = define(
    "E525",
    "条款覆盖率 {percent}% 低于要求的 {threshold}%",
    "clause coverage {percent}% is below the required {threshold}%",
    "为下列未覆盖的条款补写用例。",
    "add cases that exercise the uncovered clauses listed.",
)
CASE_ERROR = define(
    "E526",
    "用例「{case}」无法运行：{detail}",
    "case '{case}' could not run: {detail}",
    "检查用例给出的表格或指标行。",
    "check the form or line the case gives.",
)


@dataclass
class Mismatch:
    """One compared value that differs: which field, what was expected, what came out."""

    field: str
    expected: str
    actual: str


@dataclass
class CaseResult:
    """The outcome of one case: mismatches (empty when it passed) and the results to show."""

    case: Case
    mismatches: list[Mismatch] = field(default_factory=list)
    lines: list[LineResult] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        """True when every compared value matched and the case ran."""
        return not self.mismatches and self.error is None


def case_document(case: Case, base: Path, kind: FormKind = "project-self-evaluation") -> Document:
    """The document a case gives: one line (and budget rows) on a form of `kind` (the case's
    own `kind` when it gives one), or a whole form."""
    if case.form is not None:
        if isinstance(case.form, dict):
            return Document(forms=[form_from_data(case.form, f"<{case.name}>")])
        return read_forms(base / case.form)
    indicators = []
    if case.line is not None:
        indicators.append(IndicatorLine(**case.line.model_dump(), source=Position(row=1, col=1)))
    budget = [BudgetRow(**row.model_dump()) for row in case.budget or []]
    form = Form(
        kind=case.kind or kind,
        title=case.name,
        indicators=indicators,
        budget=budget,
        file=f"<{case.name}>",
    )
    return Document(forms=[form])


def _show(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return "[" + ", ".join(sorted(str(v) for v in value)) + "]"
    return str(value)


def _compare_line(prefix: str, want: LineExpect, got: LineResult, out: list[Mismatch]) -> None:
    fields = want.model_fields_set
    if "score" in fields and not _same_number(want.score, got.score):
        out.append(Mismatch(f"{prefix}score", _show(want.score), _show(got.score)))
    if "outcome" in fields and want.outcome != got.outcome:
        out.append(Mismatch(f"{prefix}outcome", _show(want.outcome), _show(got.outcome)))
    if "rule" in fields and want.rule != got.rule:
        out.append(Mismatch(f"{prefix}rule", _show(want.rule), _show(got.rule)))
    codes = sorted({f.code for f in got.flags})
    if "flags" in fields and sorted(set(want.flags or [])) != codes:
        out.append(Mismatch(f"{prefix}flags", _show(want.flags or []), _show(codes)))
    if "flags_include" in fields:
        missing = sorted(set(want.flags_include or []) - set(codes))
        if missing:
            out.append(Mismatch(f"{prefix}flags_include", _show(missing), _show(codes)))


def _same_number(a: Decimal | None, b: Decimal | None) -> bool:
    if a is None or b is None:
        return a is b
    return a == b


def compare(case: Case, result: FormResult) -> list[Mismatch]:
    """Every expected value of `case` that `result` does not match."""
    want = case.expect
    out: list[Mismatch] = []
    line_fields = {"score", "outcome", "rule", "flags", "flags_include"}
    if want.model_fields_set & line_fields:
        if len(result.lines) != 1:
            out.append(Mismatch("lines", "1", str(len(result.lines))))
        else:
            _compare_line("", want, result.lines[0], out)
    for index, line_want in sorted(want.lines.items()):
        match = [line for line in result.lines if line.index == index]
        if not match:
            out.append(Mismatch(f"lines.{index}", "a line", "—"))
        else:
            _compare_line(f"lines.{index}.", line_want, match[0], out)
    fields = want.model_fields_set
    if "budget" in fields:
        got = result.budget.score if result.budget is not None else None
        if not _same_number(want.budget, got):
            out.append(Mismatch("budget", _show(want.budget), _show(got)))
    if "total" in fields and not _same_number(want.total, result.total.score):
        out.append(Mismatch("total", _show(want.total), _show(result.total.score)))
    if "grade" in fields and want.grade != result.total.grade:
        out.append(Mismatch("grade", _show(want.grade), _show(result.total.grade)))
    if "alt_grades" in fields:
        got_alt = {alt.name: alt.grade for alt in result.total.alternatives}
        for name, grade in (want.alt_grades or {}).items():
            if got_alt.get(name) != grade:
                out.append(Mismatch(f"alt_grades.{name}", _show(grade), _show(got_alt.get(name))))
    if "form_flags" in fields:
        codes = sorted({f.code for f in result.flags})
        if sorted(set(want.form_flags or [])) != codes:
            out.append(Mismatch("form_flags", _show(want.form_flags or []), _show(codes)))
    return out


def cites(card: Scorecard) -> set[str]:
    """Every policy cite (``file:line``) a scorecard's steps, rules and flags carry."""
    found: set[str] = set()

    def add(source: str | None) -> None:
        if source:
            found.add(source)

    def add_steps(steps: Sequence[Step]) -> None:
        for step in steps:
            add(step.source)

    for form in card.forms:
        for line in form.lines:
            add(line.source)
            add_steps(line.steps)
            for flag in line.flags:
                add(flag.source)
        if form.budget is not None:
            add(form.budget.source)
            add_steps(form.budget.steps)
            for flag in form.budget.flags:
                add(flag.source)
        add_steps(form.total.steps)
        for flag in form.flags:
            add(flag.source)
    return found


# --- coverage ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Covered:
    """One clause of a policy that cases can exercise: its kind, a short text, where it is."""

    kind: str  # clause, budget, apply, flag, grade, term
    owner: str
    text: str
    at: str  # file:line

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Identity of the clause (two synonyms on one line are two clauses)."""
        return (self.kind, self.owner, self.text, self.at)


def clauses(policy: m.CompiledPolicy) -> list[Covered]:
    """Every clause of a compiled policy a case can exercise, in policy order."""
    out: list[Covered] = []
    for rule in policy.rules.values():
        out.extend(Covered("clause", rule.name, show.clause(c), c.loc.cite()) for c in rule.clauses)
    if policy.budget is not None:
        budget = policy.budget
        out.extend(
            Covered("budget", budget.title, show.clause(c), c.loc.cite()) for c in budget.clauses
        )
    out.extend(Covered("apply", "dispatch", show.apply(a), a.loc.cite()) for a in policy.dispatch)
    out.extend(Covered("flag", f.code, f.zh, f.loc.cite()) for f in policy.flags)
    out.extend(Covered("grade", g.label, show.grade(g), g.loc.cite()) for g in policy.grades)
    for alt in policy.alt_grades:
        out.extend(
            Covered("alt_grade", f"{alt.name}·{g.label}", show.grade(g), g.loc.cite())
            for g in alt.grades
        )
    na = policy.not_applicable
    if na is not None:
        out.extend(Covered("na", "not_applicable", w, na.loc.cite()) for w in na.words)
    if policy.rescale is not None:
        at = policy.rescale.loc.cite()
        out.append(Covered("rescale", "rescale", f"rescale to {policy.rescale.to}", at))
    out.extend(_own_words(policy))
    return sorted(out, key=lambda c: _cite_order(c.at))


def _own_words(policy: m.CompiledPolicy) -> Iterator[Covered]:
    """The words this file writes: an extending policy's cases need not exercise the words it
    inherits (the extended policy's own cases do), only those it defines or adds (``+=``)."""
    for vocab in policy.vocabularies.values():
        added = {w for a in vocab.additions for w in a.words}
        if vocab.loc.file == policy.path:
            at = vocab.loc.cite()
            yield from (
                Covered("term", vocab.label, w, at) for w in vocab.members() if w not in added
            )
        for addition in vocab.additions:
            if addition.loc.file == policy.path:
                at = addition.loc.cite()
                yield from (Covered("term", vocab.label, w, at) for w in addition.words)
    for pred in policy.predicates.values():
        if pred.loc.file == policy.path:
            yield from (Covered("term", pred.name, w, pred.loc.cite()) for w in pred.words)


def _cite_order(at: str) -> tuple[str, int]:
    file, _, line = at.rpartition(":")
    return (file, int(line) if line.isdigit() else 0)


@dataclass
class Coverage:
    """Which clauses the cases exercised."""

    clauses: list[Covered]
    hit: set[tuple[str, str, str, str]] = field(default_factory=set)

    @property
    def percent(self) -> Decimal:
        """Share of clauses exercised, in percent (100 when the policy has none)."""
        if not self.clauses:
            return Decimal(100)
        share = Decimal(len(self.hit)) * 100 / Decimal(len(self.clauses))
        return share.quantize(Decimal("0.01"))

    def missed(self) -> list[Covered]:
        """Clauses no case exercised, in policy order."""
        return [c for c in self.clauses if c.key not in self.hit]

    def record(self, card: Scorecard, documents: Document) -> None:
        """Mark what one scorecard exercised: cited lines, grades given, words read."""
        cited = cites(card)
        grades = {f.total.grade for f in card.forms if f.total.grade is not None}
        alt_grades = {
            f"{alt.name}·{alt.grade}"
            for f in card.forms
            for alt in f.total.alternatives
            if alt.grade is not None
        }
        words = {
            m.normalize_term(text)
            for form in documents.forms
            for line in form.indicators
            for text in (line.target, line.actual, *line.marks.values())
            if text
        }
        not_applicable = {
            m.normalize_term(str(step.args["text"]))
            for f in card.forms
            for line in f.lines
            for step in line.steps
            if step.code == "not_applicable"
        }
        fired_flags = {
            flag.code
            for f in card.forms
            for flag in [
                *f.flags,
                *(f.budget.flags if f.budget else []),
                *(x for line in f.lines for x in line.flags),
            ]
        }
        for clause in self.clauses:
            if clause.kind == "grade":
                if clause.owner in grades:
                    self.hit.add(clause.key)
            elif clause.kind == "alt_grade":
                if clause.owner in alt_grades:
                    self.hit.add(clause.key)
            elif clause.kind == "na":
                if m.normalize_term(clause.text) in not_applicable:
                    self.hit.add(clause.key)
            elif clause.kind == "term":
                if m.normalize_term(clause.text) in words:
                    self.hit.add(clause.key)
            elif clause.kind == "flag":
                if clause.owner in fired_flags and clause.at in cited:
                    self.hit.add(clause.key)
            elif clause.at in cited:
                self.hit.add(clause.key)


@dataclass
class SuiteResult:
    """One tests file run against its policy."""

    tests: TestFile
    policy: m.CompiledPolicy
    results: list[CaseResult]
    coverage: Coverage

    @property
    def failed(self) -> list[CaseResult]:
        """Cases that did not pass."""
        return [r for r in self.results if not r.passed]


def run_suite(tests: TestFile, policy: m.CompiledPolicy) -> SuiteResult:
    """Run every case of a tests file; coverage counts failing cases too."""
    base = Path(tests.path).parent
    coverage = Coverage(clauses(policy))
    results: list[CaseResult] = []
    for case in tests.cases:
        try:
            document = case_document(case, base, policy.scored_kind())
            card = evaluate(policy, document)
        except UserError as exc:
            detail = "; ".join(d.text("zh") for d in exc.diagnostics)
            results.append(CaseResult(case, error=detail))
            continue
        coverage.record(card, document)
        if not card.forms:
            results.append(CaseResult(case, error="no form"))
            continue
        form = card.forms[0]
        results.append(CaseResult(case, compare(case, form), list(form.lines)))
    return SuiteResult(tests, policy, results, coverage)
