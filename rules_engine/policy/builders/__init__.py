"""The methods that build syntax nodes from a policy's parse tree, one mixin per part of the
grammar; `rules_engine.policy.build` combines them into one transformer."""
