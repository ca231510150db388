"""The batch report as one self-contained HTML page: a sortable summary, inline SVG charts of the
differences and the flags, then every form's explanation (folded on screen, unfolded on paper)."""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from decimal import Decimal
from html import escape
from typing import IO

from rules_engine.diagnostics import Lang
from rules_engine.render import html
from rules_engine.render import labels as L
from rules_engine.render.columns import SUMMARY_COLUMNS, Cell
from rules_engine.render.rows import (
    Row,
    RunInfo,
    ScoredFile,
    YearEntry,
    policy_label,
    summary_row,
    targets_only,
    year_entry,
    year_rows,
)

# The 汇总 columns the page's table shows (the workbook has them all); 复核总分 shows the range
# when the total is not final, and sorts by its lowest value.
_SHOWN = (
    "file",
    "kind",
    "project",
    "unit",
    "year",
    "score",
    "grade",
    "self_score",
    "delta",
    "pending",
    "flag_count",
)
_INDEX = {column.key: i for i, column in enumerate(SUMMARY_COLUMNS)}
_NUMERIC = {"int", "score", "rate"}

_STYLE = """
h1 { font-size: 1.5em; } .meta { color: #555; }
#summary { font-size: 0.9em; } #summary td.file { word-break: break-all; max-width: 24em; }
table.sortable th { cursor: pointer; user-select: none; white-space: nowrap; }
table.sortable th[aria-sort="ascending"]::after { content: " ▲"; }
table.sortable th[aria-sort="descending"]::after { content: " ▼"; }
tr.pending td { background: #fff2cc; }
svg text { font-size: 12px; font-family: inherit; }
section.form { border-top: 2px solid #ccc; margin-top: 2em; }
@media print { section.form { break-before: page; } table.sortable th::after { content: ""; } }
"""
# Click a heading to sort by it; a second click reverses. Numbers sort by value, blanks last.
_SORT = """<script>
document.querySelectorAll("table.sortable").forEach((table) => {
  const heads = Array.from(table.tHead.rows[0].cells);
  heads.forEach((th, col) => th.addEventListener("click", () => {
    const up = th.getAttribute("aria-sort") !== "ascending";
    heads.forEach((h) => h.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", up ? "ascending" : "descending");
    const numeric = th.dataset.type === "num";
    const key = (row) => row.cells[col].dataset.sort ?? row.cells[col].textContent;
    const body = table.tBodies[0];
    const rows = Array.from(body.rows);
    rows.sort((a, b) => {
      const x = key(a), y = key(b);
      if (x === "" || y === "") return (x === "") - (y === "");
      const order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
      return up ? order : -order;
    });
    rows.forEach((row) => body.appendChild(row));
  }));
});
</script>"""
_BAR, _GAP, _LABEL, _PLOT = 18, 4, 260, 360


def _sort_key(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal | int):
        return str(value)
    return value


