"""inspect-cli sample: stratified, reproducible samples of a force's case list."""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_cli import problems as P
from inspect_cli.cli import app
from inspect_cli.frameworks import Framework
from inspect_cli.load import HEADER_SEARCH_ROWS, load_cases
from inspect_cli.read import RawSheet, read_file
from inspect_cli.sampling import (
    CaseList,
    Sample,
    SampleError,
    allocate,
    draw_sample,
    read_case_list,
)
from inspect_cli.template import FIRST_DATA_ROW, HEADER_ROW
from tests.helpers.cli import runner

from .conftest import ROOT
from .helpers.builders import Table, write_csv, write_xlsx

# Cases per area of practice, in the framework's order (ncpi-2014 has nine areas).
SIZES = (12, 8, 5, 3, 20, 7, 9, 4, 6)


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def case_list_table(fw: Framework, sizes: tuple[int, ...] = SIZES) -> Table:
    """A force's list of candidate cases: refs, areas (by label, id or alias) and extras."""
    table: Table = [
        ["Case reference", "Area of practice", "Force", "Date reported", "Child age", "Team"]
    ]
    n = 0
    for area, size in zip(fw.areas_of_practice, sizes, strict=True):
        names = (area.label, area.id, area.label.upper())
        for i in range(size):
            n += 1
            table.append(
                [f"C{n:03d}", names[i % 3], "Force C", "05/03/2024", i % 18, f"Team {i % 2}"]
            )
    return table


def shuffled(table: Table, seed: int) -> Table:
    body = table[1:]
    random.Random(seed).shuffle(body)
    return [table[0], *body]


def refs(sample: Sample) -> list[str]:
    return [c.case_ref for c in sample.cases]


def per_area(sample: Sample) -> dict[str, int]:
    return {a.area: a.drawn for a in sample.note.areas}


@pytest.fixture
def listed(tmp_path: Path, fw: Framework) -> CaseList:
    path = write_csv(tmp_path / "case_list.csv", case_list_table(fw))
    found = read_case_list([path], fw)
    assert found.ok, found.errors
    return found


# --------------------------------------------------------------------------- reading


def test_reads_csv_and_xlsx_alike_with_header_below_a_title(tmp_path: Path, fw: Framework) -> None:
    table = case_list_table(fw)
    csv_list = read_case_list([write_csv(tmp_path / "list.csv", table)], fw)
    titled = [["Force C case list"], [], *table]
    xlsx_list = read_case_list([write_xlsx(tmp_path / "list.xlsx", titled)], fw)
    assert csv_list.ok and xlsx_list.ok, (csv_list.errors, xlsx_list.errors)
    assert len(csv_list.cases) == len(xlsx_list.cases) == sum(SIZES)
    assert list(csv_list.frame_sizes().values()) == list(SIZES)
    assert xlsx_list.frame_sizes() == csv_list.frame_sizes()
    assert {p.code for p in xlsx_list.problems} >= {"header-row", "unknown-column"}  # Team
    case = csv_list.cases[1]
    assert case.fields["force"] == "Force C"
    assert case.fields["date_reported"] == dt.date(2024, 3, 5)
    assert case.fields["child_age"] == 1
    assert "Team" not in case.fields


def test_header_by_column_ids(tmp_path: Path, fw: Framework) -> None:
    path = write_csv(
        tmp_path / "ids.csv", [["case_ref", "area_of_practice"], ["A1", "s47"], ["A2", "cse"]]
    )
    found = read_case_list([path], fw)
    assert found.ok and [c.area for c in found.cases] == ["s47_enquiries", "cse"]


