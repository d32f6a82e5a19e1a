"""Auditor drift: how each auditor's readings compare with the rest of the team.

For each auditor (the ``auditor`` column) over the readings in a report's scope: the
grades they gave (each reading's own grade of record, by the reports' one rule,
:func:`~inspect_cli.reports.counts.counted_grade`), the share of their indicator
answers that are the scale's worst answer, and, over double-read cases, how often
their grade matches the other readers'. Each is set against all other auditors
pooled, with an exact test (:mod:`inspect_cli.exact_tests`), Holm-adjusted over
every test in the section. An auditor with fewer than :data:`MIN_CASES` readings is
not tested: the section says there are too few to say.

A difference is a prompt for the lead inspector to look (auditors may simply have
been given different cases), never a finding about the auditor; renderers say so.
Internal only: auditor names never go into a published or anonymised report.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

import numpy as np
import pandas as pd

from inspect_cli.exact_tests import fisher_2xk, holm
from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.reports.common import GradeRow, GradeSource
from inspect_cli.reports.counts import READING_KEY, counted_grade, grade_row
from inspect_cli.score import ScoreResult
from inspect_cli.stats import mann_whitney_p, pct

MIN_CASES: Final = 10
"""Fewer readings than this (an auditor's, or the rest of the team's): not tested."""
LOOK_LEVEL: Final = 0.05
"""A Holm-adjusted p-value below this marks a difference worth a look."""

DriftStatus = Literal["compared", "no-auditor", "one-auditor"]


@dataclass(frozen=True)
class Tested:
    """One exact test of an auditor against the rest of the team."""

    p_value: float | None
    """Two-sided exact p-value; None: too few readings to test."""
    p_holm: float | None
    """Holm-adjusted over every test in the section."""
    look: bool
    """``p_holm`` below :data:`LOOK_LEVEL`."""


@dataclass(frozen=True)
class Share:
    count: int
    total: int
    pct: int | None


@dataclass(frozen=True)
class SecondReadings:
    """Pairs of readings of the same case (one reader's grade against another's)."""

    cases: int  # double-read cases in the pairs
    pairs: int
    agree: int
    agree_pct: int | None
    lower: int  # the auditor graded lower (worse) than the other reader
    higher: int


@dataclass(frozen=True)
class AuditorDrift:
    auditor: str
    cases: int
    """Readings by this auditor (a double-read case counts once per reader)."""
    grades: GradeRow
    rest_grades: GradeRow
    grade_test: Tested  # the whole grade distribution (Fisher–Freeman–Halton)
    worst: Share  # indicator answers that are the scale's worst, of those answered
    rest_worst: Share
    worst_test: Tested  # per-case shares, Mann–Whitney U (cases as units)
    second: SecondReadings  # this auditor's pairs with other readers
    rest_second: SecondReadings  # pairs of readings between other auditors
    second_test: Tested
    too_few: bool
    """Fewer than :data:`MIN_CASES` readings: not tested, 'too few to say'."""

    @property
    def look(self) -> bool:
        return self.grade_test.look or self.worst_test.look or self.second_test.look


@dataclass(frozen=True)
class DriftSection:
    scope: str  # the force, or 'All forces'
    audit_type: str
    status: DriftStatus
    auditors: tuple[AuditorDrift, ...]  # by name
    unnamed: int  # readings with no auditor recorded: not in the section
    tests: int  # how many tests the Holm adjustment covers
    min_cases: int = MIN_CASES
    level: float = LOOK_LEVEL


_NOT_TESTED = Tested(None, None, False)


def auditor_key(names: pd.Series) -> pd.Series:
    """One key per auditor, as the loader tells second readers apart: spacing and
    capitals do not make a different person."""
    text = names.astype("string").str.strip().str.replace(r"\s+", " ", regex=True)
    return text.str.casefold().where(text.ne(""))


def _worst_answers(fw: Framework, frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Per reading: indicator answers given (not blank, not 'not applicable'), and how
    many of them are the indicator's scale's worst answer (its last, as scales list
    answers best first)."""
    answered = np.zeros(len(frame), dtype=np.int64)
    worst = np.zeros(len(frame), dtype=np.int64)
    for ref in fw.indicators:
        if ref.full_id not in frame:
            continue
        codes = np.asarray(frame[ref.full_id].cat.codes)
        n = len(ref.scale.responses)
        answered += (codes >= 0) & (codes < n)
        worst += codes == n - 1
    return answered, worst


