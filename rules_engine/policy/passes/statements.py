"""The statement pass: every rule, budget, apply, setting and flag, compiled in file order (so
the messages of one file read from top to bottom), each by the module for its kind."""

from __future__ import annotations

from typing import assert_never

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.passes import budget, dispatch, flags, review, rules, settings, sheets
from rules_engine.policy.passes.unit import Unit


def run(unit: Unit) -> None:  # noqa: C901, PLR0912
    """Compile each statement into the unit's state; this file's applies go before the
    inherited ones, since they refine what the extended policy dispatches."""
    state = unit.state
    applies: list[m.Apply] = []
    for st in unit.tree.statements:
        match st:
            case s.RuleDecl():
                if id(st) in unit.first_rules:
                    _add_rule(unit, rules.compile_rule(unit, st))
            case s.ApplyDecl():
                apply = dispatch.compile_apply(unit, st)
                if apply is not None:
                    applies.append(apply)
            case s.BudgetDecl():
                if unit.once("budget", ("预算规则", "budget rule"), "budget", st.pos):
                    state.budget = budget.compile_budget(unit, st)
            case s.WeightsDecl():
                if unit.once("weights", ("分值设置", "weights block"), "weights", st.pos):
                    state.weights = settings.weights(unit, st)
            case s.GradesDecl():
                settings.grade_set(unit, st)
            case s.RoundDecl():
                if unit.once("round", ("舍入设置", "rounding"), "round", st.pos):
                    state.rounding = settings.rounding_of(unit, st)
            case s.ToleranceDecl():
                if unit.once("tolerance", ("容差设置", "tolerance"), "tolerance", st.pos):
                    state.tolerance = st.value.value
            case s.FlagDecl():
                flags.define(unit, st)
            case s.FlagOff():
                flags.turn_off(unit, st)
            case s.DeadlineDecl():
                settings.deadline(unit, st)
            case s.ReviewDecl():
                if unit.once("review", ("目标审核", "target review"), "targets", st.pos):
                    state.review = review.compile_review(unit, st)
            case s.FormsDecl():
                if unit.once("forms", ("表的种类", "forms"), "forms", st.pos):
                    sheets.forms(unit, st)
            case s.NotApplicableDecl():
                if unit.once("na", ("不适用的写法", "not_applicable"), "na", st.pos):
                    sheets.not_applicable(unit, st)
            case s.RescaleDecl():
                if unit.once("rescale", ("折算设置", "rescale"), "rescale", st.pos):
                    sheets.rescale(unit, st)
            case s.AggregateDecl():
                if unit.once("aggregate", ("汇总设置", "aggregate"), "aggregate", st.pos):
                    sheets.aggregate(unit, st)
            case (
                s.PolicyDecl()
                | s.ExtendsDecl()
                | s.BasisDecl()
                | s.NoteDecl()
                | s.TermsDecl()
                | s.TermDecl()
                | s.CategoriesDecl()
            ):
                pass  # read by the passes before this one, or when the policy is put together
            case _:
                assert_never(st)
    state.dispatch = applies + state.dispatch


def _add_rule(unit: Unit, rule: m.Rule | None) -> None:
    """Keep the rule, noting where the extended policy's rule of that name was."""
    if rule is None:
        return
    parent = unit.state.rules.get(rule.name)
    if parent is not None and parent.loc.file != unit.display:
        rule = rule.model_copy(update={"overrides": parent.loc})
    unit.state.rules[rule.name] = rule
