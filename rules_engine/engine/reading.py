"""How a line's target and actual cells are read: typed values, numbers for rules, and the
phrases that explain the reading."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from rules_engine.engine.env import Env
from rules_engine.engine.terms import Terms
from rules_engine.policy import model as m
from rules_engine.scorecard import Phrase, Step
from rules_engine.targets import read_cell
from rules_engine.values import CellValue, Unknown

_HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True, kw_only=True)
class Reading:
    """One cell as read: the typed value, its number and unit as printed, its words' meaning,
    and `phrase`, how the reading is explained."""

    text: str | None
    value: CellValue | None
    phrase: Phrase
    number: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    unit: str | None = None
    vocab: str | None = None
    predicate: m.TermPredicate | None = None
    quantified: bool = False


@dataclass(frozen=True, slots=True)
class Pair:
    """A target and an actual read together: the numbers rules see, and the unit decision."""

    target: Reading
    actual: Reading
    target_number: Decimal | None
    low: Decimal | None
    high: Decimal | None
    actual_number: Decimal | None
    percent: frozenset[str]
    unit_mismatch: bool
    # How the actual's unit was settled: ``borrowed`` the target's, or a ``mismatch``.
    unit_note: Phrase | None
    _steps: tuple[Step, Step]

    def fill(self, env: Env) -> None:
        """Put the pair's values into a line's variables."""
        env.target = self.target_number
        env.low = self.low
        env.high = self.high
        env.actual = self.actual_number
        env.percent = self.percent
        env.target_text = self.target.text
        env.actual_text = self.actual.text
        env.target_value = self.target.value
        env.actual_value = self.actual.value

    @property
    def target_step(self) -> Step:
        """The step that says how the target was read (one object per pair, shared)."""
        return self._steps[0]

    @property
    def actual_step(self) -> Step:
        """The step that says how the actual was read."""
        return self._steps[1]


def read_target(text: str | None, terms: Terms) -> Reading:
    """Read a target cell (once per distinct text; the caller caches)."""
    if text is None:
        return Reading(text=None, value=None, phrase=Phrase("empty_cell"))
    value = read_cell(text, "target")
    if value.kind == "compare":
        return Reading(
            text=text,
            value=value,
            number=value.value,
            low=value.value,
            high=value.value,
            unit=value.unit,
            quantified=True,
            phrase=Phrase("as_compare", {"op": value.op, "value": value.value, "unit": value.unit}),
        )
    if value.kind == "range":
        return Reading(
            text=text,
            value=value,
            number=value.low,
            low=value.low,
            high=value.high,
            unit=value.unit,
            quantified=True,
            phrase=Phrase("as_range", {"low": value.low, "high": value.high, "unit": value.unit}),
        )
    if value.kind == "term":
        pred = terms.predicate_of(text)
        if pred is not None:
            return Reading(
                text=text,
                value=value,
                number=pred.value,
                low=pred.value,
                high=pred.value,
                predicate=pred,
                quantified=True,
                phrase=Phrase(
                    "as_predicate", {"name": pred.name, "op": pred.op, "value": pred.value}
                ),
            )
        label = terms.label_of(text)
        if label is not None:
            return Reading(
                text=text, value=value, vocab=label, phrase=Phrase("as_term", {"vocab": label})
            )
        return Reading(text=text, value=value, phrase=Phrase("as_unlisted_term"))
    if value.kind == "date":
        return Reading(
            text=text,
            value=value,
            quantified=True,
            phrase=Phrase("as_deadline", {"date": value.value}),
        )
    assert isinstance(value, Unknown)
    return Reading(text=text, value=value, phrase=Phrase("unreadable", {"reason": value}))


def read_actual(text: str | None, terms: Terms) -> Reading:
    """Read an actual cell (once per distinct text; the caller caches)."""
    if text is None:
        return Reading(text=None, value=None, phrase=Phrase("empty_cell"))
    value = read_cell(text, "actual")
    if value.kind == "number":
        return Reading(
            text=text,
            value=value,
            number=value.value,
            unit=value.unit,
            quantified=True,
            phrase=Phrase("as_number", {"value": value.value, "unit": value.unit}),
        )
    if value.kind == "term":
        label = terms.label_of(text)
        pred = terms.predicate_of(text)
        if label is not None:
            phrase = Phrase("as_term", {"vocab": label})
        elif pred is not None:
            phrase = Phrase("as_word", {"name": pred.name})
        else:
            phrase = Phrase("as_unlisted_term")
        return Reading(text=text, value=value, vocab=label, predicate=pred, phrase=phrase)
    if value.kind == "range":
        return Reading(
            text=text,
            value=value,
            low=value.low,
            high=value.high,
            unit=value.unit,
            phrase=Phrase(
                "as_range_not_number", {"low": value.low, "high": value.high, "unit": value.unit}
            ),
        )
    if value.kind == "date":
        return Reading(
            text=text, value=value, quantified=True, phrase=Phrase("as_date", {"date": value.value})
        )
    if isinstance(value, Unknown):
        return Reading(text=text, value=value, phrase=Phrase("unreadable", {"reason": value}))
    # A comparison never comes back for an actual (the reader keeps its number); be safe anyway.
    return Reading(text=text, value=value, phrase=Phrase("not_an_actual"))


# Makes a step, or gives back the same one made before (`Memo.step`): steps that recur across
# lines are then one object, and what words them words each once.
MakeStep = Callable[[str, Mapping[str, object], Decimal | None, str | None], Step]


def _new_step(
    code: str, args: Mapping[str, object], value: Decimal | None, source: str | None
) -> Step:
    return Step(code, args, value, source)


def pair(target: Reading, actual: Reading, make: MakeStep = _new_step) -> Pair:
    """Combine the two readings: percent units become fractions, a missing unit follows the other
    cell, and two different units are a mismatch (the actual is then not used as a number)."""
    t_unit, a_unit = target.unit, actual.unit
    mismatch = t_unit is not None and a_unit is not None and t_unit != a_unit
    percent: set[str] = set()
    t_pct = t_unit == "%" or (t_unit is None and a_unit == "%" and target.predicate is None)
    a_pct = a_unit == "%" or (a_unit is None and t_unit == "%")
    target_number, low, high = target.number, target.low, target.high
    if t_pct and target.predicate is None:
        target_number, low, high = _pct(target_number), _pct(low), _pct(high)
        percent.update(("target", "low", "high"))
    actual_number = actual.number
    if a_pct:
        actual_number = _pct(actual_number)
        percent.add("actual")
    note = None
    if mismatch:
        actual_number = None
        note = Phrase("unit_mismatch", {"actual_unit": a_unit, "target_unit": t_unit})
    elif actual.number is not None and a_unit is None and t_unit is not None:
        note = Phrase("unit_borrowed", {"unit": t_unit})
    steps = (
        make(
            "read",
            {"cell": "target", "text": target.text, "how": target.phrase},
            target.number,
            None,
        ),
        make(
            "read",
            {"cell": "actual", "text": actual.text, "how": actual.phrase, "unit": note},
            actual.number,
            None,
        ),
    )
    return Pair(
        target,
        actual,
        target_number,
        low,
        high,
        actual_number,
        frozenset(percent),
        mismatch,
        note,
        steps,
    )


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value / _HUNDRED
