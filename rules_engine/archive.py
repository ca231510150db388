"""The results archive: scored forms kept in SQLite (tables runs, forms, lines, flags), each row
stamped with the form file's sha256, the policy's name and sha256 and the tool version.

A form file scored again under the same policy replaces its rows. Figures are stored as decimal
text, never as floating point. Each form also keeps its whole result as JSON (every field, see
`scorecard_json`), so `report` builds every output again, in either language, as `score` did.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from rules_engine import scorecard_json
from rules_engine.diagnostics import UserError, define
from rules_engine.render.flags import flag_text
from rules_engine.render.rows import ScoredFile, flag_count
from rules_engine.scorecard import Flag, FormResult, PolicyInfo, Scorecard
from rules_engine.values import plain

CANNOT_OPEN = define(
    "E466",
    "无法打开结果库 {path}：{reason}",
    "cannot open the results archive {path}: {reason}",
    "结果库是 `score --db` 写出的 SQLite 文件；检查路径，或换一个新文件名让 score 新建。",
    "the archive is the SQLite file `score --db` writes; check the path, or name a new file"
    " for score to create.",
)
OLD_ROWS = define(
    "E467",
    "结果库 {path} 中 {file} 的记录由 rules-engine {version} 写出，本版本读不了：{detail}",
    "the archive {path} holds {file} as written by rules-engine {version}, which this version"
    " cannot read: {detail}",
    "用本版本对这些表重新运行 `score --db`，新记录会替换旧记录。",
    "run `score --db` again over those forms with this version: the new rows replace the old.",
)
NOTHING_FOUND = define(
    "E468",
    "结果库 {path} 中没有符合条件的表{wanted}",
    "the archive {path} holds no form{wanted_en}",
    "去掉或放宽 --year、--unit 条件；`score --db` 写入的表才在结果库中。",
    "drop or widen --year and --unit; only forms scored with `score --db` are in the archive.",
)

# The layout of the tables; `PRAGMA user_version` says which one a file holds.
SCHEMA_VERSION = 1
_STAMP = """
    file_sha256 TEXT NOT NULL,
    policy_name TEXT NOT NULL,
    policy_sha256 TEXT NOT NULL,
    tool_version TEXT NOT NULL"""
_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT,
    tool_version TEXT NOT NULL,
    inputs TEXT NOT NULL,
    files INTEGER NOT NULL DEFAULT 0,
    forms INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS forms (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    file TEXT NOT NULL,
    path TEXT NOT NULL,
    form_no INTEGER NOT NULL,
    kind TEXT NOT NULL,
    title TEXT,
    project TEXT,
    department TEXT,
    unit TEXT,
    year INTEGER,
    final INTEGER NOT NULL,
    score TEXT,
    low TEXT,
    high TEXT,
    grade TEXT,
    self_score TEXT,
    self_grade TEXT,
    delta TEXT,
    pending INTEGER NOT NULL,
    flags INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    result TEXT NOT NULL,
    policy TEXT NOT NULL,
    notes TEXT NOT NULL,{_STAMP},
    UNIQUE (file_sha256, policy_name, policy_sha256, form_no)
);
CREATE TABLE IF NOT EXISTS lines (
    form_id INTEGER NOT NULL REFERENCES forms(id),
    form_no INTEGER NOT NULL,
    line INTEGER NOT NULL,
    level1 TEXT,
    level2 TEXT,
    name TEXT,
    target TEXT,
    actual TEXT,
    weight TEXT,
    rule TEXT,
    source TEXT,
    outcome TEXT NOT NULL,
    score TEXT,
    self_score TEXT,
    delta TEXT,
    note TEXT,{_STAMP}
);
CREATE TABLE IF NOT EXISTS flags (
    form_id INTEGER NOT NULL REFERENCES forms(id),
    form_no INTEGER NOT NULL,
    line INTEGER,
    scope TEXT NOT NULL,
    code TEXT NOT NULL,
    severity TEXT NOT NULL,
    message_zh TEXT NOT NULL,
    message_en TEXT NOT NULL,
    source TEXT,{_STAMP}
);
CREATE INDEX IF NOT EXISTS forms_by_year ON forms (year);
CREATE INDEX IF NOT EXISTS lines_by_form ON lines (form_id);
CREATE INDEX IF NOT EXISTS flags_by_form ON flags (form_id);
"""


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def _connect(path: str, read_only: bool) -> sqlite3.Connection:
    try:
        if read_only:
            if not Path(path).is_file():
                raise sqlite3.OperationalError("no such file")
            uri = Path(path).resolve().as_uri() + "?mode=ro"
            db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=30)
        else:
            db = sqlite3.connect(path, isolation_level=None, timeout=30)
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise sqlite3.DatabaseError(f"schema version {version}, expected {SCHEMA_VERSION}")
        if not read_only:
            db.executescript(_SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except sqlite3.Error as exc:
        raise UserError.one(CANNOT_OPEN, 2, path=path, reason=str(exc)) from exc
    return db


class Archive:
    """An open archive being written by one run."""

    def __init__(self, path: str, version: str, started: datetime, inputs: Sequence[str]) -> None:
        self.path = path
        self._version = version
        self._db = _connect(path, read_only=False)
        self._files = self._forms = 0
        cursor = self._db.execute(
            "INSERT INTO runs (started, tool_version, inputs) VALUES (?, ?, ?)",
            (started.isoformat(timespec="seconds"), version, json.dumps(list(inputs))),
        )
        self._run = cursor.lastrowid

    def add(self, item: ScoredFile) -> None:
        """Store one scored file, replacing what an earlier run stored for it under its policy."""
        policy = item.card.policy
        key = (item.sha256, policy.name, policy.sha256)
        stamp = (*key, self._version)
        policy_json = scorecard_json.dumps(policy)
        notes_json = json.dumps(item.notes, ensure_ascii=False, sort_keys=True)
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            where = "file_sha256 = ? AND policy_name = ? AND policy_sha256 = ?"
            for table in ("lines", "flags"):
                db.execute(
                    f"DELETE FROM {table} WHERE form_id IN (SELECT id FROM forms WHERE {where})",
                    key,
                )
            db.execute(f"DELETE FROM forms WHERE {where}", key)
            for form_no, result in enumerate(item.card.forms, start=1):
                self._add_form(
                    item,
                    form_no=form_no,
                    result=result,
                    stamp=stamp,
                    policy_json=policy_json,
                    notes_json=notes_json,
                )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        self._files += 1
        self._forms += len(item.card.forms)

    def _add_form(
        self,
        item: ScoredFile,
        *,
        form_no: int,
        result: FormResult,
        stamp: tuple[str, str, str, str],
        policy_json: str,
        notes_json: str,
    ) -> None:
        form, total = result.form, result.total
        glossary = item.card.policy.english
        cursor = self._db.execute(
            "INSERT INTO forms (run_id, file, path, form_no, kind, title, project, department,"
            " unit, year, final, score, low, high, grade, self_score, self_grade, delta, pending,"
            " flags, warnings, result, policy, notes, file_sha256, policy_name, policy_sha256,"
            " tool_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " ?, ?, ?, ?, ?, ?, ?)",
            (
                self._run,
                item.shown,
                item.path,
                form_no,
                form.kind,
                form.title,
                form.project,
                form.department,
                form.unit,
                form.year,
                int(total.final),
                _dec(total.score),
                _dec(total.low),
                _dec(total.high),
                total.grade,
                _dec(total.self_score),
                total.self_grade,
                _dec(total.delta),
                total.pending,
                flag_count(result),
                len(form.warnings),
                scorecard_json.dumps(result),
                policy_json,
                notes_json,
                *stamp,
            ),
        )
        form_id = cursor.lastrowid
        self._db.executemany(
            "INSERT INTO lines (form_id, form_no, line, level1, level2, name, target, actual,"
            " weight, rule, source, outcome, score, self_score, delta, note, file_sha256,"
            " policy_name, policy_sha256, tool_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    form_id,
                    form_no,
                    line.index,
                    line.level1,
                    line.level2,
                    line.name,
                    line.target,
                    line.actual,
                    _dec(line.weight),
                    line.rule,
                    line.source,
                    line.outcome,
                    _dec(line.score),
                    _dec(line.self_score),
                    _dec(line.delta),
                    line.note,
                    *stamp,
                )
                for line in result.lines
            ],
        )
        flags: list[tuple[int | None, str, Flag]] = [
            (line.index, "line", flag) for line in result.lines for flag in line.flags
        ]
        flags += [(None, "form", flag) for flag in result.flags]
        if result.budget is not None:
            flags += [(None, "budget", flag) for flag in result.budget.flags]
        self._db.executemany(
            "INSERT INTO flags (form_id, form_no, line, scope, code, severity, message_zh,"
            " message_en, source, file_sha256, policy_name, policy_sha256, tool_version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    form_id,
                    form_no,
                    line,
                    scope,
                    f.code,
                    f.severity,
                    flag_text(f, "zh", glossary),
                    flag_text(f, "en", glossary),
                    f.source,
                    *stamp,
                )
                for line, scope, f in flags
            ],
        )

    def finish(self, failed: int, finished: datetime) -> None:
        """Record how the run ended and close the archive."""
        self._db.execute(
            "UPDATE runs SET finished = ?, files = ?, forms = ?, failed = ? WHERE id = ?",
            (finished.isoformat(timespec="seconds"), self._files, self._forms, failed, self._run),
        )
        self._db.close()

    def close(self) -> None:
        """Close without recording an end (the run was interrupted)."""
        self._db.close()


