"""How much of each case was answered: a case graded on one answer out of many is
graded, but never silently (the framework's ``scoring.minimum_answered``).

In each stage that applies to a case (at least one answer other than not
applicable), the indicators that apply are those not answered "not applicable";
of those, at least the framework's share must be answered, or the case gets a
``few-answered`` warning naming the stages that fall short. Blank answers are what
make a stage fall short: "not applicable" is an answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from inspect_cli import problems as P
from inspect_cli.frameworks import Framework

if TYPE_CHECKING:  # pandas is imported while the first file is parsed (load_cases)
    import pandas as pd

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Answered:
    """Per case: answers given and indicators that apply, over the stages that apply,
    and which stages fall short of the minimum (one column per stage)."""

    answered: IntArray
    applicable: IntArray
    short: npt.NDArray[np.bool_]

    @property
    def too_few(self) -> BoolArray:
        """Cases with at least one applicable stage below the minimum."""
        return np.asarray(self.short.any(axis=1), dtype=np.bool_)


def count_answered(fw: Framework, cases: pd.DataFrame) -> Answered:
    """Column by column over the indicator codes: a response is a code below the
    scale's length, not applicable the next code, blank -1."""
    n = len(cases)
    share = fw.scoring.minimum_answered_share
    answered = np.zeros(n, dtype=np.int64)
    applicable = np.zeros(n, dtype=np.int64)
    short = np.zeros((n, len(fw.stages)), dtype=bool)
    for i, stage in enumerate(fw.stages):
        given = np.zeros(n, dtype=np.int64)
        not_applicable = np.zeros(n, dtype=np.int64)
        for ind in stage.indicators:
            codes = np.asarray(cases[f"{stage.id}.{ind.id}"].cat.codes, dtype=np.int64)
            responses = len(fw.scale_of(ind).responses)
            given += (codes >= 0) & (codes < responses)
            not_applicable += codes == responses
        applies = given > 0
        apply_count = len(stage.indicators) - not_applicable
        # given < share × apply_count, in whole numbers: exact for any fraction.
        short[:, i] = applies & (given * share.denominator < share.numerator * apply_count)
        answered += np.where(applies, given, 0)
        applicable += np.where(applies, apply_count, 0)
    return Answered(answered, applicable, short)


def few_answered_problems(fw: Framework, cases: pd.DataFrame) -> list[P.Problem]:
    """A warning for each case below the minimum; only those rows are visited."""
    if cases.empty or fw.scoring.minimum_answered_share == 0:
        return []
    counts = count_answered(fw, cases)
    files, sheets = cases["source_file"].to_numpy(), cases["source_sheet"].to_numpy()
    rows = cases["source_row"].to_numpy(dtype=np.int64)
    found = []
    for pos in np.nonzero(counts.too_few)[0].tolist():
        stages = [s.label for s, hit in zip(fw.stages, counts.short[pos], strict=True) if hit]
        found.append(
            P.FEW_ANSWERED.at(
                str(files[pos]),
                str(sheets[pos]) or None,
                int(rows[pos]),
                answered=int(counts.answered[pos]),
                applicable=int(counts.applicable[pos]),
                stages=", ".join(stages),
                share=fw.scoring.minimum_answered.strip(),
            )
        )
    return found
