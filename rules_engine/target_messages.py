"""The coded reasons a target or actual cell text cannot be read (E21x-E22x)."""

from __future__ import annotations

from rules_engine.diagnostics import CATALOG, define
from rules_engine.values import Unknown

__all__ = ["MESSAGES", "unknown"]

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
    "没有比较符号的百分比在 200% 到 300% 之间或为 2100%，疑似「≥」被识别成了「2」",
    "a percentage from 200 to 300, or 2100, without an operator: probably '≥' misread as '2'",
    "对照原表核对，例如 292% 多半是 ≥92%，2100% 多半是 ≥100%。",
    "check against the original form: 292% is most likely ≥92%, 2100% most likely ≥100%.",
)
TOO_LONG_NUMBER = define(
    "E221",
    "数值超过 20 位，不像指标值",
    "a number longer than 20 digits is not a plausible value",
    "核对这个数值是否多打或粘连了数字。",
    "check whether digits were repeated or glued together.",
)

PLACEHOLDER = define(
    "E222",
    "只有占位符（—、一、/），视为未填写",
    "only a placeholder (—, 一, /): nothing is filled in",
    "填写指标值；确实不适用的指标请在备注中说明。",
    "write the value; for an indicator that does not apply, say so in the note.",
)
ODD_SIGNS = define(
    "E223",
    "数值前有重复或相互矛盾的正负号",
    "doubled or mixed signs before the number",
    "对照原表核对符号，例如 --5 应为 -5 还是 5。",
    "check the sign against the original form: is --5 meant as -5 or 5?",
)
DAMAGED_UNIT = define(
    "E224",
    "单位的位置上是符号，疑似识别错误",
    "a symbol stands where the unit belongs: probably damaged",
    "对照原表核对单位（例如 290$ 可能是 290% 或 290元）。",
    "check the unit against the original form (290$ may be 290% or 290元).",
)
LEADING_ZEROS = define(
    "E225",
    "数值以 0 开头，疑似丢失了数字",
    "the number begins with 0: digits are probably lost",
    "对照原表核对这个数值（例如 000亩 可能是 1000亩）。",
    "check the number against the original form (000亩 may be 1000亩).",
)
MISREAD_OPERATOR = define(
    "E226",
    "数值前是汉字「一」或「二」，疑似比较符号或负号识别错误",
    "the character 一 or 二 stands before the number: probably a misread operator or sign",
    "对照原表核对，例如 二100% 多半是 =100% 或 ≥100%。",
    "check against the original form: 二100% is most likely =100% or ≥100%.",
)
OUT_OF_RANGE = define(
    "E227",
    "数值超出可计算的范围（最多 15 位有效数字、小于 1 万亿、小数不超过 6 位）",
    "the number is outside the range the engine computes with (15 significant digits, below"
    " 10^12, 6 places)",
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
    PLACEHOLDER,
    ODD_SIGNS,
    DAMAGED_UNIT,
    LEADING_ZEROS,
    MISREAD_OPERATOR,
    OUT_OF_RANGE,
)


def unknown(code: str) -> Unknown:
    """The value of a text that cannot be read, for the reason `code` (English; zh in CATALOG)."""
    return Unknown(reason=CATALOG[code].en, code=code)
