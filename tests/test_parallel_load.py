"""Files loaded several at once give exactly what loading them one after another gives:
the cases frame, every problem in order, the sources and the rejected rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import LoadResult, load_cases
from inspect_cli.load.files import workers
from tests.helpers.builders import (
    Table,
    case_table,
    fake_ole2,
    set_cell,
    truncate,
    write_csv,
    write_xlsx,
)


def force_table(fw: Framework, k: int, n: int) -> Table:
    table = case_table(fw, n, first=100 * k)
    for row in range(2, n + 2):
        table = set_cell(table, row, "Force", f"Force {k:02d}")
    return table


@pytest.fixture(scope="module")
def folder(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Force workbooks of different sizes, with good and broken files between them."""
    d = tmp_path_factory.mktemp("forces")
    for k in range(1, 9):
        write_xlsx(d / f"force-{k:02d}.xlsx", force_table(fw, k, 3 + 7 * (k % 3)))
    bad = set_cell(force_table(fw, 9, 6), 3, "Area of practice", "Gardening")  # one bad row
    write_xlsx(d / "force-09.xlsx", bad, errors={"A4": "#REF!"}, merge=["B5:C5"])
    write_csv(d / "force-10.csv", force_table(fw, 10, 5))
    write_xlsx(d / "force-11.xlsx", force_table(fw, 1, 2))  # Force 01's cases again
    truncate(write_xlsx(d / "force-12.xlsx", force_table(fw, 12, 4)))
    (d / "force-13.xlsx").write_bytes(b"")
    fake_ole2(d / "force-14.xlsx", encrypted=False)
    write_xlsx(d / "force-15.xlsx", {"Summary": [["Total", 3]], "Notes": [["none"]]})
    sheets = {"Cases": force_table(fw, 16, 12), "Old": force_table(fw, 16, 2)}
    write_xlsx(d / "force-16.xlsx", sheets, hidden=["Old"])
    return d


def assert_same(a: LoadResult, b: LoadResult) -> None:
    pd.testing.assert_frame_equal(a.cases, b.cases, check_exact=True)
    pd.testing.assert_frame_equal(a.rejected, b.rejected, check_exact=True)
    assert a.problems == b.problems
    assert a.sources == b.sources


def test_the_folder_is_loaded_with_every_kind_of_problem(fw: Framework, folder: Path) -> None:
    result = load_cases([folder], fw, threads=1)
    codes = {p.code for p in result.problems}
    assert len(result.sources) == 13 and len(result.cases) > 60 and len(result.rejected)
    assert len(codes) >= 10  # unreadable, empty, legacy, bad value, error cell, ...


@pytest.mark.parametrize("threads", [2, 3, 16])
def test_parallel_and_sequential_loads_are_identical(
    fw: Framework, folder: Path, threads: int
) -> None:
    assert_same(load_cases([folder], fw, threads=1), load_cases([folder], fw, threads=threads))


@pytest.mark.parametrize("threads", [1, 2])
def test_files_are_announced_in_file_order_and_meanwhile_runs_once(
    fw: Framework, folder: Path, threads: int
) -> None:
    seen: list[tuple[int, int, str]] = []
    ran: list[int] = []
    load_cases(
        [folder],
        fw,
        on_file=lambda i, n, name: seen.append((i, n, name)),
        prepare_next=lambda: ran.append(1),
        threads=threads,
    )
    names = sorted(p.name for p in folder.iterdir())
    assert seen == [(i, 16, name) for i, name in enumerate(names, start=1)]
    assert ran == [1]


def test_the_pool_is_sized_to_the_cores_and_the_files() -> None:
    assert workers(43, 2) == 2
    assert workers(1, 8) == 1  # one file: the sequential path
    assert workers(0, 8) == 1
    assert workers(5, 0) == 1
