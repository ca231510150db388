"""The policy language: syntax (text → tree), compiler (tree → `CompiledPolicy`)."""
