"""Policy text → typed syntax tree (`parse_policy`); lark trees and tokens never leave this module.

The tree keeps every statement, name, literal and comment with its source position, so the
compiler can point at any of them and the formatter can print the policy back. Syntax errors
are collected per top-level statement: the text is cut into statements at the lines that start
with a top-level keyword, each statement is parsed alone, so one slip does not hide the others.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Any

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from rules_engine.diagnostics import Diagnostic, Severity, define
from rules_engine.lark_tables import load_parser
from rules_engine.policy.nodes import (
    AcceptResult,
    AndTest,
    AnySelector,
    ApplyDecl,
    BasisDecl,
    BinaryOp,
    BudgetDecl,
    BudgetItem,
    BudgetScore,
    BudgetSetting,
    Call,
    CapDecl,
    CategoriesDecl,
    Clause,
    Comment,
    Comparison,
    DeadlineDecl,
    DirectionDecl,
    EnText,
    Expr,
    ExtendsDecl,
    FlagDecl,
    FlagEn,
    FlagItem,
    FlagOff,
    FlagSeverity,
    FloorDecl,
    FullAtDecl,
    FullResult,
    GradeItem,
    GradesDecl,
    IntervalLit,
    InTest,
    IsTest,
    MeetsTest,
    Name,
    Negate,
    NoteDecl,
    NotTest,
    Number,
    OrTest,
    PathSelector,
    PointsResult,
    PolicyDecl,
    PolicyFile,
    Pos,
    Result,
    ReviewResult,
    RoundDecl,
    RuleDecl,
    RuleItem,
    Selector,
    ShapeSelector,
    Statement,
    TermDecl,
    TermsDecl,
    ToleranceDecl,
    Unbounded,
    WeightGroup,
    WeightItem,
    WeightsDecl,
    WeightTolerance,
    WeightTotal,
    Word,
)
from rules_engine.signs import ARITHMETIC_ASCII

# ---------------------------------------------------------------------------------------------
# Messages (E300–E319: reading the policy text)

UNREADABLE = define(
    "E300",
    "无法读取策略文件：{reason_zh}",
    "cannot read the policy file: {reason_en}",
    "检查路径是否正确、文件是否为 UTF-8 文本；内置策略可直接写名称，如 national-2020。",
    "check the path and that the file is UTF-8 text; shipped policies can be named, "
    "e.g. national-2020.",
)
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
UNCLOSED = define(
    "E305",
    "这个「{{」没有对应的「}}」",
    "this '{{' is never closed by a '}}'",
    "在{where}补上「}}」。",
    "add a '}}' {where_en}.",
)
UNMATCHED_CLOSE = define(
    "E306",
    "多余的「}}」：前面没有对应的「{{」",
    "unmatched '}}': there is no '{{' before it",
    "删去这个「}}」，或在块的开头补上「{{」。",
    "remove this '}}' or add the missing '{{' where the block starts.",
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

# Keywords that start a top-level statement, and those that can never appear inside a block
# (meeting one of those inside braces means the block was not closed).
TOP_KEYWORDS = frozenset(
    {
        "policy",
        "extends",
        "basis",
        "note",
        "terms",
        "term",
        "rule",
        "budget",
        "apply",
        "weights",
        "grades",
        "round",
        "tolerance",
        "flag",
        "deadline",
        "categories",
    }
)
BLOCK_BREAKERS = TOP_KEYWORDS - {"basis", "note", "tolerance"}

# ---------------------------------------------------------------------------------------------
# Locating messages


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


# ---------------------------------------------------------------------------------------------
# Parsing


@cache
def _parser() -> Lark:
    return load_parser("policy", propagate_positions=True)


def parse_policy(text: str, file: str = "<policy>") -> tuple[PolicyFile, list[Diagnostic]]:
    """Parse a policy text into a `PolicyFile` and every syntax error found (one per statement).

    Statements with errors are left out of the tree; the others are all there, so the compiler
    can still report the errors it finds in them in the same run.
    """
    text = text.removeprefix("\ufeff")
    lines = tuple(text.splitlines())
    scan = _scan(text, file, lines)
    statements: list[Statement] = []
    unparsed: list[str] = []
    diagnostics = list(scan.diagnostics)
    chunks = scan.chunks
    if not diagnostics:
        # The common case, a clean file, in one parse; statement by statement only on errors.
        try:
            whole = _parser().parse(text)
        except UnexpectedInput:
            pass
        else:
            statements = _Build(file, lines).transform(whole)
            chunks = []
    for chunk in chunks:
        # Blank lines before the statement keep lark's line numbers equal to the file's.
        padded = "\n" * (chunk.first_line - 1) + chunk.text + (" }" if chunk.close else "")
        try:
            tree = _parser().parse(padded)
        except UnexpectedInput as exc:
            diagnostics.append(_syntax_diagnostic(exc, padded, file, lines))
            declared = _DECLARED.match(chunk.text)
            if declared:
                unparsed.append(declared.group(1))
            continue
        built = _Build(file, lines).transform(tree)
        statements.extend(built)
    diagnostics.extend(_number_checks(statements, file, lines))
    return (
        PolicyFile(
            file=file,
            text=text,
            statements=tuple(statements),
            comments=tuple(scan.comments),
            lines=lines,
            unparsed=tuple(unparsed),
        ),
        diagnostics,
    )


# The name a statement declares, read without parsing (for statements with syntax errors).
_DECLARED = re.compile(r"\s*(?:rule|terms|term|flag)\s+([^\s{=,\"]+)")


@dataclass
class _Chunk:
    first_line: int
    text: str
    close: bool = False


@dataclass
class _Scan:
    chunks: list[_Chunk]
    comments: list[Comment]
    diagnostics: list[Diagnostic]


def _first_word(line: str) -> str:
    stripped = line.lstrip()
    word = ""
    for ch in stripped:
        if ch.isalnum() or ch == "_":
            word += ch
        else:
            break
    return word


def _scan(text: str, file: str, lines: tuple[str, ...]) -> _Scan:
    """Cut the text into top-level statements, collect comments, and check braces."""
    comments: list[Comment] = []
    diagnostics: list[Diagnostic] = []
    chunks: list[_Chunk] = []
    depth_stack: list[Pos] = []
    current: list[str] = []
    start = 1

    def flush(next_line: int, close: bool) -> None:
        if any(part.strip() for part in current):
            chunks.append(_Chunk(start, "\n".join(current), close))
        del current[:]

    for number, raw in enumerate(lines, start=1):
        word = _first_word(raw)
        starts_statement = word in TOP_KEYWORDS and (not depth_stack or word in BLOCK_BREAKERS)
        if starts_statement and number > start:
            unclosed = bool(depth_stack)
            if unclosed:
                opened = depth_stack[0]
                diagnostics.append(_unclosed(opened, number, file, lines))
                depth_stack.clear()
            flush(number, unclosed)
            start = number
        kept = _scan_line(
            raw,
            number,
            comments=comments,
            depth_stack=depth_stack,
            diagnostics=diagnostics,
            file=file,
            lines=lines,
        )
        current.append(kept)
    if depth_stack:
        diagnostics.append(_unclosed(depth_stack[0], None, file, lines))
        flush(len(lines) + 1, True)
    else:
        flush(len(lines) + 1, False)
    return _Scan(chunks, comments, diagnostics)


def _unclosed(opened: Pos, before: int | None, file: str, lines: tuple[str, ...]) -> Diagnostic:
    """E305 at the unclosed brace, saying where the `}` is missing."""
    if before is None:
        where, where_en = "文件末尾", "at the end of the file"
    else:
        where, where_en = f"第 {before} 行之前", f"before line {before}"
    return located(UNCLOSED, file, lines, opened, where=where, where_en=where_en)


def _scan_line(
    raw: str,
    number: int,
    *,
    comments: list[Comment],
    depth_stack: list[Pos],
    diagnostics: list[Diagnostic],
    file: str,
    lines: tuple[str, ...],
) -> str:
    """Track braces and comments on one line; blank out a stray ``}`` so parsing can go on."""
    out = list(raw)
    quote: str | None = None
    for index, ch in enumerate(raw):
        col = index + 1
        if quote is not None:
            if ch == quote:
                quote = None
            continue
        if ch == '"':
            quote = '"'
        elif ch == "“":
            quote = "”"
        elif ch == "#":
            comments.append(Comment(raw[index:], Pos(number, col, number, len(raw) + 1)))
            break
        elif ch == "{":
            depth_stack.append(Pos(number, col, number, col + 1))
        elif ch == "}":
            if depth_stack:
                depth_stack.pop()
            else:
                diagnostics.append(
                    located(UNMATCHED_CLOSE, file, lines, Pos(number, col, number, col + 1))
                )
                out[index] = " "
    return "".join(out)


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
    statements: list[Statement], file: str, lines: tuple[str, ...]
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


# ---------------------------------------------------------------------------------------------
# Tree → syntax nodes: one method per grammar rule (tests/test_policy_syntax.py checks this).


def _pos_of(item: Any) -> Pos:
    if isinstance(item, Token):
        end_line = item.end_line if item.end_line is not None else item.line or 1
        end_col = item.end_column if item.end_column is not None else (item.column or 1) + 1
        return Pos(item.line or 1, item.column or 1, end_line, end_col)
    pos = getattr(item, "pos", None)
    if isinstance(pos, Pos):
        return pos
    raise TypeError(f"no position for {item!r}")


def _span(first: Any, last: Any) -> Pos:
    a, b = _pos_of(first), _pos_of(last)
    return Pos(a.line, a.col, b.end_line, b.end_col)


def _meta_pos(meta: Any, children: Sequence[Any]) -> Pos:
    if not getattr(meta, "empty", True):
        return Pos(meta.line, meta.column, meta.end_line, meta.end_column)
    if children:
        return _span(children[0], children[-1])
    return Pos(1, 1, 1, 2)


def _unquote(token: Token) -> str:
    text = str(token)
    if text[:1] in '"“' and len(text) >= 2:
        return text[1:-1]
    return text


def _split_en(children: list[Any]) -> tuple[Word | None, list[Any]]:
    """The ``en "…"`` among a rule's children (its text), and the other children."""
    en = next((x.text for x in children if isinstance(x, EnText)), None)
    return en, [x for x in children if not isinstance(x, EnText)]


