"""Several fund recipients' forms of one project added up into one form before it is scored
(``aggregate recipients by adjusted``): figures summed, percentages weighted by each
recipient's funds, a tier word kept when every recipient writes the same tier.

What cannot be added up honestly (a recipient without the line, targets or weights that differ,
two different tiers, a percentage without funds to weigh it) is not guessed: the combined line
has no actual and its note says why, so the line goes to review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rules_engine.bounded import figure
from rules_engine.model import BudgetRow, Form, IndicatorLine
from rules_engine.policy import model as m
from rules_engine.readers.text_keys import category_key
from rules_engine.rounding import round_to
from rules_engine.scorecard import Step
from rules_engine.targets import read_cell
from rules_engine.values import Number, Term, plain

_ZERO = Decimal(0)
# Units of a relative figure: averaged over the recipients (weighted), never summed.
_RELATIVE = frozenset({"%", "‰"})
# A weighted average is written back as a cell the reader reads: this many places of the
# percentage (93.8462%), rounded half up; the step says so.
AVERAGE_PLACES = 4


@dataclass(frozen=True)
class Combined:
    """A form as scored: one recipient's own, or several added up (`notes`: line index → the
    step that says how its actual was added up; `count`: how many recipients)."""

    form: Form
    notes: dict[int, Step]
    count: int = 1


def combine(policy: m.CompiledPolicy, forms: Sequence[Form]) -> list[Combined]:
    """The document's forms with each project's recipients added up (in first-seen order)."""
    spec = policy.aggregate
    if spec is None:
        return [Combined(form, {}) for form in forms]
    kinds = policy.kinds()
    groups: dict[tuple[str, str], list[Form]] = {}
    order: list[tuple[str, str] | Form] = []
    for form in forms:
        name = form.project or form.title
        if form.kind not in kinds or not name:
            order.append(form)
            continue
        key = (form.kind, m.normalize_term(name))
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(form)
    out: list[Combined] = []
    for item in order:
        if isinstance(item, Form):
            out.append(Combined(item, {}))
            continue
        members = groups[item]
        if len(members) == 1:
            out.append(Combined(members[0], {}))
        else:
            out.append(_combine(members, spec))
    return out


def _combine(forms: list[Form], spec: m.Aggregate) -> Combined:
    first = forms[0]
    funds = [_funds(form, spec.funds) for form in forms]
    names = tuple(form.unit or form.department or f"#{i}" for i, form in enumerate(forms, 1))
    lines: list[IndicatorLine] = []
    notes: dict[int, Step] = {}
    for key in _line_keys(forms):
        found = [_line_of(form, key) for form in forms]
        line, note = _combine_line(found, names, funds, spec.funds)
        lines.append(line)
        notes[len(lines)] = note
    form = first.model_copy(
        update={
            "unit": "、".join(names),
            "budget": _budget(forms),
            "indicators": lines,
            "total": None,
            "warnings": [w for f in forms for w in f.warnings],
            "diagnostics": [d for f in forms for d in f.diagnostics],
            "reliability": _worst(forms),
        }
    )
    return Combined(form, notes, len(forms))


def _worst(forms: list[Form]) -> str:
    order = ("sure", "partial", "unreliable")
    return max((f.reliability for f in forms), key=order.index)


def _key(line: IndicatorLine) -> tuple[str, str, str]:
    return (
        category_key(line.level1 or ""),
        category_key(line.level2 or ""),
        m.name_key(line.name or ""),
    )


def _line_keys(forms: list[Form]) -> list[tuple[str, str, str]]:
    keys: list[tuple[str, str, str]] = []
    for form in forms:
        for line in form.indicators:
            key = _key(line)
            if key not in keys:
                keys.append(key)
    return keys


def _line_of(form: Form, key: tuple[str, str, str]) -> IndicatorLine | None:
    return next((line for line in form.indicators if _key(line) == key), None)


def _funds(form: Form, which: str) -> Decimal | None:
    """A recipient's funds: the total row's figure, else the sum of the other rows."""
    rows = form.budget
    if not rows:
        return None
    head = figure(getattr(rows[0], which))
    if head:
        return head
    parts = [figure(getattr(row, which)) for row in rows[1:]]
    if not parts or any(p is None for p in parts):
        return None
    return sum((p for p in parts if p is not None), _ZERO)


def _budget(forms: list[Form]) -> list[BudgetRow]:
    """Rows of the same name added up, figure by figure (a figure missing anywhere stays empty)."""
    names: list[str] = []
    for form in forms:
        for row in form.budget:
            name = m.normalize_term(row.name or "")
            if name not in names:
                names.append(name)
    out: list[BudgetRow] = []
    for name in names:
        rows = [
            next((r for r in form.budget if m.normalize_term(r.name or "") == name), None)
            for form in forms
        ]
        first = next(r for r in rows if r is not None)
        values: dict[str, str | None] = {}
        for field in ("initial", "adjusted", "executed"):
            got = [figure(getattr(r, field)) if r is not None else None for r in rows]
            ok = all(x is not None for x in got)
            values[field] = plain(sum((x for x in got if x is not None), _ZERO)) if ok else None
        out.append(BudgetRow(name=first.name, weight=first.weight, **values))
    return out


def _combine_line(  # noqa: PLR0911
    found: list[IndicatorLine | None],
    names: tuple[str, ...],
    funds: list[Decimal | None],
    which: str,
) -> tuple[IndicatorLine, Step]:
    """One line for every recipient's line of the same indicator, and how it was added up."""
    present = [line for line in found if line is not None]
    first = present[0]
    parts = tuple(
        (name, line.actual if line is not None else None, fund)
        for name, line, fund in zip(names, found, funds, strict=True)
    )
    args: dict[str, object] = {
        "count": len(found),
        "parts": parts,
        "funds": which,
        "places": AVERAGE_PLACES,
    }

    def cannot(why: str) -> tuple[IndicatorLine, Step]:
        line = first.model_copy(update={"actual": None, "score": None, "note": None})
        return line, Step("recipients", {**args, "how": "differ", "why": why, "result": None})

    if len(present) < len(found):
        return cannot("missing")
    if len({m.normalize_term(x.target or "") for x in present}) > 1:
        return cannot("targets")
    if len({figure(x.weight) for x in present}) > 1:
        return cannot("weights")
    texts = [x.actual for x in present]
    if any(text is None for text in texts):
        return cannot("actuals")
    read = [read_cell(text, "actual") for text in texts if text is not None]
    if all(isinstance(x, Term) for x in read):
        words = {m.normalize_term(x.term) for x in read if isinstance(x, Term)}
        if len(words) > 1:
            return cannot("tiers")
        return _kept(first, texts[0], args, "same")
    if not all(isinstance(x, Number) for x in read):
        return cannot("values")
    numbers = [x for x in read if isinstance(x, Number)]
    units = {x.unit for x in numbers}
    if len(units) > 1:
        return cannot("units")
    unit = numbers[0].unit
    if unit in _RELATIVE:
        if any(f is None or f <= 0 for f in funds):
            return cannot("funds")
        weights = [f for f in funds if f is not None]
        value = sum((x.value * f for x, f in zip(numbers, weights, strict=True)), _ZERO)
        value = round_to(value / sum(weights, _ZERO), "half_up", AVERAGE_PLACES)
        return _kept(first, plain(value) + (unit or ""), args, "weighted")
    total = sum((x.value for x in numbers), _ZERO)
    return _kept(first, plain(total) + (unit or ""), args, "sum")


def _kept(
    first: IndicatorLine, actual: str | None, args: dict[str, object], how: str
) -> tuple[IndicatorLine, Step]:
    line = first.model_copy(update={"actual": actual, "score": None, "note": None})
    return line, Step("recipients", {**args, "how": how, "why": None, "result": actual})
