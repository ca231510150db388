"""Benchmark the start: a cold ``rules-engine explain`` of the seed against the bare import of the
dependencies.

Run by ``make bench``. Each measurement is a fresh process; its CPU time (user + system) is read
from the operating system, so a busy machine slows the wall clock but hardly the figure. The
smallest of several runs is reported, with the median beside it. Three processes are timed:
importing lark, pydantic, rich and yaml and nothing else; ``explain`` of docs/examples/seed.txt
with the shipped policy chosen for it (text output); and the same with a copy of that policy
outside the shipped folder, which is compiled from its text (what a policy author's own file
costs). Figures go to the terminal and to ``benchmarks/out/startup.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SEED = ROOT / "docs" / "examples" / "seed.txt"
GOAL = 3.0  # a cold explain at most this many times the bare import
BARE = "import lark, pydantic, rich, yaml"


def _cpu(command: list[str]) -> float:
    """CPU seconds (user + system) the command's process spent."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, stdout=subprocess.DEVNULL, cwd=ROOT, check=True, env=_env())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _env() -> dict[str, str]:
    # Bytecode is written and used as on any installed copy: a cold start is a new process,
    # not a first run after an install.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _runs(command: list[str], count: int) -> dict[str, float]:
    _cpu(command)  # writes any missing bytecode
    times = [_cpu(command) for _ in range(count)]
    return {"min": round(min(times), 3), "median": round(statistics.median(times), 3)}


def main(argv: list[str] | None = None) -> int:
    """Time the three starts, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    python = sys.executable
    explain = [python, "-m", "rules_engine", "explain", str(SEED)]
    with tempfile.TemporaryDirectory(prefix="rules-engine-start-") as folder:
        own = Path(folder) / "own.policy"
        # national-2020 extends nothing, so the copy compiles alone.
        shutil.copy(ROOT / "policies" / "national-2020.policy", own)
        figures: dict[str, Any] = {
            "python": sys.version.split()[0],
            "runs": args.runs,
            "goal_ratio": GOAL,
            "bare_import": _runs([python, "-c", BARE], args.runs),
            "explain": _runs(explain, args.runs),
            "explain_own_policy": _runs([*explain, "--policy", str(own)], args.runs),
        }
    bare = figures["bare_import"]["min"]
    for key in ("explain", "explain_own_policy"):
        figures[key]["ratio"] = round(figures[key]["min"] / bare, 2) if bare else None
    _print(figures)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "startup.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _print(figures: dict[str, Any]) -> None:
    print(
        f"rules-engine start · CPU seconds per process, least of {figures['runs']} runs "
        f"(median) · Python {figures['python']}"
    )
    rows = (
        (f"bare import ({BARE.removeprefix('import ')})", figures["bare_import"]),
        ("explain seed.txt, shipped policy", figures["explain"]),
        ("explain seed.txt, own policy file", figures["explain_own_policy"]),
    )
    for label, got in rows:
        ratio = f"  {got['ratio']:.2f}× the bare import" if "ratio" in got else ""
        print(f"  {label:<40} {got['min']:>6.3f} s ({got['median']:.3f}){ratio}")
    print(f"  goal: explain at most {figures['goal_ratio']:.0f}× the bare import")


if __name__ == "__main__":
    sys.exit(main())
