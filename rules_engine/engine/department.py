"""A project's targets against its department's, when one document holds both tables: a
project target below the department's target for the same indicator is a finding.

Matching is conservative, never a guess. The department's amount is its target when that is a
figure, else the one amount its name holds (``组织5-8家企业参加展会`` with target 完成). A project
line matches a department line only with the same unit and a clear name match (one core name
contains the other); names that are only close (举行培训班 and 举办培训班) make a finding that says
the match is uncertain. Department lines that would give different amounts for one project line
make no finding at all. Each project table is compared with one department table: the nearest
of the same unit.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from rules_engine.engine.checks import Check
from rules_engine.engine.names import Likeness, amounts_in, likeness, short_name
from rules_engine.engine.plan import Plan
from rules_engine.engine.reading import Reading
from rules_engine.model import Form
from rules_engine.readers.text_keys import category_key, normalize
from rules_engine.scorecard import Flag, FormResult, LineResult, Phrase

Role = Literal["project", "department"]
# Comparisons whose target is a floor: higher is better, so a lower floor is the weaker target.
_FLOORS = frozenset({">=", ">", "=", "range"})


@dataclass(frozen=True, slots=True)
class _Amount:
    """A target's lower bound as printed, its unit and its text, on one line."""

    low: Decimal
    unit: str
    text: str
    position: int


def role(form: Form) -> Role | None:
    """Whether a form is a project's table or a department's (部门/单位整体), by its kind and,
    for a targets-only form, its title; ``None`` when neither can be told."""
    if form.kind in ("project-self-evaluation", "transfer-self-evaluation"):
        return "project"
    if form.kind == "department-self-evaluation":
        return "department"
    title = normalize(form.title or "")
    if "整体" in title:
        return "department"
    if "项目" in title:
        return "project"
    return None


def findings(
    plan: Plan, results: tuple[FormResult, ...], check: Check
) -> Iterator[tuple[tuple[int, int], Flag]]:
    """((form, line position), finding) for every project line whose target is below its
    department's for the same indicator. A project table is compared with one department
    table: the nearest one of the same unit (the one after it when two are as near), so a
    file holding many units' tables, or the same disclosure twice, gives each line one
    finding at most."""
    roles = [role(r.form) for r in results]
    amounts: dict[int, list[_Amount]] = {}
    for proj_no, proj in enumerate(results):
        if roles[proj_no] != "project":
            continue
        dept_no = _nearest_department(results, roles, proj_no)
        if dept_no is None:
            continue
        if dept_no not in amounts:
            found = _department_amounts(plan, results[dept_no])
            amounts[dept_no] = [a for a in found if a is not None]
        if not amounts[dept_no]:
            continue
        dept = results[dept_no]
        for position, line in enumerate(proj.lines):
            if check.scope is not None and not check.scope.holds(_fields(plan, line)):
                continue
            finding = _finding(plan, line, dept, amounts[dept_no], dept_no + 1)
            if finding is not None:
                yield (proj_no, position), check.flag(finding)


def _nearest_department(
    results: tuple[FormResult, ...], roles: list[Role | None], proj_no: int
) -> int | None:
    """The department table a project table is compared with: of the same unit, nearest in
    the file, the later one on a tie."""
    candidates = [
        (abs(no - proj_no), no < proj_no, no)
        for no, result in enumerate(results)
        if roles[no] == "department" and _same_unit(results[proj_no].form, result.form)
    ]
    return min(candidates)[2] if candidates else None


def _fields(plan: Plan, line: LineResult) -> tuple[str | None, str | None, str | None]:
    return (
        plan.category(line.level1) if line.level1 else None,
        plan.category(line.level2) if line.level2 else None,
        plan.terms.norm(normalize(line.name)) if line.name else None,
    )


def _same_unit(project: Form, dept: Form) -> bool:
    """Whether the two tables may belong together: when both name their unit or department,
    one of the names is shared."""
    mine = {normalize(x) for x in (project.unit, project.department) if x}
    theirs = {normalize(x) for x in (dept.unit, dept.department) if x}
    return not mine or not theirs or bool(mine & theirs)


def _floor(reading: Reading) -> tuple[Decimal, str] | None:
    """A target's lower bound and unit when it is a floor with a unit (``3-5家``, ``≥95%``)."""
    value = reading.value
    if value is None or reading.low is None or reading.unit is None or reading.predicate:
        return None
    op = "range" if value.kind == "range" else getattr(value, "op", None)
    if op not in _FLOORS:
        return None
    return reading.low, reading.unit


def _department_amounts(plan: Plan, dept: FormResult) -> list[_Amount | None]:
    """Each department line's amount: its target when a floor, else the one amount its name
    holds (a name with several amounts says nothing certain)."""
    found: list[_Amount | None] = []
    for position, line in enumerate(dept.lines):
        reading = plan.pair(line.target, line.actual).target
        floor = _floor(reading)
        if floor is not None and line.target is not None:
            found.append(_Amount(floor[0], floor[1], line.target, position))
            continue
        held = amounts_in(line.name) if line.name and not reading.quantified else ()
        if len(held) == 1 and held[0].op in _FLOORS:
            found.append(_Amount(held[0].low, held[0].unit, held[0].text, position))
        else:
            found.append(None)
    return found


def _finding(
    plan: Plan, line: LineResult, dept: FormResult, amounts: list[_Amount], form_no: int
) -> Phrase | None:
    """The finding for one project line, or ``None`` (no match, an ambiguous one, or a target
    not below the department's)."""
    if not line.name or line.target is None:
        return None
    floor = _floor(plan.pair(line.target, line.actual).target)
    if floor is None:
        return None
    low, unit = floor
    matches: list[tuple[Likeness, _Amount]] = []
    for amount in amounts:
        theirs = dept.lines[amount.position]
        if amount.unit != unit or not theirs.name:
            continue
        like = likeness(line.name, theirs.name)
        if like is not None:
            matches.append((like, amount))
    if not matches:
        return None
    if any(like == "same" for like, _ in matches):
        matches = [x for x in matches if x[0] == "same"]
    group = category_key(line.level2) if line.level2 else None
    if len({a.low for _, a in matches}) > 1 and group:
        in_group = [x for x in matches if _group(dept.lines[x[1].position]) == group]
        matches = in_group or matches
    if len({a.low for _, a in matches}) > 1:
        return None  # the department's lines disagree: which one is meant cannot be told
    like, amount = matches[0]
    if low >= amount.low:
        return None
    theirs = dept.lines[amount.position]
    args = {
        "target": line.target,
        "department": amount.text,
        "form": form_no,
        "line": theirs.index,
        "name": short_name(line.name),
        "department_name": short_name(theirs.name),
        "sure": like == "same",
    }
    return Phrase("review_below_department", args)


def _group(line: LineResult) -> str | None:
    return category_key(line.level2) if line.level2 else None
