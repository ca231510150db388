"""The policy-wide settings → IR: ``weights``, ``grades``, ``round`` and ``deadline``."""

from __future__ import annotations

from decimal import Decimal
from typing import assert_never, cast

from rules_engine import rounding
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.messages import ALT_GRADES_ALONE, GRADE_ORDER, NO_LOWEST_GRADE
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes.unit import Unit


def weights(unit: Unit, st: s.WeightsDecl) -> m.WeightSpec:
    """The weight constraints: this block's groups, total and tolerance over the inherited."""
    parent = unit.state.weights
    groups: dict[str, m.WeightGroup] = {}
    if parent is not None:
        groups = {g.pattern: g for g in parent.groups}
    total = parent.total if parent else None
    tolerance = parent.tolerance if parent else Decimal(0)
    seen: dict[str, Pos] = {}
    for item in st.items:
        if isinstance(item, s.WeightGroup | s.WeightOff):
            key = item.name.text
        else:
            key = type(item).__name__
        if not unit.first_setting(seen, key, item.pos):
            continue
        match item:
            case s.WeightGroup():
                unit.known_category(item.name, 0)
                groups[item.name.text] = m.WeightGroup(
                    pattern=item.name.text, weight=item.value.value, loc=unit.loc(item.pos)
                )
            case s.WeightOff():
                if groups.pop(item.name.text, None) is None:
                    known = tuple(groups) or ("-",)
                    unit.exprs.bad_value(item.name, "可取消的分值组", "group to drop", known)
            case s.WeightTotal():
                total = item.value.value
            case s.WeightTolerance():
                tolerance = item.value.value
            case _:
                assert_never(item)
    return m.WeightSpec(
        groups=tuple(groups.values()), total=total, tolerance=tolerance, loc=unit.loc(st.pos)
    )


def grade_set(unit: Unit, st: s.GradesDecl) -> None:
    """``grades { … }`` (the policy's own) or ``grades "名称" { … }`` (an alternative set, shown
    beside them; E366 when the policy has no grades of its own)."""
    state = unit.state
    if st.name is None:
        if unit.once("grades", ("等级设置", "grades block"), "grades", st.pos):
            state.grades = grades(unit, st)
        return
    name = st.name.text
    if not unit.once("grades", ("备选等级", "alternative grades"), name, st.name.pos):
        return
    found = grades(unit, st)
    own = any(isinstance(x, s.GradesDecl) and x.name is None for x in unit.tree.statements)
    if not state.grades and not own:
        unit.error(ALT_GRADES_ALONE, st.name.pos, name=name)
        return
    state.alt_grades[name] = m.GradeSet(name=name, grades=found, loc=unit.loc(st.pos))


def grades(unit: Unit, st: s.GradesDecl) -> tuple[m.Grade, ...]:
    """The grades, highest first (E330 out of order, E347 when the lowest has a bound)."""
    found: list[m.Grade] = []
    previous: Decimal | None = None
    for index, item in enumerate(st.items):
        last = index == len(st.items) - 1
        if item.bound is None and not last:
            unit.error(
                GRADE_ORDER,
                item.label.pos,
                grade=item.label.text,
                detail="不写下限的等级只能放在最后",
                detail_en="a grade without a bound must come last",
            )
        elif item.bound is not None and previous is not None and item.bound.value >= previous:
            unit.error(
                GRADE_ORDER,
                item.bound.pos,
                grade=item.label.text,
                detail=f"下限 {item.bound.text} 不低于上一个等级的下限",
                detail_en=f"its bound {item.bound.text} is not below the previous one",
            )
        if item.bound is not None:
            previous = item.bound.value
        found.append(
            m.Grade(
                label=item.label.text,
                bound=item.bound.value if item.bound else None,
                inclusive=item.op != ">",
                loc=unit.loc(item.pos),
            )
        )
    if st.items and st.items[-1].bound is not None:
        item = st.items[-1]
        assert item.bound is not None
        unit.error(
            NO_LOWEST_GRADE,
            item.label.pos,
            grade=item.label.text,
            bound=item.bound.text,
        )
    return tuple(found)


def rounding_of(unit: Unit, st: s.RoundDecl) -> m.Rounding:
    """``round half_up 2 at line`` (a wrong method, stage or number of places is reported and
    the inherited one kept)."""
    old = unit.state.rounding
    method = rounding.method_name(st.method.text)
    if method is None:
        known = tuple(rounding.METHODS)
        unit.exprs.bad_value(st.method, "舍入方法", "rounding method", known)
        method = old.method
    stage: rounding.Stage = "line"
    if st.stage is not None:
        if st.stage.text in ("line", "total"):
            stage = cast(rounding.Stage, st.stage.text)
        else:
            unit.exprs.bad_value(st.stage, "舍入阶段", "rounding stage", ("line", "total"))
    places = int(st.places.value) if st.places.value == int(st.places.value) else old.places
    if not 0 <= places <= rounding.MAX_PLACES:
        allowed = (f"0–{rounding.MAX_PLACES}",)
        unit.exprs.bad_value(st.places, "小数位数", "number of decimal places", allowed)
        places = old.places
    return m.Rounding(method=method, places=places, stage=stage, loc=unit.loc(st.pos))


def deadline(unit: Unit, st: s.DeadlineDecl) -> None:
    """``deadline 达成``: the vocabulary whose words meet a date target."""
    name = st.vocabulary.text
    if name in unit.state.vocabularies:
        unit.state.done_vocabulary = name
    else:
        unit.exprs.unknown_term(st.vocabulary, unit.state)
