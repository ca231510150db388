"""The rows of a batch's tables: one per form, line, flag and target line, and the totals across
years (their columns are in `render.columns`; the JSONL and CSV writers are in `render.streams`,
the workbook and page in their own modules)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L
from rules_engine.render import trace_facts
from rules_engine.render.columns import LINE_COLUMNS, Cell
from rules_engine.render.words import FORM_KINDS
from rules_engine.scorecard import (
    Flag,
    FormResult,
    LineResult,
    PolicyInfo,
    Scorecard,
)


@dataclass(frozen=True)
class ScoredFile:
    """One file of a batch, scored: the path read, the path shown, its hash and its scorecard.

    `shown` is the path relative to the argument it was found under (``forms/001.xlsx``);
    `notes` are the policy's basis and note per rule, for the explanations.
    """

    path: str
    shown: str
    sha256: str
    card: Scorecard
    notes: trace_facts.RuleNotes = field(default_factory=dict)


@dataclass(frozen=True)
class RunInfo:
    """What the 说明 sheet and the report page say about the run."""

    version: str
    started: datetime
    inputs: tuple[str, ...] = ()


class Writer(Protocol):
    """Where a batch's results go, one scored file at a time."""

    def write(self, item: ScoredFile) -> None:
        """Write the rows of one scored file."""

    def close(self) -> None:
        """Finish the output (the caller renames it into place)."""

    def abort(self) -> None:
        """Let go of what the writer holds; the caller throws the output away."""


FORM_KIND = FORM_KINDS
_SEVERITY = {"info": ("提示", "info"), "warning": ("警告", "warning"), "error": ("错误", "error")}
_SEP = {"zh": "；", "en": "; "}
# A targets-only form has no outcome: its lines say so instead of "review".
_TARGETS_ONLY = ("目标表（不计分）", "targets only (not scored)")


@dataclass(frozen=True)
class Row:
    """One row of a table, cell by cell in column order; `review` rows are shaded."""

    cells: tuple[Cell, ...]
    review: bool = False


def targets_only(result: FormResult) -> bool:
    """Whether the form lists targets only (its lines go to 目标表, not 指标)."""
    return result.form.kind == "targets-only"


def policy_label(policy: PolicyInfo) -> str:
    """``national-2020 · 3fa2b1c4``: the policy's name and the start of its hash."""
    return f"{policy.name} · {policy.sha256[:8]}"


def _flags_text(flags: Iterable[Flag], lang: Lang) -> str:
    return _SEP[lang].join(L.flag_text(flag, lang) for flag in flags)


def flag_count(result: FormResult) -> int:
    """Review flags on the form's lines, its budget block and the form itself."""
    return len(L.all_flags(result)) + sum(len(line.flags) for line in result.lines)


def _budget_cell(result: FormResult, lang: Lang) -> Cell:
    budget = result.budget
    if budget is None:
        return None
    if budget.computed is not None:
        if budget.counted:
            return budget.computed
        shown = L.number(budget.computed)
        return L.pick(lang, f"{shown}（不计入总分）", f"{shown} (not in the total)")
    if not budget.read:
        return L.pick(lang, "未读出", "not read") if budget.counted else None
    return L.pick(lang, *L.OUTCOME["review"])


def summary_row(item: ScoredFile, form_no: int, result: FormResult, lang: Lang) -> Row:
    """The 汇总 row of one form: who, which policy, budget, totals, grades, counts, form flags."""
    form, total = result.form, result.total
    glossary = item.card.policy.english
    scored = not targets_only(result)
    final = scored and total.final

    def grade(name: str | None) -> str | None:
        return L.policy_word(name, lang, glossary) if name else None

    self_score: Cell = total.self_score
    if total.self_score is not None and not total.self_final:
        self_score = L.self_total_text(total, lang, glossary)
    kind = FORM_KIND.get(form.kind, (form.kind, form.kind))
    cells: tuple[Cell, ...] = (
        item.shown,
        form_no,
        L.pick(lang, *kind),
        form.project or form.title,
        form.department,
        form.unit,
        form.year,
        policy_label(item.card.policy),
        result.budget.rate if result.budget is not None and scored else None,
        _budget_cell(result, lang) if scored else None,
        total.score if final else None,
        L.total_text(total, lang, glossary) if scored and not total.final else None,
        grade(total.grade) if scored else None,
        self_score if scored else None,
        grade(total.self_grade) if scored else None,
        total.delta if scored else None,
        total.pending if scored else None,
        flag_count(result),
        len(form.warnings),
        _flags_text(L.all_flags(result), lang) or None,
    )
    return Row(cells, review=scored and not total.final)


