"""Property-based verification of a policy as written: search form lines that break an invariant.

Each property is searched with hypothesis (`hypothesis.find`, seeded, no example database), so a
failure comes back already shrunk to a small counterexample line, which is evaluated once more
to show its trace. The band properties (tiers and grades partition their range) are exact and
come from the static analysis.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from hypothesis import HealthCheck, Phase, find, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.errors import NoSuchExample, Unsatisfiable

from rules_engine.model import BudgetRow, Document, Form, IndicatorLine, Position
from rules_engine.policy.analysis import BAND_CODES, analyze
from rules_engine.policy.model import CompiledPolicy, PathIs
from rules_engine.scorecard import FormResult, LineResult
from rules_engine.values import plain

Direction = Literal["up", "down"]

# Category names a form can carry besides those the policy names (so gaps show up).
LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标", "其他指标")
LEVEL2 = (
    "数量指标",
    "质量指标",
    "时效指标",
    "成本指标",
    "经济效益指标",
    "社会效益指标",
    "生态效益指标",
    "可持续影响指标",
    "服务对象满意度指标",
)
UNITS = ("", "%", "次", "家", "个", "人", "万元", "天")
OPS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}
OTHER_WORDS = ("良好", "健康", "有效提升", "显著")
# Multiples of a target that sit on or near the thresholds rules use (met, 130%, twice the target).
FACTORS = tuple(
    Decimal(x)
    for x in (
        "0", "0.3", "0.5", "0.7", "0.9", "0.99", "1", "1.01", "1.1", "1.2",
        "1.3", "1.5", "1.7", "1.9", "1.99", "2", "2.5", "3",
    )
)  # fmt: skip
# Comparisons grouped by the direction a rule for them usually takes (up, down, neither).
OP_GROUPS = ((">=", ">"), ("<=", "<"), ("=", "range"))
# Deadline targets with an actual that meets them (on or before the date).
MET_DATES = (
    ("2021年12月31日前", "2021年12月31日"),
    ("2021年12月31日前", "2021年11月30日"),
    ("2021年6月30日前", "2021年6月1日"),
)
WEIGHTS = ("1", "2", "2.5", "3", "5", "8", "10", "15", "20")


@dataclass(frozen=True)
class Sample:
    """A generated line: the cells and, for numeric targets, what they mean."""

    line: IndicatorLine
    op: str | None = None  # the target's comparison (``range`` for a range)
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""

    def with_actual(self, actual: Decimal) -> Sample:
        """The same line with another numeric actual (same unit as the target)."""
        text = plain(actual) + self.unit
        line = self.line.model_copy(update={"actual": text})
        return Sample(line, self.op, self.low, self.high, self.unit)


@dataclass
class Finding:
    """One broken invariant with its shrunk counterexample and the results that show it."""

    prop: str
    zh: str
    en: str
    lines: list[IndicatorLine] = field(default_factory=list)
    results: list[LineResult] = field(default_factory=list)
    form: FormResult | None = None
    where: str | None = None


@dataclass
class Report:
    """What a verification run found and how much it tried."""

    policy: str
    seed: int
    max_examples: int
    findings: list[Finding] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- strategies ---------------------------------------------------------------------------------


def _decimal(low: int, high: int, places: int = 2) -> st.SearchStrategy[Decimal]:
    scale = 10**places
    return st.integers(low * scale, high * scale).map(lambda n: Decimal(n) / scale)


def _names(policy: CompiledPolicy, index: int, base: Sequence[str]) -> list[str]:
    """Category names at path position `index`: first those the policy's dispatch names (the
    search tries them most), then its weight groups, then the usual ones of real forms."""
    named: list[str] = []
    for apply in policy.dispatch:
        for sel in apply.selectors:
            if isinstance(sel, PathIs):
                named.extend(p.segments[index] for p in sel.patterns if index < len(p.segments))
    if index == 0 and policy.weights is not None:
        named.extend(group.pattern for group in policy.weights.groups)
    names: list[str] = []
    for raw in [*named, *base]:
        seg = raw.replace("*", "").replace("?", "")
        if seg and seg not in names:
            names.append(seg)
    return names


def vocabulary_words(policy: CompiledPolicy) -> list[str]:
    """Every word the policy's vocabularies and predicates know, in definition order."""
    words: list[str] = []
    for vocab in policy.vocabularies.values():
        words.extend(vocab.members())
    for pred in policy.predicates.values():
        words.extend(pred.words)
    return words


