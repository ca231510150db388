"""The columns of a batch's tables (汇总, 指标, 标记, 目标表): each one's key, headings in both
languages, cell kind and what it holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L

# How a column's cells are written: text, a whole number, a score (0.00) or a rate (0.00%).
Kind = Literal["text", "int", "score", "rate"]
Cell = str | int | Decimal | None


@dataclass(frozen=True)
class Column:
    """One column of a table: its key, its heading in both languages, its kind and what it means."""

    key: str
    zh: str
    en: str
    kind: Kind
    help_zh: str = ""
    help_en: str = ""

    def heading(self, lang: Lang) -> str:
        """The heading in `lang`."""
        return L.pick(lang, self.zh, self.en)

    def help(self, lang: Lang) -> str:
        """What the column holds, in `lang`."""
        return L.pick(lang, self.help_zh, self.help_en)


_FILE = Column(
    "file",
    "文件",
    "file",
    "text",
    "相对于命令行所给文件夹（或文件）的路径",
    "path relative to the folder (or file) given on the command line",
)
_FORM = Column("form", "表", "form", "int", "文件中的第几张表", "which form of the file")
_LINE = Column("line", "序号", "#", "int", "表中的第几条指标", "which indicator line of the form")
_LEVEL1 = Column("level1", "一级指标", "level 1", "text")
_LEVEL2 = Column("level2", "二级指标", "level 2", "text")
_NAME = Column("name", "三级指标", "indicator", "text")
_TARGET = Column("target", "年度指标值", "target", "text", "表上的原文", "as printed")
_SOURCE = Column(
    "source",
    "规则位置",
    "policy line",
    "text",
    "所用规则在规则文件中的行",
    "the line of the policy file used",
)
_FLAGS = Column("flags", "标记", "flags", "text", "复核标记（文字）", "review flags, in words")

SUMMARY_COLUMNS = (
    _FILE,
    _FORM,
    Column("kind", "表类型", "form type", "text"),
    Column("project", "项目名称", "project", "text"),
    Column("department", "主管部门", "department", "text"),
    Column("unit", "实施单位", "unit", "text"),
    Column("year", "年度", "year", "int"),
    Column(
        "policy",
        "规则",
        "policy",
        "text",
        "规则名称 · 规则文件 sha256 的前 8 位",
        "policy name · first 8 digits of the policy file's sha256",
    ),
    Column("rate", "预算执行率", "budget execution", "rate"),
    Column(
        "budget",
        "预算得分",
        "budget score",
        "score",
        "按规则算出的预算执行得分；不计入总分、未读出或待复核时写明",
        "the budget score the policy gives; says so when it is not counted, not read or pending",
    ),
    Column(
        "score",
        "复核总分",
        "policy total",
        "score",
        "按规则算出的总分，只在总分确定时给出",
        "the total under the policy, given only when it is final",
    ),
    Column(
        "range",
        "总分区间",
        "total range",
        "text",
        "总分待定时：可能的最低到最高总分、可能的等级和原因",
        "when the total is not final: lowest to highest possible total, the grades, the reasons",
    ),
    Column(
        "grade",
        "等级",
        "grade",
        "text",
        "只在总分确定、或区间落在同一档时给出",
        "given only when the total is final or its range lies in one band",
    ),
    Column("self_score", "自评总分", "self total", "score", "单位填报", "as the unit reported it"),
    Column("self_grade", "自评等级", "self grade", "text"),
    Column(
        "delta",
        "差异",
        "difference",
        "score",
        "复核总分 − 自评总分（两者都确定时）；负数标红",
        "policy total − self total (when both are final); negative in red",
    ),
    Column("pending", "待复核条数", "lines pending", "int"),
    Column(
        "flag_count",
        "标记数",
        "flag count",
        "int",
        "行、预算块和整表的复核标记总数",
        "review flags on lines, the budget block and the form",
    ),
    Column(
        "warnings",
        "读表警告",
        "reader warnings",
        "int",
        "读表时无法确定而未采用的内容，请对照原件",
        "what the reader could not be sure of and left out: check the original",
    ),
    Column(
        "form_flags",
        "整表标记",
        "form flags",
        "text",
        "整表和预算块的复核标记（文字）",
        "review flags of the form and its budget block, in words",
    ),
)

LINE_COLUMNS = (
    _FILE,
    _FORM,
    _LINE,
    _LEVEL1,
    _LEVEL2,
    _NAME,
    _TARGET,
    Column("actual", "实际完成值", "actual", "text", "表上的原文", "as printed"),
    Column("weight", "分值", "weight", "score"),
    Column("score", "复核得分", "policy score", "score", "按规则算出", "under the policy"),
    Column("self_score", "自评得分", "self score", "score", "单位填报", "as the unit reported it"),
    Column(
        "delta",
        "差异",
        "difference",
        "score",
        "复核得分 − 自评得分；负数标红",
        "policy score − self score; negative in red",
    ),
    Column(
        "outcome",
        "结果",
        "outcome",
        "text",
        "达成、部分达成、未达成、待复核（待复核的行底色标黄）",
        "met, partial, missed, review (review rows are shaded)",
    ),
    Column("rule", "规则", "rule", "text", "适用的规则及其结论", "the rule applied and its clause"),
    _SOURCE,
    _FLAGS,
    Column("note", "偏差原因", "deviation note", "text", "表上的原文", "as printed"),
)
STEPS_COLUMN = Column("steps", "评分步骤", "steps", "text", "逐步推导", "the trace, step by step")

FLAG_COLUMNS = (
    _FILE,
    _FORM,
    Column(
        "line", "序号", "#", "int", "标记所在指标行；预算块和整表的标记为空", "blank for form flags"
    ),
    Column(
        "where", "位置", "where", "text", "指标名称、预算执行或整表", "the line, budget or form"
    ),
    Column("code", "代码", "code", "text", "标记代码（见评审人员指南）", "flag code"),
    Column("message", "说明", "message", "text"),
    Column("severity", "级别", "severity", "text"),
    _SOURCE,
)

TARGET_COLUMNS = (
    _FILE,
    _FORM,
    _LINE,
    _LEVEL1,
    _LEVEL2,
    _NAME,
    _TARGET,
    Column("reading", "读作", "read as", "text", "目标值读成了什么", "how the target was read"),
    Column("rule", "适用规则", "rule that applies", "text"),
    _SOURCE,
    _FLAGS,
)


def headings(columns: Iterable[Column], lang: Lang) -> list[str]:
    """The column headings in `lang`."""
    return [column.heading(lang) for column in columns]
