"""Score every case: stage grades, the case grade, and a reason a person can check.

The framework's rules are interpreted here, column by column over the whole
frame (numpy), never row by row:

1. each answer earns its scale's points (out of 100); not applicable and blank
   are left out, so they never count against a case;
2. a stage applies when at least one of its indicators has an answer; its score is
   the weighted mean of those answers' points, graded by the stage thresholds;
   a limiting indicator given its worst answer caps the stage;
3. the case grade combines the applicable stages (weighted mean of stage scores,
   or the worst stage), then the caps (e.g. "two inadequate stages make the case
   inadequate") apply.

docs/scoring.md states the shipped NCPI rule in words an inspector can check by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from inspect_cli.frameworks import GRADES, Framework, Stage, Thresholds
from inspect_cli.load import META_COLUMNS, LoadResult

GOOD, ADEQUATE, INADEQUATE = 0, 1, 2
NOT_APPLICABLE = -1
_GRADE_CODE = {g: i for i, g in enumerate(GRADES)}

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

IDENTITY_COLUMNS = ("case_ref", "force", "audit_type", "area_of_practice")


@dataclass(frozen=True)
class StageScores:
    stage: Stage
    score: FloatArray  # 0–100, NaN where the stage does not apply
    grade: IntArray  # GOOD/ADEQUATE/INADEQUATE, NOT_APPLICABLE
    limiting_hit: IntArray  # index into stage.indicators of the first limiting worst answer, or -1
    applies: BoolArray


@dataclass(frozen=True)
class ScoreResult:
    framework: Framework
    load: LoadResult
    scored: pd.DataFrame
    """One row per case (same order as ``load.cases``); columns listed in :func:`scored_columns`."""

    @property
    def cases(self) -> pd.DataFrame:
        return self.load.cases

    def combined(self, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """The scored columns beside the cases' other columns (answers, child, dates);
        only ``columns`` (those present), when given."""
        wanted = set(columns) if columns is not None else None
        scored = [c for c in self.scored.columns if wanted is None or c in wanted]
        extra = [
            c
            for c in self.cases.columns
            if c not in self.scored.columns and (wanted is None or c in wanted)
        ]
        return pd.concat([self.scored[scored], self.cases[extra]], axis=1)

    def only(self, keep: BoolArray) -> ScoreResult:
        """Only the rows ``keep`` marks, numbered afresh: what inputs without the other
        rows would have given (rows are scored one by one, so no score changes)."""
        load = replace(self.load, cases=self.cases[keep].reset_index(drop=True))
        return replace(self, load=load, scored=self.scored[keep].reset_index(drop=True))


def scored_columns(fw: Framework) -> list[str]:
    """Column ids of the scored table, in order. A public interface: extend only."""
    cols: list[str] = [*IDENTITY_COLUMNS, "auditor", *META_COLUMNS]
    for stage in fw.stages:
        cols += [f"{stage.id}.score", f"{stage.id}.grade"]
    cols += ["score", "grade", "recorded_grade", "recorded_counts_as", "grade_agrees", "reason"]
    return cols


def _grade_by_thresholds(score: FloatArray, t: Thresholds) -> IntArray:
    grade = np.select([score >= t.good, score >= t.adequate], [GOOD, ADEQUATE], INADEQUATE)
    return np.where(np.isnan(score), NOT_APPLICABLE, grade).astype(np.int64)


def score_stage(fw: Framework, cases: pd.DataFrame, stage: Stage) -> StageScores:
    n = len(cases)
    total = np.zeros(n)
    weight = np.zeros(n)
    limiting_hit = np.full(n, -1, dtype=np.int64)
    refs = [r for r in fw.indicators if r.stage.id == stage.id]
    for position in reversed(range(len(refs))):  # reversed: the first hit wins
        ref = refs[position]
        codes = np.asarray(cases[ref.full_id].cat.codes, dtype=np.int64)
        scores = ref.scale.scores()
        # Lookup table indexed by category code: responses, then not-applicable, then blank (-1).
        points = np.array([*scores, np.nan, np.nan])
        value = points[np.where(codes < 0, len(points) - 1, codes)]
        answered = ~np.isnan(value)
        total += np.where(answered, value, 0.0) * ref.indicator.weight
        weight += answered * ref.indicator.weight
        if ref.indicator.limiting:
            worst = codes == len(scores) - 1
            limiting_hit = np.where(worst, position, limiting_hit)
    applies = weight > 0
    with np.errstate(invalid="ignore", divide="ignore"):
        score = np.where(applies, total / np.where(applies, weight, 1.0), np.nan)
    grade = _grade_by_thresholds(score, fw.scoring.stage.thresholds)
    cap = _GRADE_CODE[fw.scoring.stage.limiting_cap]
    grade = np.where(applies & (limiting_hit >= 0), np.maximum(grade, cap), grade)
    return StageScores(stage, score, grade, limiting_hit, applies)


def score_cases(load: LoadResult, *, reasons: bool = True) -> ScoreResult:
    """Score every loaded case with its framework's rules.

    ``reasons=False`` leaves the reason column blank, for outputs that show no case.
    """
    fw = load.framework
    cases = load.cases
    n = len(cases)
    stages = [score_stage(fw, cases, s) for s in fw.stages]
    applies = np.column_stack([s.applies for s in stages]) if stages else np.zeros((n, 0), bool)
    grades = np.column_stack([s.grade for s in stages]) if stages else np.zeros((n, 0), int)
    scores = np.column_stack([s.score for s in stages]) if stages else np.zeros((n, 0))
    weights = np.array([s.stage.weight for s in stages])
    any_stage = applies.any(axis=1)
    rule = fw.scoring.case
    with np.errstate(invalid="ignore", divide="ignore"):
        w = applies * weights
        case_score = np.where(
            any_stage, np.nansum(np.where(applies, scores, 0.0) * w, axis=1) / w.sum(axis=1), np.nan
        )
    if rule.combine == "worst_stage":
        base = np.where(any_stage, np.where(applies, grades, GOOD).max(axis=1), NOT_APPLICABLE)
    else:
        base = _grade_by_thresholds(case_score, rule.thresholds)
    grade = base.copy()
    cap_used = np.full(n, -1, dtype=np.int64)
    for i, cap in enumerate(rule.caps):
        count = (applies & (grades >= _GRADE_CODE[cap.grade])).sum(axis=1)
        hit = any_stage & (count >= cap.at_least) & (grade < _GRADE_CODE[cap.cap])
        grade = np.where(hit, _GRADE_CODE[cap.cap], grade)
        cap_used = np.where(hit, i, cap_used)
    scored = pd.DataFrame(index=cases.index)
    for col in (*IDENTITY_COLUMNS, "auditor", *META_COLUMNS):
        scored[col] = (
            cases[col] if col in cases else pd.Series(pd.NA, index=cases.index, dtype="string")
        )
    labels = [*GRADES, None]  # index -1 → None
    for s in stages:
        scored[f"{s.stage.id}.score"] = np.round(s.score, 1)
        scored[f"{s.stage.id}.grade"] = _texts(labels, s.grade)
    scored["score"] = np.round(case_score, 1)
    scored["grade"] = _texts(labels, grade)
    _recorded(fw, cases, scored)
    if reasons:
        scored["reason"] = _reasons(fw, stages, case_score, grade, cap_used, applies)
    else:
        scored["reason"] = pd.Series(pd.NA, index=cases.index, dtype="string")
    return ScoreResult(fw, load, scored[scored_columns(fw)])


def _recorded(fw: Framework, cases: pd.DataFrame, scored: pd.DataFrame) -> None:
    if "overall_grade" in cases:
        recorded = cases["overall_grade"].astype("string")
    else:
        recorded = pd.Series(pd.NA, index=cases.index, dtype="string")
    counts_as = recorded.map({g.id: g.counts_as for g in fw.case_grades}).astype("string")
    scored["recorded_grade"] = recorded
    scored["recorded_counts_as"] = counts_as
    scored["grade_agrees"] = (counts_as == scored["grade"]).astype("boolean")


def _whole(values: FloatArray) -> IntArray:
    """Whole percentages, half rounded up; NaN reads as 0."""
    return np.floor(np.nan_to_num(values) + 0.5).astype(np.int64)


def _reasons(
    fw: Framework,
    stages: list[StageScores],
    case_score: FloatArray,
    grade: IntArray,
    cap_used: IntArray,
    applies: BoolArray,
) -> pd.Series:
    """The reason for each case's grade, in words.

    A reason is made of a few small parts (grade, cap, stages counted, whole
    percentages, and for each stage: fine, failed on a limiting indicator, or failed
    on its score), so each distinct combination is worded once and shared by every
    case that has it: text is built for hundreds of combinations, not for every case.
    """
    parts = [grade, cap_used, applies.sum(axis=1), _whole(case_score)]
    for s in stages:
        # -1: not inadequate; k >= 0: limiting indicator k; -2 - pct: failed on its score.
        failed_on = np.where(s.limiting_hit >= 0, s.limiting_hit, -2 - _whole(s.score))
        parts.append(np.where(s.grade == INADEQUATE, failed_on, -1))
    if not len(grade):
        return pd.Series([], dtype="string")
    table = np.column_stack(parts)
    first, inverse = _distinct_rows(table)
    words = _ReasonWords(fw, stages)
    texts = [words.reason(combo) for combo in table[first].tolist()]
    return pd.Series(_texts(texts, inverse))


def _texts(words: Sequence[str | None], index: IntArray) -> pd.api.extensions.ExtensionArray:
    """A pandas text column of ``words[i]`` for each i (-1: the last word), built in Arrow
    rather than from a Python object per row."""
    import pyarrow as pa

    picked = pa.array(words, pa.large_string()).take(pa.array(np.asarray(index) % len(words)))
    return pd.arrays.ArrowStringArray(picked)


def _distinct_rows(table: IntArray) -> tuple[IntArray, IntArray]:
    """Index of one row per distinct row, and each row's distinct-row number.

    The columns hold small ranges, so each row packs into one int64 and a 1-D unique
    does the work (np.unique over rows sorts tuples, about ten times slower).
    """
    low = table.min(axis=0)
    spans = table.max(axis=0) - low + 1
    if float(np.prod(spans.astype(np.float64))) < 2.0**62:
        key = np.zeros(len(table), dtype=np.int64)
        for j in range(table.shape[1]):
            key = key * spans[j] + (table[:, j] - low[j])
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    else:
        _, first, inverse = np.unique(table, axis=0, return_index=True, return_inverse=True)
    return first, inverse.ravel()


class _ReasonWords:
    def __init__(self, fw: Framework, stages: list[StageScores]) -> None:
        self.rule = fw.scoring.case
        self.stages = []
        for s in stages:
            label = s.stage.label[0].lower() + s.stage.label[1:]
            limited = [
                f"{label} inadequate — limiting indicator '{ind.label}' answered "
                f"{fw.scale_of(ind).worst.label.lower()}"
                for ind in s.stage.indicators
            ]
            self.stages.append((label, limited))

    def reason(self, combo: list[int]) -> str:
        grade, cap_used, count, whole, *states = combo
        if grade < 0:
            return "not scored: no indicator was answered"
        head = f"{GRADES[grade]}: "
        plural = " stage" if count == 1 else " stages"
        t = self.rule.thresholds
        if self.rule.combine == "worst_stage":
            basis = f"worst of {count} applicable{plural}"
        else:
            basis = (
                f"average {whole}% across {count} applicable{plural} "
                f"(good from {t.good:g}%, adequate from {t.adequate:g}%)"
            )
        failures = "; ".join(
            limited[state] if state >= 0 else f"{label} inadequate ({-2 - state}%)"
            for (label, limited), state in zip(self.stages, states, strict=True)
            if state != -1
        )
        if cap_used >= 0:
            cap = self.rule.caps[cap_used]
            worse = "" if cap.grade == GRADES[-1] else " or worse"
            why = f"capped at {cap.cap} ({cap.at_least} or more stages {cap.grade}{worse})"
            return f"{head}{why}: {failures}; {basis}"
        return f"{head}{failures}; {basis}" if failures else head + basis
