"""Write the case examples report as a Word document (python-docx), for the report
writer to lift vignettes into the written report: real headings (stage, theme and
area, then each example), the marking in every page's header and footer, and the
provenance at the end. Text is only ever a run's text (never a field, a link or
markup), with the characters XML cannot hold removed."""

from __future__ import annotations

from pathlib import Path

from inspect_cli.render.cells import clean_text
from inspect_cli.render.example_words import (
    CHECKER_MEANING,
    INTERNAL_ONLY,
    examples_summary,
    findings_words,
    group_heading,
    status_words,
)
from inspect_cli.reports.examples import ExamplesReport, Vignette


def _about(v: Vignette, published: bool) -> list[tuple[str, str]]:
    about: list[tuple[str, str | None]] = [("Force", v.force), ("Audit type", v.audit_type)]
    if not published:
        about += [
            ("Case reference", v.case_ref),
            ("Auditor", v.auditor),
            ("Status", status_words(v)),
            ("Checker found", findings_words(v)),
            ("Where", v.source),
        ]
    # An anonymised report has no case reference, auditor or source: left out.
    return [(label, value) for label, value in about if value is not None]


def write_examples_docx(report: ExamplesReport, target: Path) -> None:
    from docx import Document

    meta = report.meta
    published = meta.published
    doc = Document()
    props = doc.core_properties
    props.title = clean_text(meta.title)
    props.author = "inspect-cli"
    props.last_modified_by = "inspect-cli"
    props.comments = ""
    if meta.marking:
        section = doc.sections[0]
        for part in (section.header, section.footer):
            part.paragraphs[0].text = clean_text(meta.marking)
        doc.add_paragraph().add_run(clean_text(meta.marking)).bold = True
    doc.add_heading(clean_text(meta.title), level=0)
    doc.add_paragraph(
        clean_text(f"{meta.framework_title} ({meta.framework_id} {meta.framework_version})")
    )
    doc.add_paragraph(clean_text(examples_summary(report)))
    for note in meta.notes:
        doc.add_paragraph(clean_text(note))
    for g in report.groups:
        doc.add_heading(clean_text(group_heading(g.stage, g.theme, g.area)), level=1)
        for i, v in enumerate(g.examples, 1):
            doc.add_heading(clean_text(f"{g.theme.capitalize()} {i}: {v.force}"), level=2)
            doc.add_paragraph(clean_text(v.text or "No text written."))
            for label, value in _about(v, published):
                line = doc.add_paragraph()
                line.add_run(f"{label}: ").bold = True
                line.add_run(clean_text(value))
    if not published:
        doc.add_paragraph(CHECKER_MEANING)
        doc.add_paragraph(INTERNAL_ONLY)
    doc.add_heading("About this report", level=1)
    for label, value in meta.provenance.rows():
        doc.add_paragraph(clean_text(f"{label}: {value}"))
    doc.save(str(target))
