"""The case examples report as a self-contained HTML page, sharing the jinja2
environment, base template and safety rules of :mod:`inspect_cli.render.html.jinja_env`
(autoescape always on, input text only in element content, nothing loaded)."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_cli.render.example_words import (
    CHECKER_MEANING,
    INTERNAL_ONLY,
    examples_summary,
    findings_words,
    group_heading,
    status_words,
)
from inspect_cli.render.html.jinja_env import environment
from inspect_cli.reports.examples import ExamplesReport, Vignette


@dataclass(frozen=True)
class _Shown:
    force: str
    text: str | None
    css: str
    """A fixed class: cleared, flagged or draft (never input text)."""
    about: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Group:
    heading: str
    theme: str
    examples: tuple[_Shown, ...]


def _shown(v: Vignette, published: bool) -> _Shown:
    css = "flagged" if v.findings else "cleared" if v.status == "cleared" else "draft"
    about: list[tuple[str, str | None]] = [("Audit type", v.audit_type)]
    if not published:
        about += [
            ("Case reference", v.case_ref),
            ("Auditor", v.auditor),
            ("Status", status_words(v)),
            ("Checker found", findings_words(v)),
            ("Where", v.source),
        ]
    # An anonymised report has no case reference, auditor or source: left out.
    shown = tuple((label, value) for label, value in about if value is not None)
    return _Shown(v.force, v.text, css, shown)


def render_examples_html(r: ExamplesReport) -> str:
    published = r.meta.published
    groups = [
        _Group(
            group_heading(g.stage, g.theme, g.area),
            g.theme,
            tuple(_shown(v, published) for v in g.examples),
        )
        for g in r.groups
    ]
    how = (
        "Case examples for the written report, grouped by the stage they are about, "
        "their theme (effective practice or concern) and the case's area of practice."
    )
    return (
        environment()
        .get_template("examples.html.j2")
        .render(
            meta=r.meta,
            groups=groups,
            summary=examples_summary(r),
            checker_meaning=CHECKER_MEANING,
            internal_only=INTERNAL_ONLY,
            how_to_read=how,
        )
    )
