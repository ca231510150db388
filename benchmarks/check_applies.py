"""Benchmark `check` on a policy with many `apply` lines: CPU seconds against the line count.

Run by ``make bench``. A generated policy extends the national one and adds N apply lines of
the kinds real policies write: category paths at each level (a name, a glob, ``*``) and target
shapes, some of them repeating an earlier line so the shadowing analysis has work to do. Each
size is checked in a fresh child process (``rules-engine check``, start-up included); its CPU
time is reported, with the ratio to the smallest size so a quadratic analysis shows at once.
Figures go to the terminal and to ``benchmarks/out/check_applies.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SIZES = (500, 1000, 2000, 4000)

_LEVEL1 = ("产出指标", "效益指标", "满意度指标", "成本指标")
_SHAPES = ("<=", "<", ">=", ">", "=", "range", "term", "date", "number")


def policy_text(lines: int) -> str:
    """A policy that extends national-2020 with `lines` apply lines (deterministic)."""
    out = ['policy "大量分派" year 2020', 'extends "national-2020"']
    out.append("categories " + ", ".join(f"类别{i}" for i in range(lines // 8 + 1)))
    out.append("categories " + ", ".join(f"子类{i}" for i in range(lines)))
    for i in range(lines):
        kind = i % 8
        if kind == 0:
            out.append(f"apply */*/指标{i} -> 正向")
        elif kind == 1:
            out.append(f"apply 类别{i // 8}/* -> 反向")
        elif kind == 2:
            out.append(f"apply {_LEVEL1[i % 4]}/子类{i}/* -> 等于")
        elif kind == 3:
            out.append(f"apply */*/指标{i}*, */*/*名称{i} -> 区间")
        elif kind == 4:
            out.append(f"apply {_LEVEL1[i % 4]}/* and target is {_SHAPES[i % 9]} -> 正向")
        elif kind == 5:
            out.append(f"apply */*/指标{i - 5} -> 反向")  # repeats an earlier line: shadowed
        elif kind == 6:
            out.append(f"apply */子类{i}/指标? -> 定性")
        else:
            out.append(f"apply target is {_SHAPES[i % 9]} and */*/指标{i} -> 时限")
    return "\n".join(out) + "\n"


def cpu_seconds(path: Path) -> tuple[float, int]:
    """CPU seconds one `check` run takes in a child process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "rules_engine", "check", str(path)],
        capture_output=True,
        check=False,
        cwd=ROOT,
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, done.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), metavar="N")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            path = Path(folder) / f"applies-{size}.policy"
            path.write_text(policy_text(size), encoding="utf-8")
            seconds, code = cpu_seconds(path)
            results.append({"apply_lines": size, "cpu_seconds": round(seconds, 2), "exit": code})
            ratio = seconds / results[0]["cpu_seconds"] if results[0]["cpu_seconds"] else 0
            print(
                f"check, {size:>5} apply lines: {seconds:7.2f} s CPU "
                f"(× {ratio:.1f} the first size), exit {code}"
            )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "check_applies.json").write_text(json.dumps(results, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