def _pairs(case: pd.Series, who: pd.Series, rank: pd.Series) -> pd.DataFrame:
    """Every pair of graded readings of one case by two different auditors."""
    part = pd.DataFrame({"case": case, "who": who, "rank": rank}).dropna()
    part = part[part["case"].duplicated(keep=False)]  # cases graded more than once
    if part.empty:  # no case read twice (most forces): the columns, without a merge
        none = part.reset_index(drop=True)
        return none.assign(
            who_a=none["who"], rank_a=none["rank"], who_b=none["who"], rank_b=none["rank"]
        )[["case", "who_a", "rank_a", "who_b", "rank_b"]]
    both = part.merge(part, on="case", suffixes=("_a", "_b"))
    return both[both["who_a"] < both["who_b"]].reset_index(drop=True)


def _second(pairs: pd.DataFrame, mine: np.ndarray, flip: np.ndarray) -> SecondReadings:
    """``mine``: the pairs to count; ``flip``: pairs where the auditor is reader b."""
    a = pairs["rank_a"].to_numpy(dtype=int)[mine]
    b = pairs["rank_b"].to_numpy(dtype=int)[mine]
    own, other = np.where(flip[mine], b, a), np.where(flip[mine], a, b)
    agree = int((own == other).sum())
    n = len(own)
    return SecondReadings(
        cases=int(pairs["case"][mine].nunique()),
        pairs=n,
        agree=agree,
        agree_pct=pct(agree, n),
        lower=int((own > other).sum()),  # a higher rank is a worse grade
        higher=int((own < other).sum()),
    )


def _test(first: list[int], second: list[int], enough: bool) -> float | None:
    return fisher_2xk(first, second) if enough else None


def _rank_test(mine: np.ndarray, rest: np.ndarray, enough: bool) -> float | None:
    """Mann–Whitney U over cases (two-sided): the answers within a case are not
    independent (a poor case has many worst answers), so each reading is one unit,
    its share of worst answers the value compared."""
    mine, rest = mine[~np.isnan(mine)], rest[~np.isnan(rest)]
    if not enough or len(mine) < MIN_CASES or len(rest) < MIN_CASES:
        return None
    if np.unique(np.concatenate([mine, rest])).size < 2:
        return 1.0  # every case the same: nothing differs
    return mann_whitney_p(mine, rest)  # more than 8 each: MIN_CASES


