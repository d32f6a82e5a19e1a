#!/usr/bin/env python
"""Seeded audit workbooks for the benchmark, in the project's own format.

    python bench/make_workbooks.py --cases 1000 10000 100000 --out bench/data [--seed 2014]
    python bench/make_workbooks.py --cases --case-lists 100000 --out bench/data

One .xlsx per size (``cases-1k.xlsx``, ``cases-10k.xlsx``, ...), one sheet "Cases",
the human column labels on row 1, 43 forces ("Force 01" … "Force 43") of varying size,
inspector and self-assessment rows (some cases audited by both, same reference).
Cases, answers, dates and comments come from ``scripts/make_samples.py`` (imported,
not copied), so they follow the framework and the sample data's realism: each force has
its own grade profile and habits (generosity of its self-assessment, answer spellings,
how it writes N/A, blank stages), and answers are drawn to earn the case's grade.

Each force has its own random stream, so the same seed and size give the same cells;
forces are generated in parallel (``--jobs``) and written in order, streamed through
xlsxwriter's constant_memory mode.

``--case-lists`` writes case lists for ``inspect-cli sample`` (``case-list-100k.xlsx``):
one force's candidate cases, one row each, with a title above the header, areas
written as labels, ids or aliases, date cells and typed dates, ages, flags and
columns the tool ignores. Seeded the same way; every list reads with no errors.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from functools import cache, partial
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import xlsxwriter

from inspect_cli.frameworks import response_words

REPO = Path(__file__).resolve().parents[1]
N_FORCES = 43
SHEET = "Cases"
INSPECTION = dt.date(2014, 4, 1)
# (chance a case is audited by inspectors only, by both, by the force only)
AUDIT_MIX = (0.6, 0.3, 0.1)


def _load_samples() -> ModuleType:
    name = "make_samples"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, REPO / "scripts" / "make_samples.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


ms = _load_samples()


@cache
def framework() -> Any:
    return ms.resolve_framework(ms.FRAMEWORK)


def size_label(n: int) -> str:
    """1000 → '1k', 100000 → '100k', 1500 → '1500'."""
    return f"{n // 1000}k" if n % 1000 == 0 else str(n)


def workbook_path(out: Path, n: int) -> Path:
    return out / f"cases-{size_label(n)}.xlsx"


def make_force(k: int, seed: int) -> Any:
    """Force k (1-based) with its own habits: generosity, messiness, how it writes N/A."""
    rng = np.random.default_rng([seed, k, 0])
    audit_words = [("Self-assessment", "Inspector"), ("Force", "HMIC"), ("Self assessment", "HMIC")]
    return ms.Force(
        f"{k:02d}",
        None,
        profile=tuple(rng.dirichlet([3.0, 3.5, 2.5])),
        self_bias=float(rng.uniform(0.1, 0.4)),
        messiness=float(rng.uniform(0.0, 0.12)),
        na_blank=float(rng.uniform(0.0, 0.8)),
        ethnicity_blank=float(rng.uniform(0.3, 0.7)),
        na_word=[None, None, "N/A", "n/a"][int(rng.integers(4))],
        audit_words=audit_words[int(rng.integers(len(audit_words)))],
        superficial=bool(rng.random() < 0.1),
    )


def force_sizes(n: int, seed: int) -> list[int]:
    """Rows per force: forces differ in size (a multinomial split of n)."""
    rng = np.random.default_rng([seed, 0])
    weights = rng.uniform(0.4, 1.6, N_FORCES)
    return [int(x) for x in rng.multinomial(n, weights / weights.sum())]


def force_rows(k: int, n_rows: int, seed: int) -> list[list[Any]]:
    """Exactly ``n_rows`` rendered rows (cell values) for force k."""
    fw = framework()
    force = make_force(k, seed)
    rng = np.random.default_rng([seed, k])
    render = ms.Renderer(fw, force, np.random.default_rng([seed, k, 1]))
    cols = ms.columns(fw, force)
    inspection = INSPECTION + dt.timedelta(days=7 * k)
    numbers = rng.choice(10 * max(n_rows, 1000), size=n_rows, replace=False) + 1
    inspectors = [f"Insp. {x:02d}" for x in rng.choice(np.arange(1, 60), size=5, replace=False)]
    rows: list[list[Any]] = []
    for number in numbers:
        if len(rows) >= n_rows:
            break
        case = ms.new_case(rng, fw, force, ms.weighted_choice(rng, ms.GRADES, force.profile))
        # As in the samples: about one recorded conclusion in twelve differs from the answers.
        drawn_for = ms.neighbour(rng, case.quality) if rng.random() < 0.08 else case.quality
        truth = ms.answers_for_grade(rng, fw, case, drawn_for, blank_rate=0.015)
        case.facts.update(ms.draw_dates(rng, fw, case, truth, inspection))
        case.facts["round"] = INSPECTION.year  # the inspection round, if the format has it
        case.ref = f"F{k:02d}-{case.facts['date_reported'].year % 100:02d}-{int(number):06d}"
        mix = int(rng.choice(3, p=AUDIT_MIX))
        audits: list[Any] = []
        if mix > 0 and len(rows) + (mix == 1) + 1 <= n_rows:
            audits.append(ms.self_audit(rng, fw, force, case, truth, inspection))
        if mix < 2 and len(rows) + len(audits) < n_rows:
            audits.append(
                ms.Audit(
                    case,
                    "inspector",
                    truth,
                    ms.record_grade(rng, fw, case.quality),
                    inspectors[int(rng.integers(len(inspectors)))],
                    inspection + dt.timedelta(days=int(rng.integers(0, 21))),
                    ms.draw_comments(rng, fw, case, truth, rate=0.15),
                )
            )
        rows += [render.row(a, cols, batch=1) for a in audits]
    if len(rows) != n_rows:  # only if references ran out, which they cannot
        raise RuntimeError(f"force {k}: {len(rows)} rows, wanted {n_rows}")
    return rows


class _Book:
    """One case workbook being written: sheet "Cases", the labels on row 1, then rows."""

    def __init__(self, path: Path, seed: int) -> None:
        header = [h for _, h in ms.columns(framework(), make_force(1, seed))]
        options = {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "default_date_format": "dd/mm/yyyy",
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path, self.tmp = path, path.with_suffix(".tmp.xlsx")
        self.wb = xlsxwriter.Workbook(str(self.tmp), options)
        self.wb.set_properties({"created": ms.CREATED, "author": "inspect-cli bench generator"})
        self.ws = self.wb.add_worksheet(SHEET)
        self.ws.freeze_panes(1, 1)
        self.ws.set_column(0, len(header) - 1, 16)
        self.ws.write_row(0, 0, header, self.wb.add_format({"bold": True, "text_wrap": True}))
        self.row = 1

    def write(self, rows: list[list[Any]]) -> None:
        for values in rows:
            self.ws.write_row(self.row, 0, values)  # None cells are skipped (blank)
            self.row += 1

    def close(self) -> None:
        self.wb.close()
        self.tmp.replace(self.path)


def write_workbook(path: Path, n: int, seed: int, jobs: int) -> None:
    book = _Book(path, seed)
    with ProcessPoolExecutor(jobs) as pool:
        work = partial(force_rows, seed=seed)
        for rows in pool.map(work, range(1, N_FORCES + 1), force_sizes(n, seed)):
            book.write(rows)
    book.close()


def folder_path(out: Path, n: int) -> Path:
    return out / f"folder-{size_label(n)}"


def write_folder(folder: Path, n: int, seed: int, jobs: int) -> None:
    """The shape a national thematic has: one workbook per force (``force-01.xlsx`` …),
    the same rows as ``cases-N.xlsx`` of the same size and seed, split by force."""
    with ProcessPoolExecutor(jobs) as pool:
        work = partial(force_rows, seed=seed)
        for k, rows in enumerate(pool.map(work, range(1, N_FORCES + 1), force_sizes(n, seed)), 1):
            book = _Book(folder / f"force-{k:02d}.xlsx", seed)
            book.write(rows)
            book.close()


# --------------------------------------------------------------------------- case lists

CASE_LIST_HEADER = (
    "Case reference",
    "Area of practice",
    "Force",
    "Date reported",
    "Child age",
    "Looked after",
    "Team",  # not a case column: ignored with a note
    "Officer in case",  # likewise
)
# Areas' shares of a force's child-protection caseload (rough, for realism only).
AREA_WEIGHTS = (0.30, 0.18, 0.10, 0.04, 0.16, 0.05, 0.08, 0.05, 0.04)


def case_list_path(out: Path, n: int) -> Path:
    return out / f"case-list-{size_label(n)}.xlsx"


def case_list_rows(n: int, seed: int) -> list[list[Any]]:
    """``n`` candidate cases of one force: unique references, messy but valid cells."""
    fw = framework()
    rng = np.random.default_rng([seed, 99])
    areas = fw.areas_of_practice
    spellings = [(a.label, a.id, a.label.upper(), response_words(a)[-1]) for a in areas]
    weights = np.asarray(AREA_WEIGHTS[: len(areas)], dtype=float)
    area_of = rng.choice(len(areas), size=n, p=weights / weights.sum())
    numbers = rng.choice(10 * n, size=n, replace=False) + 1
    start = dt.date(2013, 4, 1)
    days = rng.integers(0, 365, size=n)
    rows: list[list[Any]] = []
    for k in range(n):
        reported = start + dt.timedelta(days=int(days[k]))
        age = int(rng.integers(0, 18)) if rng.random() > 0.05 else None
        rows.append(
            [
                f"CR/{reported.year % 100:02d}/{int(numbers[k]):07d}",
                spellings[int(area_of[k])][int(rng.choice(4, p=(0.7, 0.1, 0.1, 0.1)))],
                "Force 01",
                # Mostly date cells; some typed day-first, as exported lists mix them.
                reported if rng.random() < 0.8 else reported.strftime("%d/%m/%Y"),
                age,
                ("yes", "no", "unknown", None)[int(rng.choice(4, p=(0.1, 0.7, 0.1, 0.1)))],
                f"Team {int(rng.integers(1, 9))}",
                f"DC {int(rng.integers(1000, 9999))}",
            ]
        )
    return rows


def write_case_list(path: Path, n: int, seed: int) -> None:
    options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    wb = xlsxwriter.Workbook(str(tmp), options)
    wb.set_properties({"created": ms.CREATED, "author": "inspect-cli bench generator"})
    ws = wb.add_worksheet("Case list")
    dates = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["Force 01: open child-protection cases, 2013-14"])
    ws.write_row(2, 0, CASE_LIST_HEADER, wb.add_format({"bold": True}))
    for i, values in enumerate(case_list_rows(n, seed), start=3):
        for j, value in enumerate(values):
            if isinstance(value, dt.date):
                ws.write_datetime(i, j, dt.datetime.combine(value, dt.time()), dates)
            elif value is not None:
                ws.write(i, j, value)
    wb.close()
    tmp.replace(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, nargs="*", default=[1000, 10_000])
    parser.add_argument(
        "--case-lists", type=int, nargs="*", default=[], help="case lists for `sample`"
    )
    parser.add_argument(
        "--folders", type=int, nargs="*", default=[], help="folders of 43 force workbooks"
    )
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "data")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    ms.check_hints(framework())  # loaded once, before the workers fork
    for n in args.cases:
        path = workbook_path(args.out, n)
        start = time.perf_counter()
        write_workbook(path, n, args.seed, max(1, args.jobs))
        took = time.perf_counter() - start
        print(f"{path}: {n:,} cases, {path.stat().st_size / 1e6:.1f} MB, {took:.1f} s")
    for n in args.folders:
        folder = folder_path(args.out, n)
        start = time.perf_counter()
        write_folder(folder, n, args.seed, max(1, args.jobs))
        took = time.perf_counter() - start
        mb = sum(p.stat().st_size for p in folder.glob("*.xlsx")) / 1e6
        print(f"{folder}: {n:,} cases in {N_FORCES} workbooks, {mb:.1f} MB, {took:.1f} s")
    for n in args.case_lists:
        path = case_list_path(args.out, n)
        start = time.perf_counter()
        write_case_list(path, n, args.seed)
        took = time.perf_counter() - start
        print(f"{path}: {n:,} candidate cases, {path.stat().st_size / 1e6:.1f} MB, {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
