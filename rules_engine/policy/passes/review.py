"""``review targets { … }`` → `m.TargetReview`: which 绩效目标审核 checks run, over the inherited
review (a check of the same name replaces the extended policy's, ``check NAME off`` drops it)."""

from __future__ import annotations

from typing import assert_never, cast, get_args

from rules_engine.diagnostics import define
from rules_engine.policy import model as m
from rules_engine.policy import nodes as s
from rules_engine.policy.messages import PATH_DEPTH, did_you_mean
from rules_engine.policy.nodes import Pos
from rules_engine.policy.passes.flags import SEVERITIES
from rules_engine.policy.passes.unit import Unit

WORDS_NOT_ALLOWED = define(
    "E390",
    "审核项「{check}」不接受「{key}」",
    "the check '{check}' takes no '{key}'",
    "{allowed}",
    "{allowed_en}",
)
WORDS_MISSING = define(
    "E391",
    "审核项「{check}」缺少「{key}」：{what}",
    "the check '{check}' needs '{key}': {what_en}",
    "如 `check {check} {example}`。",
    "e.g. `check {check} {example}`.",
)
OFF_UNKNOWN = define(
    "E392",
    "没有可取消的审核项「{name}」",
    "there is no check '{name}' to turn off",
    "已有的审核项：{known}。",
    "checks defined: {known}.",
)
BOTH_WAYS = define(
    "E393",
    "「{word}」既写在 up 中又写在 down 中",
    "'{word}' is listed under both up and down",
    "一个方向词只表示一个方向：从其中一个词表中删去它。",
    "a direction word points one way: remove it from one of the lists.",
)

CHECKS: tuple[m.ReviewCheckName, ...] = get_args(m.ReviewCheckName)
FORMS: tuple[m.ReviewForms, ...] = get_args(m.ReviewForms)
# The word lists each check takes (and needs: a check listed here must have at least one).
_WORDS: dict[m.ReviewCheckName, tuple[str, ...]] = {
    "missing_group": ("require",),
    "direction_word": ("up", "down"),
}
_EXAMPLES: dict[m.ReviewCheckName, tuple[str, str, str]] = {
    "missing_group": (
        "require 数量指标, 质量指标, 时效指标",
        "必须有的指标类别",
        "the groups every table must have",
    ),
    "direction_word": (
        "up 增加, 提高  down 下降, 减少",
        "只写了方向的词",
        "the words that only give a direction",
    ),
}
# Checks about the whole form: no category scope.
_FORM_CHECKS = frozenset({"missing_group", "quantified_share"})
_DEFAULT_SEVERITY: dict[m.ReviewCheckName, m.Severity] = {"quantified_share": "info"}


def compile_review(unit: Unit, st: s.ReviewDecl) -> m.TargetReview:  # noqa: PLR0912
    """The review this block and the extended policy's give."""
    parent = unit.state.review
    checks: dict[str, m.ReviewCheck] = {c.name: c for c in parent.checks} if parent else {}
    title = st.title.text if st.title is not None else (parent.title if parent else None)
    forms: m.ReviewForms = parent.forms if parent else "targets_only"
    basis = parent.basis if parent else None
    note = parent.note if parent else None
    seen: dict[str, Pos] = {}
    for item in st.items:
        match item:
            case s.ReviewCheck():
                if unit.once("review_check", ("审核项", "check"), item.name.text, item.name.pos):
                    check = _check(unit, item)
                    if check is not None:
                        checks[check.name] = check
            case s.ReviewOff():
                if not unit.once("review_check", ("审核项", "check"), item.name.text, item.pos):
                    continue
                if item.name.text in checks:
                    del checks[item.name.text]
                else:
                    known = ", ".join(checks) or "-"
                    suggestion = did_you_mean(item.name.text, list(checks))
                    unit.error(
                        OFF_UNKNOWN, item.name.pos, suggestion=suggestion, name=item.name.text,
                        known=known,
                    )  # fmt: skip
            case s.ReviewForms():
                if unit.first_setting(seen, "forms", item.pos):
                    if item.value.text in FORMS:
                        forms = item.value.text
                    else:
                        unit.exprs.bad_value(item.value, "审核范围", "forms", FORMS)
            case s.BasisDecl():
                if unit.first_setting(seen, "basis", item.pos):
                    basis = item.text.text
            case s.NoteDecl():
                if unit.first_setting(seen, "note", item.pos):
                    note = item.text.text
            case _:
                assert_never(item)
    ordered = tuple(checks[name] for name in CHECKS if name in checks)
    return m.TargetReview(
        title=title, forms=forms, checks=ordered, basis=basis, note=note, loc=unit.loc(st.pos)
    )


