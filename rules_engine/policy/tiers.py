"""Step tiers held against the direction their rule declares: with ``direction up`` a tier
higher up the actual's scale must not give fewer points than a tier below it (E527).

Only what the text fixes for every form is compared: bands on the actual with constant ends,
each giving a constant number of points, a constant share of the weight, or full marks (the
most a tier can give). A slip such as ``[80%, 90%) => 4`` written ``=> 6`` above a ``5`` is
caught before any form is scored.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy import model as m
from rules_engine.policy.analysis import band, constant, is_percent, show_percent
from rules_engine.policy.intervals import Interval
from rules_engine.policy.messages import Sources, cited
from rules_engine.values import plain

TIERS_ORDER = define(
    "E527",
    "规则「{rule}」声明 `direction {direction}`，但分档 {high} 得 {high_points}，"
    "比实际值更{worse}的分档 {low} 还少（{low_points}）",
    "rule '{rule}' declares `direction {direction}`, but the tier {high} gives {high_points}, "
    "less than the tier {low} ({low_points}) where the actual is {worse_en}",
    "检查这两档的分数是否写反；若规则确实如此，改正 `direction`。",
    "check whether the points of the two tiers are swapped; if the rule is meant so, correct "
    "its `direction`.",
)

_ACTUAL = m.Var(name="actual")
# Which kind of points a tier gives: a number of points or a share of the weight (the two are
# compared only with their own kind), and full marks, the most either can be.
_POINTS, _SHARE = "points", "share"


@dataclass(frozen=True)
class _Tier:
    clause: m.Clause
    band: Interval
    kind: str | None  # None: full marks
    value: Decimal


def check_tiers(policy: m.CompiledPolicy) -> list[Diagnostic]:
    """E527 for every rule whose tiers run against its declared direction."""
    texts = Sources()
    return [diag for rule in policy.rules.values() for diag in misordered(rule, texts)]


def misordered(rule: m.Rule, texts: Sources) -> Iterator[Diagnostic]:
    """Each tier that gives fewer points than a tier the declared direction ranks below it."""
    if rule.direction not in ("up", "down"):
        return
    tiers = sorted(_tiers(rule), key=_order)
    if rule.direction == "down":
        tiers.reverse()
    for i, worse in enumerate(tiers):
        for better in tiers[i + 1 :]:
            if _less(better, worse):
                yield cited(
                    TIERS_ORDER,
                    better.clause.loc,
                    texts,
                    rule=rule.name,
                    direction=rule.direction,
                    high=_show(better),
                    high_points=_points(better),
                    low=_show(worse),
                    low_points=_points(worse),
                    worse="低" if rule.direction == "up" else "高",
                    worse_en="lower" if rule.direction == "up" else "higher",
                )
                break


def _tiers(rule: m.Rule) -> Iterator[_Tier]:
    for clause in rule.clauses:
        found = _band(clause.when)
        if found is None or found.is_empty():
            continue
        result = clause.result
        if isinstance(result, m.Full):
            yield _Tier(clause, found, None, Decimal(0))
        elif isinstance(result, m.Points) and (value := constant(result.expr)) is not None:
            yield _Tier(clause, found, _POINTS, value)
        elif isinstance(result, m.Share) and (value := constant(result.share)) is not None:
            yield _Tier(clause, found, _SHARE, value)


def _band(cond: m.Cond) -> Interval | None:
    """The values of the actual a condition admits, when it is a constant band on it."""
    if isinstance(cond, m.InInterval) and cond.subject == _ACTUAL:
        return band(cond.interval)
    if isinstance(cond, m.Compare) and cond.left == _ACTUAL:
        value = constant(cond.right)
        if value is None:
            return None
        ends = {
            ">=": Interval(value, None, True, False),
            ">": Interval(value, None, False, False),
            "<=": Interval(None, value, False, True),
            "<": Interval(None, value, False, False),
            "=": Interval(value, value, True, True),
        }
        return ends.get(cond.op)
    return None


def _order(tier: _Tier) -> tuple[int, Decimal, int]:
    """Lower bands first: by the low end (-∞ first), an open end after a closed one."""
    low = tier.band.low
    if low is None:
        return (0, Decimal(0), 0)
    return (1, low, 0 if tier.band.low_closed else 1)


def _less(better: _Tier, worse: _Tier) -> bool:
    """Whether a tier the direction ranks higher gives fewer points."""
    if better.kind is None:
        return False  # full marks: nothing gives more
    if worse.kind is None:
        return True
    return better.kind == worse.kind and better.value < worse.value


def _show(tier: _Tier) -> str:
    percent = False
    cond = tier.clause.when
    if isinstance(cond, m.InInterval):
        percent = is_percent(cond.interval.low) or is_percent(cond.interval.high)
    elif isinstance(cond, m.Compare):
        percent = is_percent(cond.right)
    return tier.band.format(show_percent if percent else plain)


def _points(tier: _Tier) -> str:
    if tier.kind is None:
        return "full"
    return show_percent(tier.value) if tier.kind == _SHARE else plain(tier.value)
