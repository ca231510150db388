"""Policy conditions compiled once into tests, each able to say in words why it held."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.exprs import Compiled, compile_expr, show_var
from rules_engine.engine.terms import Terms, meets
from rules_engine.policy import model as m

Test = Callable[[Env], bool]
Describe = Callable[[Env], tuple[str, str]]

_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
_OP_SIGN = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "!=": "≠"}
_SHAPE_ZH = {
    "term": "定性词",
    "range": "区间",
    "date": "日期",
    "compare": "比较式",
    "number": "数值",
    "unknown": "无法识读",
    "missing": "未填",
}
_FIELD_ZH = {
    "note": "偏差原因",
    "actual": "实际完成值",
    "target": "年度指标值",
    "self_score": "自评得分",
    "weight": "分值",
}
_OUTCOME_ZH = {"met": "达成", "partial": "部分达成", "missed": "未达成", "review": "待复核"}
# The comparison that holds when one does not (a < b when a >= b fails).
_NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "=": "!=", "!=": "="}


@dataclass(frozen=True, slots=True)
class Cond:
    """A compiled condition: `test` decides (or raises `Unevaluable`), `describe` says why it
    held and `refute` why it did not, both with the line's numbers."""

    test: Test
    describe: Describe
    always: bool = False
    refute: Describe | None = None

    def why_not(self, env: Env) -> tuple[str, str]:
        """Why the condition does not hold for this line, in both languages."""
        if self.refute is not None:
            try:
                return self.refute(env)
            except Unevaluable:
                pass
        zh, en = self.describe(env)
        return f"并非：{zh}", f"not: {en}"


def compile_cond(cond: m.Cond, terms: Terms) -> Cond:
    """Compile one condition node (recursively) against the policy's vocabularies."""
    if isinstance(cond, m.Always):
        return Cond(lambda env: True, lambda env: ("其余情况", "otherwise"), always=True)
    if isinstance(cond, m.Compare):
        return _compare(cond)
    if isinstance(cond, m.InInterval):
        return _in_interval(cond)
    if isinstance(cond, m.Meets):
        return Cond(
            lambda env: meets(env, terms),
            lambda env: _describe_meets(env, terms),
            refute=_refute_meets,
        )
    if isinstance(cond, m.ShapeIs):
        return _shape(cond, terms)
    if isinstance(cond, m.TermIs):
        return _term_is(cond, terms)
    if isinstance(cond, m.IsEmpty):
        return _empty(cond)
    if isinstance(cond, m.OutcomeIs):
        return _outcome(cond)
    if isinstance(cond, m.Check):
        name = cond.name
        return Cond(
            lambda env: name in env.checks,
            lambda env: (f"检查 {name} 成立", name),
            refute=lambda env: (f"检查 {name} 不成立", f"not {name}"),
        )
    if isinstance(cond, m.Not):
        return _not(compile_cond(cond.item, terms))
    items = [compile_cond(c, terms) for c in cond.items]
    return _all(items) if isinstance(cond, m.And) else _any(items)


def _compare(cond: m.Compare) -> Cond:
    left, right = compile_expr(cond.left), compile_expr(cond.right)
    op = _OPS[cond.op]
    lv, rv = left.value, right.value
    sign = _OP_SIGN[cond.op]

    def describe(env: Env) -> tuple[str, str]:
        filled = f"{left.filled(env)} {sign} {right.filled(env)}"
        return (
            f"{left.zh} {sign} {right.zh}（{filled}）",
            f"{left.en} {sign} {right.en} ({filled})",
        )

    other = _OP_SIGN[_NEGATED[cond.op]]

    def refute(env: Env) -> tuple[str, str]:
        filled = f"{left.filled(env)} {other} {right.filled(env)}"
        return (
            f"{left.zh} {other} {right.zh}（{filled}）",
            f"{left.en} {other} {right.en} ({filled})",
        )

    return Cond(lambda env: op(lv(env), rv(env)), describe, refute=refute)


def _bound(expr: m.Expr | None) -> Compiled | None:
    return None if expr is None else compile_expr(expr)


