"""``flag`` lines → `m.FlagDef`, and ``flag CODE off`` dropping an inherited one."""

from __future__ import annotations

from typing import assert_never, cast

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.expressions import Context
from rules_engine.policy.messages import UNKNOWN_FLAG, did_you_mean
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes.unit import Unit

SCOPES: tuple[m.Scope, ...] = ("line", "budget", "form")
SEVERITIES = ("info", "warning", "error")


def define(unit: Unit, st: s.FlagDecl) -> None:
    """Add the flag to the state (E322 for a second flag of the same code in the file)."""
    if not unit.once("flag", ("标记", "flag"), st.code.text, st.code.pos):
        return
    flag = _flag(unit, st)
    if flag is not None:
        unit.state.flags[flag.code] = flag


def turn_off(unit: Unit, st: s.FlagOff) -> None:
    """Drop a flag defined before (E343 when there is none of that code)."""
    flags = unit.state.flags
    if st.code.text in flags:
        del flags[st.code.text]
    else:
        unit.error(
            UNKNOWN_FLAG,
            st.code.pos,
            suggestion=did_you_mean(st.code.text, list(flags)),
            name=st.code.text,
            known=", ".join(flags) or "-",
        )


def _flag(unit: Unit, st: s.FlagDecl) -> m.FlagDef | None:
    exprs = unit.exprs
    scope: m.Scope = "line"
    if st.scope is not None:
        if st.scope.text in SCOPES:
            scope = st.scope.text
        else:
            exprs.bad_value(st.scope, "标记范围", "flag scope", SCOPES)
            return None
    context = cast(Context, f"flag_{scope}")
    when = exprs.cond(st.when, context, unit.state)
    en: str | None = None
    severity: m.Severity = "warning"
    basis = note = None
    seen: dict[str, Pos] = {}
    for item in st.items:
        key = type(item).__name__
        if not unit.first_setting(seen, key, item.pos):
            continue
        match item:
            case s.FlagEn():
                en = item.text.text
            case s.FlagSeverity():
                if item.level.text in SEVERITIES:
                    severity = cast(m.Severity, item.level.text)
                else:
                    exprs.bad_value(item.level, "严重程度", "severity", SEVERITIES)
            case s.BasisDecl():
                basis = item.text.text
            case s.NoteDecl():
                note = item.text.text
            case _:
                assert_never(item)
    if when is None:
        return None
    zh = st.zh.text if st.zh else st.code.text
    return m.FlagDef(
        code=st.code.text,
        zh=zh,
        en=en or st.code.text.replace("_", " "),
        scope=scope,
        when=when,
        severity=severity,
        basis=basis,
        note=note,
        loc=unit.loc(st.pos),
    )
