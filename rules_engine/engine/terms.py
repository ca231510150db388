"""The policy's words, indexed once: vocabularies, predicates, value shapes and `meets`."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from rules_engine.engine.env import Env, Unevaluable
from rules_engine.policy import model as m
from rules_engine.values import CellValue, DateValue


class Terms:
    """Vocabulary and predicate lookups by normalised text, built once per policy."""

    def __init__(self, policy: m.CompiledPolicy) -> None:
        self.english = policy.english
        self.label: dict[str, str] = {}
        for vocab in policy.vocabularies.values():
            for word in vocab.members():
                # The first vocabulary that lists a word owns it, as `vocabulary_of` finds it.
                self.label.setdefault(m.normalize_term(word), vocab.label)
        self.predicate: dict[str, m.TermPredicate] = {}
        self.predicate_words: dict[str, frozenset[str]] = {}
        for pred in policy.predicates.values():
            words = frozenset(m.normalize_term(w) for w in pred.words)
            self.predicate_words[pred.name] = words
            for word in words:
                self.predicate.setdefault(word, pred)
        self.done = policy.done_vocabulary
        self._norm = lru_cache(maxsize=1 << 16)(m.normalize_term)

    def en(self, label: str) -> str:
        """A label of the policy (``达成``) as English output names it: the policy's ``en``
        text with the label beside it (``met (达成)``), or the label alone."""
        english = self.english.get(label)
        return f"{english} ({label})" if english else label

    def norm(self, text: str) -> str:
        """`normalize_term`, cached."""
        return self._norm(text)

    def label_of(self, text: str) -> str | None:
        """The vocabulary label a text belongs to, if any."""
        return self.label.get(self._norm(text))

    def predicate_of(self, text: str) -> m.TermPredicate | None:
        """The numeric predicate a word names (正增长 → ``> 0``), if any."""
        return self.predicate.get(self._norm(text))

    def belongs(self, text: str, vocabulary: str) -> bool:
        """Whether `text` is a word of the vocabulary (or predicate) named `vocabulary`."""
        key = self._norm(text)
        words = self.predicate_words.get(vocabulary)
        if words is not None and key in words:
            return True
        return self.label.get(key) == vocabulary

    def shapes(self, value: CellValue | None, text: str | None) -> frozenset[str]:
        """The shapes a value answers to in ``target is …`` / ``actual is …``."""
        if value is None or text is None:
            return _MISSING
        kind = value.kind
        if kind == "compare":
            op = value.op  # type: ignore[union-attr]
            if op == "=" and not _EQUALS.search(text):
                return _BARE  # a figure written without any sign: ``90万元``
            return _COMPARE[op]
        if kind == "term":
            pred = self.predicate_of(text)
            if pred is not None:
                return _COMPARE[pred.op]
            return _TERM
        return frozenset({kind})


_MISSING = frozenset({"missing"})
_TERM = frozenset({"term"})
_COMPARE = {op: frozenset({"compare", op}) for op in (">=", ">", "<=", "<", "=", "!=")}
# A target written as a bare figure is an ``=`` comparison that also answers to ``number``.
_BARE = frozenset({"compare", "=", "number"})
_EQUALS = re.compile(r"[=＝﹦═]|等于")


def meets(env: Env, terms: Terms) -> bool:
    """``actual meets target``: the actual satisfies the target as written (see `model.Meets`)."""
    target = env.target_value
    actual = env.actual_value
    if target is None or target.kind == "unknown":
        raise Unevaluable("target")
    if actual is None or actual.kind == "unknown":
        raise Unevaluable("actual")
    kind = target.kind
    if kind == "term":
        pred = terms.predicate_of(env.target_text or "")
        if pred is None:
            return _same_words(env, terms)
        if actual.kind == "term":
            # 正增长 against 正增长 (or a synonym of the predicate): the words say it.
            if terms.belongs(env.actual_text or "", pred.name):
                return True
            raise Unevaluable("actual")
        return _compare(env, pred.op)
    if kind == "compare":
        return _compare(env, target.op)  # type: ignore[union-attr]
    if kind == "range":
        a = _actual_number(env)
        low, high = env.low, env.high
        if low is None or high is None:
            raise Unevaluable("target")
        return low <= a <= high
    if kind == "date":
        return _meets_date(env, terms)
    raise Unevaluable("target")


def _actual_number(env: Env) -> Decimal:
    if env.actual is None:
        raise Unevaluable("actual")
    return env.actual


def _compare(env: Env, op: str) -> bool:
    a = _actual_number(env)
    t = env.target
    if t is None:
        raise Unevaluable("target")
    if op == ">=":
        return a >= t
    if op == ">":
        return a > t
    if op == "<=":
        return a <= t
    if op == "<":
        return a < t
    if op == "!=":
        return a != t
    return a == t


def _same_words(env: Env, terms: Terms) -> bool:
    """A word target: the actual is in the target's vocabulary (or is the very same word)."""
    if env.actual_value is None or env.actual_value.kind != "term":
        raise Unevaluable("actual")
    target_text = env.target_text or ""
    actual_text = env.actual_text or ""
    label = terms.label_of(target_text)
    if label is not None:
        return terms.label_of(actual_text) == label
    return terms.norm(target_text) == terms.norm(actual_text)


def _meets_date(env: Env, terms: Terms) -> bool:
    actual = env.actual_value
    target = env.target_value
    assert actual is not None and target is not None
    if actual.kind == "term":
        if terms.done is None:
            raise Unevaluable("actual")
        return terms.belongs(env.actual_text or "", terms.done)
    if actual.kind != "date":
        raise Unevaluable("actual")
    assert isinstance(target, DateValue) and isinstance(actual, DateValue)
    due = _date_parts(target.value)
    done = _date_parts(actual.value)
    if due is None:
        raise Unevaluable("target")
    if done is None:
        raise Unevaluable("actual")
    # A deadline without a year (12月底前) holds in the actual's year, and the other way round.
    due_year = due[0] if due[0] is not None else done[0]
    done_year = done[0] if done[0] is not None else due[0]
    # A month without a day: the deadline runs to its end, the actual counts from its start.
    return (done_year or 0, done[1], done[2] or 1) <= (due_year or 0, due[1], due[2] or 31)


def _date_parts(text: str | None) -> tuple[int | None, int, int | None] | None:
    """``2021-12-31``, ``--12-31``, ``--12``, ``2025-12`` → (year, month, day); a period → None."""
    if text is None:
        return None
    if text.startswith("--"):
        rest = text[2:].split("-")
        return (None, int(rest[0]), int(rest[1]) if len(rest) > 1 else None)
    parts = text.split("-")
    if len(parts) == 3:
        return (int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return (int(parts[0]), int(parts[1]), None)
    return None
