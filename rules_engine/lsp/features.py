"""What the language server tells an editor about one policy text: the `check` findings with
their places, what a rule or vocabulary name under the cursor means, and the names to complete.

Pure functions over the text (no editor protocol here), so they are tested directly; positions
are 0-based lines and characters, as editors count them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rules_engine.diagnostics import Diagnostic, Lang
from rules_engine.policy import model as m
from rules_engine.policy import show
from rules_engine.policy.findings import diagnose
from rules_engine.policy.nodes import RuleDecl, TermDecl, TermsDecl
from rules_engine.policy.parse import parse_policy

# A name as the policy grammar reads it (rule names, vocabulary labels and words).
_NAME = re.compile(r"[\w·]+")


@dataclass(frozen=True)
class Finding:
    """One `check` finding placed in the text: 0-based start and end, severity, code, message."""

    line: int
    start: int
    end: int
    severity: str  # error | warning
    code: str
    message: str


@dataclass(frozen=True)
class Name:
    """A rule or vocabulary name to complete, with what it is and a short description."""

    label: str
    kind: str  # rule | vocabulary | term
    detail: str


@dataclass
class Document:
    """One open policy: its path, its text, and the last version of it that compiled."""

    path: str
    text: str = ""
    policy: m.CompiledPolicy | None = None

    def update(self, text: str, lang: Lang = "zh") -> list[Finding]:
        """Take a new text; return what `check` finds in it (kept: the policy if it compiles)."""
        self.text = text
        policy, diagnostics = diagnose(self.path, text=text)
        if policy is not None:
            self.policy = policy
        return [f for d in diagnostics if (f := self._place(d, lang)) is not None]

    def _place(self, diag: Diagnostic, lang: Lang) -> Finding | None:
        """The finding in this text, or ``None`` for one about another file (an extended
        policy's own findings are shown in that file)."""
        if diag.file is not None and not _same_file(diag.file, self.path):
            return None
        lines = self.text.splitlines()
        line = max((diag.line or 1) - 1, 0)
        start = max((diag.col or 1) - 1, 0)
        length = len(lines[line]) if line < len(lines) else start + 1
        end = min(start + max(diag.width, 1), max(length, start + 1))
        hint = diag.hint(lang)
        message = diag.text(lang) + (f"\n{hint}" if hint else "")
        return Finding(line, start, end, diag.severity, diag.code, message)

    def hover(self, line: int, character: int, lang: Lang = "zh") -> str | None:
        """Markdown about the rule or vocabulary named under the cursor, if any."""
        word = word_at(self.text, line, character)
        if word is None or self.policy is None:
            return None
        policy = self.policy
        if word in policy.rules:
            return _rule_text(policy.rules[word], lang)
        label = policy.vocabulary_of(word)
        if label is not None:
            return _vocabulary_text(policy.vocabularies[label], word, lang)
        predicate = policy.predicate_of(word)
        if predicate is not None:
            value = show.number(predicate.value)
            head = "术语" if lang == "zh" else "term"
            words = ", ".join(predicate.words)
            return f"**{head} {predicate.name}** = {predicate.op} {value}\n\n{words}"
        return None

    def names(self) -> list[Name]:
        """Rule and vocabulary names to complete: those the last compiled version knows
        (inherited ones too) and those written in the current text."""
        found: dict[str, Name] = {}
        if self.policy is not None:
            for rule in self.policy.rules.values():
                found[rule.name] = Name(rule.name, "rule", rule.title or "")
            for vocab in self.policy.vocabularies.values():
                found[vocab.label] = Name(vocab.label, "vocabulary", "、".join(vocab.synonyms[:6]))
            for pred in self.policy.predicates.values():
                found[pred.name] = Name(pred.name, "term", f"{pred.op} {show.number(pred.value)}")
        tree, _ = parse_policy(self.text, self.path)
        for st in tree.statements:
            if isinstance(st, RuleDecl) and st.name.text not in found:
                title = st.title.text if st.title else ""
                found[st.name.text] = Name(st.name.text, "rule", title)
            elif isinstance(st, TermsDecl) and st.label.text not in found:
                words = "、".join(w.text for w in st.words[:6])
                found[st.label.text] = Name(st.label.text, "vocabulary", words)
            elif isinstance(st, TermDecl) and st.words[0].text not in found:
                found[st.words[0].text] = Name(st.words[0].text, "term", "")
        return list(found.values())


def word_at(text: str, line: int, character: int) -> str | None:
    """The name under (or just before) the cursor."""
    lines = text.splitlines()
    if not 0 <= line < len(lines):
        return None
    for match in _NAME.finditer(lines[line]):
        if match.start() <= character <= match.end():
            return match.group()
    return None


def _same_file(cited: str, path: str) -> bool:
    return cited == path or Path(cited).resolve() == Path(path).resolve()


def _rule_text(rule: m.Rule, lang: Lang) -> str:
    zh = lang == "zh"
    title = f" {rule.title}" if rule.title else ""
    parts = [f"**{'规则' if zh else 'rule'} {rule.name}**{title}"]
    if rule.basis:
        parts.append(f"依据：{rule.basis}" if zh else f"basis: {rule.basis}")
    if rule.note:
        parts.append(f"说明：{rule.note}" if zh else f"note: {rule.note}")
    promises = []
    if rule.direction is not None:
        promises.append(f"direction {rule.direction}")
    if rule.full_at is not None:
        at = "none" if rule.full_at.at is None else show.expr(rule.full_at.at)
        promises.append(f"full at {at}")
    if promises:
        parts.append(" · ".join(promises))
    parts.append(("定义于 " if zh else "defined at ") + rule.loc.cite())
    return "\n\n".join(parts)


def _vocabulary_text(vocab: m.Vocabulary, word: str, lang: Lang) -> str:
    head = f"**{'词表' if lang == 'zh' else 'vocabulary'} {vocab.label}**"
    if word != vocab.label:
        head += f"（{word}）" if lang == "zh" else f" ({word})"
    return f"{head}\n\n{', '.join(vocab.members())}\n\n" + (
        f"定义于 {vocab.loc.cite()}" if lang == "zh" else f"defined at {vocab.loc.cite()}"
    )
