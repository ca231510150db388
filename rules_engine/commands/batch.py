"""Scoring many files: one after another or in a pool of processes, results in input order.

A file that cannot be scored is reported with its own location and skipped; the others go on.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from rules_engine import scorecard_json
from rules_engine.app import Policies, evaluate, long_lived_results, read_document, settle
from rules_engine.commands.context import INTERNAL
from rules_engine.diagnostics import Diagnostic, UserError
from rules_engine.policy.limits import DEFAULT as POLICY_DEFAULTS
from rules_engine.policy.limits import Limits as PolicyLimits
from rules_engine.readers.limits import DEFAULT as DEFAULT_LIMITS
from rules_engine.readers.limits import Limits
from rules_engine.render.rows import ScoredFile
from rules_engine.scorecard import Scorecard


@dataclass(frozen=True)
class Source:
    """A form file to score: the path to read and the path to show (relative to its argument)."""

    path: str
    shown: str


@dataclass(frozen=True)
class Failed:
    """A file that could not be scored, and why."""

    path: str
    diagnostics: list[Diagnostic]


def sources(paths: Iterable[str], failures: list[Diagnostic]) -> list[Source]:
    """Each path as given, a folder as every form file under it (sorted, as `parse` walks it).

    A file is shown by its name, a file found in a folder by the folder's name and the path
    below it (``forms/sub/001.xlsx``); a folder without forms, or one that cannot be entered, is
    recorded in `failures`.
    """
    from rules_engine.readers.load import NO_FORMS, find_forms, is_folder  # noqa: PLC0415

    found: list[Source] = []
    for path in paths:
        folder = Path(path)
        name = folder.resolve().name or path
        if not is_folder(folder):
            found.append(Source(path, name))
            continue
        under = find_forms(folder)
        # A folder that cannot be entered is reported in its place among the files.
        failures.extend(under.problems)
        if not under.files and not under.problems:
            failures.append(Diagnostic(code=NO_FORMS, file=path))
        files = under.files
        found.extend(Source(str(f), f"{name}/{f.relative_to(folder).as_posix()}") for f in files)
    return found


class Scorer:
    """Reads, chooses the policy for and evaluates one file at a time; policies compile once."""

    def __init__(
        self,
        spec: str | None,
        region: str | None,
        limits: Limits = DEFAULT_LIMITS,
        policy_limits: PolicyLimits = POLICY_DEFAULTS,
    ) -> None:
        self._policies = Policies(policy_limits)
        self._fixed = self._policies.named(spec) if spec else None
        self._region = region
        self._limits = limits

    def __call__(self, source: Source) -> ScoredFile | Failed:
        """The file scored, or why it could not be."""
        try:
            document = read_document(source.path, self._limits)
            choice = self._fixed or self._policies.for_document(document, self._region)
            card = evaluate(choice.policy, document)
            # Hashed after reading: the reader has refused what is not a plain file by then.
            with open(source.path, "rb") as data:
                sha256 = hashlib.file_digest(data, "sha256").hexdigest()
        except UserError as exc:
            return Failed(source.path, exc.diagnostics)
        except OSError as exc:
            from rules_engine.readers.load import UNREADABLE  # noqa: PLC0415

            zh, en = _os_reason(exc)
            args = {"reason_zh": zh, "reason_en": en}
            return Failed(source.path, [Diagnostic(code=UNREADABLE, args=args, file=source.path)])
        except Exception as exc:  # one broken file must not stop the batch: name it, go on
            if os.environ.get("RULES_ENGINE_DEBUG"):
                raise
            detail = f"{type(exc).__name__}: {exc}"
            diag = Diagnostic(code=INTERNAL, args={"detail": detail}, file=source.path)
            return Failed(source.path, [diag])
        notes = {name: (rule.basis, rule.note) for name, rule in choice.policy.rules.items()}
        return ScoredFile(source.path, source.shown, sha256, card, notes)


def _os_reason(exc: OSError) -> tuple[str, str]:
    from rules_engine.diagnostics import os_reason  # noqa: PLC0415

    return os_reason(exc)


# The scorer of a pool's worker process, made once by `_start`.
_WORKER: Scorer | None = None


def _start(
    spec: str | None, region: str | None, limits: Limits, policy_limits: PolicyLimits
) -> None:
    global _WORKER  # noqa: PLW0603 - one scorer per worker process, kept between files
    _WORKER = Scorer(spec, region, limits, policy_limits)


# A scored file as a worker hands it back: path, shown, sha256, scorecard JSON, rule notes.
# JSON validated in Rust costs the parent less than unpickling models, and the parent, which
# writes every output, is the batch's one serial step.
_Packed = tuple[str, str, str, str, dict[str, tuple[str | None, str | None]]]


def _score(source: Source) -> _Packed | Failed:
    assert _WORKER is not None
    scored = _WORKER(source)
    if isinstance(scored, Failed):
        return scored
    card = scorecard_json.dumps(scored.card)
    return scored.path, scored.shown, scored.sha256, card, dict(scored.notes)


def _unpack(packed: _Packed | Failed) -> ScoredFile | Failed:
    if isinstance(packed, Failed):
        return packed
    path, shown, sha256, card, notes = packed
    return ScoredFile(path, shown, sha256, scorecard_json.loads(Scorecard, card), notes)


def score_all(
    files: list[Source],
    spec: str | None,
    region: str | None,
    jobs: int = 1,
    *,
    limits: Limits = DEFAULT_LIMITS,
    policy_limits: PolicyLimits = POLICY_DEFAULTS,
) -> Iterator[ScoredFile | Failed]:
    """Each file scored, in the order given; with `jobs` > 1 in that many processes.

    Results come back in input order whatever the number of processes, so the outputs of
    ``--jobs 1`` and ``--jobs N`` are the same.
    """
    if jobs <= 1 or len(files) < 2:
        scorer = Scorer(spec, region, limits, policy_limits)
        with long_lived_results():
            for source in files:
                yield scorer(source)
                settle()  # see `app.long_lived_results`
        return
    # forkserver: the workers start clean, whatever threads (a progress bar) this process runs.
    context = multiprocessing.get_context("forkserver")
    workers = min(jobs, len(files))
    # Small chunks keep every worker busy; a few files each keep the hand-over cheap.
    chunk = max(1, min(8, len(files) // (workers * 4)))
    with ProcessPoolExecutor(
        workers, context, initializer=_start, initargs=(spec, region, limits, policy_limits)
    ) as pool:
        yield from map(_unpack, pool.map(_score, files, chunksize=chunk))
