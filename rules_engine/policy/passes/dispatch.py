"""An ``apply`` line → `m.Apply`: its selectors and the rule (or review) it sends lines to."""

from __future__ import annotations

from typing import assert_never

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.messages import NAME_EVERY_LINE, PATH_DEPTH, UNKNOWN_RULE, did_you_mean
from rules_engine.policy.passes.unit import Unit


def compile_apply(unit: Unit, st: s.ApplyDecl) -> m.Apply | None:
    """The apply, or ``None`` when a selector or the rule is wrong (reported)."""
    selectors: list[m.Selector] = []
    ok = True
    for sel in st.selectors:
        match sel:
            case s.AnySelector():
                continue
            case s.PathSelector():
                path_ok, selector = _paths(unit, sel)
                ok = path_ok and ok
                if selector is not None:
                    selectors.append(selector)
            case s.NameSelector():
                wild = [w for w in sel.names if w.text.replace("*", "") == ""]
                for word in wild:
                    unit.error(NAME_EVERY_LINE, word.pos, text=word.text)
                ok = ok and not wild
                selectors.append(m.NameIs(names=tuple(w.text for w in sel.names)))
            case s.ShapeSelector():
                cond = unit.exprs.shape(sel.subject.text, sel.shape, unit.state)
                if cond is None:
                    ok = False
                    continue
                selectors.append(m.CondIs(cond=m.Not(item=cond) if sel.negated else cond))
            case _:
                assert_never(sel)
    rule = None
    review = None
    if st.rule is not None:
        rule = st.rule.text
        names = unit.rule_names
        if rule not in names:
            unit.error(
                UNKNOWN_RULE,
                st.rule.pos,
                suggestion=did_you_mean(rule, sorted(names)),
                name=rule,
                known=", ".join(sorted(names)) or "-",
            )
            ok = False
    elif st.review is not None:
        review = unit.exprs.review(st.review)
    if not ok:
        return None
    return m.Apply(
        selectors=tuple(selectors),
        rule=rule,
        review=review,
        loc=unit.loc(st.pos),
        origin=unit.name,
    )


def _paths(unit: Unit, sel: s.PathSelector) -> tuple[bool, m.PathIs | None]:
    """Whether the category paths are right, and their selector (``None`` for a catch-all)."""
    ok = True
    patterns: list[m.PathPattern] = []
    catch_all = False
    for path in sel.paths:
        if len(path) > 3:
            text = "/".join(w.text for w in path)
            unit.error(PATH_DEPTH, path[0].pos, path=text)
            ok = False
            continue
        if all(w.text == "*" for w in path):
            catch_all = True
        for level, word in enumerate(path[:2]):
            ok = unit.known_category(word, level) and ok
        patterns.append(m.PathPattern(segments=tuple(w.text for w in path)))
    return ok, None if catch_all else m.PathIs(patterns=tuple(patterns))
