"""Static analysis of a compiled policy: dead clauses, band gaps and overlaps, unused names.

`analyze(policy)` returns coded diagnostics (E501–E513) located at the policy line concerned.
Band problems carry their exact interval (``[60%, 70%)``). The analysis is conservative: it only
reports what follows from the policy text for every form (constant band bounds, identical or
implied conditions), so a clean policy gets no false alarms.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy import model as m
from rules_engine.policy.intervals import Interval, gaps, overlaps
from rules_engine.policy.messages import Sources, cited
from rules_engine.policy.shadowing import shadowed
from rules_engine.values import plain

BAND_GAP = define(
    "E501",
    "「{owner}」的分档之间有空档 {interval}：落在其中的值没有分档",
    "the bands of '{owner}' leave the gap {interval}: a value there falls in no band",
    "调整相邻分档的端点，使它们首尾相接（一端闭、一端开）。",
    "move the ends of the neighbouring bands so they meet (one end closed, the other open).",
)
BAND_OVERLAP = define(
    "E502",
    "「{owner}」的分档 {first} 与 {second} 重叠于 {interval}",
    "the bands {first} and {second} of '{owner}' overlap on {interval}",
    "每个值只应落入一档：把其中一档的端点改为开区间，或挪开端点。",
    "a value should fall in one band only: open one of the ends or move it.",
)
GRADE_SHADOWED = define(
    "E504",
    "等级「{grade}」{band} 与前面的「{other}」{other_band} 重叠于 {interval}：它永远评不出",
    "grade '{grade}' {band} overlaps the earlier '{other}' {other_band} on {interval}: "
    "it is never given",
    "等级从高到低书写，下限依次递减。",
    "write the grades from the highest down, each bound lower than the one before.",
)
CLAUSE_UNREACHABLE = define(
    "E505",
    "规则「{owner}」的这一条永远不会生效：它在 `otherwise`（第 {line} 行）之后",
    "this clause of '{owner}' can never fire: it comes after `otherwise` (line {line})",
    "把 `otherwise` 放在最后，或删去这一条。",
    "put `otherwise` last, or remove this clause.",
)
CLAUSE_SHADOWED = define(
    "E506",
    "规则「{owner}」的这一条永远不会生效：第 {line} 行的条件已经涵盖了它{detail}",
    "this clause of '{owner}' can never fire: "
    "the condition on line {line} already covers it{detail}",
    "先匹配者生效：把更具体的条件写在前面，或删去这一条。",
    "the first match wins: put the more specific condition first, or remove this clause.",
)
APPLY_SHADOWED = define(
    "E508",
    "这条 apply 永远不会生效：{where}的 apply 已接收它能匹配的每一行",
    "this apply can never take a line: the apply on {where_en} takes every line it matches",
    "先匹配者生效：把更具体的 apply 写在前面，或删去这一条。",
    "the first match wins: put the more specific apply first, or remove this one.",
)
TERM_UNUSED = define(
    "E510",
    "词表「{name}」已定义但没有任何条件使用它",
    "the vocabulary '{name}' is defined but no condition uses it",
    "在规则或 apply 中写 `actual is {name}`，或删去这个词表。",
    "use it in a rule or apply (`actual is {name}`), or remove it.",
    severity="warning",
)
GRADE_UNREACHABLE = define(
    "E513",
    "等级「{grade}」的下限 {bound} 高于满分 {total}：它永远评不出",
    "grade '{grade}' has the bound {bound}, above the full mark {total}: it is never given",
    "把下限改到满分以内。",
    "lower the bound to within the full mark.",
)

# Codes whose message carries an exact interval (verify shows them as band findings).
BAND_CODES = frozenset({BAND_GAP, BAND_OVERLAP, GRADE_SHADOWED})


def analyze(policy: m.CompiledPolicy) -> list[Diagnostic]:
    """Every finding of the static analysis, ordered by place."""
    out: list[Diagnostic] = []
    texts = Sources()
    for rule in policy.rules.values():
        out.extend(_clauses(rule.name, rule.clauses, texts))
        out.extend(_accept_bands(rule.name, rule.clauses, texts))
        out.extend(_step_bands(rule.name, rule.clauses, rule.loc, texts))
    if policy.budget is not None:
        out.extend(_clauses(policy.budget.title, policy.budget.clauses, texts))
    out.extend(_dispatch(policy, texts))
    out.extend(_grades(policy, texts))
    for alt in policy.alt_grades:
        out.extend(_grades(policy, texts, alt.grades))
    out.extend(_unused(policy, texts))
    return sorted(out, key=lambda d: (d.file or "", d.line or 0, d.col or 0, d.code))


# --- constants and intervals ---------------------------------------------------------------------


def constant(expr: m.Expr | None) -> Decimal | None:
    """The value of an expression made of literals only, else ``None``."""
    if isinstance(expr, m.Num):
        return expr.value
    if isinstance(expr, m.Neg):
        inner = constant(expr.operand)
        return None if inner is None else -inner
    if isinstance(expr, m.BinOp):
        left, right = constant(expr.left), constant(expr.right)
        if left is None or right is None:
            return None
        if expr.op == "+":
            return left + right
        if expr.op == "-":
            return left - right
        if expr.op == "*":
            return left * right
        return None if right == 0 else left / right
    return None


def is_percent(expr: m.Expr | None) -> bool:
    """Whether an expression is written with ``%`` (so its value shows as a percentage)."""
    if isinstance(expr, m.Num):
        return expr.percent
    if isinstance(expr, m.Neg):
        return is_percent(expr.operand)
    if isinstance(expr, m.BinOp):
        return is_percent(expr.left) or is_percent(expr.right)
    return False


def band(interval: m.Interval) -> Interval | None:
    """The exact interval of a band with constant ends (``None`` if an end depends on the line)."""
    low = constant(interval.low)
    high = constant(interval.high)
    if (interval.low is not None and low is None) or (interval.high is not None and high is None):
        return None
    return Interval(low, high, interval.low_closed, interval.high_closed)


def show_percent(value: Decimal) -> str:
    """A fraction as the policy writes it: ``0.6`` → ``60%``."""
    return plain(value * 100) + "%"


def _shower(percent: bool) -> Callable[[Decimal], str]:
    return show_percent if percent else plain


def _cond_interval(cond: m.Cond) -> tuple[str, Interval] | None:
    """The set of values a condition on one variable admits, with the variable's key."""
    if isinstance(cond, m.InInterval):
        iv = band(cond.interval)
        return None if iv is None else (_key(cond.subject), iv)
    if isinstance(cond, m.Compare):
        value = constant(cond.right)
        if value is not None and constant(cond.left) is None:
            return _key(cond.left), _half(cond.op, value)
        value = constant(cond.left)
        if value is not None and constant(cond.right) is None:
            return _key(cond.right), _half(_FLIP.get(cond.op, cond.op), value)
    return None