@dataclass(frozen=True)
class Strategies:
    """The strategies for one policy, built once (building a strategy is costly, drawing is not)."""

    numeric: st.SearchStrategy[Sample]
    any: st.SearchStrategy[Sample]
    forms: st.SearchStrategy[Form]
    dated: st.SearchStrategy[IndicatorLine | None]  # a deadline target and an actual meeting it
    by_direction: tuple[st.SearchStrategy[Sample], ...]  # numeric lines, one per `OP_GROUPS`


def strategies(policy: CompiledPolicy) -> Strategies:
    """Strategies for lines and forms that carry the categories and words `policy` names."""
    words = vocabulary_words(policy) or ["完成"]
    pieces = _Pieces(
        level1=st.sampled_from(_names(policy, 0, LEVEL1)),
        level2=st.one_of(st.sampled_from(_names(policy, 1, LEVEL2)), st.none()),
        name=st.sampled_from(("指标1：数量", "指标2：完成率", "指标3：成本")),
        weight=st.sampled_from(WEIGHTS),
        self_score=st.none() | _decimal(0, 20, 1).map(plain),
        note=st.sampled_from((None, "因天气原因延期")),
    )
    numeric = _numeric(pieces)
    # One search per direction: each gets the whole example budget (see `_monotone`).
    by_direction = tuple(_numeric(pieces, ops) for ops in OP_GROUPS)
    terms = st.sampled_from((*words, *OTHER_WORDS))
    dates = st.sampled_from(("2021年12月31日前", "12月底前", "2021年6月30日前"))
    done = st.sampled_from(("2021年11月30日", "2022年1月15日", *words[:3]))
    lines = pieces.line()
    any_line = st.one_of(
        numeric,
        st.builds(lambda t, a, line: Sample(_with(line, t, a)), terms, terms, lines),
        st.builds(lambda t, a, line: Sample(_with(line, t, a)), dates, done, lines),
        st.builds(lambda a, line: Sample(_with(line, None, a)), terms, lines),
    )
    dated = st.builds(lambda pair, line: _with(line, *pair), st.sampled_from(MET_DATES), lines)
    return Strategies(numeric, any_line, _forms(any_line), dated, by_direction)


@dataclass(frozen=True)
class _Pieces:
    level1: st.SearchStrategy[str]
    level2: st.SearchStrategy[str | None]
    name: st.SearchStrategy[str]
    weight: st.SearchStrategy[str]
    self_score: st.SearchStrategy[str | None]
    note: st.SearchStrategy[str | None]

    def line(self) -> st.SearchStrategy[IndicatorLine]:
        return st.builds(
            IndicatorLine,
            level1=self.level1,
            level2=self.level2,
            name=self.name,
            weight=self.weight,
            score=self.self_score,
            note=self.note,
            source=st.just(Position(row=1, col=1)),
        )


def _with(line: IndicatorLine, target: str | None, actual: str) -> IndicatorLine:
    return line.model_copy(update={"target": target, "actual": actual})


def _numeric(
    pieces: _Pieces, ops: Sequence[str] = (">=", ">", "<=", "<", "=", "range")
) -> st.SearchStrategy[Sample]:
    """A line whose target is a comparison or a range, with a numeric actual in the same unit."""
    units = st.sampled_from(UNITS)
    kinds = st.sampled_from(tuple(ops))
    small, large = _decimal(1, 75, 0), _decimal(1, 500, 0)
    values = {"%": _decimal(1, 150, 1), "": _decimal(1, 1000, 1)}
    actuals = {"%": _decimal(0, 300, 2), "": _decimal(0, 2000, 2)}
    lines = pieces.line()

    @st.composite
    def draw_sample(draw: st.DrawFn) -> Sample:
        unit = draw(units)
        key = "%" if unit == "%" else ""
        kind = draw(kinds)
        if kind == "range":
            span = small if unit == "%" else large
            low = draw(span)
            high = low + draw(span)
            target = f"{plain(low)}-{plain(high)}{unit}"
        else:
            low = high = draw(values[key])
            target = f"{OPS[kind]}{plain(low)}{unit}"
        actual = draw(actuals[key])
        line = _with(draw(lines), target, plain(actual) + unit)
        return Sample(line, kind, low, high, unit)

    return draw_sample()


