"""A form of a kind the policy does not score, refused line by line: never scored with rules
written for other sheets."""

from __future__ import annotations

from rules_engine.bounded import figure
from rules_engine.engine.plan import Plan
from rules_engine.model import Form
from rules_engine.scorecard import (
    Flag,
    FormResult,
    LineResult,
    Step,
    Tail,
    TotalResult,
    Verdict,
)


def refuses(plan: Plan, form: Form) -> bool:
    """Whether the policy does not score forms of this kind (target tables are only explained,
    never scored, so every policy takes them)."""
    return form.kind != "targets-only" and form.kind not in plan.kinds


def refused_form(plan: Plan, form: Form) -> FormResult:
    """Every line sent to review with the reason, no budget score, no total, an error flag."""
    args = {"kind": form.kind, "kinds": plan.kinds}
    step = Step("kind_refused", args, source=plan.kinds_source)
    lines = []
    for index, line in enumerate(form.indicators, start=1):
        verdict = Verdict(
            weight=figure(line.weight),
            target_value=None,
            actual_value=None,
            rule=None,
            rule_title=None,
            label=None,
            source=plan.kinds_source,
            outcome="review",
            score=None,
            unrounded=None,
            steps=(step,),
        )
        own = figure(line.score)
        tail = Tail(own, None, None, None, ())
        lines.append(LineResult(index, line, verdict, tail, ()))
    total = TotalResult(
        score=None,
        self_score=None,
        weight=None,
        grade=None,
        steps=(Step("kind_refused_total", args, source=plan.kinds_source),),
        final=False,
        reasons=("kind_refused",),
        pending=len(lines),
        self_final=False,
    )
    flag = Flag("kind_not_scored", args, "error", plan.kinds_source)
    return FormResult(form=form, lines=tuple(lines), budget=None, total=total, flags=(flag,))