_FLIP = {">=": "<=", ">": "<", "<=": ">=", "<": ">", "=": "=", "!=": "!="}


def _half(op: str, value: Decimal) -> Interval:
    if op == ">=":
        return Interval(value, None, True, False)
    if op == ">":
        return Interval(value, None, False, False)
    if op == "<=":
        return Interval(None, value, False, True)
    if op == "<":
        return Interval(None, value, False, False)
    if op == "=":
        return Interval(value, value, True, True)
    return Interval(None, None, False, False)  # != admits almost everything: treat as all


def _key(expr: m.Expr) -> str:
    return expr.model_dump_json()


# --- rules ---------------------------------------------------------------------------------------


_IMPLIED_BY: dict[str, set[str]] = {
    # a later comparison `a OP b` is covered by an earlier `a KEY b` when OP is in the set
    ">=": {">=", ">", "="},
    "<=": {"<=", "<", "="},
    ">": {">"},
    "<": {"<"},
    "=": {"="},
    "!=": {"!=", ">", "<"},
}


def covers(earlier: m.Cond, later: m.Cond) -> bool:
    """Whether every line meeting `later` also meets `earlier` (decided on the text only)."""
    if isinstance(earlier, m.Always) or earlier == later:
        return True
    if isinstance(later, m.And):
        return any(covers(earlier, item) for item in later.items)
    if isinstance(earlier, m.Or):
        return any(covers(item, later) for item in earlier.items)
    if isinstance(earlier, m.And):
        return all(covers(item, later) for item in earlier.items)
    if isinstance(later, m.Or):
        return all(covers(earlier, item) for item in later.items)
    if isinstance(earlier, m.Compare) and isinstance(later, m.Compare):
        if earlier.left == later.left and earlier.right == later.right:
            return later.op in _IMPLIED_BY[earlier.op]
        if earlier.left == later.right and earlier.right == later.left:
            return _FLIP[later.op] in _IMPLIED_BY[earlier.op]
    if isinstance(earlier, m.ShapeIs) and isinstance(later, m.ShapeIs):
        return (
            earlier.subject == later.subject
            and earlier.shape == "compare"
            and later.shape in (">=", ">", "<=", "<", "=")
        )
    return False


