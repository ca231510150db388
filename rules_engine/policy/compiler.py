"""Syntax tree → `CompiledPolicy`: a short driver over the passes of `rules_engine.policy.passes`.

`compile_policy` is the one entry point the engine uses; `check_policy` returns the policy (or
``None``) with every diagnostic of the whole `extends` chain, for `rules-engine check`. Every
pass runs, whatever the ones before it found, so one run reports all the errors of a file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path

from rules_engine.diagnostics import Diagnostic, UserError, define, os_reason
from rules_engine.policy import loader
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.limits import DEFAULT, Limits
from rules_engine.policy.parse import parse_policy
from rules_engine.policy.passes import (
    english,
    final,
    header,
    inherit,
    names,
    statements,
    terms,
)
from rules_engine.policy.passes.unit import Unit

UNREADABLE = define(
    "E300",
    "无法读取策略文件：{reason_zh}",
    "cannot read the policy file: {reason_en}",
    "检查路径是否正确、文件是否为 UTF-8 文本；内置策略可直接写名称，如 national-2020。",
    "check the path and that the file is UTF-8 text; shipped policies can be named, "
    "e.g. national-2020.",
)

TOO_COMPLEX = define(
    "E559",
    "规则文件嵌套过深，无法编译",
    "the policy is nested too deeply to compile",
    "调低 --max-expression-depth、--max-expression-terms 或 --max-extends-depth，"
    "或把表达式与继承链写得短一些。",
    "lower --max-expression-depth, --max-expression-terms or --max-extends-depth, or write "
    "shorter expressions and extends chains.",
)

# The passes over one file, in order. Each reads what the passes before it left in the unit
# (its state, and the names `names.declare` notes); what each needs is written beside it.
PASSES: tuple[Callable[[Unit], None], ...] = (
    # needs nothing; runs first so a header error comes before the parent's messages
    header.check,
    # starts the state from the parent's: every later pass adds to it or overrides it
    inherit.run,
    # needs the parent's rules (rule names); declares categories, terms and rules before any
    # statement uses them, so a statement may name one defined further down
    names.declare,
    # needs every `terms X =` (declare): `+=` may come before the definition it extends
    terms.extend,
    # needs every vocabulary and predicate, inherited and extended ones included
    terms.check_words,
    # needs the terms (conditions), rule names (apply) and categories (apply, weights)
    statements.run,
    # needs the budget and weights (their sum), the dispatch (catch-all) and rules (unused)
    final.check,
    # needs the parent's English, which this file's texts override
    english.collect,
)


class PolicyError(UserError):
    """A policy that does not compile; carries every diagnostic (exit code 2 for commands that
    only use the policy; `check` reports them itself with exit code 1)."""


def compile_policy(
    source: str | Path, *, text: str | None = None, limits: Limits = DEFAULT
) -> m.CompiledPolicy:
    """Compile the policy `source` (a shipped name such as ``national-2020``, or a path).

    `text` gives the policy text directly (then `source` is only its display name). Raises
    `PolicyError` (exit code 2) carrying every error of the policy and of those it extends.
    """
    policy, diagnostics = check_policy(source, text=text, limits=limits)
    errors = [d for d in diagnostics if d.severity == "error"]
    if policy is None or errors:
        raise PolicyError(errors or diagnostics, 2)
    return policy


def check_policy(
    source: str | Path, *, text: str | None = None, limits: Limits = DEFAULT
) -> tuple[m.CompiledPolicy | None, list[Diagnostic]]:
    """Compile `source` and return it (``None`` if it has errors) with every diagnostic found.

    Warnings never prevent compilation. A file that cannot be read, or is not a policy, gives
    ``E300`` or one of ``E550``, ``E552``, ``E553`` (the `check` command exits 2 on those).
    The files it extends are read under `limits` (`rules_engine.policy.limits`).
    """
    if text is not None:
        path, display = Path(str(source)), str(source)
    else:
        path, display = loader.resolve(str(source))
    diagnostics: list[Diagnostic] = []
    try:
        policy = _Run(diagnostics, limits).file(path, display, text, ())
    except RecursionError:
        # The limits keep every tree far shallower than the stack; this is the last guard.
        diagnostics.append(Diagnostic(code=TOO_COMPLEX, file=display))
        policy = None
    errors = any(d.severity == "error" for d in diagnostics)
    return (None if errors else policy), diagnostics


# Codes that say a file could not be used as a policy at all (exit code 2 rather than 1).
_UNUSABLE = frozenset({UNREADABLE, loader.NOT_A_POLICY, loader.NOT_REGULAR, loader.TOO_LARGE})


def unreadable(diagnostics: Iterable[Diagnostic]) -> bool:
    """Whether the diagnostics include a file that could not be read as a policy (exit code 2
    rather than 1)."""
    return any(d.code in _UNUSABLE for d in diagnostics)


class _Run:
    """One compilation: the file asked for and those it extends, reporting into one list."""

    def __init__(self, diagnostics: list[Diagnostic], limits: Limits) -> None:
        self.diagnostics = diagnostics
        self.limits = limits

    def file(
        self, path: Path, display: str, text: str | None, stack: tuple[str, ...]
    ) -> m.CompiledPolicy | None:
        """The compiled file, or ``None`` when it (or a file it extends) has errors."""
        if text is None:
            try:
                text = loader.read_policy(path, self.limits)
            except loader.Unreadable as refused:
                self.diagnostics.append(
                    Diagnostic(code=refused.code, args=refused.args_, file=display)
                )
                return None
            except (OSError, UnicodeDecodeError) as exc:
                zh, en = os_reason(exc)
                args = {"reason_zh": zh, "reason_en": en}
                self.diagnostics.append(Diagnostic(code=UNREADABLE, args=args, file=display))
                return None
        start = len(self.diagnostics)
        tree, syntax_errors = parse_policy(text, display, self.limits)
        self.diagnostics.extend(syntax_errors)
        unit = Unit(
            tree,
            path,
            display,
            stack=stack,
            diagnostics=self.diagnostics,
            load=self._parent,
            limits=self.limits,
        )
        for run_pass in PASSES:
            run_pass(unit)
        # Errors anywhere from the start (this file's or its parents') mean no compiled policy.
        if any(d.severity == "error" for d in self.diagnostics[start:]):
            return None
        return _policy(unit)

    def _parent(self, path: Path, display: str, stack: tuple[str, ...]) -> m.CompiledPolicy | None:
        return self.file(path, display, None, stack)


def _policy(unit: Unit) -> m.CompiledPolicy:
    """The compiled policy from what the passes left in `unit`."""
    state, stmts = unit.state, unit.tree.statements
    sha = hashlib.sha256(unit.tree.text.encode("utf-8")).hexdigest()
    state.sources.append(m.PolicySource(name=unit.name, path=unit.display, sha256=sha))
    head = next((x for x in stmts if isinstance(x, s.PolicyDecl)), None)
    basis = next((x.text.text for x in stmts if isinstance(x, s.BasisDecl)), None)
    note = next((x.text.text for x in stmts if isinstance(x, s.NoteDecl)), None)
    return m.CompiledPolicy(
        name=unit.name,
        title=head.title.text if head else unit.name,
        year=int(head.year.value) if head and head.year else None,
        region=head.region.text if head and head.region else None,
        basis=basis,
        note=note,
        path=unit.display,
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
        review=state.review,
        alt_grades=tuple(state.alt_grades.values()),
        forms=state.forms,
        not_applicable=state.not_applicable,
        rescale=state.rescale,
        aggregate=state.aggregate,
    )
