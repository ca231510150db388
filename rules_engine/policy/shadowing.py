"""Which `apply` lines can never take a line because an earlier one takes all of theirs
(`shadowed`), found through indexes of the earlier selectors, so `check` stays near-linear in a
policy's apply lines rather than comparing every pair.

`apply_covers` is what "takes all of theirs" means, one pair at a time; the indexes only pick
which earlier lines to ask it about (tests/test_analysis.py compares both on random policies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from rules_engine.policy import model as m

CondCovers = Callable[[m.Cond, m.Cond], bool]
# A category path as three segments, missing ones written ``*``.
_Path = tuple[str, str, str]


def apply_covers(earlier: m.Apply, later: m.Apply, cond_covers: CondCovers) -> bool:
    """Whether every line `later` takes is already taken by `earlier`."""
    return all(
        any(selector_covers(e, q, cond_covers) for q in later.selectors) for e in earlier.selectors
    )


def selector_covers(earlier: m.Selector, later: m.Selector, cond_covers: CondCovers) -> bool:
    """Whether every line `later` selects is selected by `earlier`."""
    if earlier == later:
        return True
    if isinstance(earlier, m.PathIs) and isinstance(later, m.PathIs):
        return all(
            any(pattern_covers(_path(e), _path(q)) for e in earlier.patterns)
            for q in later.patterns
        )
    if isinstance(earlier, m.CondIs) and isinstance(later, m.CondIs):
        return cond_covers(earlier.cond, later.cond)
    if isinstance(earlier, m.NameIs) and isinstance(later, m.NameIs):
        return set(_names(later)) <= set(_names(earlier))
    return False


def _names(selector: m.NameIs) -> tuple[str, ...]:
    """The names a name selector lists, as lines are compared with them (a glob is kept as
    written: it covers only itself)."""
    return tuple(n if _is_glob(n) else m.name_key(n) for n in selector.names)


def pattern_covers(earlier: _Path, later: _Path) -> bool:
    """Whether the path pattern `earlier` matches every path `later` matches (a glob in `later`
    is covered only by ``*`` or the same glob)."""
    for e, lat in zip(earlier, later, strict=True):
        if e == "*":
            continue
        if _is_glob(lat):
            if e != lat:
                return False
        elif not m.glob_match(e, lat):
            return False
    return True


def shadowed(
    dispatch: Sequence[m.Apply], cond_covers: CondCovers
) -> Iterator[tuple[m.Apply, m.Apply]]:
    """Each apply that an earlier one covers, with the first earlier one that does; nothing
    after a catch-all (the compiler reports those itself)."""
    index = _Earlier(cond_covers)
    for apply in dispatch:
        if index.catch_all:
            break
        earlier = index.first_covering(apply)
        if earlier is not None:
            yield apply, earlier
        index.add(apply)


def _path(pattern: m.PathPattern) -> _Path:
    level1, level2, name = (*pattern.segments[:3], "*", "*", "*")[:3]
    return level1, level2, name


def _is_glob(segment: str) -> bool:
    return "*" in segment or "?" in segment


class _Earlier:
    """The applies seen so far, indexed by selector: each apply is filed under one of its
    selectors (a path if it has one: paths are the most varied), and an apply covers a later
    one only if every one of its selectors covers one of the later one's."""

    def __init__(self, cond_covers: CondCovers) -> None:
        self.cond_covers = cond_covers
        self.applies: list[m.Apply] = []
        self.catch_all = False
        self.selector_ids: dict[m.Selector, int] = {}
        self.selectors: list[m.Selector] = []
        self.needs: list[frozenset[int]] = []  # the selector ids of each apply
        self.filed: dict[int, list[int]] = {}  # selector id -> applies filed under it, in order
        self.conds: list[int] = []  # ids of condition selectors
        self.paths = _Paths()
        self.path_selectors: dict[_Path, set[int]] = {}  # pattern -> path selectors holding it
        self.empty_paths: set[int] = set()  # path selectors without a pattern (cover any path)
        self.name_selectors: dict[str, set[int]] = {}  # a name -> name selectors listing it
        self.cond_memo: dict[tuple[int, m.Selector], bool] = {}

    def add(self, apply: m.Apply) -> None:
        position = len(self.applies)
        self.applies.append(apply)
        if not apply.selectors:
            self.catch_all = True
        ids = frozenset(self._id(s) for s in apply.selectors)
        self.needs.append(ids)
        if ids:
            paths = [i for i in ids if isinstance(self.selectors[i], m.PathIs)]
            self.filed.setdefault(min(paths or ids), []).append(position)

    def first_covering(self, later: m.Apply) -> m.Apply | None:
        """The first apply seen so far that covers `later`."""
        covered: set[int] = set()
        for selector in later.selectors:
            covered |= self._covering(selector)
        best: int | None = None
        for selector_id in covered:
            for position in self.filed.get(selector_id, ()):
                if best is not None and position >= best:
                    break
                if self.needs[position] <= covered and apply_covers(
                    self.applies[position], later, self.cond_covers
                ):
                    best = position
                    break
        return None if best is None else self.applies[best]

    def _id(self, selector: m.Selector) -> int:
        found = self.selector_ids.get(selector)
        if found is not None:
            return found
        new = self.selector_ids[selector] = len(self.selectors)
        self.selectors.append(selector)
        if isinstance(selector, m.CondIs):
            self.conds.append(new)
        elif isinstance(selector, m.NameIs):
            for name in _names(selector):
                self.name_selectors.setdefault(name, set()).add(new)
        elif not selector.patterns:
            self.empty_paths.add(new)
        for pattern in selector.patterns if isinstance(selector, m.PathIs) else ():
            path = _path(pattern)
            self.paths.add(path)
            self.path_selectors.setdefault(path, set()).add(new)
        return new

    def _covering(self, later: m.Selector) -> set[int]:
        """The ids of the selectors seen so far that cover `later`."""
        found: set[int] = set()
        same = self.selector_ids.get(later)
        if same is not None:
            found.add(same)
        if isinstance(later, m.CondIs):
            for selector_id in self.conds:
                key = (selector_id, later)
                if key not in self.cond_memo:
                    earlier = self.selectors[selector_id]
                    assert isinstance(earlier, m.CondIs)
                    self.cond_memo[key] = self.cond_covers(earlier.cond, later.cond)
                if self.cond_memo[key]:
                    found.add(selector_id)
            return found
        if isinstance(later, m.NameIs):
            listing = [self.name_selectors.get(name, set()) for name in _names(later)]
            if listing:
                found |= set.intersection(*listing)
            return found
        if isinstance(later, m.PathIs):
            found |= self.empty_paths
            holders: set[int] | None = None
            for pattern in later.patterns:
                each: set[int] = set()
                for path in self.paths.covering(_path(pattern)):
                    each |= self.path_selectors[path]
                holders = each if holders is None else holders & each
            if holders is None:  # no pattern at all: every path selector covers it
                holders = {i for i, s in enumerate(self.selectors) if isinstance(s, m.PathIs)}
            found |= holders
        return found


