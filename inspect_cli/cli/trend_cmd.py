"""inspect-cli trend: inspection rounds compared, per force and overall."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from inspect_cli.cli import app
from inspect_cli.cli._common import (
    FrameworkOpt,
    OutputOpt,
    OverwriteOpt,
    cli_errors,
    err,
    out,
    pick_format,
    print_json,
    write_output,
)
from inspect_cli.cli.report_cmd import (
    DEFAULT_MARKING,
    AuditOpt,
    AuditTypeChoice,
    GradeOpt,
    GradeSourceChoice,
    MarkingOpt,
    TitleOpt,
    prepare,
)
from inspect_cli.render.plain import say

FORMATS = ("table", "html", "xlsx", "json")


def _split(arg: str) -> tuple[str | None, Path]:
    """'2016=round-2016/' → ('2016', path); a plain path has no label."""
    label, sep, rest = arg.partition("=")
    if sep and label and not Path(arg).exists():
        return label.strip(), Path(rest)
    return None, Path(arg)


@app.command()
def trend(
    rounds: Annotated[
        list[str],
        typer.Argument(
            help="One input per round: a folder or file, or LABEL=PATH. Without a label, "
            "a 'Round' column splits the cases into rounds, or else the folder's name is used.",
            show_default=False,
        ),
    ],
    output: OutputOpt = None,
    force: Annotated[str | None, typer.Option("--force", help="Only this police force.")] = None,
    framework: FrameworkOpt = "ncpi-2014",
    format: Annotated[
        str | None, typer.Option("--format", help="table, html, xlsx or json (default: from -o).")
    ] = None,
    audit_type: AuditOpt = AuditTypeChoice.inspector,
    grade_source: GradeOpt = GradeSourceChoice.computed,
    title: TitleOpt = None,
    marking: MarkingOpt = None,
    overwrite: OverwriteOpt = False,
) -> None:
    """Compare inspection rounds: grade shares per round for each force and overall,
    whether the change is more than chance, stages, and the indicators that improved
    or worsened most.

    Example: [bold]inspect-cli trend 2014=sample_cases/ 2016=sample_cases/round-2016/ --force "Force C"[/bold]
    """
    with cli_errors():
        fmt = pick_format(output, format, FORMATS, "table")
        from dataclasses import replace

        from inspect_cli.provenance import provenance_for
        from inspect_cli.trend import Round, trend_report

        rounds_in: list[Round] = []
        paths: list[Path] = []
        for arg in rounds:
            label, path = _split(arg)
            paths.append(path)
            result = prepare([path], framework)
            labels = (
                result.cases["round"].dropna().unique().tolist() if "round" in result.cases else []
            )
            if label is None and len(labels) > 1:
                from inspect_cli.score import ScoreResult

                for value in labels:
                    keep = (result.cases["round"] == value).to_numpy()
                    sub_load = replace(result.load, cases=result.cases[keep].reset_index(drop=True))
                    sub_scored = result.scored[keep].reset_index(drop=True)
                    rounds_in.append(
                        Round(str(value), ScoreResult(result.framework, sub_load, sub_scored))
                    )
                continue
            name = label or (
                str(labels[0]) if labels else (path.name if path.is_dir() else path.stem)
            )
            rounds_in.append(Round(name, result))
        loaded = rounds_in[0].result.load if rounds_in else None
        options = {
            "report": "trend",
            "rounds": [r.label for r in rounds_in],
            "force": force or "all",
        }
        report = trend_report(
            rounds_in,
            provenance_for(rounds_in[0].result.framework, loaded, options),
            force=force,
            audit_type=audit_type.value,
            grade_source=grade_source.value,
            title=title,
        )
        report = replace(report, meta=replace(report.meta, marking=marking or DEFAULT_MARKING))
        from inspect_cli.render import trend_text

        if output is None:
            if fmt == "json":
                from inspect_cli.render.report_data import dumps

                print_json(dumps(trend_text.trend_dict(report)))
            elif fmt == "table":
                trend_text.print_trend(out, report)
            else:
                say(err, f"--format {fmt} needs -o FILE")
                raise typer.Exit(2)
            return

        def write(tmp: Path) -> None:
            if fmt == "json":
                from inspect_cli.render.report_data import write_json

                write_json(trend_text.trend_dict(report), tmp)
            elif fmt == "html":
                from inspect_cli.render.trend_html import render_trend_html

                tmp.write_text(render_trend_html(report), encoding="utf-8")
            else:
                from inspect_cli.render.trend_excel import write_trend_xlsx

                write_trend_xlsx(report, tmp)

        write_output(output, paths, overwrite, write)
