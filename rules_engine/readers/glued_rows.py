"""Glued indicator rows (``免费开放天数=300天``, ``当期任务完成率%901010010``): name and values
split by the column order of the header and by arithmetic, only where one reading fits.

A stretch of glued text holds one or more rows, each a name followed by one value per header
column: unit, operator, value, target, actual, weight, score, in the header's order. A reading
must keep every number whole (no leading zeros, a decimal point inside its number), weights in
(0, 100], a score no larger than its row's weight, units from the list forms use (a row that ends
the stretch may end in any short unit: 百分比, 万人次), and a name without operators, percent
signs or a number with its unit (a percent sign right before an operator is the name's unit,
its brackets lost: ``及时率%=99``). An OCR ``二`` before a number at the end of a name is the
operator it replaced (``资金使用效率二100百分比``: the target keeps it as printed).

One reading is split into cells. None is reported (E142). More than one is reported with the
candidates (E144), and nothing is guessed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from decimal import Decimal

from rules_engine.readers import layout_codes as codes
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.grid import Cell, Grid

UNITS = sorted(
    (
        "%",
        "次",
        "件",
        "个",
        "人",
        "人次",
        "家",
        "万元",
        "元",
        "亿元",
        "米",
        "厘米",
        "公里",
        "千米",
        "亩",
        "万亩",
        "天",
        "年",
        "份",
        "场",
        "篇",
        "种",
        "例",
        "辆",
        "座",
        "条",
        "户",
        "所",
        "处",
        "批次",
        "小时",
        "平方米",
        "万平方米",
        "吨",
        "台",
        "套",
        "名",
        "期",
        "项",
        "本",
        "册",
        "月",
        "TB",
        "GB",
        "万",
        "百分比",
        "万人次",
        "台套",
    ),
    key=len,
    reverse=True,
)

NUMBER = re.compile(r"\d+(?:\.\d+)?")
_QUANTITY_IN_NAME = re.compile(r"\d(?:" + "|".join(re.escape(u) for u in UNITS) + ")")
_WRAP_SPACE = re.compile(r"(?<=[\u4e00-\u9fff、，,])\s+(?=[\u4e00-\u9fff])")
_DOUBLED_END = re.compile(r"([\u4e00-\u9fff]{2,8})\1$")
_OPERATOR = re.compile(r"[≥≤≧≦><=﹦═]{1,2}|二(?=\d)")
_TERM_CHAR = re.compile(r"[\u4e00-\u9fff]")
_OPEN_UNIT = re.compile(r"[\u4e00-\u9fff%/]{1,4}")
PLACEHOLDER = re.compile(r"指[标標]\s*\d+\s*[:：]")
SCORE_PIECE = re.compile(r"^[(（]\s*\d+(?:\.\d+)?\s*分?\s*[)）]分?")
# Group words a stretch may open with, printed again as the start of its row's name.
_GROUP_WORDS = sorted(
    (w for w in vocab.LEVEL1_WORDS | vocab.LEVEL2_WORDS if len(w) >= 4), key=len, reverse=True
)
# Value fields a glued row may hold, in the order its header prints them.
ROW_FIELDS = ("unit", "op", "target", "actual", "weight", "score")
# Readings enumerated per stretch: more than one already means "not certain"; a few are listed.
_MAX_READINGS = 4
# Readings enumerated when the group's points can choose among them.
_MAX_WITH_POINTS = 256
# How much of the candidate readings a warning shows.
_SHOWN = 160
# A glued stretch longer than this is no run of table rows; it is reported, not read.
_MAX_STRETCH = 600


def row_fields(fields: list[str]) -> tuple[str, ...]:
    """The header's value fields as a glued row holds them: with operator or unit columns the
    target column holds the bare value."""
    split = "op" in fields or "unit" in fields
    return tuple("value" if split and name == "target" else name for name in fields)


def split_rows(text: str, fields: list[str], line_no: int, grid: Grid) -> list[Cell]:
    """Stretches of glued rows, cut before each numbered name (指标2：) and read one by one."""
    cells: list[Cell] = []
    starts = [m.start() for m in PLACEHOLDER.finditer(text)]
    bounds = [0, *[s for s in starts if s > 0], len(text)]
    for begin, end in itertools.pairwise(bounds):
        cells.extend(_stretch(text[begin:end], row_fields(fields), line_no, grid))
    return cells


def _stretch(text: str, fields: tuple[str, ...], line_no: int, grid: Grid) -> list[Cell]:
    """A stretch of glued rows (name + values in `fields` order), split only when certain."""
    piece = text.strip()
    if PLACEHOLDER.fullmatch(piece):
        return [Cell(piece, line_no, 1)]  # an empty template row
    lead: list[Cell] = []
    match = SCORE_PIECE.match(piece)
    if match:  # 产出指标 + (70分): the points belong to the category before
        lead.append(Cell(match.group(0), line_no, 1))
        piece = piece[match.end() :].strip()
    doubled = next((w for w in _GROUP_WORDS if piece.startswith(w + w)), None)
    if doubled is not None:  # 服务对象满意度服务对象满意度%: the group, then a row named alike
        lead.append(Cell(doubled, line_no, 1))
        piece = piece[len(doubled) :]
    tail = re.search(r"[…\.]{2,}$", piece)
    trailing: list[Cell] = []
    if tail:
        trailing.append(Cell(tail.group(0), line_no, 1))
        piece = piece[: tail.start()]
    if not piece:
        return lead + trailing
    points = _points(lead[0].text) if lead and "weight" in fields else None
    limit = _MAX_WITH_POINTS if points is not None else _MAX_READINGS
    readings = _readings(piece, fields, limit) if len(piece) <= _MAX_STRETCH else []
    if points is not None and len(readings) < limit:
        # The group prints its points: its rows' weights add up to them.
        readings = [r for r in readings if _weights(r, fields) == points][:_MAX_READINGS]
    elif points is not None:
        readings = readings[:_MAX_READINGS]
    if not readings:
        codes.warn(grid, codes.GLUED, line_no, text=piece[:40])
        return lead + trailing
    if len(readings) > 1:
        shown = " / ".join("｜".join(part for part in reading if part) for reading in readings)
        if len(shown) > _SHOWN or len(readings) >= _MAX_READINGS:
            shown = shown[:_SHOWN] + "…"
        codes.warn(grid, codes.GLUED_READINGS, line_no, text=piece[:40], readings=shown)
        return lead + trailing
    cells = [Cell(unwrap(part), line_no, n) for n, part in enumerate(readings[0], start=1)]
    return lead + cells + trailing


def unwrap(text: str) -> str:
    """Drop the wrap spaces an extraction left inside Chinese text (服装 质量 → 服装质量)."""
    return _WRAP_SPACE.sub("", text)


def _points(text: str) -> Decimal | None:
    found = NUMBER.search(text)
    return Decimal(found.group(0)) if found else None


def _weights(reading: tuple[str, ...], fields: tuple[str, ...]) -> Decimal:
    """The sum of a reading's weights (a reading is name + fields, row after row)."""
    width = 1 + len(fields)
    at = 1 + fields.index("weight")
    return sum((Decimal(reading[k + at]) for k in range(0, len(reading), width)), Decimal(0))


