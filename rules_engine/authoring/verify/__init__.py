"""Property-based verification of a policy as written: search form lines that break what the
policy promises, and show each counterexample shrunk to one small line.

The properties, in the order they are reported:

* ``bands`` — tiers and grades partition their range (exact, from the static analysis);
* ``dispatch_gap`` — every target shape on every category reaches a scoring rule, unless an
  ``apply`` written for it sends it to review (`dispatch`);
* ``score_range``, ``monotone``, ``met_full``, ``missed_not_full`` — each rule keeps what it
  declares (``direction``, ``full at``), within its floor and cap (`lines`);
* ``budget_range``, ``budget_monotone``, ``budget_full``, ``budget_short`` — the budget rule
  (`budget`);
* ``total_range`` — a form's total stays within its weights (`forms`).

Searches use hypothesis (`hypothesis.find`, seeded, no example database); the dispatch check is
exhaustive over its finite catalogue of shapes and categories.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from rules_engine.authoring.verify import budget, cases, dispatch, forms, lines
from rules_engine.authoring.verify.findings import Finding, Report
from rules_engine.authoring.verify.search import Search, scratch_storage
from rules_engine.policy.model import CompiledPolicy

PROPERTY_ORDER = (
    "bands",
    "dispatch_gap",
    *lines.PROPERTIES,
    *budget.PROPERTIES,
    "total_range",
)

__all__ = ["PROPERTY_ORDER", "Finding", "Report", "verify"]


def verify(
    policy: CompiledPolicy,
    *,
    seed: int = 0,
    max_examples: int = 200,
    only: Sequence[str] | None = None,
) -> Report:
    """Search for counterexamples to every property (or those named in `only`) of the policy;
    deterministic for a given seed."""
    started = time.monotonic()
    report = Report(policy.path, seed, max_examples)
    search = Search(policy, seed, max_examples)

    def wanted(name: str) -> bool:
        return only is None or name in only

    if wanted("bands"):
        report.properties.append("bands")
        report.findings.extend(forms.band_findings(policy))
    with scratch_storage():
        shapes = cases.shapes(policy)
        paths = cases.paths(policy)
        reach = dispatch.probe(policy, shapes, paths)
        if wanted("dispatch_gap"):
            report.properties.append("dispatch_gap")
            report.findings.extend(dispatch.findings(reach))
        _rules(search, reach, report, [n for n in lines.PROPERTIES if wanted(n)])
        if policy.budget is not None:
            check = budget.BudgetCheck(search, policy.budget)
            for name, prop in budget.PROPERTIES.items():
                if wanted(name):
                    report.properties.append(name)
                    _add(report, prop(check))
        if wanted("total_range"):
            report.properties.append("total_range")
            na = policy.not_applicable.words if policy.not_applicable is not None else ()
            strategy = forms.forms(forms.any_line(shapes, paths, na), policy.scored_kind())
            _add(report, forms.total_in_range(search, strategy))
    report.seconds = time.monotonic() - started
    return report


def _rules(search: Search, reach: dispatch.Reach, report: Report, names: list[str]) -> None:
    """The line properties of every rule dispatch reaches."""
    report.properties.extend(names)
    if not names:
        return
    for rule in search.policy.rules.values():
        reached = reach.by_rule.get(rule.name)
        if not reached:
            report.unchecked.append(
                (
                    f"规则「{rule.name}」：没有生成的指标行落到它，未检验",
                    f"rule '{rule.name}': no generated line reaches it; not checked",
                )
            )
            continue
        if rule.direction is None or rule.full_at is None:
            report.unchecked.append(
                (
                    f"规则「{rule.name}」：未声明 direction / full at，只检验了得分范围",
                    f"rule '{rule.name}': no direction / full at declared; only its score "
                    "range was checked",
                )
            )
        check = lines.RuleCheck(search, rule, reached)
        for name in names:
            _add(report, lines.PROPERTIES[name](check))


def _add(report: Report, finding: Finding | None) -> None:
    if finding is not None:
        report.findings.append(finding)