def _in_interval(cond: m.InInterval) -> Cond:
    subject = compile_expr(cond.subject)
    iv = cond.interval
    low, high = _bound(iv.low), _bound(iv.high)
    low_closed, high_closed = iv.low_closed, iv.high_closed
    run = subject.value

    def test(env: Env) -> bool:
        x = run(env)
        if low is not None:
            lo = low.value(env)
            if x < lo or (x == lo and not low_closed):
                return False
        if high is not None:
            hi = high.value(env)
            if x > hi or (x == hi and not high_closed):
                return False
        return True

    def text(env: Env | None, zh: bool) -> str:
        def end(b: Compiled | None, inf: str) -> str:
            if b is None:
                return inf
            if env is None:
                return b.zh if zh else b.en
            return b.filled(env)

        left = "[" if low_closed and low is not None else "("
        right = "]" if high_closed and high is not None else ")"
        return f"{left}{end(low, '-∞')}, {end(high, '+∞')}{right}"

    def describe(env: Env) -> tuple[str, str]:
        value = subject.filled(env)
        return (
            f"{subject.zh} 在 {text(None, True)} 内（{value} ∈ {text(env, True)}）",
            f"{subject.en} in {text(None, False)} ({value} ∈ {text(env, False)})",
        )

    def refute(env: Env) -> tuple[str, str]:
        value = subject.filled(env)
        x = run(env)
        if low is not None and (x < low.value(env) or (x == low.value(env) and not low_closed)):
            bound = low.filled(env)
            if x < low.value(env):
                return (
                    f"{subject.zh} {value} 低于下限 {bound}",
                    f"the {subject.en} {value} is below the lower end {bound}",
                )
            return (
                f"{subject.zh} {value} 恰在不含的下限 {bound} 上",
                f"the {subject.en} {value} sits on the excluded lower end {bound}",
            )
        assert high is not None
        bound = high.filled(env)
        if x > high.value(env):
            return (
                f"{subject.zh} {value} 高于上限 {bound}",
                f"the {subject.en} {value} is above the upper end {bound}",
            )
        return (
            f"{subject.zh} {value} 恰在不含的上限 {bound} 上",
            f"the {subject.en} {value} sits on the excluded upper end {bound}",
        )

    return Cond(test, describe, refute=refute)


def _describe_meets(env: Env, terms: Terms) -> tuple[str, str]:
    actual = env.actual_text or "—"
    target = env.target_text or "—"
    return (
        f"实际值达到目标（实际「{actual}」满足目标「{target}」）",
        f"the actual meets the target (actual '{actual}' meets target '{target}')",
    )


def _refute_meets(env: Env) -> tuple[str, str]:
    """Why the actual falls short of the target, with the numbers that show it."""
    actual = env.actual_text or "—"
    target = env.target_text or "—"
    value = env.target_value
    a = env.actual
    if value is not None and value.kind == "range" and a is not None:
        low, high = env.low, env.high
        if low is not None and a < low:
            lo, got = show_var(env, "low", low), show_var(env, "actual", a)
            return f"实际 {got} 低于下限 {lo}", f"the actual {got} is below the lower end {lo}"
        if high is not None and a > high:
            hi, got = show_var(env, "high", high), show_var(env, "actual", a)
            return f"实际 {got} 高于上限 {hi}", f"the actual {got} is above the upper end {hi}"
    if value is not None and value.kind == "date":
        return (
            f"实际完成「{actual}」晚于目标时限「{target}」",
            f"'{actual}' is later than the deadline '{target}'",
        )
    if value is not None and value.kind in ("compare", "term") and a is not None:
        return (
            f"实际 {show_var(env, 'actual', a)} 未达到目标「{target}」",
            f"the actual {show_var(env, 'actual', a)} does not meet the target '{target}'",
        )
    return (
        f"实际「{actual}」未达到目标「{target}」",
        f"the actual '{actual}' does not meet the target '{target}'",
    )


