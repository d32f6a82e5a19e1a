"""How many grades each trend round counted as recorded and as computed, in words
(the terminal, HTML and Excel say the same)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.trend import RoundGradesUsed


def round_grades_text(r: RoundGradesUsed) -> str:
    """'2014: 563 recorded by the auditor, 0 suggested by the framework's rules'."""
    return (
        f"{r.round}: {r.recorded:,} recorded by the auditor, "
        f"{r.computed:,} suggested by the framework's rules"
    )


def grades_by_round_text(rows: Sequence[RoundGradesUsed]) -> str | None:
    """One sentence over every round; None when the report has no rounds to tell."""
    if not rows:
        return None
    return "Grades counted, by round: " + "; ".join(round_grades_text(r) for r in rows) + "."
