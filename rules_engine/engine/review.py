"""The 绩效目标审核 (target review): each form's targets judged as targets, the findings as flags.

`review_document` runs after every form of a document is scored, when the policy has a
``review targets`` block. Each finding is a flag citing the policy's ``check`` line, with a
``detail`` phrase that quotes the form's own words (the name and target as the unit wrote them)
and says what to change; `rules_engine.render` words it. What each check finds is documented on
`rules_engine.policy.model.ReviewCheck`; the comparison with the department's table is in
`rules_engine.engine.department`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from rules_engine.engine import department
from rules_engine.engine.checks import Check
from rules_engine.engine.names import amounts_in, name_key, short_name, without
from rules_engine.engine.plan import PathTest, Plan
from rules_engine.engine.reading import Reading
from rules_engine.model import Form, IndicatorLine
from rules_engine.policy import model as m
from rules_engine.readers.text_keys import category_key, normalize
from rules_engine.scorecard import Flag, FormResult, LineResult, Phrase
from rules_engine.values import Unknown

# The engine's own flag for a targets-only line whose target is not quantified; a policy that
# reviews quantification tells the line itself, so the two are not both shown.
ENGINE_UNQUANTIFIED = "target_not_quantified"
_QUANTIFYING = ("number_in_name", "direction_word", "not_quantified")
# Reader warnings that say rows were cut off: a group may be missing only from what was read.
_CUT_CODES = frozenset({"E145", "E148"})
# What a category's name says about the kind of target it asks for (the national template's
# groups); the words of a finding's example depend on it.
_KINDS = (
    ("数量", "quantity"),
    ("质量", "quality"),
    ("时效", "time"),
    ("进度", "time"),
    ("成本", "cost"),
    ("满意度", "satisfaction"),
    ("效益", "benefit"),
    ("影响", "benefit"),
)


@dataclass(frozen=True, slots=True)
class Context:
    """A reviewed form's lines with what every check reads of them."""

    plan: Plan
    lines: tuple[LineResult, ...]
    readings: tuple[Reading, ...]
    fields: tuple[tuple[str | None, str | None, str | None], ...]

    def reads(self, check: Check, position: int) -> bool:
        """Whether the line at `position` lies in the check's scope."""
        return check.scope is None or check.scope.holds(self.fields[position])


_COMPILED: dict[int, tuple[m.TargetReview, dict[str, Check]]] = {}


def _checks(review: m.TargetReview) -> dict[str, Check]:
    """The review's checks by name, compiled once per review."""
    found = _COMPILED.get(id(review))
    if found is not None and found[0] is review:
        return found[1]
    if len(_COMPILED) >= 8:
        _COMPILED.pop(next(iter(_COMPILED)))
    checks: dict[str, Check] = {
        c.name: Check(c, PathTest(m.PathIs(patterns=c.scope)) if c.scope else None, c.loc.cite())
        for c in review.checks
    }
    _COMPILED[id(review)] = (review, checks)
    return checks


def review_document(plan: Plan, results: tuple[FormResult, ...]) -> tuple[FormResult, ...]:
    """The forms with the review's findings added to their lines and form flags."""
    review = plan.policy.review
    if review is None or not review.checks:
        return results
    checks = _checks(review)
    line_flags: dict[tuple[int, int], list[Flag]] = {}
    form_flags: dict[int, list[Flag]] = {}
    reviewed: set[int] = set()
    for number, result in enumerate(results):
        if review.forms == "all" or result.form.kind == "targets-only":
            reviewed.add(number)
            context = _context(plan, result)
            for position, flags in _line_findings(context, checks).items():
                line_flags.setdefault((number, position), []).extend(flags)
            form_flags[number] = _form_findings(context, result.form, checks)
    below = checks.get("below_department")
    if below is not None:
        for (number, position), flag in department.findings(plan, results, below):
            line_flags.setdefault((number, position), []).append(flag)
    quantifying = any(name in checks for name in _QUANTIFYING)
    touched = reviewed | {number for number, _ in line_flags}
    out: list[FormResult] = []
    for number, result in enumerate(results):
        if number not in touched:
            out.append(result)  # a form the review neither read nor found anything on
            continue
        drop = quantifying and number in reviewed
        lines = tuple(
            _with(line, line_flags.get((number, position), ()), drop)
            for position, line in enumerate(result.lines)
        )
        flags = form_flags.get(number, [])
        out.append(replace(result, lines=lines, flags=(*result.flags, *flags)))
    return tuple(out)


