"""Messages of the layout splitters (E140–E169) and the helper that records a warning on a grid."""

from __future__ import annotations

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.readers.grid import Grid

UNKNOWN_LAYOUT = define(
    "E140",
    "不认识的版式「{layout}」",
    "unknown layout '{layout}'",
    "可用的版式：{known}；不写 --layout 时会自动识别。",
    "known layouts: {known}; without --layout the layout is detected by itself.",
)
NO_TABLE = define(
    "E141",
    "文本中找不到表格单元格",
    "no table cells found in the text",
    "确认文件是从表格导出的文本；或用 --layout 指定版式。",
    "Check that the text comes from a table, or force the layout with --layout.",
    severity="warning",
)
GLUED = define(
    "E142",
    "第 {line} 行：「{text}」中单元格粘连，无法可靠拆分，已跳过这一行",
    "line {line}: the cells in '{text}' are glued together and cannot be split with certainty; "
    "row skipped",
    "原文丢失了单元格分隔符；请从原始表格（Excel/Word）重新导出，或手工核对这一行。",
    "The text lost its cell separators; export the form again from the original Excel or Word "
    "file, or check this row by hand.",
    severity="warning",
)
GLUED_READINGS = define(
    "E144",
    "第 {line} 行：「{text}」中单元格粘连，有几种拆法都说得通（{readings}），无法确定，已跳过",
    "line {line}: the cells in '{text}' are glued together and split more than one way "
    "({readings}); none can be chosen with certainty, skipped",
    "原文丢失了单元格分隔符；请对照原表选出正确的拆法，或从原始 Excel/Word 重新导出。",
    "The text lost its cell separators; pick the right split against the original form, or "
    "export the form again from the original Excel or Word file.",
)
SCRAMBLED = define(
    "E143",
    "PDF 文本的阅读顺序被打乱，指标行无法可靠还原，只读取了表头部分",
    "the PDF text's reading order is scrambled; indicator rows cannot be recovered with "
    "certainty, only the header part was read",
    "请改用原始 Excel/Word 文件，或把表格另存为制表符分隔的文本。",
    "Use the original Excel or Word file, or save the table as tab-separated text.",
    severity="warning",
)
CUT_OFF = define(
    "E145",
    "表格在第 {line} 行处中断，最后一行可能不完整",
    "the table stops at line {line}; its last row may be incomplete",
    "文件可能被截断；请确认拿到的是完整表格。",
    "The file may be truncated; check that the whole table is there.",
    severity="warning",
)
LONG_LINE = define(
    "E146",
    "有的行超过 {limit} 个字符，超出部分未读取",
    "some lines are longer than {limit} characters; the rest of those lines was not read",
    "表格单元格不会这么长；请确认文件确实是表格文本。",
    "No table cell is this long; check that the file really is table text.",
    severity="warning",
)
BUNCHED = define(
    "E147",
    "第 {line} 行附近：多行的数值挤在一起（{text}），无法确定各属于哪一行，已跳过",
    "near line {line}: values of several rows are bunched together ({text}) and cannot be "
    "assigned to their rows with certainty; skipped",
    "原文的列顺序被打乱；请从原始表格重新导出，或手工核对这些行。",
    "The column order of the text is scrambled; export the form again from the original, or "
    "check these rows by hand.",
    severity="warning",
)

TOO_LONG = define(
    "E148",
    "文本超过 {limit} 个字符，这种版式只读取了前 {limit} 个字符（到第 {line} 行）",
    "the text is longer than {limit} characters; in this layout only the first {limit} were "
    "read (up to line {line})",
    "一张表不会这么长；请把文件拆成单张表，或另存为制表符分隔的文本。",
    "No single form is this long; split the file into single forms, or save it as "
    "tab-separated text.",
    severity="warning",
)

LAYOUTS_DISAGREE = define(
    "E149",
    "这段文本按「{first}」和「{second}」两种版式都能读，但读出的指标行不一致，读取结果不可靠",
    "the text reads as layout '{first}' and as '{second}', but the two give different "
    "indicator rows; the reading is unreliable",
    "请对照原表核对；或用 --layout 指定正确的版式。",
    "Check against the original form, or force the right layout with --layout.",
)

UNCHECKED = define(
    "E150",
    "第 {line} 行起：过程评分表的行按其中的数字分开读取，没有分值合计可以核对，请对照原表",
    "from line {line} on: the rows of a process scorecard were told apart by their numbers, "
    "and no printed points could check them; check them against the original form",
    "文本丢失了行的分界；请核对这些行的名称、分值和得分。",
    "The text lost its row ends; check the names, weights and scores of these rows.",
)


def warn(
    grid: Grid, code: str, line: int | None = None, col: int | None = None, **args: object
) -> None:
    """Record a warning on `grid`: as a coded diagnostic and as its one-line text.

    `line` and `col` locate it in the grid's cells (row / column), so that the form builder
    can tell which cell a warning is about (E145 names the cell a truncation cut).
    """
    args.setdefault("line", line if line is not None else "?")
    diag = Diagnostic(
        code=code,
        args={key: str(value) for key, value in args.items()},
        severity="warning",
        file=grid.source,
        line=line,
        col=col,
    )
    grid.diagnostics.append(diag)
    grid.warnings.append(str(diag))
