"""The policy header pass: a file has one ``policy "标题"`` line."""

from __future__ import annotations

from rules_engine.policy import nodes as s
from rules_engine.policy.messages import NO_HEADER
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes.unit import Unit


def check(unit: Unit) -> None:
    """E333 without a header, E322 for every header after the first."""
    header = [x for x in unit.tree.statements if isinstance(x, s.PolicyDecl)]
    if not header:
        unit.error(NO_HEADER, Pos(1, 1, 1, 2))
    for decl in header:
        unit.once("policy", ("策略声明", "policy header"), "policy", decl.pos)
