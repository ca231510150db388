"""The application: read a form, choose and compile its policy, evaluate it; one form or a batch.

Commands and benchmarks go through here, so every way of scoring takes the same path.
"""

from __future__ import annotations

import difflib
import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from rules_engine import engine
from rules_engine.diagnostics import Lang, UserError, define
from rules_engine.model import Document, FormKind
from rules_engine.policy import loader, snapshot
from rules_engine.policy.limits import DEFAULT, Limits
from rules_engine.policy.loader import ShippedPolicy
from rules_engine.policy.model import CompiledPolicy
from rules_engine.readers import load
from rules_engine.readers.limits import DEFAULT as DEFAULT_LIMITS
from rules_engine.readers.limits import Limits as InputLimits
from rules_engine.render.words import FORM_KINDS
from rules_engine.resources import policies_dir
from rules_engine.scorecard import Scorecard

UNKNOWN_POLICY = define(
    "E452",
    "找不到规则「{name}」：它既不是随附规则的名称，也不是存在的文件",
    "no policy '{name}': it is neither a shipped policy name nor an existing file",
    "随附的规则有：{shipped}；也可以写规则文件的路径。",
    "shipped policies: {shipped}; or give the path of a policy file.",
)
UNKNOWN_REGION = define(
    "E456",
    "没有适用于「{region}」的随附规则",
    "no shipped policy for the region '{region}'",
    "随附规则的地区有：{regions}；或用 --policy 指定规则文件。",
    "shipped policies cover: {regions}; or name a policy file with --policy.",
)
NO_SHIPPED = define(
    "E453",
    "没有可用的随附规则（{folder} 中没有 .policy 文件）",
    "no shipped policy to choose from ({folder} holds no .policy file)",
    "用 --policy 指定规则文件。",
    "name a policy file with --policy.",
)

# How shipped policies are named and which one is the national fallback.
_NATIONAL_PREFIX = "national"
# Regions that mean "everywhere".
_NATIONWIDE = ("全国", "national")
# A form may write 武威 where the policy writes 武威市.
_PLACE_SUFFIX = re.compile(r"(省|市|县|区|自治区|自治州|地区)$")


@dataclass(frozen=True)
class Choice:
    """A policy chosen for a document, and why, in both languages."""

    policy: CompiledPolicy
    zh: str
    en: str

    def reason(self, lang: Lang) -> str:
        """Why this policy, in `lang`."""
        return self.zh if lang == "zh" else self.en


def read_document(path: str, limits: InputLimits = DEFAULT_LIMITS) -> Document:
    """Read a form file the way `parse` does, within `limits`."""
    return load.read_document(Path(path), limits=limits)


def compile_file(path: Path, limits: Limits = DEFAULT) -> CompiledPolicy:
    """Compile the policy file at `path` (shipped files are cited as ``policies/<name>.policy``)
    under `limits`; a shipped policy comes from its prebuilt snapshot while that is current.

    Every error of the policy is raised at once (exit code 2).
    """
    try:
        prebuilt = snapshot.shipped(path, limits)
    except (OSError, UnicodeDecodeError, loader.Unreadable):
        prebuilt = None  # compiling reads the file again and reports why it cannot
    if prebuilt is not None:
        return prebuilt
    # The compiler (and lark with it) is loaded only when a policy has to be compiled.
    from rules_engine.policy import compiler  # noqa: PLC0415

    return compiler.compile_policy(path, limits=limits)


def evaluate(policy: CompiledPolicy, document: Document) -> Scorecard:
    """Score every form of `document` under `policy`."""
    return engine.evaluate(policy, document)


def shipped() -> tuple[ShippedPolicy, ...]:
    """The shipped policies with the year and region their headers declare."""
    return loader.shipped_policies()


