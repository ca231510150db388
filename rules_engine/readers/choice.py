"""Read the forms of a text: each layout that fits is read, the one the gate trusts most kept.

The layout detected from the text's look is read first; when the gate passes every row of that
reading, it is kept. Otherwise the other layouts the text may be in are read too, and the reading
that keeps the most values, less a penalty for every run it had to leave out, wins (the detected
one on a tie). When two readings pass the gate about as well but read different rows, the text
cannot be read with confidence: the kept reading is marked unreliable (E149).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rules_engine.diagnostics import Diagnostic, UserError
from rules_engine.model import Form
from rules_engine.readers import layout_codes as codes
from rules_engine.readers.builder import build_forms
from rules_engine.readers.gate import SKIPPED_CODES
from rules_engine.readers.layouts import detect_layout, split_text
from rules_engine.readers.limits import DEFAULT, Limits

# Each run a reading had to leave out costs this many kept values.
RUN_COST = 3
# A runner-up this close to the best reading, with other rows, makes the text ambiguous.
CLOSE = 0.8
# Readings that share less than this part of their rows disagree.
AGREE = 0.5
# A text longer than this (no form is) is read in other layouts only when its own gave nothing:
# each reading of a huge damaged text takes seconds.
ALTERNATIVES_UP_TO = 200_000
_ROW_FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score")


@dataclass
class Reading:
    """The forms one layout gives, or the error it stopped with."""

    layout: str
    forms: list[Form] = field(default_factory=list)
    error: UserError | None = None

    @property
    def kept(self) -> int:
        return sum(
            sum(1 for name in _ROW_FIELDS if getattr(row, name, None) is not None)
            for form in self.forms
            for row in (*form.process, *form.indicators)
        )

    @property
    def lost(self) -> int:
        return sum(
            int(d.args.get("count", "1"))
            for form in self.forms
            for d in form.diagnostics
            if d.code in SKIPPED_CODES and d.code not in ("E145", "E146", "E148")
        )

    @property
    def worth(self) -> int:
        return self.kept - RUN_COST * self.lost

    @property
    def sure(self) -> bool:
        return bool(self.forms) and all(form.reliability == "sure" for form in self.forms)

    def rows(self) -> set[tuple[str | None, str | None]]:
        out: set[tuple[str | None, str | None]] = set()
        for form in self.forms:
            out |= {(row.name, row.standard) for row in form.process}
            out |= {(row.name, row.target) for row in form.indicators}
        return out


def read_text(
    text: str,
    source: str,
    layout: str | None = None,
    *,
    limits: Limits = DEFAULT,
    first_line: int = 1,
) -> list[Form]:
    """The forms of `text`; `layout` forces one layout. Raises `UserError` when none is found,
    or when a table is past the limits on rows, columns or cell length. `first_line` numbers
    the first line of a text that is a part of a larger file."""
    at = _At(limits, first_line)
    if layout is not None:
        return _forms(_read(text, source, layout, at))
    first = _read(text, source, detect_layout(text), at)
    if first.sure or (len(text) > ALTERNATIVES_UP_TO and first.kept):
        return first.forms
    readings = [first]
    for name in alternatives(text, first.layout):
        readings.append(_read(text, source, name, at, strict=False))
    # Another layout replaces the detected one only when it reads rows, and reads them better.
    ranked = sorted(readings, key=lambda r: (r.kept > 0 or r is first, r.worth), reverse=True)
    best = ranked[0]
    if not best.forms:
        return _forms(first)
    runner = next((r for r in ranked[1:] if r.forms and r.kept), None)
    if runner is not None and _disagree(best, runner):
        best.forms = [_unreliable(form, best, runner) for form in best.forms]
    return best.forms


def alternatives(text: str, detected: str) -> list[str]:
    """The other layouts `text` may be in, by what its lines hold."""
    lines = [line for line in text.splitlines() if line.strip()]
    out: list[str] = []
    if sum(1 for line in lines if line.count("\t") >= 2) >= 2:
        out.append("tsv")
    if sum(1 for line in lines if "|" in line) >= 2:
        out.extend(("pipe-rows", "markdown", "pipe-cell-per-line"))
    out.extend(("space-separated", "space-rows"))
    if sum(1 for line in text.splitlines() if not line.strip()) >= len(lines) / 2:
        out.append("paragraph-per-cell")
    longest = max((len(line) for line in lines), default=0)
    if longest > 300:
        out.append("one-line")
        if re.search(r"[\u4e00-\u9fff]{40}", text):
            out.append("glued")
    return [name for name in out if name != detected]


@dataclass(frozen=True)
class _At:
    """What every reading of one text shares: the limits, and the number of its first line."""

    limits: Limits
    first_line: int


def _read(text: str, source: str, layout: str, at: _At, *, strict: bool = True) -> Reading:
    """One layout's reading. A grid past the limits stops the layout the text was detected in
    (or forced to); another layout that would go past them is simply not a candidate."""
    reading = Reading(layout)
    for grid in split_text(text, source, layout, at.first_line):
        try:
            at.limits.check_grid(grid)
        except UserError as exc:
            if strict:
                raise
            reading.error = exc
            return reading
        try:
            reading.forms.extend(build_forms(grid))
        except UserError as exc:
            # What the layout reader could not recover explains why no form was found.
            reading.error = UserError([*exc.diagnostics, *grid.diagnostics], exc.exit_code)
    return reading


def _forms(reading: Reading) -> list[Form]:
    if not reading.forms and reading.error is not None:
        raise reading.error
    return reading.forms


def _disagree(best: Reading, runner: Reading) -> bool:
    """Two readings that keep about as much but do not read the same rows."""
    if best.worth <= 0 or runner.worth < CLOSE * best.worth:
        return False
    ours, theirs = best.rows(), runner.rows()
    shared = len(ours & theirs)
    return shared < AGREE * max(len(ours), len(theirs))


def _unreliable(form: Form, best: Reading, runner: Reading) -> Form:
    diag = Diagnostic(
        code=codes.LAYOUTS_DISAGREE,
        args={"first": best.layout, "second": runner.layout},
        severity="warning",
        file=form.file,
    )
    return form.model_copy(
        update={
            "diagnostics": [*form.diagnostics, diag],
            "warnings": [*form.warnings, str(diag)],
            "reliability": "unreliable",
        }
    )
