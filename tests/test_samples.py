"""The committed sample_cases/ are exactly what scripts/make_samples.py makes, and load cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inspect_cli.frameworks import Framework
from inspect_cli.load import LoadResult, load_cases
from inspect_cli.read import read_file

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_cases"
SCRIPT = ROOT / "scripts" / "make_samples.py"
SAMPLE_FILES = sorted(p.name for p in SAMPLES.iterdir() if p.is_file())

# (self-assessment, inspector) rows per force for seed 2014; inspector rows are Table 2's sizes.
EXPECTED_ROWS = {  # inspector rows: Table 2's cases, then second readings of some of them
    "Force A": (29, 0),
    "Force B": (30, 81 + 10),
    "Force C": (28, 115 + 14),
    "Force D": (28, 114 + 51),
    "Force E": (30, 97 + 12),
    "Force F": (31, 35 + 4),
    "Force G": (33, 63 + 8),
    "Force H": (30, 71 + 9),
}
# Inspectors' recorded grades (good, adequate, inadequate): Table 2 of the thematic report.
TABLE_2 = {
    "Force B": (37, 20, 24),
    "Force C": (24, 34, 57),
    "Force D": (37, 49, 28),
    "Force E": (26, 27, 44),
    "Force F": (13, 9, 13),
    "Force G": (20, 23, 20),
    "Force H": (20, 17, 34),
}


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("samples")
    command = [sys.executable, str(SCRIPT), "--out", str(out), "--seed", "2014", "--round", "2014"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return out


@pytest.fixture(scope="module")
def loaded(fw: Framework) -> LoadResult:
    return load_cases([SAMPLES], fw)


def _cells(path: Path) -> dict[str, list[list[Any]]]:
    return {sheet.name: sheet.rows for sheet in read_file(path).sheets}


ROUND_2 = SAMPLES.parent / "sample_cases_2016"


@pytest.fixture(scope="module")
def regenerated_round_2(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("round2")
    command = [sys.executable, str(SCRIPT), "--out", str(out), "--seed", "2014", "--round", "2016"]
    subprocess.run(command, check=True, capture_output=True, text=True)
    return out


@pytest.mark.parametrize("name", sorted(p.name for p in ROUND_2.iterdir() if p.is_file()))
def test_second_round_is_reproducible(regenerated_round_2: Path, name: str) -> None:
    new, committed = regenerated_round_2 / name, ROUND_2 / name
    if new.suffix == ".xlsx":
        assert _cells(new) == _cells(committed)
    else:
        assert new.read_bytes() == committed.read_bytes()


def test_regenerating_makes_the_same_set_of_files(regenerated: Path) -> None:
    assert sorted(p.name for p in regenerated.iterdir()) == SAMPLE_FILES


@pytest.mark.parametrize("name", SAMPLE_FILES)
def test_regenerated_file_matches_committed(regenerated: Path, name: str) -> None:
    new, committed = regenerated / name, SAMPLES / name
    if new.suffix == ".xlsx":
        assert _cells(new) == _cells(committed)
    else:  # CSV and README: byte for byte
        assert new.read_bytes() == committed.read_bytes()


def test_samples_load_without_errors(loaded: LoadResult) -> None:
    assert not loaded.errors, [f"{p.location()}: {p.message}" for p in loaded.errors]
    assert loaded.rejected.empty
    assert loaded.rows_read == len(loaded.cases)


def test_samples_have_the_expected_forces_and_rows(loaded: LoadResult) -> None:
    sizes = loaded.cases.groupby(["force", "audit_type"]).size()
    found = {
        force: (
            int(sizes.get((force, "self-assessment"), 0)),
            int(sizes.get((force, "inspector"), 0)),
        )
        for force in sorted(set(loaded.cases["force"]))
    }
    assert found == EXPECTED_ROWS


def test_inspector_grades_reproduce_table_2(fw: Framework, loaded: LoadResult) -> None:
    inspector = loaded.cases[loaded.cases["audit_type"] == "inspector"]
    # Each case by its first reading (second readings follow it, as reports count them).
    inspector = inspector[~inspector.duplicated(["force", "case_ref"], keep="first")]
    counts_as = inspector["overall_grade"].map({g.id: g.counts_as for g in fw.case_grades})
    for force, expected in TABLE_2.items():
        mine = counts_as[inspector["force"] == force].value_counts()
        assert tuple(int(mine.get(g, 0)) for g in ("good", "adequate", "inadequate")) == expected
    assert (inspector["overall_grade"] == "excellent").sum() == 1


def test_all_digit_reference_keeps_its_leading_zeros(loaded: LoadResult) -> None:
    refs = set(loaded.cases.loc[loaded.cases["force"] == "Force G", "case_ref"])
    assert "00417" in refs
    assert all(len(ref) == 5 and ref.isdigit() for ref in refs)


def test_most_self_assessed_cases_were_reinspected(loaded: LoadResult) -> None:
    cases = loaded.cases
    for force in TABLE_2:
        mine = cases[cases["force"] == force]
        own = set(mine.loc[mine["audit_type"] == "self-assessment", "case_ref"])
        inspected = set(mine.loc[mine["audit_type"] == "inspector", "case_ref"])
        assert len(own & inspected) >= 0.7 * len(own)
