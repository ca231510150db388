"""Policy conditions compiled once into tests, each able to say, as data, why it held or not."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import assert_never

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.exprs import Compiled, compile_expr, variable
from rules_engine.engine.terms import Terms, meets
from rules_engine.policy import model as m
from rules_engine.scorecard import Phrase

Test = Callable[[Env], bool]
Describe = Callable[[Env], Phrase]

_OPS: dict[str, Callable[[Decimal, Decimal], bool]] = {
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    "<": lambda a, b: a < b,
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}
# The comparison that holds when one does not (a < b when a >= b fails).
NEGATED = {">=": "<", ">": "<=", "<=": ">", "<": ">=", "=": "!=", "!=": "="}


@dataclass(frozen=True, slots=True)
class Cond:
    """A compiled condition: `test` decides (or raises `Unevaluable`); `describe` says why it
    held and `refute` why it did not, as phrases carrying the line's numbers."""

    test: Test
    describe: Describe
    refute: Describe
    always: bool = False

    def why_not(self, env: Env) -> Phrase:
        """Why the condition does not hold for this line."""
        try:
            return self.refute(env)
        except Unevaluable:
            return Phrase("not", {"item": self.describe(env)})


def compile_cond(cond: m.Cond, terms: Terms) -> Cond:  # noqa: PLR0911
    """Compile one condition node (recursively) against the policy's vocabularies."""
    match cond:
        case m.Always():
            always = Phrase("always")
            return Cond(lambda env: True, lambda env: always, lambda env: always, always=True)
        case m.Compare():
            return _compare(cond)
        case m.InInterval():
            return _in_interval(cond)
        case m.Meets():
            return Cond(lambda env: meets(env, terms), _describe_meets, _refute_meets)
        case m.ShapeIs():
            return _shape(cond, terms)
        case m.TermIs():
            return _term_is(cond, terms)
        case m.IsEmpty():
            return _empty(cond)
        case m.OutcomeIs():
            return _outcome(cond)
        case m.Check(name=name):
            held, failed = Phrase("check", {"name": name}), Phrase("check_not", {"name": name})
            return Cond(lambda env: name in env.checks, lambda env: held, lambda env: failed)
        case m.Not(item=item):
            inner = compile_cond(item, terms)
            run = inner.test
            # `not X` holds exactly when X fails, and fails when X holds.
            return Cond(lambda env: not run(env), inner.why_not, inner.describe)
        case m.And(items=items):
            return _all([compile_cond(c, terms) for c in items])
        case m.Or(items=items):
            return _any([compile_cond(c, terms) for c in items])
        case _:
            assert_never(cond)


def _compare(cond: m.Compare) -> Cond:
    left, right = compile_expr(cond.left), compile_expr(cond.right)
    op = _OPS[cond.op]
    lv, rv = left.value, right.value

    def words(env: Env, sign: str) -> Phrase:
        return Phrase(
            "compare",
            {
                "left": left.expr,
                "op": sign,
                "right": right.expr,
                "left_n": left.numbers(env),
                "right_n": right.numbers(env),
            },
        )

    other = NEGATED[cond.op]
    return Cond(
        lambda env: op(lv(env), rv(env)),
        lambda env: words(env, cond.op),
        lambda env: words(env, other),
    )


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

    def describe(env: Env) -> Phrase:
        return Phrase(
            "in",
            {
                "subject": subject.expr,
                "value": subject.numbers(env),
                "low": iv.low,
                "high": iv.high,
                "low_n": None if low is None else low.numbers(env),
                "high_n": None if high is None else high.numbers(env),
                "low_closed": low_closed and low is not None,
                "high_closed": high_closed and high is not None,
            },
        )

    def refute(env: Env) -> Phrase:
        x = run(env)
        value = subject.numbers(env)
        if low is not None:
            lo = low.value(env)
            if x < lo or (x == lo and not low_closed):
                code = "below_low" if x < lo else "on_open_low"
                return Phrase(
                    code, {"subject": subject.expr, "value": value, "bound": low.numbers(env)}
                )
        assert high is not None
        code = "above_high" if x > high.value(env) else "on_open_high"
        return Phrase(code, {"subject": subject.expr, "value": value, "bound": high.numbers(env)})

    return Cond(test, describe, refute)


