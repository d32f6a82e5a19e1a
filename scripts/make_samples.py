#!/usr/bin/env python
"""Generate the synthetic case audits in ``sample_cases/``.

    python scripts/make_samples.py [--out sample_cases] [--seed 2014] [--round 2014]

Eight anonymised forces ("Force A" … "Force H") audited against the framework
``ncpi-2014``. Inspector sample sizes and recorded grades follow Table 2 of the
published thematic report; Force A has self-assessment rows only, because its
inspectors' case assessments were not recorded. Every child, case and auditor is
invented. Indicator ids, labels and answer words come from the framework YAML,
so the samples follow the framework when it changes.

The output is deterministic: the same seed gives byte-identical files. Each force
draws from its own random stream, so changing one force leaves the others alone.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import xlsxwriter

REPO = Path(__file__).resolve().parents[1]
# So the script runs from a checkout without installing, and its sibling modules import
# when it is itself imported by file path (bench/make_workbooks.py).
for _path in (REPO, REPO / "scripts"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from sample_force_sheets import force_sheet_rows  # noqa: E402  (beside this script)

from inspect_cli.fields import (  # noqa: E402
    AUDIT_TYPES,
    EXAMPLE_FIELD_IDS,
    FLAG_WORDS,
    REFERRAL_FIELD_IDS,
    CaseField,
    standard_fields,
)
from inspect_cli.frameworks import (  # noqa: E402
    GRADES,
    Framework,
    Response,
    normalise_text,
    resolve_framework,
    response_words,
)

FRAMEWORK = "ncpi-2014"
Rng = np.random.Generator
Answers = dict[str, str | None]  # indicator full id → response id, not-applicable id or None

# --------------------------------------------------------------------------- the forces


@dataclass(frozen=True)
class Force:
    """One force: its published results, its habits as an auditor and its file layout."""

    letter: str
    table: tuple[int, int, int] | None
    """Inspectors' good, adequate, inadequate counts (Table 2); None: not recorded."""
    profile: tuple[float, float, float] = (0.3, 0.35, 0.35)
    """Grade shares for cases inspectors did not grade (self-assessed only)."""
    self_bias: float = 0.2
    """Chance the force marks an answer one step better than inspectors would."""
    messiness: float = 0.05
    """Chance an answer is typed with a variant spelling."""
    na_blank: float = 0.3
    """Chance a stage that does not apply is left blank rather than marked N/A."""
    ethnicity_blank: float = 0.5
    na_word: str | None = None
    """How the force always writes 'not applicable', if it has a habit (e.g. 'N/A')."""
    file: str = ""
    headers: str = "label"  # "label" or "id"
    area_style: str = (
        "label"  # "label", "alias" (short codes such as DA where there is one) or "id"
    )
    date_style: str = "cell"  # "cell", "iso" (text) or "uk" (text, day first)
    layout: str = "one_sheet"  # "one_sheet", "two_sheets", "title_block" or "csv"
    sheet: str = "Cases"
    audit_words: tuple[str, str] = ("Self-assessment", "Inspector")
    omit: tuple[str, ...] = ()
    """Optional fields the force's form has no column for."""
    extra_column: str | None = None
    """A column of the force's own, not in the framework (the loader ignores it)."""
    numeric_refs: bool = False
    blank_row_between: bool = False
    superficial: bool = False
    """A self-assessment done quickly: few comments, grades sometimes left blank."""

    @property
    def name(self) -> str:
        return f"Force {self.letter}"


FORCES: tuple[Force, ...] = (
    Force("A", None, profile=(0.3, 0.35, 0.35), self_bias=0.2, file="force_a.xlsx"),
    Force(
        "B",
        (37, 20, 24),
        self_bias=0.15,
        na_blank=0.1,
        ethnicity_blank=0.35,
        na_word="N/A",
        file="force_b.xlsx",
    ),
    Force(
        "C",
        (24, 34, 57),
        self_bias=0.3,
        messiness=0.08,
        ethnicity_blank=0.6,
        file="force_c.xlsx",
        layout="two_sheets",
        audit_words=("Force", "HMIC"),
    ),
    Force(
        "D",
        (37, 49, 28),
        self_bias=0.15,
        ethnicity_blank=0.4,
        file="force_d.xlsx",
        layout="title_block",
        sheet="Audit",
    ),
    Force(
        "E",
        (26, 27, 44),
        self_bias=0.25,
        messiness=0.1,
        na_blank=0.6,
        file="force_e.xlsx",
        headers="id",
        area_style="id",
        date_style="iso",
        audit_words=("self-assessment", "inspector"),
    ),
    Force(
        "F",
        (13, 9, 13),
        self_bias=0.4,
        ethnicity_blank=0.7,
        file="force_f.xlsx",
        omit=("child_ethnicity", "date_medical", "date_suspect_interviewed"),
        superficial=True,
    ),
    Force(
        "G",
        (20, 23, 20),
        self_bias=0.2,
        na_blank=0.8,
        file="force_g.xlsx",
        sheet="Case audit",
        extra_column="Sample batch",
        numeric_refs=True,
        blank_row_between=True,
    ),
    Force(
        "H",
        (20, 17, 34),
        self_bias=0.25,
        messiness=0.12,
        ethnicity_blank=0.55,
        na_word="n/a",
        file="force_h.csv",
        area_style="alias",
        date_style="uk",
        layout="csv",
        audit_words=("Self assessment", "HMIC"),
    ),
)

FIXED_NUMERIC_REF = "00417"
"""Force G's first case: a reference that is all digits with leading zeros, kept as text."""

SELF_AUDIT_LEAD = (28, 70)
"""Forces audited their own cases this many days (from, to) before the inspection."""

# --------------------------------------------------------------------------- realism hints
# Keyed by the framework's ids; check_hints() fails loudly if the framework renames one.

AREA_WEIGHTS: dict[str, float] = {
    "domestic_abuse": 0.22,
    "help_and_protection": 0.17,
    "information_sharing": 0.07,
    "police_protection": 0.07,
    "s47_enquiries": 0.1,
    "sex_offender_management": 0.07,
    "missing_children": 0.1,
    "cse": 0.1,
    "custody": 0.1,
}

# Children in custody, missing or exploited were served worst; specialist areas best.
AREA_TILT: dict[str, dict[str, float]] = {
    "inadequate": {"custody": 1.5, "missing_children": 1.4, "cse": 1.3},
    "good": {"s47_enquiries": 1.3, "sex_offender_management": 1.3, "police_protection": 1.2},
}

# Chance a stage applies to a case, by area ("*": any other area). A stage the framework
# marks required_for_areas always applies to those areas.
STAGE_APPLIES: dict[str, dict[str, float]] = {
    "initial_contact": {"*": 0.95, "information_sharing": 0.6, "sex_offender_management": 0.35},
    "assessment_and_help": {"*": 0.95},
    "investigation": {
        "*": 0.35,
        "domestic_abuse": 0.75,
        "help_and_protection": 0.45,
        "police_protection": 0.4,
        "sex_offender_management": 0.4,
        "missing_children": 0.3,
        "custody": 0.6,
        "information_sharing": 0.15,
    },
    "decision_making": {"*": 0.9},
    "trusted_adult": {"*": 0.9, "sex_offender_management": 0.3, "information_sharing": 0.6},
    "managing_risk": {
        "*": 0.04,
        "cse": 0.85,
        "domestic_abuse": 0.3,
        "s47_enquiries": 0.3,
        "sex_offender_management": 1.0,
    },
    "police_detention": {
        "*": 0.0,
        "custody": 1.0,
        "missing_children": 0.06,
        "cse": 0.06,
        "domestic_abuse": 0.02,
    },
}

