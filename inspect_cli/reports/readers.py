"""Agreement between inspectors over double-read cases (``moderate --between inspectors``).

A case read by more than one auditor (the loader accepts a second reading when the
auditors differ) is one unit; each reading's grade is one rating. Any number of
readings per case, so the coefficients are the multi-rater ones of
:mod:`inspect_cli.agreement` (Gwet's AC1 and AC2, Fleiss' kappa, Krippendorff's alpha),
which allow the number of readings to vary; Cohen's kappa and the confusion matrix
(first reading × second) only where every case was read exactly twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from inspect_cli.agreement import percent_agreement, rating_counts
from inspect_cli.errors import UsageError
from inspect_cli.frameworks import GRADES
from inspect_cli.provenance import Provenance
from inspect_cli.reports.coefficients import (
    Lead,
    Rated,
    alpha,
    choose_lead,
    fleiss,
    gwet_pair,
    two_rater_kappa,
)
from inspect_cli.reports.common import (
    ALL_FORCES,
    GradeSource,
    ReportMeta,
    find_force,
    report_meta,
    with_left_out_note,
    with_marking,
)
from inspect_cli.reports.counts import READING_KEY, counted_grade, grades_used
from inspect_cli.reports.drift import DriftSection, drift_for
from inspect_cli.score import ScoreResult
from inspect_cli.stats import pct

INSPECTOR: Final = "inspector"


@dataclass(frozen=True)
class ReadingDisagreement:
    case_ref: str
    grades: tuple[str, ...]  # in reading order
    agreed_grade: str | None


@dataclass(frozen=True)
class ReaderAgreement:
    label: str
    cases: int  # double-read cases with two or more graded readings
    readings: int
    readers: int  # distinct auditors
    unanimous: int  # cases where every reading gave the same grade
    unanimous_pct: int | None
    pairwise_agreement: float | None  # share of agreeing pairs of readings (Gwet's p_a)
    ac1: Rated
    ac2: Rated
    fleiss_kappa: Rated
    alpha_ordinal: float | None
    confusion: tuple[tuple[int, ...], ...] | None  # first × second reading: only all-pairs
    weighted_kappa: Rated | None
    lead: Lead
    disagreements: tuple[ReadingDisagreement, ...]


@dataclass(frozen=True)
class ReadersReport:
    meta: ReportMeta
    forces: tuple[ReaderAgreement, ...]
    overall: ReaderAgreement
    read_once: int  # inspector cases read by one auditor only: not in the figures
    drift: DriftSection | None = None
    """Each inspector against the rest of the team, over every inspector reading."""


def _readings(frame: pd.DataFrame) -> pd.DataFrame:
    """Inspector readings of double-read cases, with each reading's number (0, 1, …)."""
    insp = frame[frame["audit_type"] == INSPECTOR]
    key = [c for c in READING_KEY if c in insp]
    ids = insp[key].astype("string").fillna("")
    case = ids[key[0]]
    for column in key[1:]:  # column-wise, not a Python call per row
        case = case + "\x1f" + ids[column]
    insp = insp.assign(_case=case, _n=case.groupby(case).cumcount())
    sizes = case.map(case.value_counts())
    return insp[sizes >= 2]


def _agreement(label: str, part: pd.DataFrame) -> ReaderAgreement:
    graded = part[part["_grade"].notna()]
    wide = graded.pivot_table(index="_case", columns="_n", values="_code", aggfunc="first")
    wide = wide[wide.notna().sum(axis=1) >= 2]
    ratings = wide.to_numpy(dtype=float) if len(wide) else np.zeros((0, 2))
    counts = rating_counts(ratings, len(GRADES))
    n = len(counts)
    unanimous = int((counts.max(axis=1) == counts.sum(axis=1)).sum()) if n else 0
    ac1, ac2 = gwet_pair(counts, unanimous, n)
    kappa, confusion = _pair_kappa(ratings)
    multi = fleiss(counts, unanimous, n)
    lead = choose_lead(counts, kappa or multi, ac2, unanimous, n, who="the readers")
    cases = graded[graded["_case"].isin(wide.index)]
    auditors = cases["auditor"].astype("string").str.strip().str.casefold()
    return ReaderAgreement(
        label=label,
        cases=n,
        readings=int((~np.isnan(ratings)).sum()),
        readers=int(auditors.nunique()),
        unanimous=unanimous,
        unanimous_pct=pct(unanimous, n),
        pairwise_agreement=None if n == 0 else _round(percent_agreement(counts)),
        ac1=ac1,
        ac2=ac2,
        fleiss_kappa=multi,
        alpha_ordinal=alpha(ratings) if n >= 2 else None,
        confusion=confusion,
        weighted_kappa=kappa,
        lead=lead,
        disagreements=_disagreements(cases),
    )


