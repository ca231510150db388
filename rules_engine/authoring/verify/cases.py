"""The lines verify tries: every target shape the target reader produces, on every category
the policy names, with actuals placed on, around and far from the target.

Targets cover each comparison operator, bare numbers, ranges, dates and a word of each
vocabulary; values 0, negative, tiny and huge, percentages above 100; and a unit of every
family forms use (counts, money, area, length, mass, time, per-unit rates).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from rules_engine.model import IndicatorLine, Position
from rules_engine.policy.model import CompiledPolicy, NameIs, PathIs
from rules_engine.readers.vocabulary import LEVEL2_WORDS, family_of
from rules_engine.signs import SIGNS
from rules_engine.targets import read_cell
from rules_engine.values import Compare, Range, plain

# Category names a form can carry besides those the policy names (so gaps show up): the
# standard template's 二级 names and their 一级 families, as the form reader knows them;
# 成本指标 printed as a 一级, as some templates do; and a 一级 name no template prints.
LEVEL2 = tuple(word for word in sorted(LEVEL2_WORDS) if family_of(word) is not None)
LEVEL1 = (*sorted({family_of(word) or word for word in LEVEL2}), "成本指标", "其他指标")
NAME = "指标1：数量"
# One unit of every family forms print; "" is a bare number.
UNITS = (
    *("", "%", "‰", "次", "人次", "家", "万元", "亿元", "元", "亩", "万平方米", "公里", "吨"),
    *("天", "工作日", "个月", "次/月", "元/人"),
)
# Target values: zero, negative, tiny, ordinary, above 100 (for percentages) and huge.
VALUES = tuple(
    Decimal(x)
    for x in ("95", "0", "-5", "-30", "0.001", "0.5", "1", "3", "8.6", "50", "100", "150",
              "1000", "1000000")
)  # fmt: skip
RANGES = tuple(
    (Decimal(a), Decimal(b))
    for a, b in (("3", "5"), ("1", "2"), ("0", "5"), ("0.5", "1.5"), ("100", "200"), ("-10", "10"))
)
# Deadline targets: actuals on or before them, and clearly after them.
DATES = (
    ("2021年12月31日前", ("2021年12月31日", "2021年11月30日", "2021年1月5日"), ("2022年1月15日",)),
    ("2021年6月30日前", ("2021年6月30日", "2021年6月1日"), ("2021年7月1日", "2022年3月1日")),
    ("2023年底", ("2023年12月31日", "2023年6月1日"), ("2024年2月1日",)),
)
WEIGHTS = tuple(Decimal(x) for x in ("1", "2", "2.5", "3", "5", "8", "10", "15", "20"))

TargetKind = Literal["compare", "range", "term", "date"]
Path3 = tuple[str | None, str | None, str]


@dataclass(frozen=True)
class Target:
    """A target text and what it means, so that actuals can be placed on and around it.

    Numbers are in the units printed (``95%`` is 95): `low`/`high` a comparison's value (both)
    or a range's ends. `met` / `missed` are actual texts that meet / clearly miss a word or
    date target.
    """

    shape: str  # the dispatch shape: >=, >, <=, <, =, number, range, date, or a term's label
    text: str
    kind: TargetKind
    op: str | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str = ""
    met: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()

    @property
    def numeric(self) -> bool:
        """Whether actuals are numbers placed around `low`."""
        return self.low is not None


@dataclass(frozen=True)
class Shape:
    """One target shape the reader produces, with its targets (the first one represents it)."""

    key: str
    zh: str
    en: str
    targets: tuple[Target, ...] = field(default_factory=tuple)


def shapes(policy: CompiledPolicy) -> list[Shape]:
    """Every target shape dispatch must handle, each with the targets verify tries for it."""
    out = [
        Shape(op, f"「{SIGNS[op]}」比较", f"a '{SIGNS[op]}' comparison", tuple(_compares(op)))
        for op in (">=", ">", "<=", "<", "=")
    ]
    out.append(Shape("number", "不带符号的数", "a bare number", tuple(_compares("number"))))
    out.append(Shape("range", "区间", "a range", tuple(_ranges())))
    done = _done_words(policy)
    dates = tuple(
        Target("date", text, "date", met=(*met, *done), missed=missed)
        for text, met, missed in DATES
    )
    out.append(Shape("date", "日期", "a date", dates))
    for vocab in policy.vocabularies.values():
        others = tuple(
            w for v in policy.vocabularies.values() if v.label != vocab.label for w in v.members()
        )
        targets = tuple(
            Target(vocab.label, word, "term", met=vocab.members(), missed=others)
            for word in vocab.members()
        )
        out.append(
            Shape(vocab.label, f"词表「{vocab.label}」的词", f"a word of '{vocab.label}'", targets)
        )
    for pred in policy.predicates.values():
        targets = tuple(
            Target(pred.name, word, "compare", pred.op, pred.value, pred.value)
            for word in pred.words
        )
        out.append(Shape(pred.name, f"「{pred.name}」等方向词", f"the word '{pred.name}'", targets))
    return [s for s in out if s.targets]


def _done_words(policy: CompiledPolicy) -> tuple[str, ...]:
    name = policy.done_vocabulary
    vocab = policy.vocabularies.get(name) if name is not None else None
    return vocab.members()[:3] if vocab is not None else ()


def _compares(op: str) -> Iterator[Target]:
    """Comparison targets with every value and unit, kept only if they read as meant."""
    symbol = "" if op == "number" else SIGNS[op]
    meaning = "=" if op == "number" else op
    for index, value in enumerate(VALUES):
        for unit in _units_for(index):
            text = f"{symbol}{plain(value)}{unit}"
            read = read_cell(text)
            if isinstance(read, Compare) and read.op == meaning and read.value == value:
                yield Target(op, text, "compare", meaning, value, value, read.unit or "")


def _units_for(index: int) -> tuple[str, ...]:
    """A few units per value, rotating, so that every unit meets several values (the whole
    product would only repeat itself)."""
    first = (index * 5) % len(UNITS)
    picked = [UNITS[(first + k) % len(UNITS)] for k in range(5)]
    return tuple(dict.fromkeys(["%", *picked] if index % 3 == 0 else picked))


def _ranges() -> Iterator[Target]:
    for index, (low, high) in enumerate(RANGES):
        for unit in _units_for(index):
            text = f"±{plain(high)}{unit}" if low == -high else f"{plain(low)}-{plain(high)}{unit}"
            read = read_cell(text)
            if isinstance(read, Range) and (read.low, read.high) == (low, high):
                yield Target("range", text, "range", "range", low, high, read.unit or "")


# --- categories -----------------------------------------------------------------------------


def paths(policy: CompiledPolicy) -> list[Path3]:
    """Category paths to try: those the policy names (dispatch, weights, declared), the usual
    ones of real forms, and an empty 二级; a generic indicator name and the names dispatch
    names. A sheet of fixed lines (lines chosen by name, any other name sent to review) is
    tried on its own lines only: no other line belongs on it."""
    level1 = _names(policy, 0, LEVEL1)
    level2: list[str | None] = [None, *_names(policy, 1, LEVEL2)]
    named = _names(policy, 2, ())
    names = named if fixed_sheet(policy) else [NAME, *named]
    return [(a, b, c) for c in names for a in level1 for b in level2]


def fixed_sheet(policy: CompiledPolicy) -> bool:
    """Whether the policy scores a sheet of fixed lines: it chooses rules by indicator name and
    sends every other line to review."""
    by_name = any(isinstance(s, NameIs) for a in policy.dispatch for s in a.selectors)
    catch_all = next((a for a in policy.dispatch if not a.selectors), None)
    return by_name and catch_all is not None and catch_all.rule is None


def _names(policy: CompiledPolicy, index: int, base: Sequence[str]) -> list[str]:
    named: list[str] = []
    for apply in policy.dispatch:
        for sel in apply.selectors:
            if isinstance(sel, PathIs):
                named.extend(p.segments[index] for p in sel.patterns if index < len(p.segments))
            elif isinstance(sel, NameIs) and index == 2:
                named.extend(sel.names)
    if index == 0 and policy.weights is not None:
        named.extend(group.pattern for group in policy.weights.groups)
    if index < 2:
        named.extend(policy.categories)
    names: list[str] = []
    for raw in [*named, *base]:
        seg = raw.replace("*", "").replace("?", "")
        if seg and seg not in names:
            names.append(seg)
    return names


def line(path: Path3, target: str | None, actual: str | None, weight: Decimal) -> IndicatorLine:
    """An indicator line with these cells."""
    level1, level2, name = path
    return IndicatorLine(
        level1=level1,
        level2=level2,
        name=name,
        target=target,
        actual=actual,
        weight=plain(weight),
        source=Position(row=1, col=1),
    )


# --- actuals around a target -----------------------------------------------------------------

# Steps away from a reference value, as multiples of its size (of 1 when it is 0): dense near
# the reference, where tiers and thresholds sit (a tier 10 points below 90% is 0.11 of it away).
AROUND = tuple(
    Decimal(x)
    for x in ("-100", "-30", "-10", "-3", "-2", "-1.5", "-1", "-0.9", "-0.7", "-0.5", "-0.4",
              "-0.3", "-0.25", "-0.2", "-0.15", "-0.1", "-0.05", "-0.02", "-0.01", "0", "0.01",
              "0.02", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.4", "0.5", "0.7", "0.9",
              "1", "1.5", "2", "3", "10", "30", "100")
)  # fmt: skip
# How far past a target an actual clearly misses it (at least 1% of the target's size, so that
# rounding to two places cannot turn a proportional score back into full marks).
MISS = tuple(
    Decimal(x)
    for x in ("0.01", "0.02", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.4", "0.5", "0.7",
              "1", "3")
)  # fmt: skip
# How far inside a target a meeting actual lies.
INSIDE = tuple(Decimal(x) for x in ("0", "0.01", "0.1", "0.5", "1", "3"))


def scale(reference: Decimal) -> Decimal:
    """How far one step from `reference` goes: its size, or one unit when it is 0."""
    return abs(reference) if reference != 0 else Decimal(1)


def place(reference: Decimal, step: Decimal, unit: str) -> str:
    """The actual text `step` sizes away from `reference`, in `unit`."""
    return plain(reference + scale(reference) * step) + unit


def meeting(target: Target, step: Decimal) -> str | None:
    """An actual text that meets a numeric target; `step` in [0, 3] moves it further in."""
    if target.low is None or target.high is None or target.op is None:
        return None
    if target.op == "range":
        share = min(step, Decimal(1))
        value = target.low + (target.high - target.low) * share
        return plain(value) + target.unit
    inward = {">=": step, ">": step + Decimal("0.01"), "<=": -step, "<": -step - Decimal("0.01")}
    return place(target.low, inward.get(target.op, Decimal(0)), target.unit)


def missing(target: Target, step: Decimal) -> str | None:
    """An actual text `step` sizes short of a numeric target on its own side (below a ``≥``
    target or a range, above a ``≤`` one); ``None`` for ``=`` targets (either side may be
    scored as the policy chooses)."""
    if target.low is None or target.op is None:
        return None
    if target.op in (">=", ">", "range"):
        return place(target.low, -step, target.unit)
    if target.op in ("<=", "<"):
        return place(target.low, step, target.unit)
    return None