def _word(token: Token) -> Word:
    text = str(token)
    return Word(_unquote(token), text[:1] in '"“', _pos_of(token))


def _number(token: Token) -> Number:
    text = str(token)
    percent = text.endswith("%")
    try:
        value = Decimal(text.rstrip("%"))
    except InvalidOperation:  # the grammar only lets digits through; keep the tree total anyway
        value = Decimal(0)
    if percent:
        value = value / 100
    return Number(text, value, percent, _pos_of(token))


@v_args(meta=True)
class _Build(Transformer[Token, list[Statement]]):
    """Build syntax nodes bottom-up; each method is named after the grammar rule it builds."""

    def __init__(self, file: str, lines: tuple[str, ...]) -> None:
        super().__init__()
        self.file = file
        self.lines = lines

    # -- top level
    def start(self, meta: Any, c: list[Statement]) -> list[Statement]:
        return list(c)

    def policy_decl(self, meta: Any, c: list[Any]) -> PolicyDecl:
        en, rest = _split_en(c)
        year = next((v for k, v in rest[1:] if k == "year"), None)
        region = next((v for k, v in rest[1:] if k == "region"), None)
        return PolicyDecl(_word(rest[0]), year, region, _meta_pos(meta, c), en)

    def policy_year(self, meta: Any, c: list[Token]) -> tuple[str, Number]:
        return ("year", _number(c[1]))

    def policy_region(self, meta: Any, c: list[Token]) -> tuple[str, Word]:
        return ("region", _word(c[1]))

    def extends_decl(self, meta: Any, c: list[Token]) -> ExtendsDecl:
        return ExtendsDecl(_word(c[0]), _meta_pos(meta, c))

    def basis_decl(self, meta: Any, c: list[Any]) -> BasisDecl:
        en, rest = _split_en(c)
        return BasisDecl(_word(rest[0]), _meta_pos(meta, c), en)

    def note_decl(self, meta: Any, c: list[Any]) -> NoteDecl:
        en, rest = _split_en(c)
        return NoteDecl(_word(rest[0]), _meta_pos(meta, c), en)

    def en_text(self, meta: Any, c: list[Token]) -> EnText:
        return EnText(_word(c[0]), _meta_pos(meta, c))

    # -- terms
    def terms_decl(self, meta: Any, c: list[Any]) -> TermsDecl:
        en, rest = _split_en(c)
        return TermsDecl(_word(rest[0]), rest[1], tuple(rest[2]), _meta_pos(meta, c), en)

    def terms_op(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def term_decl(self, meta: Any, c: list[Any]) -> TermDecl:
        negative, value = c[2]
        return TermDecl(tuple(c[0]), c[1], value, negative, _meta_pos(meta, c))

    def word_list(self, meta: Any, c: list[Token]) -> list[Word]:
        return [_word(t) for t in c]

    def deadline_decl(self, meta: Any, c: list[Token]) -> DeadlineDecl:
        return DeadlineDecl(_word(c[0]), _meta_pos(meta, c))

    def categories_decl(self, meta: Any, c: list[Any]) -> CategoriesDecl:
        return CategoriesDecl(tuple(c[0]), _meta_pos(meta, c))

    # -- rules
    def rule_decl(self, meta: Any, c: list[Any]) -> RuleDecl:
        name = _word(c[0])
        en, rest = _split_en(c[1:])
        title = None
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        return RuleDecl(name, title, tuple(rest), _meta_pos(meta, c), en)

    def cap_decl(self, meta: Any, c: list[Any]) -> CapDecl:
        expr = None if isinstance(c[0], Token) and c[0].type == "NONE" else c[0]
        return CapDecl(expr, _meta_pos(meta, c))

    def floor_decl(self, meta: Any, c: list[Any]) -> FloorDecl:
        expr = None if isinstance(c[0], Token) and c[0].type == "NONE" else c[0]
        return FloorDecl(expr, _meta_pos(meta, c))

    def direction_decl(self, meta: Any, c: list[Token]) -> DirectionDecl:
        return DirectionDecl(_word(c[0]), _meta_pos(meta, c))

    def full_at_decl(self, meta: Any, c: list[Any]) -> FullAtDecl:
        last = c[-1]
        expr = None if isinstance(last, Token) and last.type == "NONE" else last
        return FullAtDecl(expr, _meta_pos(meta, c))

    def when_clause(self, meta: Any, c: list[Any]) -> Clause:
        return self._clause(meta, c[0], c[1:])

    def otherwise_clause(self, meta: Any, c: list[Any]) -> Clause:
        return self._clause(meta, None, c)

    def _clause(self, meta: Any, when: Expr | None, rest: list[Any]) -> Clause:
        en, tail = _split_en(rest[1:])
        result = rest[0]
        outcome = next((x for x in tail if isinstance(x, Word) and not x.quoted), None)
        label = next((_word(x) for x in tail if isinstance(x, Token)), None)
        return Clause(when, result, outcome, label, _meta_pos(meta, rest), en)

    def outcome(self, meta: Any, c: list[Token]) -> Word:
        return _word(c[0])

    def full(self, meta: Any, c: list[Token]) -> FullResult:
        return FullResult(_pos_of(c[0]))

    def review(self, meta: Any, c: list[Token]) -> ReviewResult:
        en = _word(c[1]) if len(c) > 1 else None
        return ReviewResult(_word(c[0]), en, _meta_pos(meta, c))

    def accept(self, meta: Any, c: list[Any]) -> AcceptResult:
        return AcceptResult(c[0], c[1] if len(c) > 1 else None, _meta_pos(meta, c))

    def points(self, meta: Any, c: list[Any]) -> PointsResult:
        return PointsResult(c[0], _pos_of(c[0]))

    # -- budget
    def budget_decl(self, meta: Any, c: list[Any]) -> BudgetDecl:
        title = None
        en, rest = _split_en(c)
        if rest and isinstance(rest[0], Token):
            title = _word(rest[0])
            rest = rest[1:]
        return BudgetDecl(title, tuple(rest), _meta_pos(meta, c), en)

    def budget_setting(self, meta: Any, c: list[Any]) -> BudgetSetting:
        value = c[1] if isinstance(c[1], Number) else _word(c[1])
        return BudgetSetting(c[0], value, _meta_pos(meta, c))

    def budget_key(self, meta: Any, c: list[Token]) -> Word:
        return _word(c[0])

    def budget_score(self, meta: Any, c: list[Any]) -> BudgetScore:
        return BudgetScore(c[0], _meta_pos(meta, c))

    # -- dispatch
    def apply_decl(self, meta: Any, c: list[Any]) -> ApplyDecl:
        selectors = tuple(x for x in c[:-1] if not isinstance(x, Token))
        target = c[-1]
        if isinstance(target, ReviewResult):
            return ApplyDecl(selectors, None, target, _meta_pos(meta, c))
        return ApplyDecl(selectors, target, None, _meta_pos(meta, c))

    def shape_selector(self, meta: Any, c: list[Any]) -> ShapeSelector:
        negated = any(isinstance(x, Token) and x.type == "NOT" for x in c)
        return ShapeSelector(_word(c[0]), negated, c[-1], _meta_pos(meta, c))

    def any_selector(self, meta: Any, c: list[Token]) -> AnySelector:
        return AnySelector(_pos_of(c[0]))

    def path_alts(self, meta: Any, c: list[tuple[Word, ...]]) -> PathSelector:
        return PathSelector(tuple(c), _meta_pos(meta, [c[0][0], c[-1][-1]]))

    def path(self, meta: Any, c: list[Token]) -> tuple[Word, ...]:
        return tuple(_word(t) for t in c)

    def to_rule(self, meta: Any, c: list[Token]) -> Word:
        return _word(c[0])

    def to_review(self, meta: Any, c: list[Token]) -> ReviewResult:
        return self.review(meta, c)

    # -- weights, grades, rounding, tolerance
    def weights_decl(self, meta: Any, c: list[WeightItem]) -> WeightsDecl:
        return WeightsDecl(tuple(c), _meta_pos(meta, c))

    def weight_group(self, meta: Any, c: list[Any]) -> WeightGroup:
        return WeightGroup(_word(c[0]), c[1], _meta_pos(meta, c))

    def weight_total(self, meta: Any, c: list[Any]) -> WeightTotal:
        return WeightTotal(c[1], _meta_pos(meta, c))

    def weight_tolerance(self, meta: Any, c: list[Any]) -> WeightTolerance:
        return WeightTolerance(c[1], _meta_pos(meta, c))

    def grades_decl(self, meta: Any, c: list[GradeItem]) -> GradesDecl:
        return GradesDecl(tuple(c), _meta_pos(meta, c))

    def grade_item(self, meta: Any, c: list[Any]) -> GradeItem:
        en, rest = _split_en(c)
        op = rest[1] if len(rest) > 2 else None
        bound = rest[2] if len(rest) > 2 else None
        return GradeItem(_word(rest[0]), op, bound, _meta_pos(meta, c), en)

    def grade_op(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def round_decl(self, meta: Any, c: list[Token]) -> RoundDecl:
        stage = _word(c[3]) if len(c) > 3 else None
        return RoundDecl(_word(c[0]), _number(c[1]), stage, _meta_pos(meta, c))

    def tolerance_decl(self, meta: Any, c: list[Any]) -> ToleranceDecl:
        return ToleranceDecl(c[1], _meta_pos(meta, c))

    # -- flags
    def flag_decl(self, meta: Any, c: list[Any]) -> FlagDecl:
        code = _word(c[0])
        zh: Word | None = None
        scope: Word | None = None
        rest = c[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "STRING":
            zh = _word(rest[0])
            rest = rest[1:]
        if rest and isinstance(rest[0], Token) and rest[0].type == "ON":
            scope = _word(rest[1])
            rest = rest[2:]
        when = rest[0]
        items: tuple[FlagItem, ...] = tuple(rest[1]) if len(rest) > 1 else ()
        return FlagDecl(code, zh, scope, when, items, _meta_pos(meta, c))

    def flag_body(self, meta: Any, c: list[FlagItem]) -> list[FlagItem]:
        return list(c)

    def flag_en(self, meta: Any, c: list[Token]) -> FlagEn:
        return FlagEn(_word(c[0]), _meta_pos(meta, c))

    def flag_severity(self, meta: Any, c: list[Token]) -> FlagSeverity:
        return FlagSeverity(_word(c[0]), _meta_pos(meta, c))

    def flag_off(self, meta: Any, c: list[Token]) -> FlagOff:
        return FlagOff(_word(c[0]), _meta_pos(meta, c))

    # -- conditions and expressions
    def or_test(self, meta: Any, c: list[Any]) -> OrTest:
        items = tuple(x for x in c if not isinstance(x, Token))
        return OrTest(items, _meta_pos(meta, c))

    def and_test(self, meta: Any, c: list[Any]) -> AndTest:
        items = tuple(x for x in c if not isinstance(x, Token))
        return AndTest(items, _meta_pos(meta, c))

    def not_test(self, meta: Any, c: list[Any]) -> NotTest:
        return NotTest(c[1], _meta_pos(meta, c))

    def compare(self, meta: Any, c: list[Any]) -> Comparison:
        return Comparison(c[0], c[1], c[2], _meta_pos(meta, c))

    def in_interval(self, meta: Any, c: list[Any]) -> InTest:
        return InTest(c[0], c[1], _meta_pos(meta, c))

    def is_test(self, meta: Any, c: list[Any]) -> IsTest:
        negated = any(isinstance(x, Token) and x.type == "NOT" for x in c)
        return IsTest(c[0], negated, c[-1], _meta_pos(meta, c))

    def meets(self, meta: Any, c: list[Any]) -> MeetsTest:
        return MeetsTest(c[0], c[1], _meta_pos(meta, c))

    def cmp_op(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def shape(self, meta: Any, c: list[Token]) -> Word:
        return _word(c[0])

    def interval(self, meta: Any, c: list[Any]) -> IntervalLit:
        low = Unbounded(str(c[1]), _pos_of(c[1])) if isinstance(c[1], Token) else c[1]
        high = Unbounded(str(c[2]), _pos_of(c[2])) if isinstance(c[2], Token) else c[2]
        return IntervalLit(c[0], low, high, c[3], _meta_pos(meta, c))

    def lbound(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def rbound(self, meta: Any, c: list[Token]) -> str:
        return str(c[0])

    def sum(self, meta: Any, c: list[Any]) -> Expr:
        return self._fold(c)

    def product(self, meta: Any, c: list[Any]) -> Expr:
        return self._fold(c)

    def _fold(self, c: list[Any]) -> Expr:
        expr: Expr = c[0]
        for op, right in zip(c[1::2], c[2::2], strict=True):
            text = ARITHMETIC_ASCII.get(str(op), str(op))
            expr = BinaryOp(text, expr, right, _span(expr, right))
        return expr

    def neg(self, meta: Any, c: list[Any]) -> Negate:
        return Negate(c[0], _meta_pos(meta, c))

    def var(self, meta: Any, c: list[Token]) -> Name:
        return Name(str(c[0]), _pos_of(c[0]))

    def call(self, meta: Any, c: list[Any]) -> Call:
        return Call(Name(str(c[0]), _pos_of(c[0])), tuple(c[1:]), _meta_pos(meta, c))

    def number(self, meta: Any, c: list[Token]) -> Number:
        return _number(c[0])

    def signed_number(self, meta: Any, c: list[Any]) -> tuple[bool, Number]:
        return (len(c) > 1, c[-1])  # a leading "-" token is kept by the `!` rule


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


def builder_methods() -> set[str]:
    """Names of the tree-building methods (for the one-method-per-rule test)."""
    return {n for n in vars(_Build) if not n.startswith("_")}


__all__ = [
    "AcceptResult",
    "AndTest",
    "AnySelector",
    "ApplyDecl",
    "BasisDecl",
    "BinaryOp",
    "BudgetDecl",
    "BudgetItem",
    "BudgetScore",
    "BudgetSetting",
    "Call",
    "CapDecl",
    "CategoriesDecl",
    "Clause",
    "Comment",
    "Comparison",
    "DeadlineDecl",
    "DirectionDecl",
    "Expr",
    "ExtendsDecl",
    "FlagDecl",
    "FlagEn",
    "FlagItem",
    "FlagOff",
    "FlagSeverity",
    "FloorDecl",
    "FullAtDecl",
    "FullResult",
    "GradeItem",
    "GradesDecl",
    "InTest",
    "IntervalLit",
    "IsTest",
    "MeetsTest",
    "Name",
    "Negate",
    "NotTest",
    "NoteDecl",
    "Number",
    "OrTest",
    "PathSelector",
    "PointsResult",
    "PolicyDecl",
    "PolicyFile",
    "Pos",
    "Result",
    "ReviewResult",
    "RoundDecl",
    "RuleDecl",
    "RuleItem",
    "Selector",
    "ShapeSelector",
    "Statement",
    "TermDecl",
    "TermsDecl",
    "ToleranceDecl",
    "Unbounded",
    "WeightGroup",
    "WeightItem",
    "WeightTolerance",
    "WeightTotal",
    "WeightsDecl",
    "Word",
    "builder_methods",
    "did_you_mean",
    "grammar_rules",
    "located",
    "parse_policy",
]
