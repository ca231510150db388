"""The funding block scored: which rows and figures, the execution rate, the budget rule, checks."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rules_engine.bounded import figure
from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.numbers import percent
from rules_engine.engine.plan import Plan
from rules_engine.engine.rules import CompiledRule
from rules_engine.engine.trace import derive_score
from rules_engine.model import BudgetRow
from rules_engine.policy import model as m
from rules_engine.scorecard import BudgetResult, Flag, Step

# The 年度资金总额 row; the other rows (其中：当年财政拨款, 上年结转资金, 其他资金) are its parts.
_TOTAL_ROW = re.compile(r"总额|合计|总计|小计")
_COLUMNS = ("initial", "adjusted", "executed")


@dataclass(frozen=True, slots=True)
class Figures:
    """The three amounts the budget rule reads, and which rows they came from: ``total`` (the
    row named `name`), ``parts`` (the part rows summed) or ``fallback`` (the total row has no
    budget figure, so the parts are summed)."""

    initial: Decimal | None
    adjusted: Decimal | None
    executed: Decimal | None
    taken: str
    name: str

    def step(self) -> Step:
        """Where the figures come from, with the figures."""
        return Step(
            "budget_rows",
            {
                "taken": self.taken,
                "name": self.name,
                "initial": self.initial,
                "adjusted": self.adjusted,
                "executed": self.executed,
            },
        )


def score_budget(
    plan: Plan, rows: list[BudgetRow], line_weights: Decimal | None
) -> BudgetResult | None:
    """Score the funding block (``None`` when the policy has no budget rule). A form without a
    funding block, or whose figures cannot be read, gets a result that says so (``read`` is
    false), never a score of 0. `line_weights` is the sum of the indicator lines' weights (for
    ``counts if_room``)."""
    policy_rule = plan.policy.budget
    rule = plan.budget_rule
    if policy_rule is None or rule is None:
        return None
    # Forms with the same funding figures get the same (immutable) result.
    key = (tuple(_row_key(r) for r in rows), line_weights)
    found = plan.memo.budgets.get(key)
    if found is not None:
        return found
    if rows:
        result = _score(plan, rows, line_weights, policy_rule, rule)
    else:
        result = _absent(plan, line_weights, policy_rule)
    return plan.memo.budgets.put(key, result)


def _row_key(row: BudgetRow) -> tuple[str | None, ...]:
    return (row.name, row.initial, row.adjusted, row.executed, row.weight, row.rate, row.score)


def _absent(plan: Plan, line_weights: Decimal | None, policy_rule: m.BudgetRule) -> BudgetResult:
    """A form with no funding block: nothing to score; flagged when the total needs it."""
    steps = [Step("budget_absent")]
    counted = _counts(plan, policy_rule.counts, policy_rule.weight, line_weights, steps)
    flags = []
    if counted:
        flags.append(
            Flag(
                "budget_unread",
                {"absent": True, "weight": policy_rule.weight},
                "warning",
                policy_rule.loc.cite(),
            )
        )
    return BudgetResult(
        rate=None,
        weight=policy_rule.weight,
        score=None,
        self_score=None,
        delta=None,
        source=policy_rule.loc.cite(),
        steps=tuple(steps),
        flags=tuple(flags),
        computed=None,
        counted=counted,
        read=False,
        reason="unread" if counted else _not_counted(policy_rule.counts),
    )


def _not_counted(counts: str) -> str:
    return "not_counted" if counts == "never" else "weights_full"


def _score(
    plan: Plan,
    rows: list[BudgetRow],
    line_weights: Decimal | None,
    policy_rule: m.BudgetRule,
    rule: CompiledRule,
) -> BudgetResult:
    total_row, parts = _split(rows)
    figures = _figures(policy_rule.rows, policy_rule.denominator, total_row, parts)
    weight = policy_rule.weight
    env = Env()
    env.initial, env.adjusted, env.executed = figures.initial, figures.adjusted, figures.executed
    budget = figures.adjusted if policy_rule.denominator == "adjusted" else figures.initial
    env.budget = budget
    env.weight = weight
    read = budget is not None and figures.executed is not None
    steps: list[Step] = [figures.step()]
    printed_weight = figure(total_row.weight) if total_row else None
    own_printed = figure(total_row.score) if total_row else None
    own, own_steps, own_flags = _own_score(plan, own_printed, printed_weight, weight)
    env.self_score = own
    env.reported_rate = percent(total_row.rate) if total_row else None
    if budget is not None and budget != 0 and figures.executed is not None:
        env.rate = figures.executed / budget
    env.percent = frozenset({"rate", "reported_rate"})
    env.checks = _checks(plan, env, total_row, parts)
    weight_flags = []
    if printed_weight is not None and printed_weight != weight:
        cite = policy_rule.loc.cite()
        figures_of = {"printed": printed_weight, "weight": weight}
        steps.append(Step("budget_weight", figures_of, weight, cite))
        weight_flags.append(Flag("budget_weight_differs", figures_of, "info", cite))
    if env.rate is not None and budget is not None and figures.executed is not None:
        steps.append(
            Step(
                "rate",
                {"executed": figures.executed, "budget": budget, "rate": env.rate},
                env.rate,
            )
        )
    verdict = plan.runner.run(rule, env)
    steps.extend(verdict.steps)
    computed = derive_score(steps)
    counted = _counts(plan, policy_rule.counts, weight, line_weights, steps)
    score = computed if counted else None
    delta = None if computed is None or own is None else computed - own
    steps.extend(own_steps)
    if own is not None:
        steps.append(
            Step(
                "budget_self",
                {"own": own, "delta": delta, "places": plan.rounding.places},
                own,
            )
        )
    env.score = computed
    if computed is not None:
        reason = None if counted else _not_counted(policy_rule.counts)
    elif not read:
        reason = "unread"
    else:
        reason = "zero" if budget == 0 else "review"
    return BudgetResult(
        rate=env.rate,
        weight=weight,
        score=score,
        self_score=own,
        delta=delta,
        source=verdict.clause.source if verdict.clause else policy_rule.loc.cite(),
        steps=tuple(steps),
        flags=(*_flags(plan, env, read=read, counted=counted), *weight_flags, *own_flags),
        computed=computed,
        counted=counted,
        read=read,
        reason=reason,
        printed_weight=printed_weight,
        self_printed=own_printed,
    )


def _own_score(
    plan: Plan, printed: Decimal | None, printed_weight: Decimal | None, weight: Decimal
) -> tuple[Decimal | None, list[Step], list[Flag]]:
    """The unit's budget score on the policy's scale: a 得分 printed beside a different 分值 is
    converted (100 of 100 on a 10-point budget is 10); one that cannot be converted is left out
    with a flag, never summed raw."""
    if printed is None:
        return None, [], []
    if printed_weight is not None and printed_weight > 0 and printed_weight != weight:
        scaled = plan.rounding.apply(printed * weight / printed_weight)
        args = {"printed": printed, "printed_weight": printed_weight, "weight": weight}
        return scaled, [Step("self_scale", {**args, "scaled": scaled}, scaled)], []
    if printed > weight:
        return None, [], [Flag("budget_self_scale", {"printed": printed, "weight": weight})]
    return printed, [], []


def _split(rows: list[BudgetRow]) -> tuple[BudgetRow | None, list[BudgetRow]]:
    total = next((r for r in rows if r.name and _TOTAL_ROW.search(r.name)), None)
    if total is None:
        total = rows[0]
    return total, [r for r in rows if r is not total]


def _column(row: BudgetRow | None, column: str) -> Decimal | None:
    return None if row is None else figure(getattr(row, column))


def _sum(parts: list[BudgetRow], column: str) -> Decimal | None:
    values = [v for v in (figure(getattr(r, column)) for r in parts) if v is not None]
    return sum(values, Decimal(0)) if values else None


def _figures(
    rows: str, denominator: str, total: BudgetRow | None, parts: list[BudgetRow]
) -> Figures:
    name = (total.name if total else None) or "资金总额"
    from_total = Figures(
        _column(total, "initial"),
        _column(total, "adjusted"),
        _column(total, "executed"),
        taken="total",
        name=name,
    )
    from_parts = Figures(
        _sum(parts, "initial"),
        _sum(parts, "adjusted"),
        _sum(parts, "executed"),
        taken="parts",
        name=name,
    )
    if rows == "total":
        return from_total
    if rows == "parts":
        return from_parts
    chosen = from_total.adjusted if denominator == "adjusted" else from_total.initial
    backup = from_parts.adjusted if denominator == "adjusted" else from_parts.initial
    if (chosen is None or chosen == 0) and backup not in (None, Decimal(0)):
        return Figures(
            from_parts.initial,
            from_parts.adjusted,
            from_parts.executed,
            taken="fallback",
            name=name,
        )
    return from_total


def _checks(
    plan: Plan, env: Env, total: BudgetRow | None, parts: list[BudgetRow]
) -> frozenset[str]:
    found: set[str] = set()
    if env.budget is not None and env.budget == 0:
        found.add("budget_zero")
    for column in _COLUMNS:
        summed = _sum(parts, column)
        if summed is None:
            continue  # no part row filled in: nothing to compare
        printed = _column(total, column)
        if printed is None or printed != summed:
            found.add("budget_total_mismatch")
    rule = plan.policy.budget
    if env.rate is not None and env.reported_rate is not None and total is not None and rule:
        # A printed rate is rounded to its own places (86% vs 86.20%): allow half of its last place.
        allowed = max(rule.rate_tolerance, _half_place(total.rate))
        if abs(env.reported_rate - env.rate) > allowed:
            found.add("budget_rate_mismatch")
    return frozenset(found)


def _half_place(text: str | None) -> Decimal:
    value = figure(text)
    if value is None or text is None:
        return Decimal(0)
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else 0
    scale = Decimal(100) if "%" in text or "％" in text or value > 1 else Decimal(1)
    return Decimal(1).scaleb(-places) / 2 / scale


def _counts(
    plan: Plan, counts: str, weight: Decimal, line_weights: Decimal | None, steps: list[Step]
) -> bool:
    if counts == "always":
        return True
    if counts == "never":
        steps.append(Step("counts_never"))
        return False
    total = plan.policy.weights.total if plan.policy.weights else None
    if total is None or line_weights is None:
        return True
    if line_weights + weight <= total:
        return True
    steps.append(Step("counts_full", {"lines": line_weights, "total": total}))
    return False


def _flags(plan: Plan, env: Env, *, read: bool, counted: bool) -> list[Flag]:
    raised: list[Flag] = []
    for check in plan.flags["budget"]:
        try:
            holds = check.cond.test(env)
        except Unevaluable:
            continue
        if holds:
            raised.append(check.flag)
    codes = {f.code for f in raised}
    if "budget_zero" in env.checks and "budget_zero" not in codes:
        raised.append(Flag("budget_zero"))
    if not read and "budget_unread" not in codes:
        raised.append(Flag("budget_unread", {"absent": False}, "warning" if counted else "info"))
    return raised