def _readings(text: str, fields: tuple[str, ...], limit: int) -> list[tuple[str, ...]]:
    """The ways `text` reads as rows of name + `fields` values (up to `limit`)."""
    memo: dict[int, list[tuple[str, ...]]] = {}

    def parse(pos: int) -> list[tuple[str, ...]]:
        if pos == len(text):
            return [()]
        if pos in memo:
            return memo[pos]
        found: list[tuple[str, ...]] = []
        memo[pos] = found  # guards against re-entry while this position is being read
        for name_end in _name_ends(text, pos):
            for values, end in _values(text, name_end, fields):
                if not _plausible(fields, values):
                    continue
                for rest in parse(end):
                    reading = (text[pos:name_end].strip(), *values, *rest)
                    if reading not in found:
                        found.append(reading)
                    if len(found) >= limit:
                        return found
        return found

    return parse(0)


def _plausible(fields: tuple[str, ...], values: tuple[str, ...]) -> bool:
    """A weight is above 0, and a score never exceeds its row's weight."""
    got = dict(zip(fields, values, strict=True))
    if "weight" in got and Decimal(got["weight"]) <= 0:
        return False
    if "weight" in got and "score" in got:
        return Decimal(got["score"]) <= Decimal(got["weight"])
    return True


def _name_ends(text: str, pos: int) -> Iterator[int]:
    """Where a name starting at `pos` may end: before a digit or operator, not inside a value."""
    first = text[pos]
    if first.isdigit() or _OPERATOR.match(text, pos) or first in "%.-~～":
        return  # a name never starts inside a number
    if pos and text[pos - 1].isdigit() and any(text.startswith(u, pos) for u in UNITS):
        return  # nor with the unit a number before it has lost
    for end in range(pos + 1, len(text)):
        char = text[end]
        name = text[pos:end]
        if _QUANTITY_IN_NAME.search(name):
            return  # a number with its unit inside a name is a value the name swallowed
        if name[-1] == "%" and _OPERATOR.match(text, end):
            yield end  # 完成率% =99: the name's unit, its brackets lost, before the operator
            return
        if _OPERATOR.fullmatch(name[-1]) or name[-1] == "%":
            return  # a name holds no operator or percent sign
        if name[-1] == "二" and char.isdigit():
            continue  # an OCR 二 before a number is the operator it replaced
        if name[-1] in "-~～至/" or re.search(r"/\S{1,2}$", name):
            continue  # a range (2018-2022) or a per-unit (件/件) inside a name goes on
        if name[-1].isdigit():
            continue  # a name never ends in a digit glued to a value
        if _DOUBLED_END.search(name):
            continue  # 合格合格 ends a name only when it is the target copied as the actual
        if not re.search(r"[\u4e00-\u9fffA-Za-z]", name):
            continue  # a name has words in it
        if char.isdigit() or _OPERATOR.match(text, end) or _TERM_CHAR.match(char) or char == "%":
            yield end