def _with(line: LineResult, added: Sequence[Flag], drop_engine: bool) -> LineResult:
    """The line with the review's findings after its own flags (the engine's own unquantified
    note gives way to the review's word on the line's target)."""
    if not added and not drop_engine:
        return line
    kept = tuple(f for f in line.flags if not (drop_engine and f.code == ENGINE_UNQUANTIFIED))
    if not added and len(kept) == len(line.flags):
        return line
    return replace(line, flags=(*kept, *added))


def _context(plan: Plan, result: FormResult) -> Context:
    lines = result.lines
    readings = tuple(plan.pair(x.line.target, x.line.actual).target for x in lines)
    fields = tuple(
        (
            plan.category(x.level1) if x.level1 else None,
            plan.category(x.level2) if x.level2 else None,
            plan.terms.norm(normalize(x.name)) if x.name else None,
        )
        for x in lines
    )
    return Context(plan, lines, readings, fields)


# ---------------------------------------------------------------------------------------------
# Line findings


def _line_findings(context: Context, checks: dict[str, Check]) -> dict[int, list[Flag]]:
    """Each line's findings, by position: what it says of its target's quantification (the
    most specific check that holds), then duplicates."""
    found: dict[int, list[Flag]] = {}
    quantity_names = _quantity_names(context)
    tellers: list[tuple[Check, Callable[[Context, int], Phrase | None]]] = []
    if "number_in_name" in checks:
        tellers.append(
            (checks["number_in_name"], lambda c, i: _number_in_name(c, i, quantity_names))
        )
    if "direction_word" in checks:
        tellers.append((checks["direction_word"], _direction_word(checks["direction_word"])))
    if "not_quantified" in checks:
        tellers.append((checks["not_quantified"], _not_quantified))
    for position in range(len(context.lines)):
        for check, tell in tellers:
            if not context.reads(check, position):
                continue
            detail = tell(context, position)
            if detail is not None:
                found.setdefault(position, []).append(check.flag(detail))
                break
    duplicate = checks.get("duplicate")
    if duplicate is not None:
        for position, detail in _duplicates(context, duplicate):
            found.setdefault(position, []).append(duplicate.flag(detail))
    return found


@lru_cache(maxsize=4096)
def kind_of(level1: str | None, level2: str | None) -> str | None:
    """What kind of target a line's group asks for (quantity, quality, time, cost, satisfaction,
    benefit), from its 二级 name, else its 一级 name."""
    for text in (level2, level1):
        if not text:
            continue
        key = category_key(text)
        for word, kind in _KINDS:
            if word in key:
                return kind
    return None


def _quantity_names(context: Context) -> frozenset[str]:
    """Names that stand on a line of a 数量 group (其 amount belongs to that line)."""
    return frozenset(
        name_key(x.name)
        for x in context.lines
        if x.name and kind_of(x.level1, x.level2) == "quantity"
    )


def _number_in_name(
    context: Context, position: int, quantity_names: frozenset[str]
) -> Phrase | None:
    line, reading = context.lines[position], context.readings[position]
    if reading.quantified or not line.name:
        return None
    amounts = amounts_in(line.name)
    if not amounts:
        return None
    if kind_of(line.level1, line.level2) != "quantity" and name_key(line.name) in quantity_names:
        return None  # the same name on a 数量 line carries the amount; it is told there
    args = {
        "name": short_name(line.name),
        "amounts": tuple(a.text for a in amounts),
        "rest": without(line.name, amounts),
        "target": line.target,
    }
    return Phrase("review_number_in_name", args)


def _direction_word(check: Check) -> Callable[[Context, int], Phrase | None]:
    up = tuple((m.normalize_term(w), w, "up") for w in check.check.up)
    down = tuple((m.normalize_term(w), w, "down") for w in check.check.down)
    # Longer words first: 有所下降 before 下降.
    words = sorted((*up, *down), key=lambda item: -len(item[0]))

    def tell(context: Context, position: int) -> Phrase | None:
        line, reading = context.lines[position], context.readings[position]
        if line.target is None or (reading.quantified and reading.predicate is None):
            return None
        text = context.plan.terms.norm(line.target)
        for key, word, way in words:
            if key and key in text:
                predicate = reading.predicate
                args = {
                    "target": line.target,
                    "word": word,
                    "way": way,
                    "name": short_name(line.name),
                    "op": predicate.op if predicate is not None else None,
                    "value": predicate.value if predicate is not None else None,
                }
                return Phrase("review_direction_word", args)
        return None

    return tell


