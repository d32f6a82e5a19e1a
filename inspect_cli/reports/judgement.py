"""Judgement and rule: the auditor's recorded conclusion beside the grade the
framework's rules suggest.

The source method is a professional judgement, not a score (see docs/scoring.md):
the framework's grade is a suggestion, and where the auditor recorded a conclusion,
that is the grade of record. This section says how often the two agree, in which
direction they differ, and (internal force reports) which cases differ, with the
auditor's rationale. Workbooks record an overall conclusion only, so the comparison
is of case grades; stage grades are the framework's alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.stats import pct

RATIONALE = "grade_rationale"


@dataclass(frozen=True)
class JudgementRow:
    """One force's (or all forces') recorded grades against the suggested ones."""

    label: str
    compared: int
    """Cases with both a recorded conclusion and a suggested grade."""
    agree: int
    agree_pct: int | None
    recorded_higher: int
    recorded_lower: int
    without_rationale: int
    """Cases whose recorded grade differs from the suggestion with no rationale given."""


@dataclass(frozen=True)
class Difference:
    """A case whose recorded grade differs from the framework's suggestion."""

    case_ref: str
    area: str
    recorded: str  # the auditor's word, e.g. 'requires improvement'
    counts_as: str
    suggested: str
    rationale: str | None

    @property
    def counts_as_rank(self) -> int:
        return GRADES.index(self.counts_as)

    @property
    def suggested_rank(self) -> int:
        return GRADES.index(self.suggested)


@dataclass(frozen=True)
class JudgementAndRule:
    rows: tuple[JudgementRow, ...]
    """Per force, then all forces (thematic); the one force (force report)."""
    differences: tuple[Difference, ...] = ()
    """Internal force reports only: each case that differs, recorded higher first."""


def _rank(grades: pd.Series) -> np.ndarray:
    """0 for good … 2 for inadequate; -1 where there is no grade."""
    codes = {g: i for i, g in enumerate(GRADES)}
    return grades.astype("string").map(codes).fillna(-1).to_numpy(dtype=int)


def _row(
    label: str, recorded: np.ndarray, suggested: np.ndarray, missing: np.ndarray
) -> JudgementRow:
    both = (recorded >= 0) & (suggested >= 0)
    compared = int(both.sum())
    agree = int((both & (recorded == suggested)).sum())
    differs = both & (recorded != suggested)
    return JudgementRow(
        label=label,
        compared=compared,
        agree=agree,
        agree_pct=pct(agree, compared),
        recorded_higher=int((both & (recorded < suggested)).sum()),
        recorded_lower=int((both & (recorded > suggested)).sum()),
        without_rationale=int((differs & missing).sum()),
    )


def judgement_and_rule(
    fw: Framework,
    frame: pd.DataFrame,
    groups: tuple[str, ...] = (),
    total_label: str = "Total",
    differences: bool = False,
) -> JudgementAndRule | None:
    """The section for the cases in ``frame`` (one row per counted case): a row per
    force of ``groups`` and a total, or only the total when ``groups`` is empty. None
    when no case has a recorded conclusion (there is nothing to compare)."""
    recorded = _rank(frame["recorded_counts_as"])
    if not (recorded >= 0).any():
        return None
    suggested = _rank(frame["grade"])
    missing = _no_rationale(frame)
    rows = []
    for force in groups:
        mine = frame["force"].eq(force).to_numpy(dtype=bool, na_value=False)
        if (recorded[mine] >= 0).any():
            rows.append(_row(force, recorded[mine], suggested[mine], missing[mine]))
    rows.append(_row(total_label, recorded, suggested, missing))
    listed = _differences(fw, frame, recorded, suggested) if differences else ()
    return JudgementAndRule(tuple(rows), listed)


def _no_rationale(frame: pd.DataFrame) -> np.ndarray:
    if RATIONALE not in frame:
        return np.ones(len(frame), dtype=bool)
    text = frame[RATIONALE].astype("string").str.strip()
    return (text.isna() | text.eq("")).to_numpy(dtype=bool, na_value=True)


def _differences(
    fw: Framework, frame: pd.DataFrame, recorded: np.ndarray, suggested: np.ndarray
) -> tuple[Difference, ...]:
    rows = np.flatnonzero((recorded >= 0) & (suggested >= 0) & (recorded != suggested))
    part = frame.iloc[rows]  # only the cases that differ: a handful per force
    labels = {g.id: g.label.lower() for g in fw.case_grades}
    empty = pd.Series(pd.NA, index=part.index, dtype="string")
    text = part.get(RATIONALE, empty).astype("string").str.strip()
    out = [
        Difference(
            case_ref=str(ref),
            area=fw.area_by_id[str(area)].label if str(area) in fw.area_by_id else str(area),
            recorded=labels.get(str(word), str(word)),
            counts_as=GRADES[int(r)],
            suggested=GRADES[int(c)],
            rationale=None if pd.isna(why) or not why else str(why),
        )
        for ref, area, word, r, c, why in zip(
            part["case_ref"].tolist(),
            part["area_of_practice"].tolist(),
            part["recorded_grade"].tolist(),
            recorded[rows].tolist(),
            suggested[rows].tolist(),
            text.tolist(),
            strict=True,
        )
    ]
    # Recorded higher than suggested first (the direction a reader checks first), then by case.
    return tuple(sorted(out, key=lambda d: (d.counts_as_rank > d.suggested_rank, d.case_ref)))
