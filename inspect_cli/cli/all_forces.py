"""``report force --all-forces -o FOLDER``: every force's report, the thematic report
and an index linking them, from one reading of the inputs.

A national programme needs 43 force reports; run one by one, each would read and
score every file again. Here the inputs are read and scored once, and every report
is made from that one result. Every file is written, or none (one atomic group)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_cli.cli.recommending import read_register_or_exit, with_force_register
from inspect_cli.cli.report_common import Reading, check_report, keep_key
from inspect_cli.cli.report_folder import report_file_names, report_folder
from inspect_cli.cli.runtime import load_and_score_or_exit, write_outputs
from inspect_cli.errors import UsageError
from inspect_cli.reports.make import Choices

if TYPE_CHECKING:
    from inspect_cli.render.outputs import AnyReport

FOLDER_FORMATS = ("html", "xlsx", "json", "csv")
INDEX = "index.html"


@dataclass(frozen=True)
class Request:
    """What the command line asked for, beyond the choices every report shares."""

    inputs: list[Path]
    folder: Path | None
    format: str | None
    framework: str
    reading: Reading
    key_file: Path | None
    overwrite: bool
    recommendations: Path | None = None
    """A recommendations register: each force's report lists its recommendations."""


def check_request(request: Request, choices: Choices) -> tuple[Path, str]:
    """The usage mistakes of --all-forces, found before any case file is read."""
    if request.folder is None:
        raise UsageError("--all-forces needs -o FOLDER: one report per force is written there")
    if choices.publish:
        raise UsageError(
            "--all-forces cannot be used with --publish",
            details=(
                "to publish every force's report, use 'inspect-cli report publish': it "
                "hides counts over all the reports at once, so that none gives away "
                "a count another hides",
            ),
        )
    fmt = request.format or "html"
    if fmt not in FOLDER_FORMATS:
        raise UsageError(
            f"--format {fmt!r} cannot be written as files",
            details=(f"choose one of {', '.join(FOLDER_FORMATS)}",),
        )
    return request.folder, fmt


def write_all_forces(request: Request, choices: Choices) -> None:
    folder, fmt = check_request(request, choices)
    with report_folder(folder):
        _write(request, choices, folder, fmt)


def _write(request: Request, choices: Choices, folder: Path, fmt: str) -> None:
    first = folder / f"thematic.{fmt}"
    _, protected, key = check_report(
        request.inputs, first, fmt, choices.anonymise, request.key_file, request.overwrite,
        request.framework, request.reading.forces, FOLDER_FORMATS,
    )  # fmt: skip
    register, protected = read_register_or_exit(
        request.recommendations, request.framework, None, request.reading.forces, protected
    )
    from inspect_cli.render import outputs
    from inspect_cli.render.html.index import Link, render_index_html
    from inspect_cli.reports.make import force_names, make_forces, make_thematic

    result = load_and_score_or_exit(
        request.inputs,
        request.framework,
        then=outputs.get_ready("force", fmt),
        forces=request.reading.forces,
        selection=request.reading.selection,
        allow_partial=request.reading.allow_partial,
    )
    if register is not None:
        from inspect_cli.reports.recommendations import refuse_unknown_forces

        refuse_unknown_forces(register, result.cases["force"].dropna().unique())
    names = force_names(result, choices.anonymise, key)
    thematic = make_thematic(result, choices, names)
    recorded = [row for row in thematic.forces if row.recorded]
    made = make_forces(result, choices, names, [r.label for r in recorded], as_shown=True)
    reports = [with_force_register(r, result, register, choices, names) for r in made]
    files = dict(
        zip(
            [r.label for r in recorded],
            report_file_names([r.label for r in recorded], fmt),
            strict=True,
        )
    )
    links = [Link(row, files.get(row.label)) for row in thematic.forces]
    index = render_index_html(thematic, links, first.name)

    groups: list[tuple[AnyReport, tuple[Path, ...]]] = [
        (thematic, outputs.report_files(fmt, first)),
        *(
            (report, outputs.report_files(fmt, folder / files[row.label]))
            for report, row in zip(reports, recorded, strict=True)
        ),
    ]
    targets = [f for _, group in groups for f in group]

    def write(tmps: Sequence[Path]) -> None:
        start = 0
        for report, group in groups:
            outputs.write_report_files(report, fmt, group[0], tmps[start : start + len(group)])
            start += len(group)
        tmps[-1].write_text(index, encoding="utf-8")

    write_outputs([*targets, folder / INDEX], protected, request.overwrite, write)
    keep_key(request.key_file, key, names, protected, request.overwrite)