def _not_quantified(context: Context, position: int) -> Phrase | None:
    line, reading = context.lines[position], context.readings[position]
    if reading.quantified:
        return None
    value = reading.value
    how = "empty" if value is None else value.kind
    args = {
        "target": line.target,
        "how": "unreadable" if how == "unknown" else how,
        "name": short_name(line.name),
        "kind": kind_of(line.level1, line.level2),
        # Why the reader could not read it (a scan may have spoilt it): said with the finding.
        "reason": value if isinstance(value, Unknown) else None,
    }
    return Phrase("review_not_quantified", args)


def _duplicates(context: Context, check: Check) -> list[tuple[int, Phrase]]:
    """Lines whose name an earlier line has, with the same target or in the same 二级 group
    (the same name under two groups with two targets is a template habit, not a repeat)."""
    seen: dict[str, list[int]] = {}
    found: list[tuple[int, Phrase]] = []
    for position, line in enumerate(context.lines):
        if not context.reads(check, position):
            continue
        key = name_key(line.name)
        if not key:
            continue
        for earlier in seen.get(key, ()):
            first = context.lines[earlier]
            same_target = _same_text(first.target, line.target)
            same_group = _group(first) == _group(line)
            if same_target or same_group:
                args = {
                    "name": short_name(line.name),
                    "first": first.index,
                    "same_target": same_target,
                    "same_group": same_group,
                    "target": line.target,
                    "first_target": first.target,
                    "group": _group_label(line),
                    "first_group": _group_label(first),
                }
                found.append((position, Phrase("review_duplicate", args)))
                break
        seen.setdefault(key, []).append(position)
    return found


def _same_text(one: str | None, other: str | None) -> bool:
    return (one or "") != "" and m.normalize_term(one or "") == m.normalize_term(other or "")


def _group(line: LineResult) -> tuple[str, str]:
    return (
        category_key(line.level1) if line.level1 else "",
        category_key(line.level2) if line.level2 else "",
    )


def _group_label(line: LineResult) -> str:
    return "/".join(category_key(x) for x in (line.level1, line.level2) if x)


# ---------------------------------------------------------------------------------------------
# Form findings


def _form_findings(context: Context, form: Form, checks: dict[str, Check]) -> list[Flag]:
    if not context.lines:
        return []  # nothing was read: the total already says so
    found: list[Flag] = []
    missing = checks.get("missing_group")
    if missing is not None:
        detail = _missing_groups(form.indicators, form, missing.check.require)
        if detail is not None:
            found.append(missing.flag(detail))
    share = checks.get("quantified_share")
    if share is not None:
        unquantified = tuple(
            line.index
            for line, reading in zip(context.lines, context.readings, strict=True)
            if not reading.quantified
        )
        total = len(context.lines)
        args = {"quantified": total - len(unquantified), "total": total, "lines": unquantified}
        found.append(share.flag(Phrase("review_quantified_share", args)))
    return found


def _missing_groups(
    lines: Sequence[IndicatorLine], form: Form, required: tuple[str, ...]
) -> Phrase | None:
    """The required groups no line's 一级 or 二级 category names, and whether the form was read
    whole (a group may be missing only from what was read)."""
    keys = {category_key(text) for x in lines for text in (x.level1, x.level2) if text}
    present = [any(_names(group, key) for key in keys) for group in required]
    missing = tuple(group for group, found in zip(required, present, strict=True) if not found)
    if not missing:
        return None
    cut = any(d.code in _CUT_CODES for d in form.diagnostics)
    whole = form.reliability == "sure" and not cut
    # Listed in the template's order, groups missing only after the last one read may stand in
    # rows the text did not hold (an excerpt, a page cut off): the finding says so.
    last = max((i for i, found in enumerate(present) if found), default=-1)
    trailing = last >= 0 and all(required.index(group) > last for group in missing)
    args = {"groups": missing, "whole": whole, "trailing": trailing}
    return Phrase("review_missing_group", args)


def _names(group: str, key: str) -> bool:
    """Whether the category `key` is the required `group`: a glob, or the same name with a
    qualifier before it (成本指标 ← 经济成本指标, 满意度指标 ← 服务对象满意度指标)."""
    if "*" in group or "?" in group:
        return m.glob_match(group, key)
    want = category_key(group).removesuffix("指标")
    have = key.removesuffix("指标")
    return bool(want) and have.endswith(want)
