"""A scorecard built by hand for the renderer tests: known figures, flags and steps, no engine."""

from __future__ import annotations

from decimal import Decimal as D

from rules_engine.model import BudgetRow, Form, IndicatorLine, Position, Total
from rules_engine.policy import model as m
from rules_engine.scorecard import (
    BudgetResult,
    Flag,
    FormResult,
    GroupTotal,
    LineResult,
    Numbers,
    Phrase,
    PolicyInfo,
    Scorecard,
    Step,
    Tail,
    TotalResult,
    Verdict,
)
from rules_engine.values import Compare, Number, Range, Term

NATIONAL = "policies/national-2020.policy"
RANGE_RULE = f"{NATIONAL}:32"
ROUNDING = {"method": "half_up", "places": 2}


def _var(name: str, value: D) -> Numbers:
    """One variable's value on the line, as the engine records it for a phrase."""
    return Numbers(m.Var(name=name), ((name, value),))


def _rounding(before: str, after: str) -> Step:
    return Step(
        "round", {**ROUNDING, "before": D(before), "after": D(after)}, D(after), f"{NATIONAL}:60"
    )


def _score(value: str, source: str) -> Step:
    return Step("score", {"score": D(value), "places": 2}, D(value), source)


def _route(rule: str, title: str, shape: str) -> Step:
    why = Phrase(
        "all",
        {"items": (Phrase("sel_shape", {"subject": "target", "shape": shape, "negated": False}),)},
    )
    return Step(
        "route", {"rule": rule, "title": title, "apply": 3, "why": why}, source=f"{NATIONAL}:52"
    )


def _read(cell: str, text: str | None, how: Phrase, unit: Phrase | None = None) -> Step:
    return Step("read", {"cell": cell, "text": text, "how": how, "unit": unit})


def _tail(own: str | None, delta: str | None, lost: str | None) -> Tail:
    # No steps: the renderers then state the points lost and the difference themselves.
    return Tail(
        None if own is None else D(own),
        None if delta is None else D(delta),
        None if lost is None else D(lost),
        None if delta is None else abs(D(delta)) <= D("0.1"),
        (),
    )


def _line(row: int | None, **cells: str | None) -> IndicatorLine:
    return IndicatorLine(source=Position(row=row or 1, col=2), **cells)


