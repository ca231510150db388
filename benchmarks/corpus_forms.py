"""Field accuracy of the form reader on the labelled corpus, per form and per readability class.

Usage: ``python benchmarks/corpus_forms.py [CORPUS_DIR] [--json]``. Reads ``forms/*.txt`` (the four
``# `` note lines skipped) and ``seed/*.txt`` with their ``labels/*.json``; reads each text with
`split_text` + `build_forms` and compares the indicator fields level1, level2, name, target, actual,
weight and score with the label.

Measures:

- accuracy (clean and messy forms): right fields / (7 x labelled lines); a labelled line the reader
  missed counts 7 wrong fields.
- precision (ambiguous forms): right fields / fields output, over the read lines matched to a
  labelled line (the label lists only the rows its author was sure of; other rows are neither
  credited nor blamed). Recall is shown beside it.

Read lines are matched to labelled lines in order (a longest-common-subsequence alignment that
maximises agreeing fields), forms of one file to its labelled forms the same way. A label's
``alt`` reading counts as right too.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from rules_engine.diagnostics import UserError
from rules_engine.model import Form
from rules_engine.readers.builder import build_forms
from rules_engine.readers.layouts import split_text

FIELDS = ("level1", "level2", "name", "target", "actual", "weight", "score")
# Form-level fields, reported beside the indicator figures (not part of them).
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
    right: int
    output: int
    output_right: int
    warnings: int
    head_right: int = 0
    error: str | None = None
    wrong: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        total = len(FIELDS) * self.labelled
        return self.right / total if total else 1.0

    @property
    def precision(self) -> float:
        return self.output_right / self.output if self.output else 1.0


def read_text(path: Path) -> str:
    """The form text of a corpus file, without its four ``# `` note lines."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    skip = 0
    while skip < min(4, len(lines)) and lines[skip].startswith("# "):
        skip += 1
    return "".join(lines[skip:])


def read_forms(text: str, source: str) -> tuple[list[Form], str | None]:
    """Every form the reader finds in `text`, or the error code it stopped with."""
    forms: list[Form] = []
    error: str | None = None
    for grid in split_text(text, source):
        try:
            forms.extend(build_forms(grid))
        except UserError as exc:
            error = exc.diagnostics[0].code
    return forms, error


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
    reads = [{k: getattr(line, k) for k in FIELDS} for line in (form.indicators if form else [])]
    pairs = align(reads, labels)
    right = output = output_right = 0
    wrong: list[str] = []
    for i, j in pairs:
        want = _best_reading(reads[i], labels[j])
        for k in FIELDS:
            ok = reads[i][k] == want[k]
            right += ok
            if reads[i][k] is not None:
                output += 1
                output_right += ok
            if not ok:
                wrong.append(f"#{j + 1} {k}: read {reads[i][k]!r}, label {want[k]!r}")
    matched = {j for _, j in pairs}
    wrong.extend(
        f"#{j + 1} missed: {labels[j].get('name')!r}"
        for j in range(len(labels))
        if j not in matched
    )
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
        right=right,
        output=output,
        output_right=output_right,
        warnings=len(form.warnings) if form else 0,
        head_right=head_right,
        error=error,
        wrong=wrong,
    )


def _lines_agreeing(form: Form, label: dict[str, Any]) -> int:
    reads = [{k: getattr(line, k) for k in FIELDS} for line in form.indicators]
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
        scores.append(score_form(label["file"], number, lab, form, error))
    return scores


def score_corpus(corpus: Path) -> list[FormScore]:
    """Score every labelled file in `corpus`."""
    labels = sorted((corpus / "labels").glob("*.json"))
    return [score for path in labels for score in score_file(corpus, path)]


def summary(scores: list[FormScore]) -> dict[str, dict[str, float | int]]:
    """Overall figures per readability class."""
    out: dict[str, dict[str, float | int]] = {}
    for cls in CLASSES:
        group = [s for s in scores if s.readability == cls]
        labelled = sum(s.labelled for s in group)
        right = sum(s.right for s in group)
        output = sum(s.output for s in group)
        out[cls] = {
            "forms": len(group),
            "lines": labelled,
            "accuracy": right / (len(FIELDS) * labelled) if labelled else 1.0,
            "precision": sum(s.output_right for s in group) / output if output else 1.0,
            # Lines read that match no labelled line (spurious on clean and messy forms).
            "extra": sum(s.read - s.matched for s in group),
            "header": (
                sum(s.head_right for s in group) / (len(HEAD_FIELDS) * len(group)) if group else 1.0
            ),
        }
    return out


def main(argv: list[str]) -> int:
    """Print the per-form table and the per-class figures (or JSON with ``--json``)."""
    args = [a for a in argv if not a.startswith("--")]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    if not (corpus / "labels").is_dir():
        print(f"corpus not found at {corpus}; nothing to measure")
        return 0
    scores = score_corpus(corpus)
    totals = summary(scores)
    if "--json" in argv:
        forms = [{**asdict(s), "accuracy": s.accuracy, "precision": s.precision} for s in scores]
        print(json.dumps({"forms": forms, "summary": totals}, ensure_ascii=False, indent=1))
        return 0
    print(
        f"{'file':58} {'class':9} {'lab':>4} {'read':>4} {'match':>5} {'acc':>6} {'prec':>6} "
        f"{'head':>4}"
    )
    for s in scores:
        name = f"{s.file.split('/')[-1]}#{s.form}"
        flag = f"  error {s.error}" if s.error else ""
        print(
            f"{name:58} {s.readability:9} {s.labelled:4} {s.read:4} {s.matched:5} "
            f"{s.accuracy:6.1%} {s.precision:6.1%} {s.head_right:2}/{len(HEAD_FIELDS)}{flag}"
        )
        if "--verbose" in argv:
            for line in s.wrong:
                print(f"      {line}")
    print()
    for cls, row in totals.items():
        print(
            f"{cls:9} forms {row['forms']:3}  lines {row['lines']:4}  "
            f"accuracy {row['accuracy']:6.1%}  precision {row['precision']:6.1%}  "
            f"header fields {row['header']:6.1%}  extra lines {row['extra']}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