def _values(text: str, pos: int, fields: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], int]]:
    """Readings of `fields` values glued from `pos` on: (values, end)."""
    if not fields:
        yield (), pos
        return
    field, rest = fields[0], fields[1:]
    if field == "target" and rest[:1] == ("actual",):
        for term, end in _doubled_term(text, pos):
            for values, after in _values(text, end, rest[1:]):
                yield (term, term, *values), after
    for value, end in _field_at(text, pos, field, rest):
        for values, after in _values(text, end, rest):
            yield (value, *values), after


def _field_at(text: str, pos: int, field: str, rest: tuple[str, ...]) -> Iterator[tuple[str, int]]:
    """Readings of one field's value at `pos`."""
    if field in ("weight", "score"):
        yield from numbers_at(text, pos)
    elif field == "unit":
        units = [u for u in UNITS if text.startswith(u, pos)]
        yield from ((u, pos + len(u)) for u in units)
        if not units:
            yield "", pos  # an empty unit cell
    elif field == "op":
        op = _OPERATOR.match(text, pos)
        yield (op.group(0), op.end()) if op else ("", pos)
    elif field == "value":
        yield from _all_numbers(text, pos)
    else:
        yield from _quantities_at(text, pos, last=not rest)


def _doubled_term(text: str, pos: int) -> Iterator[tuple[str, int]]:
    """A qualitative target copied as its actual (显著提升显著提升): the word, and where the
    pair ends."""
    for size in range(2, 9):
        term = text[pos : pos + size]
        doubled = text[pos + size : pos + 2 * size] == term
        if len(term) == size and doubled and all(_TERM_CHAR.match(c) for c in term):
            yield term, pos + 2 * size


def numbers_at(text: str, pos: int) -> Iterator[tuple[str, int]]:
    """Bare numbers (weights, scores) starting at `pos`: at most 100, no leading zero."""
    match = NUMBER.match(text, pos)
    if not match:
        return
    digits = match.group(0)
    for cut in range(1, len(digits) + 1):
        number = digits[:cut]
        if number.endswith("."):
            continue
        if len(number) > 1 and number.startswith("0") and not number.startswith("0."):
            continue
        if "." in digits[cut : cut + 1]:
            continue  # 19.6 does not split before its decimal point
        if Decimal(number) <= 100:
            yield number, pos + cut


def _quantities_at(text: str, pos: int, *, last: bool) -> Iterator[tuple[str, int]]:
    """Targets and actuals starting at `pos`: optional operator, number, optional unit; the
    last value of a stretch may end in any short unit (百分比)."""
    op = _OPERATOR.match(text, pos)
    start = op.end() if op else pos
    for _number, end in _all_numbers(text, start):
        yield text[pos:end], end
        for unit in UNITS:
            if text.startswith(unit, end):
                yield text[pos : end + len(unit)], end + len(unit)
        rest = text[end:]
        if last and rest and _OPEN_UNIT.fullmatch(rest) and rest not in UNITS:
            yield text[pos:], len(text)


def _all_numbers(text: str, pos: int) -> Iterator[tuple[str, int]]:
    match = NUMBER.match(text, pos)
    if not match:
        return
    digits = match.group(0)
    for cut in range(1, len(digits) + 1):
        number = digits[:cut]
        if number.endswith(".") or "." in digits[cut : cut + 1]:
            continue
        if len(number) > 1 and number.startswith("0") and not number.startswith("0."):
            continue
        yield number, pos + cut
