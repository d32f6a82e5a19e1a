"""Build case frames directly (no files) and a slow reference scorer to check the fast one."""

from __future__ import annotations

from typing import Any

import pandas as pd

from inspect_cli.frameworks import GRADES, Framework, Thresholds
from inspect_cli.load import LoadResult
from inspect_cli.score import ScoreResult, score_cases


def _categories(fw: Framework) -> dict[str, list[str]]:
    out = {}
    for ref in fw.indicators:
        cats = [r.id for r in ref.scale.responses]
        if ref.scale.not_applicable:
            cats.append(ref.scale.not_applicable.id)
        out[ref.full_id] = cats
    return out


def cases_frame(fw: Framework, answers: list[dict[str, str | None]], **fields: Any) -> pd.DataFrame:
    """One case per dict of indicator full id → response id (None = blank; missing = blank)."""
    n = len(answers)
    data: dict[str, Any] = {
        "source_file": ["test"] * n,
        "source_sheet": [""] * n,
        "source_row": list(range(2, n + 2)),
        "case_ref": [f"C{i}" for i in range(n)],
        "force": ["Force T"] * n,
        "area_of_practice": [fw.areas_of_practice[0].id] * n,
        "audit_type": ["inspector"] * n,
    }
    data.update(fields)
    for full_id, cats in _categories(fw).items():
        data[full_id] = pd.Categorical([a.get(full_id) for a in answers], categories=cats)
    return pd.DataFrame(data)


def score_frame(fw: Framework, frame: pd.DataFrame) -> ScoreResult:
    empty = pd.DataFrame(columns=["source_file", "source_sheet", "source_row", "reason"])
    return score_cases(LoadResult(fw, frame, (), (), empty))


def _grade(score: float, t: Thresholds) -> int:
    return 0 if score >= t.good else 1 if score >= t.adequate else 2


def reference_grade(fw: Framework, answers: dict[str, str | None]) -> str | None:
    """The rules of docs/scoring.md, one case at a time, written as plainly as possible."""
    stage_scores: list[tuple[float, float, int]] = []  # (score, weight, grade)
    for stage in fw.stages:
        total = weight = 0.0
        limited = False
        for ind in stage.indicators:
            scale = fw.scale_of(ind)
            answer = answers.get(f"{stage.id}.{ind.id}")
            ids = [r.id for r in scale.responses]
            if answer is None or answer not in ids:
                continue  # blank or not applicable
            points = scale.scores()[ids.index(answer)]
            total += points * ind.weight
            weight += ind.weight
            if ind.limiting and answer == ids[-1]:
                limited = True
        if weight == 0:
            continue
        score = total / weight
        grade = _grade(score, fw.scoring.stage.thresholds)
        if limited:
            grade = max(grade, GRADES.index(fw.scoring.stage.limiting_cap))
        stage_scores.append((score, stage.weight, grade))
    if not stage_scores:
        return None
    rule = fw.scoring.case
    if rule.combine == "worst_stage":
        grade = max(g for _, _, g in stage_scores)
    else:
        mean = sum(s * w for s, w, _ in stage_scores) / sum(w for _, w, _ in stage_scores)
        grade = _grade(mean, rule.thresholds)
    for cap in rule.caps:
        worse = sum(1 for _, _, g in stage_scores if g >= GRADES.index(cap.grade))
        if worse >= cap.at_least:
            grade = max(grade, GRADES.index(cap.cap))
    return GRADES[grade]
