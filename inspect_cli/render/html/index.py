"""The index page of ``report force --all-forces``: every force's report, and the
thematic report, one link each, with each force's conclusions from the thematic table.

Formatting only, like every HTML report (autoescaped, loads nothing). The one place
an attribute carries something made from input is each link's file name, and that
is a slug of lower-case letters, digits and hyphens
(:func:`inspect_cli.cli.report_folder.report_file_names`), so
a force name can never reach an attribute as it was typed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from inspect_cli.render.html.jinja_env import environment
from inspect_cli.reports.common import GradeRow
from inspect_cli.reports.thematic import ThematicReport

SAFE_FILE_NAME = re.compile(r"[a-z0-9-]+\.[a-z]+")


@dataclass(frozen=True)
class Link:
    force: GradeRow
    file: str | None
    """None: the force has no report (no case of the audit type reported)."""


def render_index_html(thematic: ThematicReport, links: Sequence[Link], thematic_file: str) -> str:
    for name in (thematic_file, *(link.file for link in links if link.file)):
        if not SAFE_FILE_NAME.fullmatch(name):  # the slugs above only; never input text
            raise ValueError(f"not a report file name made by inspect-cli: {name!r}")
    meta = replace(thematic.meta, title=f"{thematic.meta.title}: every force's report")
    return (
        environment()
        .get_template("index.html.j2")
        .render(
            meta=meta,
            report=thematic,
            links=links,
            thematic_file=thematic_file,
            how_to_read=(
                "One report for each force, and the thematic report that sets the forces "
                "side by side. The conclusions below are the thematic report's, for each "
                "force; each force's report has them in depth."
            ),
        )
    )
