"""Small-number suppression: no hidden count can be worked out from what is shown."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_cli.reports.suppress import primary, suppress

tables = st.integers(2, 6).flatmap(
    lambda rows: st.integers(2, 4).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(0, 30), min_size=cols, max_size=cols), min_size=rows, max_size=rows
        )
    )
)


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
    # the small total hidden, and another so the grand total does not give it away
    assert small_total.row_totals[0] and small_total.row_totals.sum() == 2
    assert small_total.cells[0][:2].all()  # the small counts; the zero may show or not


def test_without_published_totals_only_small_counts_are_hidden() -> None:
    table = np.array([[3, 40, 50], [60, 70, 80]])
    hidden = suppress(table, 5, row_totals=False, column_totals=False).cells
    assert hidden.tolist() == [[True, False, False], [False, False, False]]


def _value_range(
    table: np.ndarray,
    hidden: np.ndarray,
    shown_rows: np.ndarray,
    shown_cols: np.ndarray,
    grand: bool = True,
) -> dict[tuple[int, int], tuple[int, int]]:
    """The smallest and largest value each hidden cell can take in a non-negative
    whole-number table with the same shown cells, the same shown totals and the same
    grand total (an integer-programming intruder: HiGHS through scipy's ``milp``).

    Solving two small integer programmes per hidden cell is bounded, unlike the
    exhaustive search it replaces (which once ran for over an hour on one example)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    cells = [(int(i), int(j)) for i, j in zip(*np.nonzero(hidden), strict=True)]
    if not cells:
        return {}
    n = len(cells)
    rows_a: list[list[float]] = []
    rhs: list[float] = []
    for i in range(table.shape[0]):
        if shown_rows[i]:
            rows_a.append([1.0 if c[0] == i else 0.0 for c in cells])
            rhs.append(float(table[i][hidden[i]].sum()))
    for j in range(table.shape[1]):
        if shown_cols[j]:
            rows_a.append([1.0 if c[1] == j else 0.0 for c in cells])
            rhs.append(float(table[:, j][hidden[:, j]].sum()))
    if grand:
        rows_a.append([1.0] * n)  # the grand total, when published
        rhs.append(float(table[hidden].sum()))
    constraint = LinearConstraint(np.array(rows_a).reshape(len(rows_a), n), rhs, rhs)
    bounds = Bounds(0, np.inf)
    integral = np.ones(n)
    found: dict[tuple[int, int], tuple[int, int]] = {}
    for k, cell in enumerate(cells):
        objective = np.zeros(n)
        objective[k] = 1.0
        low = milp(objective, constraints=constraint, integrality=integral, bounds=bounds)
        high = milp(-objective, constraints=constraint, integrality=integral, bounds=bounds)
        assert low.success, (cell, low.message)
        found[cell] = (round(low.x[k]), round(high.x[k]) if high.success else 10**9)
    return found


@settings(max_examples=25, derandomize=True, deadline=None)
@given(tables, st.integers(2, 10))
def test_larger_tables_keep_every_hidden_cell_open(rows: list[list[int]], threshold: int) -> None:
    table = np.array(rows)
    s = suppress(table, threshold)
    small = primary(table, threshold)
    assert (s.cells | ~small).all()
    for cell, (low, high) in _value_range(
        table, s.cells, ~s.row_totals, ~s.column_totals, not s.grand_total
    ).items():
        assert low < high and (not small[cell] or high - low >= threshold), (cell, low, high)


small_tables = st.integers(2, 4).flatmap(
    lambda rows: st.lists(
        st.lists(st.integers(0, 9), min_size=3, max_size=4), min_size=rows, max_size=rows
    ).filter(lambda t: len({len(r) for r in t}) == 1)
)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(small_tables, st.integers(2, 6))
def test_by_integer_programming_every_hidden_cell_could_be_another_value(
    rows: list[list[int]], threshold: int
) -> None:
    table = np.array(rows)
    s = suppress(table, threshold)
    small = primary(table, threshold)
    assert (s.cells | ~small).all()  # every small count is hidden
    for cell, (low, high) in _value_range(
        table, s.cells, ~s.row_totals, ~s.column_totals, not s.grand_total
    ).items():
        assert low <= table[cell] <= high, (cell, low, high)  # the oracle sees the truth
        assert low < high, (cell, low, high)  # no hidden cell is pinned
        if small[cell]:
            assert high - low >= threshold, (cell, low, high)  # nor a small one narrowed


def test_the_intruder_recovers_a_cell_left_alone() -> None:
    """The oracle is not vacuous: one small cell hidden alone in a shown row is found."""
    table = np.array([[3, 10, 10], [10, 10, 10]])
    hidden = np.zeros_like(table, dtype=bool)
    hidden[0, 0] = True
    shown = np.ones(2, dtype=bool)
    assert _value_range(table, hidden, shown, np.ones(3, dtype=bool))[(0, 0)] == (3, 3)
