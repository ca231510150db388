"""The naming pass: categories, terms and rule names, declared before any statement uses them,
so a statement may name a term or rule defined further down the file."""

from __future__ import annotations

from rules_engine.policy import nodes as s
from rules_engine.policy.passes import terms
from rules_engine.policy.passes.unit import Unit


def declare(unit: Unit) -> None:
    """Collect declared categories, define the terms (``=``) and predicates, and note the first
    rule of each name (E322 for a second one) and every rule name an apply may use."""
    state = unit.state
    stmts = unit.tree.statements
    for st in stmts:
        if isinstance(st, s.CategoriesDecl):
            state.categories.extend(w.text for w in st.words if w.text not in state.categories)
        elif isinstance(st, s.TermsDecl) and st.op == "=":
            if unit.once("term", ("术语", "term"), st.label.text, st.label.pos):
                state.vocabularies[st.label.text] = terms.vocabulary(unit, st, None)
        elif isinstance(st, s.TermDecl):
            name = st.words[0].text
            if unit.once("term", ("术语", "term"), name, st.words[0].pos):
                state.predicates[name] = terms.predicate(unit, st)
        elif isinstance(st, s.RuleDecl) and unit.once(
            "rule", ("规则", "rule"), st.name.text, st.name.pos
        ):
            unit.first_rules.add(id(st))
    unit.rule_names = set(state.rules) | {x.name.text for x in stmts if isinstance(x, s.RuleDecl)}
    # A rule whose text did not parse was already reported; do not call it unknown too.
    unit.rule_names |= set(unit.tree.unparsed)
