"""A compiled policy turned into ready-to-run closures once, with the caches a batch relies on."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import assert_never

from rules_engine.engine.conds import Cond, compile_cond
from rules_engine.engine.env import Env, Unevaluable
from rules_engine.engine.memo import Memo
from rules_engine.engine.reading import Pair, pair, read_actual, read_target
from rules_engine.engine.routes import Route, Selector
from rules_engine.engine.rules import CompiledRule, compile_rule
from rules_engine.engine.terms import Terms
from rules_engine.engine.trace import Runner
from rules_engine.model import IndicatorLine
from rules_engine.policy import model as m
from rules_engine.readers.header_words import header_fragment
from rules_engine.readers.text_keys import category_key, normalize
from rules_engine.scorecard import Flag, Phrase, Step

_MISSING = object()


class PathTest:
    """``成本指标/*, */成本指标`` compiled: each segment a literal, a glob matcher or ``*``."""

    __slots__ = ("patterns",)

    def __init__(self, selector: m.PathIs) -> None:
        self.patterns = tuple(
            tuple(_segment(seg) for seg in pattern.segments) for pattern in selector.patterns
        )

    def holds(self, fields: tuple[str | None, str | None, str | None]) -> bool:
        """Whether any pattern matches the line's normalised (level1, level2, name)."""
        for pattern in self.patterns:
            for test, value in zip(pattern, fields, strict=False):
                if test is None:
                    continue
                if value is None:
                    break
                if isinstance(test, str):
                    if test != value:
                        break
                elif not test(value):
                    break
            else:
                return True
        return False


class NameTest:
    """``name 三公经费控制率``: the indicator's own name, without its numbering or a bracketed
    note (`m.name_key`), equal to one of the names (or matching one written as a glob)."""

    __slots__ = ("patterns",)

    def __init__(self, selector: m.NameIs) -> None:
        self.patterns = tuple(_segment(name, m.name_key) for name in selector.names)

    def holds(self, fields: tuple[str | None, str | None, str | None]) -> bool:
        """Whether the line's name (as `Plan.fields` gives it) is one of the names."""
        if fields[2] is None:
            return False
        key = m.name_key(fields[2])
        for test in self.patterns:
            if test is None or (test == key if isinstance(test, str) else test(key)):
                return True
        return False


def _segment(
    segment: str, key: Callable[[str], str] = m.normalize_term
) -> str | Callable[[str], bool] | None:
    """``*`` matches anything (None); a plain word compares equal; a glob becomes a matcher
    that cannot backtrack (`rules_engine.policy.model.compile_glob`)."""
    if segment == "*":
        return None
    text = key(segment)
    if "*" not in text and "?" not in text:
        return text
    return m.compile_glob(text)


def _depth(test: PathTest | NameTest) -> int:
    """How many of (level1, level2, name) a test looks at."""
    if isinstance(test, NameTest):
        return 3
    return max((len(p) for p in test.patterns), default=0)


@dataclass(frozen=True, slots=True)
class FlagCheck:
    """A policy flag with its condition compiled, and the flag it raises."""

    definition: m.FlagDef
    cond: Cond
    source: str
    flag: Flag


