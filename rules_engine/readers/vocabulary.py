"""The words forms print: header names, category vocabulary and their variants, and cell shapes."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Literal

# Traditional characters that occur in header and category names, mapped to simplified ones.
# Only names are matched through this table; cell text is always kept as printed.
_TRADITIONAL = str.maketrans(
    "標級實際質數時經濟態續響滿對務項門價値單資預執額財撥結轉餘總計產績過決設調權並當規劃評類說準內號稱屬員會開發達測進極點現覺環衛專補學職業國組織樂區縣鎮應與為統體後據眾衆費監農勞審關係護檢驗醫療機構確認備註",
    "标级实际质数时经济态续响满对务项门价值单资预执额财拨结转余总计产绩过决设调权并当规划评类说准内号称属员会开发达测进极点现觉环卫专补学职业国组织乐区县镇应与为统体后据众众费监农劳审关系护检验医疗机构确认备注",
)

# A broken simplified→traditional converter keeps the original reading in brackets: 指標(biāo).
_PINYIN_RESIDUE = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ\s]+[)）]")
# Score annotations printed inside category and header labels: 产出指标(50分), (40-50)分, （必填）.
_ANNOTATION = re.compile(
    r"[(（][^()（）]*[)）]分|[(（][^()（）]*?(?:分|必填|选填|硬性|%)[^()（）]*?[)）]"
    r"|[(（]?\d+(?:\.\d+)?分[)）]?$|[(（]\d+(?:\.\d+)?[)）]$|[★☆*＊]+"
)
_SPACE = re.compile(r"\s+")


@lru_cache(maxsize=16384)
def normalize(text: str) -> str:
    """Text for matching names: NFKC, simplified, no converter residue, annotations or spaces."""
    out = _PINYIN_RESIDUE.sub("", text)
    out = unicodedata.normalize("NFKC", out)
    out = out.translate(_TRADITIONAL)
    out = _SPACE.sub("", out)
    return out


@lru_cache(maxsize=16384)
def category_key(text: str) -> str:
    """A category label reduced to its words: ``产出指标(50分)`` → ``产出指标``."""
    out = normalize(text)
    out = _ANNOTATION.sub("", out)
    out = out.strip(":：.、")
    return out


# --- indicator table header --------------------------------------------------------------

HeaderField = Literal[
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "score",
    "note",
    "op",
    "value",
    "unit",
    "standard",
    "review",
    "ignore",
]
# Columns an indicator row may hold text in but does not keep: descriptions, the scoring
# standard (评价标准, kept for process scorecard rows) and the reviewed score (复核分).
PASSIVE_FIELDS = ("ignore", "standard", "review")

# Exact header names (after `category_key`), per field. Checked before the looser patterns.
HEADER_NAMES: dict[str, HeaderField] = {
    "一级指标": "level1",
    "一级目标": "level1",
    "一级": "level1",
    "项目类别": "level1",
    "指标类型": "level1",
    "二级指标": "level2",
    "二级目标": "level2",
    "二级": "level2",
    "三级指标": "name",
    "三级": "name",
    "指标名称": "name",
    "指标内容": "name",
    "绩效指标名称": "name",
    "年度指标值": "target",
    "指标值": "target",
    "预期指标值": "target",
    "年度目标值": "target",
    "年度目标指标值": "target",
    "预期目标值": "target",
    "目标值": "target",
    "年初目标值": "target",
    "年初目标值(A)": "target",
    "年初指标值": "target",
    "当年预期实现值": "target",
    "指标值及单位": "target",
    "年度指标值(A)": "target",
    "指标目标值": "target",
    "实际完成值": "actual",
    "实际完成值(B)": "actual",
    "全年实际值": "actual",
    "实际值": "actual",
    "完成值": "actual",
    "实际完成指标值": "actual",
    "全年完成值": "actual",
    "实施进度": "actual",
    "全年实际完成值": "actual",
    "年终完成值": "actual",
    "分值": "weight",
    "权重": "weight",
    "指标权重": "weight",
    "指标权重(分)": "weight",
    "指标分值": "weight",
    "权重(分)": "weight",
    "分值(分)": "weight",
    "得分": "score",
    "自评得分": "score",
    "指标得分": "score",
    "指标得分(分)": "score",
    "自评分": "score",
    "评分": "score",
    "复核分": "review",
    "复核得分": "review",
    "偏差原因分析及改进措施": "note",
    "偏差原因": "note",
    "偏差原因分析": "note",
    "未完成原因分析": "note",
    "未完成原因及改进措施": "note",
    "偏差原因及改进措施": "note",
    "备注": "note",
    "指标性质": "op",
    "计算符号": "op",
    "度量单位": "unit",
    "计量单位": "unit",
    "指标值说明": "ignore",
    "指标解释": "ignore",
    "评(扣)分标准": "standard",
    "评分标准": "standard",
    "绩效标准": "ignore",
    "得分系数": "ignore",
    "得分系数(%)": "ignore",
    "是否核心指标": "ignore",
    "调整指标值": "ignore",
    "指标值类型": "ignore",
    "序号": "ignore",
    "评价标准": "standard",
    "指标说明": "ignore",
    "指标说明及评分标准": "standard",
    "评价标准及依据": "standard",
    "评分标准及依据": "standard",
    "评价内容": "level2",
    "项目权重": "level1",
}

# Header words that only a header row prints; two of them make a row the indicator header.
INDICATOR_HEADER_CORE = ("一级指标", "二级指标", "三级指标", "指标名称", "一级目标")
# Older templates head the target column 绩效目标, a word other templates print as a block
# label or a 二级 name: it names the target column only in a header that has no other.
TARGET_FALLBACK = ("绩效目标",)


@lru_cache(maxsize=16384)
def header_field(text: str) -> HeaderField | None:
    """Which indicator field a header cell names, or ``None`` when it names none."""
    plain = normalize(text).strip("*:：")
    if plain in HEADER_NAMES:
        return HEADER_NAMES[plain]
    key = category_key(text).replace("*", "")
    if not key:
        return None
    if key in HEADER_NAMES:
        return HEADER_NAMES[key]
    # Looser spellings: 实际完成值（B）, 年度指标值（A）, 自评得分(分) …
    bare = re.sub(r"[(][^()]*[)]", "", key)
    if bare in HEADER_NAMES:
        return HEADER_NAMES[bare]
    # Long note headers vary from template to template: 未完成原因及拟采取的改进措施 …
    if len(bare) <= 20 and ("原因" in bare or "改进措施" in bare):
        return "note"
    return None


@lru_cache(maxsize=16384)
def glued_header_field(text: str) -> HeaderField | None:
    """The field of a header cell glued to the next one (得分偏差原因分析及 → score), else None."""
    bare = re.sub(r"[(][^()]*[)]", "", category_key(text).replace("*", ""))
    for size in range(min(len(bare) - 1, 8), 1, -1):
        name = HEADER_NAMES.get(bare[:size])
        if name is not None and name not in PASSIVE_FIELDS:
            return name
    return None


# --- header fields above the table -------------------------------------------------------

FormField = Literal["project", "department", "unit"]

FORM_FIELD_NAMES: dict[str, FormField] = {
    "项目名称": "project",
    "主管部门": "department",
    "主管部门及代码": "department",
    "部门(单位)名称": "department",
    "部门名称": "department",
    "实施单位": "unit",
    "单位名称": "unit",
    "预算单位": "unit",
    "一级预算单位名称": "department",
    "级预算单位名称": "department",  # the same label with its first character lost
    "填报单位": "unit",
    "预算单位名称": "unit",
    "项目实施单位": "unit",
    "项目支出名称": "project",
    "专项名称": "project",
    "转移支付名称": "project",
    "预算部门": "department",
    "中央主管部门": "department",
    "业务主管部门": "department",
    "项目主管部门": "department",
}
# Remarks printed inside a label: 实施单位(盖章).
_LABEL_REMARK = re.compile(r"\((?:盖章|公章|签章|单位|签字)\)")


@lru_cache(maxsize=16384)
def form_field(text: str) -> FormField | None:
    """Which header field (项目名称, 主管部门, 实施单位 …) a label cell names, or ``None``."""
    key = normalize(text).strip(":：")
    key = _LABEL_REMARK.sub("", key)
    if key in FORM_FIELD_NAMES:
        return FORM_FIELD_NAMES[key]
    # Templates vary the label: 主管预算部门, 项目主管单位, 主管部门(单位), 主管部门及代码 ….
    bare = re.sub(r"[(][^()]*[)]|及其?(?:代码|编码)", "", key)
    if bare in FORM_FIELD_NAMES:
        return FORM_FIELD_NAMES[bare]
    bare = bare.removesuffix("名称")
    if _DEPARTMENT_LABEL.fullmatch(bare):
        return "department"
    if _UNIT_LABEL.fullmatch(bare):
        return "unit"
    return None


_LEVELS = "项目|业务|中央|地方|省级|市级|县级|区级|上级|本级"
_DEPARTMENT_LABEL = re.compile(rf"(?:{_LEVELS})?主管(?:预算)?(?:部门|单位)")
_UNIT_LABEL = re.compile(rf"(?:{_LEVELS})?(?:实施|执行)单位")


# --- budget block ------------------------------------------------------------------------

BudgetField = Literal["initial", "adjusted", "executed", "weight", "rate", "score"]

BUDGET_HEADER_NAMES: dict[str, BudgetField] = {
    "年初预算数": "initial",
    "年初预算": "initial",
    "全年预算数": "adjusted",
    "调整后预算数": "adjusted",
    "全年预算数(调整后预算数)": "adjusted",
    "调整预算数": "adjusted",
    "预算数": "adjusted",
    "全年执行数": "executed",
    "执行数": "executed",
    "实际支出数": "executed",
    "全年实际支出数": "executed",
    "分值": "weight",
    "权重": "weight",
    "执行率": "rate",
    "预算执行率": "rate",
    "全年执行率": "rate",
    "得分": "score",
}


@lru_cache(maxsize=16384)
def budget_field(text: str) -> BudgetField | None:
    """Which budget column a header cell names (年初预算数, 全年执行数, 执行率 …)."""
    key = category_key(text)
    key = re.sub(r"[(][^()]*万?元[^()]*[)]", "", key)
    if key in BUDGET_HEADER_NAMES:
        return BUDGET_HEADER_NAMES[key]
    bare = re.sub(r"[(][^()]*[)]", "", key)
    if bare in BUDGET_HEADER_NAMES:
        return BUDGET_HEADER_NAMES[bare]
    # Headers with a formula tag: 全年执行数(B), 执行率(B/A).
    return None


FUND_WORDS = ("资金", "拨款", "结转", "结余", "总额", "合计", "小计")


def is_fund_name(text: str) -> bool:
    """Whether a cell names a funding row (年度资金总额, 其中：当年财政拨款, 上年结转资金 …)."""
    key = normalize(text)
    return len(key) <= 16 and any(word in key for word in FUND_WORDS)


# --- category vocabulary -----------------------------------------------------------------

LEVEL1_WORDS = frozenset(
    {
        "产出指标",
        "效益指标",
        "满意度指标",
        "投入指标",
        "过程指标",
        "成本指标",
        "效果指标",
        "决策指标",
        "项目决策",
        "项目过程",
        "项目产出",
        "项目效益",
        "成效指标",
        "效率指标",
        "项目完成指标",
        "项目效益指标",
        "产出",
        "效益",
        "满意度",
        "投入",
        "过程",
        "决策",
        "效果",
        "成本",
        "管理指标",
        "履职效能",
        "项目管理",
        "社会满意度",
        "规划",
        "执行",
        "绩效",
    }
)

LEVEL2_WORDS = frozenset(
    {
        "数量指标",
        "质量指标",
        "时效指标",
        "进度指标",
        "成本指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
        "经济效益指标",
        "社会效益指标",
        "生态效益指标",
        "可持续影响指标",
        "可持续发展指标",
        "服务对象满意度指标",
        "满意度指标",
        "社会公众或服务对象满意度",
        "社会公众满意度指标",
        "服务对象满意度",
        "资金投入",
        "财务管理",
        "人事管理",
        "资产管理",
        "业务管理",
        "部门工作管理",
        "预算执行",
        "预算编制",
        "预算管理",
        "目标设定",
        "项目立项",
        "绩效目标",
        "资金管理",
        "组织实施",
        "数量",
        "质量",
        "时效",
        "经济效益",
        "社会效益",
        "生态效益",
        "可持续影响",
        "环境效益",
        "工作计划",
        "基础信息",
        "预算配置",
        "服务对象满意度指标等",
        "社会公众满意度",
    }
)


@lru_cache(maxsize=16384)
def category_level(text: str) -> frozenset[int]:
    """The hierarchy levels a category word can stand at: {1}, {2}, {1, 2} or empty."""
    key = category_key(text)
    key = re.sub(r"[(][^()]*[)]", "", key)
    levels: set[int] = set()
    if key in LEVEL1_WORDS:
        levels.add(1)
    if key in LEVEL2_WORDS:
        levels.add(2)
    return frozenset(levels)


# --- cell shapes -------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")
_NAME_PREFIX = re.compile(r"^指标\s*\d+\s*[:：.、]")
_PLACEHOLDER_NAME = re.compile(r"^指标\s*\d*\s*[:：.、]?\s*[/／—－-]*$")
_VALUE_START = re.compile(r"^[≥≧≤≦<>＜＞=﹦═±+\-~～]|^\d|^[０-９]")
_OPERATOR_ONLY = re.compile(r"^[≥≧≤≦<>＜＞=﹦═]+$|^[>＞<＜]=$")
_DOTS = re.compile(r"^[…\.。·]+$")


@lru_cache(maxsize=16384)
def is_number(text: str) -> bool:
    """A bare decimal number (weights and scores print like this): ``10``, ``9.00``, ``１０``."""
    return bool(_NUMBER.fullmatch(unicodedata.normalize("NFKC", text).strip()))


_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s*(?:万元|万|元|亿元|亿|千元)?")


@lru_cache(maxsize=16384)
def is_amount(text: str) -> bool:
    """An amount of money as forms print it: ``8.6``, ``150万``, ``150万元``, ``1,234.56``."""
    return bool(_AMOUNT.fullmatch(unicodedata.normalize("NFKC", text).strip()))


@lru_cache(maxsize=16384)
def is_weightlike(text: str) -> bool:
    """A number that can be a weight or a score: a bare number, maybe with 分."""
    norm = unicodedata.normalize("NFKC", text).strip().removesuffix("分").strip()
    return bool(_NUMBER.fullmatch(norm))


@lru_cache(maxsize=16384)
def is_name_like(text: str) -> bool:
    """Whether a cell reads as an indicator name: ``指标1：…`` and the like."""
    return bool(_NAME_PREFIX.match(normalize(text)))


@lru_cache(maxsize=16384)
def is_placeholder(text: str) -> bool:
    """A template placeholder printed in place of a row: ``指标2：``, ``……``."""
    norm = normalize(text)
    return bool(_PLACEHOLDER_NAME.fullmatch(norm) or _DOTS.fullmatch(norm))


# Characters units are written with (度量单位 cells): %, 人次, 万元, 元/人·月, 公里, 万平方米 …
_UNIT_CHARS = set(
    "%‰％人次个家元万亿千百亩天年月日周时小分钟秒篇份项条辆座公里米平方立千克吨台套件户所场期批株"
    "棵只头张本册卷处间名位岗班课门例种类组部栋层孔口眼台辆艘架盏块根床元角/·*、 "
    "mMkKgGtTbBＭ"
)


@lru_cache(maxsize=16384)
def is_unit(text: str) -> bool:
    """A cell that reads as a unit of measure (%, 人次, 万元, 元/人·月)."""
    norm = unicodedata.normalize("NFKC", text).strip()
    return 0 < len(norm) <= 6 and all(ch in _UNIT_CHARS for ch in norm)


_PURE_VALUE = re.compile(r"^[≥≧≤≦<>=﹦═±]*\s*\d+(?:\.\d+)?\s*(\S{0,6})$")


@lru_cache(maxsize=16384)
def is_pure_value(text: str) -> bool:
    """A cell that is only a quantity: ``37442人``, ``97.30%``, ``≥95%``, ``14种`` (no name)."""
    match = _PURE_VALUE.match(unicodedata.normalize("NFKC", text).strip())
    return match is not None and all(ch in _UNIT_CHARS for ch in match.group(1))


_BLOCK_LABELS = frozenset(
    {"年度绩效目标", "绩效指标", "年度绩效指标", "年度绩效指标完成情况", "绩效目标", "年度目标"}
)


@lru_cache(maxsize=16384)
def is_block_label(text: str) -> bool:
    """A label over a block of indicator rows: 年度绩效目标2(40分), 绩效指标(90分)."""
    key = re.sub(r"\d+$", "", re.sub(r"[(][^()]*[)]", "", category_key(text)))
    return key in _BLOCK_LABELS


VALUE_TYPES = frozenset({"定量", "定性"})


def is_value_type(text: str) -> bool:
    """A 指标值类型 cell (定量 / 定性): it says what kind of target follows, it is no target."""
    return normalize(text) in VALUE_TYPES


@lru_cache(maxsize=16384)
def is_operator(text: str) -> bool:
    """A cell holding only a comparison operator (指标性质 / 计算符号 columns)."""
    return bool(_OPERATOR_ONLY.fullmatch(text.strip()))


@lru_cache(maxsize=16384)
def is_value_like(text: str) -> bool:
    """A cell that reads as a target or actual: it starts with a number or an operator."""
    norm = unicodedata.normalize("NFKC", text).strip()
    if not norm:
        return False
    if _VALUE_START.match(norm) and not _NAME_PREFIX.match(norm):
        return True
    return any(word in norm for word in ("不低于", "不少于", "不超过", "不高于", "以上", "以内"))


TOTAL_WORDS = ("总分", "合计", "总计", "自评总分", "得分合计", "总 分", "合 计")


def is_total_label(text: str) -> bool:
    """A cell opening the totals row: 总分, 合计, 总计."""
    key = normalize(text).strip(":：")
    return key in {"总分", "合计", "总计", "自评总分", "得分合计", "综合得分", "评分合计"}


def year_in(text: str) -> int | None:
    """The year a title or a ``(2021年度)`` line names, if any (``表(2021)`` too)."""
    norm = unicodedata.normalize("NFKC", text)
    match = re.search(r"(20\d{2}|19\d{2})\s*年", norm) or re.search(
        r"[(]\s*(20\d{2}|19\d{2})\s*[)]", norm
    )
    return int(match.group(1)) if match else None


# Words printed at either level, and the level the current templates put them at: the 2020
# template prints 成本指标 as a 二级 under 产出指标, and 满意度指标 as a 一级.
_PREFERRED_LEVEL = {"成本指标": 2, "成本": 2, "满意度指标": 1, "满意度": 1}


_FAMILY = {
    "产出指标": (
        "数量指标",
        "质量指标",
        "时效指标",
        "进度指标",
        "成本指标",
        "经济成本指标",
        "社会成本指标",
        "生态环境成本指标",
    ),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标", "社会公众满意度指标"),
}
_SCORE_ONLY = re.compile(r"^[(]?\d+(?:\.\d+)?分?[)]?分?$")


@lru_cache(maxsize=16384)
def is_score_only(text: str) -> bool:
    """A 一级 cell that lost its name and kept only its points: ``(50分)``, ``30分)``."""
    norm = normalize(text)
    return "分" in norm and bool(_SCORE_ONLY.match(norm))


@lru_cache(maxsize=16384)
def family_of(level2: str) -> str | None:
    """The 一级 name a 二级 name belongs to in the standard template (数量指标 → 产出指标)."""
    key = re.sub(r"[(][^()]*[)]", "", category_key(level2))
    return next((top for top, subs in _FAMILY.items() if key in subs), None)


@lru_cache(maxsize=16384)
def preferred_level(text: str) -> int | None:
    """The level a category word is read at when its cells do not settle it."""
    key = re.sub(r"[(][^()]*[)]", "", category_key(text))
    levels = category_level(text)
    if len(levels) == 1:
        return next(iter(levels))
    return _PREFERRED_LEVEL.get(key, 1) if levels else None


# --- fragments of column headers -----------------------------------------------------------

_BARE_FIGURE = re.compile(r"^[≥≧≤≦<>=﹦═%％.\d\s]+$")


@lru_cache(maxsize=16384)
def header_fragment(text: str) -> Literal["word", "piece"] | None:
    """Whether an indicator name came from the column header rather than an indicator:
    ``word`` for a whole header word of the indicator table (``分值``, ``三级指标``) or a bare
    figure, ``piece`` for a short piece of one (``年初指``, ``分``), else ``None``.

    A piece alone is weak evidence (a name cut by a page break looks the same); callers weigh it
    with the row's other cells."""
    key = category_key(text).strip("*")
    if not key:
        return None
    if key in HEADER_NAMES or _BARE_FIGURE.match(key):
        return "word"
    if len(key) <= 3 and any(key in word and key != word for word in HEADER_NAMES):
        return "piece"
    return None