# Chance an indicator is "not applicable" within a stage that applies.
INDICATOR_NA: dict[str, dict[str, float]] = {
    "initial_contact.crime_recorded": {
        "*": 0.3,
        "missing_children": 0.6,
        "information_sharing": 0.7,
    },
    "initial_contact.emergency_action": {"*": 0.6, "police_protection": 0.0},
    "assessment_and_help.strategy_discussion": {"*": 0.35, "s47_enquiries": 0.0},
    "investigation.medical_examination": {"*": 0.45, "cse": 0.2},
    "investigation.evidence_secured": {"*": 0.2},
    "investigation.interview_planned": {"*": 0.2},
    "investigation.suspect_promptly": {"*": 0.15},
    "decision_making.not_criminalised": {
        "*": 0.85,
        "custody": 0.05,
        "missing_children": 0.5,
        "cse": 0.6,
    },
    "decision_making.powers_considered": {"*": 0.35, "cse": 0.05},
    "decision_making.health_involved": {"*": 0.4},
    "managing_risk.rso_managed": {"*": 0.85, "sex_offender_management": 0.0},
    "police_detention.detention_certificate": {"*": 0.5},
    "police_detention.alternative_accommodation": {"*": 0.45},
    "police_detention.s136_health": {"*": 0.85},
}

# Dates that follow a timeliness question: date field → (indicator, counted from, typical
# days when done well, longest delay). A poor answer means a longer delay, or none at all.
TIMELINESS: dict[str, tuple[str, str, float, int]] = {
    "date_referred_csc": ("assessment_and_help.referral_csc", "date_reported", 0.7, 45),
    "date_medical": ("investigation.medical_examination", "date_reported", 0.7, 40),
    "date_suspect_interviewed": ("investigation.suspect_promptly", "date_allocated", 1.5, 150),
}

# Practice that the thematic report found weakest in every force is a little harder here.
DIFFICULTY: dict[str, float] = {
    "assessment_and_help.needs_recorded": -0.15,
    "assessment_and_help.supervision": -0.1,
    "investigation.no_drift": -0.1,
    "investigation.evidence_secured": -0.1,
    "trusted_adult.kept_informed": -0.05,
    "police_detention.alternative_accommodation": -0.2,
}

# Short, generic remarks an auditor might type: never names or case details.
COMMENTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "initial_contact": (
        ("Prompt attendance; child spoken to alone.", "History checks completed and shared."),
        ("Child not spoken to at the scene.", "Previous incidents not checked."),
    ),
    "assessment_and_help": (
        ("Referral made same day, risks clearly set out.", "Supervisor review recorded."),
        ("Risk assessed as standard despite history.", "Referral late and lacked detail."),
    ),
    "investigation": (
        ("Suspect arrested and interviewed within days.", "Devices seized and examined quickly."),
        ("Weeks of drift before suspect interviewed.", "Phone examination not requested."),
    ),
    "decision_making": (
        ("Rationale for decision recorded.", "Protective order considered."),
        ("No rationale recorded for NFA.", "Outcome did not reflect repeat pattern."),
    ),
    "trusted_adult": (
        ("Child's views recorded and acted on.", "Family kept updated."),
        ("No contact with family after initial visit.", "Child's account not followed up."),
    ),
    "managing_risk": (
        ("Intelligence shared with partners.", "Visits up to date; risk reviewed."),
        ("Risk to other children not considered.", "Overdue visit not escalated."),
    ),
    "police_detention": (
        ("Appropriate adult present within the hour.", "Detention kept short."),
        ("Alternative accommodation not requested.", "Detained overnight; certificate missing."),
    ),
}
GENERIC_COMMENTS = (("Good practice noted.",), ("Practice fell short here.",))

ETHNICITIES = (
    ("White British", 0.55),
    ("White other", 0.08),
    ("Asian or Asian British", 0.12),
    ("Black or Black British", 0.08),
    ("Mixed", 0.09),
    ("Other ethnic group", 0.03),
    ("Not stated", 0.05),
)

# Typical age ranges (inclusive) by area of practice.
AGES: dict[str, tuple[int, int]] = {
    "domestic_abuse": (0, 15),
    "help_and_protection": (0, 13),
    "police_protection": (0, 16),
    "missing_children": (11, 17),
    "cse": (11, 17),
    "custody": (10, 17),
}

# How auditors wrote yes/no/unknown; check_hints() proves the loader reads each one.
FLAG_SPELLINGS: dict[str, tuple[str, ...]] = {
    "yes": ("Yes", "Yes", "Yes", "Y"),
    "no": ("No", "No", "No", "N"),
    "unknown": ("Not known", "Unknown", "Not recorded"),
}

CHILD_FIELDS = (
    "child_age",
    "child_gender",
    "child_ethnicity",
    "child_disability",
    "looked_after",
    "specialist_team",
    "recognised_at_outset",
)


def check_hints(fw: Framework) -> None:
    """Fail loudly when a hint names an id the framework does not have."""
    stages = {s.id for s in fw.stages}
    areas = set(fw.area_by_id)
    indicators = {r.full_id for r in fw.indicators}
    fields = {f.id for f in standard_fields(fw)}
    bad = [a for a in [*AREA_WEIGHTS, *AGES] if a not in areas]
    bad += [s for s in [*STAGE_APPLIES, *COMMENTS] if s not in stages]
    bad += [i for i in [*INDICATOR_NA, *DIFFICULTY] if i not in indicators]
    bad += [f for f in CHILD_FIELDS if f not in fields]
    bad += [
        x
        for d, (i, start, _, _) in TIMELINESS.items()
        for x in (d, i, start)
        if x not in fields | indicators
    ]
    for table in [*STAGE_APPLIES.values(), *INDICATOR_NA.values(), *AREA_TILT.values()]:
        bad += [a for a in table if a != "*" and a not in areas]
    known_flags = {normalise_text(w) for k, v in FLAG_WORDS.items() for w in (k, *v)}
    bad += [w for ws in FLAG_SPELLINGS.values() for w in ws if normalise_text(w) not in known_flags]
    known_audit = {normalise_text(w) for k, v in AUDIT_TYPES.items() for w in (k, *v)}
    bad += [w for f in FORCES for w in f.audit_words if normalise_text(w) not in known_audit]
    na = [r.scale.not_applicable for r in fw.indicators if r.scale.not_applicable]
    known_na = {normalise_text(w) for n in na for w in response_words(n)}
    bad += [f.na_word for f in FORCES if f.na_word and normalise_text(f.na_word) not in known_na]
    if bad:
        sys.exit(f"make_samples: hints name ids or words the framework lacks: {sorted(set(bad))}")


def by_area(table: Mapping[str, float], area: str, default: float) -> float:
    return table.get(area, table.get("*", default))


# --------------------------------------------------------------------------- scoring
# A compact reading of the framework's scoring rules, so a recorded grade can agree
# with the answers. The tool's own scorer is the authority; this only steers the data.


def rank(grade: str) -> int:
    return GRADES.index(grade)


def threshold_grade(score: float, good: float, adequate: float) -> str:
    return "good" if score >= good else "adequate" if score >= adequate else "inadequate"


