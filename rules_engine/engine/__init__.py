"""The scoring engine: `evaluate(policy, document)` gives a scorecard whose scores are its traces.

Stages, one module each: `reading` (target and actual cells), `plan` (the policy compiled into
closures and dispatch), `rules` (running a rule's clauses), `lines`, `budget`, `totals`;
`rules_engine.rounding` is the one place scores are rounded.
"""

from rules_engine.engine.evaluator import evaluate, plan_for

__all__ = ["evaluate", "plan_for"]
