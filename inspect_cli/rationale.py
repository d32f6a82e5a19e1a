"""A rationale where the auditor's grade differs from the framework's suggestion (the
framework's ``reporting.rationale_required_when_differs``: warning, error or off).

The suggestion is known only once cases are scored, so this is the check made after
scoring, here once: :func:`inspect_cli.pipeline.load_and_score` (every scoring
command) and :func:`inspect_cli.pipeline.checked_load` (``validate``) both call
:func:`after_scoring`. A grade differs when the recorded overall grade counts as
another reporting grade than the suggested one, as the judgement-and-rule section
compares them. Each problem is located at the case's Grade rationale cell (its
Overall grade cell when the sheet has no rationale column). As an error, the row is
refused like any row in error: listed, and left out with ``--allow-partial``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from inspect_cli import problems as P
from inspect_cli.identity import clean_text
from inspect_cli.load.sheet import ColumnAt
from inspect_cli.problems import Problem

if TYPE_CHECKING:
    from inspect_cli.score import ScoreResult

RATIONALE = "grade_rationale"


def _says_something(text: str) -> bool:
    return any(ch.isalnum() for ch in clean_text(text))


def rationale_problems(result: ScoreResult) -> tuple[np.ndarray, list[Problem]]:
    """The rows (positions) whose grade differs from the suggestion with no rationale,
    and a problem for each, at the framework's severity (none when it is ``off``)."""
    fw = result.framework
    setting = fw.reporting.rationale_required_when_differs
    scored, cases = result.scored, result.cases
    if setting == "off" or scored.empty:
        return np.zeros(0, dtype=np.int64), []
    counts_as = scored["recorded_counts_as"].astype("string")
    suggested = scored["grade"].astype("string")
    differs = (counts_as != suggested).to_numpy(dtype=bool, na_value=False)
    if RATIONALE in cases:
        # A rationale says something: a cell of invisible characters (a zero-width
        # space, a filler) or of punctuation only ('-', '.') is blank. Only the rows
        # whose grade differs need reading.
        blank = np.ones(len(cases), dtype=bool)
        rows = np.flatnonzero(differs)
        texts = cases[RATIONALE].iloc[rows].tolist()
        # Each distinct text read once: a team's rationales repeat ('see notes').
        says = {t: _says_something(t) for t in set(texts) if isinstance(t, str)}
        blank[rows] = [not says.get(t, False) for t in texts]
    else:
        blank = np.ones(len(cases), dtype=bool)
    rows = np.flatnonzero(differs & blank)
    if not len(rows):
        return rows, []
    places = {(c.file, c.sheet, c.field_id): c for c in result.load.columns}
    labels = {g.id: g.label for g in fw.case_grades}
    part = pd.DataFrame(
        {
            "file": cases["source_file"].iloc[rows].to_numpy(),
            "sheet": cases["source_sheet"].iloc[rows].to_numpy(),
            "row": cases["source_row"].iloc[rows].to_numpy(),
            "recorded": scored["recorded_grade"].iloc[rows].to_numpy(),
            "counts_as": counts_as.iloc[rows].to_numpy(),
            "suggested": suggested.iloc[rows].to_numpy(),
        }
    )
    found = []
    for file, sheet, row, recorded, as_grade, suggestion in part.itertuples(index=False):
        sheet_name = str(sheet) or None  # a CSV has no sheet
        cell: ColumnAt | None = places.get((str(file), sheet_name, RATIONALE)) or places.get(
            (str(file), sheet_name, "overall_grade")
        )
        problem = P.RATIONALE_MISSING.at(
            str(file),
            sheet_name,
            int(row),
            cell.letter if cell else None,
            cell.header if cell else None,
            recorded=labels.get(str(recorded), str(recorded)),
            counts_as=str(as_grade),
            suggested=str(suggestion),
            setting=setting,
        )
        found.append(replace(problem, severity="error") if setting == "error" else problem)
    return rows, found


def after_scoring(result: ScoreResult) -> ScoreResult:
    """``result`` with the problems only scoring finds added to its load's; rows in
    error (``error`` setting) are moved to the rejected rows, as a row in error at
    loading is, so a report with ``--allow-partial`` leaves them out and says so."""
    rows, found = rationale_problems(result)
    if not found:
        return result
    load = result.load
    load = replace(load, problems=(*load.problems, *found))
    if not any(p.is_error for p in found):
        return replace(result, load=load)
    cases = load.cases
    refused = pd.DataFrame(
        {
            "source_file": cases["source_file"].iloc[rows].to_numpy(),
            "source_sheet": cases["source_sheet"].iloc[rows].to_numpy(),
            "source_row": cases["source_row"].iloc[rows].to_numpy(),
            "reason": [p.message for p in found],
        }
    )
    rejected = pd.concat([load.rejected, refused], ignore_index=True)
    keep = np.ones(len(cases), dtype=bool)
    keep[rows] = False
    kept = cases["source_file"][keep].value_counts()
    sources = tuple(replace(s, cases=int(kept.get(s.name, 0))) for s in load.sources)
    return replace(result, load=replace(load, rejected=rejected, sources=sources)).only(keep)
