"""Dispatch, tried exhaustively: every target shape on every category path must reach a scoring
rule, unless an `apply` written for it sends it to review. The catch-all does not count: a
shape that only the catch-all takes is a gap (an `apply` line lost, a category misspelt).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rules_engine.authoring.verify import cases
from rules_engine.authoring.verify.cases import Path3, Shape, Target
from rules_engine.authoring.verify.findings import Finding
from rules_engine.authoring.verify.search import score_lines
from rules_engine.model import IndicatorLine
from rules_engine.policy import model as m
from rules_engine.scorecard import LineResult


@dataclass
class Gap:
    """A shape on a path that reaches no rule: the line, its result and the apply that took it."""

    shape: Shape
    line: IndicatorLine
    result: LineResult
    apply: m.Apply | None


@dataclass
class Reach:
    """Which rule each (category path, target shape) reaches, and the gaps."""

    by_rule: dict[str, list[tuple[Path3, Shape]]] = field(default_factory=dict)
    gaps: list[Gap] = field(default_factory=list)
    tried: int = 0


def probe(policy: m.CompiledPolicy, shapes: list[Shape], paths: list[Path3]) -> Reach:
    """Score one line of each shape on each path (all at once) and sort them by rule."""
    reach = Reach()
    pairs = [(path, shape) for shape in shapes for path in paths]
    lines = [
        cases.line(path, shape.targets[0].text, actual_for(shape.targets[0]), Decimal(10))
        for path, shape in pairs
    ]
    reach.tried = len(lines)
    applies = {a.loc.cite(): a for a in policy.dispatch if a.rule is None}
    for (path, shape), line, result in zip(pairs, lines, score_lines(policy, lines), strict=True):
        if result.rule is not None:
            reach.by_rule.setdefault(result.rule, []).append((path, shape))
            continue
        if result.target_value is not None and result.target_value.kind == "unknown":
            continue  # not a shape the reader produces (kept out of the catalogue anyway)
        apply = applies.get(result.source or "")
        if apply is None or not apply.selectors:
            reach.gaps.append(Gap(shape, line, result, apply))
    return reach


def actual_for(target: Target) -> str | None:
    """An actual that meets the target (any will do to see where the line goes)."""
    if target.numeric:
        return cases.meeting(target, Decimal(0))
    return target.met[0] if target.met else target.text


def findings(reach: Reach) -> list[Finding]:
    """One finding per shape that has a gap, at its first path."""
    out: list[Finding] = []
    seen: set[str] = set()
    for gap in reach.gaps:
        if gap.shape.key in seen:
            continue
        seen.add(gap.shape.key)
        count = sum(1 for g in reach.gaps if g.shape.key == gap.shape.key)
        line = gap.line
        path = "/".join(x or "—" for x in (line.level1, line.level2, line.name))
        if gap.apply is None:
            how_zh, how_en = "没有任何 apply 匹配", "no apply matches it"
            where = None
        else:
            cite = gap.apply.loc.cite()
            how_zh = "只有兜底的 apply 接收它、转人工复核"
            how_en = "only the catch-all apply takes it, for review"
            where = cite
        out.append(
            Finding(
                "dispatch_gap",
                f"目标写作「{line.target}」（{gap.shape.zh}）的指标行没有计分规则接收："
                f"{how_zh}；如类别 {path}（共 {count} 种类别）",
                f"lines whose target is written '{line.target}' ({gap.shape.en}) reach no "
                f"scoring rule: {how_en}; e.g. category {path} ({count} categories)",
                [line],
                [gap.result],
                where=where,
            )
        )
    return out
