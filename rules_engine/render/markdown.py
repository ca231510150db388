"""Render a scorecard as GitHub-flavoured Markdown: one table per form, then every line's trace."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L
from rules_engine.render import select, trace_facts
from rules_engine.scorecard import Flag, FormResult, LineResult, Scorecard


def render(
    card: Scorecard,
    lang: Lang = "zh",
    *,
    line: tuple[int, int] | None = None,
    notes: trace_facts.RuleNotes | None = None,
    chosen: str | None = None,
    only: select.Only = select.EVERY,
) -> str:
    """The whole scorecard (or one line's trace when `line` is given), newline-ended.

    `chosen` (how the policy was picked) is shown under the first heading; `only` narrows each
    form's list of lines.
    """
    out: list[str] = []
    glossary = card.policy.english
    why = [f"_{_cell(chosen)}_", ""] if chosen else []
    if line is not None:
        form_no, line_no = line
        result = card.forms[form_no - 1]
        out.extend([f"## {_cell(L.header(card.policy.path, result, lang))}", "", *why])
        if line_no in (trace_facts.BUDGET_LINE, trace_facts.TOTAL_LINE):
            out.extend(block(result, line_no, lang, glossary))
        else:
            picked = next(x for x in result.lines if x.index == line_no)
            out.extend(trace(result, picked, lang, notes, glossary))
        return "\n".join(out) + "\n"
    for number, result in enumerate(card.forms, start=1):
        if number > 1:
            out.append("")
        out.extend([f"## {_cell(L.header(card.policy.path, result, lang))}", ""])
        if number == 1:
            out.extend(why)
        out.extend(form_view(result, lang, notes, glossary, only))
    return "\n".join(out) + "\n"


# What a form's text could use to break a table cell or start markup: HTML (a script, an image
# that fetches a remote address), links and images (``[..](javascript:..)``), emphasis, code.
_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "|": "\\|",
        "*": "\\*",
        "[": "\\[",
        "]": "\\]",
        "`": "\\`",
        "\n": " ",
        "\r": " ",
    }
)


# A ``<`` that could open a tag, a comment or an autolink, and an ``&`` that could spell an entity
# (``&#60;script>``); ``实际 2 < 下限 3`` and ``A & B`` stay as they are.
_TAG_OPEN = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")


def _cell(text: str) -> str:
    """Escape what would break a table cell or start markup (HTML, links, images, code)."""
    text = _ENTITY.sub("&amp;", text.translate(_ESCAPES))
    return _TAG_OPEN.sub("&lt;", text)


def _code(text: str) -> str:
    """`text` as inline code: a code span ends at a backtick, so one inside takes a longer fence."""
    text = text.replace("\n", " ").replace("\r", " ")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _flags(flags: Sequence[Flag], lang: Lang) -> str:
    return " ".join(f"⚑ {_cell(L.flag_text(f, lang))}" for f in flags)


def _delta(value: Decimal | None) -> str:
    """A difference; a negative one (the unit scored itself higher) in bold with a mark."""
    text = L.signed(value)
    return f"**▼{text}**" if value is not None and value < 0 else text


def form_view(
    result: FormResult,
    lang: Lang,
    notes: trace_facts.RuleNotes | None = None,
    glossary: L.Glossary = L.NO_GLOSSARY,
    only: select.Only = select.EVERY,
) -> list[str]:
    """The table, the total line, flags and warnings, then every listed line's reasoning."""
    listed = select.view(result, only)
    notice = select.notice(result, only, lang)
    heading = [f"_{_cell(notice)}_", ""] if notice else []
    if result.form.kind == "targets-only":
        return [*heading, *_targets_view(result, listed, lang)]
    heads = ["#", "指标", "目标", "实际", "分值", "规则", "复核", "自评", "差异", "标记"]
    heads_en = [
        "#",
        "indicator",
        "target",
        "actual",
        "weight",
        "rule",
        "policy",
        "self",
        "diff",
        "flags",
    ]
    out = [
        *heading,
        _row(heads if lang == "zh" else heads_en),
        _row(["---:", "---", "---", "---", "---:", "---", "---:", "---:", "---:", "---"]),
    ]
    subtotals = L.last_of_groups(listed)
    for line in listed.lines:
        out.append(
            _row(
                [
                    str(line.index),
                    _cell(L.indicator_label(line)),
                    _cell(L.text_or_dash(line.target)),
                    _cell(L.text_or_dash(line.actual)),
                    L.raw(line.weight),
                    _cell(L.rule_label(line, lang, glossary)),
                    L.number(line.score),
                    L.raw(line.self_score),
                    _delta(line.delta),
                    _flags(line.flags, lang),
                ]
            )
        )
        group = subtotals.get(line.index)
        if group is not None:
            out.append(
                _row(
                    [
                        "",
                        f"*{_cell(L.subtotal_label(group, lang))}*",
                        "",
                        "",
                        L.raw(group.weight),
                        "",
                        L.number(group.score),
                        L.raw(group.self_score),
                        _delta(L.group_delta(group)),
                        "",
                    ]
                )
            )
    out.extend(["", f"**{_cell(L.summary(result, lang, glossary))}**"])
    delta = result.total.delta
    if delta is not None:
        label = L.pick(lang, "总分差异（复核 − 自评）：", "total difference (policy − self): ")
        out.extend(["", label + _delta(delta)])
    out.extend(_notes(result, lang))
    out.extend(["", "### " + L.pick(lang, "逐行说明", "Line by line")])
    for line in listed.lines:
        out.append("")
        out.extend(trace(result, line, lang, notes, glossary))
    return out


def _notes(result: FormResult, lang: Lang) -> list[str]:
    out: list[str] = []
    flags = L.all_flags(result)
    warnings = L.warnings(result, lang)
    if flags or warnings:
        out.append("")
    for flag in flags:
        source = f" ({_code(flag.source)})" if flag.source else ""
        out.append(f"- ⚑ {_code(flag.code)} {_cell(L.flag_text(flag, lang))}{source}")
    out.extend(f"- ! {_cell(w)}" for w in warnings)
    return out


def _targets_view(result: FormResult, listed: FormResult, lang: Lang) -> list[str]:
    heads = ["#", "指标", "目标", "读作", "适用规则", "标记"]
    heads_en = ["#", "indicator", "target", "read as", "rule that applies", "flags"]
    out = [
        _row(heads if lang == "zh" else heads_en),
        _row(["---:", "---", "---", "---", "---", "---"]),
    ]
    for line in listed.lines:
        out.append(
            _row(
                [
                    str(line.index),
                    _cell(L.indicator_label(line)),
                    _cell(L.text_or_dash(line.target)),
                    _cell(L.reading(line.target_value, lang)),
                    _cell(line.rule or L.pick(lang, "无（待复核）", "none (review)")),
                    _flags(line.flags, lang),
                ]
            )
        )
    out.extend(
        [
            "",
            "**"
            + L.pick(lang, "目标表：只列目标，不计分。", "Targets-only form: nothing is scored.")
            + "**",
        ]
    )
    missing = L.unquantified(result)
    if missing and L.quantified_share(result) is None:
        spans = L.runs(missing, lang)
        out.append("")
        out.append(
            L.pick(
                lang,
                f"目标未量化的指标 {len(missing)} 条：第{spans}行",
                f"{len(missing)} lines have no quantified target: {spans}",
            )
        )
    out.extend(_notes(result, lang))
    return out


def trace(
    result: FormResult,
    line: LineResult,
    lang: Lang,
    notes: trace_facts.RuleNotes | None = None,
    glossary: L.Glossary = L.NO_GLOSSARY,
) -> list[str]:
    """One line's trace as a heading, a fact list, the numbered steps and the flags."""
    out = [f"#### {line.index}. {_cell(L.full_path(line))}", ""]
    # The heading already names the line; the facts start with where it is.
    for label, value in trace_facts.trace_head(result, line, lang, notes, glossary)[1:]:
        out.append(f"- **{label}**: {_cell(value)}")
    if line.steps:
        out.append(f"- **{L.pick(lang, '步骤', 'steps')}**:")
        for n, step in enumerate(line.steps, start=1):
            source = f" ({_code(step.source)})" if step.source else ""
            out.append(f"  {n}. {_cell(L.step_text(step, lang, glossary))}{source}")
    for label, value in trace_facts.trace_tail(result, line, lang):
        if label in ("差异", "difference") and line.delta is not None and line.delta < 0:
            out.append(f"- **{label}**: **▼{_cell(value)}**")
            continue
        out.append(f"- **{label}**: {_cell(value)}")
    for flag in line.flags:
        source = f" ({_code(flag.source)})" if flag.source else ""
        out.append(f"- ⚑ {_code(flag.code)} {_cell(L.flag_text(flag, lang))}{source}")
    return out


def block(
    result: FormResult, which: int, lang: Lang, glossary: L.Glossary = L.NO_GLOSSARY
) -> list[str]:
    """The budget block's or the total's trace: heading, facts, numbered steps, flags."""
    title, facts, steps, flags = trace_facts.block_trace(result, which, lang, glossary)
    out = [f"#### {_cell(title)}", ""]
    out.extend(f"- **{label}**: {_cell(value)}" for label, value in facts)
    if steps:
        out.append(f"- **{L.pick(lang, '步骤', 'steps')}**:")
        for n, step in enumerate(steps, start=1):
            source = f" ({_code(step.source)})" if step.source else ""
            out.append(f"  {n}. {_cell(L.step_text(step, lang, glossary))}{source}")
    for flag in flags:
        source = f" ({_code(flag.source)})" if flag.source else ""
        out.append(f"- ⚑ {_code(flag.code)} {_cell(L.flag_text(flag, lang))}{source}")
    return out
