"""How the compiled policy picks a rule for a line and reads its words: dispatch selectors and
``apply`` lines, vocabularies of synonyms and words with a numeric meaning."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field

from rules_engine.policy.ir.base import CompareOp, Loc, Node
from rules_engine.policy.ir.conditions import Cond
from rules_engine.policy.ir.names import glob_match
from rules_engine.policy.ir.rules import Review

# ---------------------------------------------------------------------------------------------
# Dispatch


class PathPattern(Node):
    """``成本指标/*``: glob patterns for (level1, level2, name), in that order.

    Missing trailing segments match anything. In a segment ``*`` matches any run of
    characters (also none) and ``?`` one character; everything else matches literally after
    `normalize_term` on both sides. A ``None`` field (an empty cell) only matches ``*``.
    """

    segments: tuple[str, ...]

    def matches(self, level1: str | None, level2: str | None, name: str | None) -> bool:
        """Whether a line with this category path matches."""
        fields = (level1, level2, name)
        for pattern, value in zip(self.segments, fields, strict=False):
            if pattern == "*":
                continue
            if value is None or not glob_match(pattern, value):
                return False
        return True


class PathIs(Node):
    """A dispatch selector: the line's category path matches any of `patterns`."""

    kind: Literal["path"] = "path"
    patterns: tuple[PathPattern, ...]


class NameIs(Node):
    """A dispatch selector: the indicator's own name is one of `names` (globs allowed), compared
    after `name_key` on both sides, so ``指标3：三公经费控制率（%）`` is ``三公经费控制率``."""

    kind: Literal["name"] = "name"
    names: tuple[str, ...]


class CondIs(Node):
    """A dispatch selector that is a condition (``target is <=``, ``target is term``)."""

    kind: Literal["cond"] = "cond"
    cond: Cond


Selector = Annotated[PathIs | NameIs | CondIs, Field(discriminator="kind")]


class Apply(Node):
    """``apply SELECTOR [and SELECTOR…] -> RULE`` (or ``-> review "理由"``).

    Dispatch tries the `Apply` list in order; the first whose selectors all hold picks `rule`
    (a key of `CompiledPolicy.rules`) or, when `rule` is ``None``, sends the line to review
    with `review`. An empty `selectors` tuple is the catch-all (``apply * -> 正向``).
    `origin` is the policy name the line was written in (inherited applies come after the
    extending policy's own ones).
    """

    selectors: tuple[Selector, ...]
    rule: str | None
    review: Review | None = None
    loc: Loc
    origin: str


# ---------------------------------------------------------------------------------------------
# Terms


class VocabularyAddition(Node):
    """``terms 达成 += 圆满完成``: the words one `+=` line added, and where."""

    words: tuple[str, ...]
    loc: Loc


class Vocabulary(Node):
    """``terms 达成 = 完成, 已完成, 达成预期指标``: `label` and its synonyms name one tier/word.

    `loc` is where the vocabulary was defined (``=``); `additions` the ``+=`` lines that added
    to it since, in order (their words are in `synonyms` too).
    """

    label: str
    synonyms: tuple[str, ...]
    loc: Loc
    additions: tuple[VocabularyAddition, ...] = ()

    def members(self) -> tuple[str, ...]:
        """The label and every synonym."""
        return (self.label, *self.synonyms)


class TermPredicate(Node):
    """``term 正增长, 增长 = > 0``: a word with a numeric meaning ``op value``.

    `words` holds the name and its synonyms. A target written as one of `words` behaves as
    the comparison ``op value`` (for dispatch and for `Meets`);
    `value` follows the percent convention (``> 5%`` → 0.05).
    """

    name: str
    words: tuple[str, ...]
    op: CompareOp
    value: Decimal
    loc: Loc
