"""The column-wise path of a case list: forces unified, duplicates found and the sample
drawn over :class:`~inspect_cli.sampling.candidates.CandidateColumns`, with no Python
object or key function per case.

Each step gives what its per-row reference gives (``unify_forces`` and
``find_duplicates`` in :mod:`~inspect_cli.sampling.candidates`, ``_shuffled`` in
:mod:`~inspect_cli.sampling.draw`): the same cases, problems and sample, byte for byte
(tests/test_sampling_columns.py). Where a rule decides something per case (a force's
spelling, a duplicate's error), the rule itself is called, on the few cases it
concerns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from inspect_cli.load import Register
from inspect_cli.problems import Problem
from inspect_cli.sampling.candidates import (
    Candidate,
    CandidateColumns,
    SheetCases,
    find_duplicates,
    one_by_one,
    unify_forces,
)


def settle(
    sheets: Sequence[SheetCases], register: Register | None, *, per_row: bool = False
) -> tuple[Sequence[Candidate], list[Problem]]:
    """A list's cases, each force spelt one way and each duplicate left out, and the
    problems saying so; with ``per_row``, by the reference path, one object per case."""
    if per_row:
        cases, unified = unify_forces([c for s in sheets for c in one_by_one(s)], register)
        again, found = find_duplicates(cases)
        dropped = set(again)
        return tuple(c for k, c in enumerate(cases) if k not in dropped), unified + found
    columns, unified = unify_columns(CandidateColumns.of(sheets), register)
    columns, found = without_duplicates(columns)
    return columns, unified + found


def unify_columns(
    cases: CandidateColumns, register: Register | None
) -> tuple[CandidateColumns, list[Problem]]:
    """:func:`~inspect_cli.sampling.candidates.unify_forces`, given the columns: the
    loader's rule run on the same frame, built from the columns."""
    import pandas as pd

    from inspect_cli.load.forces import unify_forces as unify

    named = np.nonzero(cases.has_force())[0]
    if not len(named):
        return cases, []
    files = np.array([s.file for s in cases.sheets], dtype=object)
    sheets = np.array([s.sheet or "" for s in cases.sheets], dtype=object)
    at = cases.sheet_of[named]
    frame = pd.DataFrame(
        {
            "source_file": files[at].tolist(),
            "source_sheet": sheets[at].tolist(),
            "source_row": cases.row[named].tolist(),
            "force": cases.force[named].tolist(),
            "_reason": [None] * len(named),
        }
    )
    frame, problems = unify(frame, register)
    force = cases.force.copy()
    force[named] = frame["force"].tolist()
    refused = np.fromiter((isinstance(r, str) for r in frame["_reason"]), bool, len(named))
    kept = np.ones(len(cases), dtype=bool)
    kept[named[refused]] = False
    return cases.with_force(force).take(np.nonzero(kept)[0]), problems


def without_duplicates(cases: CandidateColumns) -> tuple[CandidateColumns, list[Problem]]:
    """:func:`~inspect_cli.sampling.candidates.find_duplicates` on the columns: the cases
    whose key occurs more than once are found a column at a time, then the rule is run
    on those cases alone, in list order (so its errors are the same)."""
    import pandas as pd

    keys = pd.DataFrame({"force": cases.force_keys(), "case_ref": cases.case_ref})
    shared = np.nonzero(keys.duplicated(keep=False).to_numpy())[0]
    if not len(shared):
        return cases, []
    again, problems = find_duplicates([cases[int(i)] for i in shared])
    kept = np.ones(len(cases), dtype=bool)
    kept[shared[again]] = False
    return cases.take(np.nonzero(kept)[0]), problems


def draw_columns(
    cases: CandidateColumns, chosen: Sequence[str], counts: Mapping[str, int], seed: int
) -> list[Candidate]:
    """The cases drawn from each area in ``chosen`` (``counts[area]`` of them), by area,
    then by sort key: the draw of :mod:`~inspect_cli.sampling.draw`, with every case
    ordered at once rather than through a Python key per case."""
    rank = _sort_rank(cases)
    order = np.argsort(rank, kind="stable")  # the reference's stable sort by sort key
    area_sorted = cases.area[order]
    drawn: list[Candidate] = []
    for area in chosen:
        ordered = order[area_sorted == area]  # the area's cases, sorted
        ranks = rank[ordered]
        rng = np.random.default_rng([seed, int.from_bytes(area.encode("utf-8"), "big")])
        taken = rng.permutation(len(ordered))[: counts[area]]
        # The drawn cases by sort key; equal keys (only in a list not checked for
        # duplicates) stay in shuffled order, as the reference's stable sort keeps them.
        taken = taken[np.lexsort((np.arange(len(taken)), ranks[taken]))]
        drawn += [cases[int(i)] for i in ordered[taken]]
    return drawn


def _sort_rank(cases: CandidateColumns) -> np.ndarray:
    """Each case's place in the order of :meth:`Candidate.sort_key` (case reference, then
    force key); cases with equal keys share it. Only the references are sorted in Python
    (with no key function per case); a list names few forces."""
    import pandas as pd

    refs = cases.case_ref
    by_ref = np.array(sorted(range(len(refs)), key=refs.tolist().__getitem__), dtype=np.int64)
    ref_rank = np.zeros(len(refs), dtype=np.int64)
    if len(refs) > 1:
        ordered = refs[by_ref]
        ref_rank[by_ref[1:]] = np.cumsum(ordered[1:] != ordered[:-1])
    codes, distinct = pd.factorize(cases.force_keys())
    place = {key: k for k, key in enumerate(sorted(distinct.tolist()))}
    force_rank = np.array([place[key] for key in distinct.tolist()], dtype=np.int64)
    rank: np.ndarray = ref_rank * max(len(distinct), 1) + force_rank[codes]
    return rank
