"""The inheritance pass: ``extends`` compiles the parent policy and starts from its state."""

from __future__ import annotations

from pathlib import Path

from rules_engine.policy import loader
from rules_engine.policy import nodes as s
from rules_engine.policy.limits import EXTENDS_DEPTH_CEILING, FLAGS
from rules_engine.policy.messages import CYCLE, DUPLICATE, NOT_FOUND, PARENT_BROKEN, did_you_mean
from rules_engine.policy.passes.unit import State, Unit


def run(unit: Unit) -> None:
    """Start the unit's state from the policy it extends (E320 not found, E321 a cycle, E353
    the parent has errors, E551 a file outside the folders policies may come from, E554 a chain
    longer than the limit; those leave the state empty so the file is still checked)."""
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
    found = loader.resolve_extends(ref, unit.path, unit.display, unit.limits)
    if found is None:
        unit.error(
            loader.OUTSIDE,
            decl.target.pos,
            what="继承",
            what_en="extend",
            name=ref,
            where="随附规则，以及本文件所在文件夹和 --policy-path 指定的文件夹中的文件",
            where_en="shipped policies and files under this file's folder or a --policy-path "
            "folder",
        )
        return State()
    path, display = found
    if not path.exists():
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
    if len(unit.stack) >= unit.limits.extends_depth:
        unit.error(
            loader.EXTENDS_TOO_DEEP,
            decl.pos,
            limit=unit.limits.extends_depth,
            flag=FLAGS["extends_depth"],
            ceiling=EXTENDS_DEPTH_CEILING,
        )
        return State()
    before = len(unit.diagnostics)
    parent = unit.load(path, display, (*unit.stack, str(unit.path.resolve())))
    if parent is None:
        if not any(d.severity == "error" for d in unit.diagnostics[before:]):
            return State()
        unit.error(PARENT_BROKEN, decl.target.pos, name=ref)
        return State()
    return State.inherited(parent)