def _forms(lines: st.SearchStrategy[Sample]) -> st.SearchStrategy[Form]:
    """A whole form: one to six lines and, sometimes, a budget block."""
    budgets = st.none() | st.builds(
        lambda adjusted, executed, score: BudgetRow(
            name="年度资金总额",
            initial=plain(adjusted),
            adjusted=plain(adjusted),
            executed=plain(executed),
            weight="10",
            score=score,
        ),
        _decimal(0, 500, 2),
        _decimal(0, 600, 2),
        st.sampled_from((None, "10")),
    )

    def build(samples: list[Sample], budget: BudgetRow | None) -> Form:
        indicators = [
            x.line.model_copy(update={"source": Position(row=i, col=1)})
            for i, x in enumerate(samples, start=1)
        ]
        return Form(
            kind="project-self-evaluation",
            indicators=indicators,
            budget=[] if budget is None else [budget],
        )

    return st.builds(build, st.lists(lines, min_size=1, max_size=6), budgets)


# --- evaluation helpers ---------------------------------------------------------------------------


def score_line(policy: CompiledPolicy, line: IndicatorLine) -> LineResult:
    """Evaluate one line alone in a form of its own."""
    return score_form(policy, Form(kind="project-self-evaluation", indicators=[line])).lines[0]


def score_form(policy: CompiledPolicy, form: Form) -> FormResult:
    """Evaluate one form."""
    from rules_engine.engine import evaluate  # noqa: PLC0415 - the engine loads lazily

    return evaluate(policy, Document(forms=[form])).forms[0]


def rule_direction(policy: CompiledPolicy, rule: str | None, op: str | None) -> Direction | None:
    """Which way a rule's score must move with the actual: by its name (正向/反向), else the
    target's comparison (``≥`` up, ``≤`` down); ``None`` when neither says."""
    if rule is not None and rule in policy.rules:
        found = policy.rules[rule]
        text = f"{found.name} {found.title or ''}"
        if "反向" in text:
            return "down"
        if "正向" in text:
            return "up"
    if op in (">=", ">"):
        return "up"
    if op in ("<=", "<"):
        return "down"
    return None


def _weight(line: IndicatorLine) -> Decimal:
    return Decimal(line.weight or "0")


def _meeting_actual(sample: Sample, offset: Decimal) -> Decimal | None:
    """An actual that meets the sample's numeric target (`offset` ≥ 0 moves it inside)."""
    if sample.low is None or sample.high is None:
        return None
    if sample.op == ">=":
        return sample.low + offset
    if sample.op == ">":
        return sample.low + Decimal("0.01") + offset
    if sample.op == "<=":
        return max(sample.low - offset, Decimal(0))
    if sample.op == "<":
        value = sample.low - Decimal("0.01") - offset
        return value if value >= 0 else None
    if sample.op == "=":
        return sample.low
    return min(sample.low + offset, sample.high)


# --- properties ---------------------------------------------------------------------------------


@dataclass
class _Search:
    policy: CompiledPolicy
    seed: int
    max_examples: int
    draw: Strategies

    def settings(self) -> settings:
        return settings(
            max_examples=self.max_examples,
            database=None,
            deadline=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            phases=(Phase.generate, Phase.shrink),
            report_multiple_bugs=False,
        )

    def find(self, strategy: st.SearchStrategy[Any], broken: Callable[[Any], bool]) -> Any | None:
        """The smallest example for which `broken` holds, or ``None`` when none was found."""
        try:
            return find(strategy, broken, settings=self.settings(), random=random.Random(self.seed))
        except (NoSuchExample, Unsatisfiable):
            return None


def _score_in_range(s: _Search) -> Finding | None:
    def broken(sample: Sample) -> bool:
        got = score_line(s.policy, sample.line)
        return got.score is not None and not (0 <= got.score <= _weight(sample.line))

    found = s.find(s.draw.any, broken)
    if found is None:
        return None
    got = score_line(s.policy, found.line)
    return Finding(
        "score_range",
        f"得分 {plain(got.score or Decimal(0))} 超出 [0, 分值 {found.line.weight}]",
        f"score {plain(got.score or Decimal(0))} is outside [0, weight {found.line.weight}]",
        [found.line],
        [got],
    )


