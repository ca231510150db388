"""Print a policy syntax tree in the one canonical layout, keeping every comment (`fmt`).

Layout: one statement or clause per line, blocks indented by two spaces, ASCII operators
(``≥`` → ``>=``), single spaces around operators, ASCII double quotes, at most one blank line
between statements (kept where the author left one, always around blocks). Parentheses are
printed only where precedence needs them. Comments stay with the line they annotate: a
comment on its own line goes before the next item, a trailing comment after it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import assert_never

from rich.cells import cell_len

from rules_engine.policy import nodes as s
from rules_engine.policy.inline import (
    OPS,
    clause,
    en_text,
    expr,
    number_text,
    result,
    review_text,
    selector_text,
    word_text,
)

INDENT = "  "
WIDTH = 100  # terms lists wrap past this many terminal cells
LABEL_COLUMN = 40  # results wider than this do not push the labels of a block to the right


@dataclass
class _Writer:
    """Emits lines and places each comment before or after the item it belongs to."""

    tree: s.PolicyFile
    out: list[str] = field(default_factory=list)
    own: list[s.Comment] = field(default_factory=list)  # comments on a line of their own
    trailing: dict[int, list[s.Comment]] = field(default_factory=dict)
    last_line: int = 0  # last source line emitted so far (for blank-line decisions)
    claims: dict[int, tuple[int, bool]] = field(default_factory=dict)  # line → (out index, weak)

    def __post_init__(self) -> None:
        for comment in self.tree.comments:
            before = self.tree.line_text(comment.pos.line)[: comment.pos.col - 1]
            if before.strip():
                self.trailing.setdefault(comment.pos.line, []).append(comment)
            else:
                self.own.append(comment)
        self.own.sort(key=lambda c: c.pos.line)

    def _flush_own(self, before: int, depth: int) -> None:
        while self.own and self.own[0].pos.line < before:
            comment = self.own.pop(0)
            if self.out and self._blank_between(self.last_line, comment.pos.line):
                self.blank()
            self.out.append(INDENT * depth + comment.text.rstrip())
            self.last_line = comment.pos.line

    def has_comments(self, first: int, last: int) -> bool:
        """Whether a comment sits on source lines `first`..`last` (inside a block)."""
        return any(first <= c.pos.line <= last for c in self.tree.comments)

    def _blank_between(self, a: int, b: int) -> bool:
        """Whether the author left a blank line between source lines `a` and `b`."""
        return a > 0 and any(not self.tree.line_text(n).strip() for n in range(a + 1, b))

    def blank(self) -> None:
        if self.out and self.out[-1] != "":
            self.out.append("")

    def line(
        self, text: str, depth: int, first: int, last: int | None = None, weak: bool = False
    ) -> None:
        """Emit one item that spans source lines `first`..`last`.

        A block's opening and closing lines are `weak`: a trailing comment on a line they share
        with an item belongs to the item.
        """
        end = first if last is None else last
        self._flush_own(first, depth)
        if self.out and self.out[-1] != "" and self._blank_between(self.last_line, first):
            self.blank()
        self.out.append(INDENT * depth + text)
        for number in range(first, end + 1):
            self._claim(number, len(self.out) - 1, weak)
        self.last_line = max(self.last_line, end)

    def _claim(self, number: int, index: int, weak: bool) -> None:
        held = self.claims.get(number)
        if not weak or held is None or held[1]:  # an item outranks a brace; later outranks earlier
            self.claims[number] = (index, weak)

    def close(self, depth: int, end_line: int) -> None:
        """Emit the closing brace of a block whose source ends on `end_line`."""
        self._flush_own(end_line, depth + 1)
        self.out.append(INDENT * depth + "}")
        self._claim(end_line, len(self.out) - 1, True)
        self.last_line = max(self.last_line, end_line)

    def finish(self) -> str:
        self._flush_own(10**9, 0)
        for number in sorted(self.trailing):
            tails = "".join(f"  {c.text.rstrip()}" for c in self.trailing[number])
            held = self.claims.get(number)
            if held is None:  # a trailing comment on a line nothing was printed for
                self.out.append(tails.strip())
            else:
                self.out[held[0]] += tails
        while self.out and self.out[-1] == "":
            self.out.pop()
        return "\n".join(self.out) + "\n"


def _is_block(stmt: s.Statement) -> bool:
    if isinstance(stmt, s.FlagDecl):
        return bool(stmt.items)
    return isinstance(stmt, (s.RuleDecl, s.BudgetDecl, s.WeightsDecl, s.GradesDecl, s.ReviewDecl))


def format_policy(tree: s.PolicyFile) -> str:
    """The canonical text of a parsed policy (comments included)."""
    w = _Writer(tree)
    previous: s.Statement | None = None
    for stmt in tree.statements:
        if previous is not None and (_is_block(stmt) or _is_block(previous)):
            w.blank()
        _statement(w, stmt)
        previous = stmt
    return w.finish()


def _wrap(lead: str, words: Sequence[str]) -> str:
    """`lead` then the words joined by commas, wrapped under the first word past the width."""
    indent = " " * cell_len(lead)
    lines: list[str] = []
    current = lead
    for i, word in enumerate(words):
        piece = word + ("," if i < len(words) - 1 else "")
        if i == 0:
            current += piece
        elif cell_len(current) + 1 + cell_len(piece) > WIDTH:
            lines.append(current)
            current = indent + piece
        else:
            current += " " + piece
    lines.append(current)
    return "\n".join(lines)


def _head(stmt: s.Statement) -> str:  # noqa: C901, PLR0911, PLR0912
    """A statement written on one line (all but blocks)."""
    if isinstance(stmt, s.PolicyDecl):
        text = f"policy {word_text(stmt.title)}"
        if stmt.year is not None:
            text += f" year {stmt.year.text}"
        if stmt.region is not None:
            text += f" region {word_text(stmt.region)}"
        return text + en_text(stmt.en)
    if isinstance(stmt, s.ExtendsDecl):
        return f"extends {word_text(stmt.target)}"
    if isinstance(stmt, s.BasisDecl):
        return f"basis {word_text(stmt.text)}{en_text(stmt.en)}"
    if isinstance(stmt, s.NoteDecl):
        return f"note {word_text(stmt.text)}{en_text(stmt.en)}"
    if isinstance(stmt, s.TermsDecl):
        lead = f"terms {word_text(stmt.label)}{en_text(stmt.en)} {stmt.op} "
        return _wrap(lead, [word_text(x) for x in stmt.words])
    if isinstance(stmt, s.TermDecl):
        words = ", ".join(word_text(x) for x in stmt.words)
        return (
            f"term {words} = {OPS.get(stmt.op, stmt.op)} {number_text(stmt.value, stmt.negative)}"
        )
    if isinstance(stmt, s.DeadlineDecl):
        return f"deadline {word_text(stmt.vocabulary)}"
    if isinstance(stmt, s.CategoriesDecl):
        return _wrap("categories ", [word_text(x) for x in stmt.words])
    if isinstance(stmt, s.ApplyDecl):
        sel = " and ".join(selector_text(x) for x in stmt.selectors)
        to = word_text(stmt.rule) if stmt.rule is not None else review_text(stmt.review)  # type: ignore[arg-type]
        return f"apply {sel} -> {to}"
    if isinstance(stmt, s.RoundDecl):
        at = f" at {stmt.stage.text}" if stmt.stage is not None else ""
        return f"round {stmt.method.text} {stmt.places.text}{at}"
    if isinstance(stmt, s.ToleranceDecl):
        return f"tolerance {stmt.value.text}"
    if isinstance(stmt, s.FormsDecl):
        text = "forms " + ", ".join(word_text(x) for x in stmt.kinds)
        if stmt.about:
            text += " about " + ", ".join(word_text(x) for x in stmt.about)
        return text
    if isinstance(stmt, s.NotApplicableDecl):
        return _wrap("not_applicable ", [word_text(x) for x in stmt.words])
    if isinstance(stmt, s.RescaleDecl):
        return f"rescale to {stmt.to.text}"
    if isinstance(stmt, s.AggregateDecl):
        return f"aggregate recipients by {word_text(stmt.funds)}"
    if isinstance(stmt, s.FlagOff):
        return f"flag {stmt.code.text} off"
    if isinstance(stmt, s.FlagDecl):
        text = f"flag {stmt.code.text}"
        if stmt.zh is not None:
            text += f" {word_text(stmt.zh)}"
        if stmt.scope is not None:
            text += f" on {stmt.scope.text}"
        return f"{text} when {expr(stmt.when)}"
    raise TypeError(f"not a one-line statement: {type(stmt).__name__}")


def _statement(w: _Writer, stmt: s.Statement) -> None:
    pos = stmt.pos
    if isinstance(stmt, s.RuleDecl):
        title = f" {word_text(stmt.title)}" if stmt.title is not None else ""
        w.line(f"rule {stmt.name.text}{title}{en_text(stmt.en)} {{", 0, pos.line, weak=True)
        _items(w, stmt.items)
        w.close(0, pos.end_line)
    elif isinstance(stmt, s.BudgetDecl):
        title = f" {word_text(stmt.title)}" if stmt.title is not None else ""
        w.line(f"budget{title}{en_text(stmt.en)} {{", 0, pos.line, weak=True)
        _items(w, stmt.items)
        w.close(0, pos.end_line)
    elif isinstance(stmt, s.WeightsDecl):
        w.line("weights {", 0, pos.line, weak=True)
        names = [
            word_text(x.name)
            if isinstance(x, s.WeightGroup | s.WeightOff)
            else ("total" if isinstance(x, s.WeightTotal) else "tolerance")
            for x in stmt.items
        ]
        width = max((cell_len(n) for n in names), default=0)
        for name, weight in zip(names, stmt.items, strict=True):
            value = "off" if isinstance(weight, s.WeightOff) else weight.value.text
            text = f"{_pad(name, width)} {value}"
            w.line(text, 1, weight.pos.line, weight.pos.end_line)
        w.close(0, pos.end_line)
    elif isinstance(stmt, s.GradesDecl) and not w.has_comments(pos.line + 1, pos.end_line):
        grades = "   ".join(_grade(g) for g in stmt.items)
        w.line(f"{_grades_head(stmt)} {{ {grades} }}", 0, pos.line, pos.end_line)
    elif isinstance(stmt, s.GradesDecl):
        w.line(f"{_grades_head(stmt)} {{", 0, pos.line, weak=True)
        for grade in stmt.items:
            w.line(_grade(grade), 1, grade.pos.line, grade.pos.end_line)
        w.close(0, pos.end_line)
    elif isinstance(stmt, s.FlagDecl) and stmt.items:
        w.line(_head(stmt) + " {", 0, pos.line, _when_end(stmt), weak=True)
        for flag_item in stmt.items:
            _flag_item(w, flag_item, 1)
        w.close(0, pos.end_line)
    elif isinstance(stmt, s.ReviewDecl):
        title = f" {word_text(stmt.title)}" if stmt.title is not None else ""
        w.line(f"review targets{title}{en_text(stmt.en)} {{", 0, pos.line, weak=True)
        for review_item in stmt.items:
            _review_item(w, review_item)
        w.close(0, pos.end_line)
    else:
        w.line(_head(stmt), 0, pos.line, pos.end_line)


def _grades_head(stmt: s.GradesDecl) -> str:
    """``grades`` or ``grades "名称" en "name"`` for an alternative set."""
    name = f" {word_text(stmt.name)}" if stmt.name is not None else ""
    return f"grades{name}{en_text(stmt.en)}"


def _grade(grade: s.GradeItem) -> str:
    text = word_text(grade.label)
    if grade.bound is not None:
        text += f" {OPS.get(grade.op or '>=', grade.op or '>=')} {grade.bound.text}"
    return text + en_text(grade.en)


def _when_end(stmt: s.FlagDecl) -> int:
    return stmt.when.pos.end_line


def _items(w: _Writer, items: Sequence[s.RuleItem | s.BudgetItem]) -> None:
    """A block's items; runs of clauses are aligned in columns (condition, result, label)."""
    run: list[s.Clause] = []
    for item in [*items, None]:
        if isinstance(item, s.Clause):
            run.append(item)
            continue
        _clauses(w, run)
        run = []
        if item is not None:
            _item(w, item)