def score_case(fw: Framework, answers: Answers) -> tuple[float | None, str | None]:
    """The case score (0–100) and reporting grade the answers earn, or None if unscorable."""
    stage_rule, case_rule = fw.scoring.stage, fw.scoring.case
    stage_results: list[tuple[float, float, str]] = []  # weight, score, grade
    for stage in fw.stages:
        total = weights = 0.0
        capped = False
        for ind in stage.indicators:
            scale = fw.scale_of(ind)
            ids = [r.id for r in scale.responses]
            answer = answers.get(f"{stage.id}.{ind.id}")
            if answer not in ids:
                continue  # blank or not applicable never counts against a case
            total += ind.weight * scale.scores()[ids.index(answer)]
            weights += ind.weight
            capped |= ind.limiting and answer == scale.worst.id
        if not weights:
            continue
        score = total / weights
        grade = threshold_grade(score, stage_rule.thresholds.good, stage_rule.thresholds.adequate)
        if capped and rank(grade) < rank(stage_rule.limiting_cap):
            grade = stage_rule.limiting_cap
        stage_results.append((stage.weight, score, grade))
    if not stage_results:
        return None, None
    mean = sum(w * s for w, s, _ in stage_results) / sum(w for w, _, _ in stage_results)
    if case_rule.combine == "worst_stage":
        grade = max((g for _, _, g in stage_results), key=rank)
    else:
        grade = threshold_grade(mean, case_rule.thresholds.good, case_rule.thresholds.adequate)
    for cap in case_rule.caps:
        hits = sum(rank(g) >= rank(cap.grade) for _, _, g in stage_results)
        if hits >= cap.at_least and rank(grade) < rank(cap.cap):
            grade = cap.cap
    return mean, grade


# --------------------------------------------------------------------------- cases


@dataclass
class Case:
    """What is true of a case whoever audits it."""

    ref: str
    area: str
    quality: str
    """The grade the case deserves; answers are drawn to earn it."""
    facts: dict[str, Any]
    applicable: dict[str, bool]  # indicator full id → applies to this case
    stages: dict[str, bool]  # stage id → applies to this case


@dataclass
class Audit:
    """One row of a workbook: one audit of one case."""

    case: Case
    audit_type: str  # "self-assessment" or "inspector"
    answers: Answers
    grade: str | None  # case grade id as recorded
    auditor: str
    audit_date: dt.date
    comments: dict[str, str] = field(default_factory=dict)
    referral: dict[str, Any] = field(default_factory=dict)
    """Referral column id → value, for a case referred back to the force."""
    example: dict[str, Any] = field(default_factory=dict)
    """Case example column id → value, for a case chosen as an example for the report."""
    review: str = "approved"
    """Its review status (``review_status``): nearly every reading is approved."""


def weighted_choice(rng: Rng, options: Sequence[str], weights: Sequence[float]) -> str:
    p = np.asarray(weights, dtype=float)
    return options[int(rng.choice(len(options), p=p / p.sum()))]


def draw_area(rng: Rng, fw: Framework, quality: str) -> str:
    areas = [a.id for a in fw.areas_of_practice]
    tilt = AREA_TILT.get(quality, {})
    weights = [AREA_WEIGHTS.get(a, 0.1) * tilt.get(a, 1.0) for a in areas]
    return weighted_choice(rng, areas, weights)


def draw_applicability(
    rng: Rng, fw: Framework, area: str
) -> tuple[dict[str, bool], dict[str, bool]]:
    """Which stages and indicators apply; required stages always do, with something to answer."""
    stages: dict[str, bool] = {}
    applicable: dict[str, bool] = {}
    for stage in fw.stages:
        required = area in stage.required_for_areas
        chance = 1.0 if required else by_area(STAGE_APPLIES.get(stage.id, {}), area, 0.9)
        stages[stage.id] = bool(rng.random() < chance)
        ids = [f"{stage.id}.{i.id}" for i in stage.indicators]
        flags = [
            stages[stage.id] and bool(rng.random() >= by_area(INDICATOR_NA.get(i, {}), area, 0.05))
            for i in ids
        ]
        if stages[stage.id] and not any(flags):
            flags[0] = True  # an applicable stage has at least one question that applies
        applicable.update(zip(ids, flags, strict=True))
    if not any(stages.values()):  # every case needs something to score
        first = fw.stages[0]
        stages[first.id] = True
        applicable[f"{first.id}.{first.indicators[0].id}"] = True
    return stages, applicable


# A case's latent quality by the grade it deserves; answers are drawn around it.
QUALITY_RANGE = {"good": (0.8, 1.05), "adequate": (0.5, 0.8), "inadequate": (0.2, 0.6)}
STEP_WIDTH = 0.3  # each STEP_WIDTH below 1.0 moves an answer one step down the scale
MAX_TRIES = 400


def draw_answers(rng: Rng, fw: Framework, case: Case, level: float, blank_rate: float) -> Answers:
    """Answers for one audit: a case-level quality, stage and indicator noise, a few blanks."""
    answers: Answers = {}
    for stage in fw.stages:
        stage_level = level + rng.normal(0, 0.1)
        ids = [f"{stage.id}.{i.id}" for i in stage.indicators]
        stage_answers: list[str | None] = []
        for ind, full_id in zip(stage.indicators, ids, strict=True):
            scale = fw.scale_of(ind)
            if not case.applicable[full_id]:
                na = scale.not_applicable
                stage_answers.append(na.id if na else None)
                continue
            level_here = stage_level + DIFFICULTY.get(full_id, 0.0) + rng.normal(0, 0.18)
            step = round((1.0 - level_here) / STEP_WIDTH)
            stage_answers.append(scale.responses[min(len(scale.responses) - 1, max(0, step))].id)
        for k, full_id in enumerate(ids):
            if case.applicable[full_id] and rng.random() < blank_rate:
                stage_answers[k] = None  # an auditor skipped the question
        if case.stages[stage.id] and all(a is None for a in stage_answers):
            k = next(k for k, i in enumerate(ids) if case.applicable[i])
            stage_answers[k] = fw.scale_of(stage.indicators[k]).middle.id
        answers.update(zip(ids, stage_answers, strict=True))
    return answers


def answers_for_grade(
    rng: Rng, fw: Framework, case: Case, target: str, blank_rate: float
) -> Answers:
    """Draw answers until they earn ``target`` (rejection sampling keeps it honest)."""
    low, high = QUALITY_RANGE[target]
    for _ in range(MAX_TRIES):
        answers = draw_answers(rng, fw, case, float(rng.uniform(low, high)), blank_rate)
        if score_case(fw, answers)[1] == target:
            break
    return answers  # after MAX_TRIES (rare) the answers may not quite earn the grade


def shift(fw: Framework, answers: Answers, rng: Rng, up: float, down: float) -> Answers:
    """A second auditor's answers: some a step better, a few a step worse, N/A unchanged."""
    out: Answers = {}
    for ref in fw.indicators:
        answer = answers[ref.full_id]
        ids = [r.id for r in ref.scale.responses]
        if answer in ids:
            k = ids.index(answer)
            roll = rng.random()
            if roll < up:
                k = max(0, k - 1)
            elif roll < up + down:
                k = min(len(ids) - 1, k + 1)
            answer = ids[k]
        out[ref.full_id] = answer
    return out


def draw_child(rng: Rng, area: str, quality: str, ethnicity_blank: float) -> dict[str, Any]:
    """Who the child is and how the case was handled; better-handled cases did better."""
    lo, hi = AGES.get(area, (0, 17))
    tilt = {"good": 0.15, "adequate": 0.0, "inadequate": -0.15}[quality]
    looked_after = {"missing_children": 0.45, "custody": 0.35, "cse": 0.35}.get(area, 0.1)
    looked_after *= {"good": 0.7, "adequate": 1.0, "inadequate": 1.4}[quality]
    specialist = {
        "cse": 0.8,
        "s47_enquiries": 0.75,
        "sex_offender_management": 0.9,
        "information_sharing": 0.4,
        "custody": 0.1,
    }.get(area, 0.3)
    outset = {"domestic_abuse": 0.55, "missing_children": 0.4, "custody": 0.3}.get(area, 0.8)
    female = {"cse": 0.85, "custody": 0.25}.get(area, 0.5)

    def flag(p: float, blank: float = 0.05) -> str | None:
        if rng.random() < blank:
            return None
        return "yes" if rng.random() < p else "no"

    ethnicities, weights = zip(*ETHNICITIES, strict=True)
    disability = weighted_choice(rng, ["no", "yes", "unknown", ""], [0.55, 0.1, 0.15, 0.2])
    gender = weighted_choice(
        rng, ["Female", "Male", "Not recorded", ""], [female, 1 - female, 0.03, 0.04]
    )
    return {
        "child_age": None if rng.random() < 0.04 else int(rng.integers(lo, hi + 1)),
        "child_gender": gender or None,
        "child_ethnicity": None
        if rng.random() < ethnicity_blank
        else weighted_choice(rng, ethnicities, weights),
        "child_disability": disability or None,
        "looked_after": flag(looked_after, blank=0.08),
        "specialist_team": flag(min(0.95, max(0.05, specialist + tilt))),
        "recognised_at_outset": flag(min(0.95, max(0.05, outset + tilt))),
    }


