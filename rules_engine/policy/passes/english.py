"""The English pass: every Chinese text of the file that carries an ``en "…"``, over the
English the extended policy gave."""

from __future__ import annotations

from rules_engine.policy import nodes as s
from rules_engine.policy.passes.unit import Unit


def collect(unit: Unit) -> None:  # noqa: C901
    """Map each Chinese text with an ``en "…"`` to its English in the unit's state."""
    found = unit.state.english

    def add(zh: s.Word | None, en: s.Word | None) -> None:
        if zh is not None and en is not None:
            found[zh.text] = en.text

    for st in unit.tree.statements:
        if isinstance(st, (s.BasisDecl, s.NoteDecl)):
            add(st.text, st.en)
        elif isinstance(st, s.PolicyDecl):
            add(st.title, st.en)
        elif isinstance(st, s.TermsDecl):
            add(st.label, st.en)
        elif isinstance(st, s.GradesDecl):
            add(st.name, st.en)
            for grade in st.items:
                add(grade.label, grade.en)
        elif isinstance(st, (s.RuleDecl, s.BudgetDecl)):
            add(st.title, st.en)
            for item in st.items:
                if isinstance(item, s.Clause):
                    add(item.label, item.en)
                elif isinstance(item, (s.BasisDecl, s.NoteDecl)):
                    add(item.text, item.en)
        elif isinstance(st, s.ReviewDecl):
            add(st.title, st.en)
            for check in st.items:
                if isinstance(check, s.ReviewCheck):
                    add(check.zh, check.en)
