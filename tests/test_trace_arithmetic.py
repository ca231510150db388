"""The score a line gets is the one its steps compute: for every rule family of the shipped
policies, the trace is replayed from its data alone (the formula from the expression and the
values it names, bands, caps, the rounding, the points lost and the self-score difference) with
arithmetic written here, and must land on the engine's score."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, localcontext
from functools import cache
from typing import Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from rules_engine.engine import evaluate
from rules_engine.model import Document, Form, IndicatorLine, Position
from rules_engine.policy import show
from rules_engine.policy.compiler import compile_policy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.rounding import METHODS
from rules_engine.scorecard import LineResult

REPLAY = settings(derandomize=True, max_examples=80, deadline=None)
POLICIES = ("national-2020", "wuwei-2021")
_UNITS = ("", "次", "家", "人", "万元", "%")


@cache
def _policy(name: str) -> CompiledPolicy:
    return compile_policy(name)


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f") if value != value.to_integral_value() else str(int(value))


def _amounts(low: int, high: int) -> st.SearchStrategy[Decimal]:
    return st.integers(low * 10, high * 10).map(lambda n: Decimal(n).scaleb(-1))


def _compare(sign: str) -> st.SearchStrategy[tuple[str, str]]:
    """A comparison target and a numeric actual near it (below, on, above, twice)."""

    def make(value: Decimal, unit: str, factor: Decimal) -> tuple[str, str]:
        return f"{sign}{_plain(value)}{unit}", f"{_plain(value * factor)}{unit}"

    factors = st.sampled_from([Decimal(x) for x in ("0", "0.3", "0.8", "1", "1.5", "2", "2.4")])
    return st.builds(make, _amounts(0, 500), st.sampled_from(_UNITS), factors)


def _ranges() -> st.SearchStrategy[tuple[str, str]]:
    def make(low: Decimal, width: Decimal, unit: str, actual: Decimal) -> tuple[str, str]:
        return f"{_plain(low)}-{_plain(low + width + 1)}{unit}", _plain(actual)

    return st.builds(
        make, _amounts(0, 50), _amounts(0, 20), st.sampled_from(_UNITS), _amounts(0, 80)
    )


def _words() -> st.SearchStrategy[tuple[str, str]]:
    targets = st.sampled_from(("合规", "满意", "达标", "完成", "有效", "正增长"))
    actuals = st.sampled_from(("", "", "", "基本完成", "部分完成", "未完成", "5%"))
    # An empty choice stands for "the actual repeats the target" (the commonest form line).
    return st.tuples(targets, actuals).map(lambda t: (t[0], t[1] or t[0]))


def _deadlines() -> st.SearchStrategy[tuple[str, str]]:
    def make(month: int, done: int, day: int, word: str | None) -> tuple[str, str]:
        return f"2021年{month}月底前", word or f"2021年{done}月{day}日"

    words = st.sampled_from((None, None, "按时完成", "未完成", "已完成"))
    return st.builds(make, st.integers(1, 12), st.integers(1, 12), st.integers(1, 28), words)


# The rule families of the shipped policies and cells that reach them.
FAMILIES: dict[str, st.SearchStrategy[tuple[str, str]]] = {
    "正向": _compare("≥"),
    "反向": _compare("≤"),
    "等于": _compare("="),
    "区间": _ranges(),
    "定性": _words(),
    "时限": _deadlines(),
}


def _line(cells: tuple[str, str], weight: int, own: Decimal | None, level2: str) -> IndicatorLine:
    target, actual = cells
    return IndicatorLine(
        level1="产出指标",
        level2=level2,
        name="指标",
        target=target,
        actual=actual,
        weight=str(weight),
        score=None if own is None else _plain(own),
        source=Position(row=1, col=1),
    )


def _scored(policy: str, line: IndicatorLine) -> LineResult:
    form = Form(kind="project-self-evaluation", indicators=[line])
    return evaluate(_policy(policy), Document(forms=[form])).forms[0].lines[0]


# --- the replay: arithmetic written here, from the steps' data only --------------------------

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([A-Za-z_]\w*)|(.))")


def _calc(expr: str, values: Mapping[str, Any]) -> Decimal:
    """`expr` (numbers, percents, names, + - * /, parentheses) with the names' values, at 50
    digits. The text comes from the policy's own printer; the arithmetic is done here."""
    tokens = [m.groups() for m in _TOKEN.finditer(expr) if m.group(0).strip()]
    at = 0

    def peek() -> str | None:
        return tokens[at][2] if at < len(tokens) else None

    def atom() -> Decimal:
        nonlocal at
        number, name, sign = tokens[at]
        at += 1
        if number is not None:
            if peek() == "%":  # a percent literal, as the policy writes it
                at += 1
                return Decimal(number) / 100
            return Decimal(number)
        if name is not None:
            return Decimal(str(values[name]))
        if sign == "-":
            return -atom()
        assert sign == "(", expr
        found = total()
        assert peek() == ")", expr
        at += 1
        return found

    def product() -> Decimal:
        nonlocal at
        found = atom()
        while peek() in ("*", "/"):
            sign = peek()
            at += 1
            right = atom()
            found = found * right if sign == "*" else found / right
        return found

    def total() -> Decimal:
        nonlocal at
        found = product()
        while peek() in ("+", "-"):
            sign = peek()
            at += 1
            right = product()
            found = found + right if sign == "+" else found - right
        return found

    with localcontext() as ctx:
        ctx.prec = 50
        found = total()
    assert at == len(tokens), expr
    return found


