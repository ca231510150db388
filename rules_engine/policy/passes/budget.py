"""The ``budget`` block → `m.BudgetRule`: its settings over the inherited ones, and its clauses."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy import promises
from rules_engine.policy.messages import BAD_FULL_AT, MISSING_PART
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes import clauses
from rules_engine.policy.passes.unit import Unit

DENOMINATORS = {"adjusted": "adjusted", "initial": "initial", "全年预算数": "adjusted"}
DENOMINATORS |= {"调整后预算数": "adjusted", "年初预算数": "initial"}
ROWS = ("total", "parts", "total_or_parts")
COUNTS = ("always", "never", "if_room")


def compile_budget(unit: Unit, st: s.BudgetDecl) -> m.BudgetRule | None:
    """The budget rule, or ``None`` when the block has errors (all reported)."""
    parent = unit.state.budget
    values = _inherited(parent)
    settings: dict[str, Pos] = {}
    found: list[m.Clause] = []
    ok = True
    for item in st.items:
        key = clauses.setting_key(item)
        if key is not None and not unit.first_setting(settings, key, item.pos):
            continue
        ok = _item(unit, item, values, found) and ok
    if not found and parent is not None:
        found = list(parent.clauses)
    title = st.title.text if st.title else (parent.title if parent else "预算执行率")
    if "weight" not in values:
        unit.error(
            MISSING_PART,
            st.pos,
            block="budget",
            what="分值（weight）",
            what_en="its weight",
            example="例：`weight 10`",
        )
        return None
    if not found:
        unit.error(
            MISSING_PART,
            st.pos,
            block="budget",
            what="计分公式",
            what_en="a score formula",
            example="例：`score = weight * min(executed / budget, 100%)`",
        )
        return None
    clauses.check_bands(unit, st)
    if not ok:
        return None
    budget = m.BudgetRule(
        title=title,
        clauses=tuple(found),
        loc=unit.loc(st.pos),
        **values,
    )
    clauses.report_promises(unit, promises.budget_problems(budget), st.items)
    return budget


def _inherited(parent: m.BudgetRule | None) -> dict[str, object]:
    if parent is None:
        return {}
    return {
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


def _item(unit: Unit, item: s.BudgetItem, values: dict[str, object], found: list[m.Clause]) -> bool:
    """Read one item of the block into `values` or `found`; whether it was right."""
    exprs, state = unit.exprs, unit.state
    match item:
        case s.Clause():
            clause = clauses.clause(unit, item, "budget")
            if clause is not None:
                found.append(clause)
            return clause is not None
        case s.BudgetScore():
            result = exprs.result(s.PointsResult(item.expr, item.pos), "budget", state)
            if result is not None:
                found.append(m.Clause(when=m.Always(), result=result, loc=unit.loc(item.pos)))
            return result is not None
        case s.BasisDecl():
            values["basis"] = item.text.text
        case s.NoteDecl():
            values["note"] = item.text.text
        case s.CapDecl():
            values["cap"] = exprs.expr(item.expr, "budget", state) if item.expr else None
        case s.FloorDecl():
            values["floor"] = exprs.expr(item.expr, "budget", state) if item.expr else None
        case s.BudgetSetting():
            return _setting(unit, item, values)
        case s.FullAtDecl():
            rate = _full_at(unit, item)
            values["full_at"] = rate
            return rate is not None
        case _:
            assert_never(item)
    return True


def _full_at(unit: Unit, item: s.FullAtDecl) -> Decimal | None:
    """``full at 95%``: a literal rate (E358 for anything else, `none` included)."""
    expr = unit.exprs.expr(item.expr, "budget", unit.state) if item.expr is not None else None
    value = promises.constant(expr)
    if value is None:
        node = item.expr if item.expr is not None else item
        unit.error(BAD_FULL_AT, node.pos, text=unit.exprs.snippet(node.pos))
    return value


def _setting(unit: Unit, item: s.BudgetSetting, values: dict[str, object]) -> bool:
    bad_value = unit.exprs.bad_value
    key = item.key.text
    value = item.value
    if key in ("weight", "rate_tolerance"):
        if not isinstance(value, s.Number):
            bad_value(value, "数值", "number", ("10",))
            return False
        values[key] = value.value
        return True
    if isinstance(value, s.Number):
        known = {"denominator": tuple(DENOMINATORS), "rows": ROWS}.get(key, COUNTS)
        bad_value(value, key, key, known)
        return False
    if key == "denominator":
        if value.text not in DENOMINATORS:
            bad_value(value, "预算数口径", "denominator", tuple(DENOMINATORS))
            return False
        values[key] = DENOMINATORS[value.text]
        return True
    allowed = ROWS if key == "rows" else COUNTS
    if value.text not in allowed:
        what = ("取数行", "rows") if key == "rows" else ("计入总分的方式", "counts")
        bad_value(value, what[0], what[1], allowed)
        return False
    values[key] = value.text
    return True
