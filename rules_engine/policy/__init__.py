"""The policy language: scan, parse and build (text → syntax tree), compile (tree → IR)."""