def days(rng: Rng, typical: float, cap: int) -> int:
    """A right-skewed delay: usually short, sometimes long (drift)."""
    return int(min(cap, rng.lognormal(np.log(max(typical, 0.5)), 0.9)))


def answer_step(fw: Framework, full_id: str, answer: str | None) -> tuple[int, int] | None:
    """(steps below the best answer, steps on the scale); None for blank or not applicable."""
    ref = next(r for r in fw.indicators if r.full_id == full_id)
    ids = [r.id for r in ref.scale.responses]
    return (ids.index(answer), len(ids) - 1) if answer in ids else None


def draw_dates(
    rng: Rng, fw: Framework, case: Case, answers: Answers, inspection: dt.date
) -> dict[str, dt.date | None]:
    """Key dates in order, with delays that match the timeliness answers (drift shows)."""
    slow = {"good": 1.0, "adequate": 3.0, "inadequate": 8.0}[case.quality]
    reported = inspection - dt.timedelta(days=int(rng.integers(150, 480)))
    out: dict[str, dt.date | None] = {
        "date_reported": reported,
        "date_allocated": reported + dt.timedelta(days=days(rng, 0.7 * slow, 60)),
    }
    for date_field, (full_id, start, typical, cap) in TIMELINESS.items():
        answer = answers.get(full_id)
        step = answer_step(fw, full_id, answer)
        out[date_field] = None
        if step is None and answer is not None:
            continue  # not applicable: nothing to date
        k, n = step or (1, 2)  # a blank answer: assume middling
        if k == n and rng.random() < 0.4:
            continue  # the worst answer: often never done at all
        base = out[start]
        assert base is not None
        # Each step below the best answer makes the delay four times longer.
        out[date_field] = base + dt.timedelta(days=days(rng, typical * 16 ** (k / n), cap))
    # Nothing can have happened after the force's own audit, weeks before the inspection.
    cutoff = inspection - dt.timedelta(days=SELF_AUDIT_LEAD[1])
    out = {k: d if d is not None and d <= cutoff else None for k, d in out.items()}
    latest = max(d for d in out.values() if d is not None)
    closed = latest + dt.timedelta(days=int(rng.integers(7, 150)))
    open_case = rng.random() < 0.1 or closed > cutoff
    out["date_closed"] = None if open_case else closed
    for key in ("date_allocated", "date_referred_csc"):
        if out[key] is not None and rng.random() < 0.06:
            out[key] = None  # not recorded on the file
    return out


def draw_comments(
    rng: Rng, fw: Framework, case: Case, answers: Answers, rate: float
) -> dict[str, str]:
    """A short remark on a few stages, matching how the stage went."""
    out: dict[str, str] = {}
    for stage in fw.stages:
        if not case.stages[stage.id] or rng.random() >= rate:
            continue
        steps = [
            answer_step(fw, f"{stage.id}.{i.id}", answers[f"{stage.id}.{i.id}"])
            for i in stage.indicators
        ]
        all_best = all(step is None or step[0] == 0 for step in steps)
        good, poor = COMMENTS.get(stage.id, GENERIC_COMMENTS)
        phrases = good if all_best else poor
        out[f"{stage.id}.comment"] = phrases[int(rng.integers(len(phrases)))]
    return out


# --------------------------------------------------------------------------- grades


def grade_words(fw: Framework) -> dict[str, list[str]]:
    """Case grade ids for each reporting grade, excluding the top 'excellent'-style word."""
    out: dict[str, list[str]] = {g: [] for g in GRADES}
    for g in fw.case_grades:
        out[g.counts_as].append(g.id)
    out["good"] = [g for g in out["good"] if g == "good"] or out["good"][-1:]
    return out


def excellent_word(fw: Framework) -> str | None:
    """The framework's word above plain 'good' (Excellent), if it has one."""
    top = fw.case_grades[0]
    return top.id if top.counts_as == "good" and top.id != "good" else None


def record_grade(rng: Rng, fw: Framework, grade: str) -> str:
    """The word an inspector writes for a reporting grade (inadequate has several)."""
    words = grade_words(fw)[grade]
    if len(words) == 1:
        return words[0]
    weights = [2.0 if w == grade else 1.0 for w in words]
    return weighted_choice(rng, words, weights)


def step_up(grade: str) -> str:
    return GRADES[max(0, rank(grade) - 1)]


def neighbour(rng: Rng, grade: str) -> str:
    """A grade one step away, for cases where the auditor's conclusion differs from the answers."""
    k = rank(grade)
    options = [GRADES[j] for j in (k - 1, k + 1) if 0 <= j < len(GRADES)]
    return options[int(rng.integers(len(options)))]


# --------------------------------------------------------------------------- one force


def case_refs(rng: Rng, force: Force, n: int, years: Sequence[int]) -> list[str]:
    """Unique references in the force's own style, leading zeros kept."""
    numbers = rng.choice(
        np.arange(1, 10_000 if force.numeric_refs else 60_000), size=n, replace=False
    )
    if force.numeric_refs:
        refs = [f"{int(x):05d}" for x in numbers]
        if FIXED_NUMERIC_REF not in refs:
            refs[0] = FIXED_NUMERIC_REF
        return refs
    return [
        f"{force.letter}-{y % 100:02d}-{int(x):05d}" for x, y in zip(numbers, years, strict=True)
    ]


def inspection_window(force_index: int, round_year: int) -> dt.date:
    """Each force's fieldwork started in a different month, from April (NCPI began April 2014)."""
    return dt.date(round_year, 4 + force_index, 1)


# A later round (re-inspection): how much each force moved. A positive share of its
# inadequate cases became adequate (and of its adequate, good); negative: the reverse.
ROUND_CHANGE = {"B": 0.05, "C": 0.45, "D": 0.0, "E": 0.3, "F": -0.25, "G": 0.1, "H": 0.15}
FIRST_ROUND = 2014


def round_table(force: Force, round_year: int) -> tuple[int, int, int] | None:
    """The inspectors' counts in this round: Table 2 in 2014, moved by ROUND_CHANGE later."""
    if force.table is None or round_year == FIRST_ROUND:
        return force.table
    good, adequate, inadequate = force.table
    delta = ROUND_CHANGE.get(force.letter, 0.0)
    if delta >= 0:
        up_i, up_a = round(inadequate * delta), round(adequate * delta / 2)
        return good + up_a, adequate - up_a + up_i, inadequate - up_i
    down_g, down_a = round(good * -delta / 2), round(adequate * -delta)
    return good - down_g, adequate + down_g - down_a, inadequate + down_a


