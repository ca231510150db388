"""The engine's entry point: a compiled policy × a document → a scorecard, form by form."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal, localcontext

from rules_engine.engine.budget import score_budget
from rules_engine.engine.lines import score_line
from rules_engine.engine.plan import Plan
from rules_engine.engine.recipients import Combined, combine
from rules_engine.engine.refusal import refused_form, refuses
from rules_engine.engine.review import review_document
from rules_engine.engine.totals import score_total
from rules_engine.model import Document, Form
from rules_engine.policy.model import CompiledPolicy
from rules_engine.rounding import CONTEXT
from rules_engine.scorecard import Flag, FormResult, PolicyInfo, Scorecard

# Plans of the policies used lately, by identity: a batch compiles its closures once.
_PLANS: dict[int, tuple[CompiledPolicy, Plan]] = {}
_PLAN_LIMIT = 8


def plan_for(policy: CompiledPolicy) -> Plan:
    """The ready-to-run plan of `policy` (built on first use, then reused)."""
    found = _PLANS.get(id(policy))
    if found is not None and found[0] is policy:
        return found[1]
    if len(_PLANS) >= _PLAN_LIMIT:
        _PLANS.pop(next(iter(_PLANS)))
    plan = Plan(policy)
    _PLANS[id(policy)] = (policy, plan)
    return plan


def evaluate(policy: CompiledPolicy, document: Document) -> Scorecard:
    """Score every form of `document` under `policy`; every score comes with its trace."""
    with localcontext(CONTEXT):
        plan = plan_for(policy)
        forms = review_document(
            plan,
            tuple(
                _with_notes(score_form(plan, item.form), item)
                for item in combine(policy, document.forms)
            ),
        )
    info = PolicyInfo(
        name=policy.name,
        year=policy.year,
        path=policy.path,
        sha256=policy.sha256,
        title=policy.title,
        english=dict(policy.english),
    )
    return Scorecard(policy=info, forms=forms)


def _with_notes(result: FormResult, item: Combined) -> FormResult:
    """A form added up from several recipients: each line's trace starts with how its actual
    was added up, and a line that could not be has that reason instead of "actual empty"."""
    if not item.notes:
        return result
    lines = []
    for line in result.lines:
        note = item.notes.get(line.index)
        if note is None:
            lines.append(line)
            continue
        verdict = replace(line.verdict, steps=(note, *line.verdict.steps))
        flags = line.flags
        if note.args.get("how") == "differ":
            differ = Flag("recipients_differ", {"why": note.args["why"]})
            flags = (differ, *(f for f in flags if f.code != "missing_actual"))
        lines.append(replace(line, verdict=verdict, flags=flags))
    added = Flag("recipients_added", {"count": item.count, "units": item.form.unit}, "info")
    return replace(result, lines=tuple(lines), flags=(added, *result.flags))


def score_form(plan: Plan, form: Form) -> FormResult:
    """Score one form: its lines, its budget block, its total and grade, its flags. A form of
    a kind the policy does not score is refused, line by line."""
    if refuses(plan, form):
        return refused_form(plan, form)
    targets_only = form.kind == "targets-only"
    lines = tuple(
        score_line(plan, index, line, targets_only)
        for index, line in enumerate(form.indicators, start=1)
    )
    weights = [x.weight for x in lines if x.weight is not None]
    line_weights = sum(weights, Decimal(0)) if weights else None
    budget = None if targets_only else score_budget(plan, form.budget, line_weights)
    total, flags = score_total(plan, form, lines, budget, targets_only)
    return FormResult(form=form, lines=lines, budget=budget, total=total, flags=tuple(flags))
