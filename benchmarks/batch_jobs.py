"""Forms per second of `rules-engine score` on a folder of mixed forms, with 1 and 2 processes.

Usage: ``python benchmarks/batch_jobs.py [--files 1000] [--jobs 1 2] [--out review.xlsx]``.

The folder is generated from the corpus forms and the seed kept under ``tests/fixtures``: each
form that reads is saved as text, as a workbook (cell for cell, as the text layouts read it) and
as a Word document (one table per form), and the three kinds are cycled until there are
``--files`` files. Each run is the whole command in a fresh process (start-up included), writing
the workbook a reviewer would get; the figure is forms scored per wall-clock second.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"


def generate(folder: Path, files: int) -> dict[str, int]:
    """Write `files` form files into `folder`, a third each .txt, .xlsx and .docx."""
    sys.path.insert(0, str(ROOT))
    from rules_engine.diagnostics import UserError  # noqa: PLC0415
    from rules_engine.readers.layouts import split_text  # noqa: PLC0415
    from rules_engine.readers.load import read_document  # noqa: PLC0415
    from tests.workbooks import rows_of, write_docx, write_workbook  # noqa: PLC0415

    texts = []
    for path in sorted((FIXTURES / "forms").glob("*.txt")) + sorted(FIXTURES.glob("seed/*.txt")):
        try:
            read_document(path)
        except UserError:
            continue  # a form score would skip measures nothing
        texts.append((path.stem, path.read_text(encoding="utf-8")))
    kinds = {"txt": 0, "xlsx": 0, "docx": 0}
    templates = itertools.cycle(itertools.product(texts, kinds))
    for number in range(files):
        (stem, text), kind = next(templates)
        target = folder / f"{number:05d}_{stem}.{kind}"
        if kind == "txt":
            target.write_text(text, encoding="utf-8")
        else:
            grids = [rows_of(grid) for grid in split_text(text, str(target))]
            if kind == "xlsx":
                sheets: dict[str, Sequence[Sequence[str]]] = {
                    f"Sheet{i}": rows for i, rows in enumerate(grids, start=1)
                }
                write_workbook(target, sheets)
            else:
                write_docx(target, grids)
        kinds[kind] += 1
    return kinds


def run(folder: Path, jobs: int, out: Path) -> dict[str, Any]:
    """One `score` run over the folder; wall seconds, forms scored, forms per second."""
    command = [sys.executable, "-m", "rules_engine", "score", str(folder), "--out", str(out)]
    command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    summary = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else ""
    forms = int(summary.split("（")[1].split(" ")[0]) if "（" in summary else 0
    return {
        "jobs": jobs,
        "seconds": round(seconds, 2),
        "forms": forms,
        "forms_per_second": round(forms / seconds, 1),
        "exit": done.returncode,
        "summary": summary,
        "bytes": out.stat().st_size if out.exists() else 0,
    }


def main(argv: list[str] | None = None) -> int:
    """Generate the folder, score it with each number of jobs, print the figures as JSON lines."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument(
        "--out", nargs="+", default=["review.xlsx"], help="output names (their suffix matters)"
    )
    parser.add_argument("--folder", help="generate the forms here, or reuse those already here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(args.folder) if args.folder else Path(scratch) / "forms"
        folder.mkdir(parents=True, exist_ok=True)
        if not any(folder.iterdir()):
            kinds = generate(folder, args.files)
            print(json.dumps({"files": args.files, **kinds, "cpus": os.cpu_count()}))
        for out in args.out:
            for jobs in args.jobs:
                print(json.dumps(run(folder, jobs, Path(scratch) / out), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
