"""Find policy files: shipped ones by name (``national-2020``) or any by path; list the shipped."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rules_engine.model import FormKind
from rules_engine.policy.model import DEFAULT_KINDS
from rules_engine.policy.model import FORM_KIND_NAMES as KINDS
from rules_engine.resources import policies_dir

SUFFIX = ".policy"
# The header line of a policy: `policy "标题" year 2021 region "武威市"` (read without parsing).
_HEADER = re.compile(r'^\s*policy\s+"([^"\n]*)"(?:\s+year\s+(\d+))?(?:\s+region\s+"([^"\n]*)")?')
_EXTENDS = re.compile(r'^\s*extends\s+"([^"\n]*)"', re.MULTILINE)
# `forms 部门整体支出 about "禁捕"` and the policy's own `basis "…"` (top level, read likewise).
_FORMS = re.compile(r"^forms\s+([^#\n]*?)(?:\s+about\s+([^#\n]*?))?\s*(?:#.*)?$", re.MULTILINE)
_BASIS = re.compile(r'^basis\s+"([^"\n]*)"', re.MULTILINE)
_WORD = re.compile(r'"([^"\n]*)"|“([^”\n]*)”|([^\s,，、"“]+)')


@dataclass(frozen=True)
class ShippedPolicy:
    """A policy in the shipped folder: its name (file stem), title, year, region and path; the
    kinds of form it scores and the words a form must name for it to be chosen (its own
    ``forms`` line, else the one of the policy it extends), and its ``basis``."""

    name: str
    title: str
    year: int | None
    region: str | None
    path: Path
    extends: str | None
    kinds: tuple[FormKind, ...] = DEFAULT_KINDS
    about: tuple[str, ...] = ()
    basis: str | None = None

    @property
    def display(self) -> str:
        """How explanations cite it: ``policies/<name>.policy``."""
        return f"policies/{self.path.name}"


def shipped_path(name: str) -> Path | None:
    """The shipped policy file called `name` (``national-2020``), or ``None``."""
    if not name or "/" in name or "\\" in name:
        return None
    candidate = policies_dir() / (name if name.endswith(SUFFIX) else name + SUFFIX)
    return candidate if candidate.is_file() else None


def shipped_names() -> list[str]:
    """Names of all shipped policies, sorted."""
    folder = policies_dir()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob(f"*{SUFFIX}"))


@cache
def shipped_policies() -> tuple[ShippedPolicy, ...]:
    """Every shipped policy with the year, region and kinds of form its text declares."""
    texts = {
        name: (policies_dir() / f"{name}{SUFFIX}").read_text(encoding="utf-8")
        for name in shipped_names()
    }
    found: list[ShippedPolicy] = []
    for name, text in texts.items():
        title, year, region = name, None, None
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match:
                title = match.group(1)
                year = int(match.group(2)) if match.group(2) else None
                region = match.group(3)
                break
        ext = _EXTENDS.search(text)
        kinds, about = _forms(name, texts, ())
        basis = _BASIS.search(text)
        found.append(
            ShippedPolicy(
                name,
                title,
                year,
                region,
                policies_dir() / f"{name}{SUFFIX}",
                ext.group(1) if ext else None,
                kinds,
                about,
                basis.group(1) if basis else None,
            )
        )
    return tuple(found)


def _forms(
    name: str, texts: dict[str, str], seen: tuple[str, ...]
) -> tuple[tuple[FormKind, ...], tuple[str, ...]]:
    """The kinds and about-words of a shipped policy: its own ``forms`` line, else those of the
    shipped policy it extends (the defaults at the root, or for a policy extending a file)."""
    text = texts.get(name)
    if text is None or name in seen:
        return DEFAULT_KINDS, ()
    match = _FORMS.search(text)
    if match is None:
        ext = _EXTENDS.search(text)
        if ext is None:
            return DEFAULT_KINDS, ()
        return _forms(ext.group(1), texts, (*seen, name))
    kinds = tuple(dict.fromkeys(KINDS[w] for w in _words(match.group(1)) if w in KINDS))
    return kinds or DEFAULT_KINDS, tuple(_words(match.group(2) or ""))


def _words(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _WORD.finditer(text)]


def resolve(
    ref: str, base: Path | None = None, base_display: str | None = None
) -> tuple[Path, str]:
    """Where policy `ref` lives and how to cite it.

    `ref` is a shipped name (``national-2020``) or a path; a relative path is taken from the
    folder of `base` (the extending file) when given, else from the current directory. The
    display path is ``policies/<name>.policy`` for shipped files, else the path as a user would
    type it (relative to the current directory when possible).
    """
    shipped = shipped_path(ref)
    if shipped is not None and not Path(ref).suffix:
        return shipped, f"policies/{shipped.name}"
    path = Path(ref)
    display = ref
    if not path.is_absolute() and base is not None:
        path = base.parent / ref
        if base_display is not None:
            display = os.path.normpath(os.path.join(os.path.dirname(base_display), ref))
    try:
        if path.resolve().parent == policies_dir().resolve():
            display = f"policies/{path.name}"
    except OSError:
        pass
    return path, display
