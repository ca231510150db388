"""Read a target (年度指标值) or actual (实际完成值) cell text into a typed value."""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from lark import Lark, Token, Transformer
from lark.exceptions import LarkError, UnexpectedInput

from rules_engine.diagnostics import CATALOG, define
from rules_engine.resources import grammar_text
from rules_engine.values import (
    CellValue,
    Compare,
    DateValue,
    Number,
    Op,
    Range,
    Role,
    Term,
    Unknown,
)

__all__ = ["MESSAGES", "normalise", "read_cell"]

EMPTY = define(
    "E210",
    "单元格是空的",
    "the cell is empty",
    "填写指标值，例如 ≥95%、1-2次、合规。",
    "write a value such as ≥95%, 1-2次 or 合规.",
)
ONLY_OPERATOR = define(
    "E211",
    "只有比较符号，没有数值",
    "only an operator, no number",
    "在符号后写上数值和单位，例如 ≥95%。",
    "put the number and unit after the operator, e.g. ≥95%.",
)
SEVERAL_NUMBERS = define(
    "E212",
    "含有多个数值，无法判断哪一个是指标值",
    "several numbers: cannot tell which one is the value",
    "每个单元格只写一个指标值，把说明移到备注。",
    "keep one value per cell and move the explanation to the note.",
)
GARBLED = define(
    "E213",
    "疑似识别错误：数字的位置上是字母",
    "garbled: a letter stands where a digit belongs",
    "对照原表核对这个数值（例如字母 O 应为数字 0）。",
    "check the value against the original form (e.g. the letter O for the digit 0).",
)
WORDS_BEFORE = define(
    "E214",
    "数值前的文字不是比较用语",
    "the words before the number are not a comparison",
    "比较用语请写成 ≥、≤、不低于、不超过、至少 等。",
    "write the comparison as ≥, ≤, 不低于, 不超过, 至少 and the like.",
)
UNREADABLE = define(
    "E215",
    "无法识别这种写法",
    "cannot read this text",
    "参照 docs/targets.md 中的写法，例如 ≥95%、1-2次、2021年12月31日前。",
    "use a form from docs/targets.md, e.g. ≥95%, 1-2次, 2021年12月31日前.",
)
NOT_A_DATE = define(
    "E216",
    "不是有效的日期",
    "not a real date",
    "检查年、月、日（例如 2 月没有 30 日）。",
    "check the year, month and day (February has no 30th, for instance).",
)
CONFLICTING_OPERATORS = define(
    "E217",
    "比较用语相互矛盾",
    "conflicting comparison operators",
    "只保留一个比较用语，例如「不低于95%」或「95%以上」。",
    "keep one comparison, e.g. 不低于95% or 95%以上.",
)
REVERSED_RANGE = define(
    "E218",
    "区间的下限大于上限",
    "the range's lower bound is above its upper bound",
    "把较小的数写在前面，例如 3-5家。",
    "write the smaller number first, e.g. 3-5家.",
)
MIXED_UNITS = define(
    "E219",
    "区间两端的单位不同",
    "the two ends of the range have different units",
    "两端使用同一单位，例如 1-2次。",
    "use one unit for both ends, e.g. 1-2次.",
)
MISREAD_PERCENT = define(
    "E220",
    "没有比较符号的百分比在 200% 到 300% 之间，疑似「≥」被识别成了「2」",
    "a percentage from 200 to 300 without an operator: probably '≥' misread as '2'",
    "对照原表核对，例如 292% 多半是 ≥92%。",
    "check against the original form: 292% is most likely ≥92%.",
)
TOO_LONG_NUMBER = define(
    "E221",
    "数值超过 20 位，不像指标值",
    "a number longer than 20 digits is not a plausible value",
    "核对这个数值是否多打或粘连了数字。",
    "check whether digits were repeated or glued together.",
)

MESSAGES = (
    EMPTY,
    ONLY_OPERATOR,
    SEVERAL_NUMBERS,
    GARBLED,
    WORDS_BEFORE,
    UNREADABLE,
    NOT_A_DATE,
    CONFLICTING_OPERATORS,
    REVERSED_RANGE,
    MIXED_UNITS,
    MISREAD_PERCENT,
    TOO_LONG_NUMBER,
)

# ------------------------------------------------------------------------------------------------
# Normalisation: one spelling of every symbol, so the grammar stays readable.

