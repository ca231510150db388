"""A ``rule`` block → `m.Rule`: its clauses, bounds and what it declares it does."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never, cast

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy import promises
from rules_engine.policy.messages import BAD_FULL_AT, MISSING_PART
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes import clauses
from rules_engine.policy.passes.unit import Unit

DIRECTIONS = ("up", "down", "none")


def compile_rule(unit: Unit, st: s.RuleDecl) -> m.Rule | None:  # noqa: PLR0912
    """The rule, or ``None`` when it has errors (all reported)."""
    exprs, state = unit.exprs, unit.state
    settings: dict[str, Pos] = {}
    basis = note = None
    cap: m.Expr | None = m.Var(name="weight")
    floor: m.Expr | None = m.Num(value=Decimal(0))
    direction: m.Direction | None = None
    full_at: m.FullAt | None = None
    found: list[m.Clause] = []
    ok = True
    for item in st.items:
        if isinstance(item, s.Clause):
            clause = clauses.clause(unit, item, "rule")
            if clause is None:
                ok = False
            else:
                found.append(clause)
            continue
        key = clauses.setting_key(item) or type(item).__name__
        if not unit.first_setting(settings, key, item.pos):
            continue
        match item:
            case s.BasisDecl():
                basis = item.text.text
            case s.NoteDecl():
                note = item.text.text
            case s.CapDecl():
                cap = exprs.expr(item.expr, "rule", state) if item.expr is not None else None
            case s.FloorDecl():
                floor = exprs.expr(item.expr, "rule", state) if item.expr is not None else None
            case s.DirectionDecl():
                if item.value.text in DIRECTIONS:
                    direction = cast(m.Direction, item.value.text)
                else:
                    exprs.bad_value(item.value, "方向", "direction", DIRECTIONS)
                    ok = False
            case s.FullAtDecl():
                full_at = _full_at(unit, item)
                ok = ok and full_at is not None
            case _:
                assert_never(item)
    if not found and ok:
        unit.error(
            MISSING_PART,
            st.name.pos,
            block=f"rule {st.name.text}",
            what="计分条款（when … => …）",
            what_en="scoring clauses (when … => …)",
            example="例：`otherwise => weight * actual / target`",
        )
        return None
    clauses.check_bands(unit, st)
    if not ok:
        return None
    rule = m.Rule(
        name=st.name.text,
        title=st.title.text if st.title else None,
        basis=basis,
        note=note,
        clauses=tuple(found),
        cap=cap,
        floor=floor,
        direction=direction,
        full_at=full_at,
        loc=unit.loc(st.name.pos),
    )
    clauses.report_promises(unit, promises.rule_problems(rule), st.items)
    return rule


def _full_at(unit: Unit, item: s.FullAtDecl) -> m.FullAt | None:
    """``full at target`` / a literal / ``none`` (E358 for anything else)."""
    if item.expr is None:
        return m.FullAt(at=None)
    expr = unit.exprs.expr(item.expr, "rule", unit.state)
    if expr is None:
        return None  # reported already (an unknown name)
    if expr == m.Var(name="target") or promises.constant(expr) is not None:
        return m.FullAt(at=expr)
    unit.error(BAD_FULL_AT, item.expr.pos, text=unit.exprs.snippet(item.expr.pos))
    return None