class Plan:
    """Everything the engine needs from one policy, compiled once and reused for every form."""

    def __init__(self, policy: m.CompiledPolicy) -> None:
        self.policy = policy
        self.terms = Terms(policy)
        self.rounding = policy.rounding
        self.rounding_source = self.rounding.loc.cite() if self.rounding.loc is not None else None
        self.runner = Runner(self.rounding, self.rounding_source, self._step)
        self.rules = {name: self._compile(name, rule) for name, rule in policy.rules.items()}
        self.path_tests: list[PathTest | NameTest] = []
        self.routes = tuple(self._route(i, a) for i, a in enumerate(policy.dispatch, start=1))
        self.path_depth = max((_depth(test) for test in self.path_tests), default=0)
        # Dispatch depends on the actual only if some selector asks about it.
        self.route_needs_actual = any(_asks_actual(a) for a in policy.dispatch)
        self.route_cacheable = all(_cacheable(a) for a in policy.dispatch)
        budget = policy.budget
        self.budget_rule = None if budget is None else self._compile(budget.title, budget)
        self.flags: dict[str, list[FlagCheck]] = {"line": [], "budget": [], "form": []}
        for definition in policy.flags:
            source = definition.loc.cite()
            raised = Flag(
                definition.code,
                severity=definition.severity,
                source=source,
                text=(definition.zh, definition.en),
            )
            check = FlagCheck(definition, compile_cond(definition.when, self.terms), source, raised)
            self.flags[definition.scope].append(check)
        self.flag_codes = frozenset(f.code for f in policy.flags)
        self.tolerance: Decimal = policy.tolerance
        groups = policy.weights.groups if policy.weights is not None else ()
        self.weight_groups = tuple(
            PathTest(m.PathIs(patterns=(m.PathPattern(segments=(g.pattern,)),))) for g in groups
        )
        self.memo = Memo()
        # How a line not applicable to the unit is written, and the clause that says so.
        na = policy.not_applicable
        self.na_words = frozenset() if na is None else frozenset(map(m.normalize_term, na.words))
        self.na_source = None if na is None else na.loc.cite()
        self.kinds = policy.kinds()
        self.kinds_source = None if policy.forms is None else policy.forms.loc.cite()

    def not_applicable(self, line: IndicatorLine) -> tuple[str, str] | None:
        """The cell and text that mark the line not applicable, if the policy reads it so: its
        actual written as one of the policy's words, or its target when the actual is empty."""
        if not self.na_words:
            return None
        actual = line.actual if line.actual is not None else line.marks.get("actual")
        if actual is not None:
            return ("actual", actual) if self.terms.norm(actual) in self.na_words else None
        target = line.target if line.target is not None else line.marks.get("target")
        if target is not None and self.terms.norm(target) in self.na_words:
            return ("target", target)
        return None

    def _step(
        self, code: str, args: Mapping[str, object], value: Decimal | None, source: str | None
    ) -> Step:
        return self.memo.step(code, args, value, source)

    # -- reading ------------------------------------------------------------------------------

    def pair(self, target_text: str | None, actual_text: str | None) -> Pair:
        """The target and actual of a line read together (each distinct text read once)."""
        memo = self.memo
        key = (target_text, actual_text)
        found = memo.pairs.get(key)
        if found is None:
            target = memo.targets.get(target_text)
            if target is None:
                target = memo.targets.put(target_text, read_target(target_text, self.terms))
            actual = memo.actuals.get(actual_text)
            if actual is None:
                actual = memo.actuals.put(actual_text, read_actual(actual_text, self.terms))
            found = memo.pairs.put(key, pair(target, actual, self._step))
        return found

    # -- dispatch -----------------------------------------------------------------------------

    def fields(
        self, level1: str | None, level2: str | None, name: str | None
    ) -> tuple[str | None, str | None, str | None]:
        """The category path as dispatch compares it (normalised, cached per text)."""
        depth = self.path_depth  # segments no pattern looks at are not worth normalising
        return (
            None if level1 is None or depth < 1 else self.category(level1),
            None if level2 is None or depth < 2 else self.category(level2),
            None if name is None or depth < 3 else self.terms.norm(normalize(name)),
        )

    def category(self, text: str) -> str:
        """A 一级 or 二级 name as policies write it: simplified, without converter residue or the
        points printed beside it (``產出指標(biāo)(50分)`` → ``产出指标``)."""
        found = self.memo.categories.get(text)
        if found is None:
            found = self.memo.categories.put(text, self.terms.norm(category_key(text)))
        return found

    def path_bits(self, line: IndicatorLine) -> tuple[bool, ...]:
        """Which path tests of the policy hold for the line's category cells (cached on the
        cells as printed, so each distinct path is normalised and tested once)."""
        depth = self.path_depth  # segments no pattern looks at are not worth normalising
        key = (
            line.level1 if depth >= 1 else None,
            line.level2 if depth >= 2 else None,
            line.name if depth >= 3 else None,
        )
        found = self.memo.paths.get(key)
        if found is None:
            fields = self.fields(*key)
            found = self.memo.paths.put(key, tuple(t.holds(fields) for t in self.path_tests))
        return found

    def route(self, line: IndicatorLine, make_env: Callable[[], Env]) -> Route | None:
        """The first ``apply`` whose selectors all hold for the line (``None``: no rule).

        `make_env` gives the line's variables; it is called only when the answer is not
        already known for the line's category path and cells."""
        bits = self.path_bits(line)
        if not self.route_cacheable:
            return self._find_route(bits, make_env())
        key = (bits, line.target, line.actual if self.route_needs_actual else None)
        found = self.memo.routes.get(key, _MISSING)
        if found is _MISSING:
            found = self.memo.routes.put(key, self._find_route(bits, make_env()))
        assert found is None or isinstance(found, Route)
        return found

    def weight_groups_of(self, level1: str) -> tuple[int, ...]:
        """Which ``weights`` groups a 一级 name belongs to (by index), cached per name."""
        found = self.memo.groups.get(level1)
        if found is None:
            fields = (self.category(level1), None, None)
            found = tuple(i for i, test in enumerate(self.weight_groups) if test.holds(fields))
            self.memo.groups.put(level1, found)
        return found

    def header_fragment(self, line: IndicatorLine) -> bool:
        """Whether a line's name is a column header word, or a piece of one on a row that has
        neither target nor actual (a real name cut short still has its values)."""
        if line.name is None:
            return False
        empty = line.target is None and line.actual is None
        key = (line.name, empty)
        found = self.memo.fragments.get(key)
        if found is None:
            kind = header_fragment(line.name)
            found = self.memo.fragments.put(key, kind == "word" or (kind == "piece" and empty))
        return found

    def _find_route(self, bits: tuple[bool, ...], env: Env) -> Route | None:
        for route in self.routes:
            if all(_selects(s, bits, env) for s in route.selectors):
                return route
        return None

    def _compile(self, name: str, body: m.Rule | m.BudgetRule) -> CompiledRule:
        """Compile a rule or the budget rule: both carry clauses, cap, floor and their sources."""
        return compile_rule(
            name=name,
            title=body.title,
            basis=body.basis,
            note=body.note,
            clauses=body.clauses,
            cap=body.cap,
            floor=body.floor,
            loc=body.loc,
            terms=self.terms,
        )

    def _route(self, number: int, apply: m.Apply) -> Route:
        selectors = tuple(self._selector(s) for s in apply.selectors)
        phrase = (
            Phrase("all", {"items": tuple(s.phrase for s in selectors)})
            if selectors
            else Phrase("any_line")
        )
        rule = None if apply.rule is None else self.rules[apply.rule]
        source = apply.loc.cite()
        if rule is None:
            step = Step("route_review", {"apply": number, "why": phrase}, source=source)
        else:
            args = {"rule": rule.name, "title": rule.title, "apply": number, "why": phrase}
            step = Step("route", args, source=source)
        return Route(number, selectors, rule, apply.review, source, phrase, step)

    def _selector(self, selector: m.Selector) -> Selector:
        match selector:
            case m.PathIs(patterns=patterns):
                shown = tuple("/".join(p.segments) for p in patterns)
                self.path_tests.append(PathTest(selector))
                index = len(self.path_tests) - 1
                return Selector(index, None, Phrase("path", {"patterns": shown}))
            case m.NameIs(names=names):
                self.path_tests.append(NameTest(selector))
                index = len(self.path_tests) - 1
                return Selector(index, None, Phrase("name_is", {"names": names}))
            case m.CondIs(cond=cond):
                return Selector(None, compile_cond(cond, self.terms), _static_phrase(cond))
            case _:
                assert_never(selector)