def _monotone(s: _Search) -> Finding | None:
    # Two actuals as multiples of the target's value, close together, so that both often land
    # in the same stretch of a rule (below the target, between it and twice it, …).
    steps = st.sampled_from(tuple(Decimal(x) for x in ("0.01", "0.1", "0.3", "0.5", "1")))
    factors = st.sampled_from(FACTORS)
    searches = [
        st.builds(lambda sample, low, step: (sample, low, low + step), lines, factors, steps)
        for lines in s.draw.by_direction
    ]

    def check(item: tuple[Sample, Decimal, Decimal]) -> tuple[LineResult, LineResult] | None:
        sample, fa, fb = item
        if fa == fb or sample.low is None:
            return None
        lo, hi = sorted((sample.low * fa, sample.low * fb))
        first = score_line(s.policy, sample.with_actual(lo).line)
        second = score_line(s.policy, sample.with_actual(hi).line)
        if first.score is None or second.score is None or first.rule != second.rule:
            return None
        direction = rule_direction(s.policy, first.rule, sample.op)
        if direction == "up" and second.score < first.score:
            return first, second
        if direction == "down" and second.score > first.score:
            return first, second
        return None

    found = None
    for pairs in searches:
        found = s.find(pairs, lambda item: check(item) is not None)
        if found is not None:
            break
    if found is None:
        return None
    sample, fa, fb = found
    assert sample.low is not None
    lo, hi = sorted((sample.low * fa, sample.low * fb))
    pair = check(found)
    assert pair is not None  # the same example, evaluated again, breaks the property again
    first, second = pair
    direction = rule_direction(s.policy, first.rule, sample.op)
    word_zh = "正向" if direction == "up" else "反向"
    word_en = "must not fall" if direction == "up" else "must not rise"
    before, after = plain(first.score or Decimal(0)), plain(second.score or Decimal(0))
    return Finding(
        "monotone",
        f"{word_zh}规则「{first.rule}」：实际值由 {plain(lo)} 增至 {plain(hi)}，"
        f"得分却由 {before} 变为 {after}",
        f"rule '{first.rule}' ({word_zh}): as the actual rises from {plain(lo)} to {plain(hi)} "
        f"the score goes from {before} to {after}; it {word_en}",
        [sample.with_actual(lo).line, sample.with_actual(hi).line],
        [first, second],
    )


def _met_is_full(s: _Search) -> Finding | None:
    numeric = st.tuples(s.draw.numeric, _decimal(0, 50, 2)).map(_meeting)
    cases = st.one_of(numeric, s.draw.dated)

    def broken(line: IndicatorLine | None) -> bool:
        if line is None:
            return False
        got = score_line(s.policy, line)
        return got.outcome != "review" and got.score != _weight(line)

    line = s.find(cases, broken)
    if line is None:
        return None
    got = score_line(s.policy, line)
    return Finding(
        "met_full",
        f"实际值 {line.actual} 达到目标 {line.target}，得分却是 "
        f"{plain(got.score or Decimal(0))}，不是满分 {line.weight}",
        f"actual {line.actual} meets the target {line.target} but scores "
        f"{plain(got.score or Decimal(0))}, not the full {line.weight}",
        [line],
        [got],
    )


# Shares of the target a clearly missed actual takes: 1% short of it or 1% past it, and beyond,
# so that rounding to two places cannot turn the score back into full marks.
SHORT = tuple(Decimal(x) for x in ("0", "0.3", "0.5", "0.8", "0.9", "0.99"))
PAST = tuple(Decimal(x) for x in ("1.01", "1.1", "1.5", "2", "3"))


def _missing(item: tuple[Sample, Decimal, Decimal]) -> IndicatorLine | None:
    """The sample's line with an actual that misses its target on the target's own side:
    below a ``≥``/``>`` target or a range, above a ``≤``/``<`` target."""
    sample, short, past = item
    if sample.low is None or sample.low <= 0:
        return None
    if sample.op in (">=", ">", "range"):
        return sample.with_actual(sample.low * short).line
    if sample.op in ("<=", "<"):
        return sample.with_actual(sample.low * past).line
    return None


def _missed_not_full(s: _Search) -> Finding | None:
    cases = st.tuples(s.draw.numeric, st.sampled_from(SHORT), st.sampled_from(PAST)).map(_missing)

    def broken(line: IndicatorLine | None) -> bool:
        if line is None:
            return False
        got = score_line(s.policy, line)
        return got.score is not None and got.score >= _weight(line)

    line = s.find(cases, broken)
    if line is None:
        return None
    got = score_line(s.policy, line)
    return Finding(
        "missed_not_full",
        f"实际值 {line.actual} 没有达到目标 {line.target}，"
        f"却得满分 {plain(got.score or Decimal(0))}（规则「{got.rule}」）",
        f"actual {line.actual} misses the target {line.target} but earns full marks "
        f"{plain(got.score or Decimal(0))} (rule '{got.rule}')",
        [line],
        [got],
    )