def _first_form() -> FormResult:
    form = Form(
        kind="project-self-evaluation",
        title="2021年市外服中心预算项目支出绩效自评表",
        project="服务外向型经济工作经费",
        department="市商务局",
        unit="市对外经济贸易发展服务中心",
        year=2021,
        budget=[
            BudgetRow(
                name="年度资金总额",
                initial="8.6",
                adjusted="8.6",
                executed="8.6",
                weight="10",
                rate="100.00%",
                score="10",
                source=Position(row=6, col=2),
            )
        ],
        total=Total(weight="40", score="36"),
        file="seed.txt",
    )
    in_range = Phrase(
        "in",
        {
            "subject": m.Var(name="actual"),
            "value": _var("actual", D(1)),
            "low": m.Var(name="low"),
            "high": m.Var(name="high"),
            "low_n": _var("low", D(1)),
            "high_n": _var("high", D(2)),
            "low_closed": True,
            "high_closed": True,
        },
    )
    first = Verdict(
        weight=D(10),
        target_value=Range(low=D(1), high=D(2), unit="次"),
        actual_value=Number(value=D(1)),
        rule="区间",
        rule_title="区间指标",
        label=None,
        source=f"{NATIONAL}:31",
        outcome="met",
        score=D("10.00"),
        unrounded=D(10),
        steps=(
            _read("target", "1-2次", Phrase("as_range", {"low": D(1), "high": D(2), "unit": "次"})),
            _route("区间", "区间指标", "range"),
            Step("clause", {"rule": "区间", "clause": 1, "why": in_range}, source=f"{NATIONAL}:31"),
            Step("full", {"weight": D(10)}, D(10), f"{NATIONAL}:31"),
            _rounding("10", "10.00"),
            _score("10.00", f"{NATIONAL}:31"),
        ),
    )
    formula = m.BinOp(
        op="/",
        left=m.BinOp(op="*", left=m.Var(name="weight"), right=m.Var(name="actual")),
        right=m.Var(name="low"),
    )
    below_low = Phrase(
        "compare",
        {
            "left": m.Var(name="actual"),
            "op": "<",
            "right": m.Var(name="low"),
            "left_n": _var("actual", D(2)),
            "right_n": _var("low", D(3)),
        },
    )
    below = Phrase("first_fails", {"why": below_low, "before": 3})
    second = Verdict(
        weight=D(10),
        target_value=Range(low=D(3), high=D(5), unit="家"),
        actual_value=Number(value=D(2)),
        rule="区间",
        rule_title="区间指标",
        label=None,
        source=RANGE_RULE,
        outcome="partial",
        score=D("6.67"),
        unrounded=D("6.666666666666666666666666667"),
        full_marks_actual=Phrase(
            "fm_value", {"op": ">=", "value": D(3), "percent": False, "unit": "家"}
        ),
        steps=(
            _read("target", "3-5家", Phrase("as_range", {"low": D(3), "high": D(5), "unit": "家"})),
            _read("actual", "2", Phrase("as_number", {"value": D(2), "unit": None})),
            _route("区间", "区间指标", "range"),
            Step("clause", {"rule": "区间", "clause": 4, "why": below}, source=RANGE_RULE),
            Step(
                "formula",
                {
                    "expr": formula,
                    "values": {"actual": D(2), "low": D(3), "weight": D(10)},
                    "percent": frozenset(),
                    "share": None,
                    "result": D("6.666666666666666666666666667"),
                },
                D("6.666666666666666666666666667"),
                RANGE_RULE,
            ),
            _rounding("6.666666666666666666666666667", "6.67"),
            _score("6.67", RANGE_RULE),
        ),
    )
    term = Phrase("term_is", {"text": "正增长", "vocab": "达成", "negated": False})
    third = Verdict(
        weight=D(10),
        target_value=Term(term="正增长"),
        actual_value=Term(term="正增长"),
        rule="定性",
        rule_title="定性指标",
        label=None,
        source=f"{NATIONAL}:40",
        outcome="met",
        score=D("10.00"),
        unrounded=D(10),
        band=(D(8), D(10)),
        steps=(
            Step("clause", {"rule": "定性", "clause": 1, "why": term}, source=f"{NATIONAL}:40"),
            Step("full", {"weight": D(10)}, D(10), f"{NATIONAL}:40"),
        ),
    )
    fourth = Verdict(
        weight=D(10),
        target_value=Term(term="满意"),
        actual_value=None,
        rule=None,
        rule_title=None,
        label=None,
        source=None,
        outcome="review",
        score=None,
        unrounded=None,
        steps=(Step("review", {"text": ("实际完成值为空，需人工复核", "the actual is empty")}),),
    )
    missing_note = Flag(
        "missing_note", source=f"{NATIONAL}:70", text=("未填偏差原因", "no deviation note")
    )
    missing_actual = Flag(
        "missing_actual", severity="error", text=("实际完成值为空", "actual is empty")
    )
    lines = (
        LineResult(
            1,
            _line(
                14,
                level1="产出指标",
                level2="数量指标",
                name="指标1：外出考察次数",
                target="1-2次",
                actual="1",
                weight="10",
                score="8",
            ),
            first,
            _tail("8", "2.00", "0.00"),
            (),
        ),
        LineResult(
            2,
            _line(
                19,
                level1="产出指标",
                level2="质量指标",
                name="指标3：参加展会情况",
                target="3-5家",
                actual="2",
                weight="10",
                score="8",
            ),
            second,
            _tail("8", "-1.33", "3.33"),
            (missing_note,),
        ),
        LineResult(
            3,
            _line(
                None,
                level1="效益指标",
                level2="经济效益指标",
                name="指标1：进出口贸易额保持正增长",
                target="正增长",
                actual="正增长",
                weight="10",
                score="10",
            ),
            third,
            _tail("10", "0.00", "0.00"),
            (),
        ),
        LineResult(
            4,
            _line(
                None,
                level1="满意度指标",
                level2="服务对象满意度指标",
                target="满意",
                weight="10",
                score="10",
            ),
            fourth,
            _tail("10", None, None),
            (missing_actual,),
        ),
    )
    budget = BudgetResult(
        rate=D(1),
        weight=D(10),
        score=D("10.00"),
        self_score=D(10),
        delta=D("0.00"),
        computed=D("10.00"),
        source=f"{NATIONAL}:80",
        steps=(
            Step("rate", {"executed": D("8.6"), "budget": D("8.6"), "rate": D(1)}, D(1)),
            Step("full", {"weight": D(10)}, D(10), f"{NATIONAL}:80"),
        ),
    )
    total = TotalResult(
        score=D("36.67"),
        self_score=D(36),
        weight=D(40),
        grade=None,
        final=False,
        low=D("36.67"),
        high=D("96.67"),
        grades=("优", "良", "中", "差"),
        reasons=("lines_pending", "weights_short"),
        pending=1,
        self_final=False,
        groups=(
            GroupTotal("产出指标", D(20), D("16.67"), D(16)),
            GroupTotal("效益指标", D(10), D("10.00"), D(10)),
            GroupTotal("满意度指标", D(10), None, D(10)),
        ),
    )
    weights_sum = Flag(
        "weights_sum",
        source=f"{NATIONAL}:20",
        text=("分值合计 40，不等于 100", "weights add up to 40, not 100"),
    )
    form = form.model_copy(update={"indicators": [x.line for x in lines]})
    return FormResult(form, lines, budget, total, (weights_sum,))