# Full-width ASCII (Ｕ+FF01..FF5E) and the ideographic space become their half-width forms.
_FULL_WIDTH = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_VARIANTS = {
    "\u3000": " ",
    "≥": ">=",
    "≧": ">=",
    "⩾": ">=",
    "≮": ">=",
    "≤": "<=",
    "≦": "<=",
    "⩽": "<=",
    "≯": "<=",
    "﹥": ">",
    "﹤": "<",
    "﹦": "=",
    "═": "=",
    "〓": "=",
    "–": "-",
    "—": "-",
    "―": "-",
    "‐": "-",
    "‑": "-",
    "‒": "-",
    "−": "-",
    "﹣": "-",
    "〜": "~",
    "∼": "~",
    "﹪": "%",
}
_SYMBOLS = str.maketrans(_FULL_WIDTH | _VARIANTS)
_REWRITES = (
    (re.compile(r"\s+"), ""),
    (re.compile(r"-{2,}"), "-"),
    (re.compile(r"~{2,}"), "~"),
    (re.compile(r"=>"), ">="),
    (re.compile(r"=<"), "<="),
    (re.compile(r"百分之([0-9.]+)"), r"\1%"),
    (re.compile(r"百分比"), "%"),
    (re.compile(r"萬元"), "万元"),
    (re.compile(r"億元"), "亿元"),
    # 1,000 is one thousand; a comma between clauses is left for the grammar to reject.
    (re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))"), ""),
    # Trailing sentence punctuation is not part of the value.
    (re.compile(r"[。.;,、:]+\Z"), ""),
)
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_LONG_NUMBER = re.compile(r"[0-9]{21,}")


def normalise(text: str) -> str:
    """Rewrite `text` into the one spelling the grammar reads (see the head of target.lark)."""
    chars = []
    for char in text:
        # Other scripts' decimal digits (Arabic-Indic, full-width) become ASCII digits.
        digit = unicodedata.decimal(char, None) if not char.isascii() else None
        chars.append(str(digit) if digit is not None else char)
    out = "".join(chars).translate(_SYMBOLS)
    for pattern, replacement in _REWRITES:
        out = pattern.sub(replacement, out)
    return out


# ------------------------------------------------------------------------------------------------
# Transformer: one method per grammar rule; lark trees stop here.


@dataclass(frozen=True)
class _Op:
    op: Op


@dataclass(frozen=True)
class _Prefix:
    ops: tuple[Op, ...]
    per: tuple[str, ...]  # the words after 每 (`每人每月` -> 人, 月)


@dataclass(frozen=True)
class _Unit:
    text: str


@dataclass(frozen=True)
class _Ending:
    month_end: bool


@dataclass(frozen=True)
class _TermText:
    """A text with no digit; read_cell decides between a term and an unknown."""


_WORD_OPS: dict[str, Op] = {
    "GE_WORD": ">=",
    "LE_WORD": "<=",
    "GT_WORD": ">",
    "LT_WORD": "<",
    "EQ_WORD": "=",
    "GE_AFTER": ">=",
    "LE_AFTER": "<=",
}
_SYMBOL_OPS: dict[str, Op] = {">=": ">=", ">": ">", "<=": "<=", "<": "<", "=": "="}
_SEPARATORS = {"DASH", "TILDE", "TO"}
_UNIT_TOKENS = {"UNIT", "YEAR", "MONTH", "DAY"}


def _int(value: Decimal) -> int | None:
    return int(value) if value == value.to_integral_value() else None


def _iso(year: int | None, month: int | None, day: int | None) -> str | Unknown:
    """ISO text for a date, month or year; ``--MM-DD`` / ``--MM`` when the year is not printed."""
    if month is not None and not 1 <= month <= 12:
        return _unknown(NOT_A_DATE)
    if day is not None:
        last = calendar.monthrange(year if year is not None else 2000, month or 1)[1]
        if not 1 <= day <= last:
            return _unknown(NOT_A_DATE)
    head = f"{year:04d}" if year is not None else "-"
    if month is None:
        return head
    text = f"{head}-{month:02d}"
    return text if day is None else f"{text}-{day:02d}"


def _last_day(year: int | None, month: int) -> int:
    # Without a year February ends on the 28th: the common case for a deadline.
    return calendar.monthrange(year if year is not None else 2001, month)[1]


def _unknown(code: str) -> Unknown:
    return Unknown(reason=CATALOG[code].en, code=code)


