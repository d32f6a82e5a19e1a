"""Small-number suppression: no hidden count can be worked out from what is shown."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from inspect_cli.suppress import determined, primary, suppress

tables = st.integers(2, 6).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


@given(tables, st.integers(2, 10))
def test_no_suppressed_cell_can_be_recovered_from_the_totals(
    rows: list[list[int]], threshold: int
) -> None:
    table = np.array(rows)
    s = suppress(table, threshold)
    hidden = s.cells
    assert (hidden | ~primary(table, threshold)).all()  # every small count is hidden
    assert determined(hidden, ~s.row_totals, ~s.column_totals, table) == []
    for i, line in enumerate(hidden):
        assert s.row_totals[i] or line.sum() != 1
    for j, line in enumerate(hidden.T):
        assert s.column_totals[j] or line.sum() != 1


def test_boundary_at_the_threshold() -> None:
    table = np.array([[4, 5, 6], [10, 10, 10], [10, 10, 10]])
    hidden = suppress(table, 5).cells
    assert hidden[0, 0] and not hidden[0, 2]
    assert hidden[0, 1]  # secondary: the smallest other cell in the row
    assert hidden.sum() == 4  # and the same two columns in another row
    assert not suppress(np.array([[5, 6], [7, 8]]), 5).any
    assert suppress(np.array([[1, 9], [9, 9]]), 2).cells.sum() == 4
    assert not suppress(np.array([[0, 9], [9, 9]]), 5).any  # zeros are not suppressed
    small_total = suppress(np.array([[1, 2, 0], [9, 9, 9], [9, 9, 9]]), 5)
    assert small_total.row_totals.tolist() == [True, False, False]
    assert small_total.cells[0].all()


def test_without_published_totals_only_small_counts_are_hidden() -> None:
    table = np.array([[3, 40, 50], [60, 70, 80]])
    hidden = suppress(table, 5, row_totals=False, column_totals=False).cells
    assert hidden.tolist() == [[True, False, False], [False, False, False]]


def _possible_values(
    table: np.ndarray, hidden: np.ndarray, shown_rows: np.ndarray, shown_cols: np.ndarray
) -> dict[tuple[int, int], set[int]]:
    """Every value each hidden cell can take in a non-negative whole-number table with
    the same shown cells and the same shown totals (exhaustive search)."""
    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    big = int(table.sum())  # no hidden cell can exceed the grand total
    row_left = [
        int(table[i][hidden[i]].sum()) if shown_rows[i] else None for i in range(table.shape[0])
    ]
    col_left = [
        int(table[:, j][hidden[:, j]].sum()) if shown_cols[j] else None
        for j in range(table.shape[1])
    ]
    seen: dict[tuple[int, int], set[int]] = {c: set() for c in cells}
    values: dict[tuple[int, int], int] = {}

    def place(k: int) -> None:
        if k == len(cells):
            if all(v in (0, None) for v in row_left) and all(v in (0, None) for v in col_left):
                for c, v in values.items():
                    seen[c].add(v)
            return
        i, j = cells[k]
        top = min(x for x in (row_left[i], col_left[j], big) if x is not None)
        for v in range(top + 1):
            if row_left[i] is not None:
                row_left[i] -= v  # type: ignore[operator]
            if col_left[j] is not None:
                col_left[j] -= v  # type: ignore[operator]
            values[(i, j)] = v
            place(k + 1)
            if row_left[i] is not None:
                row_left[i] += v  # type: ignore[operator]
            if col_left[j] is not None:
                col_left[j] += v  # type: ignore[operator]
        values.pop((i, j), None)

    place(0)
    return seen


small_tables = st.integers(2, 3).flatmap(
    lambda rows: st.lists(
        st.lists(st.integers(0, 5), min_size=3, max_size=3), min_size=rows, max_size=rows
    )
)


@given(small_tables, st.integers(2, 4))
def test_by_exhaustive_search_every_hidden_cell_could_be_another_value(
    rows: list[list[int]], threshold: int
) -> None:
    table = np.array(rows)
    s = suppress(table, threshold)
    small = primary(table, threshold)
    for cell, possible in _possible_values(table, s.cells, ~s.row_totals, ~s.column_totals).items():
        if small[cell]:
            assert len(possible) >= 2, (cell, possible)
