"""Cut text without table markup into cells: paragraphs, words, glued runs, PDF lines."""

from __future__ import annotations

import re

from rules_engine.readers import layout_codes as codes
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell, Grid

_SPACES = re.compile(r"\S+")


def paragraph_tokens(lines: list[tuple[int, str]]) -> list[Cell]:
    """One cell per paragraph line; a line holding only spaces is an empty cell."""
    out: list[Cell] = []
    for line_no, line in lines:
        if line == "":
            continue
        out.append(Cell(line.strip(), line_no, len(out) + 1))
    return out


def line_tokens(lines: list[tuple[int, str]]) -> list[Cell]:
    """One cell per space-separated word (cells of these layouts hold no spaces)."""
    out: list[Cell] = []
    for line_no, line in lines:
        for match in _SPACES.finditer(line):
            out.append(Cell(match.group(0), line_no, match.start() + 1))
    return out


# Labels and header words a glued run is cut at, longest first so 二级指标 wins over 指标.
def _glue_words() -> list[str]:
    words = set(vocab.HEADER_NAMES) | set(vocab.FORM_FIELD_NAMES) | set(vocab.BUDGET_HEADER_NAMES)
    words |= {w for w in vocab.LEVEL2_WORDS if w.endswith("指标")}
    words |= {w for w in vocab.LEVEL1_WORDS if w.endswith("指标")}
    words |= {
        "年度资金总额",
        "其中:当年财政拨款",
        "其中:本年财政拨款",
        "上年结转资金",
        "其他资金",
        "总分",
    }
    short = {"分值", "得分", "权重", "总分", "合计"}
    return sorted((w for w in words if len(w) >= 3 or w in short), key=len, reverse=True)


_PAGE_MARK = re.compile(r"(?:^|\s)\d{1,2}、(?=\S)")
_VALUE = r"(?:[≥≤><=≧﹦═]{0,2}\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff]{1,3}(?:/[\u4e00-\u9fff])?)?)"
_TERM = r"(?:[\u4e00-\u9fff]{2,6})"


def glued_tokens(lines: list[tuple[int, str]], grid: Grid) -> list[Cell]:
    """Cut text that lost its cell separators at known labels; value runs that cannot be split
    with certainty are reported and left out."""
    words = _glue_words()
    pattern = re.compile("|".join(re.escape(w) for w in words))
    out: list[Cell] = []
    for line_no, raw in lines:
        line = _PAGE_MARK.sub("", raw)
        norm, where = _matchable(line)
        pos = 0
        for match in pattern.finditer(norm):
            start, end = where[match.start()], where[match.end() - 1] + 1
            if start > pos:
                out.extend(_run(line[pos:start], line_no, grid))
            out.append(Cell(line[start:end], line_no, start + 1))
            pos = end
        if pos < len(line):
            out.extend(_run(line[pos:], line_no, grid))
    return out


_RESIDUE = re.compile(r"[(（][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")


def _matchable(line: str) -> tuple[str, list[int]]:
    """`line` folded for matching (simplified, no converter residue, no spaces), with each
    folded character's index in `line`."""
    skip: set[int] = set()
    for match in _RESIDUE.finditer(line):
        skip.update(range(match.start(), match.end()))
    chars: list[str] = []
    where: list[int] = []
    for index, char in enumerate(line):
        if index in skip:
            continue
        folded = vocab.normalize(char)
        if len(folded) == 1:
            chars.append(folded)
            where.append(index)
    return "".join(chars), where


_ROW_RUN = re.compile(
    r"^(?P<name>.+?)(?P<target>[≥≤><=≧﹦═]{0,2}\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff]{1,3}))"
    r"(?P<actual>[≥≤><=≧﹦═]{0,2}\d+(?:\.\d+)?(?:%|[\u4e00-\u9fff]{1,3}))(?P<numbers>\d+(?:\.\d+)?)$"
)


def _run(text: str, line_no: int, grid: Grid) -> list[Cell]:
    """A stretch between two labels: a name with its values glued on, or plain text."""
    piece = text.strip()
    if not piece:
        return []
    if not re.search(r"\d", piece) or len(piece) > 80:
        return [Cell(piece, line_no, 1)]
    match = _ROW_RUN.match(piece)
    if match:
        numbers = _split_pair(match.group("numbers"))
        if numbers is not None:
            return [
                Cell(match.group("name"), line_no, 1),
                Cell(match.group("target"), line_no, 2),
                Cell(match.group("actual"), line_no, 3),
                Cell(numbers[0], line_no, 4),
                Cell(numbers[1], line_no, 5),
            ]
    codes.warn(grid, codes.GLUED, line_no, text=piece[:40])
    return []


def _split_pair(digits: str) -> tuple[str, str] | None:
    """Split a glued weight+score (``2018`` → 20, 18) when exactly one split is sensible."""
    options: list[tuple[str, str]] = []
    for cut in range(1, len(digits)):
        weight, score = digits[:cut], digits[cut:]
        if (weight.startswith("0") and weight != "0") or (score.startswith("0") and score != "0"):
            continue
        if weight.startswith(".") or score.startswith("."):
            continue
        try:
            w, s = float(weight), float(score)
        except ValueError:
            continue
        if 0 < w <= 100 and s <= w:
            options.append((weight, score))
    return options[0] if len(options) == 1 else None


def scrambled_rows(lines: list[tuple[int, str]], grid: Grid) -> list[list[Cell]]:
    """PDF text whose reading order is lost: keep the lines above the indicator header only."""
    rows: list[list[Cell]] = []
    for line_no, line in lines:
        if any(w in vocab.normalize(line) for w in ("一级指标", "二级指标", "三级指标")):
            break
        cells = [Cell(m.group(0), line_no, n) for n, m in enumerate(_SPACES.finditer(line), 1)]
        if cells:
            rows.append(cells)
    codes.warn(grid, codes.SCRAMBLED)
    return rows
