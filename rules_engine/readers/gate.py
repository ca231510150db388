"""The confidence gate: a row read from a form is emitted only when it is consistent.

A row passes when
- its name is an indicator's name, not a header word, a fragment of a label (年初指, 分, 质量指),
  page furniture (盖章, 年 月 日) or a scoring note (酌情扣分);
- it has a target, or plainly has none: an empty target cell printed, a layout that keeps empty
  cells, a table without a target column, its own weight and score, a numbered template row
  (指标1：…) or the row a truncation cut;
- numbers sit where numbers belong: a weight and a score are numbers no larger than 100, a target
  and an actual are no header or category word;
- the weights under a 一级 that prints its points (产出指标(50分)) do not add up past them.

Rows that fail are left out; each run of consecutive rows left out for one reason gets one
located warning. The form's reliability follows (DESIGN §5): `sure` when every run was read,
`partial` when some were dropped or skipped (each with a warning), `unreliable` when the layout
itself could not be read with confidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rules_engine.bounded import within
from rules_engine.diagnostics import Diagnostic, define
from rules_engine.model import IndicatorLine, ProcessLine, Reliability
from rules_engine.readers import cell_shapes, header_words, text_keys
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.form_head import is_title

NOT_A_ROW = define(
    "E110",
    "第 {row} 行：「{text}」是表头、页面文字或其残片，不是指标行，已略去（共 {count} 行）",
    "row {row}: '{text}' is a header, page text or a piece of one, not an indicator row; "
    "left out ({count} rows)",
    "版式读取时把表头或页面上的文字当成了指标行；请对照原表核对是否缺行。",
    "The layout reader took header or page text for indicator rows; check the original form "
    "for missing rows.",
)
NO_TARGET = define(
    "E111",
    "第 {row} 行：「{text}」没有年度指标值，也看不出这一格本来就空，无法确定是指标行，"
    "已略去（共 {count} 行）",
    "row {row}: '{text}' has no target and nothing shows the cell was empty; it cannot be "
    "told to be an indicator row; left out ({count} rows)",
    "单元格可能错位或丢失；请对照原表核对这些行。",
    "Cells may be shifted or lost; check these rows against the original form.",
)
MISPLACED = define(
    "E112",
    "第 {row} 行：{field}「{value}」不是这一列应有的内容，这一行已略去（共 {count} 行）",
    "row {row}: the {field} '{value}' is not what that column holds; the row is left out "
    "({count} rows)",
    "单元格可能错位；请对照原表核对这一行。",
    "The cells may be shifted; check this row against the original form.",
)
GROUP_OVER = define(
    "E113",
    "第 {row} 行起：「{group}」下各行分值合计 {sum}，超过它标出的 {points} 分，"
    "分值读取有误，这些行已略去（共 {count} 行）",
    "rows from row {row}: the weights under '{group}' add up to {sum}, past the {points} "
    "points it prints; they were misread and the rows are left out ({count} rows)",
    "单元格可能错位或粘连；请对照原表核对这些行的分值。",
    "Cells may be shifted or glued; check the weights of these rows against the original form.",
)

# Codes of warnings that say a run of the form was skipped or cut: the form is then `partial`.
SKIPPED_CODES = frozenset(
    {"E101", "E102", "E104", "E106", "E107", "E142", "E144", "E145", "E146", "E148", NOT_A_ROW}
    | {NO_TARGET, MISPLACED, GROUP_OVER}
)
_GATE_CODES = frozenset({NOT_A_ROW, NO_TARGET, MISPLACED, GROUP_OVER})
# Codes of warnings that say the layout itself was not read with confidence.
UNRELIABLE_CODES = frozenset({"E143", "E147", "E149"})
# Codes that ask for a check of rows read: the form is then at best `partial`.
_CHECK_CODES = frozenset({"E150"})

# Column titles and labels forms print, never an indicator's name; a name that is a piece of one
# is a fragment of a header the layout broke up. (预算执行率 is an indicator of its own too.)
_HEADER_WORDS = (
    *header_words.HEADER_NAMES,
    *header_words.INDICATOR_HEADER_CORE,
    *(word for word in header_words.BUDGET_HEADER_NAMES if word != "预算执行率"),
    *header_words.FORM_FIELD_NAMES,
    "总分",
    "合计",
    "自评总分",
    "复核分",
    "复核得分",
    "年终完成值",
    "年初指标值",
    "评价标准",
    "评价内容",
    "评价指标",
    "项目权重",
    "指标类型",
    "偏差原因分析及改进措施",
    "年度绩效指标完成情况",
    "年度总体目标",
    "实际完成情况",
)
_HEADERS = frozenset(text_keys.normalize(word) for word in _HEADER_WORDS)
_CATEGORIES = frozenset(text_keys.normalize(w) for w in vocab.LEVEL1_WORDS | vocab.LEVEL2_WORDS)
# What a name is reduced to before it is compared: no brackets, points, punctuation or spaces.
_NOISE = re.compile(r"[\s()（）\[\]【】:：,，.。、;；*★☆\-—_/|]|\d+(?:\.\d+)?分?")
# Page furniture: stamps, signature dates, notes and filling-in instructions.
_FURNITURE = re.compile(
    r"盖章|签字|签章|年\s+月\s+日|^备注|^注[:：\d]|^说明[:：]|^填表|^填报|^联系|^其他需说明|^审核"
)
# Scoring notes (评分标准 text) that a shifted row puts in the name column.
_SCORING_NOTE = re.compile(r"酌情扣分|扣完为止|不得分|计满分|每降低|每超过|每低于")
# Header-like cells that print a year inside the header word: 2021年实际实现值, 预期2022年实现值.
_HEADER_LIKE = re.compile(r"^.{0,8}(?:指标值|目标值|完成值|实现值|实际值)$")
_MAX_POINTS = Decimal(100)


@dataclass(frozen=True)
class Context:
    """What the gate knows about the table a row comes from."""

    source: str
    # The header has a target column (framework tables judge rows by their standard instead).
    has_target: bool
    # The layout keeps empty cells in their columns (tab-separated text, padded pipe rows,
    # workbooks): there a row without a target printed an empty cell.
    tabular: bool
    # The last row was cut by the end of the file.
    cut_last: bool


def check_lines(
    lines: Sequence[IndicatorLine], ctx: Context
) -> tuple[list[IndicatorLine], list[Diagnostic]]:
    """The rows that pass the gate, and one warning per run of rows left out."""
    reasons: list[tuple[str, dict[str, str]] | None] = []
    for number, line in enumerate(lines):
        cut = ctx.cut_last and number == len(lines) - 1
        reasons.append(_fault(line, ctx, cut))
    kept = [line for line, why in zip(lines, reasons, strict=True) if why is None]
    if _untrusted(len(lines) - len(kept), len(kept)):
        # A reading that had to leave out as many rows as it kept keeps no row without values:
        # a name alone there is a fragment as likely as a row.
        for number, line in enumerate(lines):
            if reasons[number] is None and _bare(line):
                reasons[number] = (NO_TARGET, {})
        kept = [line for line, why in zip(lines, reasons, strict=True) if why is None]
    for group, points, members in _groups_over(kept):
        for line in members:
            reasons[lines.index(line)] = (
                GROUP_OVER,
                {"group": group, "points": points, "sum": _sum_of(members)},
            )
    return [line for line, why in zip(lines, reasons, strict=True) if why is None], _runs(
        lines, reasons, ctx
    )


def check_process(
    lines: Sequence[ProcessLine], ctx: Context
) -> tuple[list[ProcessLine], list[Diagnostic]]:
    """Process scorecard rows that pass: a name that is no label, numbers where numbers go."""
    reasons: list[tuple[str, dict[str, str]] | None] = []
    for line in lines:
        fault = _name_fault(line.name, cut=False, valued=line.standard is not None)
        if fault is None:
            fault = _number_fault(line.weight, "weight") or _number_fault(line.score, "score")
        if fault is None and line.name is None:
            fault = (NO_TARGET, {})
        reasons.append(fault)
    kept = [line for line, why in zip(lines, reasons, strict=True) if why is None]
    return kept, _runs(lines, reasons, ctx)


def reliability(diagnostics: Sequence[Diagnostic], rows_read: int) -> Reliability:
    """How far the form as read can be trusted, from what its reading reported: unreliable
    when the layout was not read with confidence, nothing was read, or the gate left out at
    least as many rows as it kept."""
    codes = {d.code for d in diagnostics}
    dropped = sum(int(d.args.get("count", "0")) for d in diagnostics if d.code in _GATE_CODES)
    if codes & UNRELIABLE_CODES or rows_read == 0 or _untrusted(dropped, rows_read):
        return "unreliable"
    if codes & (SKIPPED_CODES | _CHECK_CODES):
        return "partial"
    return "sure"


def _untrusted(dropped: int, kept: int) -> bool:
    """The gate left out at least as many rows as it kept (and a few)."""
    return dropped >= 3 and dropped >= kept


def _bare(line: IndicatorLine) -> bool:
    return (line.target, line.actual, line.weight, line.score) == (None, None, None, None)


# --- the checks ----------------------------------------------------------------------------


def _fault(line: IndicatorLine, ctx: Context, cut: bool) -> tuple[str, dict[str, str]] | None:
    """Why a row cannot be emitted, or ``None`` when it is consistent."""
    # A value that is itself a piece of a header (成值 of 完成值) gives the row no substance.
    valued = any(
        value is not None and not _is_fragment(text_keys.normalize(value))
        for value in (line.target, line.actual)
    )
    if line.name is None:
        # A row whose name cell is empty is a row only when its values make it one.
        numbers = line.weight is not None or line.score is not None
        if line.target is None or not (numbers or ctx.tabular):
            return NO_TARGET, {}
    else:
        fault = _name_fault(line.name, cut=cut, valued=valued)
        if fault is not None and line.target is not None and _stub(line):
            fault = None  # a stub name (0) in a row whose values stand in their columns
        if fault is not None:
            return fault
    for field in ("weight", "score"):
        fault = _number_fault(getattr(line, field), field)
        if fault is not None:
            return fault
    for field in ("level1", "level2"):
        value = getattr(line, field)
        if value is not None and (
            _is_header(value) or _HEADER_LIKE.match(text_keys.normalize(value))
        ):
            return MISPLACED, {"field": field, "value": value}
    for field in ("target", "actual"):
        value = getattr(line, field)
        if value is not None and value == line.name:
            return MISPLACED, {"field": field, "value": value}  # the name again: a shifted cell
        if value is not None and (
            _is_header(value)
            or vocab.category_level(value)
            or _HEADER_LIKE.match(text_keys.normalize(value))
        ):
            return MISPLACED, {"field": field, "value": value}
    if not _anchored(line, ctx, cut):
        return NO_TARGET, {}
    return None


def _name_fault(name: str | None, *, cut: bool, valued: bool) -> tuple[str, dict[str, str]] | None:
    """Why `name` is no indicator's name. A row the file's end cut keeps its visible piece; a
    row with a target or an actual may be named by a word that is also a piece of a label."""
    if name is None:
        return None
    norm = text_keys.normalize(name)
    bare = _NOISE.sub("", norm)
    if not bare:
        return NOT_A_ROW, {}
    if _is_header(name) or bare in _HEADERS or header_words.is_total_label(name):
        return NOT_A_ROW, {}
    if _HEADER_LIKE.match(norm):
        return NOT_A_ROW, {}
    if _FURNITURE.search(name) or _SCORING_NOTE.search(norm) or is_title(name):
        return NOT_A_ROW, {}  # page text, a scoring note, a form's heading
    if not valued and bare in _CATEGORIES:
        return NOT_A_ROW, {}  # a group's label alone
    if cut:
        return None
    if cell_shapes.is_unit(bare) or (
        cell_shapes.is_pure_value(name) and not cell_shapes.is_name_like(name)
    ):
        return NOT_A_ROW, {}  # a unit (台套) or a quantity (10次) is a value, not a name
    if not valued and _is_fragment(bare):
        return NOT_A_ROW, {}
    return None


def _stub(line: IndicatorLine) -> bool:
    """A name printed as a bare number (the template's 0) in a row with its values in place."""
    return (
        line.name is not None
        and cell_shapes.is_number(line.name)
        and (line.weight is not None or line.actual is not None)
    )


def _is_header(text: str) -> bool:
    return text_keys.category_key(text).strip("*") in _HEADERS


def _is_fragment(bare: str) -> bool:
    """A piece of a column title (年初指 of 年初指标值, 分 of 分值), or of a category word cut
    inside its 指标 (质量指, 意度指标): real names can be shorter category words (公众满意度)."""
    if bare in _CATEGORIES:
        return False
    if any(bare in word and bare != word for word in _HEADERS):
        return True
    broken = bare.endswith(("指", "指标")) or bare.startswith("标")
    return broken and any(bare in word and bare != word for word in _CATEGORIES)


def _number_fault(value: str | None, field: str) -> tuple[str, dict[str, str]] | None:
    if value is None:
        return None
    number = _decimal(value)
    if number is None or number > _MAX_POINTS or number < 0:
        return MISPLACED, {"field": field, "value": value}
    return None


def _anchored(line: IndicatorLine, ctx: Context, cut: bool) -> bool:
    """The row has a target, or plainly has none."""
    return (
        line.target is not None
        or (not ctx.has_target and line.weight is not None)
        or "target" in line.cells  # an empty target cell was printed
        or ctx.tabular
        or (line.weight is not None and line.score is not None)
        or (line.name is not None and cell_shapes.is_name_like(line.name))
        or cut
    )


_POINTS = re.compile(r"(\d+(?:\.\d+)?)\s*分")


def _groups_over(
    lines: Sequence[IndicatorLine],
) -> list[tuple[str, str, list[IndicatorLine]]]:
    """一级 groups printing their points whose rows' weights add up past them."""
    groups: dict[str, list[IndicatorLine]] = {}
    for line in lines:
        if line.level1 is not None:
            groups.setdefault(line.level1, []).append(line)
    out: list[tuple[str, str, list[IndicatorLine]]] = []
    for group, members in groups.items():
        found = _POINTS.search(text_keys.normalize(group))
        if found is None:
            continue
        weighted = [line for line in members if line.weight is not None]
        total = sum((_decimal(line.weight) or Decimal(0) for line in weighted), Decimal(0))
        if weighted and total > Decimal(found.group(1)):
            out.append((group, found.group(1), weighted))
    return out


def _sum_of(lines: Sequence[IndicatorLine]) -> str:
    total = sum((_decimal(line.weight) or Decimal(0) for line in lines), Decimal(0))
    return format(total.normalize(), "f")


def _decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    norm = text_keys.normalize(text).removesuffix("分")
    try:
        value = Decimal(norm)
    except InvalidOperation:
        return None
    # NaN, Infinity and numbers past the engine's bounds are no weight or score.
    return value if within(value) else None


def _runs(
    lines: Sequence[IndicatorLine] | Sequence[ProcessLine],
    reasons: Sequence[tuple[str, dict[str, str]] | None],
    ctx: Context,
) -> list[Diagnostic]:
    """One warning per run of consecutive rows left out for the same reason."""
    out: list[Diagnostic] = []
    start = 0
    while start < len(lines):
        why = reasons[start]
        if why is None:
            start += 1
            continue
        end = start + 1
        while end < len(lines) and _code(reasons[end]) == why[0]:
            end += 1
        line = lines[start]
        text = _shown(line)
        row = line.source.row if line.source else None
        col = line.source.col if line.source else None
        args = {
            "row": str(row) if row is not None else "?",
            "text": text,
            "count": str(end - start),
        }
        out.append(
            Diagnostic(
                code=why[0],
                args={**args, **why[1]},
                severity="warning",
                file=ctx.source,
                line=row,
                col=col,
            )
        )
        start = end
    return out


def _code(reason: tuple[str, dict[str, str]] | None) -> str | None:
    return None if reason is None else reason[0]


def _shown(line: IndicatorLine | ProcessLine) -> str:
    """A row's cells as one short text, for a warning."""
    cells = [line.name, *(getattr(line, k, None) for k in ("target", "actual", "weight", "score"))]
    return " ".join(c for c in cells if c)[:40]