class _ToValue(Transformer[Token, object]):
    """Turn a parse tree of grammar/target.lark into a CellValue (role-free: a target reading)."""

    # --- start and term

    def start(self, children: list[object]) -> object:
        return children[0]

    def term(self, children: list[Token]) -> _TermText:
        return _TermText()

    # --- quantities

    def quantity(self, children: list[object]) -> CellValue:
        prefix = _Prefix((), ())
        value = Decimal(0)
        unit: str | None = None
        ops: set[Op] = set()
        for child in children:
            if isinstance(child, _Prefix):
                prefix = child
                ops.update(child.ops)
            elif isinstance(child, Decimal):
                value = child
            elif isinstance(child, _Unit):
                unit = child.text
            elif isinstance(child, _Op):
                ops.add(child.op)
        if len(ops) > 1:
            return _unknown(CONFLICTING_OPERATORS)
        if prefix.per:
            # 每月3次 is 3 次/月; 每亩300 has no unit of its own and keeps 每亩 as printed.
            unit = "/".join((unit, *prefix.per)) if unit else "每" + "每".join(prefix.per)
        op: Op = ops.pop() if ops else "="
        return Compare(op=op, value=value, unit=unit)

    def prefix(self, children: list[object]) -> _Prefix:
        ops = tuple(c.op for c in children if isinstance(c, _Op))
        per = tuple(c[1:] for c in children if isinstance(c, Token) and c.type == "PER")
        return _Prefix(ops, per)

    def before(self, children: list[Token]) -> _Op:
        token = children[0]
        return _Op(_SYMBOL_OPS[token] if token.type == "OP_SYMBOL" else _WORD_OPS[token.type])

    def after(self, children: list[Token]) -> _Op:
        return _Op(_WORD_OPS[children[0].type])

    def amount(self, children: list[Token]) -> Decimal:
        value = Decimal(str(children[-1]))
        return -value if len(children) > 1 and children[0].type == "DASH" else value

    def unit(self, children: list[object]) -> _Unit:
        tokens = [c for c in children if isinstance(c, Token)]
        rate = "".join(c for c in children if isinstance(c, str) and not isinstance(c, Token))
        first, rest = tokens[0], tokens[1:]
        words_follow = any(t.type not in _UNIT_TOKENS for t in rest)
        if first.type == "UNIT" and words_follow and not rate:
            # A known unit followed by words: the words are a remark (`100%覆盖`, `2次宣传`).
            return _Unit(str(first))
        return _Unit("".join(tokens) + rate)

    def rate(self, children: list[Token]) -> str:
        return "/" + "".join(children)

    def remark(self, children: list[Token]) -> str:
        return "".join(children)

    # --- ranges

    def range(self, children: list[object]) -> CellValue:
        low = children[0]
        assert isinstance(low, Decimal)
        high = next(Decimal(c) for c in children if isinstance(c, Token) and c.type == "NUMBER")
        units = [(i, c.text) for i, c in enumerate(children) if isinstance(c, _Unit)]
        # A unit at index 1 stands right after the low bound; any other one follows the high.
        low_unit = next((text for i, text in units if i == 1), None)
        high_unit = next((text for i, text in units if i > 1), None)
        if low_unit and high_unit and low_unit != high_unit:
            return _unknown(MIXED_UNITS)
        if low > high:
            return _unknown(REVERSED_RANGE)
        return Range(low=low, high=high, unit=high_unit or low_unit)

    def plus_minus(self, children: list[object]) -> CellValue:
        value = Decimal(str(children[1]))
        unit = children[2].text if len(children) > 2 and isinstance(children[2], _Unit) else None
        return Range(low=-value, high=value, unit=unit)

    # --- dates

    def year(self, children: list[Token]) -> int:
        return int(children[0])

    def month(self, children: list[Token]) -> int | None:
        return _int(Decimal(str(children[0])))

    def day(self, children: list[Token]) -> int | None:
        return _int(Decimal(str(children[0])))

    def ending(self, children: list[Token]) -> _Ending:
        return _Ending(month_end=any(t.type == "MONTH_END" for t in children))

    def _date(self, year: int | None, children: list[object]) -> CellValue:
        numbers = [c for c in children if isinstance(c, int) or c is None]
        ending = next((c for c in children if isinstance(c, _Ending)), _Ending(False))
        month = numbers[0] if numbers else None
        day = numbers[1] if len(numbers) > 1 else None
        if (numbers and month is None) or (len(numbers) > 1 and day is None):
            return _unknown(NOT_A_DATE)
        if ending.month_end and day is None:
            if month is None:
                month, day = 12, 31
            elif 1 <= month <= 12:
                day = _last_day(year, month)
        text = _iso(year, month, day)
        return text if isinstance(text, Unknown) else DateValue(value=text)

    def full_date(self, children: list[object]) -> CellValue:
        year = children[0]
        assert isinstance(year, int)
        return self._date(year, [c for c in children[1:] if not isinstance(c, Token)])

    def month_date(self, children: list[object]) -> CellValue:
        return self._date(None, [c for c in children if not isinstance(c, Token)])

    def dotted_date(self, children: list[Token]) -> CellValue:
        year, month, day = (int(p) for p in re.split(r"[./-]", str(children[0])))
        text = _iso(year, month, day)
        return text if isinstance(text, Unknown) else DateValue(value=text)

    def dotted_month(self, children: list[Token]) -> CellValue:
        year, month = (int(p) for p in str(children[0]).split("." if "." in children[0] else "/"))
        return DateValue(value=f"{year:04d}-{month:02d}")

    # --- periods: a span of time has no single date, so the value is null

    def date_period(self, children: list[object]) -> CellValue:
        return DateValue(value=None)

    def month_period(self, children: list[object]) -> CellValue:
        # The first month is a number (`1-12月`); the last was read by `month` (None: not whole).
        first = next((c for c in children if isinstance(c, (Token, Decimal))), None)
        months = [_int(Decimal(first)) if first is not None else None, children[-1]]
        if any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
            return _unknown(NOT_A_DATE)
        return DateValue(value=None)

    def year_period(self, children: list[object]) -> CellValue:
        low = children[0]
        assert isinstance(low, Decimal)
        if not Decimal(1900) <= low <= Decimal(2100):
            return _unknown(NOT_A_DATE)
        return DateValue(value=None)


