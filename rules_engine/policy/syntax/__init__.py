"""The policy syntax tree's node types, by kind; the rest of the code names them through
`rules_engine.policy.nodes`."""
