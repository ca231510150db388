"""Check a form's number cells against the engine's bounds: a cell printed as a number the engine
cannot compute with is a located warning, and the engine reads it as unreadable, never as 0."""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator, Mapping

from pydantic import BaseModel

from rules_engine.bounded import SHORT, figure_problem, numeral_problem
from rules_engine.diagnostics import Diagnostic
from rules_engine.model import Form, Position

_LINE_FIGURE_CELLS = operator.attrgetter("weight", "score")
_LINE_TEXT_CELLS = operator.attrgetter("target", "actual")
_PROCESS_CELLS = operator.attrgetter("weight", "score", "review")
_BUDGET_CELLS = operator.attrgetter("initial", "adjusted", "executed", "weight", "rate", "score")

# The cells checked in each part of a form, with their names in both languages.
_LINE_FIGURES = {"weight": ("分值", "weight"), "score": ("得分", "score")}
_LINE_TEXTS = {"target": ("年度指标值", "target"), "actual": ("实际完成值", "actual")}
_PROCESS_FIGURES = {**_LINE_FIGURES, "review": ("复核分", "review score")}
_BUDGET_FIGURES = {
    "initial": ("年初预算数", "initial budget"),
    "adjusted": ("全年预算数", "adjusted budget"),
    "executed": ("全年执行数", "amount executed"),
    "weight": ("分值", "weight"),
    "rate": ("执行率", "execution rate"),
    "score": ("得分", "score"),
}
# How much of a cell a message quotes.
_QUOTED = 40
# A cell this short with no sign in front holds no number past the bounds.
_SHORT = SHORT
_SIGNS = "+-－＋—–− "
# A numeral longer than `_SHORT` characters (full-width digits too), for the quick pass.
_LONG_NUMERAL = re.compile(r"[0-9０-９.．][0-9０-９.．,，]{7,}")

_Check = Callable[[str | None], str | None]
# A problem found: the code, the cell's place in both languages, its text and position.
_Problem = tuple[str, str, str, str, Position | None]


def check_figures(form: Form, source: str) -> Form:
    """`form` with a warning for every number cell outside the bounds (the form itself when
    there is none, as nearly always); such a form is read only in part. A warning names the
    file the form was read from (its positions are that file's) or else `source`."""
    if not _suspects(form):
        return form
    found = [
        Diagnostic(
            code=code,
            args={"place_zh": zh, "place_en": en, "text": _quoted(text)},
            file=form.file or source,
            line=at.row if at is not None else None,
            col=at.col if at is not None else None,
        )
        for code, zh, en, text, at in _problems(form)
    ]
    if not found:
        return form
    return form.model_copy(
        update={
            "diagnostics": [*form.diagnostics, *found],
            "warnings": [*form.warnings, *(str(d) for d in found)],
            "reliability": "partial" if form.reliability == "sure" else form.reliability,
        }
    )


def _suspects(form: Form) -> bool:
    """The quick pass, which nearly always finds nothing: any figure cell long enough to be past
    the bounds or with a sign to double, any target or actual with a long numeral."""
    figures = [*map(_LINE_FIGURE_CELLS, form.indicators), *map(_PROCESS_CELLS, form.process)]
    figures.extend(map(_BUDGET_CELLS, form.budget))
    if form.total is not None:
        figures.append((form.total.weight, form.total.score))
    if any(_suspect(text) for cells in figures for text in cells):
        return True
    texts = (text for line in form.indicators for text in _LINE_TEXT_CELLS(line) if text)
    return any(_LONG_NUMERAL.search(text) for text in texts if len(text) > _SHORT)


def _suspect(text: str | None) -> bool:
    if not text:
        return False
    return len(text) > _SHORT or text[0] in _SIGNS


def _problems(form: Form) -> Iterator[_Problem]:
    for n, line in enumerate(form.indicators, start=1):
        zh, en = f"第 {n} 条指标的", f"indicator {n}'s "
        yield from _cells(
            line, _LINE_FIGURES, figure_problem, zh, en, cells=line.cells, source=line.source
        )
        yield from _cells(
            line, _LINE_TEXTS, numeral_problem, zh, en, cells=line.cells, source=line.source
        )
    for n, item in enumerate(form.process, start=1):
        zh, en = f"过程评分第 {n} 条的", f"process item {n}'s "
        yield from _cells(
            item, _PROCESS_FIGURES, figure_problem, zh, en, cells=item.cells, source=item.source
        )
    for n, row in enumerate(form.budget, start=1):
        zh, en = f"资金第 {n} 行的", f"funding row {n}'s "
        yield from _cells(row, _BUDGET_FIGURES, figure_problem, zh, en, cells={}, source=row.source)
    if form.total is not None:
        yield from _cells(
            form.total,
            _LINE_FIGURES,
            figure_problem,
            "总分行的",
            "the total's ",
            cells={},
            source=None,
        )


def _cells(
    part: BaseModel,
    fields: Mapping[str, tuple[str, str]],
    check: _Check,
    zh: str,
    en: str,
    *,
    cells: Mapping[str, Position],
    source: Position | None,
) -> Iterator[_Problem]:
    for field, (name_zh, name_en) in fields.items():
        text = getattr(part, field)
        code = check(text)
        if code is not None:
            yield code, zh + name_zh, en + name_en, text, cells.get(field) or source


def _quoted(text: str) -> str:
    return text if len(text) <= _QUOTED else text[:_QUOTED] + "…"
