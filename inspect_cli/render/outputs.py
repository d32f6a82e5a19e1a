"""Which renderer writes which report in which format: decided here, once.

Commands hand over a finished report and a format; this module picks the terminal,
JSON, CSV, HTML or Excel renderer. Renderers are imported only when used (each
pulls in jinja2, xlsxwriter or rich tables).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from rich.console import Console

    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.moderation import ModerationReport
    from inspect_cli.reports.readers import ReadersReport
    from inspect_cli.reports.thematic import ThematicReport
    from inspect_cli.reports.trend import TrendReport

AnyReport: TypeAlias = (
    "ThematicReport | ForceReport | ModerationReport | ReadersReport | TrendReport"
)
READERS_FORMATS = ("table", "html", "xlsx", "json")
"""Formats of ``moderate --between inspectors``."""

REPORT_FORMATS = ("table", "html", "xlsx", "json", "csv")
"""Formats of the thematic and force reports."""
ANALYSIS_FORMATS = ("table", "html", "xlsx", "json")
"""Formats of moderation and trend reports."""


def get_ready(kind: str, fmt: str) -> Callable[[], None]:
    """What a ``kind`` report needs after scoring, made ready while the input is parsed."""

    def ready() -> None:
        import inspect_cli.render.contracts
        import inspect_cli.reports.force
        import inspect_cli.reports.thematic

        if fmt == "html":
            from inspect_cli.render.html import jinja_env

            jinja_env.environment().get_template(f"{kind}.html.j2")  # compiled and cached
        elif fmt == "xlsx":
            import inspect_cli.render.xlsx.force
            import inspect_cli.render.xlsx.thematic
        elif fmt == "csv":
            import inspect_cli.render.csv
        elif fmt == "table":
            import inspect_cli.render.text.report  # noqa: F401

    return ready


def report_json(report: AnyReport) -> str:
    """The report's public JSON shape (documented in docs/reports.md)."""
    from inspect_cli.render import contracts
    from inspect_cli.render.contracts import dumps
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.moderation import ModerationReport
    from inspect_cli.reports.thematic import ThematicReport

    if isinstance(report, ThematicReport):
        return dumps(contracts.thematic_dict(report))
    if isinstance(report, ForceReport):
        return dumps(contracts.force_dict(report))
    if isinstance(report, ModerationReport):
        return dumps(contracts.moderation_dict(report))
    from inspect_cli.reports.readers import ReadersReport

    if isinstance(report, ReadersReport):
        return dumps(contracts.readers_dict(report))
    return dumps(contracts.trend_dict(report))


def print_report(console: Console, report: AnyReport, *, limit: int = 20) -> None:
    """The report in the terminal; ``limit`` caps the cases listed."""
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.moderation import ModerationReport
    from inspect_cli.reports.thematic import ThematicReport

    if isinstance(report, ThematicReport | ForceReport):
        from inspect_cli.render.text import report as text_report

        if isinstance(report, ThematicReport):
            text_report.print_thematic(console, report)
        else:
            text_report.print_force(console, report, limit=limit)
    elif isinstance(report, ModerationReport):
        from inspect_cli.render.text.moderation import print_moderation

        print_moderation(console, report, limit=limit)
    else:
        from inspect_cli.reports.readers import ReadersReport

        if isinstance(report, ReadersReport):
            from inspect_cli.render.text.readers import print_readers

            print_readers(console, report, limit=limit)
            return
        from inspect_cli.render.text.trend import print_trend

        print_trend(console, report)


def write_report(report: AnyReport, fmt: str, target: Path) -> None:
    """Write ``report`` as ``fmt`` (html, xlsx, json or csv) to ``target``."""
    if fmt == "json":
        target.write_text(report_json(report), encoding="utf-8")
    elif fmt == "csv":
        _csv(report, target)
    elif fmt == "html":
        target.write_text(_html(report), encoding="utf-8")
    else:
        _xlsx(report, target)


def report_files(fmt: str, target: Path) -> tuple[Path, ...]:
    """Every file a report in ``fmt`` writes for ``-o target``, the report first: a CSV
    has its CSVW metadata beside it (docs/reports.md, "CSV files")."""
    if fmt == "csv":
        from inspect_cli.render.csvw import metadata_path

        return (target, metadata_path(target))
    return (target,)


def write_report_files(report: AnyReport, fmt: str, target: Path, tmps: Sequence[Path]) -> None:
    """Fill ``tmps``, one temporary file for each of :func:`report_files`, for the
    report written to ``target`` (the metadata names the CSV by its final name)."""
    write_report(report, fmt, tmps[0])  # a report CSV: refused for any other report
    if fmt == "csv":
        from inspect_cli.render.csvw import write_metadata
        from inspect_cli.reports.force import ForceReport
        from inspect_cli.reports.thematic import ThematicReport

        if isinstance(report, ThematicReport | ForceReport):
            write_metadata(report, target.name, tmps[1])


def _csv(report: AnyReport, target: Path) -> None:
    from inspect_cli.render import csv
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.thematic import ThematicReport

    if isinstance(report, ThematicReport):
        csv.write_thematic_csv(report, target)
    elif isinstance(report, ForceReport):
        csv.write_force_csv(report, target)
    else:
        raise ValueError(f"no CSV layout for a {type(report).__name__}")


def _html(report: AnyReport) -> str:
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.moderation import ModerationReport
    from inspect_cli.reports.thematic import ThematicReport

    if isinstance(report, ThematicReport):
        from inspect_cli.render.html.report import render_thematic_html

        return render_thematic_html(report)
    if isinstance(report, ForceReport):
        from inspect_cli.render.html.report import render_force_html

        return render_force_html(report)
    if isinstance(report, ModerationReport):
        from inspect_cli.render.html.moderation import render_moderation_html

        return render_moderation_html(report)
    from inspect_cli.reports.readers import ReadersReport

    if isinstance(report, ReadersReport):
        from inspect_cli.render.html.readers import render_readers_html

        return render_readers_html(report)
    from inspect_cli.render.html.trend import render_trend_html

    return render_trend_html(report)


def _xlsx(report: AnyReport, target: Path) -> None:
    from inspect_cli.reports.force import ForceReport
    from inspect_cli.reports.moderation import ModerationReport
    from inspect_cli.reports.thematic import ThematicReport

    if isinstance(report, ThematicReport):
        from inspect_cli.render.xlsx.thematic import write_thematic_xlsx

        write_thematic_xlsx(report, target)
    elif isinstance(report, ForceReport):
        from inspect_cli.render.xlsx.force import write_force_xlsx

        write_force_xlsx(report, target)
    elif isinstance(report, ModerationReport):
        from inspect_cli.render.xlsx.moderation import write_moderation_xlsx

        write_moderation_xlsx(report, target)
    else:
        from inspect_cli.reports.readers import ReadersReport

        if isinstance(report, ReadersReport):
            from inspect_cli.render.xlsx.readers import write_readers_xlsx

            write_readers_xlsx(report, target)
            return
        from inspect_cli.render.xlsx.trend import write_trend_xlsx

        write_trend_xlsx(report, target)
