"""A policy's tests file: its YAML read with every number as written (never a float), and
validated into cases (`load_tests`).

A tests file (kept beside the policy as ``<name>.tests.yaml``) names its policy and lists
cases. A case gives one indicator line (optionally with budget rows) or a whole form (a path or
inline), and says what the policy must give: score, outcome, rule, flags, budget score, total,
grade. Numbers are read from the YAML text as Decimals.
"""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from rules_engine.diagnostics import Diagnostic, UserError, define
from rules_engine.model import FormKind

CANNOT_READ = define(
    "E520",
    "无法读取用例文件 {path}：{detail}",
    "cannot read the tests file {path}: {detail}",
    "检查文件路径与编码（UTF-8）。",
    "check the path and that the file is UTF-8.",
)
BAD_YAML = define(
    "E521",
    "用例文件不是有效的 YAML：{detail}",
    "the tests file is not valid YAML: {detail}",
    "检查缩进与冒号（用半角冒号 `:`）。",
    "check the indentation and the colons (use an ASCII `:`).",
)
BAD_SHAPE = define(
    "E522",
    "用例文件格式有误：{field} {detail}",
    "the tests file has the wrong shape: {field} {detail}",
    "用例文件写 `policy:` 与 `cases:`；每个用例有 `name`、`line` 或 `form`、以及 `expect`。",
    "a tests file has `policy:` and `cases:`; "
    "each case has `name`, `line` or `form`, and `expect`.",
)
NO_POLICY = define(
    "E523",
    "用例文件所指的规则文件不存在：{path}",
    "the policy the tests file names does not exist: {path}",
    "`policy:` 写相对于用例文件的路径，例如 `national-2020.policy`。",
    "`policy:` is a path relative to the tests file, e.g. `national-2020.policy`.",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GivenLine(_Strict):
    """One indicator line as a form prints it (every cell a string)."""

    level1: str | None = None
    level2: str | None = None
    name: str | None = None
    target: str | None = None
    actual: str | None = None
    weight: str | None = None
    score: str | None = None
    note: str | None = None


class GivenBudget(_Strict):
    """One row of the funding block."""

    name: str | None = None
    initial: str | None = None
    adjusted: str | None = None
    executed: str | None = None
    weight: str | None = None
    rate: str | None = None
    score: str | None = None


class LineExpect(_Strict):
    """What one line must come out as; only the fields written are compared."""

    score: Decimal | None = None
    outcome: str | None = None
    rule: str | None = None
    flags: list[str] | None = None
    flags_include: list[str] | None = None

    @field_validator("score", mode="before")
    @classmethod
    def _decimal(cls, value: object) -> object:
        return _to_decimal(value)


class Expect(LineExpect):
    """What a case must come out as: its line (in a line case), budget, total, grade, form flags."""

    budget: Decimal | None = None
    total: Decimal | None = None
    grade: str | None = None
    # The grade under each alternative grade set, by the set's name.
    alt_grades: dict[str, str | None] | None = None
    form_flags: list[str] | None = None
    lines: dict[int, LineExpect] = Field(default_factory=dict)

    @field_validator("budget", "total", mode="before")
    @classmethod
    def _decimals(cls, value: object) -> object:
        return _to_decimal(value)


class Case(_Strict):
    """One example: given a line or a form, expect a result."""

    name: str
    line: GivenLine | None = None
    budget: list[GivenBudget] | None = None
    form: str | dict[str, Any] | None = None
    # The kind of form a `line` case is on (the policy's own kind when not given).
    kind: FormKind | None = None
    expect: Expect
    at: int = 0  # the case's line in the tests file, for messages

    @model_validator(mode="after")
    def _one_input(self) -> Case:
        given = [x for x in (self.line, self.form) if x is not None]
        if len(given) > 1:
            raise ValueError("a case gives either `line` or `form`, not both")
        if not given and self.budget is None:
            raise ValueError("a case gives `line`, `form` or `budget`")
        return self


class TestFile(_Strict):
    """A parsed tests file: the policy it is about and its cases."""

    policy: str
    cases: list[Case]
    path: str = ""

    def policy_path(self) -> Path:
        """The policy file, relative to the tests file's folder (kept relative for messages)."""
        return Path(os.path.normpath(Path(self.path).parent / self.policy))


def _to_decimal(value: object) -> object:
    if value is None or isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise ValueError("expected a number")
    if isinstance(value, (int, str)):
        try:
            return Decimal(str(value).strip().rstrip("分"))
        except InvalidOperation:
            raise ValueError(f"not a number: {value!r}") from None
    raise ValueError("expected a number")


class _Loader(yaml.SafeLoader):
    """YAML without floats: every number stays the text it was written as."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return str(loader.construct_scalar(node))  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:float", _as_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _as_text)


def load_tests(path: str | Path) -> TestFile:
    """Read and validate a tests file; any problem is a located UserError (exit 2)."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError.one(CANNOT_READ, 2, path=file, detail=str(exc)) from None
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        col = mark.column + 1 if mark is not None else None
        detail = getattr(exc, "problem", None) or str(exc)
        raise UserError.one(BAD_YAML, 2, file=file, line=line, col=col, detail=detail) from None
    if not isinstance(data, dict):
        raise UserError.one(BAD_SHAPE, 2, file=file, line=1, field="", detail="expected a mapping")
    lines = _case_lines(node)
    cases = data.get("cases")
    if isinstance(cases, list):
        for i, case in enumerate(cases):
            if isinstance(case, dict) and i < len(lines):
                case["at"] = lines[i]
    try:
        return TestFile.model_validate({**data, "path": file})
    except ValidationError as exc:
        diags = []
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            line = None
            if (
                len(loc) >= 2
                and loc[0] == "cases"
                and loc[1].isdigit()
                and int(loc[1]) < len(lines)
            ):
                line = lines[int(loc[1])]
            diags.append(
                Diagnostic(
                    code=BAD_SHAPE,
                    args={"field": ".".join(loc) + ":", "detail": err["msg"]},
                    file=file,
                    line=line,
                )
            )
        raise UserError(diags, 2) from None


def _case_lines(node: yaml.Node | None) -> list[int]:
    """1-based line of each case in the file (from the YAML node marks)."""
    if not isinstance(node, yaml.MappingNode):
        return []
    for key, value in node.value:
        if getattr(key, "value", None) == "cases" and isinstance(value, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value.value]
    return []
