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
    auto = "auto"
    computed = "computed"
    recorded = "recorded"


# Inputs and outputs
InputsArg = Annotated[
    list[Path],
    typer.Argument(
        help="Case files (.xlsx, .xlsm, .csv) or folders of them.",
        metavar="INPUTS...",
        show_default=False,
    ),
]
FrameworkArg = Annotated[
    str, typer.Argument(help="Framework id or path to a .yaml file.", metavar="FRAMEWORK")
]
FrameworkOpt = Annotated[
    str,
    typer.Option(
        "--framework",
        metavar="ID|FILE",
        help="Framework id (see 'frameworks list') or path to a framework .yaml file.",
        show_default=True,
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to this file; the format follows its extension.",
    ),
]
OverwriteOpt = Annotated[
    bool, typer.Option("--overwrite", help="Replace the output file if it already exists.")
]

# Formats: each command's own list
TableOrJsonOpt = Annotated[TableOrJson, typer.Option("--format", help="table or json.")]
ReportFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="[table|html|xlsx|json|csv]",
        help="Default: from the extension of -o; table without -o.",
    ),
]
ScoreFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="[table|xlsx|csv|json]",
        help="Default: from the extension of -o; table without -o.",
    ),
]
AnalysisFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="[table|html|xlsx|json]",
        help="Default: from the extension of -o; table without -o.",
    ),
]

# What a report counts and shows
AuditOpt = Annotated[
    AuditTypeChoice, typer.Option("--audit-type", help="Which assessments to count.")
]


class SampleAuditChoice(enum.StrEnum):
    self_assessment = "self-assessment"
    inspector = "inspector"


SampleAuditOpt = Annotated[
    SampleAuditChoice | None,
    typer.Option(
        "--audit-type",
        help="The audit the sample is for, written as every drawn case's audit type "
        "(default: the list's own audit type, else self-assessment).",
        show_default=False,
    ),
]
GradeOpt = Annotated[
    GradeSourceChoice,
    typer.Option(
        "--grade-source",
        help="auto: the auditor's recorded overall grade where given, else the grade the "
        "framework's rules suggest; computed: the framework's suggested grade for every "
        "case; recorded: the auditor's grade only, leaving out cases without one.",
    ),
]
ReportForceOpt = Annotated[
    str | None,
    typer.Option(
        "--force", metavar="NAME", help="The police force to report on (or --all-forces)."
    ),
]
AllForcesOpt = Annotated[
    bool,
    typer.Option(
        "--all-forces",
        help="Every force's report, the thematic report and an index.html, written to "
        "the folder -o names, from one reading of the inputs (format: --format, default html).",
    ),
]
ForceFilterOpt = Annotated[
    str | None,
    typer.Option("--force", metavar="NAME", help="Only this police force (default: all)."),
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
        metavar="FILE",
        help="With --anonymise: a new file: write which letter is which force there "
        "(only once the report is written); an existing key file: use its letters and "
        "leave it unchanged, so reports keep the same letters.",
    ),
]
TitleOpt = Annotated[
    str | None, typer.Option("--title", metavar="TEXT", help="The report's title.")
]
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
        "--suppress-below",
        min=2,
        metavar="N",
        help="With --publish: counts from 1 up to this - 1 are hidden.",
    ),
]
MarkingOpt = Annotated[
    str | None,
    typer.Option(
        "--marking",
        metavar="TEXT",
        help='Protective marking at the top of the output (default "OFFICIAL-SENSITIVE"; '
        "none with --publish unless given; --marking none for none).",
    ),
]
ForcesOpt = Annotated[
    Path | None,
    typer.Option(
        "--forces",
        metavar="FILE",
        help="A force register (.csv with columns force,alias or name,aliases; or .yaml "
        "mapping each name to its aliases): every force name must be listed, and is "
        "reported by its listed name.",
        show_default=False,
    ),
]
RecommendationsOpt = Annotated[
    Path | None,
    typer.Option(
        "--recommendations",
        metavar="FILE",
        help="A recommendations register (.yaml, or .xlsx with a 'Recommendations' "
        "sheet; docs/recommendations.md): list each recommendation with the results of "
        "the stages and indicators it concerns (trend: then and now, the change tested).",
        show_default=False,
    ),
]
LimitOpt = Annotated[
    int, typer.Option("--limit", metavar="N", help="Most cases to list in the terminal.")
]
AllowPartialOpt = Annotated[
    bool,
    typer.Option(
        "--allow-partial",
        help="Score the cases that loaded even if other rows have errors; "
        "rows not scored are listed with their reasons.",
    ),
]
ReportPartialOpt = Annotated[
    bool,
    typer.Option(
        "--allow-partial",
        help="Report on the cases that loaded even if other rows, sheets or files have "
        "errors; the report says so and lists each one left out, with its error.",
    ),
]
IncludeUnapprovedOpt = Annotated[
    bool,
    typer.Option(
        "--include-unapproved",
        help="Where the cases record a review status, count every case, not only the "
        "approved ones (the report says how many of each it counted).",
    ),
]
AnnotateOpt = Annotated[
    Path | None,
    typer.Option(
        "--annotate",
        metavar="DIR",
        help="Write a copy of each workbook with problems into this folder: problem "
        "cells filled and commented, and a Problems sheet linking to them (never the "
        "original; .xlsx and .xlsm only).",
        show_default=False,
    ),
]

# Which sheets and folders are read (see inspect_cli.load.inputs.Selection)
SheetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="Read only this sheet of each workbook (repeat for several; a workbook with "
        "none of them is an error). A sheet named here is read even if it does not look "
        "like a case sheet.",
        show_default=False,
    ),
]
SkipSheetOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--skip-sheet",
        metavar="NAME",
        help="Do not read this sheet of any workbook (repeat for several).",
        show_default=False,
    ),
]
RecursiveOpt = Annotated[
    bool,
    typer.Option(
        "--recursive",
        "-r",
        help="Read the case files in folders' sub-folders too (e.g. one per force).",
    ),
]

# inspect-cli referrals
ReferralFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="[table|json|xlsx|csv]",
        help="Default: from the extension of -o; table without -o.",
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Count days waiting for a response up to this date (YYYY-MM-DD; default today).",
        show_default=False,
    ),
]

# inspect-cli examples
ExampleFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--format",
        metavar="[table|html|xlsx|docx|json]",
        help="Default: from the extension of -o; table (counts only) without -o.",
    ),
]
NamesOpt = Annotated[
    Path | None,
    typer.Option(
        "--names",
        metavar="FILE",
        help="A text file of names of people and places to look for in the examples, one "
        "a line (any case, whole words; lines starting # are skipped).",
        show_default=False,
    ),
]
ExamplesPublishOpt = Annotated[
    bool,
    typer.Option(
        "--publish",
        help="Only examples cleared by a named person with nothing the checker flags; "
        "no case reference, auditor or source (and no force name with --anonymise).",
    ),
]