def _clauses(owner: str, clauses: Sequence[m.Clause], texts: Sources) -> Iterator[Diagnostic]:
    """Clauses after ``otherwise``, and clauses an earlier condition (or bands) already covers."""
    seen: list[m.Clause] = []
    sets: dict[str, list[Interval]] = {}
    for clause in clauses:
        fallback = next((c for c in seen if isinstance(c.when, m.Always)), None)
        if fallback is not None:
            yield cited(
                CLAUSE_UNREACHABLE, clause.loc, texts, owner=owner, line=str(fallback.loc.line)
            )
        else:
            earlier = next((c for c in seen if covers(c.when, clause.when)), None)
            if earlier is not None:
                yield cited(
                    CLAUSE_SHADOWED,
                    clause.loc,
                    texts,
                    owner=owner,
                    line=str(earlier.loc.line),
                    detail="",
                )
            else:
                shadow = _covered_by_bands(clause, seen, sets)
                if shadow is not None:
                    yield cited(
                        CLAUSE_SHADOWED,
                        clause.loc,
                        texts,
                        owner=owner,
                        line=str(shadow[0]),
                        detail=f"（{shadow[1]}）",
                    )
        found = _cond_interval(clause.when)
        if found is not None:
            sets.setdefault(found[0], []).append(found[1])
        seen.append(clause)


def _covered_by_bands(
    clause: m.Clause, seen: Sequence[m.Clause], sets: dict[str, list[Interval]]
) -> tuple[int, str] | None:
    found = _cond_interval(clause.when)
    if found is None:
        return None
    key, iv = found
    if iv.low is None and iv.high is None:
        return None
    earlier = sets.get(key, [])
    if not earlier or gaps(earlier, iv):
        return None
    last = max(
        (c for c in seen if (f := _cond_interval(c.when)) is not None and f[0] == key),
        key=lambda c: c.loc.line,
    )
    percent = _interval_percent(clause.when)
    return last.loc.line, iv.format(_shower(percent))


def _interval_percent(cond: m.Cond) -> bool:
    if isinstance(cond, m.InInterval):
        return is_percent(cond.interval.low) or is_percent(cond.interval.high)
    if isinstance(cond, m.Compare):
        return is_percent(cond.left) or is_percent(cond.right)
    return False


def _accept_bands(owner: str, clauses: Sequence[m.Clause], texts: Sources) -> Iterator[Diagnostic]:
    """Validated tiers (``accept [80%, 100%]``) must partition [0, 100%] of the weight."""
    tiers = [
        (c, iv)
        for c in clauses
        if isinstance(c.result, m.Accept) and (iv := band(c.result.band)) is not None
    ]
    if len(tiers) < 2:
        return
    yield from _partition(owner, tiers, Interval.closed(0, 1), True, texts)


def _step_bands(
    owner: str, clauses: Sequence[m.Clause], loc: m.Loc, texts: Sources
) -> Iterator[Diagnostic]:
    """Step bands (``when actual in [80%, 90%) => 4``) on one variable must not overlap, and,
    without ``otherwise``, must leave no gap between their lowest and highest ends."""
    by_subject: dict[str, list[tuple[m.Clause, Interval]]] = {}
    for c in clauses:
        if isinstance(c.when, m.InInterval) and (iv := band(c.when.interval)) is not None:
            by_subject.setdefault(_key(c.when.subject), []).append((c, iv))
    has_fallback = any(isinstance(c.when, m.Always) for c in clauses)
    for steps in by_subject.values():
        if len(steps) < 2:
            continue
        percent = any(_interval_percent(c.when) for c, _ in steps)
        hull = _hull([iv for _, iv in steps])
        within = None if has_fallback else hull
        yield from _partition(owner, steps, within, percent, texts)


def _hull(pieces: Sequence[Interval]) -> Interval:
    """The smallest interval holding every piece."""
    finite_low = all(p.low is not None for p in pieces)
    finite_high = all(p.high is not None for p in pieces)
    low = min(pieces, key=lambda p: (p.low, not p.low_closed)) if finite_low else None
    high = max(pieces, key=lambda p: (p.high, p.high_closed)) if finite_high else None
    return Interval(
        None if low is None else low.low,
        None if high is None else high.high,
        low is not None and low.low_closed,
        high is not None and high.high_closed,
    )


