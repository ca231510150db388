"""Share of the corpus's labelled target and actual phrases read as labelled by the target reader.

Usage: ``python benchmarks/corpus_phrases.py [PHRASES_JSONL] [--json]``. The default file is
``../shared/corpus/labels/phrases.jsonl`` beside the repository; when it is absent the script says
so and exits 0. A reading agrees with a label (``expect``, or any of ``accept``) when the kind
matches and so do op, value and unit (compare, number), both bounds and unit (range), the term
text (term) or the date value (date); numbers are compared as decimals (``100.00`` = ``100``).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rules_engine.targets import read_cell

ROLES = ("target", "actual")
DEFAULT_PHRASES = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "labels" / "phrases.jsonl"
)
NUMERIC = ("value", "low", "high")


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


def main(argv: list[str]) -> int:
    """Print the shares (text or ``--json``) and the misses; exit 0 (the figure is the output)."""
    args = [a for a in argv if not a.startswith("--")]
    path = Path(args[0]) if args else DEFAULT_PHRASES
    if not path.is_file():
        print(f"corpus_phrases: {path} not found, nothing to measure (skipped).")
        return 0
    lines = [json.loads(row) for row in path.read_text(encoding="utf-8").splitlines() if row]
    result = measure(lines)
    if "--json" in argv:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"phrases: {path}")
    for role in ROLES:
        part = result[role]
        counts = f"{part['right']:>4}/{part['total']:<4}"
        print(f"  {role:<7} {counts} {part['share']:7.2%} read as labelled")
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
