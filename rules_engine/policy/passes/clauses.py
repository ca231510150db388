"""What rules and the budget block share: their clauses, band overlaps, broken promises, and
the key each setting inside their braces is counted under (for settings written twice)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy import promises
from rules_engine.policy.expressions import OUTCOMES, Context, constant_interval
from rules_engine.policy.intervals import Interval
from rules_engine.policy.messages import OVERLAP, PROMISE_FULL_AT_TARGET, located
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes.unit import Unit


def clause(unit: Unit, item: s.Clause, context: Context) -> m.Clause | None:
    """``when … => …`` / ``otherwise => …`` (``None`` when a part of it is wrong, reported)."""
    exprs = unit.exprs
    when: m.Cond | None = m.Always()
    if item.when is not None:
        when = exprs.cond(item.when, context, unit.state)
    result = exprs.result(item.result, context, unit.state)
    outcome: m.Outcome | None = None
    if item.outcome is not None:
        if item.outcome.text in OUTCOMES:
            outcome = item.outcome.text
        else:
            exprs.bad_value(item.outcome, "结果类别", "outcome", OUTCOMES)
            return None
    if when is None or result is None:
        return None
    return m.Clause(
        when=when,
        result=result,
        outcome=outcome,
        label=item.label.text if item.label else None,
        loc=unit.loc(item.pos),
    )


def check_bands(unit: Unit, st: s.RuleDecl | s.BudgetDecl) -> None:
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
        for name, other, earlier in seen:
            if name == test.subject.text and band.intersect(other) is not None:
                assert isinstance(earlier.when, s.InTest)
                unit.error(
                    OVERLAP,
                    test.interval.pos,
                    band=unit.exprs.snippet(test.interval.pos),
                    other=unit.exprs.snippet(earlier.when.interval.pos),
                    line=earlier.pos.line,
                )
                break
        seen.append((test.subject.text, band, item))


def report_promises(
    unit: Unit, problems: list[promises.Problem], items: Sequence[s.RuleItem | s.BudgetItem]
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
        diag = located(problem.code, unit.display, unit.tree.lines, where)
        unit.diagnostics.append(diag.model_copy(update={"args": dict(problem.args)}))


def setting_key(item: s.BudgetItem | s.RuleItem) -> str | None:
    """The name a setting inside a rule or budget block goes by (``None`` for a clause)."""
    match item:
        case s.BudgetSetting():
            return item.key.text
        case s.BudgetScore():
            return "score"
        case s.BasisDecl():
            return "basis"
        case s.NoteDecl():
            return "note"
        case s.CapDecl():
            return "cap"
        case s.FloorDecl():
            return "floor"
        case s.FullAtDecl():
            return "full at"
        case s.DirectionDecl():
            return "direction"
        case s.Clause():
            return None
        case _:
            assert_never(item)
