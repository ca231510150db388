"""Which lines a view lists: every line, or those `explain --only` picks out of the trace data.

The choice reads the scorecard only (outcome, flags, the self-score comparison), never the
words of a step, so it holds in either language and in every format. Totals, the budget and
the form's own flags are always shown whole: a filter narrows the list, not the result.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal, get_args

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L
from rules_engine.scorecard import FormResult, LineResult

Kind = Literal["partial", "flags", "changed"]
KINDS: tuple[Kind, ...] = get_args(Kind)
Only = frozenset[Kind]
EVERY: Only = frozenset()

_WORDS: dict[Kind, tuple[str, str]] = {
    "partial": ("未得满分", "below full marks"),
    "flags": ("带复核标记", "flagged for review"),
    "changed": ("复核与自评不一致", "policy and self-score disagree"),
}


def wanted(line: LineResult, only: Only) -> bool:
    """Whether `line` is listed: it matches any of the kinds asked for (every line for none).

    - ``partial``: scored below its weight (partial credit, a score chosen inside a band, or
      none at all); a line not yet scored is not listed;
    - ``flags``: a review flag (a warning or an error; notes of severity info do not count);
    - ``changed``: the policy's score differs from the self-score beyond the tolerance.
    """
    if not only:
        return True
    verdict = line.verdict
    score, weight = verdict.score, verdict.weight
    if "partial" in only and score is not None and weight is not None and score < weight:
        return True
    if "flags" in only and any(flag.severity != "info" for flag in line.flags):
        return True
    return "changed" in only and line.tail.within_tolerance is False


def view(result: FormResult, only: Only) -> FormResult:
    """`result` listing only the wanted lines (the same object when every line is wanted)."""
    if not only:
        return result
    return replace(result, lines=tuple(line for line in result.lines if wanted(line, only)))


def notice(result: FormResult, only: Only, lang: Lang) -> str | None:
    """``只列出未得满分的指标：7 / 29 条`` — what a filtered list leaves out."""
    if not only:
        return None
    shown = sum(1 for line in result.lines if wanted(line, only))
    kinds = [kind for kind in KINDS if kind in only]
    zh = "或".join(_WORDS[kind][0] for kind in kinds)
    en = " or ".join(_WORDS[kind][1] for kind in kinds)
    total = len(result.lines)
    return L.pick(
        lang,
        f"只列出{zh}的指标：{shown} / {total} 条",
        f"listing only lines {en}: {shown} of {total}",
    )


def parse(text: str) -> Only:
    """``partial,flags`` → the kinds; raises ValueError naming the first unknown kind."""
    kinds: set[Kind] = set()
    for part in text.replace("，", ",").split(","):
        word = part.strip()
        if not word:
            continue
        for kind in KINDS:
            if word == kind:
                kinds.add(kind)
                break
        else:
            raise ValueError(word)
    return frozenset(kinds)
