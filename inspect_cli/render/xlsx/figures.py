"""Figures that do not exist, in internal report workbooks: the published layout's
'[x]' shorthand and its wording (:mod:`inspect_cli.render.xlsx.published`), as a kit
:class:`~inspect_cli.render.xlsx.kit.Marker`, so a numeric column holds only numbers,
'c' and '[x]', never text such as "Not recorded".
"""

from __future__ import annotations

from collections.abc import Sequence

from inspect_cli.render.xlsx.kit import GRADE_HEADER, Cell, Marker, grade_cells
from inspect_cli.render.xlsx.published import NOT_AVAILABLE, SHORTHAND
from inspect_cli.reports.common import GradeRow

NOT_RECORDED = Marker(NOT_AVAILABLE.symbol)
NOT_RECORDED_NOTE = SHORTHAND[NOT_AVAILABLE.symbol]


def recorded_cells(row: GradeRow) -> list[Cell]:
    """The nine figure cells of a grade row (``GRADE_HEADER``): '[x]' in each when the
    row has no recorded case assessments."""
    if not row.recorded:
        return [NOT_RECORDED] * len(GRADE_HEADER)
    return grade_cells(row)


def missing_note(rows: Sequence[GradeRow], note: str = NOT_RECORDED_NOTE) -> list[str]:
    """The note explaining '[x]', when a row shows it."""
    return [note] if any(not r.recorded for r in rows) else []
