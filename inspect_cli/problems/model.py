"""What a problem is: a type (code, title, severity, message template) and a located
problem made from it.

Modelled on frictionless-py's errors: every problem type has a stable code (part
of the JSON contract of ``validate --format json``), a title and a message
template; each problem carries where it is (file, sheet, Excel row, column).
Loading collects every problem before anything is reported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

Severity = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class ProblemType:
    code: str
    title: str
    severity: Severity
    template: str

    def at(
        self,
        file: str | None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        header: str | None = None,
        **params: Any,
    ) -> Problem:
        return Problem(
            code=self.code,
            severity=self.severity,
            message=self.template.format(row=row, column=column, header=header, **params),
            file=file,
            sheet=sheet,
            row=row,
            column=column,
            header=header,
        )


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    header: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        """'cases.xlsx, sheet Cases, row 7, column F (Suspect interviewed promptly)'."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            col = f"column {self.column}"
            if self.header:
                col += f" ({self.header})"
            parts.append(col)
        elif self.header:
            parts.append(f"column {self.header!r}")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


LEFT_BLANK = "; left blank in the sample"
"""Added to a bad value's message in a case list column other than the keys."""


def left_blank(problem: Problem) -> Problem:
    """A bad value in a case list's extra column: a warning, as the draw needs only the keys.

    The code stays the cell's own (``type-error``, ``excel-error``...): what is wrong
    with the cell is the same; only what happens to it differs.
    """
    return replace(problem, severity="warning", message=problem.message + LEFT_BLANK)


def worth_listing(problems: Iterable[Problem]) -> list[Problem]:
    """What a command lists before its result: errors and warnings. Notes (a file
    skipped, a value read one way) are listed by ``validate``, which shows everything."""
    return [p for p in problems if p.severity != "note"]