def _describe_meets(env: Env) -> Phrase:
    return Phrase("meets", {"actual": env.actual_text or "—", "target": env.target_text or "—"})


def _refute_meets(env: Env) -> Phrase:
    """Why the actual falls short of the target, with the numbers that show it."""
    actual = env.actual_text or "—"
    target = env.target_text or "—"
    value = env.target_value
    a = env.actual
    if value is not None and value.kind == "range" and a is not None:
        low, high = env.low, env.high
        got = variable(env, "actual", a)
        if low is not None and a < low:
            return Phrase("actual_below", {"actual": got, "bound": variable(env, "low", low)})
        if high is not None and a > high:
            return Phrase("actual_above", {"actual": got, "bound": variable(env, "high", high)})
    if value is not None and value.kind == "date":
        return Phrase("late", {"actual": actual, "target": target})
    if value is not None and value.kind in ("compare", "term") and a is not None:
        return Phrase("short_of", {"actual": variable(env, "actual", a), "target": target})
    return Phrase("not_meets", {"actual": actual, "target": target})


def _shape(cond: m.ShapeIs, terms: Terms) -> Cond:
    subject, shape = cond.subject, cond.shape
    value_of = attrgetter(f"{subject}_value")
    text_of = attrgetter(f"{subject}_text")

    def test(env: Env) -> bool:
        return shape in terms.shapes(value_of(env), text_of(env))

    held = Phrase("shape", {"subject": subject, "shape": shape, "negated": False})
    failed = Phrase("shape", {"subject": subject, "shape": shape, "negated": True})
    return Cond(test, lambda env: held, lambda env: failed)


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

    def words(env: Env, negated: bool) -> Phrase:
        text = text_of(env) or "—"
        return Phrase("term_is", {"text": text, "vocab": vocabulary, "negated": negated})

    return Cond(test, lambda env: words(env, False), lambda env: words(env, True))


def _empty(cond: m.IsEmpty) -> Cond:
    field = cond.field
    held = Phrase("empty", {"field": field, "negated": False})
    failed = Phrase("empty", {"field": field, "negated": True})
    return Cond(lambda env: env.texts.get(field) is None, lambda env: held, lambda env: failed)


def _outcome(cond: m.OutcomeIs) -> Cond:
    wanted = frozenset(cond.outcomes)
    held = Phrase("outcome_is", {"outcomes": tuple(cond.outcomes), "negated": False})
    failed = Phrase("outcome_is", {"outcomes": tuple(cond.outcomes), "negated": True})
    return Cond(lambda env: env.outcome in wanted, lambda env: held, lambda env: failed)


def _all(items: list[Cond]) -> Cond:
    runs = [c.test for c in items]

    def describe(env: Env) -> Phrase:
        return Phrase("all", {"items": tuple(c.describe(env) for c in items)})

    def refute(env: Env) -> Phrase:
        # The first part that fails is the reason.
        failing = next((c for c in items if not _holds(c, env)), items[0])
        return failing.why_not(env)

    return Cond(_every(runs), describe, refute)


def _any(items: list[Cond]) -> Cond:
    runs = [c.test for c in items]

    def describe(env: Env) -> Phrase:
        # Name only the alternatives that hold (each one tested again, all pure).
        held = [c.describe(env) for c in items if _holds(c, env)] or [
            c.describe(env) for c in items
        ]
        return Phrase("any", {"items": tuple(held)})

    def refute(env: Env) -> Phrase:
        return Phrase("all", {"items": tuple(c.why_not(env) for c in items)})

    return Cond(_some(runs), describe, refute)


def _every(runs: list[Test]) -> Test:
    """The tests joined by ``and``, in order, stopping at the first that fails. Two or three
    parts are spelt out: flags test them on every line alike, and a generator costs more."""
    if len(runs) == 2:
        a, b = runs
        return lambda env: a(env) and b(env)
    if len(runs) == 3:
        a, b, c = runs
        return lambda env: a(env) and b(env) and c(env)
    return lambda env: all(r(env) for r in runs)


def _some(runs: list[Test]) -> Test:
    """The tests joined by ``or``, in order, stopping at the first that holds."""
    if len(runs) == 2:
        a, b = runs
        return lambda env: a(env) or b(env)
    return lambda env: any(r(env) for r in runs)


def _holds(cond: Cond, env: Env) -> bool:
    try:
        return cond.test(env)
    except Unevaluable:
        return False
