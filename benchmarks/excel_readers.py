"""Compare Excel readers (python-calamine, openpyxl) on a large generated workbook: time and memory.

Usage: ``python benchmarks/excel_readers.py [--rows 10000] [--repeat 3] [--readers NAME...]``.

Each reader runs in a fresh interpreter so that its peak resident memory is its own; the figure
reported is the peak minus the resident size after the imports, i.e. what reading costs. Wall and
CPU seconds are the best of the repeats (CPU time is steadier on a shared machine). ``cells``
counts non-empty cells, or indicator lines for ``rules-engine-forms`` (the whole path: read,
then build the forms).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import openpyxl
from python_calamine import CalamineWorkbook

from rules_engine.readers import excel
from rules_engine.readers.load import read_document

READERS = (
    "calamine",
    "openpyxl-read-only",
    "openpyxl-full",
    "rules-engine-read",
    "rules-engine-forms",
)
HEADER = [
    "",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "得分",
    "偏差原因",
]
GROUPS = ["数量指标", "质量指标", "时效指标", "成本指标"]


def build_workbook(path: Path, rows: int) -> None:
    """A seed-shaped form with `rows` indicator lines: merged groups, numbers, percentages."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "自评表"
    sheet.append(["2021年项目支出绩效自评表"])
    sheet.append(["项目名称", "服务外向型经济工作经费"])
    sheet.append(["年度资金总额", 8.6, 8.6, 8.6, 100, 1, 100])
    sheet.cell(3, 6).number_format = "0.00%"
    sheet.append(HEADER)
    first = sheet.max_row + 1
    for i in range(rows):
        group = GROUPS[(i // 5) % len(GROUPS)]
        level2 = group if i % 5 == 0 else None
        level1 = "产出指标" if i % 20 == 0 else None
        sheet.append(
            [None, level1, level2, f"指标{i % 5 + 1}：第{i}项", "≥95%", 0.96, 10, 8.5, None]
        )
        sheet.cell(sheet.max_row, 6).number_format = "0%"
    for start in range(first, first + rows, 5):
        sheet.merge_cells(
            start_row=start, end_row=min(start + 4, first + rows - 1), start_column=3, end_column=3
        )
    sheet.append(["总分", None, None, None, None, None, 100, 90])
    book.save(path)


def measure(reader: str, path: Path) -> dict[str, Any]:
    """Run one reader over the workbook in this process; return seconds, memory and cell count.

    Every library is imported at start-up, before the baseline: only reading is counted.
    """
    baseline = _rss_kib()
    start, cpu = time.perf_counter(), time.process_time()
    cells = READ[reader](path)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "reader": reader,
        "seconds": round(seconds, 3),
        "cpu": round(cpu, 3),
        "peak_mib": round((_rss_kib() - baseline) / 1024, 1),
        "cells": cells,
    }


def _rss_kib() -> int:
    # VmHWM is this process's own peak: ru_maxrss would carry the parent's peak across exec.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _calamine(path: Path) -> int:
    book = CalamineWorkbook.from_path(str(path))
    count = 0
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        _ = sheet.merged_cell_ranges
        count += sum(1 for row in sheet.to_python() for value in row if value != "")
    return count


def _openpyxl_read_only(path: Path) -> int:
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    count = 0
    for sheet in book.worksheets:
        sheet.reset_dimensions()
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    _ = cell.number_format
                    count += 1
    book.close()
    return count


def _openpyxl_full(path: Path) -> int:
    book = openpyxl.load_workbook(path, data_only=True)
    count = 0
    for sheet in book.worksheets:
        _ = sheet.merged_cells.ranges
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    _ = cell.number_format
                    count += 1
    return count


def _rules_engine_read(path: Path) -> int:
    return sum(1 for grid in excel.read(path) for row in grid.rows for cell in row if cell.text)


def _rules_engine_forms(path: Path) -> int:
    return sum(len(form.indicators) for form in read_document(path).forms)


READ = {
    "calamine": _calamine,
    "openpyxl-read-only": _openpyxl_read_only,
    "openpyxl-full": _openpyxl_full,
    "rules-engine-read": _rules_engine_read,
    "rules-engine-forms": _rules_engine_forms,
}


def main() -> int:
    """Build the workbook once, then time each reader in its own interpreter."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--readers", nargs="*", default=list(READERS), choices=READERS)
    parser.add_argument("--measure", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"rows-{args.rows}.xlsx"
        build_workbook(path, args.rows)
        size_kib = path.stat().st_size // 1024
        print(f"workbook: {args.rows} indicator rows, {size_kib} KiB")
        print(f"{'reader':<20} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9} {'cells':>8}")
        for reader in args.readers:
            runs: list[dict[str, Any]] = []
            for _ in range(args.repeat):
                done = subprocess.run(
                    [sys.executable, __file__, "--measure", reader, str(path)],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if done.returncode != 0:
                    runs = []
                    print(f"{reader:<20} failed: {done.stderr.strip().splitlines()[-1:]}")
                    break
                runs.append(json.loads(done.stdout))
            if runs:
                best = min(runs, key=lambda r: r["seconds"])
                peak = max(r["peak_mib"] for r in runs)
                cpu = min(r["cpu"] for r in runs)
                print(
                    f"{reader:<20} {best['seconds']:>8.3f} {cpu:>8.3f} {peak:>9.1f}"
                    f" {best['cells']:>8}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