def _partition(
    owner: str,
    tiers: Sequence[tuple[m.Clause, Interval]],
    within: Interval | None,
    percent: bool,
    texts: Sources,
) -> Iterator[Diagnostic]:
    show = _shower(percent)
    pieces = [iv for _, iv in tiers]
    for i, j, common in overlaps(pieces):
        yield cited(
            BAND_OVERLAP,
            tiers[j][0].loc,
            texts,
            owner=owner,
            first=pieces[i].format(show),
            second=pieces[j].format(show),
            interval=common.format(show),
        )
    if within is not None:
        for gap in gaps(pieces, within):
            # the gap is reported at the band just above it (or the last band)
            above = [c for c, iv in tiers if gap.high is not None and iv.low == gap.high]
            where = above[0] if above else tiers[-1][0]
            yield cited(BAND_GAP, where.loc, texts, owner=owner, interval=gap.format(show))


# --- dispatch ------------------------------------------------------------------------------------


def _dispatch(policy: m.CompiledPolicy, texts: Sources) -> Iterator[Diagnostic]:
    """Applies an earlier apply already covers (the compiler reports those after a catch-all)."""
    for apply, earlier in shadowed(policy.dispatch, covers):
        line = earlier.loc.line
        if earlier.loc.file == apply.loc.file:
            where, where_en = f"第 {line} 行", f"line {line}"
        else:  # an extending policy's apply shadows one of the policy it extends
            where, where_en = f"{earlier.loc.file} 第 {line} 行", f"{earlier.loc.file} line {line}"
        yield cited(APPLY_SHADOWED, apply.loc, texts, where=where, where_en=where_en)


# --- grades --------------------------------------------------------------------------------------


def grade_bands(grades: tuple[m.Grade, ...]) -> list[tuple[m.Grade, Interval]]:
    """Each grade with the totals it would take on its own: ``[bound, +∞)`` (``(-∞, +∞)``
    for the last, unbounded one)."""
    return [
        (
            g,
            Interval(None, None, False, False)
            if g.bound is None
            else _half(">=" if g.inclusive else ">", g.bound),
        )
        for g in grades
    ]


def _grades(
    policy: m.CompiledPolicy, texts: Sources, grades: tuple[m.Grade, ...] | None = None
) -> Iterator[Diagnostic]:
    """Grades an earlier one hides, or set above the full mark (the policy's own grades, or
    one of its alternative sets)."""
    chosen = policy.grades if grades is None else grades
    if not chosen:
        return
    total = _full_mark(policy)
    bands = grade_bands(chosen)
    for j, (grade, iv) in enumerate(bands):
        for i in range(j):
            other, other_iv = bands[i]
            common = iv.intersect(other_iv)
            if common is not None and not iv.minus(other_iv):
                yield cited(
                    GRADE_SHADOWED,
                    grade.loc,
                    texts,
                    grade=grade.label,
                    band=iv.format(),
                    other=other.label,
                    other_band=other_iv.format(),
                    interval=common.format(),
                )
                break
        if grade.bound is not None and total is not None and grade.bound > total:
            yield cited(
                GRADE_UNREACHABLE,
                grade.loc,
                texts,
                grade=grade.label,
                bound=plain(grade.bound),
                total=plain(total),
            )


def _full_mark(policy: m.CompiledPolicy) -> Decimal | None:
    if policy.rescale is not None:
        return policy.rescale.to
    if policy.weights is not None and policy.weights.total is not None:
        return policy.weights.total
    return Decimal(100)


# --- unused names --------------------------------------------------------------------------------


def conditions(policy: m.CompiledPolicy) -> Iterator[m.Cond]:
    """Every condition of the policy, nested ones included."""
    roots: list[m.Cond] = []
    for rule in policy.rules.values():
        roots.extend(c.when for c in rule.clauses)
    if policy.budget is not None:
        roots.extend(c.when for c in policy.budget.clauses)
    for apply in policy.dispatch:
        roots.extend(s.cond for s in apply.selectors if isinstance(s, m.CondIs))
    roots.extend(f.when for f in policy.flags)
    yield from _walk(roots)


def _walk(conds: Iterable[m.Cond]) -> Iterator[m.Cond]:
    for cond in conds:
        yield cond
        if isinstance(cond, (m.And, m.Or)):
            yield from _walk(cond.items)
        elif isinstance(cond, m.Not):
            yield from _walk([cond.item])


def _unused(policy: m.CompiledPolicy, texts: Sources) -> Iterator[Diagnostic]:
    """Vocabularies nothing names (unused rules are the compiler's E349)."""
    conds = list(conditions(policy))
    if any(isinstance(c, m.Meets) for c in conds):
        return  # `meets` compares term targets through every vocabulary: all are in use
    named = {c.vocabulary for c in conds if isinstance(c, m.TermIs)}
    if policy.done_vocabulary is not None:
        named.add(policy.done_vocabulary)
    for vocab in policy.vocabularies.values():
        if vocab.label not in named:
            yield cited(TERM_UNUSED, vocab.loc, texts, name=vocab.label)