def build_force(fw: Framework, force: Force, index: int, seed: int, round_year: int) -> list[Audit]:
    # Own stream per force (and per later round, so the first round never changes).
    key = [seed, index] if round_year == FIRST_ROUND else [seed, index, round_year]
    rng = np.random.default_rng(key)
    inspection = inspection_window(index, round_year)
    table = round_table(force, round_year)
    inspected = sum(table) if table else 0
    # Inspector rows carry exactly the published counts, in random order.
    quality = [g for g, n in zip(GRADES, table or (0, 0, 0), strict=True) for _ in range(n)]
    quality = [quality[i] for i in rng.permutation(len(quality))]
    n_self = int(rng.integers(27, 34))
    shared = min(inspected, round(n_self * float(rng.uniform(0.75, 0.92))))
    quality += [weighted_choice(rng, GRADES, force.profile) for _ in range(n_self - shared)]
    cases = [new_case(rng, fw, force, q) for q in quality]
    truth: list[Answers] = []  # as the inspectors would answer, for every case
    for case in cases:
        # About one conclusion in twelve differs from what the answers would earn.
        drawn_for = neighbour(rng, case.quality) if rng.random() < 0.08 else case.quality
        truth.append(answers_for_grade(rng, fw, case, drawn_for, blank_rate=0.015))
        case.facts.update(draw_dates(rng, fw, case, truth[-1], inspection))
    for case in cases:
        case.facts["round"] = str(round_year)  # the Round column: trends tell rounds apart by it
    years = [c.facts["date_reported"].year for c in cases]
    for case, ref in zip(cases, case_refs(rng, force, len(cases), years), strict=True):
        case.ref = ref
    inspectors = [f"Insp. {k:02d}" for k in rng.choice(np.arange(1, 30), size=4, replace=False)]
    audits = [
        Audit(
            case,
            "inspector",
            answers,
            record_grade(rng, fw, case.quality),
            inspectors[int(rng.integers(len(inspectors)))],
            inspection + dt.timedelta(days=int(rng.integers(0, 21))),
            draw_comments(rng, fw, case, answers, rate=0.15),
        )
        for case, answers in zip(cases[:inspected], truth, strict=False)
    ]
    # Most self-assessed cases were re-audited by inspectors; the rest only by the force.
    own = [int(i) for i in sorted(rng.choice(inspected, size=shared, replace=False))]
    own += list(range(inspected, len(cases)))
    audits += [self_audit(rng, fw, force, cases[i], truth[i], inspection) for i in own]
    return audits


def new_case(rng: Rng, fw: Framework, force: Force, quality: str) -> Case:
    area = draw_area(rng, fw, quality)
    stages, applicable = draw_applicability(rng, fw, area)
    return Case(
        "", area, quality, draw_child(rng, area, quality, force.ethnicity_blank), applicable, stages
    )


def self_audit(
    rng: Rng, fw: Framework, force: Force, case: Case, truth: Answers, inspection: dt.date
) -> Audit:
    """The force's own audit: broadly the same picture, marked more generously."""
    answers = shift(fw, truth, rng, up=force.self_bias, down=0.03)
    _, earned = score_case(fw, answers)
    grade: str | None = None
    if earned is not None:
        generous = step_up(earned) if rng.random() < 0.3 else earned
        # A generous auditor answers generously too, not only in the conclusion: lift
        # answers a step at a time until they earn the grade the force gives itself.
        for _ in range(8):
            if earned is None or GRADES.index(earned) <= GRADES.index(generous):
                break
            answers = shift(fw, answers, rng, up=0.35, down=0.0)
            _, earned = score_case(fw, answers)
        grade = record_grade(rng, fw, generous)
        top = excellent_word(fw)
        if generous == "good" and top and rng.random() < 0.08:
            grade = top
    if force.superficial and rng.random() < 0.25:
        grade = None  # superficial self-assessments left the conclusion out
    rate = 0.02 if force.superficial else 0.08
    return Audit(
        case,
        "self-assessment",
        answers,
        grade,
        f"SA-{int(rng.integers(1, 6)):02d}",
        inspection - dt.timedelta(days=int(rng.integers(*SELF_AUDIT_LEAD))),
        draw_comments(rng, fw, case, answers, rate),
    )


REFERRED_TO = (
    "Detective Inspector, child abuse investigation unit",
    "Detective Chief Inspector, public protection",
    "Head of public protection",
    "Duty inspector, safeguarding hub",
)
REFERRAL_WEIGHTS = {
    "child_at_risk": 0.35,
    "investigation_outstanding": 0.35,
    "not_referred_csc": 0.15,
    "risk_not_managed": 0.15,
}
FORCE_ACTIONS = {
    "child_at_risk": "Case reviewed; strategy discussion held with children's social care.",
    "investigation_outstanding": "Investigation reallocated and reviewed by a supervisor.",
    "not_referred_csc": "Referral made to children's social care.",
    "risk_not_managed": "Risk reassessed; offender management plan updated.",
}


def refer_back(fw: Framework, audits: Sequence[Audit], seed: int, index: int, year: int) -> None:
    """A few inadequate inspector cases referred back to the force (a child found at risk
    now): some answered by the force, some still outstanding. Its own random stream, so
    nothing else in the samples changes."""
    key = [seed, index, 2] if year == FIRST_ROUND else [seed, index, year, 2]
    rng = np.random.default_rng(key)
    reasons = [r for r in REFERRAL_WEIGHTS if r in {x.id for x in fw.referral_reasons}]
    pool = sorted(
        (a for a in audits if a.audit_type == "inspector" and a.case.quality == "inadequate"),
        key=lambda a: a.case.ref,
    )
    if not pool or not reasons:
        return
    picked = rng.choice(len(pool), size=min(len(pool), int(rng.integers(2, 5))), replace=False)
    for k in sorted(int(i) for i in picked):
        audit = pool[k]
        referred = audit.audit_date + dt.timedelta(days=int(rng.integers(0, 3)))
        reason = weighted_choice(rng, reasons, [REFERRAL_WEIGHTS[r] for r in reasons])
        answered = rng.random() < 0.6
        audit.referral = {
            "referred_on": referred,
            "referred_to": REFERRED_TO[int(rng.integers(len(REFERRED_TO)))],
            "referral_reason": fw.referral_reasons[
                [r.id for r in fw.referral_reasons].index(reason)
            ].label,
        }
        if answered:
            response = referred + dt.timedelta(days=int(rng.integers(2, 29)))
            audit.referral["force_response_on"] = response
            audit.referral["force_action"] = FORCE_ACTIONS[reason]


SECOND_READ_SHARE = 0.12
"""Share of a force's inspector cases read again by a second inspector (quality assurance)."""
HARSH = {"D": 0.45}
"""Forces where one inspector, reading a larger share of cases again, grades a step
harsher than the first reader (where a harsher grade exists): the auditor-drift section has this to find."""


def second_readers(audits: list[Audit], fw: Framework, seed: int, index: int, year: int) -> None:
    """A second inspector reads some inspector cases again (appended after the first
    readings, so every report still counts each case by its first reading and the
    published counts stay exact). Its own random stream: nothing else changes."""
    key = [seed, index, 3] if year == FIRST_ROUND else [seed, index, year, 3]
    rng = np.random.default_rng(key)
    first = sorted((a for a in audits if a.audit_type == "inspector"), key=lambda a: a.case.ref)
    team = sorted({a.auditor for a in first})
    if len(first) < 10 or len(team) < 2:
        return
    letter = FORCES[index].letter
    harsh = team[int(rng.integers(len(team)))] if letter in HARSH else None
    share = HARSH.get(letter, SECOND_READ_SHARE)
    picked = sorted(
        int(i) for i in rng.choice(len(first), size=round(len(first) * share), replace=False)
    )
    for k in picked:
        audit = first[k]
        others = [t for t in team if t not in (audit.auditor, harsh)]
        if harsh is not None and harsh != audit.auditor and rng.random() < 0.6:
            reader = harsh
        else:
            reader = others[int(rng.integers(len(others)))]
        stern = reader == harsh
        answers = shift(fw, audit.answers, rng, up=0.04, down=0.3 if stern else 0.04)
        grade = audit.case.quality
        roll = rng.random()
        if stern:
            grade = GRADES[min(len(GRADES) - 1, rank(grade) + 1)]
        elif not stern and roll < 0.12:
            grade = neighbour(rng, grade)
        audits.append(
            Audit(
                audit.case,
                "inspector",
                answers,
                record_grade(rng, fw, grade),
                reader,
                audit.audit_date + dt.timedelta(days=int(rng.integers(1, 11))),
                draw_comments(rng, fw, audit.case, answers, rate=0.15),
            )
        )


