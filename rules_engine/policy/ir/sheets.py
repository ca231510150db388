"""Whole-sheet settings of the compiled policy (which forms it scores, lines not applicable,
rescaling, adding up recipients) and its target review (绩效目标审核)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from rules_engine.model import FormKind
from rules_engine.policy.ir.base import Loc, Node, Severity
from rules_engine.policy.ir.dispatch import PathPattern

# ---------------------------------------------------------------------------------------------
# Target review (绩效目标审核)

ReviewCheckName = Literal[
    "not_quantified",
    "number_in_name",
    "direction_word",
    "duplicate",
    "missing_group",
    "below_department",
    "quantified_share",
]
ReviewForms = Literal["targets_only", "all"]


class ReviewCheck(Node):
    """One check of the target review (``check NAME …``); each finding it makes is a flag with
    the code ``target_`` + `name`, the policy's heading (`zh` / `en`, or the engine's words when
    ``None``), `severity`, and a citation of `loc`.

    * ``not_quantified`` (line): the target is empty, unreadable or a word no `TermPredicate`
      gives a numeric meaning (a comparison, range, date or 正增长-like word is quantified);
    * ``number_in_name`` (line): the indicator's name holds an amount with a unit (``举办培训班
      2-3次``) while its target is not quantified; when another line of the same name stands in
      a 数量 group, only that line carries it;
    * ``direction_word`` (line): the target contains a word of `up` or `down` (增加, 下降) and is
      not quantified, or is quantified only through a `TermPredicate`;
    * ``duplicate`` (line, on the later line): another line has the same name (after its
      ``指标N：`` prefix) and either the same target or the same 二级 group;
    * ``missing_group`` (form): a group of `require` names neither a 一级 nor a 二级 category
      of any line (category names compared after their annotations; a required ``成本指标``
      matches ``经济成本指标``, since a group's name may carry a qualifier before it);
    * ``below_department`` (line, on the project's line): in a document holding a project
      table and a department table (部门/单位整体), a project target below the department's
      target for the same indicator (the department's amount may stand in its name); matched
      only on the same unit and a clear name match, and said to be uncertain when the names
      are only close;
    * ``quantified_share`` (form): how many targets are quantified, of how many.

    `scope` (category paths as in `PathPattern`) limits the lines a line check reads; empty:
    every line.
    """

    name: ReviewCheckName
    zh: str | None = None
    en: str | None = None
    scope: tuple[PathPattern, ...] = ()
    require: tuple[str, ...] = ()
    up: tuple[str, ...] = ()
    down: tuple[str, ...] = ()
    severity: Severity = "warning"
    basis: str | None = None
    note: str | None = None
    loc: Loc

    @property
    def code(self) -> str:
        """The code of the flags this check raises (``target_duplicate``)."""
        return f"target_{self.name}"


class TargetReview(Node):
    """``review targets { … }``: the 绩效目标审核 a policy asks for.

    `forms`: ``targets_only`` reviews the targets of targets-only forms (绩效目标表); ``all`` the
    target column of every form. ``below_department`` reads every form of a document whatever
    `forms` says, since it compares a project's table with its department's. `checks` run in
    this order; a line is told about its target's quantification once, by the most specific
    check that holds (``number_in_name``, then ``direction_word``, then ``not_quantified``).
    """

    title: str | None = None
    forms: ReviewForms = "targets_only"
    checks: tuple[ReviewCheck, ...] = ()
    basis: str | None = None
    note: str | None = None
    loc: Loc


# ---------------------------------------------------------------------------------------------
# Whole sheets

# How a policy names the kinds of form (DESIGN §5 `kind`) in ``forms``: Chinese or English.
FORM_KIND_NAMES: dict[str, FormKind] = {
    "项目支出": "project-self-evaluation",
    "project": "project-self-evaluation",
    "部门整体支出": "department-self-evaluation",
    "department": "department-self-evaluation",
    "转移支付": "transfer-self-evaluation",
    "transfer": "transfer-self-evaluation",
    "目标表": "targets-only",
    "targets": "targets-only",
}

# The kinds of form a policy scores when it does not say (``forms``): the project templates.
DEFAULT_KINDS: tuple[FormKind, ...] = ("project-self-evaluation", "transfer-self-evaluation")


class FormScope(Node):
    """``forms 部门整体支出 [about "禁捕"]``: the kinds of form the policy scores (a form of
    another kind is refused, never scored with rules written for other sheets); `about`: words a
    form's title, project or unit must name for the policy to be chosen without ``--policy``."""

    kinds: tuple[FormKind, ...]
    about: tuple[str, ...] = ()
    loc: Loc


class NotApplicable(Node):
    """``not_applicable "不适用", "/"``: a line whose actual (or, with the actual empty, its
    target) is written as one of `words` is not applicable to the unit: it gets no score and
    its weight leaves the applicable weight. Compared after `normalize_term`."""

    words: tuple[str, ...]
    loc: Loc


class Rescale(Node):
    """``rescale to 100``: the total is the points earned over the applicable weight, times
    `to` (``81 / 90 × 100 = 90``)."""

    to: Decimal
    loc: Loc


class Aggregate(Node):
    """``aggregate recipients by adjusted``: the forms of one project filed by several fund
    recipients are added up into one form before scoring: a figure with a unit is summed, a
    percentage is averaged weighted by each recipient's funds (`funds`: its 全年预算数, 全年执行数
    or 年初预算数), a word is kept when every recipient writes the same tier."""

    funds: Literal["adjusted", "executed", "initial"]
    loc: Loc
