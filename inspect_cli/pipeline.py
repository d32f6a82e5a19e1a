"""The pipeline as one call: case files in, loaded cases and their scores out.

Every command that scores cases goes through :func:`load_and_score`, so which rows
are scored (all of them, or the ones that loaded with ``allow_partial``) is decided
here once, with the checks that need a case's score (:mod:`inspect_cli.rationale`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_cli.frameworks import Framework
from inspect_cli.read import Limits

if TYPE_CHECKING:  # pandas is imported while the first file is parsed, not before
    from inspect_cli.load import LoadResult, Selection
    from inspect_cli.score import ScoreResult

OnFile = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Scored:
    """What the inputs gave: every problem found, and the scores when there are any."""

    load: LoadResult
    result: ScoreResult | None
    """None when nothing could be scored: errors (without ``allow_partial``) or no case."""


def load_and_score(
    inputs: Sequence[Path],
    framework: Framework,
    *,
    limits: Limits,
    on_file: OnFile | None = None,
    then: Callable[[], None] | None = None,
    reasons: bool = True,
    allow_partial: bool = False,
    forces: Path | None = None,
    selection: Selection | None = None,
) -> Scored:
    """Load ``inputs`` against ``framework`` and score the cases that loaded.

    ``then`` gets the caller's next steps ready (imports, templates) while the input
    is parsed on the other core; ``reasons=False`` skips wording each case's reason
    (for reports that show no case); ``forces`` is a force register (``--forces``);
    ``selection`` the sheets and sub-folders chosen (``--sheet``, ``--recursive``).
    """
    from inspect_cli.load import load_cases

    def import_next() -> None:
        import inspect_cli.score  # noqa: F401

        if then is not None:
            then()

    loaded = load_cases(
        inputs, framework, limits, on_file, import_next, forces=forces, selection=selection
    )
    loaded = _with_framework_warning(loaded)
    if loaded.cases.empty:
        return Scored(loaded, None)
    from inspect_cli.rationale import after_scoring
    from inspect_cli.score import score_cases

    # Scored even when errors will refuse the result: the problems only scoring finds
    # (a differing grade without a rationale) are then listed with the rest at once.
    usable = loaded.ok or allow_partial
    result = after_scoring(score_cases(loaded, reasons=reasons and usable))
    if not (result.load.ok or allow_partial) or result.cases.empty:
        return Scored(result.load, None)
    return Scored(result.load, result)


def checked_load(loaded: LoadResult) -> LoadResult:
    """``loaded`` with the problems only scoring finds (``validate`` lists every
    problem without scoring for a report)."""
    if loaded.cases.empty:
        return loaded
    from inspect_cli.rationale import after_scoring
    from inspect_cli.score import score_cases

    return after_scoring(score_cases(loaded, reasons=False)).load


def _with_framework_warning(loaded: LoadResult) -> LoadResult:
    """A framework file that shadows a shipped id is listed with the inputs' problems,
    so every scoring command warns of it on stderr."""
    from dataclasses import replace

    from inspect_cli.frameworks.source import source_of
    from inspect_cli.problems import FRAMEWORK_SHADOWS_SHIPPED

    source = source_of(loaded.framework)
    if source is None or source.shadows is None:
        return loaded
    warning = FRAMEWORK_SHADOWS_SHIPPED.at(source.file, detail=source.shadows)
    return replace(loaded, problems=(warning, *loaded.problems))