def _close(a: Decimal, b: Decimal) -> bool:
    """Equal to 20 significant digits (the engine works at its own precision)."""
    scale = max(abs(a), abs(b), Decimal(1))
    return abs(a - b) <= scale * Decimal("1e-20")


def _inside(value: Decimal, a: Mapping[str, Any]) -> bool:
    low, high = Decimal(a["low"]), Decimal(a["high"])
    above = value >= low if a["low_closed"] else value > low
    below = value <= high if a["high_closed"] else value < high
    return above and below


def replay(line: LineResult, tolerance: Decimal) -> Decimal | None:
    """The score the steps compute, checking each step's figures on the way."""
    value: Decimal | None = None
    score: Decimal | None = None
    for step in line.steps:
        a: Mapping[str, Any] = step.args
        if step.code == "full":
            assert Decimal(a["weight"]) == line.weight
            value = line.weight
        elif step.code == "constant":
            value = Decimal(a["value"])
        elif step.code == "formula":
            computed = _calc(show.expr(a["expr"]), a["values"])
            if a["share"] is not None:
                computed *= Decimal(a["share"])
            assert _close(computed, Decimal(a["result"])), (a, computed)
            value = Decimal(a["result"])
        elif step.code == "cap":
            assert value is not None and value > Decimal(a["value"])
            value = Decimal(a["value"])
        elif step.code == "floor":
            assert value is not None and value < Decimal(a["value"])
            value = Decimal(a["value"])
        elif step.code == "band_accepted":
            value = Decimal(a["own"])
            assert _inside(value, a), a
        elif step.code == "round":
            assert value is not None and Decimal(a["before"]) == value
            exponent = Decimal(1).scaleb(-int(a["places"]))
            value = value.quantize(exponent, rounding=METHODS[a["method"]])
            assert Decimal(a["after"]) == value
        elif step.code == "score":
            assert value is not None and Decimal(a["score"]) == value
            score = value
        elif step.code == "lost":
            assert score is not None and line.weight is not None
            assert Decimal(a["lost"]) == line.weight - score
        elif step.code == "delta":
            assert score is not None
            delta = score - Decimal(a["own"])
            assert Decimal(a["delta"]) == delta
            assert a["within"] == (abs(delta) <= tolerance)
    return score


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("family", list(FAMILIES))
@REPLAY
@given(data=st.data())
def test_the_steps_compute_the_score(policy: str, family: str, data: st.DataObject) -> None:
    cells = data.draw(FAMILIES[family], label="cells")
    weight = data.draw(st.sampled_from((5, 10, 15, 20)), label="weight")
    # Self-scores anywhere, and at shares of the weight that land inside the 定性 tiers' bands.
    shares = st.sampled_from((Decimal("0.3"), Decimal("0.7"), Decimal("0.9"), Decimal(1)))
    in_bands = shares.map(lambda share: share * weight)
    own = data.draw(st.one_of(st.none(), _amounts(0, weight + 2), in_bands), label="self-score")
    level2 = data.draw(st.sampled_from(("数量指标", "质量指标", "时效指标")), label="level2")
    line = _scored(policy, _line(cells, weight, own, level2))
    event(f"{line.rule} · {line.outcome}")
    assert replay(line, _policy(policy).tolerance) == line.score
    if line.score is not None:
        assert line.rule is not None and line.weight is not None
        assert Decimal(0) <= line.score <= line.weight


def test_every_family_is_reached_and_scored() -> None:
    """The cells of each family reach a rule of that name and get a score there, so the replay
    above covers every family (not only the lines that go to review)."""
    examples = {
        "正向": ("≥95%", "90%"),
        "反向": ("≤100万元", "120万元"),
        "等于": ("=3次", "2次"),
        "区间": ("3-5家", "2"),
        "定性": ("合规", "合规"),
        "时限": ("2021年6月底前", "2021年9月3日"),
    }
    for policy in POLICIES:
        for family, cells in examples.items():
            line = _scored(policy, _line(cells, 10, Decimal(8), "质量指标"))
            assert line.rule == family, (policy, family, line.rule)
            assert line.score is not None
            assert replay(line, _policy(policy).tolerance) == line.score


def test_the_replay_catches_a_wrong_figure() -> None:
    """The replay is not a mirror of the engine: a step with a wrong result fails it."""
    from dataclasses import replace

    line = _scored("national-2020", _line(("3-5家", "2"), 10, None, "质量指标"))
    steps = list(line.verdict.steps)
    at = next(i for i, s in enumerate(steps) if s.code == "formula")
    args: dict[str, Any] = dict(steps[at].args)
    args["result"] = Decimal(args["result"]) + Decimal("0.01")
    steps[at] = replace(steps[at], args=args)
    broken = replace(line, verdict=replace(line.verdict, steps=tuple(steps)))
    with pytest.raises(AssertionError):
        replay(broken, Decimal("0.1"))
