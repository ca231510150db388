"""What a verification run reports: each broken property with its counterexample lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from rules_engine.model import IndicatorLine
from rules_engine.scorecard import FormResult, LineResult


@dataclass
class Finding:
    """One broken property with its shrunk counterexample and the results that show it.

    `where` cites the policy clause concerned (``policies/x.policy:12``): the clause that gave
    the wrong score, or the rule or apply line the property is about.
    """

    prop: str
    zh: str
    en: str
    lines: list[IndicatorLine] = field(default_factory=list)
    results: list[LineResult] = field(default_factory=list)
    form: FormResult | None = None
    where: str | None = None


@dataclass
class Report:
    """What a verification run found and how much it tried.

    `unchecked` names the rules whose declared promises could not be tried, with why (no
    declaration, no generated line reaches them), in both languages.
    """

    policy: str
    seed: int
    max_examples: int
    findings: list[Finding] = field(default_factory=list)
    properties: list[str] = field(default_factory=list)
    unchecked: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0
