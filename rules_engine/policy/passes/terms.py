"""The term passes: ``terms X += …`` after every definition, then no word in two terms."""

from __future__ import annotations

from typing import cast

from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.messages import NOTHING_TO_EXTEND, TERM_TWICE, did_you_mean
from rules_engine.policy.passes.unit import Unit
from rules_engine.signs import ASCII


def extend(unit: Unit) -> None:
    """Add the words of each ``+=`` to its vocabulary, wherever it is defined (E345 if none)."""
    state = unit.state
    for st in unit.tree.statements:
        if isinstance(st, s.TermsDecl) and st.op == "+=":
            old = state.vocabularies.get(st.label.text)
            if old is None:
                unit.error(
                    NOTHING_TO_EXTEND,
                    st.label.pos,
                    suggestion=did_you_mean(st.label.text, list(state.vocabularies)),
                    name=st.label.text,
                )
            else:
                state.vocabularies[st.label.text] = vocabulary(unit, st, old)


def check_words(unit: Unit) -> None:
    """E338 where a word of this file belongs to two terms (the parent was checked on its own)."""
    state = unit.state
    owners: dict[str, list[str]] = {}
    for vocab in state.vocabularies.values():
        for word in vocab.members():
            owners.setdefault(m.normalize_term(word), []).append(vocab.label)
    for pred in state.predicates.values():
        for word in pred.words:
            owners.setdefault(m.normalize_term(word), []).append(pred.name)
    # Report clashes at this file's words only, at the later of two places: a word is in two
    # terms from the second one on.
    stmts = unit.tree.statements
    defined: dict[str, int] = {}
    for index, st in enumerate(stmts):
        if isinstance(st, s.TermsDecl) and st.op == "=":
            defined.setdefault(st.label.text, index)
        elif isinstance(st, s.TermDecl):
            defined.setdefault(st.words[0].text, index)
    for index, st in enumerate(stmts):
        if isinstance(st, s.TermsDecl):
            label, words = st.label.text, st.words
        elif isinstance(st, s.TermDecl):
            label, words = st.words[0].text, st.words
        else:
            continue
        if label not in state.vocabularies and label not in state.predicates:
            continue
        for item in words:
            others = [
                x
                for x in owners.get(m.normalize_term(item.text), [])
                if x != label and defined.get(x, -1) < index
            ]
            if others:
                unit.error(TERM_TWICE, item.pos, word=item.text, first=others[0], second=label)


def vocabulary(unit: Unit, st: s.TermsDecl, old: m.Vocabulary | None) -> m.Vocabulary:
    """``terms 达成 = 完成, …`` as a vocabulary, or ``+=`` as what it adds to `old`."""
    words = tuple(w.text for w in st.words)
    if old is not None:
        extra = tuple(dict.fromkeys(w for w in words if w not in old.members()))
        added = m.VocabularyAddition(words=extra, loc=unit.loc(st.pos))
        return old.model_copy(
            update={
                "synonyms": (*old.synonyms, *extra),
                "additions": (*old.additions, added),
            }
        )
    synonyms = tuple(dict.fromkeys(w for w in words if w != st.label.text))
    return m.Vocabulary(label=st.label.text, synonyms=synonyms, loc=unit.loc(st.pos))


def predicate(unit: Unit, st: s.TermDecl) -> m.TermPredicate:
    """``term 正增长, 增长 = > 0`` as a predicate."""
    value = -st.value.value if st.negative else st.value.value
    op = cast(m.CompareOp, ASCII.get(st.op, st.op))
    return m.TermPredicate(
        name=st.words[0].text,
        words=tuple(dict.fromkeys(w.text for w in st.words)),
        op=op,
        value=value,
        loc=unit.loc(st.pos),
    )
