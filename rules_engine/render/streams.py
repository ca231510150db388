"""The streaming text writers of a batch: JSON lines (the hot loop of a large batch, built from
shared fragments) and CSV for a spreadsheet."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from decimal import Decimal
from itertools import islice
from typing import IO, Any

from rules_engine.diagnostics import Lang
from rules_engine.render import labels as L
from rules_engine.render.cells import safe_text
from rules_engine.render.columns import LINE_COLUMNS, STEPS_COLUMN, Cell, headings
from rules_engine.render.rows import ScoredFile, csv_line_row
from rules_engine.scorecard import Flag, LineResult, Scorecard, Step, Tail, Verdict
from rules_engine.values import plain

try:  # the C encoder; the pure-Python one gives the same text
    from _json import encode_basestring as _encode_string
except ImportError:  # pragma: no cover
    from json.encoder import py_encode_basestring as _encode_string


# --- JSONL: the machine-readable rows ---------------------------------------------------------

# Columns of a JSONL row, in output order: codes and decimal strings, for programs to read.
COLUMNS = (
    "file",
    "form",
    "line",
    "level1",
    "level2",
    "name",
    "target",
    "actual",
    "weight",
    "rule",
    "source",
    "outcome",
    "score",
    "self_score",
    "delta",
    "flags",
)
_CACHE_LIMIT = 1 << 16
# Row parts remembered by the writer: each holds a few hundred bytes of text and keeps its part
# alive, so fewer of them keep a batch's memory flat.
_SHARED_LIMIT = 1 << 14
# Decimal → plain string, remembered: a batch repeats the same few weights and scores.
_PLAIN: dict[Decimal, str] = {}


# JSON-encoded strings, remembered: categories, rules, sources and targets repeat across forms.
class _Encoded(dict[str | None, str]):
    """Texts to their JSON strings (``None`` → ``null``); a lookup that misses encodes the text.

    Looking up hits in C (`dict.__getitem__`) is what keeps the row writer cheap.
    """

    def __missing__(self, text: str | None) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        encoded = self[text] = "null" if text is None else _encode_string(text)
        return encoded


_ENCODED = _Encoded()


class _Figures(dict[Decimal | None, str]):
    """Decimals to their JSON strings (``None`` → ``null``), as `_dec` prints them."""

    def __missing__(self, value: Decimal | None) -> str:
        if len(self) >= _CACHE_LIMIT:
            self.clear()
        encoded = self[value] = _ENCODED[_dec(value)]
        return encoded


_FIGURES = _Figures()


def _dec(value: Decimal | None) -> str | None:
    if value is None:
        return None
    text = _PLAIN.get(value)
    if text is None:
        if len(_PLAIN) >= _CACHE_LIMIT:
            _PLAIN.clear()
        # Keyed by value: 6.67 and 6.670 are equal and print alike.
        text = _PLAIN[value] = plain(value)
    return text


def json_row(
    file: str,
    form_no: int,
    line: LineResult,
    lang: Lang,
    *,
    steps: bool,
    glossary: L.Glossary = L.NO_GLOSSARY,
) -> dict[str, Any]:
    """One JSONL row: where the line is, what it says, how the policy scored it (codes)."""
    row: dict[str, Any] = {
        "file": file,
        "form": form_no,
        "line": line.index,
        "level1": line.level1,
        "level2": line.level2,
        "name": line.name,
        "target": line.target,
        "actual": line.actual,
        "weight": _dec(line.weight),
        "rule": line.rule,
        "source": line.source,
        "outcome": line.outcome,
        "score": _dec(line.score),
        "self_score": _dec(line.self_score),
        "delta": _dec(line.delta),
        "flags": [flag.code for flag in line.flags],
    }
    if steps:
        row["steps"] = [L.step_text(step, lang, glossary) for step in line.steps]
    return row


def json_rows(
    card: Scorecard, file: str, lang: Lang, steps: bool = False
) -> Iterator[dict[str, Any]]:
    """Every line of every form of one scored document, as `json_row` dictionaries."""
    for form_no, result in enumerate(card.forms, start=1):
        for line in result.lines:
            yield json_row(file, form_no, line, lang, steps=steps, glossary=card.policy.english)


class JsonlWriter:
    """One JSON object per line (the `json_row` keys in order), Chinese kept as is.

    This is the hot loop of a batch. Lines alike share their verdict, tail and flags (see
    `rules_engine.engine.lines`), so the JSON of each shared part is made once and remembered by
    the part's identity: the part is kept beside its text, so its identity cannot be reused
    while it is remembered. The file is the path as read, so a program can open it.
    """

    def __init__(self, stream: IO[str], lang: Lang = "zh", steps: bool = False) -> None:
        self._stream = stream
        self._lang: Lang = lang
        self._steps = steps
        self._glossary: L.Glossary = L.NO_GLOSSARY
        self._verdicts: dict[int, tuple[Verdict, str, str]] = {}
        self._tails: dict[int, tuple[Tail, str, str]] = {}
        self._flags: dict[int, tuple[tuple[Flag, ...], str]] = {}
        self._step_json: dict[int, tuple[Step, str]] = {}

    def write(self, item: ScoredFile) -> None:
        """Write one JSON line per indicator line of the file."""
        glossary = item.card.policy.english
        if glossary != self._glossary:
            self._glossary = glossary
            self._verdicts.clear()
            self._tails.clear()
            self._step_json.clear()
        head = '{"file": ' + _encode_string(item.path) + ', "form": '
        write = self._stream.write
        for form_no, result in enumerate(item.card.forms, start=1):
            form = head + str(form_no)
            write("".join([self._line(form, line) for line in result.lines]))

    def _line(self, head: str, line: LineResult) -> str:
        s = _ENCODED.__getitem__
        row = line.line
        verdict, tail = line.verdict, line.tail
        found = self._verdicts.get(id(verdict))
        if found is None or found[0] is not verdict:
            found = self._verdict_part(verdict)
        told = self._tails.get(id(tail))
        if told is None or told[0] is not tail:
            told = self._tail_part(tail)
        steps = ""
        if self._steps:
            shared, own = found[2], told[2]
            if own and shared:
                steps = f', "steps": [{shared}, {own}]'
            else:
                steps = f', "steps": [{shared or own}]'
        return "".join(
            (
                head,
                ', "line": ',
                str(line.index),
                ', "level1": ',
                s(row.level1),
                ', "level2": ',
                s(row.level2),
                ', "name": ',
                "null" if row.name is None else _encode_string(row.name),
                ', "target": ',
                s(row.target),
                ', "actual": ',
                s(row.actual),
                ', "weight": ',
                _FIGURES[verdict.weight],
                found[1],
                told[1],
                self._flags_part(line.flags),
                steps,
                "}\n",
            )
        )

    def _verdict_part(self, verdict: Verdict) -> tuple[Verdict, str, str]:
        """What a row says from the rule to the score, and the verdict's steps (shared by the
        lines alike, and by lines of other self-scores)."""
        s = _ENCODED.__getitem__
        middle = "".join(
            (
                ', "rule": ',
                s(verdict.rule),
                ', "source": ',
                s(verdict.source),
                ', "outcome": ',
                s(verdict.outcome),
                ', "score": ',
                _FIGURES[verdict.score],
            )
        )
        steps = ", ".join(self._steps_of(verdict.steps)) if self._steps else ""
        if len(self._verdicts) >= _SHARED_LIMIT:
            _forget_older_half(self._verdicts)
        found = self._verdicts[id(verdict)] = (verdict, middle, steps)
        return found

    def _tail_part(self, tail: Tail) -> tuple[Tail, str, str]:
        """The self-score and delta of a row, and the tail's steps (one tail is shared by lines
        of many verdicts that agree in score, weight and self-score)."""
        d = _FIGURES.__getitem__
        middle = "".join((', "self_score": ', d(tail.self_score), ', "delta": ', d(tail.delta)))
        steps = ", ".join(self._steps_of(tail.steps)) if self._steps else ""
        if len(self._tails) >= _SHARED_LIMIT:
            _forget_older_half(self._tails)
        found = self._tails[id(tail)] = (tail, middle, steps)
        return found

    def _flags_part(self, flags: tuple[Flag, ...]) -> str:
        found = self._flags.get(id(flags))
        if found is not None and found[0] is flags:
            return found[1]
        text = ', "flags": [' + ", ".join([_ENCODED[flag.code] for flag in flags]) + "]"
        if len(self._flags) >= _CACHE_LIMIT:
            _forget_older_half(self._flags)
        self._flags[id(flags)] = (flags, text)
        return text

    def _steps_of(self, steps: tuple[Step, ...]) -> list[str]:
        out = []
        remembered = self._step_json
        for step in steps:
            found = remembered.get(id(step))
            if found is None or found[0] is not step:
                if len(remembered) >= _CACHE_LIMIT:
                    _forget_older_half(remembered)
                found = (step, _encode_string(L.step_text(step, self._lang, self._glossary)))
                remembered[id(step)] = found
            out.append(found[1])
        return out

    def close(self) -> None:
        """Nothing to finish: every row is complete when written."""

    def abort(self) -> None:
        """Nothing is held."""


def _forget_older_half(table: dict[Any, Any]) -> None:
    """Make room in a full table: the older half goes, what recent lines share stays."""
    for key in list(islice(table, len(table) // 2)):
        del table[key]


# --- CSV: the 指标 columns for a spreadsheet -------------------------------------------------

BOM = "\ufeff"


def csv_cell(value: Cell) -> str:
    """A cell as CSV text: numbers plain, texts made safe to open in a spreadsheet."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, int):
        return str(value)
    return safe_text(value)


class CsvWriter:
    """UTF-8 with a byte-order mark (so Excel on Chinese Windows reads it), the 指标 columns.

    Rows end in CRLF, so a field holding a lone CR is quoted like one holding a line break.
    """

    def __init__(self, stream: IO[str], lang: Lang = "zh", steps: bool = False) -> None:
        self._lang: Lang = lang
        self._steps = steps
        stream.write(BOM)
        self._writer = csv.writer(stream, lineterminator="\r\n")
        columns = (*LINE_COLUMNS, STEPS_COLUMN) if steps else LINE_COLUMNS
        self._writer.writerow(headings(columns, lang))

    def write(self, item: ScoredFile) -> None:
        """Write one row per indicator line of the file."""
        for form_no, result in enumerate(item.card.forms, start=1):
            for line in result.lines:
                row = csv_line_row(item, form_no, result, line, self._lang, steps=self._steps)
                self._writer.writerow([csv_cell(cell) for cell in row.cells])

    def close(self) -> None:
        """Nothing to finish: every row is complete when written."""

    def abort(self) -> None:
        """Nothing is held."""