def _clauses(w: _Writer, run: Sequence[s.Clause]) -> None:
    heads = ["otherwise" if c.when is None else f"when {expr(c.when)}" for c in run]
    bodies = [
        f"=> {result(c.result)}" + (f" as {c.outcome.text}" if c.outcome is not None else "")
        for c in run
    ]
    head_width = max((cell_len(h) for h in heads), default=0)
    labelled = [cell_len(b) for b, c in zip(bodies, run, strict=True) if c.label is not None]
    body_width = max((n for n in labelled if n <= LABEL_COLUMN), default=0)
    for head, body, c in zip(heads, bodies, run, strict=True):
        text = _pad(head, head_width) + " " + body
        if c.label is not None:
            text = _pad(text, head_width + 1 + body_width) + "  " + word_text(c.label)
        w.line(text + en_text(c.en), 1, c.pos.line, c.pos.end_line)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - cell_len(text), 0)


def _item(w: _Writer, item: s.RuleItem | s.BudgetItem) -> None:
    w.line(_item_text(item), 1, item.pos.line, item.pos.end_line)


def _item_text(item: s.RuleItem | s.BudgetItem) -> str:
    match item:
        case s.Clause():
            return clause(item)
        case s.BasisDecl():
            return f"basis {word_text(item.text)}{en_text(item.en)}"
        case s.NoteDecl():
            return f"note {word_text(item.text)}{en_text(item.en)}"
        case s.CapDecl():
            return "cap " + ("none" if item.expr is None else expr(item.expr))
        case s.FloorDecl():
            return "floor " + ("none" if item.expr is None else expr(item.expr))
        case s.DirectionDecl():
            return f"direction {item.value.text}"
        case s.FullAtDecl():
            return "full at " + ("none" if item.expr is None else expr(item.expr))
        case s.BudgetSetting():
            value = item.value.text if isinstance(item.value, s.Number) else word_text(item.value)
            return f"{item.key.text} {value}"
        case s.BudgetScore():
            return f"score = {expr(item.expr)}"
        case _:
            assert_never(item)


