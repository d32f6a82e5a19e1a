"""Free text (case references, names, comments) is stripped in Arrow, without a Python
object per cell; it must come out exactly as ``str.strip()`` would leave it."""

from __future__ import annotations

import sys

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_cli.load import PY_WHITESPACE, plain_text


def test_the_whitespace_arrow_trims_is_what_str_strip_removes() -> None:
    every = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(PY_WHITESPACE) == every


_CHARS = st.sampled_from([*PY_WHITESPACE, "a", "Z", "é", "\u200b", "\ufeff", "-", "0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.none() | st.text(alphabet=_CHARS, max_size=6), min_size=1, max_size=12))
def test_free_text_stripped_in_arrow_as_str_strip_does(values: list[str | None]) -> None:
    coded = plain_text(pa.array(values, pa.string()))
    assert coded is not None
    expected = [None if v is None or not v.strip() else v.strip() for v in values]
    texts = coded.values.to_pylist()
    assert [texts[code] for code in coded.codes] == expected
    assert coded.blank().tolist() == [e is None for e in expected]


def test_too_long_text_is_left_to_the_careful_path() -> None:
    assert plain_text(pa.array(["x" * 40_000, "short"], pa.string())) is None
