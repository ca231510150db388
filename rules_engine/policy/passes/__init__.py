"""The passes of the policy compiler, one small module each; `rules_engine.policy.compiler` runs
them in the order of its `PASSES`, where what each one needs from the ones before is written."""
