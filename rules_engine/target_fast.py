"""A hand-written reader for the commonest cell shapes that gives exactly what the grammar gives.

Most cells are `≥95%`, `100`, `1-2次`, `95%以上` or a word such as 合规. Reading them with a few
regular expressions instead of the LALR parser is several times faster; any other text, and any
text near one of these shapes that the grammar might read differently (a sign, a leading zero, a
month such as `2023.07`, a reversed range, a remark), is left to the grammar. The patterns are
built from the grammar's own terminals, so the words and units are those of grammar/target.lark,
and tests/test_target_fast.py checks on generated texts that both readers agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from lark.lexer import TerminalDef

from rules_engine.target_tree import TermText
from rules_engine.values import Compare, Op, Range

__all__ = ["FastPath", "FastValue"]

FastValue = Compare | Range | TermText
"""What the fast path returns: what the grammar's transformer would return for the same text."""

# Comparison terminals of the grammar, by the operator they mean (OP_SYMBOL is split by symbol).
_BEFORE_WORDS: dict[Op, str] = {">=": "GE_WORD", "<=": "LE_WORD", ">": "GT_WORD", "<": "LT_WORD"}
_GROUPS: dict[str, Op] = {"ge": ">=", "le": "<=", "gt": ">", "lt": "<", "eq": "="}
_NUMBER = r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"  # no leading zero: `000` is damage, the grammar's call
_DIGIT = re.compile(r"[0-9]")
# 2023.07 alone or before a verb is a month (DOTTED_MONTH); leave every such number to the grammar.
_MONTH_LIKE = re.compile(r"(?:19|20)[0-9]{2}\.(?:0[1-9]|1[0-2])")


@dataclass(frozen=True)
class FastPath:
    """Regular expressions for the common shapes, made from the grammar's terminals."""

    compare: re.Pattern[str]
    range: re.Pattern[str]
    year_end: re.Pattern[str]

    @classmethod
    def from_terminals(cls, terminals: Iterable[TerminalDef]) -> FastPath:
        """Build the patterns from a parser's terminals (`Lark.terminals`)."""
        by_name = {t.name: t.pattern.to_regexp() for t in terminals}
        before = "|".join(
            f"(?P<{group}>{_symbol(op)}{_word(by_name, op)})" for group, op in _GROUPS.items()
        )
        unit = by_name["UNIT"]
        after = f"(?P<after_ge>{by_name['GE_AFTER']})|(?P<after_le>{by_name['LE_AFTER']})"
        compare = rf"(?:{before})?(?P<value>{_NUMBER})(?P<unit>{unit})?(?:{after})?"
        ranged = rf"(?P<low>{_NUMBER})(?:-|~|{by_name['TO']})(?P<high>{_NUMBER})(?P<unit>{unit})?"
        return cls(re.compile(compare), re.compile(ranged), re.compile(by_name["YEAR_END"]))

    def read(self, text: str) -> FastValue | None:
        """The value of a normalised, undamaged text, or None when the grammar must read it."""
        if _DIGIT.search(text) is None:
            # NO_DIGIT_TEXT is a term unless YEAR_END (higher priority) reads it as a deadline.
            return None if self.year_end.fullmatch(text) else TermText()
        if _MONTH_LIKE.search(text):
            return None
        found = self.compare.fullmatch(text)
        if found is not None:
            return _compare(found)
        found = self.range.fullmatch(text)
        if found is not None:
            low, high = Decimal(found["low"]), Decimal(found["high"])
            return Range(low=low, high=high, unit=found["unit"]) if low <= high else None
        return None


def _symbol(op: Op) -> str:
    return re.escape(op)


def _word(by_name: dict[str, str], op: Op) -> str:
    if op == "=":
        return f"|{by_name['EQ_WORD']}"
    return f"|{by_name[_BEFORE_WORDS[op]]}"


def _compare(found: re.Match[str]) -> Compare | None:
    before = next((op for group, op in _GROUPS.items() if found[group] is not None), None)
    after: Op | None = ">=" if found["after_ge"] else "<=" if found["after_le"] else None
    if before is not None and after is not None:
        return None  # two operators: the grammar decides whether they agree
    return Compare(op=before or after or "=", value=Decimal(found["value"]), unit=found["unit"])
