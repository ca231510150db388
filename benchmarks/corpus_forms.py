"""Value recall and value precision of the form reader on the labelled corpus, by readability and
by layout.

Usage: ``python benchmarks/corpus_forms.py [CORPUS_DIR] [--json] [--verbose]``. Reads every label
in ``labels/*.json`` and its form file (``forms/*.txt`` without the four ``# `` note lines, or
``seed/*.txt``), reads the text as ``rules-engine parse`` does and compares the fields level1,
level2, name, target, actual, weight and score of every row with the label. A label lists the rows
of a process scorecard among its indicators; they are compared with the form's ``process`` rows
and its indicator lines together, in reading order.

A *value* is a non-empty field. Measures:

- value recall: labelled values read right / labelled values. A labelled row the reader missed
  loses all its values. (Ambiguous forms label only the rows their labeller was sure of.)
- value precision: values output that are right / values output. A value on a row that matches no
  labelled row counts as wrong, on every form: an invented row is the worst error a reader makes.
  (On an ambiguous form such a row may be a real one the labeller left out; the rows are listed
  with ``--verbose`` for a person to judge.)
- extra rows: rows read that match no labelled row.
- field accuracy: right fields / (7 x labelled rows), nulls included (the measure used before).

Read rows are matched to labelled rows in order (a longest-common-subsequence alignment that
maximises agreeing fields), forms of one file to its labelled forms the same way. A label's
``alt`` reading counts as right too.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rules_engine.diagnostics import UserError
from rules_engine.model import Form
from rules_engine.readers.choice import read_text as read_forms_of_text

FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score")
# Form-level fields, reported beside the row figures (not part of them).
HEAD_FIELDS = ("kind", "title", "project", "department", "unit", "year", "total")
CLASSES = ("clean", "messy", "ambiguous")
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


@dataclass
class FormScore:
    """One labelled form against what was read."""

    file: str
    form: int
    readability: str
    layout: str
    labelled: int
    read: int
    matched: int
    values: int  # labelled values
    found: int  # labelled values read right
    output: int  # values read (matched rows and extra rows)
    output_right: int
    right_fields: int  # fields equal to the label on matched rows, nulls included
    warnings: int
    reliability: str | None = None
    head_right: int = 0
    error: str | None = None
    wrong: list[str] = field(default_factory=list)

    @property
    def extra(self) -> int:
        return self.read - self.matched

    @property
    def recall(self) -> float:
        return self.found / self.values if self.values else 1.0

    @property
    def precision(self) -> float:
        return self.output_right / self.output if self.output else 1.0

    @property
    def accuracy(self) -> float:
        total = len(FIELDS) * self.labelled
        return self.right_fields / total if total else 1.0


def read_text(path: Path) -> str:
    """The form text of a corpus file, without its four ``# `` note lines."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    skip = 0
    while skip < min(4, len(lines)) and lines[skip].startswith("# "):
        skip += 1
    return "".join(lines[skip:])


def read_forms(text: str, source: str) -> tuple[list[Form], str | None]:
    """Every form the reader finds in `text`, or the error code it stopped with."""
    try:
        return read_forms_of_text(text, source), None
    except UserError as exc:
        return [], exc.diagnostics[0].code


def rows_of(form: Form | None) -> list[dict[str, Any]]:
    """A form's rows as the labels list them: process scorecard rows, then indicator lines."""
    if form is None:
        return []
    rows: list[Any] = [*getattr(form, "process", []), *form.indicators]
    return [{k: getattr(row, k, None) for k in FIELDS} for row in rows]


def _readings(label: dict[str, Any]) -> list[dict[str, Any]]:
    base = {k: label.get(k) for k in FIELDS}
    out = [base]
    if isinstance(label.get("alt"), dict):
        out.append({**base, **{k: v for k, v in label["alt"].items() if k in FIELDS}})
    return out


def _agree(read: dict[str, Any], label: dict[str, Any]) -> int:
    return max(sum(1 for k in FIELDS if read[k] == r[k]) for r in _readings(label))


