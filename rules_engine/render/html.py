"""Render a scorecard as one self-contained HTML page: a table per form, each trace folded."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L
from rules_engine.render import select, trace_facts
from rules_engine.scorecard import Flag, FormResult, LineResult, Scorecard

STYLE = """
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 2em; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.subtotal td { color: #666; font-style: italic; }
.met { color: #1a7f37; } .partial { color: #9a6700; } .missed { color: #cf222e; }
.review { color: #8250df; } .flag { color: #9a6700; } .flag.error { color: #cf222e; }
.summary { font-weight: bold; } .source { color: #888; font-size: 0.9em; }
.neg { color: #fff; background: #cf222e; font-weight: bold; }
"""
# Every line's reasoning is folded on screen and unfolded on paper.
PRINT_OPEN = (
    '<script>addEventListener("beforeprint", () => '
    'document.querySelectorAll("details").forEach((d) => { d.open = true; }));</script>'
)


def render(
    card: Scorecard,
    lang: Lang = "zh",
    *,
    line: tuple[int, int] | None = None,
    notes: trace_facts.RuleNotes | None = None,
    chosen: str | None = None,
    only: select.Only = select.EVERY,
) -> str:
    """The page (only one line's trace when `line` is given), newline-ended.

    `chosen` (how the policy was picked) is shown under the first heading; `only` narrows each
    form's list of lines.
    """
    title = L.pick(lang, "评分说明", "Score explanation")
    body: list[str] = []
    glossary = card.policy.english
    why = [f'<p class="source">{escape(chosen)}</p>'] if chosen else []
    if line is not None:
        form_no, line_no = line
        result = card.forms[form_no - 1]
        body.extend([f"<h2>{escape(L.header(card.policy.path, result, lang))}</h2>", *why])
        if line_no in (trace_facts.BUDGET_LINE, trace_facts.TOTAL_LINE):
            body.extend(block(result, line_no, lang, glossary))
        else:
            picked = next(x for x in result.lines if x.index == line_no)
            body.extend(trace(result, picked, lang, open_=True, notes=notes, glossary=glossary))
    else:
        for number, result in enumerate(card.forms, start=1):
            body.append(f"<h2>{escape(L.header(card.policy.path, result, lang))}</h2>")
            if number == 1:
                body.extend(why)
            body.extend(form_view(result, lang, notes, glossary, only))
    html_lang = "zh-CN" if lang == "zh" else "en"
    head = (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>"
    )
    return "\n".join([head, *body, PRINT_OPEN, "</body>", "</html>"]) + "\n"


def _td(text: str, numeric: bool = False, cls: str = "") -> str:
    classes = " ".join(c for c in ("n" if numeric else "", cls) if c)
    attr = f' class="{classes}"' if classes else ""
    return f"<td{attr}>{escape(text)}</td>"


def _flags(flags: Sequence[Flag], lang: Lang) -> str:
    marks = " ".join(
        f'<span class="flag {flag.severity}">⚑ {escape(L.flag_text(flag, lang))}</span>'
        for flag in flags
    )
    return f"<td>{marks}</td>"


def _delta_td(value: Decimal | None) -> str:
    """A difference cell; a negative one (the unit scored itself higher) stands out."""
    return _td(L.signed(value), numeric=True, cls="neg" if value is not None and value < 0 else "")


def form_view(
    result: FormResult,
    lang: Lang,
    notes: trace_facts.RuleNotes | None = None,
    glossary: L.Glossary = L.NO_GLOSSARY,
    only: select.Only = select.EVERY,
) -> list[str]:
    """The table, the total line, flags and warnings, then each listed line's trace."""
    listed = select.view(result, only)
    notice = select.notice(result, only, lang)
    heading = [f'<p class="source">{escape(notice)}</p>'] if notice else []
    if result.form.kind == "targets-only":
        return [*heading, *_targets_view(result, listed, lang)]
    heads = ("#", "指标", "目标", "实际", "分值", "规则", "复核", "自评", "差异", "标记")
    heads_en = ("#", "indicator", "target", "actual", "weight", "rule", "policy", "self", "diff")
    names = heads if lang == "zh" else (*heads_en, "flags")
    out = [
        *heading,
        "<table>",
        "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in names) + "</tr>",
    ]
    subtotals = L.last_of_groups(listed)
    for line in listed.lines:
        cells = [
            _td(str(line.index), numeric=True),
            _td(L.indicator_label(line)),
            _td(L.text_or_dash(line.target)),
            _td(L.text_or_dash(line.actual)),
            _td(L.raw(line.weight), numeric=True),
            _td(L.rule_label(line, lang, glossary), cls=line.outcome),
            _td(L.number(line.score), numeric=True),
            _td(L.raw(line.self_score), numeric=True),
            _delta_td(line.delta),
            _flags(line.flags, lang),
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
        group = subtotals.get(line.index)
        if group is not None:
            cells = [
                _td(""),
                _td(L.subtotal_label(group, lang)),
                _td(""),
                _td(""),
                _td(L.raw(group.weight), numeric=True),
                _td(""),
                _td(L.number(group.score), numeric=True),
                _td(L.raw(group.self_score), numeric=True),
                _delta_td(L.group_delta(group)),
                _td(""),
            ]
            out.append('<tr class="subtotal">' + "".join(cells) + "</tr>")
    out.append("</table>")
    out.append(f'<p class="summary">{escape(L.summary(result, lang, glossary))}</p>')
    delta = result.total.delta
    if delta is not None:
        label = L.pick(lang, "总分差异（复核 − 自评）：", "total difference (policy − self): ")
        cls = ' class="neg"' if delta < 0 else ""
        out.append(f"<p>{escape(label)}<span{cls}>{escape(L.signed(delta))}</span></p>")
    out.extend(_notes(result, lang))
    for line in listed.lines:
        out.extend(trace(result, line, lang, notes=notes, glossary=glossary))
    return out


def _notes(result: FormResult, lang: Lang) -> list[str]:
    items = [
        f'<li class="flag {flag.severity}">⚑ {escape(flag.code)} '
        f"{escape(L.flag_text(flag, lang))}{_source(flag.source)}</li>"
        for flag in L.all_flags(result)
    ]
    items.extend(f"<li>! {escape(w)}</li>" for w in L.warnings(result, lang))
    return ["<ul>", *items, "</ul>"] if items else []


def _source(source: str | None) -> str:
    return f' <span class="source">{escape(source)}</span>' if source else ""


def _targets_view(result: FormResult, listed: FormResult, lang: Lang) -> list[str]:
    heads = ("#", "指标", "目标", "读作", "适用规则", "标记")
    heads_en = ("#", "indicator", "target", "read as", "rule that applies", "flags")
    names = heads if lang == "zh" else heads_en
    out = ["<table>", "<tr>" + "".join(f"<th>{escape(h)}</th>" for h in names) + "</tr>"]
    for line in listed.lines:
        cells = [
            _td(str(line.index), numeric=True),
            _td(L.indicator_label(line)),
            _td(L.text_or_dash(line.target)),
            _td(L.reading(line.target_value, lang)),
            _td(line.rule or L.pick(lang, "无（待复核）", "none (review)")),
            _flags(line.flags, lang),
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    out.append(
        '<p class="summary">'
        + escape(
            L.pick(lang, "目标表：只列目标，不计分。", "Targets-only form: nothing is scored.")
        )
        + "</p>"
    )
    missing = L.unquantified(result)
    if missing and L.quantified_share(result) is None:
        spans = L.runs(missing, lang)
        text = L.pick(
            lang,
            f"目标未量化的指标 {len(missing)} 条：第{spans}行",
            f"{len(missing)} lines have no quantified target: {spans}",
        )
        out.append(f"<p>{escape(text)}</p>")
    out.extend(_notes(result, lang))
    return out


def trace(
    result: FormResult,
    line: LineResult,
    lang: Lang,
    *,
    open_: bool = False,
    notes: trace_facts.RuleNotes | None = None,
    glossary: L.Glossary = L.NO_GLOSSARY,
) -> list[str]:
    """One line's trace as a folded block: facts, numbered steps with sources, flags."""
    summary = f"{line.index}. {L.full_path(line)}"
    out = [f"<details{' open' if open_ else ''}>", f"<summary>{escape(summary)}</summary>", "<dl>"]
    for label, value in trace_facts.trace_head(result, line, lang, notes, glossary)[1:]:
        out.append(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>")
    if line.steps:
        out.append(f"<dt>{escape(L.pick(lang, '步骤', 'steps'))}</dt><dd><ol>")
        out.extend(
            f"<li>{escape(L.step_text(step, lang, glossary))}{_source(step.source)}</li>"
            for step in line.steps
        )
        out.append("</ol></dd>")
    for label, value in trace_facts.trace_tail(result, line, lang):
        negative = label in ("差异", "difference") and line.delta is not None and line.delta < 0
        cls = ' class="neg"' if negative else ""
        out.append(f"<dt>{escape(label)}</dt><dd{cls}>{escape(value)}</dd>")
    for flag in line.flags:
        out.append(
            f'<dt>⚑</dt><dd class="flag {flag.severity}">{escape(flag.code)} '
            f"{escape(L.flag_text(flag, lang))}{_source(flag.source)}</dd>"
        )
    out.extend(["</dl>", "</details>"])
    return out


def block(
    result: FormResult, which: int, lang: Lang, glossary: L.Glossary = L.NO_GLOSSARY
) -> list[str]:
    """The budget block's or the total's trace, unfolded."""
    title, facts, steps, flags = trace_facts.block_trace(result, which, lang, glossary)
    out = ["<details open>", f"<summary>{escape(title)}</summary>", "<dl>"]
    out.extend(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in facts)
    if steps:
        out.append(f"<dt>{escape(L.pick(lang, '步骤', 'steps'))}</dt><dd><ol>")
        out.extend(
            f"<li>{escape(L.step_text(step, lang, glossary))}{_source(step.source)}</li>"
            for step in steps
        )
        out.append("</ol></dd>")
    out.extend(
        f'<dt>⚑</dt><dd class="flag {flag.severity}">{escape(flag.code)} '
        f"{escape(L.flag_text(flag, lang))}{_source(flag.source)}</dd>"
        for flag in flags
    )
    out.extend(["</dl>", "</details>"])
    return out
