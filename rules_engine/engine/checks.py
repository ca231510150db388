"""A ``check`` of the policy's target review, ready to run; the review and the department
comparison both raise their findings through it."""

from __future__ import annotations

from dataclasses import dataclass

from rules_engine.engine.plan import PathTest
from rules_engine.policy import model as m
from rules_engine.scorecard import Flag, Phrase


@dataclass(frozen=True, slots=True)
class Check:
    """A ``check`` of the policy, ready to run: its scope test and the flag it raises."""

    check: m.ReviewCheck
    scope: PathTest | None
    source: str

    def flag(self, detail: Phrase) -> Flag:
        """The finding, citing the check's line, in the policy's words when it gives them."""
        check = self.check
        text = None if check.zh is None else (check.zh, check.en or check.zh)
        return Flag(check.code, {"detail": detail}, check.severity, self.source, text)
