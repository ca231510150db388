"""Short, deterministic labels all renderers share: names, numbers, outcomes, target readings."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from rules_engine.diagnostics import CATALOG, Lang
from rules_engine.render import figures, findings, flags, steps
from rules_engine.scorecard import (
    AltGrade,
    Flag,
    FormResult,
    GroupTotal,
    LineResult,
    Phrase,
    Step,
    TotalResult,
)
from rules_engine.values import (
    CellValue,
    Compare,
    DateValue,
    Number,
    Range,
    Term,
    Unknown,
    plain,
)

# "指标1：" / "指标12:" prefixes number the lines inside a group; the table has its own numbers.
_NAME_PREFIX = re.compile(r"^指标\s*\d+\s*[：:.．、]\s*")
# A weight written into a group name: 产出指标(50分), 效益指标（30）, or with a bracket lost in
# conversion (效益指标30分)).
_GROUP_POINTS = re.compile(
    r"\s*(?:[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]?|\d+(?:\.\d+)?\s*分?\s*[)）])$"
)

OUTCOME = {
    "met": ("达成", "met"),
    "partial": ("部分达成", "partial"),
    "missed": ("未达成", "missed"),
    "review": ("待复核", "review"),
    "not_applicable": ("不适用", "n/a"),
}


# The policy's English for its own Chinese labels (`PolicyInfo.english`).
Glossary = Mapping[str, str]
NO_GLOSSARY: Glossary = {}


def pick(lang: Lang, zh: str, en: str) -> str:
    """The text for `lang`."""
    return zh if lang == "zh" else en


def short_group(text: str | None) -> str:
    """``产出指标`` → ``产出``: the table repeats the word 指标 on every line otherwise.

    A weight written into the name (``产出指标(50分)``) goes too: the 分值 column has it.
    """
    if not text:
        return ""
    short = _GROUP_POINTS.sub("", text).removesuffix("指标")
    return short or text


def short_name(text: str | None) -> str:
    """``指标3：参加展会情况`` → ``参加展会情况``."""
    if not text:
        return ""
    return _NAME_PREFIX.sub("", text) or text


def indicator_label(line: LineResult) -> str:
    """``产出/质量 参加展会情况``: the path a reviewer recognises, kept short for the table."""
    path = "/".join(p for p in (short_group(line.level1), short_group(line.level2)) if p)
    name = short_name(line.name)
    return f"{path} {name}".strip()


def full_path(line: LineResult) -> str:
    """``产出指标 / 质量指标 / 指标3：参加展会情况`` as printed on the form."""
    return " / ".join(p for p in (line.level1, line.level2, line.name) if p)


def number(value: Decimal | None) -> str:
    """A score for display: at least two places, never rounded further than it already is."""
    return "—" if value is None else figures.fixed(value)


def percent(fraction: Decimal | None) -> str:
    """A rate kept as a fraction (``1`` → ``100.00%``), half up to two places for display."""
    return "—" if fraction is None else figures.percent(fraction)


def signed(value: Decimal | None) -> str:
    """A difference for display: ``+2.00``, ``-1.33``, ``0.00``."""
    return "—" if value is None else figures.signed(value)


def raw(value: Decimal | None) -> str:
    """A figure as the form printed it (plain decimal), or a dash."""
    return "—" if value is None else plain(value)


def text_or_dash(text: str | None) -> str:
    """A cell as printed, or a dash for an empty one."""
    return text if text else "—"


def outcome(line: LineResult, lang: Lang) -> str:
    """The outcome word in `lang`."""
    zh, en = OUTCOME[line.outcome]
    return pick(lang, zh, en)


def rule_label(line: LineResult, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """``区间·按比例``: the clause's own label, else which rule and what it concluded."""
    if line.label:
        return policy_word(line.label, lang, glossary)
    word = outcome(line, lang)
    if line.rule is None:
        return word
    return f"{line.rule}·{word}"


def _unit(unit: str | None) -> str:
    return unit or ""


def reading(value: CellValue | None, lang: Lang) -> str:
    """How a target or actual cell was read: ``区间 3–5家``, ``≥ 95%``, ``定性「合规」``."""
    if value is None:
        return pick(lang, "空", "empty")
    if isinstance(value, Compare):
        return figures.compared(value.op, value.value, value.unit)
    if isinstance(value, Range):
        spanned = figures.span(value.low, value.high, value.unit, lang)
        return pick(lang, f"区间 {spanned}", f"range {spanned}")
    if isinstance(value, Term):
        return pick(lang, f"定性「{value.term}」", f"term '{value.term}'")
    if isinstance(value, DateValue):
        when = value.value or pick(lang, "期间", "period")
        return pick(lang, f"日期 {when}", f"date {when}")
    if isinstance(value, Number):
        return pick(
            lang,
            f"数值 {plain(value.value)}{_unit(value.unit)}",
            f"number {plain(value.value)}{_unit(value.unit)}",
        )
    return pick(
        lang,
        f"无法识别（{unknown_reason(value, lang)}）",
        f"unreadable ({unknown_reason(value, lang)})",
    )


