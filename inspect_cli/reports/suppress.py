"""Small-number suppression for tables that leave the inspectorate (``--publish``).

Primary suppression hides every count from 1 to ``threshold - 1`` (a zero is not a
child, so zeros stay), and every row or column total in that range together with
the whole line. Secondary suppression then hides further cells so that no hidden
count can be worked out from the totals that are shown:

1. a line (row or column) whose total is shown may not have exactly one hidden
   cell: the smallest other non-zero cell of the line is hidden too;
2. then the sums are solved: any hidden cell still determined by the shown totals
   gets the cheapest rectangle of cells around it hidden as well.

Both steps repeat until nothing changes. This is the row-and-column rule of UK
official statistics (e.g. DfE "Children in need": 1 to 5 shown as 'c', with
secondary suppression), checked in tests by exhaustive search.
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
    each column's total; only a shown total can give a hidden cell away.
    """
    table = np.asarray(counts, dtype=np.int64)
    if table.ndim != 2 or table.size == 0:
        empty = np.zeros(0, dtype=bool)
        return Suppression(np.zeros(table.shape, dtype=bool), empty, empty)
    hidden = primary(table, threshold)
    hide_row = (
        primary(table.sum(axis=1), threshold) if row_totals else np.zeros(table.shape[0], bool)
    )
    hide_col = (
        primary(table.sum(axis=0), threshold) if column_totals else np.zeros(table.shape[1], bool)
    )
    hidden[hide_row, :] = True
    hidden[:, hide_col] = True
    shown_rows = np.full(table.shape[0], row_totals) & ~hide_row
    shown_cols = np.full(table.shape[1], column_totals) & ~hide_col
    while True:
        _no_single_hidden_cell(table, hidden, shown_rows, shown_cols)
        exposed = determined(hidden, shown_rows, shown_cols, table)
        if not exposed:
            return Suppression(
                hidden,
                hide_row | (row_totals & ~shown_rows),
                hide_col | (column_totals & ~shown_cols),
            )
        before = int(hidden.sum())
        _hide_rectangle(table, hidden, exposed[0])
        if int(hidden.sum()) == before:
            # No rectangle fits (a single row or column): hide the totals that give it away.
            r, c = exposed[0]
            shown_rows[r] = False
            shown_cols[c] = False


def _cheapest(values: IntMatrix, candidates: npt.NDArray[np.intp]) -> int:
    """The smallest non-zero candidate (a hidden zero in a zero line covers nothing)."""
    nonzero = candidates[values[candidates] > 0]
    pool = nonzero if nonzero.size else candidates
    return int(pool[np.argmin(values[pool])])


def _no_single_hidden_cell(
    table: IntMatrix, hidden: BoolArray, shown_rows: BoolArray, shown_cols: BoolArray
) -> None:
    changed = True
    while changed:
        changed = False
        for i in np.nonzero(shown_rows)[0]:
            if hidden[i].sum() == 1 and (~hidden[i]).any():
                hidden[i, _cheapest(table[i], np.nonzero(~hidden[i])[0])] = True
                changed = True
        for j in np.nonzero(shown_cols)[0]:
            if hidden[:, j].sum() == 1 and (~hidden[:, j]).any():
                hidden[_cheapest(table[:, j], np.nonzero(~hidden[:, j])[0]), j] = True
                changed = True


def determined(
    hidden: BoolArray,
    shown_rows: BoolArray | None = None,
    shown_cols: BoolArray | None = None,
    table: IntMatrix | None = None,
) -> list[tuple[int, int]]:
    """Hidden cells whose value follows from the shown totals, by solving the sums.

    Each shown total is an equation over its line's hidden cells; a hidden cell is
    determined exactly when its unit vector lies in the row space of those equations.
    Counts cannot be negative, so every hidden cell of a line whose total is zero is
    known to be zero: each gets an equation of its own.
    """
    rows = np.ones(hidden.shape[0], bool) if shown_rows is None else shown_rows
    cols = np.ones(hidden.shape[1], bool) if shown_cols is None else shown_cols
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    equations = [[1.0 if c[0] == i else 0.0 for c in cells] for i in np.nonzero(rows)[0]]
    equations += [[1.0 if c[1] == j else 0.0 for c in cells] for j in np.nonzero(cols)[0]]
    if table is not None:
        zero_rows = rows & (table.sum(axis=1) == 0)
        zero_cols = cols & (table.sum(axis=0) == 0)
        equations += [
            [1.0 if c == cell else 0.0 for c in cells]
            for cell in cells
            if zero_rows[cell[0]] or zero_cols[cell[1]]
        ]
    if not cells or not equations:
        return []
    a = np.array(equations)
    rank = np.linalg.matrix_rank(a)
    out = []
    for k, cell in enumerate(cells):
        unit = np.zeros(len(cells))
        unit[k] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            out.append(cell)
    return out


def _hide_rectangle(table: IntMatrix, hidden: BoolArray, cell: tuple[int, int]) -> None:
    """Hide the cheapest rectangle through ``cell``: its corners can then shift by the
    same amount without changing any total."""
    r, c = cell
    best: tuple[int, int, int] | None = None
    row_sums, col_sums = table.sum(axis=1), table.sum(axis=0)
    for r2 in range(table.shape[0]):
        for c2 in range(table.shape[1]):
            if r2 == r or c2 == c or row_sums[r2] == 0 or col_sums[c2] == 0:
                continue  # a zero line is known to be all zeros: no cover there
            corners = ((r, c2), (r2, c), (r2, c2))
            # Zero corners cannot move down, so they are poor cover: count them dear.
            cost = sum((int(table[x]) or 1000) for x in corners if not hidden[x])
            if best is None or cost < best[0]:
                best = (cost, r2, c2)
    if best is None:
        return
    _, r2, c2 = best
    for corner in ((r, c2), (r2, c), (r2, c2)):
        hidden[corner] = True
