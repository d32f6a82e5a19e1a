"""Every command-line option and argument, defined once and shared by the commands."""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer


class TableOrJson(enum.StrEnum):
    table = "table"
    json = "json"


class AuditTypeChoice(enum.StrEnum):
    inspector = "inspector"
    self_assessment = "self-assessment"
    all = "all"


class GradeSourceChoice(enum.StrEnum):
    computed = "computed"
    recorded = "recorded"


# Inputs and outputs
InputsArg = Annotated[
    list[Path],
    typer.Argument(help="Case files (.xlsx, .xlsm, .csv) or folders of them.", show_default=False),
]
FrameworkArg = Annotated[str, typer.Argument(help="Framework id or path to a .yaml file.")]
FrameworkOpt = Annotated[
    str,
    typer.Option(
        "--framework",
        help="Framework id (see 'frameworks list') or path to a framework .yaml file.",
        show_default=True,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file; the format follows its extension."),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace the output file if it already exists.")
]

# Formats: each command's own list
TableOrJsonOpt = Annotated[TableOrJson, typer.Option("--format", help="table or json.")]
ReportFormatOpt = Annotated[
    str | None, typer.Option("--format", help="table, html, xlsx, json or csv (default: from -o).")
]
ScoreFormatOpt = Annotated[
    str | None, typer.Option("--format", help="table, xlsx, csv or json (default: from -o).")
]
AnalysisFormatOpt = Annotated[
    str | None, typer.Option("--format", help="table, html, xlsx or json (default: from -o).")
]

# What a report counts and shows
AuditOpt = Annotated[
    AuditTypeChoice, typer.Option("--audit-type", help="Which assessments to count.")
]
GradeOpt = Annotated[
    GradeSourceChoice,
    typer.Option(
        "--grade-source",
        help="computed: the framework's rules; recorded: the auditor's own overall grade "
        "(e.g. to reproduce a published table).",
    ),
]
ReportForceOpt = Annotated[str, typer.Option("--force", help="The police force to report on.")]
ForceFilterOpt = Annotated[
    str | None, typer.Option("--force", help="Only this police force (default: all).")
]
AnonymiseOpt = Annotated[
    bool,
    typer.Option(
        "--anonymise",
        help='Show forces as "Force A", "Force B", … in a random order (see --key-file).',
    ),
]
KeyFileOpt = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        help="With --anonymise: a new file: write which letter is which force there "
        "(only once the report is written); an existing key file: use its letters and "
        "leave it unchanged, so reports keep the same letters.",
    ),
]
TitleOpt = Annotated[str | None, typer.Option("--title", help="The report's title.")]
PublishOpt = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="For reports that leave the inspectorate: no case list, no case references, "
        "small counts suppressed (see --suppress-below).",
    ),
]
SuppressOpt = Annotated[
    int,
    typer.Option(
        "--suppress-below", min=2, help="With --publish: counts from 1 up to this - 1 are hidden."
    ),
]
MarkingOpt = Annotated[
    str | None,
    typer.Option(
        "--marking",
        help='Protective marking at the top of the report (default "OFFICIAL-SENSITIVE"; '
        'none with --publish unless given; --marking "" for none).',
    ),
]
ForcesOpt = Annotated[
    Path | None,
    typer.Option(
        "--forces",
        help="A force register (.csv with columns force,alias or name,aliases; or .yaml "
        "mapping each name to its aliases): every force name must be listed, and is "
        "reported by its listed name.",
        show_default=False,
    ),
]
LimitOpt = Annotated[int, typer.Option("--limit", help="Most cases to list in the terminal.")]
AllowPartialOpt = Annotated[
    bool,
    typer.Option(
        "--allow-partial",
        help="Score the cases that loaded even if other rows have errors; "
        "rows not scored are listed with their reasons.",
    ),
]