EXAMPLE_TEXTS = {
    # Invented vignettes, clearly marked as such: no real case, person or place.
    "effective practice": (
        (
            "investigation",
            "Invented example: the officer spoke to the teenage girl on her own, "
            "recorded her wishes in her own words, and a strategy discussion with children's "
            "social care followed the same day.",
        ),
        (
            "decision_making",
            "Invented example: a supervisor reviewed the investigation within "
            "a week, set clear actions and checked that each one was done.",
        ),
        (
            "assessment_and_help",
            "Invented example: the safeguarding hub shared what it knew "
            "with the school and the health visitor, and a joint visit was made that week.",
        ),
    ),
    "concern": (
        (
            "managing_risk",
            "Invented example: a young boy stayed at home with the suspect for "
            "several weeks because no risk assessment was recorded after the first report.",
        ),
        (
            "investigation",
            "Invented example: the investigation drifted with no supervisory "
            "review; the child was never spoken to and the case was closed without a referral.",
        ),
        (
            None,
            "Invented example: the family moved between areas and no one owned the case; "
            "each agency assumed another was leading.",
        ),
    ),
}
DATED_EXAMPLE = (
    "investigation",
    "Invented example: the girl, aged 15, was seen on 14 March 2014, but her account was "
    "not recorded and no strategy discussion was held.",
)
"""One example with a date in it (Force C), cleared by mistake: the checker finds it."""
CLEARED_BY = "Lead inspector (sample)"


def choose_examples(
    fw: Framework, audits: Sequence[Audit], seed: int, index: int, year: int
) -> None:
    """Two or three inspector cases per force chosen as case examples for the report
    (good cases effective practice, inadequate ones concern), about half cleared. Its
    own random stream, so nothing else in the samples changes."""
    key = [seed, index, 4] if year == FIRST_ROUND else [seed, index, year, 4]
    rng = np.random.default_rng(key)
    stages = {s.id: s.label for s in fw.stages}
    pool = sorted(
        (a for a in audits if a.audit_type == "inspector" and a.case.quality != "adequate"),
        key=lambda a: a.case.ref,
    )
    if len(pool) < 3:
        return
    picked = rng.choice(len(pool), size=int(rng.integers(2, 4)), replace=False)
    dated = False
    for k in sorted(int(i) for i in picked):
        audit = pool[k]
        theme = "effective practice" if audit.case.quality == "good" else "concern"
        texts = EXAMPLE_TEXTS[theme]
        stage, text = texts[int(rng.integers(len(texts)))]
        cleared = rng.random() < 0.5
        if FORCES[index].letter == "C" and theme == "concern" and not dated:
            (stage, text), cleared, dated = DATED_EXAMPLE, True, True
        audit.example = {
            "example": theme,
            "example_text": text,
            "example_stage": stages.get(stage or ""),
            "example_status": "cleared" if cleared else "draft",
            "example_cleared_by": CLEARED_BY if cleared else None,
        }


REVIEW_FIELD_IDS = ("review_status", "grade_rationale")
"""Written last in every file, so the earlier columns keep their letters."""
NOT_APPROVED = {"C": ("draft", "for review", "returned")}
"""Forces whose last second readings are still in review: reports leave them out by
default (each case still counts by its approved first reading) and say so."""
RATIONALES = (
    "The outcome for the child outweighs the process answers.",
    "Answers reflect the record; the overall judgement reflects the child's experience.",
    "Risk was managed well despite gaps in recording.",
    "Delays left the child at risk longer than the answers suggest.",
)
"""What an auditor writes when the recorded grade differs from the suggested one."""


def not_yet_approved(audits: list[Audit], index: int) -> None:
    """Mark a force's last second readings (after the first readings, in case order) as
    not approved; no random draw, so every other cell is as it was."""
    statuses = NOT_APPROVED.get(FORCES[index].letter, ())
    seen: set[str] = set()
    second = []
    for audit in audits:
        if audit.audit_type != "inspector":
            continue
        if audit.case.ref in seen:
            second.append(audit)
        seen.add(audit.case.ref)
    for audit, status in zip(second[-len(statuses) :], statuses, strict=False):
        audit.review = status


def rationale(fw: Framework, audit: Audit) -> str | None:
    """A reason wherever the recorded grade counts as another grade than the one the
    framework suggests (none where they agree); picked by case, not drawn."""
    counts_as = {g.id: g.counts_as for g in fw.case_grades}.get(audit.grade or "")
    suggested = score_case(fw, audit.answers)[1]
    if counts_as is None or suggested is None or counts_as == suggested:
        return None
    pick = sum(map(ord, audit.case.ref + audit.auditor)) % len(RATIONALES)
    return RATIONALES[pick]


def mark_one_excellent(fw: Framework, audits: Iterable[Audit]) -> None:
    """The published table's good column 'includes one excellent case': give it to the best."""
    top = excellent_word(fw)
    good = [a for a in audits if a.audit_type == "inspector" and a.grade == "good"]
    if top and good:
        best = max(good, key=lambda a: (score_case(fw, a.answers)[0] or 0.0, a.case.ref))
        best.grade = top


# --------------------------------------------------------------------------- rendering


def columns(fw: Framework, force: Force) -> list[tuple[str, str]]:
    """(field id, header) in workbook order: case fields, then each stage's questions."""
    fields = {f.id: f for f in standard_fields(fw)}
    # The sample forms predate the agreed_grade column (a case read twice counts by its
    # first reading). Referral columns come last; review status and rationale after them.
    left_out = (
        *force.omit,
        "grade_rationale",
        "review_status",
        "agreed_grade",
        *REFERRAL_FIELD_IDS,
        *EXAMPLE_FIELD_IDS,
    )
    base = [f for f in fields.values() if f.kind != "comment" and f.id not in left_out]
    out = [(f.id, header(f.id, f.label, force)) for f in base]
    if force.extra_column:
        out.append(("", force.extra_column))
    for stage in fw.stages:
        for ind in stage.indicators:
            full_id = f"{stage.id}.{ind.id}"
            out.append((full_id, header(full_id, ind.label, force)))
        comment: CaseField = fields[f"{stage.id}.comment"]
        out.append((comment.id, header(comment.id, comment.label, force)))
    # Referral columns last, so the earlier columns keep their letters; only where
    # inspectors audited (they refer cases back).
    if force.table is not None:
        out += [(i, header(i, fields[i].label, force)) for i in REFERRAL_FIELD_IDS]
        out += [(i, header(i, fields[i].label, force)) for i in EXAMPLE_FIELD_IDS]
    out += [(i, header(i, fields[i].label, force)) for i in REVIEW_FIELD_IDS]
    return out


def header(field_id: str, label: str, force: Force) -> str:
    return field_id if force.headers == "id" else label


def spellings(response: Response) -> list[str]:
    """Ways auditors type an answer: the label in other cases, and the scale's aliases."""
    words = [response.label.lower(), response.label.upper(), f" {response.label.upper()} "]
    for alias in response.aliases[:2]:  # the framework lists the common spellings first
        words += [alias, alias.upper() if len(alias) <= 3 else alias.capitalize()]
    return words


