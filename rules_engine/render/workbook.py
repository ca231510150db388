"""The results workbook: 汇总, 指标, 标记, 目标表 (and 对比 across years) and 说明, cells typed.

Written with xlsxwriter in constant-memory mode: each row goes to disk as it is written, so a
batch of any size costs the same memory. Every cell is written as a number or as text (never
through a call that guesses a formula from an ``=``), and texts are made safe first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, NamedTuple

from rich.cells import cell_len

from rules_engine.diagnostics import Lang, UserError, define
from rules_engine.render import labels as L
from rules_engine.render.cells import safe_text
from rules_engine.render.columns import (
    FLAG_COLUMNS,
    LINE_COLUMNS,
    STEPS_COLUMN,
    SUMMARY_COLUMNS,
    TARGET_COLUMNS,
    Cell,
    Column,
    Kind,
)
from rules_engine.render.rows import (
    Row,
    RunInfo,
    ScoredFile,
    YearEntry,
    flag_rows,
    line_row,
    policy_label,
    summary_row,
    target_row,
    targets_only,
    year_entry,
    year_rows,
)

if TYPE_CHECKING:
    from rules_engine.scorecard import PolicyInfo

TOO_MANY_ROWS = define(
    "E470",
    "工作簿的「{sheet}」表超过 Excel 的行数上限（{most} 行），没有写出",
    "the workbook's sheet '{sheet}' would pass Excel's limit of {most} rows: not written",
    "分批评分，或写成 .csv 或 .jsonl（没有行数上限）。",
    "score the forms in batches, or write .csv or .jsonl, which have no row limit.",
)

# Sheet names in both languages.
SHEETS = {
    "summary": ("汇总", "summary"),
    "lines": ("指标", "lines"),
    "flags": ("标记", "flags"),
    "targets": ("目标表", "targets"),
    "years": ("对比", "years"),
    "notes": ("说明", "notes"),
}
_NUMBER_FORMATS: dict[Kind, str | None] = {
    "text": None,
    "int": "0",
    "score": "0.00",
    "rate": "0.00%",
}
_HEADER = {"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "valign": "top"}
_REVIEW_FILL = "#FFF2CC"
_NEGATIVE_FONT = "#C00000"
# Column widths in characters (a CJK character counts two), measured from the cells written.
# Longer texts wrap inside their cell (the row grows) rather than spill over the next columns.
_MIN_WIDTH, _MAX_WIDTH = 6, 40
_LINE_HEIGHT, _MOST_LINES = 15, 4
# Excel holds at most 1,048,576 rows in a sheet (the header is one) and 32,767 characters in a
# cell.
_MAX_ROWS = 1_048_576
_CELL_MAX = 32_767
_CUT = "…"


class _Sheet:
    """One worksheet being written row by row, remembering how wide each column has to be."""

    def __init__(
        self, book: _Formats, name: str, heads: list[str], kinds: list[Kind], negative: set[int]
    ) -> None:
        self.sheet = book.workbook.add_worksheet(name)
        self._formats = book
        self.kinds = kinds
        self.widths = [max(_MIN_WIDTH, cell_len(h) + 3) for h in heads]  # room for the arrow
        self.row = 0
        for col, head in enumerate(heads):
            self.sheet.write_string(0, col, head, book.header)
        # Columns whose negative figures are red (the differences).
        self.negative = negative

    def add(self, row: Row) -> None:
        """Append one row: numbers as numbers, texts made safe, review rows shaded."""
        self.row += 1
        if self.row >= _MAX_ROWS:
            # xlsxwriter would drop the rows past the sheet's end without a word.
            raise UserError.one(TOO_MANY_ROWS, 2, sheet=self.sheet.name, most=f"{_MAX_ROWS:,}")
        lines = max(
            (_TEXTS[value].lines for value in row.cells if isinstance(value, str)), default=1
        )
        if lines > 1:
            # Not every program sizes a row to its wrapped text: say how tall it is.
            self.sheet.set_row(self.row, _LINE_HEIGHT * min(lines, _MOST_LINES))
        for col, value in enumerate(row.cells):
            self._put(col, value, row.review)

    def _put(self, col: int, value: Cell, review: bool) -> None:
        kind = self.kinds[col] if col < len(self.kinds) else "text"
        if value is None:
            if review:
                self.sheet.write_blank(self.row, col, None, self._formats.get("text", review))
            return
        if isinstance(value, str):
            text = _TEXTS[value]
            self.sheet.write_string(self.row, col, text.safe, self._formats.get("text", review))
            self._widen(col, text.width)
            return
        negative = isinstance(value, Decimal) and value < 0 and col in self.negative
        fmt = self._formats.get(kind, review, negative)
        # The one place a Decimal becomes a float: the workbook stores numbers as doubles.
        self.sheet.write_number(self.row, col, float(value), fmt)
        self._widen(col, len(L.number(value) if isinstance(value, Decimal) else str(value)) + 2)

    def _widen(self, col: int, width: int) -> None:
        if col < len(self.widths) and width > self.widths[col]:
            self.widths[col] = min(width, _MAX_WIDTH)

    def finish(self) -> None:
        """Frozen header, a filter over every row, the column widths; printed landscape, one
        page wide, the header repeated on every page."""
        self.sheet.freeze_panes(1, 0)
        self.sheet.set_landscape()
        self.sheet.set_paper(9)  # A4
        self.sheet.fit_to_pages(1, 0)
        self.sheet.repeat_rows(0)
        self.sheet.autofilter(0, 0, self.row, len(self.widths) - 1)
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, width + 1)


class _Text(NamedTuple):
    """A text as a cell holds it: made safe, how wide its widest line is, how many lines it takes
    wrapped in a column of the widest width."""

    safe: str
    width: int
    lines: int


class _Texts(dict[str, _Text]):
    """Texts to their cells, remembered: file names, categories, rules and sources repeat on
    every line, and the workbook is written in the batch's one serial step."""

    def __missing__(self, text: str) -> _Text:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        safe = safe_text(text)
        if len(safe) > _CELL_MAX:
            safe = safe[: _CELL_MAX - 1] + _CUT
        widths = [cell_len(part) for part in safe.split("\n")]
        lines = sum(-(-max(width, 1) // _MAX_WIDTH) for width in widths)
        made = self[text] = _Text(safe, max(widths), lines)
        return made


_CACHE_LIMIT = 1 << 16
_TEXTS = _Texts()


class _Formats:
    """The workbook and its cell formats, made once per (kind, shaded, negative)."""

    def __init__(self, path: str, started: Any) -> None:
        import xlsxwriter  # noqa: PLC0415

        self.workbook = xlsxwriter.Workbook(
            path,
            {
                "constant_memory": True,
                # Belt and braces: every cell goes through write_string / write_number anyway.
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.workbook.set_properties({"created": started, "comments": "rules-engine"})
        self.header = self.workbook.add_format(_HEADER)
        self._made: dict[tuple[Kind, bool, bool], Any] = {}

    def get(self, kind: Kind, review: bool, negative: bool = False) -> Any:
        key = (kind, review, negative)
        if key not in self._made:
            spec: dict[str, object] = {"valign": "top"}
            if kind == "text":
                spec["text_wrap"] = True
            number = _NUMBER_FORMATS[kind]
            if number:
                spec["num_format"] = number
            if review:
                spec["bg_color"] = _REVIEW_FILL
            if negative:
                spec["font_color"] = _NEGATIVE_FONT
            self._made[key] = self.workbook.add_format(spec)
        return self._made[key]


def _sheet(book: _Formats, name: str, columns: tuple[Column, ...], lang: Lang) -> _Sheet:
    heads = [column.heading(lang) for column in columns]
    negative = {i for i, column in enumerate(columns) if column.key == "delta"}
    return _Sheet(book, name, heads, [column.kind for column in columns], negative)


class WorkbookWriter:
    """Writes every form of a batch into the workbook's sheets as it comes."""

    def __init__(self, path: str, lang: Lang, run: RunInfo, steps: bool = False) -> None:
        self._lang: Lang = lang
        self._run = run
        self._steps = steps
        self._book = _Formats(path, run.started)
        line_columns = (*LINE_COLUMNS, STEPS_COLUMN) if steps else LINE_COLUMNS
        self._columns = {
            "summary": SUMMARY_COLUMNS,
            "lines": line_columns,
            "flags": FLAG_COLUMNS,
            "targets": TARGET_COLUMNS,
        }
        self._sheets = {
            key: _sheet(self._book, L.pick(lang, *SHEETS[key]), columns, lang)
            for key, columns in self._columns.items()
        }
        self._policies: dict[tuple[str, str], PolicyInfo] = {}
        self._years: list[YearEntry] = []
        self._forms = 0

    def write(self, item: ScoredFile) -> None:
        """Add the file's forms to 汇总, their lines to 指标 or 目标表, their flags to 标记."""
        lang = self._lang
        policy = item.card.policy
        self._policies.setdefault((policy.name, policy.sha256), policy)
        sheets = self._sheets
        for form_no, result in enumerate(item.card.forms, start=1):
            self._forms += 1
            sheets["summary"].add(summary_row(item, form_no, result, lang))
            if targets_only(result):
                for line in result.lines:
                    sheets["targets"].add(target_row(item, form_no, line, lang))
            else:
                for line in result.lines:
                    sheets["lines"].add(line_row(item, form_no, line, lang, self._steps))
            for row in flag_rows(item, form_no, result, lang):
                sheets["flags"].add(row)
            entry = year_entry(item, result, lang)
            if entry is not None:
                self._years.append(entry)

    def close(self) -> None:
        """Add 对比 (when the forms span several years) and 说明, then write the file."""
        for sheet in self._sheets.values():
            sheet.finish()
        heads, rows = year_rows(self._years, self._lang)
        if rows:
            count = (len(heads) - 2) // 3
            triple: list[Kind] = ["text", "text", "score"]
            kinds: list[Kind] = ["text", "text", *(triple * count)]
            negative = {2 + 3 * i + 2 for i in range(count)}
            name = L.pick(self._lang, *SHEETS["years"])
            years = _Sheet(self._book, name, heads, kinds, negative)
            for row in rows:
                years.add(row)
            years.finish()
        self._notes()
        self._book.workbook.close()

    def abort(self) -> None:
        """Close the workbook's scratch files (what it writes is thrown away with the output)."""
        try:
            self._book.workbook.close()
        except Exception:  # already failing: only the scratch files matter here
            return

    def _notes(self) -> None:
        lang = self._lang
        heads = [L.pick(lang, "类别", "topic"), L.pick(lang, "项目", "item")]
        heads.append(L.pick(lang, "内容", "meaning"))
        notes = _Sheet(self._book, L.pick(lang, *SHEETS["notes"]), heads, ["text"] * 3, set())
        run = self._run
        about = L.pick(lang, "运行", "run")
        notes.add(
            Row((about, L.pick(lang, "工具版本", "tool version"), f"rules-engine {run.version}"))
        )
        when = run.started.strftime("%Y-%m-%d %H:%M:%S %z").strip()
        notes.add(Row((about, L.pick(lang, "运行时间", "run at"), when)))
        if run.inputs:
            notes.add(Row((about, L.pick(lang, "输入", "inputs"), " ".join(run.inputs))))
        notes.add(Row((about, L.pick(lang, "表数", "forms"), str(self._forms))))
        for policy in sorted(self._policies.values(), key=lambda p: (p.name, p.sha256)):
            title = f"{policy.title} · " if policy.title else ""
            year = f"{policy.year} · " if policy.year is not None else ""
            text = f"{title}{year}{policy.path} · sha256 {policy.sha256}"
            notes.add(Row((L.pick(lang, "规则", "policy"), policy_label(policy), text)))
        for line in _READING[lang]:
            notes.add(Row((L.pick(lang, "读法", "reading"), line[0], line[1])))
        for key, columns in self._columns.items():
            sheet = L.pick(lang, *SHEETS[key])
            for column in columns:
                if column.help(lang):
                    notes.add(Row((sheet, column.heading(lang), column.help(lang))))
        notes.finish()


# How to read the workbook, sheet by sheet.
_READING: dict[Lang, tuple[tuple[str, str], ...]] = {
    "zh": (
        ("汇总", "每张表一行。总分确定时给出复核总分和等级；待定时底色标黄，看总分区间。"),
        (
            "指标",
            "每条指标一行，列名与自评表相同。待复核的行底色标黄，差异为负（自评高于复核）标红。",
        ),
        ("标记", "每个复核标记一行：所在的表、行、代码、说明和规则文件中的位置。"),
        ("目标表", "只有目标、没有完成值的表（绩效目标表）：只列目标的读法和适用规则，不计分。"),
        ("对比", "同一单位、同一项目不同年度的总分并排（只在表跨越多个年度时出现）。"),
        ("安全", "以 = + - @ 等开头的文字前加了 '，控制字符换成了 ␛ 之类的可见符号。"),
    ),
    "en": (
        ("summary", "One row per form. Total and grade when final; else shaded: see total range."),
        ("lines", "One row per indicator line; review rows shaded, negative differences red."),
        ("flags", "One row per review flag: form, line, code, message and policy line."),
        ("targets", "Targets-only forms: how each target reads and the rule that would apply."),
        ("years", "One unit's or project's totals by year, side by side (several years only)."),
        ("safety", "Texts starting with = + - @ carry a leading '; control characters show as ␛."),
    ),
}