def unknown_reason(value: Unknown, lang: Lang) -> str:
    """The reason a text was not read, in `lang` when the catalogue knows the code."""
    if lang == "zh" and value.code and value.code in CATALOG:
        try:
            return CATALOG[value.code].zh.format()
        except (KeyError, IndexError):  # the template wants arguments the value does not keep
            return value.reason
    return value.reason


def step_text(step: Step, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """A trace step in `lang`."""
    return steps.step_text(step, lang, glossary)


def flag_text(flag: Flag, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """A flag's message in `lang`."""
    return flags.flag_text(flag, lang, glossary)


def is_finding(flag: Flag) -> bool:
    """Whether a flag is a finding of the target review (a heading, then what to change)."""
    return flag.code in findings.HEADINGS and "detail" in flag.args


def flag_heading(flag: Flag, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """What a table shows of a flag: a finding's heading (its text is listed under the table),
    any other flag in full."""
    if is_finding(flag):
        return flags.flag_heading(flag, lang, glossary)
    return flags.flag_text(flag, lang, glossary)


def policy_word(text: str, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """A label the policy wrote (a grade, a tier, a clause label) in `lang`: its ``en`` text
    when the policy gives one, else as written."""
    return glossary.get(text, text) if lang == "en" else text


def _grade(grade: str | None, lang: Lang = "zh", glossary: Glossary = NO_GLOSSARY) -> str:
    return f" ({policy_word(grade, lang, glossary)})" if grade else ""


# Why a total is not final, in words (DESIGN §5 `reasons`).
REASONS: dict[str, tuple[str, str]] = {
    "lines_pending": ("待复核 {pending} 条", "{pending} pending"),
    "rows_missing": ("有缺行", "rows missing"),
    "weights_short": ("分值合计不足", "weights short of the total"),
    "budget_unread": ("预算未读出", "budget not read"),
    "budget_pending": ("预算待复核", "budget pending"),
    "reading_unreliable": ("读表不可靠", "read unreliably"),
    "nothing_read": ("未读出指标", "nothing read"),
    "weights_over": ("分值合计超出总分", "weights above the total"),
    "values_inconsistent": ("数据自相矛盾", "values contradict each other"),
    "header_fragments": ("有表头碎片被读成指标", "header fragments read as lines"),
    "self_total_over": ("自评总分超出满分", "self total above the maximum"),
    "targets_only": ("目标表", "targets-only form"),
    "nothing_applicable": ("各行均不适用", "no line applies"),
    "kind_refused": ("规则不评这类表", "the policy does not score this kind of form"),
}


def reasons_text(total: TotalResult, lang: Lang) -> list[str]:
    """Each reason of a total that is not final, in words."""
    out = []
    for code in total.reasons:
        zh, en = REASONS.get(code, (code, code))
        out.append(pick(lang, zh, en).format(pending=total.pending))
    return out


def grades_text(total: TotalResult, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """``优``, ``良或优`` (two bands), ``差至优`` (more), lowest first."""
    names = [policy_word(g, lang, glossary) for g in reversed(total.grades)]
    if len(names) <= 2:
        return pick(lang, "或", " or ").join(names)
    return pick(lang, f"{names[0]}至{names[-1]}", f"{names[0]} to {names[-1]}")


def total_text(total: TotalResult, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """``95.67 (优)`` for a final total; ``88.84–98.84（良或优 · 待复核 1 条）`` otherwise."""
    if total.final:
        return number(total.score) + _grade(total.grade, lang, glossary)
    if total.score is None or total.low is None or total.high is None:
        return "—" + pick(lang, "（{}）", " ({})").format(
            pick(lang, " · ", "; ").join(reasons_text(total, lang))
        )
    span = number(total.low)
    if total.high != total.low:
        span += f"–{number(total.high)}"
    inside = [grades_text(total, lang, glossary), *reasons_text(total, lang)]
    inside = [x for x in inside if x]
    return span + pick(lang, "（{}）", " ({})").format(pick(lang, " · ", "; ").join(inside))


def self_total_text(total: TotalResult, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """``90 (优)``; ``80（不完整）`` when parts of it are not visible; ``—`` when none is."""
    if total.self_score is None:
        return "—"
    if total.self_final:
        return raw(total.self_score) + _grade(total.self_grade, lang, glossary)
    return raw(total.self_score) + pick(lang, "（不完整）", " (incomplete)")


def budget_text(result: FormResult, lang: Lang) -> str | None:
    """``预算执行率 100.00% 得分 10.00/10`` (``（不计入总分）`` when the policy leaves it out)."""
    budget = result.budget
    if budget is None:
        return None
    rate = percent(budget.rate)
    if budget.computed is not None:
        got = f"{number(budget.computed)}/{raw(budget.weight)}"
        text = pick(lang, f"预算执行率 {rate} 得分 {got}", f"budget execution {rate} scores {got}")
        if not budget.counted:
            text += pick(lang, "（不计入总分）", " (not in the total)")
        return text
    if not budget.read:
        if not budget.counted:
            return None
        return pick(lang, "预算执行率未读出", "budget execution not read")
    return pick(lang, f"预算执行率 {rate} 待复核", f"budget execution {rate} needs review")


def summary(result: FormResult, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """``预算执行率 100.00% 得分 10.00/10 · 复核总分 96.67 (优) · 自评总分 90 (优)``; a total
    that is not final reads ``复核总分 88.84–98.84（良或优 · 待复核 1 条）``."""
    parts: list[str] = []
    budget = budget_text(result, lang)
    if budget:
        parts.append(budget)
    total = result.total
    score = total_text(total, lang, glossary)
    self_score = self_total_text(total, lang, glossary)
    parts.append(pick(lang, f"复核总分 {score}", f"policy total {score}"))
    for alt in total.alternatives:
        parts.append(alt_grade_text(alt, lang, glossary))
    parts.append(pick(lang, f"自评总分 {self_score}", f"self-reported total {self_score}"))
    return " · ".join(parts)


def alt_grade_text(alt: AltGrade, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """``按「厂商口径」：优``; a total that is not final lists the bands its range touches."""
    name = policy_word(alt.name, lang, glossary)
    shown = alt_grade_shown(alt, lang, glossary)
    return pick(lang, f"按「{name}」：{shown}", f"under {name}: {shown}")


def alt_grade_shown(alt: AltGrade, lang: Lang, glossary: Glossary = NO_GLOSSARY) -> str:
    """The grade under an alternative set (``优``), or the bands the total's range touches."""
    if alt.grade is not None:
        return policy_word(alt.grade, lang, glossary)
    touched = (policy_word(g, lang, glossary) for g in reversed(alt.grades))
    return pick(lang, "或", " or ").join(touched) or "—"


def header(policy_path: str, result: FormResult, lang: Lang) -> str:
    """``项目 · 年度 · 单位 · 规则 policies/…``."""
    form = result.form
    parts = [
        form.project or form.title or pick(lang, "（无标题）", "(untitled)"),
        str(form.year) if form.year is not None else pick(lang, "年度未知", "year unknown"),
        form.unit or form.department or pick(lang, "单位未知", "unit unknown"),
        pick(lang, f"规则 {policy_path}", f"policy {policy_path}"),
    ]
    return " · ".join(parts)


def group_delta(group: GroupTotal) -> Decimal | None:
    """Self-score difference of a 一级 subtotal (display only: both figures are already fixed)."""
    if group.score is None or group.self_score is None:
        return None
    return group.score - group.self_score


def subtotal_label(group: GroupTotal, lang: Lang) -> str:
    """``产出 小计``."""
    return pick(lang, f"{short_group(group.level1)} 小计", f"{short_group(group.level1)} subtotal")


def last_of_groups(result: FormResult) -> dict[int, GroupTotal]:
    """Line index → the 一级 subtotal to show right after that line (its group's last line)."""
    groups = {g.level1: g for g in result.total.groups}
    last: dict[str, int] = {}
    for line in result.lines:
        if line.level1 is not None and line.level1 in groups:
            last[line.level1] = line.index
    return {index: groups[level1] for level1, index in last.items()}


# The engine's flag for a target that is a word rather than a measurable figure.
UNQUANTIFIED_FLAG = "target_not_quantified"
QUANTIFIED_SHARE_FLAG = "target_quantified_share"


def unquantified(result: FormResult) -> list[int]:
    """Indexes of the lines whose target is not quantified.

    The engine says so with a flag (a word such as 正增长 that the policy defines as ``> 0`` is
    quantified), or the target review does, by the most specific of its findings; an empty or
    unreadable target is never quantified.
    """
    return [
        line.index
        for line in result.lines
        if line.target_value is None
        or isinstance(line.target_value, Unknown)
        or any(_unquantified(flag) for flag in line.flags)
    ]


def _unquantified(flag: Flag) -> bool:
    if flag.code in (UNQUANTIFIED_FLAG, "target_number_in_name"):
        return True
    detail = flag.args.get("detail")
    # A direction word the policy reads as a comparison (下降 as < 0) is quantified.
    return (
        flag.code == "target_direction_word"
        and isinstance(detail, Phrase)
        and detail.args.get("op") is None
    )


def quantified_share(result: FormResult) -> Flag | None:
    """The review's summary of the form's quantified targets, when the policy asks for one."""
    return next((f for f in result.flags if f.code == QUANTIFIED_SHARE_FLAG), None)


def warnings(result: FormResult, lang: Lang) -> list[str]:
    """The reader's warnings about this form, in `lang` when they are coded."""
    form = result.form
    if form.diagnostics:
        return [f"{d.code} {d.text(lang)}" for d in form.diagnostics]
    return list(form.warnings)


def all_flags(result: FormResult) -> list[Flag]:
    """The form's own flags, then the budget block's."""
    flags = list(result.flags)
    if result.budget is not None:
        flags.extend(result.budget.flags)
    return flags


def runs(indexes: list[int], lang: Lang) -> str:
    """``[3, 4, 5, 7]`` → ``3–5、7`` (``3–5, 7`` in English): line lists stay one line long."""
    return findings.runs(indexes, lang)