def _targets_form() -> FormResult:
    form = Form(
        kind="targets-only",
        title="部门(单位)整体支出绩效目标自评表",
        unit="市对外经济贸易发展服务中心",
        year=2021,
        file="seed.txt",
    )

    def verdict(rule: str | None, source: str | None, value: object) -> Verdict:
        assert isinstance(value, (Compare, Term))
        return Verdict(
            weight=None,
            target_value=value,
            actual_value=None,
            rule=rule,
            rule_title=None,
            label=None,
            source=source,
            outcome="review",
            score=None,
            unrounded=None,
            steps=(),
        )

    empty = Tail(None, None, None, None, ())
    unquantified = Flag("target_not_quantified", {"target": "完成"}, "info")
    lines = (
        LineResult(
            1,
            _line(
                None,
                level1="投入指标",
                level2="资金投入",
                name="指标1:预算资金到位率",
                target="100%",
            ),
            verdict("等于", f"{NATIONAL}:35", Compare(op="=", value=D(100), unit="%")),
            empty,
            (),
        ),
        LineResult(
            2,
            _line(
                None,
                level1="产出指标",
                level2="数量指标",
                name="指标1:举办培训班2-3次",
                target="完成",
            ),
            verdict("定性", f"{NATIONAL}:40", Term(term="完成")),
            empty,
            (unquantified,),
        ),
        LineResult(
            3,
            _line(
                None,
                level1="效益指标",
                level2="经济效益指标",
                name="指标2:外贸企业数量增加",
                target="增加",
            ),
            verdict(None, None, Term(term="增加")),
            empty,
            (
                Flag(
                    "unknown_term",
                    text=("术语「增加」不在词表中", "term '增加' is not in the vocabulary"),
                ),
                Flag("target_not_quantified", {"target": "增加"}, "info"),
            ),
        ),
    )
    total = TotalResult(
        score=None, self_score=None, weight=None, grade=None, final=False, reasons=("targets_only",)
    )
    form = form.model_copy(update={"indicators": [x.line for x in lines]})
    return FormResult(form, lines, None, total, ())


def card() -> Scorecard:
    """The hand-made scorecard: a project form (4 lines, budget, total) and a targets-only form."""
    policy = PolicyInfo(name="全国项目支出绩效自评", year=2020, path=NATIONAL, sha256="0" * 64)
    return Scorecard(policy, (_first_form(), _targets_form()))
