"""Run the command line as ``python -m rules_engine``."""

from rules_engine.cli import main

raise SystemExit(main())
