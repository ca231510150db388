"""Render a scorecard for the terminal: a table per form, totals, flags, and a line's full trace."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L
from rules_engine.render import select, trace_facts
from rules_engine.scorecard import Flag, FormResult, LineResult, Scorecard

_SEVERITY_STYLE = {"info": "cyan", "warning": "yellow", "error": "red"}
_OUTCOME_STYLE = {
    "met": "green",
    "partial": "yellow",
    "missed": "red",
    "review": "magenta",
    "not_applicable": "dim",
}
# A self-score above the policy's (a negative difference) is what a reviewer looks for first.
_DELTA_STYLE = "bold red reverse"
# Tables pad every row to their width; trailing blanks (before any closing colour code) go.
# Narrower consoles get the compact table: names without their category path, flags as marks
# in the table and spelled out under it.
COMPACT_BELOW = 110
_TRAILING = re.compile(r"[ \t]+((?:\x1b\[[0-9;]*m)*)$", re.MULTILINE)


def render(
    card: Scorecard,
    console: Console,
    lang: Lang = "zh",
    *,
    line: tuple[int, int] | None = None,
    chosen: str | None = None,
    notes: trace_facts.RuleNotes | None = None,
    only: select.Only = select.EVERY,
) -> None:
    """Print `card` on `console`: every form, or only the trace of (form, line) when `line` is set.

    `chosen` says how the policy was picked; it is shown under the first header. `notes` gives
    each rule's basis and 说明 for the line trace; `only` narrows each form's list of lines.
    """
    parts: list[RenderableType] = []
    glossary = card.policy.english
    if line is not None:
        form_no, line_no = line
        result = card.forms[form_no - 1]
        parts.append(Text(L.header(card.policy.path, result, lang), style="bold"))
        if chosen:
            parts.append(Text(chosen, style="dim"))
        if line_no in (trace_facts.BUDGET_LINE, trace_facts.TOTAL_LINE):
            parts.append(block(result, line_no, lang, glossary))
        else:
            parts.append(trace(result, find(result, line_no), lang, notes, glossary))
    else:
        for number, result in enumerate(card.forms, start=1):
            if number > 1:
                parts.append(Text())
            parts.append(Text(L.header(card.policy.path, result, lang), style="bold"))
            if chosen and number == 1:
                parts.append(Text(chosen, style="dim"))
            parts.append(form_view(result, lang, width=console.width, glossary=glossary, only=only))
    emit(console, parts)


def emit(console: Console, parts: list[RenderableType]) -> None:
    """Print `parts` without the blanks rich pads table rows with, so output diffs cleanly."""
    with console.capture() as captured:
        for part in parts:
            console.print(part)
    console.file.write(_TRAILING.sub(r"\1", captured.get()))
    console.file.flush()


def find(result: FormResult, index: int) -> LineResult:
    """The line numbered `index` (KeyError when the form has none)."""
    for line in result.lines:
        if line.index == index:
            return line
    raise KeyError(index)


def form_view(
    result: FormResult,
    lang: Lang,
    width: int = 120,
    glossary: L.Glossary = L.NO_GLOSSARY,
    only: select.Only = select.EVERY,
) -> RenderableType:
    """The table of one form, then its budget and total line, flags and reader warnings.

    Below `COMPACT_BELOW` columns the table is compact; the widths a wide table asks for
    (`NAME_MIN`, a short flag kept whole) are only asked from 120 columns on, so a row is
    never wider than the console (rich would crop it). `only` narrows the table's lines; the
    totals and the form's flags stay whole.
    """
    compact = width < COMPACT_BELOW
    listed = select.view(result, only)
    notice = select.notice(result, only, lang)
    heading: list[RenderableType] = [Text(notice, style="dim")] if notice else []
    if result.form.kind == "targets-only":
        return Group(*heading, _targets_view(result, listed, lang, compact))
    parts: list[RenderableType] = [
        *heading,
        _score_table(listed, lang, compact, roomy=width >= 120, glossary=glossary),
        _summary(result, lang, glossary),
    ]
    parts.extend(_notes(listed, lang, compact, summarised=L.UNQUANTIFIED_FLAG))
    return Group(*parts)


def _label(line: LineResult, compact: bool) -> str:
    return (
        L.short_name(line.name) or L.indicator_label(line) if compact else L.indicator_label(line)
    )


def _marks(flags: Sequence[Flag], lang: Lang, compact: bool) -> Text:
    if not compact:
        return _flag_marks(flags, lang)
    text = Text()
    for flag in flags:
        text.append("⚑", style=_SEVERITY_STYLE[flag.severity])
    return text


# Widths (terminal cells) that keep a wide table readable: names never squeezed below
# NAME_MIN, a flag text up to FLAG_MAX on one line (the seed's longest flag is 30 + 1 blank).
NAME_MIN = 20
FLAG_MAX = 33


def _table(
    heads: tuple[tuple[str, str], ...],
    numeric: set[int],
    lang: Lang,
    flags: int = -1,
    flag_width: int = 0,
) -> Table:
    # One blank before each column (the separator is another): two cells between columns
    # leave the indicator names and flag texts room at 120 columns.
    table = Table(
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 0, 0, 1),
        header_style="bold",
    )
    for col, (zh, en) in enumerate(heads):
        table.add_column(
            L.pick(lang, zh, en),
            justify="right" if col in numeric else "left",
            no_wrap=col in numeric,
            overflow="fold",
            # The name column never shrinks to a sliver; a flag up to FLAG_MAX cells keeps to
            # one line (a broken flag is the hardest text to read), a longer one wraps.
            min_width=(NAME_MIN if col == 1 and flags >= 0 else None)
            # (widths count the one blank of padding before the text).
            or (flag_width + 1 if col == flags and 0 < flag_width < FLAG_MAX else None),
            max_width=FLAG_MAX if col == flags else None,
        )
    return table


def _summary(result: FormResult, lang: Lang, glossary: L.Glossary) -> Text:
    """The budget and total line; a self total above the reviewed one stands out."""
    text = Text(L.summary(result, lang, glossary), style="bold")
    delta = result.total.delta
    if delta is not None:
        shown = L.pick(lang, f" · 差异 {L.signed(delta)}", f" · difference {L.signed(delta)}")
        text.append(shown, style=_DELTA_STYLE if delta < 0 else "bold")
    return text


def _delta(value: Decimal | None) -> Text:
    """A difference cell: a negative one (the unit scored itself higher) stands out."""
    return Text(L.signed(value), style=_DELTA_STYLE if value is not None and value < 0 else "")


def _score_table(
    result: FormResult, lang: Lang, compact: bool, roomy: bool, glossary: L.Glossary
) -> Table:
    heads = (
        ("#", "#"),
        ("指标", "indicator"),
        ("目标", "target"),
        ("实际", "actual"),
        ("分值", "weight"),
        ("规则", "rule"),
        ("复核", "policy"),
        ("自评", "self"),
        ("差异", "diff"),
        ("", ""),
    )
    widest = max(
        (cell_len(f"⚑ {L.flag_heading(f, lang)}") for line in result.lines for f in line.flags),
        default=0,
    )
    table = _table(heads, {0, 4, 6, 7, 8}, lang, 9 if roomy else -1, widest)
    subtotals = L.last_of_groups(result)
    for line in result.lines:
        table.add_row(
            str(line.index),
            _label(line, compact),
            L.text_or_dash(line.target),
            L.text_or_dash(line.actual),
            L.raw(line.weight),
            Text(L.rule_label(line, lang, glossary), style=_OUTCOME_STYLE[line.outcome]),
            L.number(line.score),
            L.raw(line.self_score),
            _delta(line.delta),
            _marks(line.flags, lang, compact),
        )
        group = subtotals.get(line.index)
        if group is not None:
            table.add_row(
                "",
                L.subtotal_label(group, lang),
                "",
                "",
                L.raw(group.weight),
                "",
                L.number(group.score),
                L.raw(group.self_score),
                _delta(L.group_delta(group)),
                "",
                style="dim",
                end_section=True,
            )
    return table


def _flag_marks(flags: Sequence[Flag], lang: Lang) -> Text:
    text = Text()
    for n, flag in enumerate(flags):
        if n:
            text.append("\n")
        text.append(f"⚑ {L.flag_heading(flag, lang)}", style=_SEVERITY_STYLE[flag.severity])
    return text


def _flag_lines(flags: Sequence[Flag], lang: Lang) -> Text:
    text = Text()
    for n, flag in enumerate(flags):
        if n:
            text.append("\n")
        text.append(
            f"⚑ {flag.code} {L.flag_text(flag, lang)}", style=_SEVERITY_STYLE[flag.severity]
        )
        if flag.source:
            text.append(f"  [{flag.source}]", style="dim")
    return text


def _notes(
    result: FormResult, lang: Lang, compact: bool = False, summarised: str | None = None
) -> list[RenderableType]:
    """Flags and warnings under a form: every line flag of a compact table (the table shows only
    marks), the target review's findings of a wide one (it shows their headings); a
    `summarised` flag code is left to its summary line."""
    notes: list[RenderableType] = []
    for line in result.lines:
        flags = [
            flag
            for flag in line.flags
            if flag.code != summarised and (compact or L.is_finding(flag))
        ]
        if flags:
            where = L.pick(lang, f"第 {line.index} 行 ", f"line {line.index} ")
            notes.append(Text(where).append_text(_flag_lines(flags, lang)))
    flags = L.all_flags(result)
    if flags:
        notes.append(_flag_lines(flags, lang))
    notes.extend(Text(f"! {w}", style="yellow") for w in L.warnings(result, lang))
    return notes


def _targets_view(
    result: FormResult, listed: FormResult, lang: Lang, compact: bool
) -> RenderableType:
    heads = (
        ("#", "#"),
        ("指标", "indicator"),
        ("目标", "target"),
        ("读作", "read as"),
        ("适用规则", "rule that applies"),
        ("", ""),
    )
    table = _table(heads, {0}, lang)
    for line in listed.lines:
        table.add_row(
            str(line.index),
            _label(line, compact),
            L.text_or_dash(line.target),
            L.reading(line.target_value, lang),
            line.rule or L.pick(lang, "无（待复核）", "none (review)"),
            _marks(line.flags, lang, compact),
        )
    parts: list[RenderableType] = [
        table,
        Text(
            L.pick(lang, "目标表：只列目标，不计分。", "targets-only form: nothing is scored."),
            style="bold",
        ),
    ]
    missing = L.unquantified(result)
    if missing and L.quantified_share(result) is None:
        spans = L.runs(missing, lang)
        parts.append(
            Text(
                L.pick(
                    lang,
                    f"目标未量化的指标 {len(missing)} 条：第{spans}行",
                    f"{len(missing)} lines have no quantified target: {spans}",
                )
            )
        )
    parts.extend(_notes(listed, lang, compact, summarised=L.UNQUANTIFIED_FLAG))
    return Group(*parts)


def trace(
    result: FormResult,
    line: LineResult,
    lang: Lang,
    notes: trace_facts.RuleNotes | None = None,
    glossary: L.Glossary = L.NO_GLOSSARY,
) -> RenderableType:
    """Everything behind one line's score, top to bottom, the way a reviewer checks it."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in trace_facts.trace_head(result, line, lang, notes, glossary):
        grid.add_row(label, value)
    steps = Text()
    for n, step in enumerate(line.steps, start=1):
        if n > 1:
            steps.append("\n")
        steps.append(f"{n}. {L.step_text(step, lang, glossary)}")
        if step.source:
            steps.append(f"  [{step.source}]", style="dim")
    grid.add_row(L.pick(lang, "步骤", "steps"), steps if line.steps else "—")
    for label, value in trace_facts.trace_tail(result, line, lang):
        style = _OUTCOME_STYLE[line.outcome] if label in ("复核得分", "policy score") else ""
        if label in ("差异", "difference") and line.delta is not None and line.delta < 0:
            style = _DELTA_STYLE
        grid.add_row(label, Text(value, style=style))
    flags = _flag_lines(line.flags, lang) if line.flags else L.pick(lang, "无", "none")
    grid.add_row(L.pick(lang, "标记", "flags"), flags)
    return grid


def block(
    result: FormResult, which: int, lang: Lang, glossary: L.Glossary = L.NO_GLOSSARY
) -> RenderableType:
    """The trace of the budget block or the total: facts, numbered steps, flags."""
    title, facts, steps, flags = trace_facts.block_trace(result, which, lang, glossary)
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(title, "")
    for label, value in facts:
        grid.add_row(label, value)
    text = Text()
    for n, step in enumerate(steps, start=1):
        if n > 1:
            text.append("\n")
        text.append(f"{n}. {L.step_text(step, lang, glossary)}")
        if step.source:
            text.append(f"  [{step.source}]", style="dim")
    grid.add_row(L.pick(lang, "步骤", "steps"), text if steps else "—")
    grid.add_row(
        L.pick(lang, "标记", "flags"),
        _flag_lines(flags, lang) if flags else L.pick(lang, "无", "none"),
    )
    return grid
