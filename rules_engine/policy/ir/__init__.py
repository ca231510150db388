"""The compiled policy's node types and matching helpers, one theme per module; the rest of the
code names them through `rules_engine.policy.model`."""
