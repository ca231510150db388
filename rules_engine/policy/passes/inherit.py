"""The inheritance pass: ``extends`` compiles the parent policy and starts from its state."""

from __future__ import annotations

from pathlib import Path

from rules_engine.policy import loader
from rules_engine.policy import nodes as s
from rules_engine.policy.messages import CYCLE, DUPLICATE, NOT_FOUND, PARENT_BROKEN, did_you_mean
from rules_engine.policy.passes.unit import State, Unit


def run(unit: Unit) -> None:
    """Start the unit's state from the policy it extends (E320 not found, E321 a cycle, E353
    the parent has errors; those leave the state empty so the file is still checked)."""
    extends = [x for x in unit.tree.statements if isinstance(x, s.ExtendsDecl)]
    if extends:
        unit.state = _parent_state(unit, extends)


def _parent_state(unit: Unit, extends: list[s.ExtendsDecl]) -> State:
    for extra in extends[1:]:
        unit.error(
            DUPLICATE,
            extra.pos,
            what="继承声明",
            what_en="extends",
            name=extra.target.text,
            line=extends[0].pos.line,
        )
    decl = extends[0]
    ref = decl.target.text
    path, display = loader.resolve(ref, unit.path, unit.display)
    if not path.is_file():
        known = ", ".join(loader.shipped_names()) or "-"
        unit.error(
            NOT_FOUND,
            decl.target.pos,
            suggestion=did_you_mean(ref, loader.shipped_names()),
            name=ref,
            known=known,
        )
        return State()
    key = str(path.resolve())
    if key in unit.stack or key == str(unit.path.resolve()):
        chain = " → ".join([*(Path(k).stem for k in unit.stack), unit.name, Path(key).stem])
        unit.error(CYCLE, decl.pos, chain=chain)
        return State()
    before = len(unit.diagnostics)
    parent = unit.load(path, display, (*unit.stack, str(unit.path.resolve())))
    if parent is None:
        if not any(d.severity == "error" for d in unit.diagnostics[before:]):
            return State()
        unit.error(PARENT_BROKEN, decl.target.pos, name=ref)
        return State()
    return State.inherited(parent)
