"""Words the case examples report uses in every format, in one place."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.examples import ExamplesReport, Vignette

EXAMPLE_FORMATS = ("table", "html", "xlsx", "docx", "json")

CHECKER_MEANING = (
    "The checker looks for dates, case and crime references (NHS, National Insurance and "
    "vehicle numbers among them), listed names of people and places, the forces' names, "
    "titles with a name, named schools, hospitals and streets, ages with exact dates, "
    "phone numbers, postcodes, email and web addresses and social media handles. A clean "
    "check is not a clearance: a person reads every example before clearing it."
)
INTERNAL_ONLY = (
    "Internal: examples not yet cleared, and the case each came from, never go into a "
    "published report (inspect-cli examples --publish)."
)


def examples_summary(r: ExamplesReport) -> str:
    """'7 case examples: 4 effective practice, 3 concern; 3 cleared; 2 with findings.'"""
    n = len(r.examples)
    if not n:
        return "No case example " + (
            "is cleared for publication." if r.meta.published else "is recorded."
        )
    noun = "case example" if n == 1 else "case examples"
    themes = f"{r.count('effective practice')} effective practice, {r.count('concern')} concern"
    if r.meta.published:
        return f"{n} {noun} cleared for publication: {themes}."
    return (
        f"{n} {noun}: {themes}; {r.cleared} cleared; {r.with_findings} with something the "
        f"checker flags; {r.publishable} fit to publish."
    )


def status_words(v: Vignette) -> str:
    """'cleared by J. Brown', 'draft', 'cleared (withheld: the checker flags it)'."""
    if v.status == "draft":
        return "draft"
    who = f" by {v.cleared_by}" if v.cleared_by else ""
    return f"cleared{who}" + (" (withheld: the checker flags it)" if v.findings else "")


def findings_words(v: Vignette) -> str:
    """'a date at character 12; a phone number at character 40', or 'none'."""
    return "; ".join(f.words() for f in v.findings) or "none"


def group_heading(stage: str, theme: str, area: str) -> str:
    return f"{stage}: {theme}, {area}"
