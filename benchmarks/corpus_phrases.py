"""Share of the corpus's labelled target and actual phrases read as labelled by the target reader.

Usage: ``python benchmarks/corpus_phrases.py [PHRASES_JSONL] [--json] [--speed]``. The default
file is ``../shared/corpus/labels/phrases.jsonl`` beside the repository; when it is absent the
script says so and exits 0. A reading agrees with a label (``expect``, or any of ``accept``) when
the kind matches and so do op, value and unit (compare, number), both bounds and unit (range), the
term text (term) or the date value (date); numbers are compared as decimals (``100.00`` = ``100``).
``--speed`` adds how many of the phrases the fast path reads, and uncached texts per second with
and without it (per CPU second, median of several rounds over all phrases).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rules_engine.targets import fast_path_reads, read_cell, read_uncached

ROLES = ("target", "actual")
DEFAULT_PHRASES = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "labels" / "phrases.jsonl"
)
NUMERIC = ("value", "low", "high")
ROUNDS = 15


def agrees(got: dict[str, Any], label: dict[str, Any]) -> bool:
    """Whether a reading (DESIGN section 5 JSON) says what the label says."""
    if got["kind"] != label["kind"]:
        return False
    for key, want in label.items():
        if key in ("kind", "reason"):
            continue  # an unknown's wording is ours to choose
        have = got.get(key)
        if key in NUMERIC and got["kind"] != "date" and have is not None and want is not None:
            try:
                if Decimal(str(have)) != Decimal(str(want)):
                    return False
            except InvalidOperation:
                return False
        elif have != want:
            return False
    return True


def measure(lines: list[dict[str, Any]]) -> dict[str, Any]:
    """Count agreements per role and collect the misses."""
    result: dict[str, Any] = {role: {"total": 0, "right": 0} for role in ROLES}
    misses: list[dict[str, Any]] = []
    for phrase in lines:
        role = phrase["role"]
        labels = [phrase["expect"]] if "expect" in phrase else list(phrase["accept"])
        got = read_cell(phrase["text"], role).to_json()
        result[role]["total"] += 1
        if any(agrees(got, label) for label in labels):
            result[role]["right"] += 1
        else:
            misses.append({"text": phrase["text"], "role": role, "read": got, "labels": labels})
    for role in ROLES:
        total = result[role]["total"]
        result[role]["share"] = result[role]["right"] / total if total else 1.0
    result["misses"] = misses
    return result


def speed(lines: list[dict[str, Any]]) -> dict[str, float]:
    """Fast-path hit rate over the phrases, and uncached texts/s with and without the fast path."""
    pairs = [(phrase["text"], phrase["role"]) for phrase in lines]
    hits = sum(fast_path_reads(text) for text, _ in pairs)
    rates: dict[str, float] = {"fast_path_share": hits / len(pairs) if pairs else 0.0}
    for name, fast in (("with_fast_path", True), ("grammar_only", False)):
        read_uncached("≥95%", fast=fast)  # build the parser outside the timing
        times = []
        for _ in range(ROUNDS):
            start = time.process_time()
            for text, role in pairs:
                read_uncached(text, role, fast=fast)
            times.append(time.process_time() - start)
        rates[name] = len(pairs) / statistics.median(times)
    return rates


def main(argv: list[str]) -> int:
    """Print the shares (text or ``--json``) and the misses; exit 0 (the figure is the output)."""
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT_PHRASES
    if not path.is_file():
        print(f"corpus_phrases: {path} not found, nothing to measure (skipped).")
        return 0
    lines = [json.loads(row) for row in path.read_text(encoding="utf-8").splitlines() if row]
    result = measure(lines)
    if "--speed" in argv:
        result["speed"] = speed(lines)
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"phrases: {path}")
    for role in ROLES:
        part = result[role]
        counts = f"{part['right']:>4}/{part['total']:<4}"
        print(f"  {role:<7} {counts} {part['share']:7.2%} read as labelled")
    if "speed" in result:
        rates = result["speed"]
        print(f"  fast path reads {rates['fast_path_share']:.1%} of the phrases")
        print(
            f"  uncached: {rates['with_fast_path']:,.0f} texts/s with the fast path, "
            f"{rates['grammar_only']:,.0f} texts/s with the grammar alone "
            f"({rates['with_fast_path'] / rates['grammar_only']:.1f}x)"
        )
    if result["misses"]:
        print("misses:")
        for miss in result["misses"]:
            read = json.dumps(miss["read"], ensure_ascii=False)
            labels = json.dumps(miss["labels"], ensure_ascii=False)
            print(f"  [{miss['role']}] {miss['text']!r}: read {read}; labelled {labels}")
    else:
        print("misses: none")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