def auditor_drift(
    fw: Framework,
    frame: pd.DataFrame,
    grade_source: GradeSource,
    scope: str,
    audit_type: str,
) -> DriftSection:
    """The section over ``frame``: every reading in the report's scope (all readings
    of a double-read case, not one per case), of the audit type compared."""
    if "auditor" in frame:
        key = auditor_key(frame["auditor"])
    else:
        key = pd.Series(pd.NA, index=frame.index, dtype="string")
    named = key.notna().to_numpy(dtype=bool)
    unnamed = int((~named).sum())
    frame, key = frame[named], key[named]
    distinct = key.nunique()
    if distinct < 2:
        status: DriftStatus = "no-auditor" if distinct == 0 else "one-auditor"
        return DriftSection(scope, audit_type, status, (), unnamed, 0)
    grade, _ = counted_grade(frame, grade_source)
    rank = grade.map({g: i for i, g in enumerate(GRADES)}).astype("float")
    answered, worst = _worst_answers(fw, frame)
    share = np.divide(worst, answered, out=np.full(len(worst), np.nan), where=answered > 0)
    ids = frame[[c for c in READING_KEY if c in frame]].astype("string").fillna("")
    case = ids.iloc[:, 0]
    for column in ids.columns[1:]:  # column-wise, not a Python call per row
        case = case + "\x1f" + ids[column]
    pairs = _pairs(case, key, rank)
    shown = frame["auditor"].astype("string").str.strip().groupby(key).first()
    keys = sorted(shown.index, key=lambda k: (str(shown[k]).casefold(), str(k)))
    rows, p_values = [], []
    for k in keys:
        mine = key.eq(k).to_numpy(dtype=bool)
        cases, rest_cases = int(mine.sum()), int((~mine).sum())
        enough = cases >= MIN_CASES and rest_cases >= MIN_CASES
        own, rest = grade_row(str(shown[k]), grade[mine]), grade_row("Rest", grade[~mine])
        in_a = pairs["who_a"].eq(k).to_numpy(dtype=bool)
        in_b = pairs["who_b"].eq(k).to_numpy(dtype=bool)
        second = _second(pairs, in_a | in_b, in_b)
        rest_second = _second(pairs, ~(in_a | in_b), in_b)
        tests = (
            _test(_counts(own), _counts(rest), enough),
            _rank_test(share[mine], share[~mine], enough),
            _test(
                [second.agree, second.pairs - second.agree],
                [rest_second.agree, rest_second.pairs - rest_second.agree],
                second.cases >= MIN_CASES and rest_second.cases >= MIN_CASES,
            ),
        )
        p_values.append(tests)
        rows.append(
            (
                k,
                cases,
                own,
                rest,
                Share(int(worst[mine].sum()), int(answered[mine].sum()), None),
                Share(int(worst[~mine].sum()), int(answered[~mine].sum()), None),
                second,
                rest_second,
                cases < MIN_CASES,
            )
        )
    adjusted = iter(holm([p for ps in p_values for p in ps if p is not None]))
    out = []
    for (k, cases, own, rest, w, rw, second, rest_second, few), ps in zip(
        rows, p_values, strict=True
    ):
        tested = [_NOT_TESTED if p is None else _tested(p, next(adjusted)) for p in ps]
        out.append(
            AuditorDrift(
                auditor=str(shown[k]),
                cases=cases,
                grades=own,
                rest_grades=rest,
                grade_test=tested[0],
                worst=_share(w),
                rest_worst=_share(rw),
                worst_test=tested[1],
                second=second,
                rest_second=rest_second,
                second_test=tested[2],
                too_few=few,
            )
        )
    n_tests = sum(p is not None for ps in p_values for p in ps)
    return DriftSection(scope, audit_type, "compared", tuple(out), unnamed, n_tests)


def _counts(row: GradeRow) -> list[int]:
    return [row.good or 0, row.adequate or 0, row.inadequate or 0]  # never suppressed here


def _share(s: Share) -> Share:
    return Share(s.count, s.total, pct(s.count, s.total))


def _tested(p: float, adjusted: float) -> Tested:
    return Tested(round(p, 4), round(adjusted, 4), adjusted < LOOK_LEVEL)


def drift_for(
    result: ScoreResult,
    grade_source: GradeSource,
    scope: str,
    *,
    force: str | None = None,
    audit_type: str = "inspector",
) -> DriftSection:
    """The section over every reading of ``audit_type`` ('all': every reading) in one
    force (its name as in the data), or in every force when ``force`` is None."""
    frame = result.combined()
    keep = np.ones(len(frame), dtype=bool)
    if force is not None:
        keep &= frame["force"].astype("string").eq(force).to_numpy(dtype=bool, na_value=False)
    if audit_type != "all":
        keep &= frame["audit_type"].eq(audit_type).to_numpy(dtype=bool, na_value=False)
    return auditor_drift(result.framework, frame[keep], grade_source, scope, audit_type)
