"""Glued text: cells whose separators were lost (``安装坡面水标尺10≥266米≥266米10``).

The text is cut at the words a form prints (header names, categories, labels). Under the indicator
header, each stretch between two categories is read as rows of name + values in the header's
column order (`glued_rows`); a stretch is split only when exactly one reading fits, anything else
is reported (E142, E144 with the candidates) and left out: no value is guessed.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from decimal import Decimal

from rules_engine.readers import header_words, text_keys
from rules_engine.readers import layout_codes as codes
from rules_engine.readers import vocabulary as vocab
from rules_engine.readers.glued_rows import (
    NUMBER,
    ROW_FIELDS,
    UNITS,
    numbers_at,
    split_rows,
    unwrap,
)
from rules_engine.readers.grid import Cell, Grid

# Site page markers (``2、``) cut into the text where a page of the document starts.
_PAGE_MARK = re.compile(r"(?:^|(?<=\s))\d{1,2}、(?=\S)")
_RESIDUE = re.compile(r"[(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")
_TAG = re.compile(r"\s*[(（](?:[A-Za-z/*]{1,5}|万元|元)[)）]")
# Value fields a glued row may hold, in the order the header prints them.
_VALUE_FIELDS = ROW_FIELDS
# Enumeration of budget readings stops at this many: two already mean "not certain".
_MAX_BUDGET_READINGS = 2


def _glue_words() -> list[str]:
    """Labels and header words the text is cut at, longest first (二级指标 before 指标)."""
    words = (
        set(header_words.HEADER_NAMES)
        | set(header_words.FORM_FIELD_NAMES)
        | set(header_words.BUDGET_HEADER_NAMES)
    )
    words |= {w for w in vocab.LEVEL2_WORDS | vocab.LEVEL1_WORDS if w.endswith("指标")}
    words |= {"年度资金总额", "其中:当年财政拨款", "其中:本年财政拨款", "上年结转资金", "其他资金"}
    words |= {"总分", "合计", "年度绩效目标", "项目负责人及电话", "联系电话", "填报日期"}
    words |= {"项目类别", "项目属性", "项目类型", "资金情况", "项目资金", "年度总体目标"}
    short = {"分值", "得分", "权重", "总分", "合计"}
    return sorted((w for w in words if len(w) >= 3 or w in short), key=len, reverse=True)


# Traditional characters of labels that the shared name table does not fold.
_MORE_SIMPLIFIED = str.maketrans(
    "報與農黃岡電話負責聯繫屬類別歲簡檔", "报与农黄冈电话负责联系属类别岁简档"
)


@functools.lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    return text_keys.normalize(char).translate(_MORE_SIMPLIFIED)


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
        folded = _fold_char(char)
        if len(folded) == 1:
            chars.append(folded)
            where.append(index)
    return "".join(chars), where


def glued_tokens(lines: list[tuple[int, str]], grid: Grid) -> list[Cell]:  # noqa: C901, PLR0912
    """Cut glued text into cells; stretches of rows that cannot be split with certainty are
    reported and left out."""
    pattern = re.compile("|".join(re.escape(w) for w in _glue_words()))
    out: list[Cell] = []
    fields: list[str] = []  # value fields of the indicator header once it is seen
    in_table = False
    after_total = False
    closed = False  # after a form's total, until the next form's labels
    budget: list[str] = []  # budget header columns, in order, once they are seen
    for line_no, text in _joined_lines(lines):
        norm, where = _matchable(text)
        pos = 0
        pieces: list[tuple[bool, str]] = []
        for match in pattern.finditer(norm):
            start, end = where[match.start()], where[match.end() - 1] + 1
            residue = _RESIDUE.match(text, end)
            end = residue.end() if residue else end  # 指標(biāo): the residue stays with its word
            tag = _TAG.match(text, end)
            end = tag.end() if tag else end  # 全年预算数(A), 项目资金(万元): tags stay too
            if text[end : end + 1] in (":", "："):
                end += 1  # 单位名称: the colon belongs to the label
            if start > pos:
                pieces.append((False, text[pos:start]))
            pieces.append((True, text[start:end]))
            pos = end
        if pos < len(text):
            pieces.append((False, text[pos:]))
        for index, (known, piece) in enumerate(pieces):
            if known:
                field = header_words.header_field(piece)
                following = pieces[index + 1] if index + 1 < len(pieces) else (False, "")
                if header_words.form_field(piece) is not None:
                    closed = False  # a new form's header part
                if (
                    not closed
                    and text_keys.category_key(piece) in header_words.INDICATOR_HEADER_CORE
                    and following[0]
                    and _is_header_word(following[1])
                ):
                    # A header: two header words in a row (a note that names 一级指标 is not).
                    in_table, fields = True, []
                if in_table and field in _VALUE_FIELDS and not _is_category(piece):
                    fields.append(field)
                money = header_words.budget_field(piece)
                if not in_table and money is not None:
                    budget = [*budget, money] if _is_budget_word(out[-1:]) else [money]
                after_total = header_words.is_total_label(piece)
                if after_total:
                    # The notes after a table's total name header words too; no table opens
                    # there (a 合计 above any table closes nothing).
                    in_table, closed = False, in_table
                out.append(Cell(unwrap(piece), line_no, len(out) + 1))
                continue
            # A fragment between two header words (年度 | 指标值) is part of the header.
            header_next = (
                0 < index < len(pieces) - 1
                and _is_header_word(pieces[index + 1][1])
                and _is_header_word(pieces[index - 1][1])
            )
            after_fund = bool(out) and header_words.is_fund_name(out[-1].text) and not in_table
            if after_total:
                out.extend(_total(piece, line_no, grid))
                after_total = False
            elif after_fund and budget and re.match(r"\s*[\d.]+", piece):
                out.extend(_budget_run(piece, budget, line_no, grid))
            elif in_table and fields and not header_next and re.search(r"\d", piece):
                rows, title = _title_after(piece)
                out.extend(split_rows(rows, fields, line_no, grid))
                if title:
                    # The next form's heading glued to the table's last row: its table is over.
                    out.extend(Cell(unwrap(p.strip()), line_no, len(out) + 1) for p in title)
                    in_table, fields = False, []
            elif piece.strip():
                for part in _cut_title(piece) if not fields else [piece]:
                    out.append(Cell(unwrap(part.strip()), line_no, len(out) + 1))
    return out


def _is_budget_word(cells: list[Cell]) -> bool:
    return bool(cells) and header_words.budget_field(cells[0].text) is not None


def _budget_run(text: str, columns: list[str], line_no: int, grid: Grid) -> list[Cell]:
    """A fund row's glued amounts (``202010100.00%10``), split when one reading alone fits:
    amounts without leading zeros, 分值 at most 100, 执行率 a percentage that the amounts
    bear out, 得分 not above 分值."""
    match = re.match(r"\s*([\d.%]+)(.*)$", text, re.DOTALL)
    assert match is not None
    run, rest = match.group(1), match.group(2).strip()
    readings = _budget_readings(run, columns)
    cells: list[Cell] = []
    if len(readings) == 1:
        cells = [Cell(value, line_no, n) for n, value in enumerate(readings[0], start=1)]
    else:
        codes.warn(grid, codes.GLUED, line_no, text=run[:40])
    if rest:
        cells.append(Cell(unwrap(rest), line_no, len(cells) + 1))
    return cells


def _budget_readings(run: str, columns: list[str]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []

    def walk(pos: int, index: int, parts: tuple[str, ...]) -> None:
        if len(found) >= _MAX_BUDGET_READINGS:
            return
        if index == len(columns):
            if pos == len(run) and _budget_consistent(columns, parts):
                found.append(parts)
            return
        for end in range(pos + 1, len(run) + 1):
            value = run[pos:end]
            if _budget_value_fits(columns[index], value, run[end : end + 1]):
                walk(end, index + 1, (*parts, value))

    walk(0, 0, ())
    return found


def _budget_value_fits(column: str, value: str, following: str) -> bool:
    if following and ((following.isdigit() and value.endswith(".")) or following == "%"):
        return False
    if column == "rate":
        return bool(re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?%", value))
    if not re.fullmatch(r"(?:0|[1-9]\d*)(?:\.\d+)?", value):
        return False
    return column not in ("weight", "score") or Decimal(value) <= 100


def _budget_consistent(columns: list[str], parts: tuple[str, ...]) -> bool:
    got = dict(zip(columns, parts, strict=True))
    if "weight" in got and "score" in got and Decimal(got["score"]) > Decimal(got["weight"]):
        return False
    spent, planned = got.get("executed"), got.get("adjusted") or got.get("initial")
    if "rate" in got and spent is not None and planned is not None and Decimal(planned) > 0:
        rate = Decimal(got["rate"].rstrip("%"))
        exponent = rate.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 0
        # The printed rate is rounded: it may differ by half its last digit (and a hair more).
        slack = Decimal(5) / Decimal(10) ** (places + 1) + Decimal("0.01")
        return abs(Decimal(spent) / Decimal(planned) * 100 - rate) <= slack
    return True


# A form's heading inside glued text: 2020年度水土保持监测项目绩效自评表, 绩效目标自评表(2022年度).
_TITLE = re.compile(
    r"(?<!\d)(?:(?:19|20)\d{2}\s*年度?)?[\u4e00-\u9fff()（）]{0,24}?"
    r"(?:绩效目标自评表|绩效自评表|绩效目标表|绩效目标申报表|绩效目标审批表|自评表)"
    r"(?:\s*[(（]\s*(?:19|20)\d{2}\s*年度?\s*[)）])?"
)


def _cut_title(text: str) -> list[str]:
    """Cut a glued run around the last form heading in it (the one the form's fields follow)."""
    norm, where = _matchable(text)
    found = list(_TITLE.finditer(norm))
    if not found:
        return [text]
    last = found[-1]
    start, end = where[last.start()], where[last.end() - 1] + 1
    residue = _RESIDUE.match(text, end)
    end = residue.end() if residue else end
    return [part for part in (text[:start], text[start:end], text[end:]) if part.strip()]


def _title_after(text: str) -> tuple[str, list[str]]:
    """Table rows, and the heading of a next form glued after them (with what follows it)."""
    parts = _cut_title(text)
    norm, _ = _matchable(text)
    if len(parts) < 2 or not _TITLE.search(norm) or not re.search(r"\d", parts[0]):
        return text, []
    if _TITLE.fullmatch(_matchable(parts[0])[0]):
        return text, []  # the text opens with the heading: no rows before it
    rows, title = parts[0], parts[1]
    for unit in UNITS:
        # A heading's first words may take the end of the last value's unit (百 | 分比省级…).
        cut = next((k for k in range(1, len(unit)) if rows.endswith(unit[:k])), None)
        if cut is not None and title.startswith(unit[cut:]):
            rows, title = rows + unit[cut:], title[len(unit) - cut :]
            break
    return rows, [part for part in (title, *parts[2:]) if part.strip()]


def _is_category(text: str) -> bool:
    return bool(vocab.category_level(text))


def _is_header_word(text: str) -> bool:
    return header_words.header_field(text) is not None and not _is_category(text)


def _joined_lines(lines: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Lines, where a line opening with a page marker (``2、``) continues the line before it:
    a document-sharing page cut the text there. The marker is dropped."""
    buffer: list[str] = []
    first = 0
    for line_no, line in lines:
        if not line.strip():
            continue
        text = line.strip()
        if buffer and _PAGE_MARK.match(text):
            buffer.append(_PAGE_MARK.sub("", text, count=1))
            continue
        if buffer:
            yield first, "".join(buffer)
        first, buffer = line_no, [_PAGE_MARK.sub("", text, count=1)]
    if buffer:
        yield first, "".join(buffer)


def _total(text: str, line_no: int, grid: Grid) -> list[Cell]:
    """The numbers after 总分: ``10098`` is weight 100 and score 98 when no other split fits."""
    match = re.match(r"\s*(\d+(?:\.\d+)?)(.*)$", text, re.DOTALL)
    if not match:
        return [Cell(unwrap(text.strip()), line_no, 1)] if text.strip() else []
    digits, rest = match.group(1), match.group(2).strip()
    pairs = [
        (weight, digits[len(weight) :])
        for weight, end in numbers_at(digits, 0)
        if end < len(digits)
        and NUMBER.fullmatch(digits[end:])
        and not (len(digits[end:]) > 1 and digits[end] == "0" and digits[end + 1] != ".")
        and Decimal(digits[end:]) <= Decimal(weight)
    ]
    cells: list[Cell] = []
    if len(pairs) == 1:
        cells = [Cell(pairs[0][0], line_no, 1), Cell(pairs[0][1], line_no, 2)]
    elif not pairs and Decimal(digits) <= 100:
        cells = [Cell(digits, line_no, 1)]
    else:
        codes.warn(grid, codes.GLUED, line_no, text=text.strip()[:40])
    if rest:
        cells.append(Cell(unwrap(rest), line_no, len(cells) + 1))
    return cells
