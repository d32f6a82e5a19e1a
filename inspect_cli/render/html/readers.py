"""Agreement between inspectors (``moderate --between inspectors``) as an HTML page.

Formatting only: every figure comes from :class:`inspect_cli.reports.readers.ReadersReport`.
Shares the jinja2 environment, base template and safety rules of the other reports."""

from __future__ import annotations

from dataclasses import dataclass

from inspect_cli.frameworks import GRADES
from inspect_cli.render.html.drift import drift_view
from inspect_cli.render.html.jinja_env import CASE_LIST_LIMIT, count_pct, environment
from inspect_cli.render.wording import rated_text
from inspect_cli.reports.common import shows_overall
from inspect_cli.reports.readers import ReaderAgreement, ReadersReport, ReadingDisagreement


@dataclass(frozen=True)
class Detail:
    anchor: str  # a fixed id: never input text
    agreement: ReaderAgreement
    sentences: tuple[str, ...]
    matrix: tuple[tuple[str, tuple[int, ...]], ...]  # grade, counts: the diagonal agrees
    disagreements: tuple[ReadingDisagreement, ...]


def sentences(a: ReaderAgreement) -> tuple[str, ...]:
    share = f"{a.pairwise_agreement:.0%}" if a.pairwise_agreement is not None else "–"
    out = [
        f"{a.cases:,} double-read case(s), {a.readings:,} readings by {a.readers:,} reader(s); "
        f"every reading agrees in {a.unanimous:,}; pairs of readings agreeing: {share}.",
        f"Gwet's AC2 (linear weights): {rated_text(a.ac2)}.",
        f"Gwet's AC1: {rated_text(a.ac1)}.",
        f"Fleiss' kappa: {rated_text(a.fleiss_kappa)}.",
    ]
    if a.lead.reason:
        out.insert(2, f"Why AC2 leads: {a.lead.reason}")
    if a.weighted_kappa is not None:
        out.append(f"Weighted kappa, first × second reading: {rated_text(a.weighted_kappa)}.")
    if a.alpha_ordinal is not None:
        out.append(f"Krippendorff's alpha (ordinal): {a.alpha_ordinal:.2f}.")
    return tuple(out)


def detail(a: ReaderAgreement, anchor: str) -> Detail:
    matrix = tuple(zip(GRADES, a.confusion, strict=True)) if a.confusion else ()
    return Detail(
        anchor,
        a,
        sentences(a),
        matrix,
        a.disagreements[:CASE_LIST_LIMIT],
    )


def render_readers_html(report: ReadersReport) -> str:
    several = shows_overall(report.forces)
    details = [detail(report.overall, "overall")] if several else []
    details += [detail(a, f"force-{i}") for i, a in enumerate(report.forces, start=1)]
    return (
        environment()
        .get_template("readers.html.j2")
        .render(
            report=report,
            meta=report.meta,
            how_to_read=(
                f"Grades: {report.meta.grade_source}. A case is double-read when inspector "
                "rows of the same force and case reference carry different auditors. "
                "Coefficients run from 0 (no better than chance) to 1 (perfect agreement)."
            ),
            summary_rows=(*report.forces, report.overall) if several else report.forces,
            details=details,
            grade_rows=GRADES,
            rated_text=rated_text,
            count_pct=count_pct,
            read_once=report.read_once,
            drift=drift_view(report.drift),
        )
    )