def test_bad_case_list_collects_located_problems(tmp_path: Path, fw: Framework) -> None:
    table: Table = [
        ["Case reference", "Area of practice", "Force", "Child age"],
        ["C1", "Domestic abuse", "Force C", 3],
        ["", "s47", "Force C", 4],  # row 3: blank case ref
        ["C1", "da", "Force C", 5],  # row 4: duplicate of row 2
        ["C3", "Burglary", "Force C", 6],  # row 5: unknown area
        ["C4", "Missing children", "Force C", "x"],  # row 6: bad age: a warning only
    ]
    found = read_case_list([write_xlsx(tmp_path / "bad.xlsx", table)], fw)
    errors = {(p.code, p.row, p.column) for p in found.errors}
    assert errors == {
        ("missing-value", 3, "A"),
        ("duplicate-candidate", 4, None),
        ("invalid-value", 5, "B"),
    }
    unknown = next(p for p in found.errors if p.code == "invalid-value")
    assert unknown.file == "bad.xlsx" and unknown.sheet == "Cases"
    assert "'Burglary'" in unknown.message and "Children in police custody" in unknown.message
    duplicate = next(p for p in found.errors if p.code == "duplicate-candidate")
    assert "'C1'" in duplicate.message and "row 2" in duplicate.message
    age = next(p for p in found.problems if p.column == "D")
    assert age.severity == "warning" and age.row == 6
    assert [c.case_ref for c in found.cases] == ["C1", "C4"]
    with pytest.raises(SampleError):
        draw_sample(found, per_area=1, seed=1)


def test_no_header_is_an_error(tmp_path: Path, fw: Framework) -> None:
    path = write_csv(tmp_path / "x.csv", [["ref", "kind"], ["C1", "Domestic abuse"]])
    found = read_case_list([path], fw)
    assert [p.code for p in found.errors] == ["header-not-found"]
    assert "Case reference" in found.errors[0].message


def test_problem_catalogue_is_single_sourced_and_documented() -> None:
    """Every problem type lives in the catalogue, one template per code, each in the docs."""
    codes = Counter(t.code for t in P.ALL_TYPES)
    assert [code for code, n in codes.items() if n > 1] == []
    doc = (ROOT / "docs" / "workbook-format.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([a-z-]+)` \| (error|warning|note) \|", doc, re.M))
    assert {(t.code, t.severity) for t in P.ALL_TYPES} <= documented


def long_case_list(fw: Framework, n: int) -> Table:
    """``n`` candidate cases over every area, with carried, ignored and not-carried columns."""
    header = ["Case reference", "Area of practice", "Force", "Date reported", "Child age"]
    table: Table = [[*header, "Team", "Overall grade"]]
    areas = fw.areas_of_practice
    for i in range(n):
        area = areas[i % len(areas)]
        name = (area.label, area.id, area.label.upper())[i % 3]
        table.append([f"R{i:06d}", name, "Force C", f"{1 + i % 28:02d}/03/2024", i % 18, "T", ""])
    return table


