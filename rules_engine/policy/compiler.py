"""Syntax tree → `CompiledPolicy`: resolve `extends`, merge overrides, check every name and value.

`compile_policy` is the one entry point the engine uses; `check_policy` returns the policy (or
``None``) with every diagnostic of the whole `extends` chain, for `rules-engine check`. Errors
are collected in one pass per file and never stop at the first one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Literal, cast

from rules_engine import rounding
from rules_engine.diagnostics import Diagnostic, Severity, UserError, define, os_reason
from rules_engine.policy import categories, loader, promises
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.expressions import (
    OUTCOMES,
    Context,
    ExpressionCompiler,
    constant_interval,
)
from rules_engine.policy.intervals import Interval
from rules_engine.policy.messages import (
    APPLY_UNREACHABLE,
    BAD_FULL_AT,
    CYCLE,
    DUPLICATE,
    GRADE_ORDER,
    MISSING_PART,
    NO_FALLBACK,
    NO_HEADER,
    NO_LOWEST_GRADE,
    NOT_FOUND,
    NOTHING_TO_EXTEND,
    OVERLAP,
    PARENT_BROKEN,
    PATH_DEPTH,
    PROMISE_FULL_AT_TARGET,
    RULE_UNUSED,
    SETTING_TWICE,
    TERM_TWICE,
    UNKNOWN_CATEGORY,
    UNKNOWN_FLAG,
    UNKNOWN_RULE,
    WEIGHT_SUM,
    did_you_mean,
    located,
)
from rules_engine.policy.nodes import Pos
from rules_engine.policy.parse import parse_policy
from rules_engine.signs import ASCII
from rules_engine.values import plain

UNREADABLE = define(
    "E300",
    "无法读取策略文件：{reason_zh}",
    "cannot read the policy file: {reason_en}",
    "检查路径是否正确、文件是否为 UTF-8 文本；内置策略可直接写名称，如 national-2020。",
    "check the path and that the file is UTF-8 text; shipped policies can be named, "
    "e.g. national-2020.",
)

DENOMINATORS = {"adjusted": "adjusted", "initial": "initial", "全年预算数": "adjusted"}
DENOMINATORS |= {"调整后预算数": "adjusted", "年初预算数": "initial"}
ROWS = ("total", "parts", "total_or_parts")
COUNTS = ("always", "never", "if_room")
SCOPES: tuple[m.Scope, ...] = ("line", "budget", "form")
SEVERITIES = ("info", "warning", "error")
DIRECTIONS = ("up", "down", "none")


class PolicyError(UserError):
    """A policy that does not compile; carries every diagnostic (exit code 2 for commands that
    only use the policy; `check` reports them itself with exit code 1)."""


@dataclass
class _State:
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


def english_of(stmts: Sequence[s.Statement]) -> dict[str, str]:
    """Every Chinese text of the file that carries an ``en "…"``, mapped to its English."""
    found: dict[str, str] = {}

    def add(zh: s.Word | None, en: s.Word | None) -> None:
        if zh is not None and en is not None:
            found[zh.text] = en.text

    for st in stmts:
        if isinstance(st, (s.BasisDecl, s.NoteDecl)):
            add(st.text, st.en)
        elif isinstance(st, s.PolicyDecl):
            add(st.title, st.en)
        elif isinstance(st, s.TermsDecl):
            add(st.label, st.en)
        elif isinstance(st, s.GradesDecl):
            for grade in st.items:
                add(grade.label, grade.en)
        elif isinstance(st, (s.RuleDecl, s.BudgetDecl)):
            add(st.title, st.en)
            for item in st.items:
                if isinstance(item, s.Clause):
                    add(item.label, item.en)
                elif isinstance(item, (s.BasisDecl, s.NoteDecl)):
                    add(item.text, item.en)
    return found


def compile_policy(source: str | Path, *, text: str | None = None) -> m.CompiledPolicy:
    """Compile the policy `source` (a shipped name such as ``national-2020``, or a path).

    `text` gives the policy text directly (then `source` is only its display name). Raises
    `PolicyError` (exit code 2) carrying every error of the policy and of those it extends.
    """
    policy, diagnostics = check_policy(source, text=text)
    errors = [d for d in diagnostics if d.severity == "error"]
    if policy is None or errors:
        raise PolicyError(errors or diagnostics, 2)
    return policy


def check_policy(
    source: str | Path, *, text: str | None = None
) -> tuple[m.CompiledPolicy | None, list[Diagnostic]]:
    """Compile `source` and return it (``None`` if it has errors) with every diagnostic found.

    Warnings never prevent compilation. An unreadable file gives ``E300`` (the `check`
    command exits 2 on it).
    """
    if text is not None:
        path, display = Path(str(source)), str(source)
    else:
        path, display = loader.resolve(str(source))
    return _Compiler().run(path, display, text, ())


def unreadable(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether the diagnostics include an unreadable file (exit code 2 rather than 1)."""
    return any(d.code == UNREADABLE for d in diagnostics)


