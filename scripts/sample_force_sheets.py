"""The Force sheet of each synthetic sample workbook (used by make_samples.py).

Every force-level topic of the framework gets the force's self-grade and, where the
force was inspected, the inspectors' grade, with made-up evidence references (codes
such as ``INT-04``, never names). As the source found of case marking, a force tends
to grade itself higher than inspectors do. Its own random stream, so the case sheets
are exactly as they were.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from inspect_cli.frameworks import Framework
from inspect_cli.load.force_sheet import FORCE_COLUMNS, topic_scale

STREAM = 7
"""The sample generator's stream number for Force sheets (cases use others)."""
EVIDENCE_KINDS = (
    ("INT", ("focus group, front-line officers", "interview, senior leader", "partner meeting")),
    ("DOC", ("policy", "action plan", "board minutes", "training record")),
    ("STAT", ("performance report", "missing children return", "referral figures")),
)


def force_sheet_rows(
    fw: Framework,
    force: str,
    inadequate_share: float | None,
    key: list[int],
    *,
    force_blank: bool = False,
) -> list[list[Any]]:
    """Header and one row per topic. ``inadequate_share``: the inspectors' share of
    inadequate cases for this force (None: not inspected, so no inspectors' grades);
    ``force_blank``: leave the Force column blank (the workbook's only force)."""
    rng = np.random.default_rng([*key, STREAM])
    rows: list[list[Any]] = [[c.label for c in FORCE_COLUMNS]]
    for topic in fw.force_topics:
        grades = [r.label for r in topic_scale(fw, topic).responses]
        worst = len(grades) - 1
        lean = 0.5 if inadequate_share is None else inadequate_share + 0.15
        step = int(rng.binomial(worst, min(max(lean + rng.normal(0, 0.15), 0.0), 1.0)))
        better = step - int(rng.random() < 0.6)  # forces tend to grade themselves higher
        inspector = grades[step] if inadequate_share is not None else None
        evidence = [_refs(rng, prefix, kinds) for prefix, kinds in EVIDENCE_KINDS]
        rows.append(
            [
                None if force_blank else force,
                topic.id,
                topic.label,
                grades[max(better, 0)],
                inspector,
                *evidence,
            ]
        )
    return rows


def _refs(rng: np.random.Generator, prefix: str, kinds: tuple[str, ...]) -> str:
    n = int(rng.integers(1, 4))
    picks = sorted(int(i) for i in rng.choice(40, size=n, replace=False))
    return "; ".join(
        f"{prefix}-{i + 1:02d} ({kinds[int(rng.integers(len(kinds)))]})" for i in picks
    )
