"""The sanity properties over random workbooks and CSV files, through the whole pipeline.

Random cases (random not-applicable and blank patterns, forgiving answer spellings,
xlsx or csv) are written to disk, loaded and scored: the best answer everywhere is
good, the middle adequate, the worst inadequate; every row read is either scored or
listed as not scored.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from inspect_cli.frameworks import resolve_framework
from inspect_cli.load import load_cases
from inspect_cli.score import score_cases

from .helpers.builders import case_table, write_csv, write_xlsx

FW = resolve_framework("ncpi-2014")
SPELLINGS = {
    "Yes": ["Yes", "yes", " YES ", "y"],
    "Partly": ["Partly", "part", "PARTLY", "Partially"],
    "No": ["No", "no", " NO", "n"],
    "Not applicable": ["Not applicable", "N/A", "n/a", "NA"],
}
WHICH = {"best": ("Yes", "good"), "middle": ("Partly", "adequate"), "worst": ("No", "inadequate")}


@st.composite
def a_file(draw: st.DrawFn) -> tuple[str, str, list[list[str]]]:
    which = draw(st.sampled_from(sorted(WHICH)))
    answer = WHICH[which][0]
    n = draw(st.integers(min_value=1, max_value=6))
    table = case_table(FW, n)
    first_indicator = len(table[0]) - len(FW.indicators)
    for row in table[1:]:
        cells = []
        for _ in FW.indicators:
            kind = draw(st.sampled_from(["answer", "answer", "na", "blank"]))
            word = answer if kind == "answer" else "Not applicable" if kind == "na" else ""
            cells.append(draw(st.sampled_from(SPELLINGS[word])) if word else "")
        if not any(c and c.strip().lower() not in ("n/a", "na", "not applicable") for c in cells):
            cells[draw(st.integers(0, len(cells) - 1))] = answer
        row[first_indicator:] = cells
    return which, draw(st.sampled_from(["xlsx", "csv"])), table


@given(a_file())
def test_sanity_properties_hold_for_random_files(case: tuple[str, str, list[list[str]]]) -> None:
    which, kind, table = case
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cases.{kind}"
        if kind == "xlsx":
            write_xlsx(path, table)
        else:
            write_csv(path, table)
        loaded = load_cases([path], FW)
        assert loaded.ok, [p.message for p in loaded.errors]
        assert loaded.rows_read == len(table) - 1 == len(loaded.cases)
        grades = set(score_cases(loaded).scored["grade"])
    assert grades == {WHICH[which][1]}
