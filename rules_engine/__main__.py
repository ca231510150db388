"""Start the command line (``rules-engine``, ``python -m rules_engine``) with a lean start.

Starting loads a few hundred modules, which make many long-lived objects (classes, compiled
patterns, tables) and almost no garbage; the cycle collector would scan them again and again.
It is off until the command's modules are loaded, then what they made is frozen (never scanned
again) and it runs as usual for the command's work.
"""

import gc
import sys


def _loaded() -> None:
    gc.freeze()
    gc.enable()


def main() -> int:
    """Run one command with the collector off while its modules load; return its exit code."""
    gc.disable()
    try:
        # Imported here, once the collector is off: importing is what the pause is for.
        from rules_engine.cli import main as run  # noqa: PLC0415

        return run(loaded=_loaded)
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
