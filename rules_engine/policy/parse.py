"""Policy text → typed syntax tree (`parse_policy`), with every syntax error located and coded.

The one module that runs lark: it parses the statements `rules_engine.policy.scan` cut out,
words lark's errors for a person, and hands each tree to `rules_engine.policy.build`, so the
`PolicyFile` it returns holds only syntax nodes. A clean file is parsed in one go; a file with
errors statement by statement, so one slip does not hide the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.lark_tables import load_parser
from rules_engine.policy.build import build
from rules_engine.policy.limits import DEFAULT, Limits
from rules_engine.policy.messages import did_you_mean, located
from rules_engine.policy.nodes import Number, PolicyDecl, PolicyFile, Pos, RoundDecl, Statement
from rules_engine.policy.scan import scan
from rules_engine.policy.screen import screen_numbers, screen_tree

__all__ = ["grammar_rules", "parse_policy"]

BAD_CHAR = define(
    "E301",
    "无法识别的字符「{char}」",
    "unexpected character '{char}'",
    "策略文件只用半角符号、中文名称、数字和带双引号的文字；`#` 之后是注释。",
    "a policy uses ASCII symbols, Chinese names, numbers and double-quoted text; "
    "`#` starts a comment.",
)
FULL_WIDTH = define(
    "E302",
    "全角符号「{char}」不能用在这里",
    "full-width symbol '{char}' is not allowed here",
    "请改用半角「{ascii}」（切换到英文输入法输入）。",
    "use the ASCII '{ascii}' instead (switch the input method to English).",
)
UNEXPECTED = define(
    "E303",
    "这里不应出现「{found}」；此处应为：{expected}",
    "unexpected '{found}' here; expected: {expected_en}",
    "对照 docs/policy-language.md 检查这一行的写法。",
    "compare this line with docs/policy-language.md.",
)
UNEXPECTED_END = define(
    "E304",
    "文件在语句中途结束；此处应为：{expected}",
    "the file ends in the middle of a statement; expected: {expected_en}",
    "补全最后一条语句（常见原因：少了 `}}` 或 `=>` 之后的结果）。",
    "complete the last statement (often a missing `}}` or the result after `=>`).",
)
UNTERMINATED = define(
    "E307",
    "引号没有闭合：文字要用一对半角双引号括起来",
    "unterminated string: text must be enclosed in a pair of double quotes",
    '在这一行的文字末尾补上「"」。',
    "add the closing '\"' at the end of the text on this line.",
)
MISSING_ARROW = define(
    "E308",
    "条件之后缺少「=>」",
    "missing '=>' after the condition",
    "每一条写作 `when 条件 => 结果`，如 `when actual >= target => full`。",
    "write each clause as `when CONDITION => RESULT`, e.g. `when actual >= target => full`.",
)
MISSING_NAME = define(
    "E309",
    "「{keyword}」之后缺少名称",
    "missing a name after '{keyword}'",
    '写作 `{keyword} 名称 …`，如 `rule 正向 "定量正向指标" {{ … }}`。',
    'write `{keyword} NAME …`, e.g. `rule 正向 "定量正向指标" {{ … }}`.',
)
CLAUSE_OUTSIDE = define(
    "E310",
    "「when」/「otherwise」只能写在 rule 或 budget 的花括号里",
    "'when' / 'otherwise' may only appear inside the braces of a rule or budget",
    "把这一条移到某条 `rule 名称 {{ … }}` 之内。",
    "move this clause inside a `rule NAME {{ … }}` block.",
)
MISSING_APPLY_ARROW = define(
    "E311",
    "apply 语句缺少「->」",
    "the apply statement is missing '->'",
    "写作 `apply 类别 -> 规则名`，如 `apply 成本指标/* -> 反向`。",
    "write `apply CATEGORY -> RULE`, e.g. `apply 成本指标/* -> 反向`.",
)
MISSING_RESULT = define(
    "E312",
    "「=>」之后缺少结果",
    "missing the result after '=>'",
    "结果可以是 `full`、一个分数表达式、一个百分比（分值的份额）、"
    '`accept [下限, 上限]` 或 `review "理由"`。',
    "a result is `full`, a points expression, a percentage (share of the weight), "
    '`accept [LOW, HIGH]` or `review "REASON"`.',
)
BAD_NUMBER = define(
    "E313",
    "「{text}」应为{what}",
    "'{text}' should be {what_en}",
    "写一个不带百分号的整数，如 `2021`。",
    "write a whole number without a percent sign, e.g. `2021`.",
)

# Full-width symbols people type with a Chinese input method, and their ASCII counterparts.
FULL_WIDTH_ASCII = {
    "：": ":",
    "；": ";",
    "（": "(",
    "）": ")",
    "｛": "{",
    "｝": "}",
    "［": "[",
    "］": "]",
    "【": "[",
    "】": "]",
    "＝": "=",
    "＞": ">",
    "＜": "<",
    "％": "%",
    "＋": "+",
    "－": "-",
    "＊": "*",
    "／": "/",
    "＃": "#",
    "‘": "'",
    "’": "'",
    "。": ".",
    "．": ".",
    "｜": "|",
    "＂": '"',
    "「": '"',
    "」": '"',
}


@cache
def _parser() -> Lark:
    return load_parser("policy", propagate_positions=True)


def parse_policy(
    text: str, file: str = "<policy>", limits: Limits = DEFAULT
) -> tuple[PolicyFile, list[Diagnostic]]:
    """Parse a policy text into a `PolicyFile` and every syntax error found (one per statement).

    Statements with errors are left out of the tree; the others are all there, so the compiler
    can still report the errors it finds in them in the same run. An expression beyond the
    `limits`, or a number outside the bounded number rule, is such an error
    (`rules_engine.policy.screen`).
    """
    text = text.removeprefix("\ufeff")
    lines = tuple(text.splitlines())
    scanned = scan(file, lines)
    statements: list[Statement] = []
    unparsed: list[str] = []
    diagnostics = list(scanned.diagnostics)
    chunks = scanned.chunks
    if not diagnostics:
        # The common case, a clean file, in one parse; statement by statement only on errors.
        try:
            whole = _parser().parse(text)
        except UnexpectedInput:
            pass
        else:
            statements = _build(
                whole,
                file=file,
                lines=lines,
                limits=limits,
                diagnostics=diagnostics,
                unparsed=unparsed,
            )
            chunks = []
    for chunk in chunks:
        # Blank lines before the statement keep lark's line numbers equal to the file's.
        padded = "\n" * (chunk.first_line - 1) + chunk.text + (" }" if chunk.close else "")
        try:
            tree = _parser().parse(padded)
        except UnexpectedInput as exc:
            diagnostics.append(_syntax_diagnostic(exc, padded, file, lines))
            declared = chunk.declared()
            if declared is not None:
                unparsed.append(declared)
            continue
        statements.extend(
            _build(
                tree,
                file=file,
                lines=lines,
                limits=limits,
                diagnostics=diagnostics,
                unparsed=unparsed,
            )
        )
    diagnostics.extend(_number_checks(statements, file, lines))
    return (
        PolicyFile(
            file=file,
            text=text,
            statements=tuple(statements),
            comments=tuple(scanned.comments),
            lines=lines,
            unparsed=tuple(unparsed),
        ),
        diagnostics,
    )


def _build(
    tree: Tree[Token],
    *,
    file: str,
    lines: tuple[str, ...],
    limits: Limits,
    diagnostics: list[Diagnostic],
    unparsed: list[str],
) -> list[Statement]:
    """The statements of a parse tree, less those `screen` sets aside (reported here)."""
    kept, errors, names = screen_tree(
        [x for x in tree.children if isinstance(x, Tree)], file, lines, limits
    )
    built = build(Tree(tree.data, list(kept), tree.meta)) if errors else build(tree)
    statements, number_errors, number_names = screen_numbers(built, file, lines)
    diagnostics.extend([*errors, *number_errors])
    unparsed.extend([*names, *number_names])
    return statements


def grammar_rules() -> set[str]:
    """Names of the grammar rules and aliases that build a node (for the method-per-rule test).

    ``?rule`` definitions that always collapse into their only child build nothing and are left
    out, as are ``_rule`` helpers.
    """
    names: set[str] = set()
    for rule in _parser().rules:
        name = str(rule.alias or rule.origin.name)
        kept = [sym for sym in rule.expansion if not getattr(sym, "filter_out", False)]
        if name.startswith("_") or (rule.options.expand1 and not rule.alias and len(kept) <= 1):
            continue
        names.add(name)
    return names


# ---------------------------------------------------------------------------------------------
# lark's errors, worded for a person

# Broken snippets that identify a kind of syntax error by the parser state they fail in
# (lark `match_examples`); the first matching label picks the message.
_EXAMPLES: dict[str, list[str]] = {
    MISSING_ARROW: [
        "rule a { when actual >= target full }",
        "rule a { when actual >= target 0 }",
        "rule a { otherwise full }",
        "rule a { otherwise weight }",
        "rule a { when 达成 full }",
        "rule a { when 达成 100% }",
    ],
    MISSING_RESULT: [
        "rule a { when actual >= target => }",
        "rule a { otherwise => }",
        "rule a { when actual >= target => when",
    ],
    MISSING_NAME: [
        "rule { when actual >= target => full }",
        'rule "标题" { }',
        "flag when",
        'flag "x" when',
    ],
    CLAUSE_OUTSIDE: ["when actual >= target => full", "otherwise => full"],
    MISSING_APPLY_ARROW: ["apply * 正向", "apply 成本指标/* 反向", "apply target is <= 反向"],
}

# How expected terminals are shown to a person.
_TERMINAL_NAMES: dict[str, tuple[str, str]] = {
    "NAME": ("名称", "a name"),
    "STRING": ("带双引号的文字", "a quoted text"),
    "NUMBER": ("数字", "a number"),
    "PATHSEG": ("类别名", "a category name"),
    "UNBOUNDED": ("*", "*"),
    "ADD_OP": ("+ -", "+ -"),
    "MUL_OP": ("* /", "* /"),
    "$END": ("文件结束", "end of file"),
}


def _expected_text(expected: set[str] | frozenset[str]) -> tuple[str, str]:
    terminals = {t.name: t for t in _parser().terminals}
    zh: list[str] = []
    en: list[str] = []
    for name in sorted(expected):
        if name in _TERMINAL_NAMES:
            z, e = _TERMINAL_NAMES[name]
        elif (name in terminals and terminals[name].pattern.type == "str") or name in terminals:
            z = e = f"`{terminals[name].pattern.value}`"
        else:
            z = e = name
        if z not in zh:
            zh.append(z)
            en.append(e)
    if len(zh) > 8:
        zh, en = [*zh[:8], "…"], [*en[:8], "…"]
    return "、".join(zh), ", ".join(en)


def _syntax_diagnostic(
    exc: UnexpectedInput, padded: str, file: str, lines: tuple[str, ...]
) -> Diagnostic:
    line = exc.line if exc.line and exc.line > 0 else len(lines)
    col = exc.column if exc.column and exc.column > 0 else 1
    if isinstance(exc, UnexpectedCharacters):
        at = exc.pos_in_stream or 0
        char = padded[at] if at < len(padded) else "?"
        pos = Pos(line, col, line, col + 1)
        if char in '"“':
            return located(UNTERMINATED, file, lines, pos)
        if char in FULL_WIDTH_ASCII:
            return located(FULL_WIDTH, file, lines, pos, char=char, ascii=FULL_WIDTH_ASCII[char])
        return located(BAD_CHAR, file, lines, pos, char=char)
    label = _match_example(exc)
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        token = exc.token
        found = str(token)
        pos = Pos(line, col, line, col + max(len(found), 1))
        expected = set(exc.accepts or exc.expected)
        if found in ("=", "->", ":", ">", "-") and "_ARROW" in expected:
            label = MISSING_ARROW  # `=`, `->` or `:` typed where a clause needs `=>`
        at = token.start_pos or 0
        if found == ">" and at > 0 and padded[at - 1] == "-" and "_ARROW" not in expected:
            label = MISSING_ARROW  # `->` in a clause: the `-` was read as a minus sign
            pos = Pos(line, col - 1, line, col + 1)
        if token.type in ("WHEN", "OTHERWISE") and "WHEN" not in expected:
            label = CLAUSE_OUTSIDE  # a clause after a block closed too early, or at top level
        if label is not None:
            return located(label, file, lines, pos, keyword=_keyword_before(padded, exc))
        zh, en = _expected_text(expected)
        return located(
            UNEXPECTED,
            file,
            lines,
            pos,
            suggestion=did_you_mean(found, _keywords(expected)),
            found=found,
            expected=zh,
            expected_en=en,
        )
    # End of input inside a statement: point just after the last character of the statement.
    last = padded.rstrip().rstrip("}").rstrip()
    end_line = last.count("\n") + 1
    end_col = len(last.rsplit("\n", 1)[-1]) + 1
    pos = Pos(end_line, end_col, end_line, end_col + 1)
    if label is not None and label != CLAUSE_OUTSIDE:
        return located(label, file, lines, pos, keyword=_keyword_before(padded, exc))
    at_end: set[str] = set()
    if isinstance(exc, UnexpectedToken):
        at_end = set(exc.accepts or exc.expected)
    elif isinstance(exc, UnexpectedEOF):
        at_end = set(exc.expected)
    zh, en = _expected_text(at_end)
    return located(UNEXPECTED_END, file, lines, pos, expected=zh, expected_en=en)


def _keywords(expected: set[str]) -> list[str]:
    """The keywords among the expected terminals (for "did you mean `otherwise`?")."""
    terminals = {t.name: t for t in _parser().terminals}
    words: list[str] = []
    for name in expected:
        term = terminals.get(name)
        if term is not None and term.pattern.type == "str" and term.pattern.value.isalpha():
            words.append(term.pattern.value)
    return words


def _match_example(exc: UnexpectedInput) -> str | None:
    try:
        label = exc.match_examples(
            _parser().parse, _EXAMPLES, token_type_match_fallback=True, use_accepts=True
        )
    except Exception:  # an example that parses cleanly is a bug in the table; ignore it here
        return None
    return label if isinstance(label, str) else None


def _keyword_before(padded: str, exc: UnexpectedInput) -> str:
    """The statement keyword the error sits in (for "missing a name after 'rule'")."""
    before = padded[: exc.pos_in_stream].split()
    for word in reversed(before):
        if word in ("rule", "flag", "terms", "term", "budget"):
            return word
    return "rule"


def _number_checks(
    statements: Sequence[Statement], file: str, lines: tuple[str, ...]
) -> list[Diagnostic]:
    """Whole numbers where the syntax allows any number (year, rounding places)."""
    found: list[Diagnostic] = []
    for stmt in statements:
        numbers: list[tuple[Number, str, str]] = []
        if isinstance(stmt, PolicyDecl) and stmt.year is not None:
            numbers.append((stmt.year, "年份（整数）", "a year (whole number)"))
        if isinstance(stmt, RoundDecl):
            numbers.append((stmt.places, "小数位数（整数）", "a number of places (whole number)"))
        for num, what, what_en in numbers:
            if num.percent or num.value != num.value.to_integral_value():
                found.append(
                    located(
                        BAD_NUMBER, file, lines, num.pos, text=num.text, what=what, what_en=what_en
                    )
                )
    return found
