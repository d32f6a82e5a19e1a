"""inspect-cli examples: the case examples (vignettes) for the written report, grouped
by stage, theme and area, each checked for text that could identify a child."""

from __future__ import annotations

from pathlib import Path

from inspect_cli.cli.options import (
    AnonymiseOpt,
    ExampleFormatOpt,
    ExamplesPublishOpt,
    ForceFilterOpt,
    ForcesOpt,
    FrameworkOpt,
    InputsArg,
    KeyFileOpt,
    MarkingOpt,
    NamesOpt,
    OutputOpt,
    OverwriteOpt,
    RecursiveOpt,
    ReportPartialOpt,
    SheetOpt,
    SkipSheetOpt,
    TitleOpt,
)
from inspect_cli.cli.report_common import check_report, keep_key
from inspect_cli.cli.runtime import (
    cli_errors,
    err,
    load_and_score_or_exit,
    out,
    print_json,
    write_output,
)
from inspect_cli.errors import UsageError


def read_names(path: Path | None, output: Path | None, overwrite: bool) -> tuple[str, ...]:
    """The --names file's names (a usage mistake, before any case is read, when it
    cannot be read); the output may never replace it."""
    if path is None:
        return ()
    from inspect_cli.reports.identifying import names_from_text
    from inspect_cli.safe_write import check_target

    if output is not None:
        check_target(output, [path], force=overwrite)
    try:
        return names_from_text(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"cannot read the names file {path}",
            details=(f"{type(exc).__name__}: give a UTF-8 text file, one name a line",),
        ) from None


def examples(
    inputs: InputsArg,
    output: OutputOpt = None,
    names: NamesOpt = None,
    force: ForceFilterOpt = None,
    publish: ExamplesPublishOpt = False,
    anonymise: AnonymiseOpt = False,
    key_file: KeyFileOpt = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: ExampleFormatOpt = None,
    title: TitleOpt = None,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
    forces: ForcesOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
    allow_partial: ReportPartialOpt = False,
) -> None:
    """The case examples auditors wrote (columns example, example_text, example_stage,
    example_status, example_cleared_by), grouped by stage, theme (effective practice or
    concern) and area of practice, each checked for what may identify a child: dates,
    references, names (--names, the forces', titles with a name), named places and
    streets, ages with exact dates, phone numbers, postcodes, email and web addresses;
    each finding is a warning at its cell (never the text itself).

    Without -o, prints counts only. Internal outputs show every example with its case,
    clearance and findings; --publish keeps only examples cleared by a named person
    with no finding.

    Example: [bold]inspect-cli examples sample_cases/ -o examples.docx[/bold]
    """
    with cli_errors():
        from inspect_cli.render.example_words import EXAMPLE_FORMATS

        fmt, protected, key = check_report(
            inputs, output, format, anonymise, key_file, overwrite, framework, forces,
            EXAMPLE_FORMATS,
        )  # fmt: skip
        listed = read_names(names, output, overwrite)
        if names is not None:
            protected = [*protected, names]
        from inspect_cli.load import Selection, canonical_name
        from inspect_cli.provenance import provenance_for
        from inspect_cli.reports.examples import build_examples
        from inspect_cli.reports.make import force_names

        result = load_and_score_or_exit(
            inputs,
            framework,
            reasons=False,
            forces=forces,
            selection=Selection.of(sheets, skip_sheets, recursive),
            allow_partial=allow_partial,
        )
        pseudonyms = force_names(result, anonymise, key)
        name = canonical_name(force, forces)
        options = {
            "report": "examples",
            "force": "" if name is None else pseudonyms.get(name, name),
            "names": len(listed),
            "anonymise": anonymise,
            "publish": publish,
        }
        report = build_examples(
            result,
            provenance_for(result.framework, result.load, options),
            names=listed,
            pseudonyms=pseudonyms,
            force=name,
            publish=publish,
            title=title,
            marking=marking,
        )
        if report.problems:
            from inspect_cli.render.text.problems import print_problems

            print_problems(err, report.problems)
        if output is None and fmt == "json":
            from inspect_cli.render.examples_json import examples_json

            print_json(examples_json(report))
        elif output is None:
            from inspect_cli.render.text.examples import print_examples

            print_examples(out, report)
        else:
            from inspect_cli.render.examples_out import write_examples

            write_output(output, protected, overwrite, lambda t: write_examples(report, fmt, t))
        keep_key(key_file, key, pseudonyms, protected, overwrite)
