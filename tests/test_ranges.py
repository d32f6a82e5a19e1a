"""The ranges a reader can work out (inspect_cli.reports.ranges, through highspy)
against the reference: SciPy's linprog and milp on the same systems."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from inspect_cli.reports.ranges import Infeasible, extremes


@st.composite
def systems(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sums of counts as a published table gives them: 0/1 coefficients (and a few
    -1, as differences), right-hand sides from real whole-number counts, so the
    system is feasible; some counts in no equation, so a range can be unbounded."""
    rows = draw(st.integers(1, 6))
    cols = draw(st.integers(1, 7))
    coefs = draw(
        st.lists(st.sampled_from((0, 0, 1, 1, -1)), min_size=rows * cols, max_size=rows * cols)
    )
    a = np.array(coefs, dtype=float).reshape(rows, cols)
    counts = np.array(draw(st.lists(st.integers(0, 20), min_size=cols, max_size=cols)), dtype=float)
    b = a @ counts
    picked = draw(st.lists(st.booleans(), min_size=cols, max_size=cols))
    objective = np.array(picked, dtype=float)
    if not objective.any():
        objective[0] = 1.0
    return a, b, objective


def _scipy_lp(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[float, float | None]:
    low = linprog(c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
    high = linprog(-c, A_eq=a, b_eq=b, bounds=(0, None), method="highs")
    assert low.status == 0
    return float(low.fun), (-float(high.fun) if high.status == 0 else None)


def _scipy_ip(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[float, float | None]:
    constraint, bounds = LinearConstraint(a, b, b), Bounds(0, np.inf)
    whole = np.ones(len(c))
    low = milp(c, constraints=constraint, integrality=whole, bounds=bounds)
    high = milp(-c, constraints=constraint, integrality=whole, bounds=bounds)
    assert low.status == 0
    return float(low.fun), (-float(high.fun) if high.status == 0 else None)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(systems(), st.booleans())
def test_both_ends_equal_scipys(
    system: tuple[np.ndarray, np.ndarray, np.ndarray], integer: bool
) -> None:
    a, b, c = system
    low, high = extremes(a, b, c, integer=integer)
    want_low, want_high = (_scipy_ip if integer else _scipy_lp)(a, b, c)
    assert low.value == pytest.approx(want_low, abs=1e-7)
    if want_high is None:
        assert high.value is None
    else:
        assert high.value == pytest.approx(want_high, abs=1e-7)
    if not integer:
        # The vertex reached satisfies the equations and gives the value at that end.
        for end in (low, high):
            if end.value is not None:
                assert end.at is not None and end.duals is not None
                assert np.allclose(a @ end.at, b) and (end.at >= -1e-9).all()
                assert float(c @ end.at) == pytest.approx(end.value, abs=1e-7)
                assert len(end.duals) == len(b)


def test_a_sum_shown_larger_than_its_parts_allow_is_inconsistent() -> None:
    # x + y = 3 and x + y + z = 2 cannot both hold for counts.
    a = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0]])
    with pytest.raises(Infeasible):
        extremes(a, np.array([3.0, 2.0]), np.array([1.0, 0.0, 0.0]), integer=False)


def test_the_integer_range_can_be_narrower_than_the_linear_one() -> None:
    # 2x + y = 3 allows x from 0 to 1.5 as a linear programme, 0 to 1 in whole counts.
    a, b, c = np.array([[2.0, 1.0]]), np.array([3.0]), np.array([1.0, 0.0])
    assert extremes(a, b, c, integer=False)[1].value == pytest.approx(1.5)
    assert extremes(a, b, c, integer=True)[1].value == pytest.approx(1.0)


def test_nothing_is_printed(capfd: pytest.CaptureFixture[str]) -> None:
    # HiGHS prints a banner unless told not to before anything else: JSON goes to stdout.
    extremes(np.array([[1.0, 1.0]]), np.array([4.0]), np.array([1.0, 0.0]), integer=True)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
