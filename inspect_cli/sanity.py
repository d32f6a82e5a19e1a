"""The sanity properties every framework must satisfy, checked by scoring synthetic cases.

A case whose every applicable indicator has the best answer is good; the worst
answer everywhere is inadequate; the middle answer everywhere is adequate. Each
property is checked over many random patterns of 'not applicable' and blank, so
a rule that only works when every stage applies is caught.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from inspect_cli.frameworks import Framework, Scale
from inspect_cli.load import LoadResult, empty_frame
from inspect_cli.score import score_cases

PROPERTIES = (("best", "good"), ("middle", "adequate"), ("worst", "inadequate"))


@dataclass(frozen=True)
class SanityFailure:
    answer: str
    expected: str
    got: str
    cases: int
    example_reason: str


def _answer(scale: Scale, which: str) -> str:
    return {"best": scale.best, "middle": scale.middle, "worst": scale.worst}[which].id


def synthetic_cases(fw: Framework, which: str, n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` cases answering ``which`` wherever they answer, with random gaps."""
    rng = np.random.default_rng(seed)
    refs = fw.indicators
    gaps = rng.random((n, len(refs))) < rng.uniform(0, 0.8, size=(n, 1))
    gaps[np.arange(n), rng.integers(0, len(refs), n)] = False  # every case answers something
    use_na = rng.random((n, len(refs))) < 0.5
    frame = empty_frame(fw).drop(columns="_reason")
    data: dict[str, object] = {c: [None] * n for c in frame.columns}
    data.update(
        source_file=["synthetic"] * n, source_sheet=[""] * n, source_row=list(range(2, n + 2))
    )
    data.update(case_ref=[f"S{i}" for i in range(n)], force=["Synthetic"] * n)
    data.update(area_of_practice=[fw.areas_of_practice[0].id] * n, audit_type=["inspector"] * n)
    for j, ref in enumerate(refs):
        na = ref.scale.not_applicable.id if ref.scale.not_applicable else None
        answer = _answer(ref.scale, which)
        data[ref.full_id] = [
            (na if use_na[i, j] else None) if gaps[i, j] else answer for i in range(n)
        ]
    out = pd.DataFrame(data)
    for ref in refs:
        out[ref.full_id] = pd.Categorical(
            out[ref.full_id], categories=frame[ref.full_id].cat.categories
        )
    return out


def check_sanity(fw: Framework, n: int = 300, seed: int = 2014) -> list[SanityFailure]:
    failures = []
    empty = pd.DataFrame(columns=["source_file", "source_sheet", "source_row", "reason"])
    odd = all(len(s.responses) % 2 == 1 for s in fw.scales)
    for which, expected in PROPERTIES:
        if which == "middle" and not odd:
            continue  # a scale with an even number of answers has no middle answer
        cases = synthetic_cases(fw, which, n, seed)
        result = score_cases(LoadResult(fw, cases, (), (), empty))
        wrong = result.scored[result.scored["grade"] != expected]
        if len(wrong):
            failures.append(
                SanityFailure(
                    which,
                    expected,
                    str(wrong["grade"].iloc[0]),
                    len(wrong),
                    str(wrong["reason"].iloc[0]),
                )
            )
    return failures