def test_reading_a_case_list_is_linear(
    tmp_path: Path, fw: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No row of cells is built per case (that made reading quadratic): sheets are read a
    column at a time, so only the header search builds rows, however long the list. The
    Python calls made grow in proportion to the rows. Counts, not a clock."""
    cells = [0]
    head, row = RawSheet.head, RawSheet.row  # RawSheet.rows goes through head

    def counting_head(self: RawSheet, n: int) -> list[list[Any]]:
        built = head(self, n)
        cells[0] += sum(map(len, built))
        return built

    def counting_row(self: RawSheet, i: int) -> list[Any]:
        built = row(self, i)
        cells[0] += len(built)
        return built

    monkeypatch.setattr(RawSheet, "head", counting_head)
    monkeypatch.setattr(RawSheet, "row", counting_row)
    built: dict[int, int] = {}
    calls: dict[int, int] = {}
    for n in (1_000, 4_000):
        path = write_csv(tmp_path / f"list-{n}.csv", long_case_list(fw, n))
        cells[0] = 0
        count = [0]

        def tally(frame: Any, event: str, arg: Any, count: list[int] = count) -> None:
            count[0] += 1

        sys.setprofile(tally)
        try:
            found = read_case_list([path], fw)
        finally:
            sys.setprofile(None)
        assert found.ok, found.errors[:3]
        assert len(found.cases) == n
        assert found.cases[-1].fields["child_age"] == (n - 1) % 18
        built[n], calls[n] = cells[0], count[0]
    width = len(long_case_list(fw, 1)[0])
    assert built[1_000] == built[4_000] <= 2 * (HEADER_SEARCH_ROWS + 1) * width
    assert calls[4_000] < 5 * calls[1_000]  # linear: about 4 times; quadratic: 16


# --------------------------------------------------------------------------- drawing


def test_same_seed_same_sample_different_seed_differs(listed: CaseList) -> None:
    first = draw_sample(listed, per_area=3, seed=2026)
    assert refs(first) == refs(draw_sample(listed, per_area=3, seed=2026))
    assert refs(first) != refs(draw_sample(listed, per_area=3, seed=2027))
    assert len(set(refs(first))) == len(refs(first))


def test_row_order_does_not_change_the_sample(tmp_path: Path, fw: Framework) -> None:
    table = case_list_table(fw)
    drawn = []
    for i, version in enumerate((table, shuffled(table, 1), shuffled(table, 2))):
        path = write_csv(tmp_path / f"list{i}.csv", version)
        drawn.append(refs(draw_sample(read_case_list([path], fw), total=25, seed=7)))
    xlsx = write_xlsx(tmp_path / "list.xlsx", shuffled(table, 3))
    drawn.append(refs(draw_sample(read_case_list([xlsx], fw), total=25, seed=7)))
    assert drawn[0] == drawn[1] == drawn[2] == drawn[3]


def test_fixed_number_per_area(listed: CaseList, fw: Framework) -> None:
    sample = draw_sample(listed, per_area=3, seed=1)
    assert per_area(sample) == {a.id: 3 for a in fw.areas_of_practice}
    assert len(sample.cases) == 3 * len(SIZES)
    by_ref = {c.case_ref: c for c in listed.cases}
    for case in sample.cases:
        assert by_ref[case.case_ref].area == case.area
    # a bigger sample keeps the cases already drawn
    bigger = draw_sample(listed, per_area=4, seed=1, take_all_small=True)
    assert set(refs(sample)) < set(refs(bigger))


def test_more_per_area_extends_the_same_draw(listed: CaseList) -> None:
    small = draw_sample(listed, per_area=2, seed=5, areas=["s47_enquiries", "domestic_abuse"])
    large = draw_sample(listed, per_area=3, seed=5, areas=["s47_enquiries", "domestic_abuse"])
    assert set(refs(small)) < set(refs(large))
    # and an area's draw does not depend on which other areas are sampled
    alone = draw_sample(listed, per_area=2, seed=5, areas=["s47_enquiries"])
    assert set(refs(alone)) < set(refs(small))


def test_proportional_sums_to_total_and_keeps_the_minimum(listed: CaseList) -> None:
    sample = draw_sample(listed, total=30, min_per_area=2, seed=1)
    counts = per_area(sample)
    assert sum(counts.values()) == len(sample.cases) == 30
    assert min(counts.values()) >= 2
    # by hand: 30 of 74 in proportion, the two smallest lifted to 2, remainders by size
    assert list(counts.values()) == [5, 3, 2, 2, 8, 3, 3, 2, 2]
    assert "largest-remainder" in sample.note.method
    assert [a.frame for a in sample.note.areas] == list(SIZES)


@given(
    frames=st.lists(st.integers(0, 60), min_size=1, max_size=12),
    data=st.data(),
)
def test_allocate_is_exact_and_within_bounds(frames: list[int], data: Any) -> None:
    named = {f"a{i}": n for i, n in enumerate(frames)}
    minimum = data.draw(st.integers(0, 5))
    floors = {a: min(minimum, n) for a, n in named.items()}
    total = data.draw(st.integers(sum(floors.values()), sum(frames)))
    result = allocate(named, total, floors)
    assert sum(result.values()) == total
    assert all(floors[a] <= result[a] <= named[a] for a in named)
    grand = sum(frames)
    for a, n in named.items():  # never more than one above its exact proportional share
        if grand:
            assert result[a] <= max(floors[a], total * n / grand + 1)


def test_too_small_area_stops_unless_take_all_small(listed: CaseList) -> None:
    with pytest.raises(SampleError) as caught:
        draw_sample(listed, per_area=5, seed=1)
    details = "\n".join(caught.value.details)
    assert "Police protection powers (s46): 3 case(s) in the list, 5 asked" in details
    assert "Child sexual exploitation: 4 case(s) in the list, 5 asked" in details
    sample = draw_sample(listed, per_area=5, seed=1, take_all_small=True)
    counts = per_area(sample)
    assert counts["police_protection"] == 3 and counts["cse"] == 4
    assert counts["s47_enquiries"] == 5
    assert any("Police protection powers (s46)" in w for w in sample.note.warnings)


# --------------------------------------------------------------------------- command


def test_cli_writes_a_template_that_loads(tmp_path: Path, fw: Framework) -> None:
    source = write_xlsx(tmp_path / "case_list.xlsx", case_list_table(fw))
    target = tmp_path / "sample.xlsx"
    code, _, err = run(
        "sample", str(source), "--per-area", "2", "--seed", "2026", "-o", str(target)
    )
    assert code == 0, err
    assert "18 case(s) drawn" in err
    loaded = load_cases([target], fw)
    assert len(loaded.rejected) == 18  # every row read, none scoreable until answered
    assert {p.code for p in loaded.errors} <= {"no-answers", "required-stage-blank"}
    assert "no-answers" in {p.code for p in loaded.errors}
    sheet = next(s for s in read_file(target).sheets if s.name == "Cases")
    header = [str(v) for v in sheet.rows[HEADER_ROW]]
    written = [
        dict(zip(header, row, strict=False)) for row in sheet.rows[FIRST_DATA_ROW:] if row[0]
    ]
    expected = draw_sample(read_case_list([source], fw), per_area=2, seed=2026).template_rows()
    assert [r["Case reference"] for r in written] == [r["case_ref"] for r in expected]
    first = written[0]
    assert first["Force"] == "Force C" and first["Audit type"] == "self-assessment"
    assert first["Area of practice"] == "Domestic abuse"
    assert first["Date reported"] == "2024-03-05"
    book = openpyxl.load_workbook(target, read_only=True)
    assert book.sheetnames[0] == "Cases" and "Sample" in book.sheetnames
    notes = {r[0]: r[1] for r in book["Sample"].iter_rows(values_only=True) if r[0]}
    book.close()
    assert notes["Seed"] == "2026"
    assert notes["Cases drawn"] == "18" and notes["Cases in the list"] == "74"
    assert notes["Section 47 enquiries"] == "20 / 2 / 2"
    assert "case_list.xlsx" in notes["Case list"]


def test_cli_same_seed_same_workbook_rows(tmp_path: Path, fw: Framework) -> None:
    source = write_csv(tmp_path / "list.csv", case_list_table(fw))
    outputs = []
    for name, seed in (("a.xlsx", "9"), ("b.xlsx", "9"), ("c.xlsx", "10")):
        code, _, err = run(
            "sample", str(source), "--total", "20", "--seed", seed, "-o", str(tmp_path / name)
        )
        assert code == 0, err
        rows = next(s for s in read_file(tmp_path / name).sheets if s.name == "Cases").rows
        outputs.append([r[0] for r in rows[FIRST_DATA_ROW:] if r[0]])
    assert outputs[0] == outputs[1] != outputs[2]
    assert len(outputs[0]) == 20


def test_cli_too_small_area_is_exit_1_naming_it(tmp_path: Path, fw: Framework) -> None:
    source = write_csv(tmp_path / "list.csv", case_list_table(fw))
    target = tmp_path / "sample.xlsx"
    code, _, err = run("sample", str(source), "--per-area", "4", "--seed", "1", "-o", str(target))
    assert code == 1
    assert "Police protection powers (s46): 3 case(s) in the list, 4 asked" in err
    assert "--take-all-small" in err and not target.exists()
    code, _, err = run(
        "sample",
        str(source),
        "--per-area",
        "4",
        "--seed",
        "1",
        "-o",
        str(target),
        "--take-all-small",
    )
    assert code == 0, err
    assert "warning" in err and "Police protection powers (s46)" in err
    assert len(load_cases([target], fw).rejected) == 8 * 4 + 3


def test_cli_proportional_minimum_too_high(tmp_path: Path, fw: Framework) -> None:
    source = write_csv(tmp_path / "list.csv", case_list_table(fw))
    code, _, err = run("sample", str(source), "--total", "10", "--min-per-area", "2", "--seed", "1")
    assert code == 1 and "needs 18" in err


def test_cli_bad_case_list_is_exit_1_with_locations(tmp_path: Path) -> None:
    source = write_csv(
        tmp_path / "bad.csv",
        [
            ["case_ref", "area_of_practice"],
            ["C1", "Domestic abuse"],
            ["", "s47"],
            ["C1", "da"],
            ["C3", "Burglary"],
        ],
    )
    code, _, err = run("sample", str(source), "--per-area", "1", "--seed", "1")
    assert code == 1
    assert "bad.csv, row 3, column A" in err and "blank" in err
    assert "bad.csv, row 4" in err and "appears again" in err
    assert "bad.csv, row 5, column B" in err and "'Burglary' is not allowed" in err
    assert "no sample drawn" in err


def test_cli_prints_the_sample_without_output(tmp_path: Path, fw: Framework) -> None:
    source = write_csv(tmp_path / "list.csv", case_list_table(fw))
    code, out, err = run("sample", str(source), "--per-area", "1", "--seed", "3", "--area", "s47")
    assert code == 0, err
    sample = draw_sample(read_case_list([source], fw), per_area=1, seed=3, areas=["s47_enquiries"])
    assert "Seed" in out and "3" in out and "Section 47 enquiries" in out
    assert sample.cases[0].case_ref in out
    assert "Cases drawn (1)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--per-area", "2"], "give --seed N"),
        (["--seed", "1"], "either --per-area N or --total N"),
        (["--seed", "1", "--per-area", "2", "--total", "9"], "either --per-area N or --total N"),
        (["--seed", "1", "--per-area", "2", "--min-per-area", "1"], "goes with --total"),
        (["--seed", "1", "--per-area", "2", "-o", "sample.csv"], "give a .xlsx file name"),
        (["--seed", "1", "--per-area", "2", "--area", "burglary"], "unknown area of practice"),
    ],
)
def test_cli_usage_mistakes_are_exit_2(
    tmp_path: Path, fw: Framework, args: list[str], message: str
) -> None:
    source = write_csv(tmp_path / "list.csv", case_list_table(fw))
    code, _, err = run("sample", str(source), *args)
    assert code == 2 and message in err


def test_cli_refuses_to_overwrite(tmp_path: Path, fw: Framework) -> None:
    source = write_csv(tmp_path / "list.csv", case_list_table(fw))
    target = tmp_path / "sample.xlsx"
    target.write_bytes(b"keep")
    code, _, err = run("sample", str(source), "--per-area", "1", "--seed", "1", "-o", str(target))
    assert code == 2 and "already exists" in err and target.read_bytes() == b"keep"


def test_help_has_an_example() -> None:
    code, out, _ = run("sample", "--help")
    assert code == 0 and "Example" in out and "--seed" in out