def _check(unit: Unit, st: s.ReviewCheck) -> m.ReviewCheck | None:
    """One ``check`` line (``None`` when its name is not a check; other slips are reported and
    the rest of the check kept)."""
    name = st.name.text
    if name not in CHECKS:
        unit.exprs.bad_value(st.name, "审核项", "check", CHECKS)
        return None
    check: m.ReviewCheckName = name
    scope: tuple[m.PathPattern, ...] = ()
    if st.scope is not None:
        if check in _FORM_CHECKS:
            _not_allowed(unit, check, "on", st.scope.pos)
        else:
            scope = _scope(unit, st.scope)
    lists = _lists(unit, check, st)
    severity: m.Severity = _DEFAULT_SEVERITY.get(check, "warning")
    basis = note = None
    seen: dict[str, Pos] = {}
    for item in st.items:
        if not unit.first_setting(seen, type(item).__name__, item.pos):
            continue
        match item:
            case s.FlagSeverity():
                if item.level.text in SEVERITIES:
                    severity = cast(m.Severity, item.level.text)
                else:
                    unit.exprs.bad_value(item.level, "严重程度", "severity", SEVERITIES)
            case s.BasisDecl():
                basis = item.text.text
            case s.NoteDecl():
                note = item.text.text
            case _:
                assert_never(item)
    return m.ReviewCheck(
        name=check,
        zh=st.zh.text if st.zh is not None else None,
        en=st.en.text if st.en is not None else None,
        scope=scope,
        require=lists.get("require", ()),
        up=lists.get("up", ()),
        down=lists.get("down", ()),
        severity=severity,
        basis=basis,
        note=note,
        loc=unit.loc(st.pos),
    )


def _scope(unit: Unit, selector: s.PathSelector) -> tuple[m.PathPattern, ...]:
    """The category paths a check reads (E355 for a category no form prints, E352 for a path
    deeper than 一级/二级/指标)."""
    patterns: list[m.PathPattern] = []
    for path in selector.paths:
        if len(path) > 3:
            unit.error(PATH_DEPTH, path[0].pos, path="/".join(w.text for w in path))
            continue
        for level, word in enumerate(path[:2]):
            unit.known_category(word, level)
        patterns.append(m.PathPattern(segments=tuple(w.text for w in path)))
    return tuple(patterns)


def _lists(unit: Unit, check: m.ReviewCheckName, st: s.ReviewCheck) -> dict[str, tuple[str, ...]]:
    """The check's word lists by key: E390 for a list it does not take, E346 for one given
    twice, E391 when it takes lists and has none, E393 for a word both up and down."""
    allowed = _WORDS.get(check, ())
    lists: dict[str, tuple[str, ...]] = {}
    seen: dict[str, Pos] = {}
    for group in st.words:
        key = group.key.text
        if key not in allowed:
            _not_allowed(unit, check, key, group.key.pos)
            continue
        if not unit.first_setting(seen, key, group.key.pos):
            continue
        if key == "require":
            for word in group.words:
                _known_group(unit, word)
        lists[key] = tuple(w.text for w in group.words)
    if allowed and not lists:
        example, what, what_en = _EXAMPLES[check]
        unit.error(
            WORDS_MISSING,
            st.name.pos,
            check=check,
            key=" / ".join(allowed),
            what=what,
            what_en=what_en,
            example=example,
        )
    up = {m.normalize_term(w) for w in lists.get("up", ())}
    for group in st.words:
        if group.key.text != "down":
            continue
        for word in group.words:
            if m.normalize_term(word.text) in up:
                unit.error(BOTH_WAYS, word.pos, word=word.text)
    return lists


def _known_group(unit: Unit, word: s.Word) -> None:
    """A required group is a category name a form prints, at either level (E355 if not)."""
    unit.known_category(word, 0)


def _not_allowed(unit: Unit, check: m.ReviewCheckName, key: str, pos: Pos) -> None:
    takes = _WORDS.get(check, ())
    scoped = check not in _FORM_CHECKS
    parts_zh = [f"`{k} 词, …`" for k in takes] + (["`on 类别路径`"] if scoped else [])
    parts_en = [f"`{k} WORD, …`" for k in takes] + (["`on PATHS`"] if scoped else [])
    allowed = f"这一项可以写：{'、'.join(parts_zh)}。" if parts_zh else "这一项不带任何设置。"
    allowed_en = f"it takes: {', '.join(parts_en)}." if parts_en else "it takes no settings."
    unit.error(WORDS_NOT_ALLOWED, pos, check=check, key=key, allowed=allowed, allowed_en=allowed_en)
