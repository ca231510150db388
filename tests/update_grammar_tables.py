"""Write the prebuilt parse tables ``grammar/<name>.lalr.pickle`` of every shipped grammar.

Run ``make grammars`` after editing a grammar in grammar/ (or installing another lark);
`tests/test_lark_tables.py` fails while a table file and its grammar disagree.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rules_engine.lark_tables import PARSERS, build_tables

GRAMMAR = Path(__file__).resolve().parent.parent / "grammar"


def main() -> int:
    """Write each table file whose content changed, and say which."""
    for name in PARSERS:
        path = GRAMMAR / f"{name}.lalr.pickle"
        content = build_tables(name)
        if path.is_file() and path.read_bytes() == content:
            print(f"{path.name}: up to date")
            continue
        path.write_bytes(content)
        print(f"{path.name}: written ({len(content):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