class Policies:
    """Compiles each policy once per run, however many forms use it, under the run's limits."""

    def __init__(self, limits: Limits = DEFAULT) -> None:
        self._cache: dict[str, CompiledPolicy] = {}
        self._limits = limits

    def load(self, path: Path) -> CompiledPolicy:
        """The compiled policy at `path` (compiled on first use)."""
        key = str(path.resolve())
        if key not in self._cache:
            self._cache[key] = compile_file(path, self._limits)
        return self._cache[key]

    def named(self, spec: str) -> Choice:
        """The policy a user named with ``--policy``: a shipped name or a file path."""
        path, _shown = loader.resolve(spec)
        # Anything there is compiled, so what is not a policy file is refused by the compiler
        # for what it is (a folder, a device, a pipe) without being read.
        if not path.exists():
            names = [p.name for p in shipped()]
            stem = Path(spec).stem
            close = difflib.get_close_matches(stem, names, n=1)
            error = UserError.one(UNKNOWN_POLICY, 2, name=spec, shipped="、".join(names) or "—")
            if close:
                diag = error.diagnostics[0].model_copy(update={"suggestion": close[0]})
                error.diagnostics[0] = diag
            raise error
        policy = self.load(path)
        return Choice(policy, f"（按 --policy {spec}）", f"(from --policy {spec})")

    def for_document(self, document: Document, region: str | None = None) -> Choice:
        """The shipped policy for the document's kind of form, place and year, else the national
        one for its kind.

        The kind is that of the first form that is scored (target tables are only explained,
        so any policy takes them). A regional policy is chosen when it scores that kind, the
        form names its place anywhere (a header field, the title, or the text around the
        tables: ``甘肃（武威）``) and its year matches (a policy without a year serves every
        year); one written for a programme (``forms … about "禁捕"``) only when the form's own
        fields name it. `region` (``--region``) names the place instead and wins over what the
        form says.
        """
        everything = shipped()
        if not everything:
            raise UserError.one(NO_SHIPPED, 2, folder=str(policies_dir()))
        kind = _kind(document)
        ships = tuple(s for s in everything if kind in s.kinds) or everything
        tag_zh, tag_en = _kind_tag(kind, ships is everything)
        year = next((f.year for f in document.forms if f.year is not None), None)
        if region is not None:
            return self._for_region(ships, region, year, (tag_zh, tag_en))
        for ship in ships:
            if year is None or (ship.year is not None and ship.year != year):
                continue
            if ship.name.startswith(_NATIONAL_PREFIX):
                continue
            if ship.about and _names_any(document, ship.about) is None:
                continue
            if ship.region in (None, *_NATIONWIDE):
                topic = _names_any(document, ship.about) if ship.about else None
                if topic is not None:
                    zh = f"（{tag_zh}表中写有「{topic}」，年度 {year}：选用 {ship.name}）"
                    en = f"({tag_en}the form names {topic}, year {year}: {ship.name})"
                else:
                    zh = f"（{tag_zh}按表单年度 {year} 选用 {ship.name}）"
                    en = f"({tag_en}chosen for the form's year {year}: {ship.name})"
                return Choice(self.load(ship.path), zh, en)
            place = _mentions(document, ship.region)
            if place is not None:
                return Choice(
                    self.load(ship.path),
                    f"（{tag_zh}表中写有「{place}」，年度 {year}：选用 {ship.name}）",
                    f"({tag_en}the form names {place}, year {year}: {ship.name})",
                )
        national = _national(ships, year)
        elsewhere = [
            s
            for s in ships
            if year is not None and s.year == year and s is not national and not s.about
        ]
        if elsewhere:
            places = "、".join(str(s.region) for s in elsewhere)
            places_en = ", ".join(str(s.region) for s in elsewhere)
            return Choice(
                self.load(national.path),
                f"（{tag_zh}{year} 年的随附规则只适用于{places}，本表地区不在其中或未写明："
                f"选用全国规则 {national.name}；可用 --region 指定地区）",
                f"({tag_en}{year}'s shipped policies are for {places_en}; this form names none "
                f"of them: national policy {national.name}; --region names the place)",
            )
        known = year if year is not None else "未知"
        return Choice(
            self.load(national.path),
            f"（{tag_zh}表单年度 {known} 没有对应的随附规则，选用全国规则 {national.name}）",
            f"({tag_en}no shipped policy for the form's year {year or 'unknown'}: "
            f"national policy {national.name})",
        )

    def _for_region(
        self,
        ships: tuple[ShippedPolicy, ...],
        region: str,
        year: int | None,
        tag: tuple[str, str],
    ) -> Choice:
        """The shipped policy of the place a user named with ``--region``."""
        tag_zh, tag_en = tag
        wanted = _place(region)
        if wanted in (_place(x) for x in _NATIONWIDE):
            national = _national(ships, year)
            return Choice(
                self.load(national.path),
                f"（{tag_zh}按 --region {region}：选用全国规则 {national.name}）",
                f"({tag_en}from --region {region}: national policy {national.name})",
            )
        local = [p for p in ships if p.region and wanted and wanted in p.region]
        if not local:
            known = [p for p in shipped() if p.region and wanted and wanted in p.region]
            if known:  # the place has policies, none for this kind of form
                national = _national(ships, year)
                return Choice(
                    self.load(national.path),
                    f"（{tag_zh}{region} 的随附规则不评这类表：选用全国规则 {national.name}）",
                    f"({tag_en}{region}'s shipped policies score other forms: national policy "
                    f"{national.name})",
                )
            regions = sorted({str(p.region) for p in shipped() if p.region})
            raise UserError.one(UNKNOWN_REGION, 2, region=region, regions="、".join(regions) or "—")
        same_year = [p for p in local if year is not None and p.year == year]
        earlier = [p for p in local if year is None or p.year is None or p.year <= year]
        pool = same_year or earlier or local
        chosen = sorted(pool, key=lambda p: (p.year or 0, p.name))[-1]
        return Choice(
            self.load(chosen.path),
            f"（{tag_zh}按 --region {region}：选用 {chosen.name}）",
            f"({tag_en}from --region {region}: {chosen.name})",
        )


