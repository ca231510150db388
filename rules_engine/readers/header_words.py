"""The words forms print as column headers and labels: indicator columns, header fields above the
table, budget columns, funding rows and the totals row."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

from rules_engine.readers.text_keys import category_key, normalize

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


TOTAL_WORDS = ("总分", "合计", "总计", "自评总分", "得分合计", "总 分", "合 计")


def is_total_label(text: str) -> bool:
    """A cell opening the totals row: 总分, 合计, 总计, also with its points (``总分(100分)``)."""
    key = category_key(text).strip(":：")
    return key in {"总分", "合计", "总计", "自评总分", "得分合计", "综合得分", "评分合计"}


_LABEL_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分\s*[)）]")


def points_in_label(text: str) -> str | None:
    """The points a label prints beside itself: ``总分(100分)`` → ``100``."""
    found = _LABEL_POINTS.search(normalize(text))
    return found.group(1) if found else None


# The grade printed after the total on a totals row (``总分 100 自评等级 优``): neither a name
# nor a figure of the row.
GRADE_CELLS = frozenset(
    {"自评等级", "等级", "评价等级", "绩效等级", "自评结果", "优", "良", "中", "差", "优秀", "良好",
     "合格", "不合格", "较好", "一般", "较差"}
)  # fmt: skip


def is_grade_cell(text: str) -> bool:
    """Whether a cell of a totals row is its grade or the grade's label."""
    return normalize(text).strip(":：") in GRADE_CELLS


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
