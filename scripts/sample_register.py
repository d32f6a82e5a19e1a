"""The synthetic recommendations register of one sample round (docs/recommendations.md),
written by scripts/make_samples.py as ``recommendations.yaml`` in the round's folder
(the loader reads only .xlsx, .xlsm and .csv files from a folder, so it never takes the
register for a case file).

Every recommendation, date, status and owner is invented. The wording follows the
recurring recommendations of the published inspection reports (grouped by theme); the
stages and indicators each concerns are the framework's, checked here so the samples
follow the framework. Each force draws from its own seeded stream.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import yaml

from inspect_cli.frameworks import Framework

# (type, theme, text, stages, indicators)
FINDINGS: tuple[tuple[str, str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "cause of concern",
        "investigations",
        "Review child protection investigations that are outstanding to ensure children "
        "are not at risk.",
        ("investigation",),
        ("investigation.no_drift", "investigation.safeguarding_at_closure"),
    ),
    (
        "recommendation",
        "delay",
        "Reduce delay in interviewing suspects and in arranging medical examinations.",
        (),
        ("investigation.suspect_promptly", "investigation.medical_examination"),
    ),
    (
        "recommendation",
        "decision making and recording",
        "Record the reasons for decisions, and make sure outcomes fit the evidence.",
        ("decision_making",),
        ("decision_making.reasons_recorded", "decision_making.outcome_fits"),
    ),
    (
        "area for improvement",
        "all children",
        "Make sure every child is seen and listened to, and their needs are recorded.",
        (),
        ("initial_contact.child_seen", "trusted_adult.listened_to"),
    ),
    (
        "recommendation",
        "detention",
        "Seek alternative accommodation for every child charged and detained, and keep "
        "a detention certificate when none is provided.",
        ("police_detention",),
        ("police_detention.alternative_accommodation", "police_detention.detention_certificate"),
    ),
    (
        "cause of concern",
        "leadership",
        "Supervise child protection investigations so that managers know the risk to each child.",
        (),
        ("assessment_and_help.supervision",),
    ),
    (
        "area for improvement",
        "leadership",
        "Collect management information on child protection work and use it to drive improvement.",
        (),
        (),
    ),
)
OWNERS = ("R. Okafor", "J. Whitlock", "S. Marsh", "P. Devlin")
"""Invented lead inspectors."""
STATUSES = ("red", "amber", "green")
ACTION_PLAN_DAYS = 42
"""The samples' own choice (the source: an action plan within about six weeks of
publication); the tool never works the due date out."""


def register(
    fw: Framework,
    forces: Sequence[tuple[str, str, dt.date]],
    seed: int,
    year: int,
) -> list[dict[str, object]]:
    """Recommendations for each (letter, name, fieldwork start) force: two to four each,
    made three months after the fieldwork started."""
    known_stages = {s.id for s in fw.stages}
    known = {ref.full_id for ref in fw.indicators}
    for _, _, _, stages, indicators in FINDINGS:
        missing = [*(set(stages) - known_stages), *(set(indicators) - known)]
        if missing:
            raise SystemExit(f"sample recommendations name what {fw.id} lacks: {missing}")
    out: list[dict[str, object]] = []
    for index, (letter, name, start) in enumerate(forces):
        rng = np.random.default_rng([seed, year, 7919, index])
        n = int(rng.integers(2, 5))
        picked = sorted(int(i) for i in rng.choice(len(FINDINGS), size=n, replace=False))
        made = start + dt.timedelta(days=91)
        for number, i in enumerate(picked, start=1):
            kind, theme, text, stages, indicators = FINDINGS[i]
            entry: dict[str, object] = {
                "id": f"{year}-{letter}-{number}",
                "force": name,
                "type": kind,
                "theme": theme,
                "text": text,
            }
            if stages:
                entry["stages"] = list(stages)
            if indicators:
                entry["indicators"] = list(indicators)
            entry["made"] = made
            if rng.random() < 0.85:  # a few with no due date recorded
                entry["action_plan_due"] = made + dt.timedelta(days=ACTION_PLAN_DAYS)
            if rng.random() < 0.8:  # a few not yet assessed
                entry["status"] = STATUSES[int(rng.integers(0, 3))]
            entry["owner"] = OWNERS[int(rng.integers(0, len(OWNERS)))]
            out.append(entry)
    return out


class _Plain(yaml.SafeDumper):
    """Every value written out: a register refuses YAML anchors and aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def write_register(out: Path, entries: list[dict[str, object]], year: int) -> Path:
    path = out / "recommendations.yaml"
    head = (
        f"# Recommendations register of the {year} inspections (synthetic: every entry is\n"
        "# invented). Fields: docs/recommendations.md. Use it with\n"
        "#   inspect-cli report force FOLDER --force NAME --recommendations THIS_FILE\n"
        "#   inspect-cli trend 2014=sample_cases/ 2016=sample_cases_2016/ "
        "--recommendations sample_cases/recommendations.yaml\n"
    )
    body = yaml.dump(
        {"recommendations": entries},
        Dumper=_Plain,
        sort_keys=False,
        allow_unicode=True,
        width=88,
    )
    path.write_text(head + body, encoding="utf-8", newline="\n")
    return path
