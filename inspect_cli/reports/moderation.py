"""Moderation: a force's self-assessment against the inspectors' assessment of the same cases.

Cases are matched by force and case reference between 'self-assessment' and
'inspector' rows (in one file or across files). For each force and overall this
computes exact agreement, the 3×3 confusion matrix, linearly weighted Cohen's
kappa with its 95% interval (statsmodels), Krippendorff's ordinal alpha as a
second view (the ``krippendorff`` package), the direction of disagreement with a
one-sided sign test (scipy), agreement per stage and per indicator, signs of a
superficial self-assessment, and the disagreeing cases. Plain data only:
renderers format it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from inspect_cli.agreement import cohen_weighted_kappa
from inspect_cli.errors import UsageError
from inspect_cli.frameworks import GRADES, Framework
from inspect_cli.load.forces import key_column
from inspect_cli.provenance import Provenance
from inspect_cli.reports.coefficients import (
    Lead,
    Rated,
    alpha,
    choose_lead,
    gwet_pair,
    pair_counts,
    two_rater_kappa,
)
from inspect_cli.reports.common import (
    ALL_FORCES,
    GradeSource,
    ReportMeta,
    find_force,
    report_meta,
)
from inspect_cli.reports.counts import (
    counted_grade,
    double_read_notes,
    grades_used,
    one_reading_per_case,
)
from inspect_cli.reports.drift import DriftSection, drift_for
from inspect_cli.score import ScoreResult
from inspect_cli.stats import Interval, pct, significant, wilson

SELF, INSPECTOR = "self-assessment", "inspector"
BOX_TICKING_MIN_ANSWERS = 5


@dataclass(frozen=True)
class ItemAgreement:
    id: str
    label: str
    compared: int
    agree: int
    agree_pct: int | None


@dataclass(frozen=True)
class Depth:
    """Signs of a superficial self-assessment (over all of the force's self-assessment rows)."""

    cases: int
    indicator_cells: int
    blank_cells: int
    blank_pct: int | None
    comments_expected: int  # stages whose answers call for a comment
    comments_missing: int
    comments_missing_pct: int | None
    same_answer_cases: int  # every answered indicator has the same answer (box-ticking?)


@dataclass(frozen=True)
class Disagreement:
    case_ref: str
    area: str
    self_grade: str
    inspector_grade: str
    self_reason: str
    inspector_reason: str


@dataclass(frozen=True)
class Agreement:
    label: str
    matched: int
    exact: int
    exact_agreement_pct: int | None
    confusion: tuple[tuple[int, int, int], ...]  # self rows × inspector columns, good → inadequate
    weighted_kappa: float | None
    kappa_ci: tuple[float, float] | None
    kappa_words: str
    alpha_ordinal: float | None
    alpha_words: str
    self_higher: int
    self_lower: int
    same: int
    sign_test_p: float | None  # one-sided: does the force mark itself higher?
    stages: tuple[ItemAgreement, ...]
    indicators: tuple[ItemAgreement, ...]  # lowest agreement first
    depth: Depth | None
    disagreements: tuple[Disagreement, ...]
    exact_agreement_ci: Interval | None  # Wilson 95% interval of the share agreeing
    kappa: Rated  # weighted kappa with its standard error and benchmark
    ac1: Rated  # Gwet's AC1 (nominal)
    ac2: Rated  # Gwet's AC2 (linear weights), benchmarked
    lead: Lead  # which coefficient the report leads with, and why


@dataclass(frozen=True)
class Unmatched:
    force: str
    case_ref: str
    audit_type: str


@dataclass(frozen=True)
class RecordedCheck:
    """Computed grade against the auditor's own recorded grade, per audit type."""

    audit_type: str
    cases: int
    agree: int
    agree_pct: int | None
    weighted_kappa: float | None


@dataclass(frozen=True)
class ModerationReport:
    meta: ReportMeta
    forces: tuple[Agreement, ...]
    overall: Agreement
    unmatched: tuple[Unmatched, ...]
    recorded_vs_computed: tuple[RecordedCheck, ...]
    drift: DriftSection | None = None
    """Each inspector against the rest of the team, over every inspector reading."""


# --------------------------------------------------------------------------- statistics


def weighted_kappa(confusion: np.ndarray) -> tuple[float | None, tuple[float, float] | None]:
    """Cohen's kappa with linear weights on the ordered grades, and its 95% interval."""
    kappa, _, ci = cohen_weighted_kappa(confusion)
    if kappa is None:
        return None, None
    return round(kappa, 3), None if ci is None else (round(ci[0], 3), round(ci[1], 3))


def ordinal_alpha(self_codes: np.ndarray, inspector_codes: np.ndarray) -> float | None:
    """Krippendorff's alpha for ordinal data, two raters, all three grades in its domain."""
    if len(self_codes) < 2:
        return None
    return alpha(np.column_stack([self_codes, inspector_codes]).astype(float))


def sign_test(higher: int, lower: int) -> float | None:
    """One-sided exact sign test that the force grades itself higher more often than lower."""
    if higher + lower == 0:
        return None
    from scipy.stats import binomtest

    return significant(float(binomtest(higher, higher + lower, 0.5, alternative="greater").pvalue))


# --------------------------------------------------------------------------- matching


def _pairs(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[Unmatched]]:
    """Self-assessment rows joined to inspector rows of the same force and case ref."""
    # The loader gave each force one spelling; the identity key makes the match its own.
    key = key_column(frame["force"]).astype("string") + "\x1f" + frame["case_ref"]
    frame = frame.assign(_key=key)
    own = frame[frame["audit_type"] == SELF]
    insp = frame[frame["audit_type"] == INSPECTOR]
    pairs = own.merge(insp, on="_key", suffixes=("_self", "_insp"))
    unmatched = [
        Unmatched(str(r.force), str(r.case_ref), SELF)
        for r in own[~own["_key"].isin(insp["_key"])].itertuples()
    ] + [
        Unmatched(str(r.force), str(r.case_ref), INSPECTOR)
        for r in insp[~insp["_key"].isin(own["_key"])].itertuples()
    ]
    return pairs, unmatched


def _agreement(
    label: str, fw: Framework, pairs: pd.DataFrame, own_rows: pd.DataFrame | None, grade_col: str
) -> Agreement:
    codes = {g: i for i, g in enumerate(GRADES)}
    usable = pairs[pairs[f"{grade_col}_self"].notna() & pairs[f"{grade_col}_insp"].notna()]
    s = usable[f"{grade_col}_self"].map(codes).to_numpy(dtype=int)
    i = usable[f"{grade_col}_insp"].map(codes).to_numpy(dtype=int)
    confusion = np.zeros((3, 3), dtype=int)
    np.add.at(confusion, (s, i), 1)
    same = int((s == i).sum())
    kappa = two_rater_kappa(confusion, ("the force", "the inspectors"))
    counts = pair_counts(s, i)
    ac1, ac2 = gwet_pair(counts, same, len(usable))
    lead = choose_lead(counts, kappa, ac2, same, len(usable))
    if lead.skewed and kappa.value is not None:
        kappa = replace(
            kappa,
            words=f"misleading here: {lead.top_grade_share_pct}% of the "
            f"grades given were {lead.top_grade} (see Gwet's AC2)",
        )
    a = ordinal_alpha(s, i)
    higher, lower = (
        int((s < i).sum()),
        int((s > i).sum()),
    )  # code 0 is good: lower code = higher grade
    disagreements = tuple(
        Disagreement(
            case_ref=str(r["case_ref_self"]),
            area=fw.area_by_id[str(r["area_of_practice_self"])].label
            if str(r["area_of_practice_self"]) in fw.area_by_id
            else str(r["area_of_practice_self"]),
            self_grade=str(r[f"{grade_col}_self"]),
            inspector_grade=str(r[f"{grade_col}_insp"]),
            self_reason=str(r["reason_self"]),
            inspector_reason=str(r["reason_insp"]),
        )
        for _, r in usable[s != i].iterrows()
    )
    return Agreement(
        label=label,
        matched=len(usable),
        exact=int((s == i).sum()),
        exact_agreement_pct=pct(int((s == i).sum()), len(usable)),
        confusion=tuple(tuple(int(x) for x in row) for row in confusion),  # type: ignore[misc]
        weighted_kappa=kappa.value,
        kappa_ci=kappa.ci,
        kappa_words=kappa.words,
        alpha_ordinal=a,
        alpha_words=alpha_words(a, len(usable)),
        self_higher=higher,
        self_lower=lower,
        same=int((s == i).sum()),
        sign_test_p=sign_test(higher, lower),
        stages=_stage_agreement(fw, usable),
        indicators=_indicator_agreement(fw, usable),
        depth=_depth(fw, own_rows) if own_rows is not None else None,
        disagreements=disagreements,
        exact_agreement_ci=wilson(same, len(usable)),
        kappa=kappa,
        ac1=ac1,
        ac2=ac2,
        lead=lead,
    )


def alpha_words(value: float | None, matched: int) -> str:
    """Alpha has no standard error here, so no benchmark: it is a cross-check."""
    if value is None:
        return "not enough cases to say" if matched < 2 else "cannot be measured: one grade only"
    return "a cross-check on kappa; like kappa, it falls when one grade dominates"


def _stage_agreement(fw: Framework, pairs: pd.DataFrame) -> tuple[ItemAgreement, ...]:
    out = []
    for stage in fw.stages:
        a, b = pairs[f"{stage.id}.grade_self"], pairs[f"{stage.id}.grade_insp"]
        both = a.notna() & b.notna()
        agree = int((a[both] == b[both]).sum())
        out.append(
            ItemAgreement(
                stage.id, stage.label, int(both.sum()), agree, pct(agree, int(both.sum()))
            )
        )
    return tuple(out)


def _indicator_agreement(fw: Framework, pairs: pd.DataFrame) -> tuple[ItemAgreement, ...]:
    out = []
    for ref in fw.indicators:
        a = np.asarray(pairs[f"{ref.full_id}_self"].cat.codes)
        b = np.asarray(pairs[f"{ref.full_id}_insp"].cat.codes)
        compared = (a >= 0) | (b >= 0)  # at least one side answered (n/a counts as an answer)
        agree = int(((a == b) & compared).sum())
        n = int(compared.sum())
        out.append(ItemAgreement(ref.full_id, ref.indicator.label, n, agree, pct(agree, n)))
    return tuple(sorted(out, key=lambda x: (x.agree_pct if x.agree_pct is not None else 101, x.id)))


def _depth(fw: Framework, own: pd.DataFrame) -> Depth:
    n = len(own)
    refs = fw.indicators
    codes = (
        np.column_stack([np.asarray(own[r.full_id].cat.codes) for r in refs])
        if n
        else np.zeros((0, len(refs)), int)
    )
    blank = int((codes < 0).sum())
    expected = missing = 0
    for stage in fw.stages:
        ids = [(j, r) for j, r in enumerate(refs) if r.stage.id == stage.id]
        calls = np.zeros(n, dtype=bool)
        for j, ref in ids:
            wanted = [
                k
                for k, resp in enumerate(ref.scale.responses)
                if resp.id in fw.comment_expected_for
            ]
            calls |= np.isin(codes[:, j], wanted)
        comment_col = f"{stage.id}.comment"
        has_comment = (
            own[comment_col].fillna("").astype(str).str.strip().ne("").to_numpy()
            if comment_col in own
            else np.zeros(n, dtype=bool)
        )
        expected += int(calls.sum())
        missing += int((calls & ~has_comment).sum())
    same = 0
    for row in codes:
        answered = [
            c for c, ref in zip(row, refs, strict=True) if 0 <= c < len(ref.scale.responses)
        ]
        if len(answered) >= BOX_TICKING_MIN_ANSWERS and len(set(answered)) == 1:
            same += 1
    return Depth(
        cases=n,
        indicator_cells=int(codes.size),
        blank_cells=blank,
        blank_pct=pct(blank, int(codes.size)),
        comments_expected=expected,
        comments_missing=missing,
        comments_missing_pct=pct(missing, expected),
        same_answer_cases=same,
    )


def _recorded_checks(frame: pd.DataFrame) -> tuple[RecordedCheck, ...]:
    codes = {g: i for i, g in enumerate(GRADES)}
    out = []
    for audit in (SELF, INSPECTOR):
        part = frame[(frame["audit_type"] == audit) & frame["recorded_counts_as"].notna()]
        if part.empty:
            continue
        computed = part["grade"].map(codes).to_numpy(dtype=int)
        recorded = part["recorded_counts_as"].map(codes).to_numpy(dtype=int)
        confusion = np.zeros((3, 3), dtype=int)
        np.add.at(confusion, (recorded, computed), 1)
        agree = int((computed == recorded).sum())
        out.append(
            RecordedCheck(
                audit, len(part), agree, pct(agree, len(part)), weighted_kappa(confusion)[0]
            )
        )
    return tuple(out)


# --------------------------------------------------------------------------- report


def moderation_report(
    result: ScoreResult,
    provenance: Provenance,
    *,
    force: str | None = None,
    grade_source: GradeSource = "auto",
    title: str | None = None,
) -> ModerationReport:
    fw = result.framework
    frame, double_read = one_reading_per_case(result.combined(), fw)
    scope = None
    if force is not None:
        present = sorted(set(frame["force"].dropna()))
        scope = find_force(force, present)
        frame = frame[frame["force"] == scope]
    grade, kind = counted_grade(frame, grade_source)
    frame = frame.assign(counted_grade=grade)
    grade_col = "counted_grade"
    pairs, unmatched = _pairs(frame.reset_index(drop=True))
    if pairs.empty:
        raise UsageError(
            "no case appears both as a self-assessment and as an inspector assessment",
            details=("moderation matches rows by force and case reference across audit types",),
        )
    forces = []
    for name in sorted(set(pairs["force_self"])):
        mine = pairs[pairs["force_self"] == name]
        own = frame[(frame["force"] == name) & (frame["audit_type"] == SELF)]
        forces.append(_agreement(str(name), fw, mine, own, grade_col))
    overall = _agreement(ALL_FORCES, fw, pairs, frame[frame["audit_type"] == SELF], grade_col)
    default = (
        f"Moderation: self-assessment against inspectors{' — ' + forces[0].label if force else ''}"
    )
    used = grades_used(kind)
    notes = double_read_notes(double_read)
    meta = report_meta(
        result, title or default, "all", grade_source, False, provenance, *notes, used
    )
    drift = drift_for(result, grade_source, scope or ALL_FORCES, force=scope)
    checks = _recorded_checks(frame)
    return ModerationReport(meta, tuple(forces), overall, tuple(unmatched), checks, drift)
