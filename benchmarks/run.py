"""Benchmark `score` end to end: synthetic forms in, a result row per line out; lines/s, memory.

Run by ``make bench``. A seeded generator writes 100,000 indicator lines (ranges, comparisons,
terms and dates; about 10,000 distinct target texts) as canonical JSON form files, then a fresh
child process scores them through the same functions `rules-engine score --steps` uses (read,
choose the policy, evaluate, one JSONL row per line with its trace) in one thread, and reports
lines per CPU second (what one core delivers, however busy the machine) and its peak resident
memory. Figures go to the terminal and to
``benchmarks/out/bench.json``. ``--profile`` adds a cProfile listing of the hot spots.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import os
import pstats
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
SEED = 20211231
GOAL = 150_000  # lines per second, end to end

_UNITS = ("次", "家", "个", "人", "人次", "万元", "天", "项", "场", "户")
_TERMS = ("合规", "满意", "正增长", "完成", "按时完成", "及时", "健全", "稳定", "有效", "达标")
_PARTIAL_TERMS = ("基本完成", "基本满意", "基本合规", "未完成")
_GROUPS = (
    ("产出指标", ("数量指标", "质量指标", "时效指标")),
    ("成本指标", ("经济成本指标",)),
    ("效益指标", ("经济效益指标", "社会效益指标", "可持续影响指标")),
    ("满意度指标", ("服务对象满意度指标",)),
)


def _range(rng: random.Random) -> tuple[str, str]:
    low = rng.randint(1, 400)
    high = low + rng.randint(1, 30)
    dash = rng.choice(("-", "~", "－", "至"))
    actual = rng.randint(max(0, low - 5), high + 5)
    return f"{low}{dash}{high}{rng.choice(_UNITS)}", str(actual)


def _compare(rng: random.Random) -> tuple[str, str]:
    percent = rng.random() < 0.5
    value = rng.randint(60, 100) if percent else rng.randint(50, 2000)
    unit = "%" if percent else rng.choice(_UNITS)
    op = rng.choice(("≥", ">=", "不低于", "≤", "不超过", "=", "以上"))
    text = f"{value}{unit}以上" if op == "以上" else f"{op}{value}{unit}"
    actual = max(value + rng.randint(-10, 10), 0)
    return text, f"{actual}%" if percent else str(actual)


def _term(rng: random.Random) -> tuple[str, str]:
    term = rng.choice(_TERMS)
    return term, term if rng.random() < 0.8 else rng.choice(_PARTIAL_TERMS)


def _date(rng: random.Random) -> tuple[str, str]:
    return f"2021年{rng.randint(1, 12)}月底前", rng.choice(("按时完成", "完成", "未完成"))


# Kinds of target: share of lines, distinct texts wanted, maker (text, an actual).
_KINDS = (
    (0.40, 5_000, _range),
    (0.40, 4_978, _compare),
    (0.15, 10, _term),
    (0.05, 12, _date),
)


def target_pools(rng: random.Random, distinct: int) -> list[list[tuple[str, str]]]:
    """One pool of different target texts (each with one actual) per kind of target."""
    pools: list[list[tuple[str, str]]] = []
    for _share, wanted, make in _KINDS:
        size = max(1, round(wanted * distinct / 10_000)) if wanted > 100 else wanted
        seen: dict[str, str] = {}
        attempts = 0
        while len(seen) < size and attempts < size * 50:
            target, actual = make(rng)
            seen.setdefault(target, actual)
            attempts += 1
        pools.append(sorted(seen.items()))
    return pools


def _pick(rng: random.Random, pools: list[list[tuple[str, str]]]) -> tuple[str, str]:
    roll = rng.random()
    for (share, _wanted, _make), pool in zip(_KINDS, pools, strict=True):
        if roll < share:
            return rng.choice(pool)
        roll -= share
    return rng.choice(pools[-1])


def _form(
    rng: random.Random, number: int, pools: list[list[tuple[str, str]]], lines: int
) -> dict[str, Any]:
    indicators = []
    for i in range(lines):
        level1, level2s = _GROUPS[i % len(_GROUPS)]
        target, actual = _pick(rng, pools)
        weight = rng.choice((5, 10))
        indicators.append(
            {
                "level1": level1,
                "level2": rng.choice(level2s),
                "name": f"指标{i + 1}：合成指标{rng.randint(1, 500)}",
                "target": target,
                "actual": actual,
                "weight": str(weight),
                "score": str(rng.randint(weight // 2, weight)),
                "note": None if rng.random() < 0.9 else "受疫情影响",
                "source": {"row": 10 + i, "col": 2},
            }
        )
    return {
        "kind": "project-self-evaluation",
        "title": f"2021年合成项目{number}支出绩效自评表",
        "project": f"合成项目{number}",
        "department": "合成主管部门",
        "unit": "合成实施单位",
        "year": 2021,
        "budget": [
            {
                "name": "年度资金总额",
                "initial": "100",
                "adjusted": "100",
                "executed": str(rng.randint(60, 100)),
                "weight": "10",
                "rate": None,
                "score": "9",
            }
        ],
        "indicators": indicators,
        "total": {"weight": "100", "score": "90"},
        "warnings": [],
    }


def generate(folder: Path, lines: int, distinct: int, per_form: int, per_file: int) -> list[Path]:
    """Write the synthetic forms as canonical JSON files; return their paths."""
    rng = random.Random(SEED)
    pools = target_pools(rng, distinct)
    paths: list[Path] = []
    forms: list[dict[str, Any]] = []
    number = 0
    while number * per_form < lines:
        forms.append(_form(rng, number + 1, pools, min(per_form, lines - number * per_form)))
        number += 1
        if len(forms) == per_file:
            paths.append(_write(folder, len(paths), forms))
            forms = []
    if forms:
        paths.append(_write(folder, len(paths), forms))
    return paths


def _write(folder: Path, index: int, forms: list[dict[str, Any]]) -> Path:
    path = folder / f"forms_{index:04d}.json"
    path.write_text(json.dumps({"forms": forms}, ensure_ascii=False), encoding="utf-8")
    return path


def child(folder: str, policy: str, profile: bool, phase: str) -> None:
    """One measured run in a fresh process, so its peak memory is the scoring's own.

    Phase ``end-to-end`` reads each file, evaluates it and writes its rows, one file at a time,
    exactly as ``rules-engine score --steps`` does. Phase ``engine`` reads every file first
    (off the clock) and times only evaluation and writing.
    """
    from rules_engine.app import (  # noqa: PLC0415
        Policies,
        evaluate,
        long_lived_results,
        read_document,
        settle,
    )
    from rules_engine.commands.batch import Failed, Source, score_all  # noqa: PLC0415
    from rules_engine.render.rows import ScoredFile  # noqa: PLC0415
    from rules_engine.render.streams import JsonlWriter  # noqa: PLC0415

    paths = sorted(str(p) for p in Path(folder).glob("forms_*.json"))
    policies = Policies()
    chosen = policies.named(policy).policy  # compiling is start-up, not throughput
    failures: list[Any] = []
    loaded = [(p, read_document(p)) for p in paths] if phase == "engine" else []
    with open(os.devnull, "w", encoding="utf-8") as stream:
        writer = JsonlWriter(stream, "zh", steps=True)
        rows = 0
        profiler = cProfile.Profile() if profile else None
        start = time.perf_counter()
        cpu = time.process_time()
        if profiler is not None:
            profiler.enable()
        if phase == "engine":
            gc.freeze()  # the documents read beforehand, as `score` freezes what it keeps
            with long_lived_results():
                for path, document in loaded:
                    item = ScoredFile(path, path, "", evaluate(chosen, document))
                    writer.write(item)
                    rows += sum(len(form.lines) for form in item.card.forms)
                    settle()
        else:
            for scored in score_all([Source(p, p) for p in paths], policy, None):
                if isinstance(scored, Failed):
                    failures.append(scored)
                    continue
                writer.write(scored)
                rows += sum(len(form.lines) for form in scored.card.forms)
        if profiler is not None:
            profiler.disable()
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
    result: dict[str, Any] = {
        "rows": rows,
        "failed_files": len(failures),
        "seconds": seconds,
        "cpu_seconds": cpu_seconds,
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(30)
        result["profile"] = text.getvalue()
    print(json.dumps(result))


def _measure(folder: str, policy: str, profile: bool, phase: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--child", folder, "--phase", phase, "--policy", policy]
    if profile:
        command.append("--profile")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.strip() or f"benchmark child failed ({done.returncode})")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> int:
    """Generate, score in a child process (one thread), print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--distinct", type=int, default=10_000)
    parser.add_argument("--per-form", type=int, default=20)
    parser.add_argument("--per-file", type=int, default=100)
    parser.add_argument("--policy", default="national-2020")
    parser.add_argument("--profile", action="store_true", help="list the hot spots (slower)")
    parser.add_argument("--child", metavar="DIR", help=argparse.SUPPRESS)
    parser.add_argument("--phase", default="end-to-end", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.policy, args.profile, args.phase)
        return 0
    with tempfile.TemporaryDirectory(prefix="rules-engine-bench-") as folder:
        started = time.perf_counter()
        paths = generate(Path(folder), args.lines, args.distinct, args.per_form, args.per_file)
        generated = time.perf_counter() - started
        try:
            phases = {
                phase: _measure(folder, args.policy, args.profile, phase)
                for phase in ("end-to-end", "engine")
            }
        except RuntimeError as exc:
            sys.stderr.write(f"{exc}\n")
            return 1
    figures: dict[str, Any] = {
        "lines": args.lines,
        "forms": -(-args.lines // args.per_form),
        "files": len(paths),
        "distinct_targets": args.distinct,
        "policy": args.policy,
        "python": sys.version.split()[0],
        "generate_seconds": round(generated, 3),
        "goal_lines_per_second": GOAL,
    }
    for phase, result in phases.items():
        # The run is one thread: its CPU time is what one core spends; wall time also counts
        # waiting for a core that other processes share.
        rate = result["rows"] / result["cpu_seconds"] if result["cpu_seconds"] else 0.0
        wall = result["rows"] / result["seconds"] if result["seconds"] else 0.0
        figures[phase] = {
            "rows": result["rows"],
            "failed_files": result["failed_files"],
            "cpu_seconds": round(result["cpu_seconds"], 3),
            "wall_seconds": round(result["seconds"], 3),
            "lines_per_second": round(rate),
            "lines_per_wall_second": round(wall),
            "peak_rss_mib": round(result["peak_rss_kib"] / 1024, 1),
        }
    _print(figures)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "bench.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    for phase, result in phases.items():
        if "profile" in result:
            (OUT / f"profile-{phase}.txt").write_text(result["profile"], encoding="utf-8")
            print(f"\n— hot spots, {phase} —\n{result['profile']}")
    return 0


def _print(figures: dict[str, Any]) -> None:
    print(
        f"rules-engine bench · {figures['lines']:,} lines in {figures['forms']:,} forms "
        f"({figures['files']} files) · {figures['distinct_targets']:,} distinct targets · "
        f"policy {figures['policy']} · Python {figures['python']}"
    )
    heads = ("phase", "rows", "failed", "CPU s", "wall s", "lines/s", "peak MiB")
    print("  {:<12} {:>9} {:>7} {:>8} {:>8} {:>10} {:>9}".format(*heads))
    for phase in ("end-to-end", "engine"):
        got = figures[phase]
        print(
            f"  {phase:<12} {got['rows']:>9,} {got['failed_files']:>7} {got['cpu_seconds']:>8.2f} "
            f"{got['wall_seconds']:>8.2f} {got['lines_per_second']:>10,} {got['peak_rss_mib']:>9}"
        )
    print(
        "  lines/s = rows per CPU second of the one scoring thread (one core); "
        f"goal {figures['goal_lines_per_second']:,} lines/s end to end"
    )


if __name__ == "__main__":
    sys.exit(main())
