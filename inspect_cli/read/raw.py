"""What the reader hands on: raw sheets of cell text, the file they came from, the safety
limits, and the failure raised when a file cannot be read at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from inspect_cli.problems import Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)
SUPPORTED_SUFFIXES = EXCEL_SUFFIXES + CSV_SUFFIXES
OUTPUT_MARKER = "inspect-cli output"
"""Cell A1 of the 'Provenance' sheet of every workbook this tool writes."""


@dataclass(frozen=True)
class Limits:
    """Safety limits checked before parsing. Defaults fit a national archive."""

    max_rows: int = 1_048_576
    max_columns: int = 1_000
    max_cells: int = 60_000_000
    max_member_mb: int = 1_024
    max_total_mb: int = 2_048
    max_ratio: int = 100
    max_sheets: int = 300


@dataclass
class RawSheet:
    """One sheet's cells, column by column, as Arrow text arrays (no Python object per cell).

    ``columns[j]`` is sheet column j (A is 0) and holds ``n_rows`` cells; cell i is Excel
    row i + 1. A blank cell is null (or '' in a CSV). Every cell arrives as text, the
    way the xlsx reader writes it: numbers as ``3`` or ``2.5``, dates as
    ``2014-03-01 00:00:00``, booleans as ``true``/``false``. Every consumer reads cells as
    text (a date or age is parsed from its text), so nothing is lost that the checks use.
    """

    name: str
    columns: list[Any] = field(default_factory=list)
    """pyarrow string arrays, one per column from A."""
    n_rows: int = 0
    hidden: bool = False
    error_cells: dict[tuple[int, int], str] = field(default_factory=dict)
    """(row, col) 0-based → Excel error text such as '#N/A'."""
    formula_cells: dict[tuple[int, int], bool] = field(default_factory=dict)
    """(row, col) 0-based → whether the formula has a calculated (cached) value."""
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    """Merged ranges as (first_row, first_col, last_row, last_col), 0-based inclusive."""
    hidden_rows: list[int] = field(default_factory=list)
    """Rows (0-based) hidden in Excel, by hand or by a filter."""
    record_lengths: list[int] | None = None
    """CSV only: how many fields each record has (a ragged record is a problem)."""

    def head(self, n: int) -> list[list[Any]]:
        """The first ``n`` rows as lists of cells (a CSV record keeps its own length)."""
        n = min(n, self.n_rows)
        cells = [column.slice(0, n).to_pylist() for column in self.columns]
        rows = [list(row) for row in zip(*cells, strict=True)] if cells else [[]] * n
        if self.record_lengths is not None:
            rows = [row[:length] for row, length in zip(rows, self.record_lengths, strict=False)]
        return rows

    @property
    def rows(self) -> list[list[Any]]:
        """Every row as lists of cells: convenient for small sheets, costly for large ones."""
        return self.head(self.n_rows)

    def row(self, i: int) -> list[Any]:
        """Row ``i`` (0-based) as a list of cells."""
        cells = [column[i].as_py() for column in self.columns]
        if self.record_lengths is not None:
            cells = cells[: self.record_lengths[i]]
        return cells


@dataclass
class RawFile:
    path: Path
    sha256: str
    size: int
    sheets: list[RawSheet] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)


class ReadFailure(Exception):
    """The file cannot be read at all; ``problem`` says why, for people."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def column_letter(index: int) -> str:
    """0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """'A' → 0, 'AA' → 26."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1