class Renderer:
    """Turns tidy values into the cell values a force's auditors typed."""

    def __init__(self, fw: Framework, force: Force, rng: Rng) -> None:
        self.fw, self.force, self.rng = fw, force, rng
        self.responses: dict[str, dict[str, Response]] = {}
        for ref in fw.indicators:
            scale = ref.scale
            answers = [*scale.responses, *([scale.not_applicable] if scale.not_applicable else [])]
            self.responses[ref.full_id] = {r.id: r for r in answers}
        self.na_ids = {r.full_id: r.scale.not_applicable for r in fw.indicators}
        self.kinds = {f.id: f.kind for f in standard_fields(fw)}

    def row(self, audit: Audit, cols: Sequence[tuple[str, str]], batch: int) -> list[Any]:
        stage_blank = {
            s.id: not audit.case.stages[s.id] and self.rng.random() < self.force.na_blank
            for s in self.fw.stages
        }
        out: list[Any] = []
        for field_id, _ in cols:
            if not field_id:
                out.append(f"Batch {batch}")
            elif field_id in self.responses:
                stage_id = field_id.split(".")[0]
                out.append(
                    None
                    if stage_blank[stage_id]
                    else self.answer(field_id, audit.answers[field_id])
                )
            else:
                out.append(self.value(field_id, audit))
        return out

    def answer(self, full_id: str, answer: str | None) -> str | None:
        if answer is None:
            return None
        response = self.responses[full_id][answer]
        na = self.na_ids[full_id]
        if self.force.na_word and na and answer == na.id:
            return self.force.na_word
        variants = spellings(response)
        if variants and self.rng.random() < self.force.messiness:
            return variants[int(self.rng.integers(len(variants)))]
        return response.label

    def value(self, field_id: str, audit: Audit) -> Any:
        kind = self.kinds[field_id]
        case = audit.case
        if field_id == "case_ref":
            return case.ref
        if field_id == "force":
            return self.force.name
        if field_id == "area_of_practice":
            return self.area(case.area)
        if field_id == "audit_type":
            return self.force.audit_words[audit.audit_type == "inspector"]
        if field_id == "overall_grade":
            return self.grade(audit.grade)
        if field_id == "auditor":
            return audit.auditor
        if field_id == "review_status":
            return audit.review
        if field_id == "grade_rationale":
            return rationale(self.fw, audit)
        if field_id == "audit_date":
            return self.date(audit.audit_date)
        if field_id.endswith(".comment"):
            return audit.comments.get(field_id)
        if field_id in REFERRAL_FIELD_IDS:
            return self.referral(field_id, audit)
        if field_id in EXAMPLE_FIELD_IDS:
            return audit.example.get(field_id)
        value = case.facts.get(field_id)
        if value is None:
            return None
        if kind == "date":
            return self.date(value)
        if kind == "flag":
            options = FLAG_SPELLINGS[value]
            return options[int(self.rng.integers(len(options)))]
        return value

    def referral(self, field_id: str, audit: Audit) -> Any:
        """Inspector rows say whether the case was referred back; no random draw here,
        so the spelling stream (and every other cell) is as it was before these columns."""
        if audit.audit_type != "inspector":
            return None
        if field_id == "referred_back":
            return "Yes" if audit.referral else "No"
        value = audit.referral.get(field_id)
        return self.date(value) if isinstance(value, dt.date) else value

    def area(self, area_id: str) -> str:
        area = self.fw.area_by_id[area_id]
        if self.force.area_style == "id":
            return area.id
        codes = sorted((w for w in (area.id, *area.aliases) if len(w) <= 3), key=len)
        if self.force.area_style == "alias" and codes:
            return codes[0].upper()  # DA, S47, CSE
        return area.label

    def grade(self, grade_id: str | None) -> str | None:
        if grade_id is None:
            return None
        grade = self.fw.grade_by_id[grade_id]
        short = [a for a in grade.aliases if len(a) <= 3]
        if short and self.rng.random() < 0.3:
            return short[0].upper()  # "RI"
        return grade.label

    def date(self, value: dt.date) -> dt.date | str:
        if self.force.date_style == "iso":
            return value.isoformat()
        if self.force.date_style == "uk":
            return value.strftime("%d/%m/%Y")
        return value


# --------------------------------------------------------------------------- writing

