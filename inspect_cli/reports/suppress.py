"""Small-number suppression for one table of counts (``--publish``).

Primary suppression hides every count from 1 to ``threshold - 1`` (a zero is not a
child, so zeros stay); secondary suppression hides further cells and totals until no
hidden count can be worked out from what is shown, and each small one could be any
of at least ``threshold`` values. A table is one disclosure model
(:mod:`inspect_cli.reports.disclosure`); whole reports are modelled the same way.
This is the row-and-column rule of UK official statistics (e.g. DfE "Children in
need": small counts shown as 'c', with secondary suppression).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

DEFAULT_THRESHOLD = 5
SYMBOL = "c"

BoolArray = npt.NDArray[np.bool_]
IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Suppression:
    cells: BoolArray  # same shape as the table
    row_totals: BoolArray  # one per row: its total is hidden
    column_totals: BoolArray  # one per column
    grand_total: bool = False  # the total of the whole table is hidden

    @property
    def any(self) -> bool:
        return bool(self.cells.any() or self.row_totals.any() or self.column_totals.any())


def primary(values: npt.ArrayLike, threshold: int) -> BoolArray:
    """Counts from 1 up to (not including) the threshold."""
    array = np.asarray(values)
    return (array > 0) & (array < threshold)


def suppress(
    counts: npt.ArrayLike,
    threshold: int = DEFAULT_THRESHOLD,
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> Suppression:
    """Which cells and totals of a table of counts to hide.

    ``row_totals`` / ``column_totals`` say whether the table shows each row's and
    each column's total (and then the grand total); only what is shown can give a
    hidden cell away. The table is one :class:`~inspect_cli.reports.disclosure.Model`
    and :func:`~inspect_cli.reports.disclosure.protect` chooses, as for whole reports.
    """
    from inspect_cli.reports.disclosure import HEADLINE, TOTAL, Model, protect

    table = np.asarray(counts, dtype=np.int64)
    if table.ndim != 2 or table.size == 0:
        empty = np.zeros(0, dtype=bool)
        return Suppression(np.zeros(table.shape, dtype=bool), empty, empty)
    rows, cols = table.shape
    model = Model()
    for i in range(rows):
        for j in range(cols):
            model.figure(("cell", i, j), [(i, j)], int(table[i, j]))
    if row_totals:
        for i in range(rows):
            model.figure(
                ("row", i), [(i, j) for j in range(cols)], int(table[i].sum()), weight=TOTAL
            )
    if column_totals:
        for j in range(cols):
            model.figure(
                ("column", j), [(i, j) for i in range(rows)], int(table[:, j].sum()), weight=TOTAL
            )
    if row_totals or column_totals:
        every = [(i, j) for i in range(rows) for j in range(cols)]
        model.figure(("grand",), every, int(table.sum()), weight=HEADLINE)
    hidden = protect(model, threshold)
    cells = np.zeros(table.shape, dtype=bool)
    for i in range(rows):
        for j in range(cols):
            cells[i, j] = ("cell", i, j) in hidden
    return Suppression(
        cells,
        np.array([("row", i) in hidden for i in range(rows)], dtype=bool)
        if row_totals
        else np.zeros(rows, dtype=bool),
        np.array([("column", j) in hidden for j in range(cols)], dtype=bool)
        if column_totals
        else np.zeros(cols, dtype=bool),
        ("grand",) in hidden,
    )