def _selects(selector: Selector, bits: tuple[bool, ...], env: Env) -> bool:
    if selector.path is not None:
        return bits[selector.path]
    assert selector.cond is not None
    try:
        return selector.cond.test(env)
    except Unevaluable:
        return False


def _static_phrase(cond: m.Cond) -> Phrase:
    """A selector condition as a phrase, independent of any line (``年度指标值是区间``)."""
    match cond:
        case m.ShapeIs(subject=subject, shape=shape):
            return Phrase("sel_shape", {"subject": subject, "shape": shape, "negated": False})
        case m.TermIs(vocabulary=vocabulary):
            return Phrase("is_vocab", {"vocab": vocabulary})
        case m.Not(item=item):
            inner = _static_phrase(item)
            if inner.code == "sel_shape":
                return Phrase("sel_shape", {**inner.args, "negated": True})
            return Phrase("not", {"item": inner})
        case m.And(items=items):
            return Phrase("all", {"items": tuple(_static_phrase(c) for c in items)})
        case m.Or(items=items):
            return Phrase("any", {"items": tuple(_static_phrase(c) for c in items)})
        case _:
            # Comparisons and the other leaves read the line: worded when a line is scored.
            return Phrase("condition_holds")


def _conds_of(apply: m.Apply) -> list[m.Cond]:
    return [s.cond for s in apply.selectors if isinstance(s, m.CondIs)]


def _walk(cond: m.Cond) -> list[m.Cond]:
    match cond:
        case m.And(items=items) | m.Or(items=items):
            return [x for c in items for x in _walk(c)]
        case m.Not(item=item):
            return _walk(item)
        case _:
            return [cond]


def _asks_actual(apply: m.Apply) -> bool:
    return any(
        getattr(leaf, "subject", "target") == "actual"
        for cond in _conds_of(apply)
        for leaf in _walk(cond)
    )


def _cacheable(apply: m.Apply) -> bool:
    """Shape and term tests depend only on the cell texts, so their answer can be cached."""
    return all(
        isinstance(leaf, (m.ShapeIs, m.TermIs, m.Always))
        for cond in _conds_of(apply)
        for leaf in _walk(cond)
    )
