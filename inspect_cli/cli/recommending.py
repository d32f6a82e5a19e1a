"""What ``--recommendations FILE`` needs in the commands that take it (``report force``,
``trend``): the register read and checked before any case file is, kept from ever
being replaced by an output, and its section added to the finished report."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from inspect_cli.cli.runtime import current_limits, err
from inspect_cli.errors import UsageError

if TYPE_CHECKING:
    from inspect_cli.load.recommendations import RecommendationRegister
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.make import Choices
    from inspect_cli.reports.trend import Round, TrendReport
    from inspect_cli.score import ScoreResult


def read_register_or_exit(
    path: Path | None,
    framework: str,
    output: Path | None,
    forces: Path | None,
    protected: list[Path],
) -> tuple[RecommendationRegister | None, list[Path]]:
    """The register in ``path`` (None without one), checked against the framework, each
    force named as the force register (``--forces``) names it; every problem listed and
    exit 1 if any. Returns it with ``protected`` (the inputs no output may replace) and
    the register among them."""
    if path is None:
        return None, protected
    from inspect_cli.safe_write import same_file

    if output is not None and same_file(output, path):
        raise UsageError(
            f"refusing to write {output}: it is the recommendations register",
            details=("choose another output file name",),
        )
    if path.suffix.lower() in (".xlsx", ".xlsm") and any(same_file(path, p) for p in protected):
        # It would be read as a case file too, and refused as one with a puzzling message.
        raise UsageError(
            f"the recommendations register {path} is among the case files given",
            details=("keep a workbook register beside the case folder, not in it",),
        )
    from inspect_cli.frameworks import resolve_framework
    from inspect_cli.load import Register, read_register
    from inspect_cli.load.recommendations import read_recommendations
    from inspect_cli.render.text.problems import print_problems

    read = read_recommendations(path, resolve_framework(framework), current_limits())
    if isinstance(read, list):
        print_problems(err, read)
        raise typer.Exit(1)
    named = read_register(forces, current_limits()) if forces is not None else None
    if isinstance(named, Register):  # an unusable one is reported when the cases are read
        listed = [replace(r, force=named.lookup(r.force) or r.force) for r in read.recommendations]
        read = replace(read, recommendations=tuple(listed))
    return read, [*protected, path]


def with_force_register(
    report: ForceReport,
    result: ScoreResult,
    register: RecommendationRegister | None,
    choices: Choices,
    names: dict[str, str],
) -> ForceReport:
    """The force report with its recommendations section (as it is without a register)."""
    if register is None:
        return report
    from inspect_cli.reports.recommendations import with_recommendations

    return with_recommendations(report, result, register, choices, names)


def with_trend_register(
    report: TrendReport,
    rounds: Sequence[Round],
    register: RecommendationRegister | None,
    choices: Choices,
) -> TrendReport:
    """The trend with its re-inspection view (as it is without a register)."""
    if register is None:
        return report
    from inspect_cli.reports.reinspection import with_reinspection

    return with_reinspection(report, rounds, register, choices)
