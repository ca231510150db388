"""The engine's memo tables, in one typed place, each bounded so memory stays flat.

A batch of many forms repeats the same cell texts, categories, weights and self-scores again
and again. Everything a line's result depends on is a pure function of those texts under one
policy, so each distinct combination is worked out once and shared. Nothing here changes what a
line scores or how it is explained: clearing every table gives the same results, only slower.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from typing import Generic, TypeVar

from rules_engine.engine.env import Env
from rules_engine.engine.reading import Pair, Reading
from rules_engine.engine.routes import Route
from rules_engine.scorecard import BudgetResult, Flag, Numbers, Phrase, Step, Tail, Verdict

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Bound on each table: a batch of many forms reuses texts heavily, but memory stays flat.
LIMIT = 1 << 15
# Cases are the largest entries (a few kilobytes with their variants), but a miss costs a whole
# rule run: as many are kept as the other tables keep texts, so a batch whose distinct lines fit
# never decides one twice (half as many cost the 100,000-line benchmark two thirds more rule runs).
CASE_LIMIT = LIMIT


class Table(Generic[K, V]):
    """A bounded memo: when full, the older half goes (what recent lines share stays)."""

    __slots__ = ("_data", "get", "limit")

    def __init__(self, limit: int = LIMIT) -> None:
        self._data: dict[K, V] = {}
        self.limit = limit
        self.get = self._data.get

    def put(self, key: K, value: V) -> V:
        """Remember `value` under `key` and return it."""
        data = self._data
        if len(data) >= self.limit:
            for old in list(islice(data, self.limit // 2)):
                del data[old]
        data[key] = value
        return value

    def find(self, key: K, make: Callable[[], V]) -> V:
        """The value under `key`, made (and remembered) on first use."""
        found = self._data.get(key, _MISSING)
        if found is _MISSING:
            return self.put(key, make())
        return found  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self._data)


_MISSING = object()


Key = tuple[object, ...]


@dataclass(slots=True)
class Case:
    """Lines alike in route, target, actual and weight: how their cells read, and the verdicts,
    tails and flags that follow from their self-score and note."""

    read: Pair
    route: Route | None
    reads_self: bool
    reads_note: bool
    # One Env reused for every variant's decision and flags (set afresh each time).
    env: Env
    verdicts: dict[Key, Verdict] = field(default_factory=dict)
    tails: dict[Key, Tail] = field(default_factory=dict)
    flags: dict[Key, tuple[Flag, ...]] = field(default_factory=dict)


class Memo:
    """Every table the engine keeps for one policy (see the module docstring)."""

    def __init__(self) -> None:
        # Cells as read: each distinct target and actual text once, and the pairs of them.
        self.targets: Table[str | None, Reading] = Table()
        self.actuals: Table[str | None, Reading] = Table()
        self.pairs: Table[tuple[str | None, str | None], Pair] = Table()
        # Lines alike in route, target, actual and weight, with their verdicts, tails and flags
        # by self-score and note (`Case`); apart for targets-only forms, which explain the
        # rule that would apply without scoring.
        self.cases: Table[tuple[object, ...], Case] = Table(CASE_LIMIT)
        self.targets_only_cases: Table[tuple[object, ...], Case] = Table(CASE_LIMIT // 4)
        # The actual that earns full marks, by rule, target text, percent units and weight.
        self.full_marks: Table[tuple[object, ...], Phrase | None] = Table()
        # Funding blocks, by their cells and the lines' weight.
        self.budgets: Table[tuple[object, ...], BudgetResult] = Table()
        # Dispatch: the route of a category path and cells; the path tests that hold for a
        # line's category cells as printed.
        self.routes: Table[tuple[object, ...], object] = Table()
        self.paths: Table[tuple[str | None, str | None, str | None], tuple[bool, ...]] = Table()
        # Names as dispatch compares them, and names that look like header fragments.
        self.categories: Table[str, str] = Table()
        self.fragments: Table[tuple[str, bool], bool] = Table()
        self.groups: Table[str, tuple[int, ...]] = Table()
        # Tails by what they are made of (score, weight, band, full-marks actual, self-score):
        # lines of different cases share them. The value keeps the full-marks phrase alive
        # beside its tail, so its identity in the key cannot be reused while the entry lives.
        self.tails: Table[Key, tuple[Phrase | None, Tail]] = Table()
        # Steps that recur word for word across lines (points lost, the self-score, a score),
        # made once so that what words them can remember the words.
        self.steps: Table[tuple[object, ...], Step] = Table()

    def step(
        self,
        code: str,
        args: Mapping[str, object],
        value: Decimal | None = None,
        source: str | None = None,
    ) -> Step:
        """The one `Step` for this code, arguments, value and source (the arguments must be
        hashable). Decimals count with their exponent: ``10`` and ``10.00`` print differently."""
        key = (code, _exact(value), source, *[(k, _exact(v)) for k, v in args.items()])
        found = self.steps.get(key)
        if found is None:
            found = self.steps.put(key, Step(code, args, value, source))
        return found

    def tail(self, verdict: Verdict, own: Decimal | None, make: Callable[[], Tail]) -> Tail:
        """The one `Tail` for a verdict's score, weight, band and full-marks actual and a
        self-score (Decimals by their text too, as in `step`), made on first use."""
        band = verdict.band
        marks = verdict.full_marks_actual
        key = (
            _exact(verdict.score),
            _exact(verdict.weight),
            _exact(own),
            verdict.in_top_band,
            None if band is None else (_exact(band[0]), _exact(band[1])),
            id(marks),
        )
        found = self.tails.get(key)
        if found is None or found[0] is not marks:
            found = self.tails.put(key, (marks, make()))
        return found[1]


def _exact(value: object) -> object:
    """A key part that tells ``10`` from ``10.00`` (equal Decimals, different texts), inside a
    phrase, a formula's values or a tuple as well as alone."""
    if isinstance(value, Decimal):
        return (value, str(value))
    if isinstance(value, Phrase):
        return (Phrase, value.code, *[(k, _exact(v)) for k, v in value.args.items()])
    if isinstance(value, Numbers):
        return (Numbers, value.expr, _exact(value.values), value.percent)
    if isinstance(value, tuple):
        return (tuple, *[_exact(item) for item in value])
    return value