def _kind(document: Document) -> FormKind:
    """The kind of form a document is scored as: its first form that is not a target table."""
    kinds = [f.kind for f in document.forms if f.kind != "targets-only"]
    return kinds[0] if kinds else "project-self-evaluation"


def _kind_tag(kind: FormKind, none_scores_it: bool) -> tuple[str, str]:
    """What the reason says about the kind of form: nothing for project forms; the kind for
    others; and that no shipped policy scores it, when none does."""
    if kind == "project-self-evaluation":
        return "", ""
    zh, en = FORM_KINDS[kind]
    if none_scores_it:
        return (
            f"没有评{zh}的随附规则，这类表不计分；",
            f"no shipped policy scores {en} forms, so this one is not scored; ",
        )
    return f"{zh}：", f"{en}: "


def _names_any(document: Document, words: tuple[str, ...]) -> str | None:
    """The first of `words` a form's own fields (title, project, department, unit) name."""
    for form in document.forms:
        for text in (form.title, form.project, form.department, form.unit):
            for word in words:
                if text and word in text:
                    return word
    return None


def _national(ships: tuple[ShippedPolicy, ...], year: int | None) -> ShippedPolicy:
    """The latest national policy in force by `year` (the earliest one if none is)."""
    nationals = [p for p in ships if p.name.startswith(_NATIONAL_PREFIX) and not p.about]
    nationals = nationals or [p for p in ships if p.region in (None, *_NATIONWIDE)] or list(ships)
    ordered = sorted(nationals, key=lambda p: (p.year or 0, p.name))
    in_force = [p for p in ordered if year is None or p.year is None or p.year <= year]
    return in_force[-1] if in_force else ordered[0]


def _place(region: str) -> str:
    """``武威市`` → ``武威``: forms write a place with or without its administrative suffix."""
    return _PLACE_SUFFIX.sub("", region.strip()) or region.strip()


def _mentions(document: Document, region: str) -> str | None:
    """The place as the document writes it (``武威``), when any header field, title or the
    text around its tables names the policy's region; else ``None``."""
    place = _place(region)
    for form in document.forms:
        for text in (form.title, form.project, form.department, form.unit, form.file):
            if text and place in text:
                return place
    if place and place in document.context:
        return place
    return None


@contextmanager
def long_lived_results() -> Iterator[None]:
    """A batch: after each document, call `settle()` — what is alive then (the policy's plan
    and memo tables) stays alive for the whole batch, and the cycle collector need not walk it
    again and again. Scorecards hold no cycles, so freezing keeps nothing alive that references
    would free; the frozen objects are handed back to the collector when the batch ends.

    Scoring a document allocates many objects that live until it is written, and no garbage
    cycles: the youngest generation is collected every `BATCH_GC_THRESHOLD` allocations rather
    than every 700, so the collector walks those objects far less often."""
    before = gc.get_threshold()
    gc.set_threshold(BATCH_GC_THRESHOLD, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


BATCH_GC_THRESHOLD = 10_000


def settle() -> None:
    """One document of a batch done: collect the youngest generation, then freeze what is
    alive (see `long_lived_results`). A workbook's reader leaves garbage cycles; frozen
    uncollected, they would stay until the batch ends, some 0.5 MB per file."""
    gc.collect(0)
    gc.freeze()
