"""The category vocabulary: the 一级 and 二级 words forms print, their levels and families, and
the labels over blocks of indicator rows."""

from __future__ import annotations

import re
from functools import lru_cache

from rules_engine.readers.text_keys import category_key, normalize

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


_BLOCK_LABELS = frozenset(
    {"年度绩效目标", "绩效指标", "年度绩效指标", "年度绩效指标完成情况", "绩效目标", "年度目标"}
)


@lru_cache(maxsize=16384)
def is_block_label(text: str) -> bool:
    """A label over a block of indicator rows: 年度绩效目标2(40分), 绩效指标(90分)."""
    key = re.sub(r"\d+$", "", re.sub(r"[(][^()]*[)]", "", category_key(text)))
    return key in _BLOCK_LABELS


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
