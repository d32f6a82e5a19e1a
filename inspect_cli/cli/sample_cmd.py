"""inspect-cli sample: a reproducible stratified sample of a force's cases, as an audit template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from inspect_cli.cli.options import (
    ForcesOpt,
    FrameworkOpt,
    OverwriteOpt,
    RecursiveOpt,
    SampleAuditOpt,
    SheetOpt,
    SkipSheetOpt,
)
from inspect_cli.cli.runtime import (
    check_outputs,
    cli_errors,
    current_limits,
    err,
    out,
    write_output,
)
from inspect_cli.render.text.plain import say


def sample(
    inputs: Annotated[
        list[Path],
        typer.Argument(
            help="Case lists (.xlsx, .xlsm, .csv) or folders of them: one row per candidate "
            "case, with a case reference and an area of practice.",
            metavar="INPUTS...",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="The audit workbook (.xlsx) to write, with the sample filled in."
        ),
    ] = None,
    framework: FrameworkOpt = "ncpi-2014",
    per_area: Annotated[
        int | None,
        typer.Option("--per-area", min=1, help="Draw this many cases from each area of practice."),
    ] = None,
    total: Annotated[
        int | None,
        typer.Option(
            "--total",
            min=1,
            help="Draw this many cases in all, shared in proportion to each area's cases.",
        ),
    ] = None,
    min_per_area: Annotated[
        int | None,
        typer.Option(
            "--min-per-area", min=0, help="With --total: at least this many per area (default 1)."
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed", min=0, help="Random seed (required): the same seed draws the same sample."
        ),
    ] = None,
    area: Annotated[
        list[str] | None,
        typer.Option(
            "--area",
            help="Only this area of practice (id or label); repeat for several. "
            "Default: every area with cases in the list.",
        ),
    ] = None,
    force: Annotated[
        str | None,
        typer.Option(
            "--force",
            help="Police force name for the title, and for rows whose list gives no force.",
        ),
    ] = None,
    take_all_small: Annotated[
        bool,
        typer.Option(
            "--take-all-small",
            help="Take every case of an area with fewer cases than asked, instead of stopping.",
        ),
    ] = False,
    overwrite: OverwriteOpt = False,
    forces: ForcesOpt = None,
    audit_type: SampleAuditOpt = None,
    sheets: SheetOpt = None,
    skip_sheets: SkipSheetOpt = None,
    recursive: RecursiveOpt = False,
) -> None:
    """Draw a stratified random sample of cases by area of practice, for an audit.

    Give a fixed number per area (--per-area N) or a total shared in proportion to
    each area's cases (--total N, with --min-per-area M). The seed makes the draw
    reproducible; row order in the list does not matter. With -o, writes the
    framework's audit template with the sampled cases filled in and a 'Sample' sheet
    saying how they were drawn; without -o, prints the sample.

    Example: [bold]inspect-cli sample case_list.xlsx --per-area 4 --seed 2026 -o sample.xlsx[/bold]
    """
    with cli_errors():
        from inspect_cli.errors import UsageError

        if seed is None:
            import secrets

            raise UsageError(
                "give --seed N: a sample must be reproducible, so the seed is recorded with it",
                details=(f"any whole number will do, e.g. --seed {secrets.randbelow(100_000)}",),
            )
        if (per_area is None) == (total is None):
            raise UsageError("give either --per-area N or --total N (not both)")
        if min_per_area is not None and total is None:
            raise UsageError("--min-per-area goes with --total, not --per-area")
        if output is not None and output.suffix.lower() != ".xlsx":
            raise UsageError(f"{output}: the sample is an audit workbook; give a .xlsx file name")
        protected = check_outputs(inputs, overwrite, output, framework=framework, register=forces)

        from inspect_cli.frameworks import resolve_framework
        from inspect_cli.problems import worth_listing
        from inspect_cli.render.text.problems import print_problems
        from inspect_cli.render.text.sample import print_sample
        from inspect_cli.sampling import area_id, draw_sample, read_case_list
        from inspect_cli.template import write_template

        fw = resolve_framework(framework)
        areas = [area_id(fw, a) for a in area or []]
        from inspect_cli.load import Selection

        selection = Selection.of(sheets, skip_sheets, recursive)
        case_list = read_case_list(inputs, fw, current_limits(), forces, selection)
        shown = worth_listing(case_list.problems)
        if shown:
            print_problems(err, shown)
        if not case_list.ok:
            say(
                err,
                f"{len(case_list.errors):,} error(s) in the case list; no sample drawn. "
                "Fix them and run the command again.",
            )
            raise typer.Exit(1)
        drawn = draw_sample(
            case_list,
            per_area=per_area,
            total=total,
            min_per_area=1 if min_per_area is None else min_per_area,
            seed=seed,
            areas=areas or None,
            take_all_small=take_all_small,
        )
        for warning in drawn.note.warnings:
            say(err, Text.assemble(("warning:", "yellow"), f" {warning}"))
        if output is None:
            print_sample(out, drawn)
            return
        title = drawn.title_force(force)
        rows = drawn.template_rows(force, audit_type.value if audit_type else None)
        notes = drawn.note.rows()
        write_output(
            output,
            protected,
            overwrite,
            lambda tmp: write_template(fw, tmp, force=title, rows=rows, notes=notes),
        )
        say(
            err,
            f"{drawn.note.drawn_total:,} case(s) drawn from {drawn.note.list_total:,} "
            f"with seed {drawn.note.seed}",
        )