def line_row(
    item: ScoredFile, form_no: int, line: LineResult, lang: Lang, steps: bool = False
) -> Row:
    """The 指标 row of one scored line, headed as the form heads it."""
    glossary = item.card.policy.english
    cells: tuple[Cell, ...] = (
        item.shown,
        form_no,
        line.index,
        line.level1,
        line.level2,
        line.name,
        line.target,
        line.actual,
        line.weight,
        line.score,
        line.self_score,
        line.delta,
        L.outcome(line, lang),
        L.rule_label(line, lang, glossary),
        line.source,
        _flags_text(line.flags, lang) or None,
        line.note,
    )
    if steps:
        cells += ("\n".join(L.step_text(step, lang) for step in line.steps),)
    return Row(cells, review=line.outcome == "review")


def target_row(item: ScoredFile, form_no: int, line: LineResult, lang: Lang) -> Row:
    """The 目标表 row of one line of a targets-only form: the target, how it reads, the rule."""
    rule = line.rule or L.pick(lang, "无（待复核）", "none (review)")
    cells: tuple[Cell, ...] = (
        item.shown,
        form_no,
        line.index,
        line.level1,
        line.level2,
        line.name,
        line.target,
        L.reading(line.target_value, lang),
        rule,
        line.source,
        _flags_text(line.flags, lang) or None,
    )
    return Row(cells)


def flag_rows(item: ScoredFile, form_no: int, result: FormResult, lang: Lang) -> Iterator[Row]:
    """The 标记 rows of one form: each line's flags in line order, then the form's and budget's."""

    def row(line: int | None, where: str, flag: Flag) -> Row:
        severity = _SEVERITY.get(flag.severity, (flag.severity, flag.severity))
        cells: tuple[Cell, ...] = (
            item.shown,
            form_no,
            line,
            where,
            flag.code,
            L.flag_text(flag, lang),
            L.pick(lang, *severity),
            flag.source,
        )
        return Row(cells)

    for line in result.lines:
        for flag in line.flags:
            yield row(line.index, L.indicator_label(line), flag)
    for flag in result.flags:
        yield row(None, L.pick(lang, "整表", "form"), flag)
    if result.budget is not None:
        for flag in result.budget.flags:
            yield row(None, L.pick(lang, "预算执行", "budget execution"), flag)


def csv_line_row(
    item: ScoredFile, form_no: int, result: FormResult, line: LineResult, lang: Lang, *, steps: bool
) -> Row:
    """The CSV row of a line: the 指标 columns; a targets-only line says it is not scored."""
    row = line_row(item, form_no, line, lang, steps)
    if not targets_only(result):
        return row
    cells = list(row.cells)
    cells[LINE_COLUMNS.index(_OUTCOME_COLUMN)] = L.pick(lang, *_TARGETS_ONLY)
    return Row(tuple(cells))


_OUTCOME_COLUMN = next(c for c in LINE_COLUMNS if c.key == "outcome")


@dataclass(frozen=True)
class YearEntry:
    """One form's totals as the 对比 table shows them, keyed by unit, project and year."""

    unit: str
    project: str
    year: int
    total: str
    self_total: str
    delta: Decimal | None


def year_entry(item: ScoredFile, result: FormResult, lang: Lang) -> YearEntry | None:
    """The form's place in the 对比 table (``None`` for a targets-only form or one without year)."""
    form = result.form
    if form.year is None or targets_only(result):
        return None
    glossary = item.card.policy.english
    return YearEntry(
        unit=form.unit or form.department or "",
        # Not the title: a title usually names its year, and the point is to match across years.
        project=form.project or "",
        year=form.year,
        total=L.total_text(result.total, lang, glossary),
        self_total=L.self_total_text(result.total, lang, glossary),
        delta=result.total.delta,
    )


def year_rows(entries: Iterable[YearEntry], lang: Lang) -> tuple[list[str], list[Row]]:
    """The totals of each unit and project scored in two years or more, side by side:
    (headings, rows), both empty when there is none. Each year has three columns, the third the
    difference."""
    by_key: dict[tuple[str, str], dict[int, YearEntry]] = {}
    for entry in entries:
        by_key.setdefault((entry.unit, entry.project), {})[entry.year] = entry
    by_key = {key: found for key, found in by_key.items() if len(found) > 1 and any(key)}
    years = sorted({year for found in by_key.values() for year in found})
    if len(years) < 2:
        return [], []
    heads = [L.pick(lang, "单位", "unit"), L.pick(lang, "项目", "project")]
    for year in years:
        heads += [
            L.pick(lang, f"{year} 复核总分", f"{year} policy total"),
            L.pick(lang, f"{year} 自评总分", f"{year} self total"),
            L.pick(lang, f"{year} 差异", f"{year} difference"),
        ]
    rows: list[Row] = []
    for (unit, project), found in sorted(by_key.items()):
        cells: list[Cell] = [unit or None, project or None]
        for year in years:
            got = found.get(year)
            if got is None:
                cells += [None, None, None]
            else:
                cells += [got.total, got.self_total, got.delta]
        rows.append(Row(tuple(cells)))
    return heads, rows
