"""Lint of a compiled policy: vocabulary families with a missing or misplaced tier word, and
rules that do not declare what they promise (so `verify` cannot hold them to it).

`lint(policy)` returns warnings (E514–E516) located at the policy line concerned; `check`
prints them after the static analysis, and ``check --strict`` fails on them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rules_engine.diagnostics import Diagnostic, define
from rules_engine.policy import model as m
from rules_engine.policy.messages import Sources, cited

TIER_WORD_MISSING = define(
    "E514",
    "「{stem}」不在任何词表中，而「{variants}」都在：这一档的词可能被删掉了",
    "'{stem}' is in no vocabulary although {variants_en} are: the tier word may have been lost",
    "把「{stem}」加回它所属的词表（如 `terms 达成 += {stem}`）；若确实不用这个词，可忽略。",
    "add '{stem}' back to its vocabulary (e.g. `terms 达成 += {stem}`); ignore this if the "
    "word is not used on purpose.",
    severity="warning",
)
RULE_UNDECLARED = define(
    "E515",
    "规则「{name}」没有声明{missing}：verify 无法检验{what}",
    "rule '{name}' does not declare {missing_en}: verify cannot check {what_en}",
    "在规则中写 `direction up|down|none`（得分随实际值升高不降 / 不升 / 不承诺）和 "
    "`full at target|数值|none`（从哪里起得满分）。",
    "declare `direction up|down|none` (the score never falls / never rises / no promise as the "
    "actual rises) and `full at target|NUMBER|none` (where full marks start) in the rule.",
    severity="warning",
)
TIER_WORD_MISPLACED = define(
    "E516",
    "「{word}」与「{stem}」在同一个词表「{label}」中：带「{prefix}」的词应属于另一档",
    "'{word}' is in the same vocabulary '{label}' as '{stem}': a word with '{prefix}' belongs "
    "to another tier",
    "把「{word}」移到它所属的档（基本… 属于部分达成，不… / 未… 属于未达成）。",
    "move '{word}' to its own tier (基本… is partly met, 不… / 未… is not met).",
    severity="warning",
)

# Prefixes that turn a tier word into the word of a lower tier: 基本合规, 不合规, 未完成.
TIER_PREFIXES = ("基本", "不", "未")


@dataclass(frozen=True)
class _Word:
    text: str
    label: str
    loc: m.Loc


def lint(policy: m.CompiledPolicy) -> list[Diagnostic]:
    """Every lint warning of the policy, ordered by place."""
    texts = Sources()
    out = [*_families(policy, texts), *_undeclared(policy, texts)]
    return sorted(out, key=lambda d: (d.file or "", d.line or 0, d.col or 0, d.code))


def _words(policy: m.CompiledPolicy) -> Iterator[_Word]:
    """Every vocabulary word with the line that wrote it (a ``+=`` line for added words)."""
    for vocab in policy.vocabularies.values():
        added = {w: a.loc for a in vocab.additions for w in a.words}
        for word in vocab.members():
            yield _Word(word, vocab.label, added.get(word, vocab.loc))


def _families(policy: m.CompiledPolicy, texts: Sources) -> Iterator[Diagnostic]:
    words = list(_words(policy))
    known = {m.normalize_term(w.text): w for w in words}
    known.update(
        (m.normalize_term(x), _Word(x, p.name, p.loc))
        for p in policy.predicates.values()
        for x in p.words
    )
    variants: dict[str, list[tuple[str, _Word]]] = {}
    for word in words:
        for prefix in TIER_PREFIXES:
            stem = word.text[len(prefix) :]
            if word.text.startswith(prefix) and len(stem) >= 2:
                variants.setdefault(stem, []).append((prefix, word))
    for stem, found in variants.items():
        owner = known.get(m.normalize_term(stem))
        if owner is None and len({prefix for prefix, _ in found}) >= 2:
            names = "、".join(w.text for _, w in found)
            yield cited(
                TIER_WORD_MISSING,
                found[0][1].loc,
                texts,
                stem=stem,
                variants=names,
                variants_en=", ".join(w.text for _, w in found),
            )
        elif owner is not None:
            for prefix, word in found:
                if word.label == owner.label:
                    yield cited(
                        TIER_WORD_MISPLACED,
                        word.loc,
                        texts,
                        word=word.text,
                        stem=stem,
                        label=word.label,
                        prefix=prefix,
                    )


def _undeclared(policy: m.CompiledPolicy, texts: Sources) -> Iterator[Diagnostic]:
    used = {a.rule for a in policy.dispatch if a.rule}
    for rule in policy.rules.values():
        if rule.name not in used:
            continue  # the compiler's E349 says so already
        missing: list[tuple[str, str, str, str]] = []
        if rule.direction is None:
            missing.append(("direction", "direction", "单调性", "that it is monotone"))
        if rule.full_at is None:
            missing.append(("full at", "full at", "满分点", "where it gives full marks"))
        if missing:
            yield cited(
                RULE_UNDECLARED,
                rule.loc,
                texts,
                name=rule.name,
                missing=" 和 ".join(f"`{zh}`" for zh, _, _, _ in missing),
                missing_en=" and ".join(f"`{en}`" for _, en, _, _ in missing),
                what="、".join(w for _, _, w, _ in missing),
                what_en=" or ".join(w for _, _, _, w in missing),
            )