class _Compiler:
    """Compiles one file (and recursively those it extends), collecting diagnostics."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    # -- driver
    def run(
        self, path: Path, display: str, text: str | None, stack: tuple[str, ...]
    ) -> tuple[m.CompiledPolicy | None, list[Diagnostic]]:
        policy = self._file(path, display, text, stack)
        errors = any(d.severity == "error" for d in self.diagnostics)
        return (None if errors else policy), self.diagnostics

    def _file(
        self, path: Path, display: str, text: str | None, stack: tuple[str, ...]
    ) -> m.CompiledPolicy | None:
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                zh, en = os_reason(exc)
                self.diagnostics.append(
                    Diagnostic(
                        code=UNREADABLE, args={"reason_zh": zh, "reason_en": en}, file=display
                    )
                )
                return None
        start = len(self.diagnostics)
        tree, syntax_errors = parse_policy(text, display)
        self.diagnostics.extend(syntax_errors)
        unit = _FileCompiler(self, tree, path, display, stack)
        # Errors anywhere from here on (this file's or its parents') mean no compiled policy.
        return unit.compile(start)

    def add(self, diag: Diagnostic) -> None:
        self.diagnostics.append(diag)


class _FileCompiler(ExpressionCompiler):
    """Compiles the statements of one file on top of the state inherited from its parent."""

    def __init__(
        self,
        owner: _Compiler,
        tree: s.PolicyFile,
        path: Path,
        display: str,
        stack: tuple[str, ...],
    ) -> None:
        self.owner = owner
        self.tree = tree
        self.path = path
        self.display = display
        self.stack = stack
        self.name = Path(display).stem

    # -- helpers
    def loc(self, pos: Pos) -> m.Loc:
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
        self.owner.add(
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

    # -- the file
    def compile(self, start: int) -> m.CompiledPolicy | None:
        """The compiled policy, or ``None`` when any diagnostic after `start` is an error."""
        stmts = self.tree.statements
        header = [x for x in stmts if isinstance(x, s.PolicyDecl)]
        if not header:
            self.error(NO_HEADER, Pos(1, 1, 1, 2))
        for extra in header[1:]:
            self.error(
                DUPLICATE,
                extra.pos,
                what="策略声明",
                what_en="policy header",
                name="policy",
                line=header[0].pos.line,
            )
        state = self._inherit([x for x in stmts if isinstance(x, s.ExtendsDecl)])
        if state is None:
            return None
        self._statements(state, stmts)
        self._final_checks(state, stmts)
        if any(d.severity == "error" for d in self.owner.diagnostics[start:]):
            return None
        text = self.tree.text
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        state.sources.append(m.PolicySource(name=self.name, path=self.display, sha256=sha))
        head = header[0] if header else None
        basis = next((x.text.text for x in stmts if isinstance(x, s.BasisDecl)), None)
        note = next((x.text.text for x in stmts if isinstance(x, s.NoteDecl)), None)
        state.english.update(english_of(stmts))
        return m.CompiledPolicy(
            name=self.name,
            title=head.title.text if head else self.name,
            year=int(head.year.value) if head and head.year else None,
            region=head.region.text if head and head.region else None,
            basis=basis,
            note=note,
            path=self.display,
            sha256=sha,
            sources=tuple(state.sources),
            vocabularies=dict(state.vocabularies),
            predicates=dict(state.predicates),
            rules=dict(state.rules),
            dispatch=tuple(state.dispatch),
            weights=state.weights,
            budget=state.budget,
            grades=state.grades,
            rounding=state.rounding,
            tolerance=state.tolerance,
            flags=tuple(state.flags.values()),
            done_vocabulary=state.done_vocabulary,
            categories=tuple(state.categories),
            english=dict(state.english),
        )

    def _inherit(self, extends: list[s.ExtendsDecl]) -> _State | None:
        if not extends:
            return _State()
        for extra in extends[1:]:
            self.error(
                DUPLICATE,
                extra.pos,
                what="继承声明",
                what_en="extends",
                name=extra.target.text,
                line=extends[0].pos.line,
            )
        decl = extends[0]
        ref = decl.target.text
        path, display = loader.resolve(ref, self.path, self.display)
        if not path.is_file():
            known = ", ".join(loader.shipped_names()) or "-"
            self.error(
                NOT_FOUND,
                decl.target.pos,
                suggestion=did_you_mean(ref, loader.shipped_names()),
                name=ref,
                known=known,
            )
            return _State()
        key = str(path.resolve())
        if key in self.stack or key == str(self.path.resolve()):
            chain = " → ".join([*(Path(k).stem for k in self.stack), self.name, Path(key).stem])
            self.error(CYCLE, decl.pos, chain=chain)
            return _State()
        before = len(self.owner.diagnostics)
        parent = self.owner._file(path, display, None, (*self.stack, str(self.path.resolve())))
        if parent is None:
            if not any(d.severity == "error" for d in self.owner.diagnostics[before:]):
                return _State()
            self.error(PARENT_BROKEN, decl.target.pos, name=ref)
            return _State()
        return _State(
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
        )

    # -- statements
    def _statements(self, state: _State, stmts: Sequence[s.Statement]) -> None:
        seen: dict[tuple[str, str], Pos] = {}

        def once(kind: str, what: tuple[str, str], name: str, pos: Pos) -> bool:
            key = (kind, name)
            if key in seen:
                self.error(
                    DUPLICATE,
                    pos,
                    what=what[0],
                    what_en=what[1],
                    name=name,
                    line=seen[key].line,
                )
                return False
            seen[key] = pos
            return True

        # Names first, so statements may refer to rules and terms defined further down.
        first_rules: set[int] = set()
        for st in stmts:
            if isinstance(st, s.CategoriesDecl):
                state.categories.extend(w.text for w in st.words if w.text not in state.categories)
            elif isinstance(st, s.TermsDecl) and st.op == "=":
                if once("term", ("术语", "term"), st.label.text, st.label.pos):
                    state.vocabularies[st.label.text] = self._vocabulary(st, None)
            elif isinstance(st, s.TermDecl):
                name = st.words[0].text
                if once("term", ("术语", "term"), name, st.words[0].pos):
                    state.predicates[name] = self._predicate(st)
            elif isinstance(st, s.RuleDecl) and once(
                "rule", ("规则", "rule"), st.name.text, st.name.pos
            ):
                first_rules.add(id(st))
        for st in stmts:
            if isinstance(st, s.TermsDecl) and st.op == "+=":
                old = state.vocabularies.get(st.label.text)
                if old is None:
                    self.error(
                        NOTHING_TO_EXTEND,
                        st.label.pos,
                        suggestion=did_you_mean(st.label.text, list(state.vocabularies)),
                        name=st.label.text,
                    )
                else:
                    state.vocabularies[st.label.text] = self._vocabulary(st, old)
        self._check_term_words(state, stmts)
        rule_names = set(state.rules) | {x.name.text for x in stmts if isinstance(x, s.RuleDecl)}
        # A rule whose text did not parse was already reported; do not call it unknown too.
        rule_names |= set(self.tree.unparsed)
        own_applies: list[m.Apply] = []
        flags_seen: dict[str, Pos] = {}
        for st in stmts:
            if isinstance(st, s.RuleDecl) and id(st) in first_rules:
                rule = self._rule(st, state)
                if rule is not None:
                    parent = state.rules.get(rule.name)
                    if parent is not None and parent.loc.file != self.display:
                        rule = rule.model_copy(update={"overrides": parent.loc})
                    state.rules[rule.name] = rule
            elif isinstance(st, s.ApplyDecl):
                apply = self._apply(st, state, rule_names)
                if apply is not None:
                    own_applies.append(apply)
            elif isinstance(st, s.BudgetDecl):
                if once("budget", ("预算规则", "budget rule"), "budget", st.pos):
                    state.budget = self._budget(st, state)
            elif isinstance(st, s.WeightsDecl):
                if once("weights", ("分值设置", "weights block"), "weights", st.pos):
                    state.weights = self._weights(st, state)
            elif isinstance(st, s.GradesDecl):
                if once("grades", ("等级设置", "grades block"), "grades", st.pos):
                    state.grades = self._grades(st)
            elif isinstance(st, s.RoundDecl):
                if once("round", ("舍入设置", "rounding"), "round", st.pos):
                    state.rounding = self._rounding(st, state.rounding)
            elif isinstance(st, s.ToleranceDecl):
                if once("tolerance", ("容差设置", "tolerance"), "tolerance", st.pos):
                    state.tolerance = st.value.value
            elif isinstance(st, s.FlagDecl):
                if st.code.text in flags_seen:
                    self.error(
                        DUPLICATE,
                        st.code.pos,
                        what="标记",
                        what_en="flag",
                        name=st.code.text,
                        line=flags_seen[st.code.text].line,
                    )
                    continue
                flags_seen[st.code.text] = st.code.pos
                flag = self._flag(st, state)
                if flag is not None:
                    state.flags[flag.code] = flag
            elif isinstance(st, s.FlagOff):
                if st.code.text in state.flags:
                    del state.flags[st.code.text]
                else:
                    self.error(
                        UNKNOWN_FLAG,
                        st.code.pos,
                        suggestion=did_you_mean(st.code.text, list(state.flags)),
                        name=st.code.text,
                        known=", ".join(state.flags) or "-",
                    )
            elif isinstance(st, s.DeadlineDecl):
                name = st.vocabulary.text
                if name in state.vocabularies:
                    state.done_vocabulary = name
                else:
                    self._unknown_term(st.vocabulary, state)
        # This file's applies come first: they refine what the extended policy dispatches.
        state.dispatch = own_applies + state.dispatch

    # -- terms
    def _vocabulary(self, st: s.TermsDecl, old: m.Vocabulary | None) -> m.Vocabulary:
        words = tuple(w.text for w in st.words)
        if old is not None:
            extra = tuple(dict.fromkeys(w for w in words if w not in old.members()))
            added = m.VocabularyAddition(words=extra, loc=self.loc(st.pos))
            return old.model_copy(
                update={
                    "synonyms": (*old.synonyms, *extra),
                    "additions": (*old.additions, added),
                }
            )
        synonyms = tuple(dict.fromkeys(w for w in words if w != st.label.text))
        return m.Vocabulary(label=st.label.text, synonyms=synonyms, loc=self.loc(st.pos))

    def _predicate(self, st: s.TermDecl) -> m.TermPredicate:
        value = -st.value.value if st.negative else st.value.value
        op = cast(m.CompareOp, ASCII.get(st.op, st.op))
        return m.TermPredicate(
            name=st.words[0].text,
            words=tuple(dict.fromkeys(w.text for w in st.words)),
            op=op,
            value=value,
            loc=self.loc(st.pos),
        )

    def _check_term_words(self, state: _State, stmts: Sequence[s.Statement]) -> None:
        owners: dict[str, list[str]] = {}
        for vocab in state.vocabularies.values():
            for word in vocab.members():
                owners.setdefault(m.normalize_term(word), []).append(vocab.label)
        for pred in state.predicates.values():
            for word in pred.words:
                owners.setdefault(m.normalize_term(word), []).append(pred.name)
        # Report clashes at this file's words only (the parent was checked on its own), at the
        # later of two places: a word is in two terms from the second one on.
        defined: dict[str, int] = {}
        for index, st in enumerate(stmts):
            if isinstance(st, s.TermsDecl) and st.op == "=":
                defined.setdefault(st.label.text, index)
            elif isinstance(st, s.TermDecl):
                defined.setdefault(st.words[0].text, index)
        for index, st in enumerate(stmts):
            if isinstance(st, s.TermsDecl):
                label, words = st.label.text, st.words
            elif isinstance(st, s.TermDecl):
                label, words = st.words[0].text, st.words
            else:
                continue
            if label not in state.vocabularies and label not in state.predicates:
                continue
            for item in words:
                others = [
                    x
                    for x in owners.get(m.normalize_term(item.text), [])
                    if x != label and defined.get(x, -1) < index
                ]
                if others:
                    self.error(TERM_TWICE, item.pos, word=item.text, first=others[0], second=label)

    # -- rules
    def _rule(self, st: s.RuleDecl, state: _State) -> m.Rule | None:
        settings: dict[str, Pos] = {}
        basis = note = None
        cap: m.Expr | None = m.Var(name="weight")
        floor: m.Expr | None = m.Num(value=Decimal(0))
        direction: m.Direction | None = None
        full_at: m.FullAt | None = None
        clauses: list[m.Clause] = []
        ok = True
        for item in st.items:
            if isinstance(item, s.Clause):
                clause = self._clause(item, "rule", state)
                if clause is None:
                    ok = False
                else:
                    clauses.append(clause)
                continue
            key = _budget_key(item) or type(item).__name__
            if key in settings:
                self.error(SETTING_TWICE, item.pos, setting=key, line=settings[key].line)
                continue
            settings[key] = item.pos
            if isinstance(item, s.BasisDecl):
                basis = item.text.text
            elif isinstance(item, s.NoteDecl):
                note = item.text.text
            elif isinstance(item, s.CapDecl):
                cap = self._expr(item.expr, "rule", state) if item.expr is not None else None
            elif isinstance(item, s.FloorDecl):
                floor = self._expr(item.expr, "rule", state) if item.expr is not None else None
            elif isinstance(item, s.DirectionDecl):
                if item.value.text in DIRECTIONS:
                    direction = cast(m.Direction, item.value.text)
                else:
                    self._bad_value(item.value, "方向", "direction", DIRECTIONS)
                    ok = False
            elif isinstance(item, s.FullAtDecl):
                full_at = self._full_at(item, state)
                ok = ok and full_at is not None
        if not clauses and ok:
            self.error(
                MISSING_PART,
                st.name.pos,
                block=f"rule {st.name.text}",
                what="计分条款（when … => …）",
                what_en="scoring clauses (when … => …)",
                example="例：`otherwise => weight * actual / target`",
            )
            return None
        self._check_bands(st)
        if not ok:
            return None
        rule = m.Rule(
            name=st.name.text,
            title=st.title.text if st.title else None,
            basis=basis,
            note=note,
            clauses=tuple(clauses),
            cap=cap,
            floor=floor,
            direction=direction,
            full_at=full_at,
            loc=self.loc(st.name.pos),
        )
        self._promises(promises.rule_problems(rule), st.items)
        return rule

    def _full_at(self, item: s.FullAtDecl, state: _State) -> m.FullAt | None:
        """``full at target`` / a literal / ``none`` (E358 for anything else)."""
        if item.expr is None:
            return m.FullAt(at=None)
        expr = self._expr(item.expr, "rule", state)
        if expr is None:
            return None  # reported already (an unknown name)
        if expr == m.Var(name="target") or promises.constant(expr) is not None:
            return m.FullAt(at=expr)
        self.error(BAD_FULL_AT, item.expr.pos, text=self.snippet(item.expr.pos))
        return None

    def _promises(
        self, problems: list[promises.Problem], items: Sequence[s.RuleItem | s.BudgetItem]
    ) -> None:
        """Report broken promises at the clause concerned, or at the `full at` declaration."""
        for problem in problems:
            where = next(
                (x.pos for x in items if isinstance(x, s.Clause) and x.pos.line == problem.line),
                None,
            )
            if problem.code == PROMISE_FULL_AT_TARGET or where is None:
                where = next(
                    (x.pos for x in items if isinstance(x, s.FullAtDecl)),
                    Pos(problem.line, 1, problem.line, 2),
                )
            diag = located(problem.code, self.display, self.tree.lines, where)
            self.owner.add(diag.model_copy(update={"args": dict(problem.args)}))

    def _clause(self, item: s.Clause, context: Context, state: _State) -> m.Clause | None:
        when: m.Cond | None = m.Always()
        if item.when is not None:
            when = self._cond(item.when, context, state)
        result = self._result(item.result, context, state)
        outcome: m.Outcome | None = None
        if item.outcome is not None:
            if item.outcome.text in OUTCOMES:
                outcome = item.outcome.text
            else:
                self._bad_value(item.outcome, "结果类别", "outcome", OUTCOMES)
                return None
        if when is None or result is None:
            return None
        return m.Clause(
            when=when,
            result=result,
            outcome=outcome,
            label=item.label.text if item.label else None,
            loc=self.loc(item.pos),
        )

    # -- expressions and conditions
    def _check_bands(self, st: s.RuleDecl | s.BudgetDecl) -> None:
        """Constant bands on the same variable must not overlap (first match would hide part)."""
        seen: list[tuple[str, Interval, s.Clause]] = []
        for item in st.items:
            if not isinstance(item, s.Clause) or not isinstance(item.when, s.InTest):
                continue
            test = item.when
            if not isinstance(test.subject, s.Name):
                continue
            band = constant_interval(test.interval)
            if band is None or band.is_empty():
                continue
            for name, other, clause in seen:
                if name == test.subject.text and band.intersect(other) is not None:
                    assert isinstance(clause.when, s.InTest)
                    self.error(
                        OVERLAP,
                        test.interval.pos,
                        band=self.snippet(test.interval.pos),
                        other=self.snippet(clause.when.interval.pos),
                        line=clause.pos.line,
                    )
                    break
            seen.append((test.subject.text, band, item))

    # -- budget
    def _budget(self, st: s.BudgetDecl, state: _State) -> m.BudgetRule | None:
        parent = state.budget
        values: dict[str, object] = {}
        if parent is not None:
            values = {
                "weight": parent.weight,
                "denominator": parent.denominator,
                "rows": parent.rows,
                "rate_tolerance": parent.rate_tolerance,
                "counts": parent.counts,
                "basis": parent.basis,
                "note": parent.note,
                "cap": parent.cap,
                "floor": parent.floor,
                "full_at": parent.full_at,
            }
        settings: dict[str, Pos] = {}
        clauses: list[m.Clause] = []
        ok = True
        for item in st.items:
            key = _budget_key(item)
            if key is not None:
                if key in settings:
                    self.error(SETTING_TWICE, item.pos, setting=key, line=settings[key].line)
                    continue
                settings[key] = item.pos
            if isinstance(item, s.Clause):
                clause = self._clause(item, "budget", state)
                ok = ok and clause is not None
                if clause is not None:
                    clauses.append(clause)
            elif isinstance(item, s.BudgetScore):
                result = self._result(s.PointsResult(item.expr, item.pos), "budget", state)
                ok = ok and result is not None
                if result is not None:
                    clauses.append(m.Clause(when=m.Always(), result=result, loc=self.loc(item.pos)))
            elif isinstance(item, s.BasisDecl):
                values["basis"] = item.text.text
            elif isinstance(item, s.NoteDecl):
                values["note"] = item.text.text
            elif isinstance(item, s.CapDecl):
                values["cap"] = self._expr(item.expr, "budget", state) if item.expr else None
            elif isinstance(item, s.FloorDecl):
                values["floor"] = self._expr(item.expr, "budget", state) if item.expr else None
            elif isinstance(item, s.BudgetSetting):
                ok = self._budget_setting(item, values) and ok
            elif isinstance(item, s.FullAtDecl):
                rate = self._budget_full_at(item, state)
                ok = ok and rate is not None
                values["full_at"] = rate
        if not clauses and parent is not None:
            clauses = list(parent.clauses)
        title = st.title.text if st.title else (parent.title if parent else "预算执行率")
        if "weight" not in values:
            self.error(
                MISSING_PART,
                st.pos,
                block="budget",
                what="分值（weight）",
                what_en="its weight",
                example="例：`weight 10`",
            )
            return None
        if not clauses:
            self.error(
                MISSING_PART,
                st.pos,
                block="budget",
                what="计分公式",
                what_en="a score formula",
                example="例：`score = weight * min(executed / budget, 100%)`",
            )
            return None
        self._check_bands(st)
        if not ok:
            return None
        budget = m.BudgetRule(
            title=title,
            clauses=tuple(clauses),
            loc=self.loc(st.pos),
            **values,
        )
        self._promises(promises.budget_problems(budget), st.items)
        return budget

    def _budget_full_at(self, item: s.FullAtDecl, state: _State) -> Decimal | None:
        """``full at 95%``: a literal rate (E358 for anything else, `none` included)."""
        expr = self._expr(item.expr, "budget", state) if item.expr is not None else None
        value = promises.constant(expr)
        if value is None:
            node = item.expr if item.expr is not None else item
            self.error(BAD_FULL_AT, node.pos, text=self.snippet(node.pos))
        return value

    def _budget_setting(self, item: s.BudgetSetting, values: dict[str, object]) -> bool:
        key = item.key.text
        value = item.value
        if key in ("weight", "rate_tolerance"):
            if not isinstance(value, s.Number):
                self._bad_value(value, "数值", "number", ("10",))
                return False
            values[key] = value.value
            return True
        if isinstance(value, s.Number):
            known = {"denominator": tuple(DENOMINATORS), "rows": ROWS}.get(key, COUNTS)
            self._bad_value(value, key, key, known)
            return False
        if key == "denominator":
            if value.text not in DENOMINATORS:
                self._bad_value(value, "预算数口径", "denominator", tuple(DENOMINATORS))
                return False
            values[key] = DENOMINATORS[value.text]
            return True
        allowed = ROWS if key == "rows" else COUNTS
        if value.text not in allowed:
            what = ("取数行", "rows") if key == "rows" else ("计入总分的方式", "counts")
            self._bad_value(value, what[0], what[1], allowed)
            return False
        values[key] = value.text
        return True

    # -- dispatch
    def _apply(self, st: s.ApplyDecl, state: _State, rule_names: set[str]) -> m.Apply | None:
        selectors: list[m.Selector] = []
        ok = True
        for sel in st.selectors:
            if isinstance(sel, s.AnySelector):
                continue
            if isinstance(sel, s.PathSelector):
                patterns: list[m.PathPattern] = []
                catch_all = False
                for path in sel.paths:
                    if len(path) > 3:
                        text = "/".join(w.text for w in path)
                        self.error(PATH_DEPTH, path[0].pos, path=text)
                        ok = False
                        continue
                    if all(w.text == "*" for w in path):
                        catch_all = True
                    for level, word in enumerate(path[:2]):
                        ok = self._category(word, level, state) and ok
                    patterns.append(m.PathPattern(segments=tuple(w.text for w in path)))
                if not catch_all:
                    selectors.append(m.PathIs(patterns=tuple(patterns)))
                continue
            cond = self._shape(sel.subject.text, sel.shape, state)
            if cond is None:
                ok = False
                continue
            selectors.append(m.CondIs(cond=m.Not(item=cond) if sel.negated else cond))
        rule = None
        review = None
        if st.rule is not None:
            rule = st.rule.text
            if rule not in rule_names:
                self.error(
                    UNKNOWN_RULE,
                    st.rule.pos,
                    suggestion=did_you_mean(rule, sorted(rule_names)),
                    name=rule,
                    known=", ".join(sorted(rule_names)) or "-",
                )
                ok = False
        elif st.review is not None:
            review = self._review(st.review)
        if not ok:
            return None
        return m.Apply(
            selectors=tuple(selectors),
            rule=rule,
            review=review,
            loc=self.loc(st.pos),
            origin=self.name,
        )

    # -- weights, grades, rounding
    def _weights(self, st: s.WeightsDecl, state: _State) -> m.WeightSpec:
        parent = state.weights
        groups: dict[str, m.WeightGroup] = {}
        if parent is not None:
            groups = {g.pattern: g for g in parent.groups}
        total = parent.total if parent else None
        tolerance = parent.tolerance if parent else Decimal(0)
        seen: dict[str, Pos] = {}
        for item in st.items:
            key = item.name.text if isinstance(item, s.WeightGroup) else type(item).__name__
            if key in seen:
                self.error(SETTING_TWICE, item.pos, setting=key, line=seen[key].line)
                continue
            seen[key] = item.pos
            if isinstance(item, s.WeightGroup):
                self._category(item.name, 0, state)
                groups[item.name.text] = m.WeightGroup(
                    pattern=item.name.text, weight=item.value.value, loc=self.loc(item.pos)
                )
            elif isinstance(item, s.WeightTotal):
                total = item.value.value
            else:
                tolerance = item.value.value
        return m.WeightSpec(
            groups=tuple(groups.values()), total=total, tolerance=tolerance, loc=self.loc(st.pos)
        )

    def _grades(self, st: s.GradesDecl) -> tuple[m.Grade, ...]:
        grades: list[m.Grade] = []
        previous: Decimal | None = None
        for index, item in enumerate(st.items):
            last = index == len(st.items) - 1
            if item.bound is None and not last:
                self.error(
                    GRADE_ORDER,
                    item.label.pos,
                    grade=item.label.text,
                    detail="不写下限的等级只能放在最后",
                    detail_en="a grade without a bound must come last",
                )
            elif item.bound is not None and previous is not None and item.bound.value >= previous:
                self.error(
                    GRADE_ORDER,
                    item.bound.pos,
                    grade=item.label.text,
                    detail=f"下限 {item.bound.text} 不低于上一个等级的下限",
                    detail_en=f"its bound {item.bound.text} is not below the previous one",
                )
            if item.bound is not None:
                previous = item.bound.value
            grades.append(
                m.Grade(
                    label=item.label.text,
                    bound=item.bound.value if item.bound else None,
                    inclusive=item.op != ">",
                    loc=self.loc(item.pos),
                )
            )
        if st.items and st.items[-1].bound is not None:
            item = st.items[-1]
            assert item.bound is not None
            self.error(
                NO_LOWEST_GRADE,
                item.label.pos,
                grade=item.label.text,
                bound=item.bound.text,
            )
        return tuple(grades)

    def _rounding(self, st: s.RoundDecl, old: m.Rounding) -> m.Rounding:
        method = rounding.method_name(st.method.text)
        if method is None:
            known = tuple(rounding.METHODS)
            self._bad_value(st.method, "舍入方法", "rounding method", known)
            method = old.method
        stage: Literal["line", "total"] = "line"
        if st.stage is not None:
            if st.stage.text in ("line", "total"):
                stage = cast(Literal["line", "total"], st.stage.text)
            else:
                self._bad_value(st.stage, "舍入阶段", "rounding stage", ("line", "total"))
        places = int(st.places.value) if st.places.value == int(st.places.value) else old.places
        return m.Rounding(
            method=cast(m.RoundMethod, method), places=places, stage=stage, loc=self.loc(st.pos)
        )

    # -- flags
    def _flag(self, st: s.FlagDecl, state: _State) -> m.FlagDef | None:
        scope: m.Scope = "line"
        if st.scope is not None:
            if st.scope.text in SCOPES:
                scope = st.scope.text
            else:
                self._bad_value(st.scope, "标记范围", "flag scope", SCOPES)
                return None
        context = cast(Context, f"flag_{scope}")
        when = self._cond(st.when, context, state)
        en: str | None = None
        severity: m.Severity = "warning"
        basis = note = None
        seen: dict[str, Pos] = {}
        for item in st.items:
            key = type(item).__name__
            if key in seen:
                self.error(SETTING_TWICE, item.pos, setting=key, line=seen[key].line)
                continue
            seen[key] = item.pos
            if isinstance(item, s.FlagEn):
                en = item.text.text
            elif isinstance(item, s.FlagSeverity):
                if item.level.text in SEVERITIES:
                    severity = cast(m.Severity, item.level.text)
                else:
                    self._bad_value(item.level, "严重程度", "severity", SEVERITIES)
            elif isinstance(item, s.BasisDecl):
                basis = item.text.text
            else:
                note = item.text.text
        if when is None:
            return None
        zh = st.zh.text if st.zh else st.code.text
        return m.FlagDef(
            code=st.code.text,
            zh=zh,
            en=en or st.code.text.replace("_", " "),
            scope=scope,
            when=when,
            severity=severity,
            basis=basis,
            note=note,
            loc=self.loc(st.pos),
        )

    # -- whole-policy checks
    def _final_checks(self, state: _State, stmts: Sequence[s.Statement]) -> None:
        self._check_weight_total(state, stmts)
        applies = [x for x in stmts if isinstance(x, s.ApplyDecl)]
        catch_all: s.ApplyDecl | None = None
        for st in applies:
            if catch_all is not None:
                self.error(APPLY_UNREACHABLE, st.pos, line=catch_all.pos.line)
                continue
            if _is_catch_all(st):
                catch_all = st
        if catch_all is None and not any(not a.selectors for a in state.dispatch) and applies:
            self.error(NO_FALLBACK, applies[-1].pos)
        used = {a.rule for a in state.dispatch if a.rule}
        for rule in stmts:
            if isinstance(rule, s.RuleDecl) and rule.name.text not in used:
                self.error(RULE_UNUSED, rule.name.pos, name=rule.name.text)

    def _check_weight_total(self, state: _State, stmts: Sequence[s.Statement]) -> None:
        spec = state.weights
        if spec is None or spec.total is None or not spec.groups:
            return
        here = [x for x in stmts if isinstance(x, s.WeightsDecl | s.BudgetDecl)]
        if not here:
            return  # inherited unchanged: checked where it was written
        if state.budget is None and any(isinstance(x, s.BudgetDecl) for x in stmts):
            return  # the budget block has an error (reported): its weight is not known
        budget = state.budget.weight if state.budget else Decimal(0)
        total = sum((g.weight for g in spec.groups), Decimal(0)) + budget
        if abs(total - spec.total) > spec.tolerance:
            weights_decl = next((x for x in stmts if isinstance(x, s.WeightsDecl)), here[0])
            self.error(
                WEIGHT_SUM,
                weights_decl.pos,
                sum=_plain(total),
                total=_plain(spec.total),
            )

    def _category(self, word: s.Word, level: int, state: _State) -> bool:
        """Whether a pattern segment names a category a form can print (else an E355 error with
        the closest usual name: a pattern naming no category silently matches no line)."""
        verdict = categories.judge(word.text, level, state.categories)
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


# ---------------------------------------------------------------------------------------------
# Small pure helpers


def _is_catch_all(st: s.ApplyDecl) -> bool:
    for sel in st.selectors:
        if isinstance(sel, s.AnySelector):
            continue
        if isinstance(sel, s.PathSelector) and any(
            all(w.text == "*" for w in path) for path in sel.paths
        ):
            continue
        return False
    return True


def _budget_key(item: s.BudgetItem | s.RuleItem) -> str | None:
    if isinstance(item, s.BudgetSetting):
        return item.key.text
    if isinstance(item, s.BudgetScore):
        return "score"
    if isinstance(item, s.BasisDecl):
        return "basis"
    if isinstance(item, s.NoteDecl):
        return "note"
    if isinstance(item, s.CapDecl):
        return "cap"
    if isinstance(item, s.FloorDecl):
        return "floor"
    if isinstance(item, s.FullAtDecl):
        return "full at"
    if isinstance(item, s.DirectionDecl):
        return "direction"
    return None


def _plain(value: Decimal) -> str:
    return plain(value)
