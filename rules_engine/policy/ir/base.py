"""The ground the compiled policy stands on: its base node, source locations, the small closed
vocabularies (outcomes, operators, scopes) and the names an expression may use."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Outcome = Literal["met", "partial", "missed", "review"]
CompareOp = Literal[">=", ">", "<=", "<", "=", "!="]
Scope = Literal["line", "budget", "form"]
Severity = Literal["info", "warning", "error"]
Direction = Literal["up", "down", "none"]

# Variables each scope may name in expressions; the compiler rejects any other name.
VARIABLES: dict[Scope, frozenset[str]] = {
    "line": frozenset({"actual", "target", "low", "high", "weight", "self_score", "score"}),
    "budget": frozenset(
        {
            "executed",
            "adjusted",
            "initial",
            "budget",
            "rate",
            "weight",
            "self_score",
            "reported_rate",
            "score",
        }
    ),
    "form": frozenset(
        {
            "indicator_score",
            "indicator_weight",
            "indicator_rate",
            "budget_score",
            "budget_weight",
            "execution_rate",
            "total",
            "self_total",
            "weight_total",
        }
    ),
}

# Functions an expression may call (all pure, Decimal in, Decimal out).
FUNCTIONS: dict[str, tuple[int, int]] = {
    "min": (2, 99),  # smallest argument
    "max": (2, 99),  # largest argument
    "abs": (1, 1),
    "floor": (1, 1),  # round towards -infinity to an integer (whole points only)
    "ceil": (1, 1),  # round towards +infinity to an integer
}


class Node(BaseModel):
    """A node of the compiled policy: frozen, no unknown fields, its schema built on first use.

    Forward references between node types (an expression inside a condition inside a rule) are
    resolved then too, so a policy loaded from its snapshot never builds a schema at all.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Loc(Node):
    """A place in a policy file: `file` as a user would type it, 1-based `line` and `col`.

    Shipped policies are cited as ``policies/<name>.policy``; other files by the path given
    on the command line.
    """

    file: str
    line: int
    col: int

    def cite(self) -> str:
        """``file:line``, the form explanations and JSON ``source`` fields use."""
        return f"{self.file}:{self.line}"

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"