def _shape(cond: m.ShapeIs, terms: Terms) -> Cond:
    subject, shape = cond.subject, cond.shape
    value_of = attrgetter(f"{subject}_value")
    text_of = attrgetter(f"{subject}_text")

    def test(env: Env) -> bool:
        return shape in terms.shapes(value_of(env), text_of(env))

    zh_subject = "目标" if subject == "target" else "实际值"
    zh_shape = _SHAPE_ZH.get(shape, shape)
    return Cond(
        test,
        lambda env: (f"{zh_subject}是{zh_shape}", f"{subject} is {shape}"),
        refute=lambda env: (f"{zh_subject}不是{zh_shape}", f"{subject} is not {shape}"),
    )


def _term_is(cond: m.TermIs, terms: Terms) -> Cond:
    subject, vocabulary = cond.subject, cond.vocabulary
    text_of = attrgetter(f"{subject}_text")
    value_of = attrgetter(f"{subject}_value")

    def test(env: Env) -> bool:
        text = text_of(env)
        value = value_of(env)
        # A missing or unreadable cell is no evidence either way: never a silent 0.
        if text is None or value is None or value.kind == "unknown":
            raise Unevaluable(subject)
        return terms.belongs(text, vocabulary)

    english = terms.en(vocabulary)

    def describe(env: Env) -> tuple[str, str]:
        text = text_of(env) or "—"
        return (f"「{text}」属于「{vocabulary}」", f"'{text}' is {english}")

    def refute(env: Env) -> tuple[str, str]:
        text = text_of(env) or "—"
        return (f"「{text}」不属于「{vocabulary}」", f"'{text}' is not {english}")

    return Cond(test, describe, refute=refute)


def _empty(cond: m.IsEmpty) -> Cond:
    field = cond.field
    zh = _FIELD_ZH.get(field, field)
    return Cond(
        lambda env: env.texts.get(field) is None,
        lambda env: (f"{zh}未填", f"{field} is empty"),
        refute=lambda env: (f"{zh}已填", f"{field} is filled in"),
    )


def _outcome(cond: m.OutcomeIs) -> Cond:
    wanted = frozenset(cond.outcomes)
    zh = "、".join(_OUTCOME_ZH[o] for o in cond.outcomes)
    en = ", ".join(cond.outcomes)
    return Cond(
        lambda env: env.outcome in wanted,
        lambda env: (f"结果为{zh}", f"outcome is {en}"),
        refute=lambda env: (f"结果不是{zh}", f"outcome is not {en}"),
    )


def _not(inner: Cond) -> Cond:
    run = inner.test

    def describe(env: Env) -> tuple[str, str]:
        zh, en = inner.why_not(env)
        return zh, en

    # `not X` fails exactly when X holds: say why X holds.
    return Cond(lambda env: not run(env), describe, refute=inner.describe)


def _all(items: list[Cond]) -> Cond:
    runs = [c.test for c in items]

    def describe(env: Env) -> tuple[str, str]:
        parts = [c.describe(env) for c in items]
        return ("，且".join(p[0] for p in parts), " and ".join(p[1] for p in parts))

    def refute(env: Env) -> tuple[str, str]:
        # The first part that fails is the reason.
        failing = next((c for c in items if not _holds(c, env)), items[0])
        return failing.why_not(env)

    return Cond(lambda env: all(r(env) for r in runs), describe, refute=refute)


def _any(items: list[Cond]) -> Cond:
    runs = [c.test for c in items]

    def describe(env: Env) -> tuple[str, str]:
        # Name only the alternatives that hold (each one tested again, all pure).
        held = [c.describe(env) for c in items if _holds(c, env)] or [
            c.describe(env) for c in items
        ]
        return ("，或".join(p[0] for p in held), " or ".join(p[1] for p in held))

    def refute(env: Env) -> tuple[str, str]:
        parts = [c.why_not(env) for c in items]
        return ("，且".join(p[0] for p in parts), " and ".join(p[1] for p in parts))

    return Cond(lambda env: any(r(env) for r in runs), describe, refute=refute)


def _holds(cond: Cond, env: Env) -> bool:
    try:
        return cond.test(env)
    except Unevaluable:
        return False
