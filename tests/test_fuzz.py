"""Fuzzing: random and mutated workbooks and CSV files always end in a result or a
clear problem, never an unhandled exception.

Every run here is short (see conftest's hypothesis profile); a longer campaign is
``HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz.py``, recorded in
docs/reliability.md.
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from inspect_cli.frameworks import resolve_framework
from inspect_cli.load import load_cases
from inspect_cli.score import score_cases

from .helpers.builders import case_table, write_xlsx

FW = resolve_framework("ncpi-2014")
_BASE: dict[str, bytes] = {}


def base_xlsx() -> bytes:
    if "x" not in _BASE:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "base.xlsx"
            write_xlsx(path, case_table(FW, 4))
            _BASE["x"] = path.read_bytes()
    return _BASE["x"]


def run(name: str, data: bytes) -> None:
    """Load and, when clean, score: anything but a located problem or a result fails."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = load_cases([path], FW)
        assert result.rows_read == len(result.cases) + len(result.rejected)
        for problem in result.problems:
            assert problem.message and problem.code
        if result.ok and not result.cases.empty:
            score_cases(result)


cell = st.one_of(
    st.sampled_from(
        ["Yes", "No", "Partly", "N/A", "", " yes ", "=1+1", "#N/A", "Force X", "inspector"]
    ),
    st.text(max_size=12),
)


@given(st.lists(st.lists(cell, max_size=45), max_size=8), st.sampled_from([",", ";", "\t"]))
def test_random_csv_tables(rows: list[list[str]], sep: str) -> None:
    header = sep.join(case_table(FW, 0)[0])
    body = "\n".join(sep.join(r) for r in rows)
    run("cases.csv", (header + "\n" + body).encode("utf-8"))


@given(st.binary(max_size=2000), st.sampled_from(["cases.csv", "cases.xlsx"]))
def test_random_bytes(data: bytes, name: str) -> None:
    run(name, data)


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=0, max_value=255))
def test_flipped_byte_in_a_valid_workbook(position: int, value: int) -> None:
    data = bytearray(base_xlsx())
    data[position % len(data)] = value
    run("cases.xlsx", bytes(data))


@given(st.floats(min_value=0.0, max_value=1.0))
def test_truncated_workbook(fraction: float) -> None:
    data = base_xlsx()
    run("cases.xlsx", data[: int(len(data) * fraction)])


@given(st.data())
def test_a_zip_member_replaced_by_garbage(data: st.DataObject) -> None:
    with zipfile.ZipFile(io.BytesIO(base_xlsx())) as source:
        names = source.namelist()
        victim = data.draw(st.sampled_from(names))
        garbage = data.draw(st.binary(max_size=400))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for name in names:
                target.writestr(name, garbage if name == victim else source.read(name))
    run("cases.xlsx", out.getvalue())


@given(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "latin-1"]), st.text(max_size=60))
def test_csv_in_any_encoding(encoding: str, text: str) -> None:
    header = ",".join(case_table(FW, 0)[0])
    try:
        data = (header + "\n" + text).encode(encoding)
    except UnicodeEncodeError:
        return
    run("cases.csv", data)