def _round(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


def _pair_kappa(ratings: np.ndarray) -> tuple[Rated | None, tuple[tuple[int, ...], ...] | None]:
    """Cohen's weighted kappa, first reading × second, when every case has exactly two."""
    if ratings.shape[1] != 2 or np.isnan(ratings).any() or len(ratings) < 2:
        return None, None
    confusion = np.zeros((3, 3), dtype=int)
    np.add.at(confusion, (ratings[:, 0].astype(int), ratings[:, 1].astype(int)), 1)
    kappa = two_rater_kappa(confusion, ("the first reader", "the second reader"))
    return kappa, tuple(tuple(int(x) for x in row) for row in confusion)


def _disagreements(cases: pd.DataFrame) -> tuple[ReadingDisagreement, ...]:
    out = []
    agreed = (
        cases["agreed_grade"].astype("string")
        if "agreed_grade" in cases
        else pd.Series(pd.NA, index=cases.index, dtype="string")
    )
    for _case, rows in cases.groupby("_case", sort=False):
        grades = tuple(str(g) for g in rows.sort_values("_n")["_grade"])
        if len(set(grades)) > 1:
            given = agreed[rows.index].dropna()
            first = str(given.iloc[0]) if len(given) else None
            out.append(ReadingDisagreement(str(rows["case_ref"].iloc[0]), grades, first))
    return tuple(out)


def readers_report(
    result: ScoreResult,
    provenance: Provenance,
    *,
    force: str | None = None,
    grade_source: GradeSource = "auto",
    title: str | None = None,
) -> ReadersReport:
    frame = result.combined()
    scope = None
    if force is not None:
        present = sorted(set(frame["force"].dropna()))
        scope = find_force(force, present)
        frame = frame[frame["force"] == scope]
    grade, kind = counted_grade(frame, grade_source)
    codes = {g: i for i, g in enumerate(GRADES)}
    frame = frame.assign(_grade=grade, _code=grade.map(codes).astype("float"))
    readings = _readings(frame)
    if readings.empty:
        raise UsageError(
            "no inspector case was read by more than one auditor",
            details=(
                "--between inspectors compares the readings of double-read cases: inspector "
                "rows with the same force and case reference and different Auditor names",
            ),
        )
    forces = tuple(
        _agreement(str(name), readings[readings["force"] == name])
        for name in sorted(set(readings["force"].dropna()))
    )
    overall = _agreement(ALL_FORCES, readings)
    once = int((frame["audit_type"] == INSPECTOR).sum()) - len(readings)
    default = f"Agreement between inspectors{' — ' + forces[0].label if force else ''}"
    notes = (
        f"{overall.cases:,} double-read case(s); {once:,} inspector case(s) read once are "
        "not in these figures.",
    )
    meta = report_meta(
        result,
        title or default,
        INSPECTOR,
        grade_source,
        False,
        provenance,
        notes,
        (),
        grades_used(kind[readings.index]),
    )
    drift = drift_for(result, grade_source, scope or ALL_FORCES, force=scope)
    return ReadersReport(meta, forces, overall, once, drift)


def make_readers(
    result: ScoreResult,
    force: str | None,
    grade_source: GradeSource,
    title: str | None,
    marking: str | None,
    include_unapproved: bool = False,
) -> ReadersReport:
    """``moderate --between inspectors``: the report with its provenance and marking,
    over the approved readings only unless ``include_unapproved`` (review state)."""
    from inspect_cli.provenance import provenance_for
    from inspect_cli.reports.review import approved_only, review_note, with_review_note

    options = {
        "report": "moderate",
        "between": "inspectors",
        "force": force or "all",
        "grade_source": grade_source,
    }
    result, review = approved_only(result, include_unapproved)
    report = readers_report(
        result,
        provenance_for(result.framework, result.load, options),
        force=force,
        grade_source=grade_source,
        title=title,
    )
    report = with_review_note(report, review_note(review, force=force))
    return with_marking(with_left_out_note(report), marking)