def _meeting(item: tuple[Sample, Decimal]) -> IndicatorLine | None:
    """The sample's line with an actual that meets its numeric target (``None`` if none can)."""
    sample, offset = item
    actual = _meeting_actual(sample, offset)
    return None if actual is None else sample.with_actual(actual).line


def dispatch_gap(result: LineResult) -> bool:
    """A line that no `apply` took: no rule and no policy line cited (an explicit
    ``apply … -> review`` cites its own line)."""
    return result.rule is None and result.source is None


def _no_gaps(s: _Search) -> Finding | None:
    def broken(sample: Sample) -> bool:
        got = score_line(s.policy, sample.line)
        unreadable = got.target_value is not None and got.target_value.kind == "unknown"
        return not unreadable and dispatch_gap(got)

    found = s.find(s.draw.any, broken)
    if found is None:
        return None
    got = score_line(s.policy, found.line)
    path = "/".join(x or "—" for x in (found.line.level1, found.line.level2, found.line.name))
    return Finding(
        "dispatch_gap",
        f"没有规则接收这一行：类别 {path}，目标 {found.line.target}",
        f"no rule takes this line: category {path}, target {found.line.target}",
        [found.line],
        [got],
    )


def _total_in_range(s: _Search) -> Finding | None:
    def bounds(result: FormResult) -> Decimal:
        weights = sum((_weight(x) for x in result.form.indicators), Decimal(0))
        if result.budget is not None and result.budget.weight is not None:
            weights += result.budget.weight
        return weights

    def broken(form: Form) -> bool:
        result = score_form(s.policy, form)
        total = result.total.score
        return total is not None and not (0 <= total <= bounds(result))

    found = s.find(s.draw.forms, broken)
    if found is None:
        return None
    result = score_form(s.policy, found)
    total = result.total.score or Decimal(0)
    return Finding(
        "total_range",
        f"总分 {plain(total)} 超出 [0, 分值合计 {plain(bounds(result))}]",
        f"total {plain(total)} is outside [0, the weight sum {plain(bounds(result))}]",
        list(found.indicators),
        list(result.lines),
        result,
    )


PROPERTIES: dict[str, Callable[[_Search], Finding | None]] = {
    "score_range": _score_in_range,
    "monotone": _monotone,
    "met_full": _met_is_full,
    "missed_not_full": _missed_not_full,
    "dispatch_gap": _no_gaps,
    "total_range": _total_in_range,
}


def _band_findings(policy: CompiledPolicy) -> list[Finding]:
    out = []
    for diag in analyze(policy):
        if diag.code in BAND_CODES:
            out.append(
                Finding(
                    "bands",
                    diag.text("zh"),
                    diag.text("en"),
                    where=diag.where(),
                )
            )
    return out


def verify(
    policy: CompiledPolicy,
    *,
    seed: int = 0,
    max_examples: int = 200,
    only: Sequence[str] | None = None,
) -> Report:
    """Search for counterexamples to every property (or those named in `only`) of the policy;
    deterministic for a given seed."""
    started = time.monotonic()
    report = Report(policy.path, seed, max_examples)
    search = _Search(policy, seed, max_examples, strategies(policy))
    if only is None or "bands" in only:
        report.findings.extend(_band_findings(policy))
        report.properties.append("bands")
    with _scratch_storage():
        for name, prop in PROPERTIES.items():
            if only is not None and name not in only:
                continue
            report.properties.append(name)
            finding = prop(search)
            if finding is not None:
                report.findings.append(finding)
    report.seconds = time.monotonic() - started
    return report


@contextmanager
def _scratch_storage() -> Iterator[None]:
    """Keep hypothesis's own cache files in a temporary folder removed afterwards.

    Even without an example database, hypothesis caches what it learns from source files under
    ``.hypothesis/`` in the working folder; verifying a policy must leave the user's folder as
    it was.
    """
    with tempfile.TemporaryDirectory(prefix="rules-engine-verify-") as scratch:
        set_hypothesis_home_dir(scratch)
        try:
            yield
        finally:
            set_hypothesis_home_dir(None)
