"""inspect-cli sample: the column-wise path (sampling/columns.py) gives what the per-row
reference gives, on generated case lists with duplicates, forces spelt several ways,
look-alike letters, blank and unknown areas and bad cells: the same cases (fields in
the same order), the same problems in the same order, and the same samples."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspect_cli.frameworks import Framework
from inspect_cli.sampling import CaseList, SampleError, draw_sample, read_case_list
from inspect_cli.sampling.candidates import CandidateColumns
from tests.helpers.builders import Table, write_csv, write_lines, write_xlsx

HEADER = ["Case reference", "Area of practice", "Force", "Child age", "Date reported", "Team"]
FORCES = (
    "Kent Police",
    "kent police",
    " Kent  Police ",
    "Kent\u200b Police",  # an invisible character: the same force
    "K\u0435nt Police",  # a Cyrillic 'е': a look-alike, refused
    "Metropolitan Police Service",
    "The Met",
    "Essex Police",  # not in the register
    "",
)
AGES = (3, 17, "12", "", "forty", 18)
DATES = ("05/03/2024", "2024-03-05", "", "31/02/2024", "yesterday")
REFS = (*(f"C{k}" for k in range(12)), "c1", " C2 ", "C\u200b3")


def _row(fw: Framework, draw: Any) -> list[Any]:
    area = draw(st.sampled_from([*fw.areas_of_practice, None, "Not an area"]))
    if area is None:
        area_text = ""
    elif isinstance(area, str):
        area_text = area
    else:
        area_text = draw(st.sampled_from((area.label, area.id, area.label.upper())))
    return [
        draw(st.sampled_from(REFS)),
        area_text,
        draw(st.sampled_from(FORCES)),
        draw(st.sampled_from(AGES)),
        draw(st.sampled_from(DATES)),
        "Team 1",
    ]


@st.composite
def case_lists(draw: Any, fw: Framework) -> list[Table]:
    """One or two sheets of candidate cases; some with no force column."""
    sheets = []
    for _ in range(draw(st.integers(1, 2))):
        rows = [_row(fw, draw) for _ in range(draw(st.integers(0, 40)))]
        table: Table = [HEADER, *rows]
        if draw(st.booleans()):
            table = [[cell for k, cell in enumerate(row) if k != 2] for row in table]
        sheets.append(table)
    return sheets


def both(paths: list[Path], fw: Framework, forces: Path | None = None) -> tuple[CaseList, ...]:
    fast = read_case_list(paths, fw, forces=forces)
    slow = read_case_list(paths, fw, forces=forces, per_row=True)
    assert isinstance(fast.cases, CandidateColumns)
    assert not isinstance(slow.cases, CandidateColumns)
    return fast, slow


def assert_same_list(fast: CaseList, slow: CaseList) -> None:
    assert fast.problems == slow.problems
    assert fast.sources == slow.sources
    assert list(fast.cases) == list(slow.cases)
    assert [list(c.fields) for c in fast.cases] == [list(c.fields) for c in slow.cases]
    assert [c.fields.get("force") for c in fast.cases] == [c.force for c in slow.cases]
    assert fast.frame_sizes() == slow.frame_sizes()


def assert_same_draws(fast: CaseList, slow: CaseList) -> None:
    """Every way of drawing gives the same sample, note and workbook rows; the reference
    draw of the fast list (its cases one by one) too."""
    rows_read = replace(fast, cases=tuple(fast.cases))
    asks: list[dict[str, Any]] = [
        {"per_area": 1, "seed": 0},
        {"per_area": 3, "seed": 7, "take_all_small": True},
        {"total": 6, "min_per_area": 0, "seed": 2026},
    ]
    for ask in asks:
        drawn: list[object] = []
        for case_list in (fast, slow, rows_read):
            try:
                sample = draw_sample(case_list, **ask)
            except SampleError as stopped:
                drawn.append((str(stopped), stopped.details))
                continue
            drawn.append((sample.cases, sample.note, sample.template_rows("Force X")))
        assert drawn[0] == drawn[1] == drawn[2], ask


def doubled(case_list: CaseList) -> tuple[CaseList, CaseList]:
    """Every case twice, the copy on another row (as no list read has them, after the
    duplicate check): equal sort keys, which the reference's stable sort keeps in
    shuffled order."""
    cases = case_list.cases
    assert isinstance(cases, CandidateColumns)
    twice = cases.take(np.concatenate([np.arange(len(cases))] * 2))
    twice = replace(twice, row=twice.row + np.repeat([0, 1000], len(cases)))
    return replace(case_list, cases=twice), replace(case_list, cases=tuple(twice))


@settings(max_examples=40, derandomize=True, deadline=None)
@given(data=st.data())
def test_columns_read_and_draw_as_the_reference_does(fw: Framework, data: Any) -> None:
    sheets = data.draw(case_lists(fw))
    register = data.draw(st.booleans())
    as_csv = data.draw(st.booleans()) and len(sheets) == 1
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if as_csv:
            path = write_csv(folder / "list.csv", sheets[0])
        else:
            named = {f"Sheet {k + 1}": table for k, table in enumerate(sheets)}
            path = write_xlsx(folder / "list.xlsx", named)
        forces = None
        if register:
            lines = ["force,alias", "Kent Police,Kent", "Metropolitan Police Service,The Met"]
            forces = write_lines(folder / "forces.csv", lines)
        fast, slow = both([path], fw, forces)
        assert_same_list(fast, slow)
        clean = [replace(f, problems=()) for f in (fast, slow)]  # drawn despite its errors
        assert_same_draws(*clean)
        assert_same_draws(*doubled(clean[0]))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_long_list_with_duplicates_across_files(fw: Framework, tmp_path: Path, seed: int) -> None:
    """Larger lists, several files: duplicates across files and sheets, every area."""
    import random

    rng = random.Random(seed)
    areas = fw.areas_of_practice
    paths = []
    for k in range(3):
        table: Table = [HEADER]
        for i in range(400):
            area = areas[rng.randrange(len(areas))]
            ref = f"R{rng.randrange(900):04d}"
            force = rng.choice(("Kent Police", "KENT POLICE", "Essex Police", ""))
            table.append([ref, area.label, force, i % 18, "05/03/2024", "T"])
        paths.append(write_csv(tmp_path / f"list-{k}.csv", table))
    fast, slow = both(paths, fw)
    assert any(p.code == "duplicate-candidate" for p in fast.problems)
    assert any(p.code == "force-spellings-merged" for p in fast.problems)
    assert_same_list(fast, slow)
    assert_same_draws(*(replace(f, problems=()) for f in (fast, slow)))


_SPACES = "\t\n\x0b\x0c\r\x1c\x1f \x85\xa0\u2000\u200a\u2028\u3000\u200b\ufeff"
_TEXTS = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from([*_SPACES, "a", "C", "1", "é", "\u0435"]), max_size=6),
    st.sampled_from(["", " ", "C1", " C1 ", "C1\u200b", "x" * 32_001]),
)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(cells=st.lists(_TEXTS, max_size=30))
def test_free_text_is_coded_in_arrow_as_the_per_value_path_codes_it(cells: list[Any]) -> None:
    """A case list's free text (references, names) is stripped in Arrow; each row's value,
    blankness and problem are what the per-distinct-value reference gives."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from inspect_cli.load.values import tidy_text
    from inspect_cli.sampling.case_list import distinct_values, normalise_distinct

    column = pa.array(cells, type=pa.large_string())
    tidy, blank, bad, codes = distinct_values(tidy_text, column)
    encoded = pc.dictionary_encode(column)
    uniques = encoded.dictionary.to_pylist()
    ref_codes = encoded.indices.fill_null(len(uniques)).to_numpy(zero_copy_only=False)
    ref_tidy, ref_blank, ref_bad = normalise_distinct(tidy_text, uniques)
    assert tidy[codes].tolist() == ref_tidy[ref_codes].tolist()
    assert blank[codes].tolist() == ref_blank[ref_codes].tolist()
    assert bad == ref_bad == {}
