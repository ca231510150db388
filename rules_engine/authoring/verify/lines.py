"""The properties of each scoring rule, held to what the rule declares.

For every rule that dispatch reaches, verify draws lines that reach it (its categories and
target shapes, every value and unit) and actuals placed on, around and far from the point the
rule declares full marks at (``full at target``: the target as written; ``full at 100%``: that
value, in the rule's units), then checks:

* ``score_range``: the score lies within the rule's ``[floor, cap]`` (``[0, weight]`` unless
  the rule says otherwise);
* ``monotone``: with ``direction up`` the score never falls as the actual rises, with
  ``direction down`` it never rises;
* ``met_full``: an actual at or past the full-marks point earns the whole weight;
* ``missed_not_full``: an actual clearly short of it does not.

Deduction and tier rules are checked like any other: ``direction down`` + ``full at 100%`` for
a per-point deduction, ``direction up`` + ``full at 90%`` for tiers, and their floor and cap.
An actual is clearly past a deduction's limit once it is one deduction step past it (``per 1%``:
a percentage point; ``each``: one), since a smaller excess may round back to full marks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from rules_engine.authoring.verify import cases
from rules_engine.authoring.verify.cases import Path3, Shape, Target
from rules_engine.authoring.verify.findings import Finding
from rules_engine.authoring.verify.search import Search, score_line
from rules_engine.model import IndicatorLine
from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.policy.analysis import is_percent
from rules_engine.policy.promises import constant, full_at_target
from rules_engine.scorecard import LineResult
from rules_engine.values import plain

_ZERO = Decimal(0)
_D = TypeVar("_D")  # a drawn case
_W = TypeVar("_W")  # what a broken case shows


@dataclass(frozen=True)
class Point:
    """Where a rule declares full marks: a number in the units actuals are written in."""

    value: Decimal
    unit: str


def _any_word(target: Target) -> tuple[str, ...]:
    return (*target.met, *target.missed) or (target.text,)


def _met_word(target: Target) -> tuple[str, ...]:
    return target.met


def _missed_word(target: Target) -> tuple[str, ...]:
    return target.missed


@dataclass(frozen=True)
class Draw:
    """One generated line for a rule: the line, its target, and the step that placed the actual."""

    path: Path3
    target: Target
    weight: Decimal
    step: Decimal
    word: str | None = None


class RuleCheck:
    """The line properties of one rule, searched over the lines that reach it."""

    def __init__(self, search: Search, rule: m.Rule, reached: list[tuple[Path3, Shape]]) -> None:
        self.search = search
        self.policy = search.policy
        self.rule = rule
        self.reached = reached
        self.point = full_point(rule)
        self.least = least_miss(rule)

    # -- drawing lines
    def draws(
        self, steps: tuple[Decimal, ...], words: Callable[[Target], tuple[str, ...]] = _any_word
    ) -> st.SearchStrategy[Draw]:
        """Lines that reach the rule; `steps` place numeric actuals, `words` picks the actual
        words a word or date target may get."""
        combos = st.sampled_from(self.reached)
        weights = st.sampled_from(cases.WEIGHTS)

        @st.composite
        def draw(d: st.DrawFn) -> Draw:
            path, shape = d(combos)
            target = d(st.sampled_from(shape.targets))
            word = None
            if not self.numeric(target):
                choices = words(target)
                word = d(st.sampled_from(choices)) if choices else None
            return Draw(path, target, d(weights), d(st.sampled_from(steps)), word)

        return draw()

    def numeric(self, target: Target) -> bool:
        """Whether actuals are numbers for this rule and target (a fixed full-marks point, or
        a numeric target)."""
        return self.point is not None or target.numeric

    def actual(self, draw: Draw, step: Decimal | None = None) -> str | None:
        """The actual text for a draw: `step` sizes from the reference (the full-marks point,
        else the target), or the drawn word."""
        step = draw.step if step is None else step
        if self.point is not None:
            return self.at_point(draw, step)
        if draw.target.low is not None:
            return cases.place(draw.target.low, step, draw.target.unit)
        return draw.word

    def at_point(self, draw: Draw, step: Decimal) -> str | None:
        """An actual `step` sizes from the full-marks point. A unit-less point (a count) is
        not tried on lines whose target is a percentage: a bare actual there is read in the
        target's unit, so it would not be the number meant."""
        assert self.point is not None
        if not self.point.unit and draw.target.unit in ("%", "‰"):
            return None
        return cases.place(self.point.value, step, self.point.unit)

    def line(self, draw: Draw, actual: str | None) -> IndicatorLine:
        return cases.line(draw.path, draw.target.text, actual, draw.weight)

    def line_near(
        self, draw: Draw, from_point: Decimal, place: Callable[[Target, Decimal], str | None]
    ) -> IndicatorLine | None:
        """A line whose actual lies `from_point` sizes from the rule's full-marks point when it
        has one; else one `place` puts around a numeric target; else the drawn word."""
        if self.point is not None:
            actual = self.at_point(draw, from_point)
        elif draw.target.numeric:
            actual = place(draw.target, draw.step)
        else:
            actual = draw.word
        return None if actual is None else self.line(draw, actual)

    def score(self, line: IndicatorLine) -> LineResult | None:
        """The result when this rule scored the line (``None`` if dispatch chose otherwise)."""
        result = score_line(self.policy, line)
        return result if result.rule == self.rule.name else None

    def counterexample(
        self, strategy: st.SearchStrategy[_D], bad: Callable[[_D], _W | None]
    ) -> _W | None:
        """What `bad` shows on the case it finds broken (shrunk), or ``None`` when none is."""
        found = self.search.find(strategy, lambda item: bad(item) is not None)
        if found is None:
            return None
        result = bad(found)
        assert result is not None  # the same case, scored again, breaks the property again
        return result

    # -- properties
    def score_range(self) -> Finding | None:
        def bad(
            draw: Draw,
        ) -> tuple[IndicatorLine, LineResult, Decimal | None, Decimal | None] | None:
            actual = self.actual(draw)
            if actual is None and self.point is not None:
                return None
            line = self.line(draw, actual)
            got = self.score(line)
            if got is None or got.score is None:
                return None
            low = bound(self.rule.floor, draw.weight)
            high = bound(self.rule.cap, draw.weight)
            if (low is not None and got.score < low) or (high is not None and got.score > high):
                return line, got, low, high
            return None

        result = self.counterexample(self.draws(cases.AROUND), bad)
        if result is None:
            return None
        line, got, low, high = result
        span = f"[{_show(low, '-∞')}, {_show(high, '+∞')}]"
        return _one_line(
            "score_range",
            f"规则「{self.rule.name}」：得分 {plain(got.score or Decimal(0))} 超出 {span}"
            f"（下限 floor、上限 cap，分值 {line.weight}）",
            f"rule '{self.rule.name}': score {plain(got.score or Decimal(0))} is outside {span} "
            f"(its floor and cap at weight {line.weight})",
            line,
            got,
        )

    def monotone(self) -> Finding | None:
        direction = self.rule.direction
        if direction not in ("up", "down"):
            return None
        # Two actuals a few steps apart, so that both often fall in the same stretch of the
        # rule (below the target, between it and twice it, …) where a reversed formula shows.
        pairs = st.tuples(self.draws(cases.AROUND[:-1]), st.integers(1, 3))

        def bad(
            item: tuple[Draw, int],
        ) -> tuple[IndicatorLine, IndicatorLine, LineResult, LineResult] | None:
            draw, apart = item
            if not self.numeric(draw.target):
                return None
            index = min(cases.AROUND.index(draw.step) + apart, len(cases.AROUND) - 1)
            low_step, high_step = draw.step, cases.AROUND[index]
            low_actual, high_actual = self.actual(draw, low_step), self.actual(draw, high_step)
            if low_actual is None or high_actual is None:
                return None
            first, second = self.line(draw, low_actual), self.line(draw, high_actual)
            a, b = self.score(first), self.score(second)
            if a is None or b is None or a.score is None or b.score is None:
                return None
            if (direction == "up" and b.score < a.score) or (
                direction == "down" and b.score > a.score
            ):
                return first, second, a, b
            return None

        result = self.counterexample(pairs, bad)
        if result is None:
            return None
        first, second, a, b = result
        verb_zh = "降" if direction == "up" else "升"
        word_en = "must not fall" if direction == "up" else "must not rise"
        before, after = plain(a.score or Decimal(0)), plain(b.score or Decimal(0))
        return Finding(
            "monotone",
            f"规则「{self.rule.name}」声明 direction {direction}：实际值由 {first.actual} 增至 "
            f"{second.actual}，得分却由 {before} {verb_zh}为 {after}",
            f"rule '{self.rule.name}' declares direction {direction}: as the actual rises from "
            f"{first.actual} to {second.actual} the score goes from {before} to {after}; it "
            f"{word_en}",
            [first, second],
            [a, b],
            where=b.source,
        )

    def met_full(self) -> Finding | None:
        if self.rule.full_at is None or self.rule.full_at.at is None:
            return None

        def line_of(draw: Draw) -> IndicatorLine | None:
            inward = {"up": draw.step, "down": -draw.step}.get(self.rule.direction or "", _ZERO)
            return self.line_near(draw, inward, cases.meeting)

        def bad(draw: Draw) -> tuple[IndicatorLine, LineResult] | None:
            line = line_of(draw)
            got = None if line is None else self.score(line)
            if line is None or got is None or got.score is None or got.outcome == "review":
                return None
            return (line, got) if got.score != draw.weight else None

        result = self.counterexample(self.draws(cases.INSIDE, _met_word), bad)
        if result is None:
            return None
        line, got = result
        at = self.full_text()
        return _one_line(
            "met_full",
            f"规则「{self.rule.name}」声明 full at {at}：实际值 {line.actual}（目标 {line.target}）"
            f"已达到，得分却是 {plain(got.score or Decimal(0))}，不是满分 {line.weight}",
            f"rule '{self.rule.name}' declares full at {at}: the actual {line.actual} (target "
            f"{line.target}) reaches it but scores {plain(got.score or Decimal(0))}, not the full "
            f"{line.weight}",
            line,
            got,
        )

    def missed_not_full(self) -> Finding | None:
        if self.rule.full_at is None or self.rule.full_at.at is None:
            return None
        if self.point is not None and self.rule.direction not in ("up", "down"):
            return None

        def line_of(draw: Draw) -> IndicatorLine | None:
            short = {"up": -draw.step, "down": draw.step}.get(self.rule.direction or "up", _ZERO)
            if self.point is not None and self.least is not None:
                # At least one deduction step past the limit, in the rule's direction.
                size = max(abs(short) * cases.scale(self.point.value), self.least)
                short = (size if short >= 0 else -size) / cases.scale(self.point.value)
            return self.line_near(draw, short, cases.missing)

        def bad(draw: Draw) -> tuple[IndicatorLine, LineResult] | None:
            line = line_of(draw)
            got = None if line is None else self.score(line)
            if line is None or got is None or got.score is None:
                return None
            return (line, got) if got.score >= draw.weight else None

        result = self.counterexample(self.draws(cases.MISS, _missed_word), bad)
        if result is None:
            return None
        line, got = result
        at = self.full_text()
        if self.point is None:
            short_zh = f"明显没有达到目标 {line.target}"
            short_en = f"clearly falls short of the target {line.target}"
        elif self.rule.direction == "down":
            short_zh, short_en = f"明显高于 {at}", f"is clearly above {at}"
        else:
            short_zh, short_en = f"明显低于 {at}", f"is clearly below {at}"
        return _one_line(
            "missed_not_full",
            f"规则「{self.rule.name}」声明 full at {at}：实际值 {line.actual} {short_zh}，"
            f"却得满分 {plain(got.score or Decimal(0))}",
            f"rule '{self.rule.name}' declares full at {at}: the actual {line.actual} {short_en} "
            f"but earns full marks {plain(got.score or Decimal(0))}",
            line,
            got,
        )

    def full_text(self) -> str:
        full_at = self.rule.full_at
        return "none" if full_at is None or full_at.at is None else show.expr(full_at.at)