# ------------------------------------------------------------------------------------------------
# The reader.


@cache
def _parser() -> Lark:
    """The LALR parser, built once from grammar/target.lark.

    The transformer runs inside the parser (no tree is built), which halves the time per text.
    """
    return Lark(grammar_text("target"), parser="lalr", lexer="contextual", transformer=_ToValue())


@cache
def _operator_only() -> re.Pattern[str]:
    """A text made of operators (symbols, comparison words) and at most a unit: no value."""
    names = "OP_SYMBOL PLUS_MINUS GE_WORD LE_WORD GT_WORD LT_WORD EQ_WORD GE_AFTER LE_AFTER"
    by_name = {t.name: t for t in _parser().terminals}
    words = "|".join(by_name[name].pattern.to_regexp() for name in names.split())
    unit = by_name["UNIT"].pattern.to_regexp()
    return re.compile(rf"(?:{words})+(?:{unit})?(?:{words})*")


@cache
def _letter_for_digit() -> re.Pattern[str]:
    """A lone letter O right before a unit (`第O份`): OCR put a letter where the digit 0 was."""
    unit = {t.name: t for t in _parser().terminals}["UNIT"].pattern.to_regexp()
    return re.compile(rf"(?<![A-Za-z])[Oo](?={unit})")


def _explain_failure(text: str, error: LarkError) -> Unknown:
    """Pick the most useful reason for a text the grammar rejects."""
    numbers = _DIGITS.findall(text)
    if len(numbers) > 1:
        return _unknown(SEVERAL_NUMBERS)
    first_digit = next((i for i, ch in enumerate(text) if ch.isdigit()), len(text))
    position = error.pos_in_stream if isinstance(error, UnexpectedInput) else None
    if position is not None and 0 <= position < first_digit:
        return _unknown(WORDS_BEFORE)
    return _unknown(UNREADABLE)


def _read_target(original: str) -> CellValue:
    text = normalise(original)
    if not text:
        return _unknown(EMPTY)
    if _LONG_NUMBER.search(text):
        return _unknown(TOO_LONG_NUMBER)
    try:
        value: object = _parser().parse(text)
    except LarkError as error:
        return _explain_failure(text, error)
    if isinstance(value, _TermText):
        if _operator_only().fullmatch(text):
            return _unknown(ONLY_OPERATOR)
        if _letter_for_digit().search(text):
            return _unknown(GARBLED)
        return Term(term=original.strip())
    assert isinstance(value, (Compare, Range, DateValue, Unknown))
    return value


def read_cell(text: str, role: Role = "target") -> CellValue:
    """Read one cell's text as a target (a bare number is ``=``) or an actual (a ``Number``).

    Never raises: a text that cannot be read is an `Unknown` carrying a coded reason. Each
    distinct (text, role) is parsed once; values are frozen, so sharing them is safe.
    """
    return _read_cached(text, role)


@lru_cache(maxsize=1 << 16)
def _read_cached(text: str, role: Role) -> CellValue:
    value = _read_target(text)
    if isinstance(value, Compare):
        if role == "actual":
            # An actual that copies the target with its operator (`≥266米`) states that number.
            return Number(value=value.value, unit=value.unit)
        if value.op == "=" and value.unit == "%" and Decimal(200) <= value.value < Decimal(300):
            return _unknown(MISREAD_PERCENT)
    return value
