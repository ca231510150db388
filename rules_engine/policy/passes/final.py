"""The whole-policy pass: the weights add up, a catch-all ``apply`` comes last, every rule is
used."""

from __future__ import annotations

from decimal import Decimal

from rules_engine.policy import nodes as s
from rules_engine.policy.messages import APPLY_UNREACHABLE, NO_FALLBACK, RULE_UNUSED, WEIGHT_SUM
from rules_engine.policy.passes.unit import Unit
from rules_engine.values import plain


def check(unit: Unit) -> None:
    """E331 when the weights do not add up, E340/E339 for the catch-all, E349 unused rules."""
    _weight_total(unit)
    stmts = unit.tree.statements
    applies = [x for x in stmts if isinstance(x, s.ApplyDecl)]
    catch_all: s.ApplyDecl | None = None
    for st in applies:
        if catch_all is not None:
            unit.error(APPLY_UNREACHABLE, st.pos, line=catch_all.pos.line)
            continue
        if _is_catch_all(st):
            catch_all = st
    dispatch = unit.state.dispatch
    if catch_all is None and not any(not a.selectors for a in dispatch) and applies:
        unit.error(NO_FALLBACK, applies[-1].pos)
    used = {a.rule for a in dispatch if a.rule}
    for rule in stmts:
        if isinstance(rule, s.RuleDecl) and rule.name.text not in used:
            unit.error(RULE_UNUSED, rule.name.pos, name=rule.name.text)


def _weight_total(unit: Unit) -> None:
    state, stmts = unit.state, unit.tree.statements
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
        unit.error(WEIGHT_SUM, weights_decl.pos, sum=plain(total), total=plain(spec.total))


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
