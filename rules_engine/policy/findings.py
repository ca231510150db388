"""Everything `rules-engine check` finds in one policy (`diagnose`): the compiler's messages
and, once it compiles, the static analysis and the lint; the command and the language server
both report these."""

from __future__ import annotations

from rules_engine.diagnostics import Diagnostic
from rules_engine.policy.analysis import analyze
from rules_engine.policy.compiler import check_policy
from rules_engine.policy.limits import DEFAULT, Limits
from rules_engine.policy.lint import lint
from rules_engine.policy.model import CompiledPolicy
from rules_engine.policy.tiers import check_tiers


def diagnose(
    source: str, *, text: str | None = None, limits: Limits = DEFAULT
) -> tuple[CompiledPolicy | None, list[Diagnostic]]:
    """The policy `source` (a name or path; `text` gives its text directly), ``None`` when it
    does not compile, and every finding of it and of the policies it extends (read under
    `limits`)."""
    policy, diagnostics = check_policy(source, text=text, limits=limits)
    if policy is not None:
        # the analysis and the tiers read in place order, as one list
        found = sorted([*analyze(policy), *check_tiers(policy)], key=_place)
        diagnostics = [*diagnostics, *found, *lint(policy)]
    return policy, _unique(diagnostics)


def _place(diag: Diagnostic) -> tuple[str, int, int, str]:
    return (diag.file or "", diag.line or 0, diag.col or 0, diag.code)


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The same finding reached twice (a parent checked through two children) is shown once."""
    seen: set[tuple[object, ...]] = set()
    kept: list[Diagnostic] = []
    for diag in diagnostics:
        key = (diag.code, diag.file, diag.line, diag.col, tuple(sorted(diag.args.items())))
        if key not in seen:
            seen.add(key)
            kept.append(diag)
    return kept
