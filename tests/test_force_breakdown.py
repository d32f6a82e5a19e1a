"""A force report's breakdowns (grades by area, age band, gender ...) are counted in one
pass over the cases; the plain way, a mask per group, is the reference."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_cli.frameworks import GRADES
from inspect_cli.reports.counts import grade_row
from inspect_cli.reports.force import NOT_RECORDED, Breakdown, grade_breakdown

LABELS = st.one_of(st.none(), st.sampled_from(["yes", "no", "unknown", "Asian", " b ", "Zed"]))
GRADE = st.one_of(st.none(), st.sampled_from([*GRADES, "excellent"]))


def _reference(
    title: str, labels: pd.Series, grade: pd.Series, order: Sequence[str] = ()
) -> Breakdown:
    labels = labels.astype("string").fillna(NOT_RECORDED)
    seen = list(
        dict.fromkeys([*order, *sorted(set(labels) - set(order) - {NOT_RECORDED}), NOT_RECORDED])
    )
    rows = tuple(grade_row(v, grade[labels == v]) for v in seen if (labels == v).any())
    return Breakdown(title, rows)


@settings(max_examples=200, derandomize=True)
@given(
    st.lists(st.tuples(LABELS, GRADE), max_size=40),
    st.sampled_from([(), ("yes", "no", "unknown"), ("no", "Zed", "absent")]),
)
def test_one_pass_counts_as_a_mask_per_group(
    cases: list[tuple[str | None, str | None]], order: tuple[str, ...]
) -> None:
    labels = pd.Series([label for label, _ in cases], dtype="string")
    grade = pd.Series([g for _, g in cases], dtype="string")
    assert grade_breakdown("T", labels, grade, order) == _reference("T", labels, grade, order)


def test_groups_in_the_order_given_then_sorted_then_blank() -> None:
    labels = pd.Series(["b", None, "a", "yes", "b"], dtype="string")
    grade = pd.Series(["good", "inadequate", None, "adequate", "good"], dtype="string")
    got = grade_breakdown("T", labels, grade, ["yes", "no"])
    assert [r.label for r in got.rows] == ["yes", "a", "b", NOT_RECORDED]
    b = got.rows[2]
    assert (b.good, b.adequate, b.inadequate, b.total) == (2, 0, 0, 2)
    a = got.rows[1]
    assert (a.total, a.recorded) == (0, False)  # a group whose cases have no grade is shown
