"""Write the compiled snapshot ``policies/compiled/<name>.json`` of every shipped policy.

Run ``make prebuilt`` after editing a shipped policy or the policy compiler;
`tests/test_policy_snapshots.py` fails while a snapshot and what compiling gives disagree.
"""

from __future__ import annotations

import sys

from rules_engine.policy import compiler, loader, snapshot


def main() -> int:
    """Write each snapshot whose content changed, remove those of policies no longer shipped."""
    names = loader.shipped_names()
    for name in names:
        path = snapshot.snapshot_path(name)
        content = snapshot.encode(compiler.compile_policy(name))
        if path.is_file() and path.read_text(encoding="utf-8") == content:
            print(f"{path.name}: up to date")
            continue
        path.parent.mkdir(exist_ok=True)
        path.write_text(content, encoding="utf-8")
        print(f"{path.name}: written ({len(content.encode('utf-8')):,} bytes)")
    folder = snapshot.snapshot_path("x").parent
    for stale in sorted(folder.glob("*.json")):
        if stale.stem not in names:
            stale.unlink()
            print(f"{stale.name}: removed (no such shipped policy)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
