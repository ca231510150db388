"""A lark parse tree of a policy → typed syntax nodes (`build`), one method per grammar rule.

`rules_engine.policy.parse` runs lark and hands the tree here; what comes back holds only the
nodes of `rules_engine.policy.nodes`, so no lark object leaves the front end. The methods live in
`rules_engine.policy.builders`, one mixin per part of the grammar, combined here into one
transformer. Each method gets the children lark collected for its rule (tokens, and what the
methods of the rules below it built) and checks their types as it reads them: a mismatch is a bug
between the grammar and this code, never a user's error.
"""

from __future__ import annotations

from lark import Token, Transformer, Tree

from rules_engine.policy import nodes as s
from rules_engine.policy.builders.checks import CheckBuilders
from rules_engine.policy.builders.expressions import ExpressionBuilders
from rules_engine.policy.builders.rules import RuleBuilders
from rules_engine.policy.builders.settings import SettingBuilders

__all__ = ["build", "builder_methods", "builder_mixins"]


def build(tree: Tree[Token]) -> list[s.Statement]:
    """The statements of a parse tree of grammar/policy.lark, in order."""
    return _Build().transform(tree)


def builder_mixins() -> tuple[type[Transformer[Token, list[s.Statement]]], ...]:
    """The classes whose methods build the nodes: the transformer's own bases, not lark's."""
    return tuple(
        klass
        for klass in _Build.__mro__[1:]
        if issubclass(klass, Transformer) and klass.__module__.startswith("rules_engine.")
    )


def builder_methods() -> set[str]:
    """Names of the tree-building methods (for the one-method-per-rule test)."""
    return {n for klass in builder_mixins() for n in vars(klass) if not n.startswith("_")}


# Each mixin is a `Transformer` with its own `v_args(meta=True)`: lark wraps only the methods a
# decorated class defines itself, never inherited ones.
class _Build(SettingBuilders, RuleBuilders, CheckBuilders, ExpressionBuilders):
    """Build syntax nodes bottom-up; each method is named after the grammar rule it builds."""
