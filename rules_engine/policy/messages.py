"""The messages of the policy compiler (E320–E369), and how every policy stage places a message:
at a position of the text being read (`located`, with `did_you_mean`), or at the line a compiled
policy cites (`cited`, for the checks that run on the compiled policy).

The compiler's messages say what a policy means, not how it is written; the scanner and the
parser define their own (E301–E313) beside the code that raises them.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rules_engine.diagnostics import Diagnostic, Severity, define
from rules_engine.policy.nodes import Pos
from rules_engine.resources import policies_dir

if TYPE_CHECKING:  # only named here: the syntax stages never load the compiled-policy model
    from rules_engine.policy.model import Loc


def located(
    code: str,
    file: str,
    lines: Sequence[str],
    pos: Pos,
    *,
    severity: Severity | None = None,
    suggestion: str | None = None,
    **args: object,
) -> Diagnostic:
    """A diagnostic at `pos` with the source line as its snippet (the report puts the caret)."""
    snippet = lines[pos.line - 1] if 0 < pos.line <= len(lines) else None
    width = pos.width if pos.end_line == pos.line else max(len(snippet or "") - pos.col + 1, 1)
    return Diagnostic(
        code=code,
        args={k: str(v) for k, v in args.items()},
        severity=severity,
        file=file,
        line=pos.line,
        col=pos.col,
        snippet=snippet,
        width=max(width, 1),
        suggestion=suggestion,
    )


def did_you_mean(name: str, candidates: Sequence[str]) -> str | None:
    """The closest of `candidates` to `name` (difflib), if any is close enough."""
    found = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.5)
    return found[0] if found else None


class Sources:
    """Policy texts by cited file name, read once, for the snippets under diagnostics."""

    def __init__(self) -> None:
        self._lines: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        """Line `number` of the policy cited as `file`, if it can be read."""
        if file not in self._lines:
            self._lines[file] = _read_lines(file)
        lines = self._lines[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def _read_lines(file: str) -> list[str] | None:
    for path in (Path(file), policies_dir().parent / file, policies_dir() / Path(file).name):
        try:
            return path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
    return None


def cited(
    code: str, loc: Loc, texts: Sources, severity: Severity | None = None, **args: str
) -> Diagnostic:
    """A diagnostic at `loc`, with its source line as the snippet, underlined to the end."""
    snippet = texts.line(loc.file, loc.line)
    width = 1
    if snippet is not None:  # underline the clause up to a trailing comment
        code_part = snippet.split("  #", 1)[0].rstrip()
        width = max(len(code_part) - loc.col + 1, 1)
    return Diagnostic(
        code=code,
        args=args,
        severity=severity,
        file=loc.file,
        line=loc.line,
        col=loc.col,
        snippet=snippet,
        width=width,
    )


NOT_FOUND = define(
    "E320",
    "找不到要继承的策略「{name}」",
    "cannot find the policy '{name}' to extend",
    "写内置策略的名称（{known}），或相对于本文件的路径。",
    "write a shipped policy name ({known}) or a path relative to this file.",
)
CYCLE = define(
    "E321",
    "策略循环继承：{chain}",
    "policies extend each other in a circle: {chain}",
    "删去其中一个 `extends`。",
    "remove one of the `extends` lines.",
)
DUPLICATE = define(
    "E322",
    "{what}「{name}」在本文件中重复定义（第一次在第 {line} 行）",
    "{what_en} '{name}' is defined twice in this file (first on line {line})",
    "删去其中一个，或改用不同的名称。",
    "remove one of them or give them different names.",
)
UNKNOWN_RULE = define(
    "E323",
    "未定义的规则「{name}」",
    "unknown rule '{name}'",
    "先用 `rule {name} {{ … }}` 定义它，或改为已有的规则：{known}。",
    "define it with `rule {name} {{ … }}` or use a defined rule: {known}.",
)
UNKNOWN_TERM = define(
    "E324",
    "未定义的术语「{name}」",
    "unknown term '{name}'",
    "先用 `terms {name} = 同义词, …` 或 `term {name} = > 0` 定义它。",
    "define it first with `terms {name} = SYNONYM, …` or `term {name} = > 0`.",
)
UNKNOWN_VARIABLE = define(
    "E325",
    "未知的变量「{name}」",
    "unknown variable '{name}'",
    "这里可用的变量：{known}。",
    "variables available here: {known}.",
)
WRONG_SCOPE = define(
    "E326",
    "变量「{name}」不能用在{place}",
    "the variable '{name}' cannot be used in {place_en}",
    "这里可用的变量：{known}。",
    "variables available here: {known}.",
)
UNKNOWN_FUNCTION = define(
    "E327",
    "未知的函数「{name}」或参数个数不对",
    "unknown function '{name}' or wrong number of arguments",
    "可用的函数：min(a, b, …)、max(a, b, …)、abs(x)、floor(x)、ceil(x)。",
    "available functions: min(a, b, …), max(a, b, …), abs(x), floor(x), ceil(x).",
)
OVERLAP = define(
    "E328",
    "分档 {band} 与第 {line} 行的分档 {other} 重叠",
    "the band {band} overlaps the band {other} on line {line}",
    "每个值只应落入一档：把相邻一端改为开区间（如 `[80%, 90%)` 与 `[90%, 100%]`）。",
    "a value must fall in one band only: open one of the touching ends "
    "(e.g. `[80%, 90%)` and `[90%, 100%]`).",
)
EMPTY_INTERVAL = define(
    "E329",
    "区间 {band} 是空的：下限大于上限，或两端相等却不都闭合",
    "the interval {band} is empty: its low end is above its high end, or equal but not closed",
    "检查两端的数值和括号：`[` `]` 含端点，`(` `)` 不含。",
    "check the ends and brackets: `[` `]` include the end, `(` `)` exclude it.",
)
GRADE_ORDER = define(
    "E330",
    "等级「{grade}」的位置不对：{detail}",
    "grade '{grade}' is out of place: {detail_en}",
    "等级从高到低书写，下限依次递减，只有最后一个可以不写下限。",
    "write grades from the highest down with decreasing bounds; only the last may have none.",
)
WEIGHT_SUM = define(
    "E331",
    "分值加起来是 {sum}，不等于总分 {total}",
    "the weights add up to {sum}, not the total {total}",
    "调整各一级指标的分值或预算执行率的分值，使合计等于 {total}。",
    "adjust the group weights or the budget weight so that they add up to {total}.",
)
BAD_VALUE = define(
    "E332",
    "{what}「{value}」无效",
    "invalid {what_en} '{value}'",
    "可以写：{known}。",
    "allowed: {known}.",
)
NO_HEADER = define(
    "E333",
    '缺少策略声明 `policy "名称"`',
    'missing the policy header `policy "NAME"`',
    '在文件开头写 `policy "某某项目支出绩效自评" year 2021`。',
    'start the file with `policy "TITLE" year 2021`.',
)
WANT_CONDITION = define(
    "E334",
    "这里需要一个条件，而「{text}」是一个数值",
    "a condition is needed here, but '{text}' is a number",
    "写一个比较，如 `actual >= target`，或一个术语，如 `达成`。",
    "write a comparison such as `actual >= target`, or a term such as `达成`.",
)
WANT_NUMBER = define(
    "E335",
    "这里需要一个数值，而「{text}」是一个条件或术语",
    "a number is needed here, but '{text}' is a condition or a term",
    "把条件写在 `when` 之后，`=>` 之后写分数。",
    "put conditions after `when` and scores after `=>`.",
)
TERM_TWICE = define(
    "E338",
    "词语「{word}」同时属于「{first}」和「{second}」",
    "the word '{word}' belongs both to '{first}' and to '{second}'",
    "一个词只能属于一个术语，删去其中一处。",
    "a word may belong to one term only; remove one of them.",
)
NO_FALLBACK = define(
    "E339",
    "没有兜底的 apply：不匹配任何 apply 的指标将转人工复核",
    "no catch-all apply: lines that match no apply go to review",
    "在最后写 `apply * -> 规则名`，或有意保留（这些指标会标为需复核）。",
    "end with `apply * -> RULE`, or keep it so on purpose (those lines are marked for review).",
    severity="warning",
)
APPLY_UNREACHABLE = define(
    "E340",
    "这条 apply 永远不会生效：第 {line} 行的 apply 已匹配所有指标",
    "this apply can never take effect: the apply on line {line} already matches every line",
    "把兜底的 `apply *` 移到最后。",
    "move the catch-all `apply *` to the end.",
    severity="warning",
)
BAD_BAND = define(
    "E341",
    "认可区间的端点「{text}」应为 0% 到 100% 之间的百分比（分值的份额；0 可不写 %）",
    "the accepted band end '{text}' must be a percentage from 0% to 100% (a share of the "
    "weight; 0 may be written without %)",
    "写作 `accept [80%, 100%]` 或 `accept [0, 60%)`。",
    "write it as `accept [80%, 100%]` or `accept [0, 60%)`.",
)
MISSING_PART = define(
    "E342",
    "「{block}」缺少 {what}",
    "'{block}' is missing {what_en}",
    "{example}",
    "{example}",
)
UNKNOWN_FLAG = define(
    "E343",
    "没有可关闭的标记「{name}」",
    "there is no flag '{name}' to turn off",
    "已定义的标记：{known}。",
    "defined flags: {known}.",
)
OUTCOME_SCOPE = define(
    "E344",
    "`outcome` 只能用在指标行的标记（flag … on line）中",
    "`outcome` may only be used in line flags (flag … on line)",
    "把这个标记改为 `on line`，或删去 `outcome` 条件。",
    "make this flag `on line`, or drop the `outcome` test.",
)
NOTHING_TO_EXTEND = define(
    "E345",
    "「{name}」还没有定义，不能用 `+=` 追加",
    "'{name}' is not defined yet, so `+=` cannot add to it",
    "改用 `=` 定义它，或检查名称。",
    "define it with `=` instead, or check the name.",
)
SETTING_TWICE = define(
    "E346",
    "「{setting}」在同一块中写了两次（第一次在第 {line} 行）",
    "'{setting}' is set twice in the same block (first on line {line})",
    "删去其中一个。",
    "remove one of them.",
)
NO_LOWEST_GRADE = define(
    "E347",
    "最低等级「{grade}」有下限 {bound}：低于它的总分得不到等级",
    "the lowest grade '{grade}' has the bound {bound}: a total below it gets no grade",
    "再加一个不写下限的等级，如 `差`。",
    "add a last grade without a bound, e.g. `差`.",
    severity="warning",
)
DIVIDE_ZERO = define(
    "E348",
    "除数是 0",
    "division by zero",
    "检查这个表达式。",
    "check this expression.",
)
RULE_UNUSED = define(
    "E349",
    "规则「{name}」没有被任何 apply 使用",
    "the rule '{name}' is not used by any apply",
    "加一条 `apply 类别 -> {name}`，或删去这条规则。",
    "add `apply CATEGORY -> {name}` or remove the rule.",
    severity="warning",
)
CHECK_SCOPE = define(
    "E350",
    "检查「{name}」只能用在 `flag … on {scope}` 中",
    "the check '{name}' may only be used in `flag … on {scope}`",
    "把这个标记的范围改为 `on {scope}`。",
    "set this flag's scope to `on {scope}`.",
)
BAD_MEETS = define(
    "E351",
    "`meets` 只能写作 `actual meets target`",
    "`meets` can only be written `actual meets target`",
    "改写为 `actual meets target`。",
    "write `actual meets target`.",
)
PATH_DEPTH = define(
    "E352",
    "类别路径「{path}」超过三级",
    "the category path '{path}' has more than three levels",
    "路径依次是 一级/二级/三级，如 `产出指标/数量指标/*`。",
    "a path is LEVEL1/LEVEL2/NAME, e.g. `产出指标/数量指标/*`.",
)
PARENT_BROKEN = define(
    "E353",
    "继承的策略「{name}」有错误，本策略无法编译",
    "the extended policy '{name}' has errors, so this policy cannot be compiled",
    "先修正「{name}」中的错误（见上方）。",
    "fix the errors in '{name}' first (see above).",
)
UNKNOWN_CATEGORY = define(
    "E355",
    "没有哪张表的{level}写作「{name}」：这个类别名匹配不到任何指标，这些指标会落到别的规则",
    "no form prints the {level_en} category '{name}': it matches no line, so those lines "
    "silently fall to another rule",
    "类别名要与表中写法一致（可用 * 通配）；确是本地的类别名时，用 `categories {name}` 声明它。",
    "write the category as forms print it (`*` is a wildcard); if it is a local category "
    "name, declare it with `categories {name}`.",
)
PROMISE_DIRECTION = define(
    "E356",
    "规则「{rule}」声明 `direction {direction}`，但第 {line} 行在实际值 {side} 时给满分",
    "rule '{rule}' declares `direction {direction}`, but line {line} gives full marks when the "
    "actual is {side_en}",
    "检查第 {line} 行的比较符号是否写反；若规则确实如此，改正 `direction`。",
    "check whether the comparison on line {line} is reversed; if the rule is meant so, correct "
    "its `direction`.",
)
PROMISE_FULL_AT_TARGET = define(
    "E357",
    "规则「{rule}」声明 `full at target`，但没有一条在实际值达到目标时给满分的条款",
    "rule '{rule}' declares `full at target`, but no clause gives full marks when the actual "
    "meets the target",
    "加一条 `when actual meets target => full`；若规则的满分点不是目标值，写 `full at 数值` 或 "
    "`full at none`。",
    "add `when actual meets target => full`; if full marks start elsewhere, write "
    "`full at NUMBER` or `full at none`.",
)
BAD_FULL_AT = define(
    "E358",
    "`full at` 之后应写 target、一个数（如 100%、0）或 none，而不是「{text}」",
    "`full at` takes target, a number (e.g. 100%, 0) or none, not '{text}'",
    "例：`full at target`（达到目标即满分）、`full at 100%`、`full at none`。",
    "e.g. `full at target` (full marks once the target is met), `full at 100%`, `full at none`.",
)
BUDGET_DIRECTION = define(
    "E359",
    "预算规则第 {line} 行在执行率 {side} 时给满分：执行率越高，得分不应越低",
    "the budget rule gives full marks on line {line} when the rate is {side_en}: the score "
    "must not fall as the rate rises",
    "检查第 {line} 行的比较符号是否写反（常见：应为 `rate >= 100%`）。",
    "check whether the comparison on line {line} is reversed (usually `rate >= 100%`).",
)
DEDUCT_SCOPE = define(
    "E360",
    "`deduct` 只能用在指标规则中：它按指标的实际完成值扣分",
    "`deduct` may only be used in an indicator rule: it deducts by the line's actual",
    "预算执行率的扣分写成算式，如 `weight - 1 * (100% - rate) / 1%`。",
    "write a budget deduction as an expression, e.g. `weight - 1 * (100% - rate) / 1%`.",
)
DEDUCT_STEP = define(
    "E361",
    "扣分的单位「{text}」应大于 0",
    "the unit of a deduction '{text}' must be above 0",
    "写作 `deduct 1 per 1% above 100%`：每超出 1 个百分点扣 1 分。",
    "write e.g. `deduct 1 per 1% above 100%`: 1 point for every percentage point above 100%.",
)
DEDUCT_AMOUNT = define(
    "E362",
    "每次扣的分数「{text}」应大于 0",
    "the points taken off each time, '{text}', must be above 0",
    "扣分写正数，如 `deduct 0.5 each`；加分请写算式。",
    "write the deduction as a positive number, e.g. `deduct 0.5 each`; write a bonus as an "
    "expression.",
)
DEDUCT_DIRECTION = define(
    "E363",
    "规则「{rule}」声明 `direction {direction}`，但第 {line} 行 {deduct}：实际值越{side}扣分越多",
    "rule '{rule}' declares `direction {direction}`, but line {line} reads {deduct}: the "
    "{side_en} the actual, the more is deducted",
    "检查 `above` / `below` 是否写反；若规则确实如此，改正 `direction`。",
    "check whether `above` and `below` are swapped; if the rule is meant so, correct its "
    "`direction`.",
)
RESCALE_TARGET = define(
    "E364",
    "`rescale to` 之后应为大于 0 的分数，而不是「{text}」",
    "`rescale to` takes a number of points above 0, not '{text}'",
    "例：`rescale to 100`（按适用分值折算为百分制）。",
    "e.g. `rescale to 100` (the total over the applicable weight, on a 100-point scale).",
)
NOT_APPLICABLE_TERM = define(
    "E365",
    "「{word}」既是不适用的写法，又属于术语「{term}」：写成它的行按不适用处理，术语里的这个词不会生效",
    "'{word}' both marks a line not applicable and belongs to the term '{term}': a line written "
    "so is not applicable, and the term never sees the word",
    "从其中一处删去这个词。",
    "remove the word from one of the two.",
    severity="warning",
)
ALT_GRADES_ALONE = define(
    "E366",
    '备选等级「{name}」之前没有主等级：先写 `grades {{ … }}`，再写备选的 `grades "{name}" {{ … }}`',
    "the alternative grades '{name}' come without the policy's own: write `grades {{ … }}` "
    'first, then the alternative `grades "{name}" {{ … }}`',
    "主等级决定复核总分的等级；备选等级只在说明中并列显示。",
    "the policy's own grades grade the total; an alternative set is only shown beside them.",
)
NAME_EVERY_LINE = define(
    "E367",
    "`name {text}` 匹配所有指标，不是按名称选择",
    "`name {text}` matches every line; it does not select by name",
    "写出指标名称，如 `name 三公经费控制率`；兜底请写 `apply * -> 规则名`。",
    "write the indicator's name, e.g. `name 三公经费控制率`; for a catch-all write "
    "`apply * -> RULE`.",
)
FORM_KIND = define(
    "E368",
    "「{value}」不是可评分的表的种类",
    "'{value}' is not a kind of form a policy can score",
    "可以写：项目支出（project）、部门整体支出（department）、转移支付（transfer）、目标表（targets）。",
    "allowed: 项目支出 (project), 部门整体支出 (department), 转移支付 (transfer), "
    "目标表 (targets).",
)
