"""Whole-form properties: the total stays within the weights, and the exact band properties
(tiers and grades partition their range) that the static analysis proves."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import strategies as st

from rules_engine.authoring.verify import cases
from rules_engine.authoring.verify.cases import Path3, Shape
from rules_engine.authoring.verify.findings import Finding
from rules_engine.authoring.verify.search import Search, score_form, weight_of
from rules_engine.model import BudgetRow, Form, FormKind, IndicatorLine, Position
from rules_engine.policy.analysis import BAND_CODES, analyze
from rules_engine.policy.model import CompiledPolicy
from rules_engine.scorecard import FormResult
from rules_engine.values import plain


def any_line(
    shapes: list[Shape], paths: list[Path3], not_applicable: tuple[str, ...] = ()
) -> st.SearchStrategy[IndicatorLine]:
    """A line of any shape on any path, with an actual around its target (or a word), or
    written as not applicable when the policy has words for that."""

    @st.composite
    def draw(d: st.DrawFn) -> IndicatorLine:
        shape = d(st.sampled_from(shapes))
        target = d(st.sampled_from(shape.targets))
        if not_applicable and d(st.integers(0, 4)) == 0:
            actual: str | None = d(st.sampled_from(not_applicable))
        elif target.low is not None:
            actual = cases.place(target.low, d(st.sampled_from(cases.AROUND)), target.unit)
        else:
            actual = d(st.sampled_from((*target.met, *target.missed) or (target.text,)))
        weight = d(st.sampled_from(cases.WEIGHTS))
        line = cases.line(d(st.sampled_from(paths)), target.text, actual, weight)
        score = d(st.none() | st.integers(0, 200).map(lambda n: plain(Decimal(n) / 10)))
        return line.model_copy(update={"score": score})

    return draw()


def forms(
    lines: st.SearchStrategy[IndicatorLine], kind: FormKind = "project-self-evaluation"
) -> st.SearchStrategy[Form]:
    """A whole form of this kind: one to six lines and, sometimes, a budget block."""
    amounts = st.integers(0, 50000).map(lambda n: Decimal(n) / 100)
    budgets = st.none() | st.builds(
        lambda adjusted, executed: BudgetRow(
            name="年度资金总额",
            initial=plain(adjusted),
            adjusted=plain(adjusted),
            executed=plain(executed),
            weight="10",
        ),
        amounts,
        amounts,
    )

    def build(items: list[IndicatorLine], budget: BudgetRow | None) -> Form:
        indicators = [
            x.model_copy(update={"source": Position(row=i, col=1)})
            for i, x in enumerate(items, start=1)
        ]
        return Form(
            kind=kind,
            indicators=indicators,
            budget=[] if budget is None else [budget],
        )

    return st.builds(build, st.lists(lines, min_size=1, max_size=6), budgets)


def total_in_range(search: Search, form_strategy: st.SearchStrategy[Form]) -> Finding | None:
    """A total outside [0, the weights' sum] (or [0, the points it is rescaled to])."""
    rescale = search.policy.rescale

    def bounds(result: FormResult) -> Decimal:
        if rescale is not None:
            return rescale.to
        weights = sum((weight_of(x) for x in result.form.indicators), Decimal(0))
        if result.budget is not None and result.budget.weight is not None:
            weights += result.budget.weight
        return weights

    def broken(form: Form) -> bool:
        result = score_form(search.policy, form)
        total = result.total.score
        return total is not None and not (0 <= total <= bounds(result))

    found = search.find(form_strategy, broken)
    if found is None:
        return None
    result = score_form(search.policy, found)
    total = result.total.score or Decimal(0)
    what_zh, what_en = (
        ("折算满分", "the points it is rescaled to") if rescale else ("分值合计", "the weight sum")
    )
    return Finding(
        "total_range",
        f"总分 {plain(total)} 超出 [0, {what_zh} {plain(bounds(result))}]",
        f"total {plain(total)} is outside [0, {what_en} {plain(bounds(result))}]",
        list(found.indicators),
        list(result.lines),
        result,
    )


def band_findings(policy: CompiledPolicy) -> list[Finding]:
    """The band gaps and overlaps of the static analysis, as findings."""
    return [
        Finding("bands", diag.text("zh"), diag.text("en"), where=diag.where())
        for diag in analyze(policy)
        if diag.code in BAND_CODES
    ]