def _shown(value: Cell, kind: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return L.percent(value) if kind == "rate" else L.number(value)
    return str(value)


class HtmlReportWriter:
    """Collects the summary rows and writes each form's explanation to a scratch file as it comes;
    `close` writes the page: heading, summary, charts, then the explanations."""

    def __init__(self, stream: IO[str], lang: Lang, run: RunInfo) -> None:
        self._stream = stream
        self._lang: Lang = lang
        self._run = run
        self._rows: list[tuple[int, Row, Decimal | None]] = []
        self._deltas: list[tuple[str, Decimal]] = []
        self._flags: Counter[str] = Counter()
        self._years: list[YearEntry] = []
        self._policies: dict[str, str] = {}
        self._body = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 - closed in close

    def write(self, item: ScoredFile) -> None:
        """Add the file's forms to the summary and charts, and their explanations to the page."""
        lang = self._lang
        card = item.card
        glossary = card.policy.english
        self._policies.setdefault(policy_label(card.policy), card.policy.path)
        for form_no, result in enumerate(card.forms, start=1):
            anchor = len(self._rows) + 1
            row = summary_row(item, form_no, result, lang)
            low = result.total.score if result.total.final else result.total.low
            self._rows.append((anchor, row, None if targets_only(result) else low))
            name = item.shown if len(card.forms) == 1 else f"{item.shown} #{form_no}"
            if result.total.delta is not None and not targets_only(result):
                self._deltas.append((name, result.total.delta))
            self._flags.update(flag.code for flag in L.all_flags(result))
            self._flags.update(flag.code for line in result.lines for flag in line.flags)
            entry = year_entry(item, result, lang)
            if entry is not None:
                self._years.append(entry)
            head = L.header(card.policy.path, result, lang)
            self._body.write(
                f'<section class="form" id="form-{anchor}">\n'
                f"<h2>{escape(name)}</h2>\n<p>{escape(head)}</p>\n"
            )
            view = html.form_view(result, lang, item.notes, glossary)
            self._body.write("\n".join(view))
            self._body.write("\n</section>\n")

    def close(self) -> None:
        """Write the whole page to the stream."""
        lang = self._lang
        out = self._stream
        title = L.pick(lang, "批量评分报告", "Batch scoring report")
        html_lang = "zh-CN" if lang == "zh" else "en"
        out.write(
            f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{escape(title)}</title>\n<style>{html.STYLE}{_STYLE}</style>\n</head>\n"
            f"<body>\n<h1>{escape(title)}</h1>\n"
        )
        out.write("\n".join(self._meta()) + "\n")
        out.write("\n".join(self._summary()) + "\n")
        out.write("\n".join(self._charts()) + "\n")
        out.write("\n".join(self._year_table()) + "\n")
        self._body.seek(0)
        shutil.copyfileobj(self._body, out)
        self._body.close()
        out.write(f"{_SORT}\n{html.PRINT_OPEN}\n</body>\n</html>\n")

    def abort(self) -> None:
        """Close the scratch file of explanations."""
        self._body.close()

    def _meta(self) -> list[str]:
        lang, run = self._lang, self._run
        when = run.started.strftime("%Y-%m-%d %H:%M:%S %z").strip()
        facts = [
            L.pick(lang, f"共 {len(self._rows)} 张表", f"{len(self._rows)} forms"),
            f"rules-engine {run.version}",
            L.pick(lang, f"运行时间 {when}", f"run at {when}"),
        ]
        policies = [f"{label} ({path})" for label, path in sorted(self._policies.items())]
        if policies:
            facts.append(L.pick(lang, "规则 ", "policy ") + ", ".join(policies))
        return [f'<p class="meta">{escape(" · ".join(facts))}</p>']

    def _summary(self) -> list[str]:
        lang = self._lang
        columns = [SUMMARY_COLUMNS[_INDEX[key]] for key in _SHOWN]
        heads = "".join(
            f'<th data-type="{"num" if c.kind in _NUMERIC else "text"}" title="'
            f'{escape(c.help(lang))}">{escape(c.heading(lang))}</th>'
            for c in columns
        )
        out = [
            f"<h2>{escape(L.pick(lang, '汇总', 'Summary'))}</h2>",
            '<table class="sortable" id="summary">',
            f"<thead><tr>{heads}</tr></thead>",
            "<tbody>",
        ]
        for anchor, row, low in self._rows:
            cells = []
            for column in columns:
                value = row.cells[_INDEX[column.key]]
                sort = escape(_sort_key(value), quote=True)
                if column.key == "score" and value is None:
                    value = row.cells[_INDEX["range"]]
                    sort = escape(_sort_key(low), quote=True)
                text = escape(_shown(value, column.kind))
                if column.key == "file":
                    text = f'<a href="#form-{anchor}">{text}</a>'
                numeric = column.kind in _NUMERIC
                classes = ["n"] if numeric else [column.key]
                if column.key == "delta" and isinstance(value, Decimal) and value < 0:
                    classes.append("neg")
                cls = f' class="{" ".join(classes)}"'
                cells.append(f'<td{cls} data-sort="{sort}">{text}</td>')
            pending = ' class="pending"' if row.review else ""
            out.append(f"<tr{pending}>{''.join(cells)}</tr>")
        out.extend(["</tbody>", "</table>"])
        return out

    def _charts(self) -> list[str]:
        lang = self._lang
        out = [
            f"<h2>{escape(L.pick(lang, '差异（复核 − 自评）', 'Difference (policy − self)'))}</h2>"
        ]
        if self._deltas:
            out.append(_delta_chart(self._deltas, lang))
        else:
            out.append(
                f"<p>{escape(L.pick(lang, '没有可比较的总分。', 'No totals to compare.'))}</p>"
            )
        out.append(f"<h2>{escape(L.pick(lang, '复核标记', 'Review flags'))}</h2>")
        if self._flags:
            counts = sorted(self._flags.items(), key=lambda kv: (-kv[1], kv[0]))
            out.append(_count_chart(counts, lang))
        else:
            out.append(f"<p>{escape(L.pick(lang, '没有复核标记。', 'No review flags.'))}</p>")
        return out

    def _year_table(self) -> list[str]:
        heads, rows = year_rows(self._years, self._lang)
        if not rows:
            return []
        lang = self._lang
        out = [
            f"<h2>{escape(L.pick(lang, '各年度对比', 'Years side by side'))}</h2>",
            '<table class="sortable" id="years">',
            "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr></thead>",
            "<tbody>",
        ]
        for row in rows:
            cells = "".join(
                f'<td data-sort="{escape(_sort_key(v))}">{escape(_shown(v, "score"))}</td>'
                for v in row.cells
            )
            out.append(f"<tr>{cells}</tr>")
        out.extend(["</tbody>", "</table>"])
        return out


def _delta_chart(deltas: list[tuple[str, Decimal]], lang: Lang) -> str:
    """Horizontal bars around a zero line: left and red where the unit scored itself higher."""
    widest = max((abs(d) for _, d in deltas), default=Decimal(0)) or Decimal(1)
    half = _PLOT / 2
    height = len(deltas) * (_BAR + _GAP) + _GAP
    width = _LABEL + _PLOT + 60
    zero = _LABEL + half
    label = L.pick(lang, "每张表的总分差异", "total difference per form")
    parts = [
        f'<svg class="chart" id="delta-chart" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" role="img" aria-label="{escape(label)}">',
        f'<line x1="{zero}" y1="0" x2="{zero}" y2="{height}" stroke="#888"/>',
    ]
    for i, (name, delta) in enumerate(deltas):
        y = _GAP + i * (_BAR + _GAP)
        length = float(abs(delta) / widest) * half
        x = zero - length if delta < 0 else zero
        colour = "#cf222e" if delta < 0 else "#1a7f37"
        shown = escape(L.signed(delta))
        parts.append(
            f"<g><title>{escape(name)}: {shown}</title>"
            f'<text x="{_LABEL - 6}" y="{y + 13}" text-anchor="end">{escape(_cut(name))}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{max(length, 1):.1f}" height="{_BAR}"'
            f' fill="{colour}"/>'
            f'<text x="{_LABEL + _PLOT + 4}" y="{y + 13}">{shown}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _count_chart(counts: list[tuple[str, int]], lang: Lang) -> str:
    """One bar per flag code, longest first."""
    most = max(count for _, count in counts)
    height = len(counts) * (_BAR + _GAP) + _GAP
    width = _LABEL + _PLOT + 60
    label = L.pick(lang, "各复核标记的次数", "how often each review flag was raised")
    parts = [
        f'<svg class="chart" id="flag-chart" xmlns="http://www.w3.org/2000/svg" width="{width}"'
        f' height="{height}" role="img" aria-label="{escape(label)}">'
    ]
    for i, (code, count) in enumerate(counts):
        y = _GAP + i * (_BAR + _GAP)
        length = count / most * _PLOT
        parts.append(
            f"<g><title>{escape(code)}: {count}</title>"
            f'<text x="{_LABEL - 6}" y="{y + 13}" text-anchor="end">{escape(_cut(code))}</text>'
            f'<rect x="{_LABEL}" y="{y}" width="{max(length, 1):.1f}" height="{_BAR}"'
            f' fill="#9a6700"/>'
            f'<text x="{_LABEL + length + 4:.1f}" y="{y + 13}">{count}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _cut(text: str, most: int = 34) -> str:
    """A label short enough for the chart's margin (the full text is in the bar's tooltip)."""
    return text if len(text) <= most else "…" + text[-(most - 1) :]
