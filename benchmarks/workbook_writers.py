"""Compare xlsxwriter and openpyxl for writing a results workbook: time, memory and file size.

Usage: ``python benchmarks/workbook_writers.py [--rows 100000] [--repeat 3] [--writers NAME...]``.

Each writer runs in a fresh interpreter so that its peak resident memory is its own; the figure
reported is the peak minus the resident size after the imports, i.e. what writing costs. The
rows are shaped like the 指标 sheet: seventeen columns of Chinese text and scores, every score
cell with a number format, a red format on negative differences, a fill on review rows, a frozen
header, a filter and column widths. Wall and CPU seconds are the best of the repeats.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

WRITERS = (
    "xlsxwriter-constant-memory",
    "xlsxwriter",
    "openpyxl-write-only",
    "openpyxl",
)
HEADER = [
    "文件",
    "表",
    "序号",
    "一级指标",
    "二级指标",
    "三级指标",
    "年度指标值",
    "实际完成值",
    "分值",
    "复核得分",
    "自评得分",
    "差异",
    "结果",
    "规则",
    "规则位置",
    "标记",
    "偏差原因",
]
TEXT, SCORE = "text", "score"
KINDS = [TEXT, SCORE, SCORE] + [TEXT] * 5 + [SCORE] * 4 + [TEXT] * 5
GROUPS = ["数量指标", "质量指标", "时效指标", "成本指标"]


def rows(count: int) -> Iterator[tuple[list[Any], bool]]:
    """`count` result rows and whether each is a review row (deterministic, no randomness)."""
    for i in range(count):
        review = i % 7 == 0
        score = None if review else 10 - (i % 5) * 0.25
        self_score = 8 + i % 3
        delta = None if score is None else score - self_score
        yield (
            [
                f"forms/{i // 30:05d}_单位自评表.xlsx",
                1,
                i % 30 + 1,
                "产出指标",
                GROUPS[i % 4],
                f"指标{i % 5 + 1}：第{i}项工作完成情况",
                "≥95%",
                f"{90 + i % 10}%",
                10,
                score,
                self_score,
                delta,
                "待复核" if review else "部分达成",
                "正向·按比例",
                f"policies/national-2020.policy:{30 + i % 40}",
                "未填偏差原因" if i % 3 == 0 else "",
                "" if i % 3 == 0 else "受疫情影响，部分工作推迟",
            ],
            review,
        )


def write_xlsxwriter(path: Path, count: int, constant_memory: bool) -> None:
    """The sheet through xlsxwriter, every cell typed (write_string / write_number)."""
    import xlsxwriter  # noqa: PLC0415

    book = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory})
    sheet = book.add_worksheet("指标")
    head = book.add_format({"bold": True, "bg_color": "#DDEBF7"})
    score = book.add_format({"num_format": "0.00"})
    red = book.add_format({"num_format": "0.00", "font_color": "#C00000"})
    shade = book.add_format({"bg_color": "#FFF2CC"})
    shade_score = book.add_format({"bg_color": "#FFF2CC", "num_format": "0.00"})
    for col, name in enumerate(HEADER):
        sheet.write_string(0, col, name, head)
    for r, (values, review) in enumerate(rows(count), start=1):
        for col, value in enumerate(values):
            if KINDS[col] == SCORE:
                if value is None:
                    sheet.write_blank(r, col, None, shade if review else None)
                    continue
                fmt = red if value < 0 else shade_score if review else score
                sheet.write_number(r, col, value, fmt)
            elif isinstance(value, int):
                sheet.write_number(r, col, value, shade if review else None)
            else:
                sheet.write_string(r, col, value, shade if review else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, count, len(HEADER) - 1)
    for col in range(len(HEADER)):
        sheet.set_column(col, col, 14)
    book.close()


def write_openpyxl(path: Path, count: int, write_only: bool) -> None:  # noqa: C901, PLR0912
    """The sheet through openpyxl, streaming (write-only cells with styles) or in memory."""
    from openpyxl import Workbook  # noqa: PLC0415
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("指标") if write_only else book.active
    if not write_only:
        sheet.title = "指标"
    bold = Font(bold=True)
    red = Font(color="C00000")
    shade = PatternFill("solid", fgColor="FFF2CC")
    for col in range(len(HEADER)):
        sheet.column_dimensions[chr(ord("A") + col)].width = 14
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:Q{count + 1}"
    if write_only:
        header = []
        for name in HEADER:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for values, review in rows(count):
            cells = []
            for col, value in enumerate(values):
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # never a formula, even for "=…"
                if KINDS[col] == SCORE:
                    cell.number_format = "0.00"
                    if value is not None and value < 0:
                        cell.font = red
                if review:
                    cell.fill = shade
                cells.append(cell)
            sheet.append(cells)
    else:
        sheet.append(HEADER)
        for cell in sheet[1]:
            cell.font = bold
        for r, (values, review) in enumerate(rows(count), start=2):
            for col, value in enumerate(values, start=1):
                cell = sheet.cell(r, col)
                cell.value = value
                if isinstance(value, str):
                    cell.data_type = "s"
                if KINDS[col - 1] == SCORE:
                    cell.number_format = "0.00"
                    if value is not None and value < 0:
                        cell.font = red
                if review:
                    cell.fill = shade
    book.save(path)


def child(writer: str, count: int, out: str) -> None:
    """Write one workbook in this process and print the figures as JSON."""
    if writer.startswith("xlsxwriter"):
        import xlsxwriter  # noqa: F401, PLC0415
    else:
        import openpyxl  # noqa: F401, PLC0415
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = Path(out)
    started, cpu = time.perf_counter(), time.process_time()
    if writer.startswith("xlsxwriter"):
        write_xlsxwriter(path, count, constant_memory=writer.endswith("constant-memory"))
    else:
        write_openpyxl(path, count, write_only=writer.endswith("write-only"))
    figures = {
        "writer": writer,
        "seconds": time.perf_counter() - started,
        "cpu_seconds": time.process_time() - cpu,
        "memory_mib": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024,
        "bytes": os.path.getsize(path),
    }
    print(json.dumps(figures))


def main(argv: list[str] | None = None) -> int:
    """Run each writer `--repeat` times in fresh interpreters; print the best figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--writers", nargs="+", choices=WRITERS, default=list(WRITERS))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--to", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.rows, args.to)
        return 0
    print(f"{args.rows} rows × {len(HEADER)} columns, best of {args.repeat}")
    with tempfile.TemporaryDirectory() as folder:
        for writer in args.writers:
            runs = []
            for _ in range(args.repeat):
                out = str(Path(folder) / f"{writer}.xlsx")
                command = [sys.executable, __file__, "--child", writer]
                command += ["--rows", str(args.rows), "--to", out]
                done = subprocess.run(command, capture_output=True, text=True, check=True)
                runs.append(json.loads(done.stdout))
            best = {
                "seconds": min(r["seconds"] for r in runs),
                "cpu_seconds": min(r["cpu_seconds"] for r in runs),
                "memory_mib": min(r["memory_mib"] for r in runs),
                "bytes": runs[0]["bytes"],
            }
            print(
                f"{writer:28} {best['seconds']:6.2f} s wall {best['cpu_seconds']:6.2f} s cpu "
                f"{best['memory_mib']:7.1f} MiB {best['bytes'] / 1e6:6.2f} MB"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