PROPERTIES: dict[str, Callable[[RuleCheck], Finding | None]] = {
    "score_range": RuleCheck.score_range,
    "monotone": RuleCheck.monotone,
    "met_full": RuleCheck.met_full,
    "missed_not_full": RuleCheck.missed_not_full,
}


def full_point(rule: m.Rule) -> Point | None:
    """The fixed value a rule declares full marks at (``full at 100%``), in the units an actual
    is written in; ``None`` for ``full at target``, ``none`` or no declaration."""
    if rule.full_at is None or rule.full_at.at is None or full_at_target(rule.full_at):
        return None
    value = constant(rule.full_at.at)
    if value is None:
        return None
    if is_percent(rule.full_at.at):
        return Point(value * 100, "%")
    return Point(value, "")


def least_miss(rule: m.Rule) -> Decimal | None:
    """The smallest excess a rule's deductions count as clearly past their limit: their step
    (``per 1%`` is one percentage point, ``each`` one), in the units actuals are written in;
    ``None`` when the rule deducts nothing."""
    steps: list[Decimal] = []
    for clause in rule.clauses:
        result = clause.result
        if not isinstance(result, m.Deduct):
            continue
        if result.side == "each" or result.per is None:
            steps.append(Decimal(1))
            continue
        per = constant(result.per)
        if per is not None:
            steps.append(per * 100 if is_percent(result.per) else per)
    return max(steps) if steps else None


def bound(expr: m.Expr | None, weight: Decimal) -> Decimal | None:
    """A floor or cap at this weight (``None``: no bound, or one that depends on the line)."""
    if expr is None:
        return None
    if isinstance(expr, m.Num):
        return expr.value
    if isinstance(expr, m.Var):
        return weight if expr.name == "weight" else None
    if isinstance(expr, m.Neg):
        inner = bound(expr.operand, weight)
        return None if inner is None else -inner
    if isinstance(expr, m.BinOp):
        left, right = bound(expr.left, weight), bound(expr.right, weight)
        if left is None or right is None or (expr.op == "/" and right == 0):
            return None
        ops: dict[str, Callable[[Decimal, Decimal], Decimal]] = {
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
            "/": lambda a, b: a / b,
        }
        return ops[expr.op](left, right)
    return None


def _show(value: Decimal | None, infinite: str) -> str:
    return infinite if value is None else plain(value)


def _one_line(prop: str, zh: str, en: str, line: IndicatorLine, got: LineResult) -> Finding:
    """A finding shown by one line and what it scored, placed where that result cites."""
    return Finding(prop, zh, en, [line], [got], where=got.source)
