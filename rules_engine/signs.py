"""Operator signs: the ASCII operators policies and cell values use, and the signs people write
and read for them (``≥`` for ``>=``, ``×`` for ``*``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

# A comparison as a reader sees it: ``>=`` → ``≥``.
SIGNS: Final[Mapping[str, str]] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}
# A comparison sign a policy may write → its ASCII operator: ``≥`` → ``>=``.
ASCII: Final[Mapping[str, str]] = {sign: op for op, sign in SIGNS.items() if sign != op}
# An arithmetic sign a policy may write → its ASCII operator: ``×`` → ``*``.
ARITHMETIC_ASCII: Final[Mapping[str, str]] = {"×": "*", "÷": "/"}
