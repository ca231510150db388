"""The budget rule's properties: its score stays within [0, weight], never falls as the execution
rate rises, is full from the rate the rule declares full marks at (100% unless ``full at``
says otherwise), and is not full at a rate clearly below it.

Budgets and rates are drawn from small and large amounts and from rates at, around and far
from the full-marks point; the budget score checked is the one the rule computes (whether or
not the policy adds it to the total).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from hypothesis import strategies as st

from rules_engine.authoring.verify import cases
from rules_engine.authoring.verify.findings import Finding
from rules_engine.authoring.verify.search import Search, score_form
from rules_engine.model import BudgetRow, Form
from rules_engine.policy import model as m
from rules_engine.scorecard import BudgetResult
from rules_engine.values import plain

AMOUNTS = tuple(Decimal(x) for x in ("0.01", "1", "8.6", "43.2", "100", "2000", "123456.78"))
# Execution rates as multiples of the full-marks rate.
RATES = tuple(
    Decimal(x)
    for x in ("0", "0.1", "0.5", "0.8", "0.9", "0.95", "0.99", "0.995", "1", "1.001", "1.01",
              "1.1", "1.5", "2", "5")
)  # fmt: skip
# Multiples clearly below the full-marks rate (1% short and more).
SHORT = tuple(r for r in RATES if r <= Decimal("0.99"))
AT_OR_ABOVE = tuple(r for r in RATES if r >= 1)


@dataclass(frozen=True)
class Budget:
    """A drawn budget block: the amount, and the rate as a multiple of the full-marks rate."""

    amount: Decimal
    share: Decimal


class BudgetCheck:
    """The budget properties of a policy with a budget rule."""

    def __init__(self, search: Search, rule: m.BudgetRule) -> None:
        self.search = search
        self.rule = rule

    def draws(self, shares: tuple[Decimal, ...]) -> st.SearchStrategy[Budget]:
        return st.builds(Budget, st.sampled_from(AMOUNTS), st.sampled_from(shares))

    def executed(self, budget: Budget) -> Decimal:
        return budget.amount * self.rule.full_at * budget.share

    def score(self, budget: Budget) -> BudgetResult | None:
        """The budget result of a form with this block and one line."""
        row = BudgetRow(
            name="年度资金总额",
            initial=plain(budget.amount),
            adjusted=plain(budget.amount),
            executed=plain(self.executed(budget)),
            weight=plain(self.rule.weight),
        )
        line = cases.line(("产出指标", "数量指标", cases.NAME), "≥1次", "1次", Decimal(10))
        form = Form(kind=self.search.policy.scored_kind(), indicators=[line], budget=[row])
        return score_form(self.search.policy, form).budget

    def find(
        self, strategy: st.SearchStrategy[Budget], broken: Callable[[Budget], bool]
    ) -> Budget | None:
        return self.search.find(strategy, broken)

    def finding(self, prop: str, budget: Budget, zh: str, en: str) -> Finding:
        got = self.score(budget)
        rate = f"{plain(self.executed(budget) * 100 / budget.amount)}%"
        head_zh = (
            f"预算数 {plain(budget.amount)}、执行数 {plain(self.executed(budget))}（执行率 {rate}）"
        )
        head_en = (
            f"budget {plain(budget.amount)}, executed {plain(self.executed(budget))} (rate {rate})"
        )
        return Finding(
            prop,
            f"{head_zh}：{zh}",
            f"{head_en}: {en}",
            where=(got.source if got is not None else None) or self.rule.loc.cite(),
        )

    # -- properties
    def in_range(self) -> Finding | None:
        def bad(budget: Budget) -> bool:
            got = self.score(budget)
            value = None if got is None else got.computed
            return value is not None and not Decimal(0) <= value <= self.rule.weight

        found = self.find(self.draws(RATES), bad)
        if found is None:
            return None
        value = self._computed(found)
        return self.finding(
            "budget_range",
            found,
            f"预算得分 {value} 超出 [0, 分值 {plain(self.rule.weight)}]",
            f"the budget score {value} is outside [0, weight {plain(self.rule.weight)}]",
        )

    def monotone(self) -> Finding | None:
        pairs = st.tuples(self.draws(RATES), st.sampled_from(RATES))

        def bad(item: tuple[Budget, Decimal]) -> bool:
            low, other = item
            if other <= low.share:
                return False
            high = Budget(low.amount, other)
            a, b = self.score(low), self.score(high)
            if a is None or b is None or a.computed is None or b.computed is None:
                return False
            return b.computed < a.computed

        found = self.search.find(pairs, bad)
        if found is None:
            return None
        low, other = found
        high = Budget(low.amount, other)
        before, after = self._computed(low), self._computed(high)
        rate = f"{plain(self.executed(high) * 100 / high.amount)}%"
        return self.finding(
            "budget_monotone",
            low,
            f"执行率升至 {rate} 时预算得分却由 {before} 降为 {after}",
            f"as the rate rises to {rate} the budget score falls from {before} to {after}",
        )

    def full(self) -> Finding | None:
        def bad(budget: Budget) -> bool:
            got = self.score(budget)
            value = None if got is None else got.computed
            return value is not None and value != self.rule.weight

        found = self.find(self.draws(AT_OR_ABOVE), bad)
        if found is None:
            return None
        point = f"{plain(self.rule.full_at * 100)}%"
        return self.finding(
            "budget_full",
            found,
            f"执行率达到 {point}，预算得分却是 {self._computed(found)}，不是满分 "
            f"{plain(self.rule.weight)}",
            f"the rate reaches {point} but the budget score is {self._computed(found)}, not the "
            f"full {plain(self.rule.weight)}",
        )

    def short(self) -> Finding | None:
        def bad(budget: Budget) -> bool:
            got = self.score(budget)
            value = None if got is None else got.computed
            return value is not None and value >= self.rule.weight

        found = self.find(self.draws(SHORT), bad)
        if found is None:
            return None
        point = f"{plain(self.rule.full_at * 100)}%"
        return self.finding(
            "budget_short",
            found,
            f"执行率明显低于 {point}，预算得分却是满分 {self._computed(found)}",
            f"the rate is clearly below {point} but the budget score is full "
            f"({self._computed(found)})",
        )

    def _computed(self, budget: Budget) -> str:
        got = self.score(budget)
        return "—" if got is None or got.computed is None else plain(got.computed)


PROPERTIES: dict[str, Callable[[BudgetCheck], Finding | None]] = {
    "budget_range": BudgetCheck.in_range,
    "budget_monotone": BudgetCheck.monotone,
    "budget_full": BudgetCheck.full,
    "budget_short": BudgetCheck.short,
}