class _Paths:
    """Path patterns seen so far, indexed by the segment at each level."""

    def __init__(self) -> None:
        self.at: tuple[dict[str, set[_Path]], ...] = ({}, {}, {})
        self.literals: tuple[dict[str, set[str]], ...] = ({}, {}, {})  # normalised -> as written
        self.globs = (_Globs(), _Globs(), _Globs())

    def add(self, path: _Path) -> None:
        for level, segment in enumerate(path):
            known = self.at[level].setdefault(segment, set())
            if not known:
                if _is_glob(segment):
                    self.globs[level].add(segment)
                else:
                    norm = m.normalize_term(segment)
                    self.literals[level].setdefault(norm, set()).add(segment)
            known.add(path)

    def covering(self, later: _Path) -> set[_Path]:
        """The patterns seen so far that cover `later` (`pattern_covers`)."""
        allowed = [self._segments(level, segment) for level, segment in enumerate(later)]
        # Walk the level whose allowed segments hold the fewest patterns; test the others.
        sizes = [sum(len(self.at[i].get(s, ())) for s in allowed[i]) for i in range(3)]
        level = sizes.index(min(sizes))
        found: set[_Path] = set()
        for segment in allowed[level]:
            for path in self.at[level].get(segment, ()):
                if all(path[i] in allowed[i] for i in range(3)):
                    found.add(path)
        return found

    def _segments(self, level: int, later: str) -> set[str]:
        """The earlier segments at `level` that cover the segment `later`."""
        allowed = {"*"}
        if _is_glob(later):
            allowed.add(later)
            return allowed
        norm = m.normalize_term(later)
        allowed |= self.literals[level].get(norm, set())
        allowed |= self.globs[level].matching(norm)
        return allowed


class _Globs:
    """Glob segments seen so far, filed by the longer of their fixed start and fixed end, so
    the globs that may match a text are found from the text's own starts and ends."""

    def __init__(self) -> None:
        self.by_start: dict[str, list[str]] = {}
        self.by_end: dict[str, list[str]] = {}
        self.loose: list[str] = []  # no fixed start or end (``*满意度*``): tried on every text

    def add(self, glob: str) -> None:
        norm = m.normalize_term(glob)
        start = norm[: _first_wild(norm)]
        end = norm[_last_wild(norm) + 1 :]
        if start and len(start) >= len(end):
            self.by_start.setdefault(start, []).append(glob)
        elif end:
            self.by_end.setdefault(end, []).append(glob)
        else:
            self.loose.append(glob)

    def matching(self, text: str) -> set[str]:
        """The globs that match `text` (normalised)."""
        tried = list(self.loose)
        for cut in range(1, len(text) + 1):
            tried.extend(self.by_start.get(text[:cut], ()))
            tried.extend(self.by_end.get(text[-cut:], ()))
        return {g for g in tried if m.compile_glob(m.normalize_term(g))(text)}


def _first_wild(text: str) -> int:
    return min((i for i in (text.find("*"), text.find("?")) if i >= 0), default=len(text))


def _last_wild(text: str) -> int:
    return max(text.rfind("*"), text.rfind("?"))