def load(path: str, years: Sequence[int] = (), unit: str | None = None) -> Iterator[ScoredFile]:
    """The archived files (optionally only `years`, and only forms whose unit, department or
    project names `unit`), each with its forms in order, by file name. Reading writes nothing."""
    db = _connect(path, read_only=True)
    try:
        where, args = ["1 = 1"], []
        if years:
            where.append(f"year IN ({', '.join('?' for _ in years)})")
            args += [str(y) for y in years]
        if unit:
            where.append(
                "(instr(unit, ?) > 0 OR instr(department, ?) > 0 OR instr(project, ?) > 0)"
            )
            args += [unit, unit, unit]
        try:
            rows = db.execute(
                "SELECT file, path, file_sha256, policy_name, policy_sha256, tool_version, policy,"
                " notes, result FROM forms WHERE " + " AND ".join(where) + " ORDER BY file,"
                " file_sha256, policy_name, policy_sha256, form_no",
                args,
            ).fetchall()
        except sqlite3.Error as exc:
            raise UserError.one(CANNOT_OPEN, 2, path=path, reason=str(exc)) from exc
    finally:
        db.close()
    if not rows:
        wanted = _wanted(years, unit)
        raise UserError.one(NOTHING_FOUND, 2, path=path, wanted=wanted[0], wanted_en=wanted[1])
    group: list[tuple[str, ...]] = []
    for row in rows:
        if group and tuple(group[0][2:5]) != tuple(row[2:5]):
            yield _item(path, group)
            group = []
        group.append(row)
    yield _item(path, group)


def _wanted(years: Sequence[int], unit: str | None) -> tuple[str, str]:
    zh, en = [], []
    if years:
        zh.append("年度 " + "、".join(str(y) for y in years))
        en.append("of " + ", ".join(str(y) for y in years))
    if unit:
        zh.append(f"单位或项目含「{unit}」")
        en.append(f"naming '{unit}'")
    return (f"（{'，'.join(zh)}）" if zh else ""), (" " + " ".join(en) if en else "")


def _item(path: str, group: list[tuple[str, ...]]) -> ScoredFile:
    """One archived file's rows back as a scored file."""
    shown, read_from, sha, _name, _sha, version, policy, notes, _ = group[0]
    try:
        info = scorecard_json.loads(PolicyInfo, policy)
        forms = tuple(scorecard_json.loads(FormResult, row[8]) for row in group)
        rule_notes = {k: (v[0], v[1]) for k, v in json.loads(notes).items()}
    except (ValidationError, ValueError, TypeError, IndexError) as exc:
        detail = str(exc).splitlines()[0]
        raise UserError.one(
            OLD_ROWS, 2, path=path, file=shown, version=version, detail=detail
        ) from exc
    return ScoredFile(read_from, shown, sha, Scorecard(policy=info, forms=forms), rule_notes)
