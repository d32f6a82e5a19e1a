"""Totals rows: a row at the foot of the cases that sums or labels them ("Total" in the
case-reference or force column, or numbers under the indicators and no case). Read as
a case it would give three unrelated errors; it is named once instead, and left out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from inspect_cli.load.headers import Column
from inspect_cli.load.values import as_text, is_blank
from inspect_cli.read import RawSheet

TOTAL_WORDS = frozenset(
    {"total", "totals", "grand total", "sub-total", "subtotal", "sum", "average", "mean", "count"}
)
MOST_TOTALS_ROWS = 3
"""Rows checked from the foot up: 'Total', 'Average', 'Count' are the most seen together."""


def totals_rows(
    raw: RawSheet, data: Sequence[int], columns: Sequence[Column]
) -> list[tuple[int, str]]:
    """The totals rows at the foot of ``data`` (Excel rows of the non-blank rows below
    the header), bottom first: (Excel row, why it looks like one). Only the last few
    rows are read, so the cost does not grow with the sheet."""
    by_field = {c.field_id: c for c in columns}
    labels = [by_field[f] for f in ("case_ref", "force") if f in by_field]
    if not any(c.index == 0 for c in labels):  # a label in column A, whatever its header
        labels.append(Column(0, "A", "", ""))
    indicators = [c for c in columns if "." in c.field_id]
    found: list[tuple[int, str]] = []
    for excel_row in reversed(data[-MOST_TOTALS_ROWS:]):
        why = _why(raw.row(excel_row - 1), labels, indicators)
        if why is None:
            break
        found.append((excel_row, why))
    return found


def _why(values: list[Any], labels: list[Column], indicators: list[Column]) -> str | None:
    def cell(col: Column) -> Any:
        return values[col.index] if col.index < len(values) else None

    for col in labels:
        text = as_text(cell(col))
        if _is_total_word(text):
            named = f" ({col.header})" if col.header else ""
            return f"{text!r} in column {col.letter}{named}"
    if any(not is_blank(cell(c)) for c in labels if c.field_id):
        return None
    numbers = [c for c in indicators if _is_number(cell(c))]
    filled = [c for c in indicators if not is_blank(cell(c))]
    if len(numbers) >= 2 and len(numbers) == len(filled):
        return (
            f"no case reference or force, and numbers under {len(numbers)} indicator "
            f"columns (from column {numbers[0].letter}) where answers belong"
        )
    return None


def _is_total_word(text: str) -> bool:
    word = " ".join(text.casefold().rstrip(":").split())
    return word in TOTAL_WORDS or word.startswith("total ")


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    try:
        float(str(value).strip().rstrip("%"))
    except ValueError:
        return False
    return not is_blank(value)
