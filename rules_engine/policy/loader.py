"""Find policy files: shipped ones by name (``national-2020``) or any by path; list the shipped."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rules_engine.resources import policies_dir

SUFFIX = ".policy"
# The header line of a policy: `policy "标题" year 2021 region "武威市"` (read without parsing).
_HEADER = re.compile(r'^\s*policy\s+"([^"\n]*)"(?:\s+year\s+(\d+))?(?:\s+region\s+"([^"\n]*)")?')
_EXTENDS = re.compile(r'^\s*extends\s+"([^"\n]*)"', re.MULTILINE)


@dataclass(frozen=True)
class ShippedPolicy:
    """A policy in the shipped folder: its name (file stem), title, year, region and path."""

    name: str
    title: str
    year: int | None
    region: str | None
    path: Path
    extends: str | None

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
    """Every shipped policy with the year and region its header declares."""
    found: list[ShippedPolicy] = []
    for name in shipped_names():
        path = policies_dir() / f"{name}{SUFFIX}"
        text = path.read_text(encoding="utf-8")
        title, year, region = name, None, None
        for line in text.splitlines():
            match = _HEADER.match(line)
            if match:
                title = match.group(1)
                year = int(match.group(2)) if match.group(2) else None
                region = match.group(3)
                break
        ext = _EXTENDS.search(text)
        found.append(ShippedPolicy(name, title, year, region, path, ext.group(1) if ext else None))
    return tuple(found)


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