CREATED = dt.datetime(2014, 1, 1, 0, 0, 0)  # fixed so the xlsx bytes do not change


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]
    """Cell values: str, int, date or None (blank). The header is one of the rows."""
    header_row: int = 0
    title: bool = False


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    wb = xlsxwriter.Workbook(str(path), {"in_memory": True})  # in memory: fixed zip timestamps
    wb.set_properties({"created": CREATED, "author": "inspect-cli sample generator"})
    bold = wb.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    title = wb.add_format({"bold": True, "font_size": 14})
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        for i, row in enumerate(sheet.rows):
            for j, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date):
                    ws.write_datetime(i, j, dt.datetime.combine(value, dt.time()), date)
                elif isinstance(value, int):
                    ws.write_number(i, j, value)
                else:
                    fmt = bold if i == sheet.header_row and not sheet.title else None
                    fmt = title if sheet.title and i == 0 else fmt
                    ws.write_string(i, j, str(value), fmt)  # text stays text: "00417"
        if not sheet.title and len(sheet.rows) > 1:
            ws.freeze_panes(sheet.header_row + 1, 1)
            ws.set_column(0, len(sheet.rows[sheet.header_row]) - 1, 16)
    wb.close()


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    """UTF-8 with a byte-order mark and CRLF, as Excel's 'CSV UTF-8' saves it."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\r\n")
        for row in rows:
            writer.writerow(["" if v is None else str(v) for v in row])


def write_force(
    fw: Framework, force: Force, audits: list[Audit], out: Path, seed: int, index: int, year: int
) -> None:
    rng = np.random.default_rng([seed, index, 1])  # spelling noise: its own stream
    cols = columns(fw, force)
    header_row = [h for _, h in cols]
    render = Renderer(fw, force, rng)
    own = sorted((a for a in audits if a.audit_type == "self-assessment"), key=lambda a: a.case.ref)
    inspected = sorted((a for a in audits if a.audit_type == "inspector"), key=lambda a: a.case.ref)

    def rows(items: list[Audit]) -> list[list[Any]]:
        return [render.row(a, cols, batch=1 + k // 25) for k, a in enumerate(items)]

    path = out / force.file
    table = round_table(force, year)
    key = [seed, index] if year == FIRST_ROUND else [seed, index, year]
    share = table[2] / sum(table) if table else None
    # Force-level judgements: one workbook leaves the Force column blank (its only force).
    topics = [
        Sheet(
            "Force", force_sheet_rows(fw, force.name, share, key, force_blank=force.letter == "D")
        )
    ]
    if force.layout == "csv":
        write_csv(path, [header_row, *rows(own + inspected)])
    elif force.layout == "two_sheets":
        readme = [
            [f"{force.name}: NCPI case audit {year}"],
            ["Sheet 'Self-assessment': cases the force audited itself."],
            ["Sheet 'Inspectors': the same cases and more, audited by the inspection team."],
        ]
        write_xlsx(
            path,
            [
                Sheet("Read me", readme, title=True),
                Sheet("Self-assessment", [header_row, *rows(own)]),
                Sheet("Inspectors", [header_row, *rows(inspected)]),
                *topics,
            ],
        )
    elif force.layout == "title_block":
        both = sorted(own + inspected, key=lambda a: (a.case.ref, a.audit_type))
        title = [f"{force.name} — NCPI case audit {year}"]
        write_xlsx(
            path, [Sheet(force.sheet, [title, [], header_row, *rows(both)], header_row=2), *topics]
        )
    else:
        body = rows(own) + ([[]] if force.blank_row_between else []) + rows(inspected)
        write_xlsx(path, [Sheet(force.sheet, [header_row, *body]), *topics])


# --------------------------------------------------------------------------- main


def counts(audits: Sequence[Audit]) -> tuple[int, int]:
    own = sum(a.audit_type == "self-assessment" for a in audits)
    return own, len(audits) - own


def readme(fw: Framework, forces: Sequence[tuple[Force, list[Audit]]], seed: int, year: int) -> str:
    layout = {
        "one_sheet": "one sheet, header on row 1",
        "two_sheets": "a 'Read me' sheet, then self-assessment and inspector rows on separate sheets",
        "title_block": "a two-row title block above the header (header on row 3)",
        "csv": "UTF-8 CSV with a byte-order mark, dates as text (day first)",
    }
    lines = [
        "# Sample case audits (synthetic)",
        "",
        "Every case, child, date, reference and auditor in these files is **invented**. No",
        "real case was used or consulted. Force letters follow the anonymised table of the",
        "published thematic report: the inspectors' sample sizes and the grades they recorded",
        "(good, adequate, inadequate) reproduce its Table 2, including its one excellent case",
        "and Force A, whose inspectors' results were not recorded (self-assessment only).",
        "",
        "Generated by:",
        "",
        "```sh",
        f"python scripts/make_samples.py --out {_folder(year)} --seed {seed} --round {year}",
        "```",
        "",
        f"Framework: `{fw.id}` {fw.version}. The same seed gives byte-identical files; each",
        "force draws from its own random stream. The inspector rows' recorded grades match",
        "the published counts exactly; the grades the tool computes from the answers differ a",
        "little, as an auditor's conclusion sometimes does.",
        "",
        "What the data are meant to show:",
        "",
        "- forces' own marking tends to be a step more generous than the inspectors' for the",
        "  same case (most self-assessed cases were re-audited by inspectors, same case reference);",
        "- cases handled by specialist teams or recognised as child protection at the outset do",
        "  better; children in custody, missing or exploited do worse;",
        "- stages apply by area of practice (police detention for custody cases, management of",
        "  risk mostly for sex offender management and CSE), otherwise N/A or blank;",
        "- poor recording: ethnicity is often blank; some dates are missing; about one recorded",
        "  conclusion in twelve differs from what the answers earn;",
        "- the messiness real workbooks have: answer spellings ('yes', ' YES ', 'N/A', 'Part'),",
        "  grade words ('RI', 'Poor'), blanks, and layout differences listed below;",
        "- a few inadequate inspector cases referred back to the force (a child found at risk",
        "  now), some answered by the force and some outstanding: the referral columns come",
        "  last in every file with inspector rows (`inspect-cli referrals`).",
        "- a 'Force' sheet in every workbook (not the CSV): the force-level topics, each with",
        "  the force's self-grade, the inspectors' grade (none for Force A, which inspectors",
        "  did not grade) and made-up evidence references; Force D leaves the Force column",
        "  blank (its only force). The forces tend to grade themselves higher.",
        "- a few inspector cases chosen as case examples (invented vignettes of effective",
        "  practice and concern, some cleared): the example columns come after the referral",
        "  columns; one cleared example in Force C holds a date, which `inspect-cli examples`",
        "  flags and leaves out of `--publish`.",
        "- quality assurance between inspectors: about one inspector case in eight read again",
        "  by a second inspector (same case reference, another Auditor; the inspector rows below",
        "  include these readings, and each case counts once, by its first reading); in Force D",
        "  one inspector reads more cases again and grades them a step harsher, for",
        "  `moderate --between inspectors` and the auditor-drift section to find.",
        "- review state and rationale: every row has a Review status, approved but for three",
        "  second readings in Force C (draft, for review, returned), which reports leave out",
        "  and say so (`--include-unapproved` counts them; each case still counts by its",
        "  approved first reading); a recorded grade that differs from the framework's",
        "  suggestion carries a Grade rationale. Both columns come last.",
        "- `recommendations.yaml`: the round's recommendations register (invented), two to four",
        "  for each force inspectors assessed, for `--recommendations` (docs/recommendations.md);",
        "  the case loader never reads a YAML file, so it sits in the folder harmlessly.",
        "",
        *(
            [
                f"**This is a later round ({year})**, a re-inspection of the same forces: the",
                "inspectors' counts are Table 2's moved by how much each force changed",
                "(`ROUND_CHANGE` in the generator: Force C improved most, Force F declined),",
                "so `inspect-cli trend` has a realistic change to find.",
                "",
            ]
            if year != FIRST_ROUND
            else []
        ),
        "| file | force | self-assessment rows | inspector rows | layout |",
        "|---|---|---|---|---|",
    ]
    for force, audits in forces:
        own, inspected = counts(audits)
        notes = [layout[force.layout]]
        if not force.table:
            notes.append("self-assessment only: the inspectors' grades were not recorded")
        if force.headers == "id":
            notes.append("headers are field ids (`case_ref`, `investigation.suspect_promptly`)")
        if force.date_style == "iso":
            notes.append("dates as ISO text")
        if force.area_style != "label":
            notes.append(
                "areas as " + ("ids" if force.area_style == "id" else "short codes (DA, S47)")
            )
        if force.na_word:
            notes.append(f"not applicable written {force.na_word!r}")
        if force.omit:
            notes.append("no columns for " + ", ".join(f"`{f}`" for f in force.omit))
        if force.extra_column:
            notes.append(f"an extra column {force.extra_column!r} the loader ignores")
        if force.numeric_refs:
            notes.append(f"all-digit case references stored as text (e.g. `{FIXED_NUMERIC_REF}`)")
        if force.blank_row_between:
            notes.append("a blank row between the self-assessment and inspector rows")
        if force.superficial:
            notes.append("a superficial self-assessment (some conclusions left blank)")
        lines.append(
            f"| `{force.file}` | {force.name} | {own} | {inspected} | {'; '.join(notes)} |"
        )
    total_own = sum(counts(a)[0] for _, a in forces)
    total_insp = sum(counts(a)[1] for _, a in forces)
    lines += [f"| | total | {total_own} | {total_insp} | |", ""]
    return "\n".join(lines)


def generate(out: Path, seed: int, year: int) -> list[tuple[Force, list[Audit]]]:
    fw = resolve_framework(FRAMEWORK)
    check_hints(fw)
    out.mkdir(parents=True, exist_ok=True)
    built = [(f, build_force(fw, f, i, seed, year)) for i, f in enumerate(FORCES)]
    mark_one_excellent(fw, (a for _, audits in built for a in audits))
    for i, (_, audits) in enumerate(built):
        refer_back(fw, audits, seed, i, year)
        choose_examples(fw, audits, seed, i, year)
    for i, (_, audits) in enumerate(built):
        second_readers(audits, fw, seed, i, year)  # after the referrals: they stay as they were
        not_yet_approved(audits, i)
    for i, (force, audits) in enumerate(built):
        write_force(fw, force, audits, out, seed, i, year)
    (out / "README.md").write_text(readme(fw, built, seed, year), encoding="utf-8", newline="\n")
    write_recommendations(fw, out, seed, year)
    return built


def write_recommendations(fw: Framework, out: Path, seed: int, year: int) -> None:
    """The round's recommendations register (scripts/sample_register.py), for the forces
    inspectors assessed: a YAML file, which the loader never reads as a case file."""
    from sample_register import register, write_register

    forces = [
        (f.letter, f.name, inspection_window(i, year))
        for i, f in enumerate(FORCES)
        if f.table is not None
    ]
    write_register(out, register(fw, forces, seed, year), year)


def _folder(year: int) -> str:
    """Where a round's samples are committed: the first round in sample_cases/, a later
    one beside it (not inside: a sub-folder of case files is not read without
    --recursive, and would be warned about on every run of the quick start)."""
    return "sample_cases" if year == 2014 else f"sample_cases_{year}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "sample_cases", help="output folder")
    parser.add_argument("--seed", type=int, default=2014, help="random seed (default 2014)")
    parser.add_argument("--round", type=int, default=2014, dest="year", help="inspection year")
    args = parser.parse_args(argv)
    for force, audits in generate(args.out, args.seed, args.year):
        own, inspected = counts(audits)
        print(f"{force.file:14} {force.name}: {own:3} self-assessment, {inspected:3} inspector")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
