"""The words of the target review's findings (绩效目标审核): each says what to change, quoting the
name and target as the unit wrote them; `render.phrases` and `render.flags` register them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rules_engine.render.figures import show
from rules_engine.render.words import Wording, Words
from rules_engine.signs import SIGNS

# The finding codes and the heading each has when the policy words none (Chinese, English).
HEADINGS: dict[str, tuple[str, str]] = {
    "target_not_quantified": ("年度指标值未量化", "target not quantified"),
    "target_number_in_name": (
        "数值写在了指标名称里",
        "an amount in the name",
    ),
    "target_direction_word": ("年度指标值只写了方向", "a direction, not a value"),
    "target_duplicate": ("指标重复", "a repeated indicator"),
    "target_missing_group": ("缺少必设的指标类别", "a required group missing"),
    "target_below_department": (
        "项目目标低于部门目标",
        "below the department's target",
    ),
    "target_quantified_share": ("量化情况", "targets quantified"),
}

# Targets written the way the policy language reads them, as examples for each kind of group.
_EXAMPLES: dict[str | None, tuple[str, str]] = {
    "quantity": ("「≥N个」「N-M次」", "'≥N' or 'N-M' with its unit"),
    "quality": ("「合格率≥95%」", "'合格率≥95%'"),
    "time": ("「12月底前」", "'12月底前' (a deadline)"),
    "cost": ("「≤N万元」", "'≤N万元'"),
    "satisfaction": ("「≥90%」", "'≥90%'"),
    "benefit": ("「≥N%」「增长率≥N%」", "'≥N%' or '增长率≥N%'"),
    None: ("「≥N」「N-M」「12月底前」", "'≥N', 'N-M' or a deadline such as '12月底前'"),
}


def runs(indexes: Sequence[int], lang: str) -> str:
    """``[3, 4, 5, 7]`` → ``3–5、7`` (``3–5, 7`` in English): line lists stay one line long."""
    spans: list[list[int]] = []
    for index in indexes:
        if spans and spans[-1][1] == index - 1:
            spans[-1][1] = index
        else:
            spans.append([index, index])
    sep = "、" if lang == "zh" else ", "
    return sep.join(str(low) if low == high else f"{low}–{high}" for low, high in spans)


def _name(w: Words, a: Mapping[str, Any]) -> str:
    name = a["name"]
    return w.pick(f"「{name}」", f"'{name}'") if name else w.pick("这一指标", "this indicator")


def _not_quantified(w: Words, a: Mapping[str, Any]) -> str:
    zh_example, en_example = _EXAMPLES.get(a["kind"], _EXAMPLES[None])
    how, target, name = a["how"], a["target"], _name(w, a)
    if how == "empty":
        return w.pick(
            f"年度指标值未填：为{name}写一个可核对的目标值，如{zh_example}",
            f"the target is empty: give {name} a target that can be checked, e.g. {en_example}",
        )
    if how == "unreadable":
        reason = a.get("reason")
        why = f"（{w.reason(reason)}）" if reason is not None else ""
        why_en = f" ({w.reason(reason)})" if reason is not None else ""
        return w.pick(
            f"「{target}」读不出数值或比较{why}：如是扫描或转换时损坏，请对照原件；"
            f"否则改写成{zh_example}这样的写法",
            f"'{target}' cannot be read as a figure or a comparison{why_en}: if a scan or a "
            f"converter spoilt it, check the original; else write it like {en_example}",
        )
    return w.pick(
        f"「{target}」是定性的说法，无法核对是否达到：为{name}写一个数值或比较，如{zh_example}",
        f"'{target}' is a word, so whether it was met cannot be checked: give {name} a figure "
        f"or a comparison, e.g. {en_example}",
    )


def _number_in_name(w: Words, a: Mapping[str, Any]) -> str:
    amounts = a["amounts"]
    zh_amounts = "".join(f"「{x}」" for x in amounts)
    en_amounts = " and ".join(f"'{x}'" for x in amounts)
    target = a["target"]
    zh_target = f"年度指标值却是「{target}」" if target else "年度指标值却未填"
    en_target = f"the target is '{target}'" if target else "the target is empty"
    rest = a["rest"]
    zh_rename = f"，名称改为「{rest}」" if rest else ""
    en_rename = f", and call the indicator '{rest}'" if rest else ""
    return w.pick(
        f"指标名称「{a['name']}」里写了{zh_amounts}，{zh_target}：把{zh_amounts}写进年度指标值"
        f"{zh_rename}",
        f"the name '{a['name']}' holds {en_amounts} while {en_target}: move {en_amounts} into "
        f"the target{en_rename}",
    )


def _direction_word(w: Words, a: Mapping[str, Any]) -> str:
    target, word = a["target"], a["word"]
    # 外贸企业数量增加 with target 增加: the value to write is that of 外贸企业数量.
    subject = a["name"] or ""
    if subject.endswith(word) and len(subject) > len(word):
        subject = subject[: -len(word)]
    name = _name(w, {"name": subject})
    if a["way"] == "down":
        zh_example, en_example = "「≤N」或「下降率≥N%」", "'≤N' or '下降率≥N%'"
    else:
        zh_example, en_example = "「≥N」或「增长率≥N%」", "'≥N' or '增长率≥N%'"
    text = w.pick(
        f"「{target}」只说了要{word}，没说{word}多少：写成比较，写明{name}要达到的数，"
        f"如{zh_example}",
        f"'{target}' says which way ({word}), not how far: write a comparison with the value "
        f"{name} should reach, e.g. {en_example}",
    )
    op = a["op"]
    if op is not None:
        meaning = f"{SIGNS[op]} {show(a['value'])}"
        text += w.pick(
            f"（本规则把「{target}」读作 {meaning}，任何{word}都算达成）",
            f" (the policy reads '{target}' as {meaning}: any change that way meets it)",
        )
    return text


def _duplicate(w: Words, a: Mapping[str, Any]) -> str:
    first, name, target = a["first"], a["name"], a["target"] or "—"
    if a["same_group"] and a["same_target"]:
        return w.pick(
            f"与第 {first} 行重复（同一类别、同名「{name}」、同一目标「{target}」）：删去其中一行",
            f"the same as line {first} (same group, name '{name}' and target '{target}'): "
            "remove one of them",
        )
    if a["same_group"]:
        before = a["first_target"] or "—"
        return w.pick(
            f"与第 {first} 行同名「{name}」，目标却不同（「{before}」与「{target}」）："
            "合并为一行，或在名称中写明两者的区别",
            f"line {first} has the same name '{name}' with another target ('{before}' and "
            f"'{target}'): make them one line, or say in the names how they differ",
        )
    return w.pick(
        f"与第 {first} 行（{a['first_group']}）同名同目标（「{name}」「{target}」）："
        "如是同一指标，删去一行；如是不同指标，在名称中写明区别",
        f"line {first} ({a['first_group']}) has the same name and target ('{name}', "
        f"'{target}'): if it is the same indicator remove one line, if not say in the names "
        "how they differ",
    )


def _missing_group(w: Words, a: Mapping[str, Any]) -> str:
    groups = a["groups"]
    text = w.pick(
        f"没有{'、'.join(groups)}：每一类至少设一条指标",
        f"no {', '.join(groups)}: set at least one indicator of each",
    )
    if not a["whole"]:
        text += w.pick(
            "（这张表没有读全，缺少的类别也可能在未读出的部分）",
            " (the table was not read whole: the groups may be in the part not read)",
        )
    elif a.get("trailing"):
        text += w.pick(
            "（缺少的类别都排在读出的最后一类之后：如果表在这里被截断，它们可能在后面，请对照原件）",
            " (the missing groups all come after the last group read: if the table was cut off "
            "there, they may follow; check the original)",
        )
    return text


def _below_department(w: Words, a: Mapping[str, Any]) -> str:
    where_zh = f"第 {a['form']} 张表第 {a['line']} 行"
    where_en = f"form {a['form']}, line {a['line']}"
    name, target, theirs, dept_name = a["name"], a["target"], a["department"], a["department_name"]
    if a["sure"]:
        return w.pick(
            f"「{name}」的目标「{target}」低于部门目标「{theirs}」（{where_zh}「{dept_name}」）："
            "如是同一项工作，把项目目标提高到不低于部门目标，或说明原因",
            f"the target '{target}' of '{name}' is below the department's '{theirs}' "
            f"({where_en}, '{dept_name}'): if it is the same work, raise the project's target "
            "to at least the department's, or say why",
        )
    return w.pick(
        f"「{name}」的目标「{target}」低于名称相近的部门指标「{dept_name}」的「{theirs}」"
        f"（{where_zh}）；是否同一指标无法确定，请核对：如是，把项目目标提高到不低于部门目标",
        f"the target '{target}' of '{name}' is below '{theirs}' of the department's similarly "
        f"named '{dept_name}' ({where_en}); whether they are the same indicator is uncertain: "
        "check, and if so raise the project's target to at least the department's",
    )


def _quantified_share(w: Words, a: Mapping[str, Any]) -> str:
    text = w.pick(
        f"已量化 {a['quantified']}/{a['total']} 条",
        f"quantified {a['quantified']} of {a['total']}",
    )
    lines = a["lines"]
    if lines:
        text += w.pick(
            f"；未量化：第{runs(lines, 'zh')}行", f"; not quantified: lines {runs(lines, 'en')}"
        )
    return text


PHRASES: dict[str, Wording] = {
    "review_not_quantified": _not_quantified,
    "review_number_in_name": _number_in_name,
    "review_direction_word": _direction_word,
    "review_duplicate": _duplicate,
    "review_missing_group": _missing_group,
    "review_below_department": _below_department,
    "review_quantified_share": _quantified_share,
}


def engine_unquantified(w: Words, a: Mapping[str, Any]) -> str:
    """The engine's own note on a targets-only line when the policy reviews nothing."""
    return w.pick(
        f"年度指标值「{a['target'] or '—'}」未量化",
        f"the target '{a['target'] or '—'}' is not quantified",
    )


def heading(code: str, lang: str) -> str | None:
    """The engine's heading of a finding code (``None`` for other flags)."""
    found = HEADINGS.get(code)
    if found is None:
        return None
    return found[0] if lang == "zh" else found[1]
