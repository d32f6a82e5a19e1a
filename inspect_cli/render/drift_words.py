"""The auditor-drift section in words, shared by the terminal, HTML and Excel.

Worded as a prompt, never a finding: a difference between one auditor and the rest
of the team may come from the cases they were given, not from how they grade.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from inspect_cli.reports.drift import AuditorDrift, DriftSection, SecondReadings, Tested

DRIFT_TITLE = "Auditor drift: each auditor against the rest of the team"
DRIFT_INTRO = (
    "Internal: for the lead inspector. A difference here is a prompt to look at the "
    "auditor's cases, not a finding about the auditor: auditors may have been given "
    "different cases."
)
DRIFT_COLUMNS = (
    "Auditor",
    "Readings",
    "Good / adequate / inadequate",
    "Rest of team",
    "Worst answers",
    "Rest of team",
    "Agrees with second readers",
    "Rest of team",
    "Look?",
)
LOOK = "worth a look"
TOO_FEW = "too few cases to say"
NO_DIFFERENCE = "no clear difference"


def drift_status_text(d: DriftSection) -> str | None:
    """Why there is no table, when there is none."""
    if d.status == "no-auditor":
        return "No auditor is recorded in these cases: there is no team to compare."
    if d.status == "one-auditor":
        return "Only one auditor read these cases: there is no team to compare with."
    return None


def drift_notes(d: DriftSection) -> list[str]:
    """What the tests are, how several tests are handled, and what was left out."""
    if d.status != "compared":
        return [note for note in (_unnamed(d),) if note]
    notes = [
        f"Each auditor's readings against all other auditors' pooled ({d.scope}; "
        "a double-read case counts once for each reader, by that reader's own grade).",
        "Grades: the whole good / adequate / inadequate distribution, Fisher–Freeman–Halton "
        "exact test. Worst answers: the share of answered indicators given the scale's worst "
        "answer, compared case by case (Mann–Whitney U), as answers within a case go "
        "together. Second readers: pairs of readings of the same case that give the same "
        "grade, Fisher's exact test.",
        f"p-values are Holm-adjusted over the {d.tests} test(s) run here, so that looking at "
        f"every auditor at once does not raise false alarms; '{LOOK}' where an adjusted "
        f"p-value is below {d.level:g}.",
        f"Fewer than {d.min_cases} readings (the auditor's, or the rest of the team's): "
        f"'{TOO_FEW}', not tested.",
    ]
    return [*notes, *([_unnamed(d)] if d.unnamed else [])]


def _unnamed(d: DriftSection) -> str:
    if not d.unnamed:
        return ""
    return f"{d.unnamed:,} reading(s) with no auditor recorded are not in this section."


def verdict(a: AuditorDrift) -> str:
    """The auditor's row in one phrase: worth a look (and at what), too few, or neither."""
    what = [
        name
        for name, t in (
            ("grades", a.grade_test),
            ("worst answers", a.worst_test),
            ("second readings", a.second_test),
        )
        if t.look
    ]
    if what:
        return f"{LOOK}: {', '.join(what)}"
    return TOO_FEW if a.too_few else NO_DIFFERENCE


def _pct(value: int | None) -> str:
    return "–" if value is None else f"{value}%"


def grade_mix(good: int | None, adequate: int | None, inadequate: int | None) -> str:
    return f"{_pct(good)} / {_pct(adequate)} / {_pct(inadequate)}"


def p_text(t: Tested) -> str:
    """' (adjusted p 0.03)' after a tested figure; nothing when not tested."""
    if t.p_holm is None:
        return ""
    return " (adjusted p < 0.001)" if t.p_holm < 0.001 else f" (adjusted p {t.p_holm:.3f})"


def second_text(s: SecondReadings) -> str:
    """'42% of 36 pairs (15 lower, 6 higher)'; '–' with no double-read case."""
    if not s.pairs:
        return "–"
    return f"{_pct(s.agree_pct)} of {s.pairs} pairs ({s.lower} lower, {s.higher} higher)"


def drift_cells(a: AuditorDrift) -> tuple[str, ...]:
    """One auditor's row as text, in :data:`DRIFT_COLUMNS` order."""
    g, r = a.grades, a.rest_grades
    return (
        a.auditor,
        f"{a.cases:,}",
        grade_mix(g.good_pct, g.adequate_pct, g.inadequate_pct) + p_text(a.grade_test),
        grade_mix(r.good_pct, r.adequate_pct, r.inadequate_pct),
        f"{_pct(a.worst.pct)} of {a.worst.total:,}" + p_text(a.worst_test),
        f"{_pct(a.rest_worst.pct)} of {a.rest_worst.total:,}",
        second_text(a.second) + p_text(a.second_test),
        second_text(a.rest_second),
        verdict(a),
    )


def drift_sentences(d: DriftSection) -> list[str]:
    """One sentence per auditor worth a look; else one saying there is none."""
    if d.status != "compared":
        return []
    looks = [a for a in d.auditors if a.look]
    if not looks:
        return [
            "No auditor's readings differ clearly from the rest of the team's "
            "(which is not proof that all grade alike)."
        ]
    out = []
    for a in looks:
        parts = []
        if a.grade_test.look:
            g, r = a.grades, a.rest_grades
            parts.append(
                f"graded {a.grades.total} readings {grade_mix(g.good_pct, g.adequate_pct, g.inadequate_pct)} "
                f"good / adequate / inadequate against "
                f"{grade_mix(r.good_pct, r.adequate_pct, r.inadequate_pct)} for the rest"
            )
        if a.worst_test.look:
            parts.append(
                f"gave the worst answer to {_pct(a.worst.pct)} of answered indicators "
                f"against {_pct(a.rest_worst.pct)}"
            )
        if a.second_test.look:
            parts.append(
                f"agreed with the other reader in {_pct(a.second.agree_pct)} of "
                f"{a.second.pairs} double-read pairs against {_pct(a.rest_second.agree_pct)}"
            )
        out.append(f"{a.auditor} {'; '.join(parts)}: worth a look at the cases behind it.")
    return out


SHORT_COLUMNS = (
    "Auditor",
    "Readings",
    "Inadequate (rest)",
    "Worst answers (rest)",
    "Agrees with second reader (rest)",
    "Look?",
)
"""The terminal's narrower table: the shares only (the other outputs add the tests)."""


def short_cells(a: AuditorDrift) -> tuple[str, ...]:
    """One auditor's row for the terminal, in :data:`SHORT_COLUMNS` order."""
    second = "–"
    if a.second.pairs:
        second = f"{_pct(a.second.agree_pct)} of {a.second.pairs} ({_pct(a.rest_second.agree_pct)})"
    return (
        a.auditor,
        f"{a.cases:,}",
        f"{_pct(a.grades.inadequate_pct)} ({_pct(a.rest_grades.inadequate_pct)})",
        f"{_pct(a.worst.pct)} ({_pct(a.rest_worst.pct)})",
        second,
        verdict(a),
    )
