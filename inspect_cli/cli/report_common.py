"""What the report commands share: the usage checks made before any case is read,
the user's choices typed, and the anonymisation key kept (or not) afterwards."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from inspect_cli.cli.options import AuditTypeChoice, GradeSourceChoice
from inspect_cli.cli.runtime import check_outputs, err, pick_format, write_output
from inspect_cli.errors import UsageError
from inspect_cli.render.text.plain import say
from inspect_cli.reports.common import audit_type as as_audit_type
from inspect_cli.reports.common import grade_source as as_grade_source
from inspect_cli.reports.make import Choices

if TYPE_CHECKING:
    from inspect_cli.key_file import Key
    from inspect_cli.load import Selection


@dataclass(frozen=True)
class Reading:
    """How the case files are read: the force register, the sheets and sub-folders
    chosen, and whether rows with errors are left out (each one listed)."""

    forces: Path | None
    selection: Selection
    allow_partial: bool


def check_report(
    inputs: list[Path],
    output: Path | None,
    given: str | None,
    anonymise: bool,
    key_file: Path | None,
    overwrite: bool,
    framework: str,
    forces: Path | None,
    formats: tuple[str, ...],
) -> tuple[str, list[Path], Key | None]:
    """Every usage mistake, found before any case file is read: the format, and the
    inputs no output (the report, a new key) may replace. A key file that exists is
    an input, read here (refused here if it cannot be used) and never written."""
    fmt = pick_format(output, given, formats, "table")
    if key_file is not None and not anonymise:
        raise UsageError("--key-file goes with --anonymise")
    from inspect_cli.key_file import given_back, read_key

    old_key = given_back(key_file, [*inputs, *(p for p in (output, forces) if p is not None)])
    new_key = None if old_key is not None else key_file
    protected = check_outputs(
        inputs, overwrite, output, new_key, framework=framework, register=forces, report_format=fmt
    )
    if old_key is None:
        return fmt, protected, None
    return fmt, [*protected, old_key], read_key(old_key)


def report_choices(
    audit_type: AuditTypeChoice,
    grade_source: GradeSourceChoice,
    title: str | None,
    marking: str | None,
    anonymise: bool,
    publish: bool,
    suppress_below: int,
    include_unapproved: bool = False,
) -> Choices:
    audit, source = as_audit_type(audit_type), as_grade_source(grade_source)
    return Choices(
        audit, source, title, marking, anonymise, publish, suppress_below, include_unapproved
    )


def keep_key(
    key_file: Path | None,
    key: Key | None,
    names: dict[str, str],
    inputs: list[Path],
    overwrite: bool,
) -> None:
    """The anonymisation key, written only once the report it unlocks has been; a key
    given back is left as it is; without --key-file the letters are lost, and said so."""
    if key is not None:
        say(err, f"letters from the key file {key_file}, left as it was")
    elif key_file is not None:
        from inspect_cli.render.csv import write_key_csv

        write_output(key_file, inputs, overwrite, lambda tmp: write_key_csv(names, tmp))
    elif names:
        say(
            err,
            "note: the letters were drawn at random for this run and are not kept; "
            "give --key-file KEY.csv to keep them and use them again in later reports",
        )


def note_publishing_alone(publish: bool) -> None:
    """A report published alone is protected alone: say how to publish several."""
    if publish:
        say(
            err,
            "note: reports published one at a time from the same cases (the thematic "
            "report beside a force report, one force's report beside another's) can be "
            "set side by side to work hidden counts out: publish them together with "
            "'inspect-cli report publish'; publish one audit type and one threshold "
            "only (no command protects several together)",
        )
