"""Which renderer writes the case examples report in which format."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.examples import ExamplesReport


def write_examples(report: ExamplesReport, fmt: str, target: Path) -> None:
    """Write ``report`` as html, xlsx, docx or json to ``target`` (a temporary file)."""
    if fmt == "json":
        from inspect_cli.render.examples_json import examples_json

        target.write_text(examples_json(report), encoding="utf-8")
    elif fmt == "html":
        from inspect_cli.render.html.examples import render_examples_html

        target.write_text(render_examples_html(report), encoding="utf-8")
    elif fmt == "docx":
        from inspect_cli.render.docx_examples import write_examples_docx

        write_examples_docx(report, target)
    else:
        from inspect_cli.render.xlsx.examples import write_examples_xlsx

        write_examples_xlsx(report, target)