def _flag_item(w: _Writer, item: s.FlagItem, depth: int) -> None:
    match item:
        case s.FlagEn():
            text = f"en {word_text(item.text)}"
        case s.FlagSeverity():
            text = f"severity {item.level.text}"
        case s.BasisDecl():
            text = f"basis {word_text(item.text)}{en_text(item.en)}"
        case s.NoteDecl():
            text = f"note {word_text(item.text)}{en_text(item.en)}"
        case _:
            assert_never(item)
    w.line(text, depth, item.pos.line, item.pos.end_line)


def _review_item(w: _Writer, item: s.ReviewItem) -> None:
    match item:
        case s.BasisDecl():
            w.line(
                f"basis {word_text(item.text)}{en_text(item.en)}",
                1,
                item.pos.line,
                item.pos.end_line,
            )
        case s.NoteDecl():
            w.line(
                f"note {word_text(item.text)}{en_text(item.en)}",
                1,
                item.pos.line,
                item.pos.end_line,
            )
        case s.ReviewForms():
            w.line(f"forms {item.value.text}", 1, item.pos.line, item.pos.end_line)
        case s.ReviewOff():
            w.line(f"check {item.name.text} off", 1, item.pos.line, item.pos.end_line)
        case s.ReviewCheck():
            _review_check(w, item)
        case _:
            assert_never(item)


def _review_check(w: _Writer, item: s.ReviewCheck) -> None:
    """``check NAME ["标题"] [en "…"] [on PATHS] [KEY WORDS…]``, its word lists moved to lines of
    their own when the line would pass the width, then its body."""
    head = f"check {item.name.text}"
    if item.zh is not None:
        head += f" {word_text(item.zh)}"
    head += en_text(item.en)
    if item.scope is not None:
        head += " on " + selector_text(item.scope)
    lists = [
        f"{group.key.text} {', '.join(word_text(x) for x in group.words)}" for group in item.words
    ]
    one_line = " ".join([head, *lists])
    text = one_line
    if cell_len(INDENT + one_line) > WIDTH:
        lead = INDENT * 3
        wrapped = [
            _wrap(f"{lead}{g.key.text} ", [word_text(x) for x in g.words]) for g in item.words
        ]
        text = "\n".join([head, *wrapped])
    last = item.words[-1].pos.end_line if item.words else item.name.pos.line
    if not item.items:
        w.line(text, 1, item.pos.line, item.pos.end_line)
        return
    w.line(text + " {", 1, item.pos.line, last, weak=True)
    for check_item in item.items:
        _flag_item(w, check_item, 2)
    w.close(1, item.pos.end_line)
