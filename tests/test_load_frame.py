"""The tidy frame's fast paths equal their references (inspect_cli/load/frame.py)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from inspect_cli.frameworks import Framework
from inspect_cli.load.frame import Categories, categories_of, empty_frame

SCALE = ["yes", "partly", "no", "na"]
# Tidy answer values as a sheet gives them: ids of the scale, blanks, and anything else
# (which has no category: the loader has already refused it, but the type must not care).
VALUES = st.one_of(
    st.sampled_from(SCALE), st.none(), st.just(""), st.just("Yes"), st.text(max_size=3)
)


@given(
    values=st.lists(VALUES, max_size=8, unique_by=lambda v: (type(v), v)),
    picks=st.lists(st.integers(min_value=0, max_value=1000), max_size=50),
)
def test_spreading_distinct_answers_equals_matching_every_row(
    values: list[str | None], picks: list[int]
) -> None:
    categories = Categories(SCALE)
    distinct = np.array([*values, None], dtype=object)  # a sheet's values end with the blank
    codes = np.array([p % len(distinct) for p in picks], dtype=np.int64)
    with warnings.catch_warnings():  # pandas 3 warns of values outside the categories
        warnings.simplefilter("ignore", pd.errors.Pandas4Warning)
        reference = categories(pd.Series(distinct)).take(codes).reset_index(drop=True)
    fast = categories.spread(distinct, codes)
    pd.testing.assert_series_equal(fast, reference)
    assert list(fast.cat.categories) == SCALE


def test_an_empty_sheet_spreads_to_an_empty_column() -> None:
    categories = Categories(SCALE)
    fast = categories.spread(np.array([None], dtype=object), np.array([], dtype=np.int64))
    assert len(fast) == 0 and fast.dtype == categories.dtype


def test_the_empty_frame_types_its_answers_as_a_load_does(fw: Framework) -> None:
    frame = empty_frame(fw)
    for ref in fw.indicators:
        column = frame[ref.full_id]
        scale = [r.id for r in ref.scale.responses]
        scale += [ref.scale.not_applicable.id] if ref.scale.not_applicable else []
        reference = Categories(scale)(pd.Series([], dtype=object))
        pd.testing.assert_series_equal(column, reference, check_names=False)
        assert categories_of(tuple(scale)).dtype == column.dtype
