"""Benchmark `verify` on every shipped policy: CPU seconds per policy, as CI runs it.

Run by ``make bench``. Each policy is verified in a fresh child process
(``rules-engine verify POLICY --seed 0 --max-examples N``), at the example count CI uses (40,
see tests/test_shipped_policies.py) and at the command's default (200); the CPU time the child
used (user + system, start-up included) is reported against the goal of 10 s per policy at the
CI count. Figures go to the terminal and to ``benchmarks/out/verify.json``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
CI_EXAMPLES = 40
DEFAULT_EXAMPLES = 200
GOAL = 10.0  # CPU seconds per shipped policy at the CI example count


def cpu_seconds(policy: Path, examples: int) -> tuple[float, int]:
    """CPU seconds one `verify` run takes in a child process, and its exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(
        [sys.executable, "-m", "rules_engine", "verify", str(policy), "--seed", "0",
         "--max-examples", str(examples)],
        capture_output=True,
        check=False,
        cwd=ROOT,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return used, done.returncode


def main() -> int:
    """Measure every shipped policy; exit 1 if one fails verify or misses the goal."""
    figures: dict[str, dict[str, float | int]] = {}
    worst = 0
    for policy in sorted((ROOT / "policies").glob("*.policy")):
        ci, code = cpu_seconds(policy, CI_EXAMPLES)
        default, _ = cpu_seconds(policy, DEFAULT_EXAMPLES)
        figures[policy.stem] = {
            "cpu_s_40": round(ci, 2),
            "cpu_s_200": round(default, 2),
            "exit": code,
        }
        ok = code == 0 and ci < GOAL
        worst = max(worst, 0 if ok else 1)
        print(
            f"verify {policy.stem:16} {ci:6.2f} s CPU at {CI_EXAMPLES} examples "
            f"({default:.2f} s at {DEFAULT_EXAMPLES}) · goal < {GOAL:.0f} s · "
            f"{'ok' if ok else 'FAIL'}"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "verify.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
