"""How a policy takes whole sheets → IR: the kinds of form it scores (``forms``), how a line not
applicable to the unit is written (``not_applicable``), rescaling the total (``rescale to``) and
adding up several recipients' forms (``aggregate recipients``)."""

from __future__ import annotations

from typing import Literal

from rules_engine.model import FormKind
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.messages import (
    FORM_KIND,
    NOT_APPLICABLE_TERM,
    RESCALE_TARGET,
    did_you_mean,
)
from rules_engine.policy.passes.unit import Unit

KINDS = m.FORM_KIND_NAMES
FUNDS: dict[str, Literal["adjusted", "executed", "initial"]] = {
    "adjusted": "adjusted",
    "全年预算数": "adjusted",
    "executed": "executed",
    "全年执行数": "executed",
    "initial": "initial",
    "年初预算数": "initial",
}


def forms(unit: Unit, st: s.FormsDecl) -> None:
    """``forms 部门整体支出 about "禁捕"`` (E368 for a kind no form is)."""
    kinds: list[FormKind] = []
    ok = True
    for word in st.kinds:
        kind = KINDS.get(word.text)
        if kind is None:
            suggestion = did_you_mean(word.text, list(KINDS))
            unit.error(FORM_KIND, word.pos, suggestion=suggestion, value=word.text)
            ok = False
        elif kind not in kinds:
            kinds.append(kind)
    if ok:
        unit.state.forms = m.FormScope(
            kinds=tuple(kinds), about=tuple(w.text for w in st.about), loc=unit.loc(st.pos)
        )


def not_applicable(unit: Unit, st: s.NotApplicableDecl) -> None:
    """``not_applicable "不适用", "/"`` (E365 where a word is also a term's word)."""
    state = unit.state
    for word in st.words:
        key = m.normalize_term(word.text)
        term = state.vocabularies.get(word.text)
        owner = term.label if term is not None else None
        if owner is None:
            owner = next(
                (
                    v.label
                    for v in state.vocabularies.values()
                    if any(m.normalize_term(x) == key for x in v.members())
                ),
                None,
            )
        if owner is None:
            pred = state.predicates.get(word.text)
            owner = pred.name if pred is not None else None
        if owner is not None:
            unit.error(NOT_APPLICABLE_TERM, word.pos, word=word.text, term=owner)
    words = tuple(dict.fromkeys(w.text for w in st.words))
    state.not_applicable = m.NotApplicable(words=words, loc=unit.loc(st.pos))


def rescale(unit: Unit, st: s.RescaleDecl) -> None:
    """``rescale to 100`` (E364 unless a number of points above 0)."""
    if st.to.percent or st.to.value <= 0:
        unit.error(RESCALE_TARGET, st.to.pos, text=st.to.text)
        return
    unit.state.rescale = m.Rescale(to=st.to.value, loc=unit.loc(st.pos))


def aggregate(unit: Unit, st: s.AggregateDecl) -> None:
    """``aggregate recipients by adjusted`` (E332 for funds no budget row has)."""
    funds = FUNDS.get(st.funds.text)
    if funds is None:
        unit.exprs.bad_value(st.funds, "资金额口径", "funds", tuple(FUNDS))
        return
    unit.state.aggregate = m.Aggregate(funds=funds, loc=unit.loc(st.pos))