def _best_reading(read: dict[str, Any], label: dict[str, Any]) -> dict[str, Any]:
    return max(_readings(label), key=lambda r: sum(read[k] == r[k] for k in FIELDS))


def align(reads: list[dict[str, Any]], labels: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """Order-keeping pairs (read index, label index) that maximise agreeing fields."""
    n, m = len(reads), len(labels)
    gain = [[_agree(r, lab) for lab in labels] for r in reads]
    best = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            pair = gain[i][j] + best[i + 1][j + 1] if gain[i][j] >= 2 else -1
            best[i][j] = max(best[i + 1][j], best[i][j + 1], pair)
    pairs: list[tuple[int, int]] = []
    i = j = 0
    while i < n and j < m:
        if gain[i][j] >= 2 and best[i][j] == gain[i][j] + best[i + 1][j + 1]:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def score_form(
    file: str, number: int, label: dict[str, Any], form: Form | None, error: str | None
) -> FormScore:
    """Compare one read form with its label."""
    labels = list(label["indicators"])
    reads = rows_of(form)
    pairs = align(reads, labels)
    found = output = output_right = right_fields = 0
    wrong: list[str] = []
    for i, j in pairs:
        want = _best_reading(reads[i], labels[j])
        for k in FIELDS:
            ok = reads[i][k] == want[k]
            right_fields += ok
            found += ok and want[k] is not None
            if reads[i][k] is not None:
                output += 1
                output_right += ok
            if not ok:
                wrong.append(f"#{j + 1} {k}: read {reads[i][k]!r}, label {want[k]!r}")
    matched_reads = {i for i, _ in pairs}
    for i, row in enumerate(reads):
        if i not in matched_reads:
            output += sum(1 for k in FIELDS if row[k] is not None)
            shown = {k: v for k, v in row.items() if v is not None}
            wrong.append(f"extra row: {json.dumps(shown, ensure_ascii=False)}")
    matched = {j for _, j in pairs}
    wrong.extend(
        f"#{j + 1} missed: {labels[j].get('name')!r}"
        for j in range(len(labels))
        if j not in matched
    )
    values = 0
    for j, lab in enumerate(labels):
        reading = next((_best_reading(reads[i], lab) for i, jj in pairs if jj == j), lab)
        values += sum(1 for k in FIELDS if reading.get(k) is not None)
    head_right = 0
    if form is not None:
        read_head = form.model_dump(mode="json", include=set(HEAD_FIELDS))
        head_right = sum(1 for k in HEAD_FIELDS if read_head.get(k) == label.get(k))
    return FormScore(
        file=file,
        form=number,
        readability=label["readability"],
        layout=label["layout"],
        labelled=len(labels),
        read=len(reads),
        matched=len(pairs),
        values=values,
        found=found,
        output=output,
        output_right=output_right,
        right_fields=right_fields,
        warnings=len(form.warnings) if form else 0,
        reliability=getattr(form, "reliability", None) if form else None,
        head_right=head_right,
        error=error,
        wrong=wrong,
    )


def _lines_agreeing(form: Form, label: dict[str, Any]) -> int:
    reads = rows_of(form)
    labels = list(label["indicators"])
    return sum(_agree(reads[i], labels[j]) for i, j in align(reads, labels))


def score_file(corpus: Path, label_path: Path) -> list[FormScore]:
    """Read one corpus file and score each of its labelled forms."""
    label = json.loads(label_path.read_text(encoding="utf-8"))
    path = corpus / label["file"]
    forms, error = read_forms(read_text(path), label["file"])
    labelled = [label, *label.get("more_forms", [])]
    scores: list[FormScore] = []
    used: set[int] = set()
    for number, lab in enumerate(labelled):
        # Each labelled form takes the read form (not yet taken) that agrees with it most.
        choices = [(k, _lines_agreeing(f, lab)) for k, f in enumerate(forms) if k not in used]
        pick = max(choices, key=lambda kv: (kv[1], -kv[0]), default=None)
        form = None
        if pick is not None:
            # With no agreeing line, the forms pair up in reading order.
            used.add(pick[0])
            form = forms[pick[0]]
        classed = {**lab, "readability": label["readability"], "layout": label["layout"]}
        scores.append(score_form(label["file"], number, classed, form, error))
    # Forms read beyond the labelled ones are invented: their rows count against precision.
    for k, form in enumerate(forms):
        if k not in used and rows_of(form):
            empty = {
                "indicators": [],
                "readability": label["readability"],
                "layout": label["layout"],
            }
            scores.append(score_form(label["file"], len(scores), empty, form, error))
    return scores


def score_corpus(corpus: Path) -> list[FormScore]:
    """Score every labelled file in `corpus`."""
    labels = sorted((corpus / "labels").glob("*.json"))
    return [score for path in labels for score in score_file(corpus, path)]


def figures(group: list[FormScore]) -> dict[str, float | int]:
    """Recall, precision, field accuracy and counts over a group of forms."""
    values = sum(s.values for s in group)
    output = sum(s.output for s in group)
    labelled = sum(s.labelled for s in group)
    return {
        "forms": len(group),
        "rows": labelled,
        "recall": sum(s.found for s in group) / values if values else 1.0,
        "precision": sum(s.output_right for s in group) / output if output else 1.0,
        "accuracy": (
            sum(s.right_fields for s in group) / (len(FIELDS) * labelled) if labelled else 1.0
        ),
        "extra": sum(s.extra for s in group),
        "header": (
            sum(s.head_right for s in group) / (len(HEAD_FIELDS) * len(group)) if group else 1.0
        ),
    }


def summary(scores: list[FormScore]) -> dict[str, dict[str, float | int]]:
    """Overall figures per readability class (and ``all``)."""
    out = {cls: figures([s for s in scores if s.readability == cls]) for cls in CLASSES}
    out["all"] = figures(scores)
    return out


def by_layout(scores: list[FormScore]) -> dict[str, dict[str, float | int]]:
    """Figures per labelled layout."""
    layouts = sorted({s.layout for s in scores})
    return {name: figures([s for s in scores if s.layout == name]) for name in layouts}


def _print_groups(title: str, groups: dict[str, dict[str, float | int]]) -> None:
    print(title)
    for name, row in groups.items():
        print(
            f"  {name:19} forms {row['forms']:3}  rows {row['rows']:4}  "
            f"recall {row['recall']:6.1%}  precision {row['precision']:6.1%}  "
            f"extra rows {row['extra']:3}  field accuracy {row['accuracy']:6.1%}  "
            f"header {row['header']:6.1%}"
        )


def main(argv: list[str], say: Callable[[str], None] = print) -> int:
    """Print the per-form table and the figures by readability and layout (or JSON)."""
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "labels").is_dir():
        say(f"corpus not found at {corpus}; nothing to measure")
        return 0
    scores = score_corpus(corpus)
    if "--json" in argv:
        forms = [
            {**asdict(s), "recall": s.recall, "precision": s.precision, "extra": s.extra}
            for s in scores
        ]
        out = {"forms": forms, "summary": summary(scores), "layouts": by_layout(scores)}
        say(json.dumps(out, ensure_ascii=False, indent=1))
        return 0
    say(
        f"{'file':52} {'class':9} {'lab':>4} {'read':>4} {'extra':>5} {'recall':>7} "
        f"{'prec':>7} {'head':>4}  reliability"
    )
    for s in scores:
        name = f"{s.file.split('/')[-1][:48]}#{s.form}"
        flag = f"  error {s.error}" if s.error else ""
        say(
            f"{name:52} {s.readability:9} {s.labelled:4} {s.read:4} {s.extra:5} "
            f"{s.recall:7.1%} {s.precision:7.1%} {s.head_right:2}/{len(HEAD_FIELDS)}  "
            f"{s.reliability or '-'}{flag}"
        )
        if "--verbose" in argv:
            for line in s.wrong:
                say(f"      {line}")
    say("")
    _print_groups("by readability", summary(scores))
    _print_groups("by layout", by_layout(scores))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
