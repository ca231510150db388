"""How many findings of each kind the target review (绩效目标审核) makes on the corpus forms.

Usage: ``python benchmarks/corpus_review.py [FORMS…] [--json] [--verbose]``. Reads each form file
(default: ``tests/fixtures/corpus/forms/*`` and ``tests/fixtures/corpus/seed/*``) the way
``rules-engine explain`` does, with the policy explain chooses, and counts the review's findings
by code, targets-only forms apart from the others. ``--verbose`` prints every finding of the
targets-only forms with its line, name and target, for a person to check by hand.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from rules_engine.app import Policies, evaluate, read_document
from rules_engine.diagnostics import UserError
from rules_engine.render.flags import flag_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = sorted(
    [
        *(ROOT / "tests" / "fixtures" / "corpus" / "forms").glob("*.txt"),
        *(ROOT / "tests" / "fixtures" / "corpus" / "seed").glob("*.txt"),
    ]
)


def main(argv: list[str]) -> int:
    """Count and print (or dump as JSON) the findings per kind."""
    as_json = "--json" in argv
    verbose = "--verbose" in argv
    paths = [Path(a) for a in argv if not a.startswith("--")] or DEFAULT
    policies = Policies()
    counts: dict[str, Counter[str]] = {"targets-only": Counter(), "other": Counter()}
    forms: Counter[str] = Counter()
    lines: Counter[str] = Counter()
    unread: list[str] = []
    shown: list[str] = []
    for path in paths:
        try:
            document = read_document(str(path))
        except UserError:
            unread.append(path.name)
            continue
        card = evaluate(policies.for_document(document).policy, document)
        for number, result in enumerate(card.forms, start=1):
            kind = "targets-only" if result.form.kind == "targets-only" else "other"
            forms[kind] += 1
            lines[kind] += len(result.lines)
            for line in result.lines:
                for flag in line.flags:
                    if flag.code.startswith("target_") and "detail" in flag.args:
                        counts[kind][flag.code] += 1
                        if verbose and kind == "targets-only":
                            shown.append(
                                f"{path.name}:{number}:{line.index} {line.name} | {line.target} | "
                                f"{flag_text(flag, 'zh')}"
                            )
            for flag in result.flags:
                if flag.code.startswith("target_") and "detail" in flag.args:
                    counts[kind][flag.code] += 1
                    if verbose and kind == "targets-only":
                        shown.append(f"{path.name}:{number} {flag_text(flag, 'zh')}")
    if as_json:
        data = {
            "files": len(paths),
            "unread": unread,
            "forms": dict(forms),
            "lines": dict(lines),
            "findings": {k: dict(sorted(v.items())) for k, v in counts.items()},
        }
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(f"{len(paths)} files, {len(unread)} unread: {', '.join(unread) or '-'}")
    for kind in ("targets-only", "other"):
        print(f"{kind}: {forms[kind]} forms, {lines[kind]} lines")
        for code, count in sorted(counts[kind].items()):
            print(f"  {code:28} {count}")
    for row in shown:
        print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
