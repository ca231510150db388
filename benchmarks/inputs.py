"""Measure how reading holds up on large and hostile inputs: peak memory, time, what survives.

Usage: ``python benchmarks/inputs.py [--only NAME…] [--big-mb 50]``. Each measurement runs the
command line in a fresh interpreter (`--child`), so its peak resident memory is its own:

- ``per-line``: memory per indicator line, ``parse --format json`` and ``explain --format json``
  of one text form of 10,000 lines (peak less the interpreter's own, divided by the lines);
- ``big-text``: ``parse`` and ``explain`` (text and JSON) of a text file of `--big-mb` MB made of
  the seed form over and over, with ``--max-input-size`` raised to let it in; a text that large
  is read form by form, so the peak should not grow with the file;
- ``json``: reading a JSON form file of 50,000 lines (the shape ``parse --format json`` prints),
  CPU seconds of `read_document`;
- ``poisoned``: ``score`` of a folder of 2,000 one-form files of which one is poisoned (binary
  content) and one holds a 35-digit budget: forms scored, exit code, the message naming the file.

Figures go to the terminal and to ``benchmarks/out/inputs.json``.
"""

from __future__ import annotations

import argparse
import json
import os
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
SEED = ROOT / "docs" / "examples" / "seed.txt"
MEASURES = ("per-line", "big-text", "json", "poisoned")


def child(args: list[str]) -> None:
    """Run one command line in this process and print its exit code, time and peak memory."""
    from rules_engine.cli import main  # noqa: PLC0415

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    cpu = time.process_time()
    with open(os.devnull, "w", encoding="utf-8") as sink:
        saved, sys.stdout = sys.stdout, sink
        try:
            code = main(args)
        finally:
            sys.stdout = saved
    result = {
        "exit": code,
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "base_mib": round(base / 1024, 1),
    }
    print(json.dumps(result))


def _measure(args: list[str]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(done.stderr.strip() or "the measured run printed nothing")
    result: dict[str, Any] = json.loads(lines[-1])
    result["stderr_tail"] = done.stderr.strip().splitlines()[-3:]
    return result


def _one_form(lines: int) -> str:
    """The seed's first form with its indicator rows repeated to `lines` rows."""
    text = SEED.read_text(encoding="utf-8")
    head, _, rest = text.partition("偏差原因分析及改进措施\n")
    rows, _, _ = rest.partition("总分\t")
    body = [row for row in rows.splitlines(keepends=True) if row.strip()]
    repeated = (body * (lines // len(body) + 1))[:lines]
    return head + "偏差原因分析及改进措施\n" + "".join(repeated) + "总分\t\t\t\t\t100\t90\t\t\n"


def per_line(folder: Path) -> dict[str, Any]:
    """Memory per indicator line of `parse` and `explain` on one form of 10,000 lines."""
    form = folder / "one-form.txt"
    form.write_text(_one_form(10_000), encoding="utf-8")
    out: dict[str, Any] = {"lines": 10_000}
    for name, args in (
        ("parse-json", ["parse", str(form), "--format", "json"]),
        ("explain-json", ["explain", str(form), "--format", "json", "--policy", "national-2020"]),
    ):
        got = _measure(args)
        got["kib_per_line"] = round((got["peak_mib"] - got["base_mib"]) * 1024 / 10_000, 1)
        out[name] = got
    return out


def big_text(folder: Path, megabytes: int) -> dict[str, Any]:
    """Peak memory of `parse` and `explain` on a text of `megabytes` MB of seed forms."""
    text = SEED.read_text(encoding="utf-8") + "\n"
    big = folder / "big.txt"
    copies = megabytes * 1_000_000 // len(text.encode("utf-8")) + 1
    big.write_text(text * copies, encoding="utf-8")
    size = f"{megabytes * 2}M"
    out: dict[str, Any] = {"megabytes": round(big.stat().st_size / 1e6, 1), "forms": 2 * copies}
    runs = {
        "parse-json": ["parse", str(big), "--format", "json"],
        "explain-json": ["explain", str(big), "--format", "json", "--policy", "national-2020"],
        "parse-text": ["parse", str(big)],
        "explain-text": ["explain", str(big), "--policy", "national-2020"],
    }
    for name, args in runs.items():
        out[name] = _measure([*args, "--max-input-size", size])
    out["default-limit"] = _measure(["parse", str(big)])
    return out


def json_forms(folder: Path) -> dict[str, Any]:
    """CPU seconds and peak memory reading a JSON form file of 50,000 lines."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from run import _form, target_pools  # noqa: PLC0415

    rng = random.Random(20211231)
    pools = target_pools(rng, 10_000)
    forms = [_form(rng, i + 1, pools, 500) for i in range(100)]
    path = folder / "forms.json"
    path.write_text(json.dumps({"forms": forms}, ensure_ascii=False), encoding="utf-8")
    return {"megabytes": round(path.stat().st_size / 1e6, 1), **_measure(["read", str(path)])}


def poisoned(folder: Path) -> dict[str, Any]:
    """`score` of 2,000 one-form files, one of them binary, one with a 35-digit budget."""
    text = SEED.read_text(encoding="utf-8")
    first, _, _ = text.partition("部门(单位)整体支出绩效目标自评表")
    forms = folder / "forms"
    forms.mkdir()
    for number in range(2_000):
        (forms / f"{number:04d}.txt").write_text(first, encoding="utf-8")
    (forms / "0999.txt").write_bytes(b"\x00\x01poison" * 100)
    budget = first.replace("年度资金总额\t8.6\t8.6", "年度资金总额\t8.6\t" + "9" * 35, 1)
    (forms / "1500.txt").write_text(budget, encoding="utf-8")
    results = folder / "results.jsonl"
    got = _measure(["score", str(forms), "--policy", "national-2020", "--out", str(results)])
    rows = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    got["files_scored"] = len({row["file"] for row in rows})
    got["rows"] = len(rows)
    return got


def main(argv: list[str] | None = None) -> int:
    """Generate the inputs, measure each in a fresh interpreter, print and save the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="+", choices=MEASURES, default=list(MEASURES))
    parser.add_argument("--big-mb", type=int, default=50)
    parser.add_argument("--child", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child is not None:
        if args.child[0] == "read":
            _child_read(Path(args.child[1]))
        else:
            child(args.child)
        return 0
    figures: dict[str, Any] = {"python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory(prefix="rules-engine-inputs-") as tmp:
        folder = Path(tmp)
        for name in args.only:
            place = folder / name
            place.mkdir()
            if name == "per-line":
                figures[name] = per_line(place)
            elif name == "big-text":
                figures[name] = big_text(place, args.big_mb)
            elif name == "json":
                figures[name] = json_forms(place)
            else:
                figures[name] = poisoned(place)
            print(f"{name}: {json.dumps(figures[name], ensure_ascii=False, indent=2)}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "inputs.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


def _child_read(path: Path) -> None:
    from rules_engine.readers.load import read_document  # noqa: PLC0415

    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu = time.process_time()
    document = read_document(path)
    result = {
        "lines": sum(len(form.indicators) for form in document.forms),
        "cpu_seconds": round(time.process_time() - cpu, 3),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "base_mib": round(base / 1024, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    sys.exit(main())
