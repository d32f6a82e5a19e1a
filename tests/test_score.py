from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspect_cli.frameworks import Framework, resolve_framework
from inspect_cli.score import scored_columns

from .helpers.scoring import cases_frame, reference_grade, score_frame

FW = resolve_framework("ncpi-2014")
IDS = [r.full_id for r in FW.indicators]


def _stage(fw: Framework, stage_id: str, answer: str) -> dict[str, str | None]:
    return {r.full_id: answer for r in fw.indicators if r.stage.id == stage_id}


def test_hand_worked_stage_score(fw: Framework) -> None:
    # Initial contact, by hand: recognised yes (100, weight 1), prompt partly (50, 1),
    # history no (0, 1), child seen yes (100, weight 2), crime recorded n/a, emergency blank.
    # (100 + 50 + 0 + 2*100) / (1 + 1 + 1 + 2) = 350 / 5 = 70 → adequate.
    answers = {
        "initial_contact.recognised": "yes",
        "initial_contact.prompt_attendance": "partly",
        "initial_contact.history_checked": "no",
        "initial_contact.child_seen": "yes",
        "initial_contact.crime_recorded": "not_applicable",
    }
    row = score_frame(fw, cases_frame(fw, [answers])).scored.iloc[0]
    assert row["initial_contact.score"] == 70.0
    assert row["initial_contact.grade"] == "adequate"
    assert row["investigation.grade"] is pd.NA or pd.isna(row["investigation.grade"])
    # Only one stage applies, so the case takes its score: 70 → adequate.
    assert row["score"] == 70.0
    assert row["grade"] == "adequate"
    assert row["reason"].startswith("adequate: average 70% across 1 applicable stage")


def test_limiting_indicator_caps_its_stage_and_the_reason_says_so(fw: Framework) -> None:
    answers = {**_stage(fw, "initial_contact", "yes"), **_stage(fw, "investigation", "yes")}
    answers["investigation.suspect_promptly"] = "no"
    row = score_frame(fw, cases_frame(fw, [answers])).scored.iloc[0]
    # (4 yes at weight 1 + 1 no at weight 2 ... ) investigation = (5*100 + 0*2)/7 = 71.4 but limited
    assert row["investigation.grade"] == "inadequate"
    assert row["grade"] == "adequate"  # one inadequate stage caps the case at adequate
    assert "limiting indicator 'Suspect interviewed promptly' answered no" in row["reason"]
    assert row["reason"].startswith("adequate: capped at adequate")


def test_two_inadequate_stages_make_the_case_inadequate(fw: Framework) -> None:
    answers = {
        **_stage(fw, "initial_contact", "yes"),
        **_stage(fw, "assessment_and_help", "yes"),
        **_stage(fw, "trusted_adult", "yes"),
        **_stage(fw, "investigation", "no"),
        **_stage(fw, "decision_making", "no"),
    }
    row = score_frame(fw, cases_frame(fw, [answers])).scored.iloc[0]
    assert row["grade"] == "inadequate"
    assert "investigation inadequate" in row["reason"]
    assert "decision making inadequate" in row["reason"]


def test_recorded_grade_collapses_and_is_compared(fw: Framework) -> None:
    frame = cases_frame(
        fw,
        [_stage(fw, "initial_contact", "yes")] * 3,
        overall_grade=["excellent", "requires_improvement", None],
    )
    scored = score_frame(fw, frame).scored
    assert list(
        scored["recorded_counts_as"]
        .astype(object)
        .where(scored["recorded_counts_as"].notna(), None)
    ) == [
        "good",
        "inadequate",
        None,
    ]
    assert scored["grade_agrees"].tolist()[:2] == [True, False]
    assert pd.isna(scored["grade_agrees"].iloc[2])


def test_scored_columns_are_stable(fw: Framework) -> None:
    cols = scored_columns(fw)
    assert cols[:4] == ["case_ref", "force", "audit_type", "area_of_practice"]
    assert "investigation.grade" in cols and "investigation.score" in cols
    assert cols[-6:] == [
        "score",
        "grade",
        "recorded_grade",
        "recorded_counts_as",
        "grade_agrees",
        "reason",
    ]


# ----------------------------------------------------------------------------- properties

answer_ids = {r.full_id: [x.id for x in r.scale.responses] for r in FW.indicators}
na_ids = {
    r.full_id: r.scale.not_applicable.id if r.scale.not_applicable else None for r in FW.indicators
}


@st.composite
def a_case(draw: st.DrawFn) -> dict[str, str | None]:
    """Any mix of answers, not applicable and blank, with at least one real answer."""
    case: dict[str, str | None] = {}
    for full_id in IDS:
        kind = draw(st.sampled_from(["answer", "answer", "na", "blank"]))
        if kind == "answer":
            case[full_id] = draw(st.sampled_from(answer_ids[full_id]))
        elif kind == "na":
            case[full_id] = na_ids[full_id]
        else:
            case[full_id] = None
    if all(v is None or v == na_ids[k] for k, v in case.items()):
        key = draw(st.sampled_from(IDS))
        case[key] = draw(st.sampled_from(answer_ids[key]))
    return case


@st.composite
def an_applicability(draw: st.DrawFn) -> dict[str, str]:
    """Which indicators are answered (value 'a'), not applicable ('na') or blank ('b')."""
    mask = {k: draw(st.sampled_from(["a", "na", "b"])) for k in IDS}
    if "a" not in mask.values():
        mask[draw(st.sampled_from(IDS))] = "a"
    return mask


def _fill(mask: dict[str, str], which: int) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for k, v in mask.items():
        ids = answer_ids[k]
        pick = {0: ids[0], 1: ids[(len(ids) - 1) // 2], 2: ids[-1]}[which]
        out[k] = pick if v == "a" else (na_ids[k] if v == "na" else None)
    return out


@given(st.lists(an_applicability(), min_size=1, max_size=20))
def test_best_middle_worst_everywhere_give_good_adequate_inadequate(
    masks: list[dict[str, str]],
) -> None:
    # One frame for the three fillings (cases are graded one by one: tested below).
    cases = [_fill(m, which) for which in (0, 1, 2) for m in masks]
    grades = score_frame(FW, cases_frame(FW, cases)).scored["grade"].tolist()
    n = len(masks)
    assert grades == ["good"] * n + ["adequate"] * n + ["inadequate"] * n


@given(st.lists(a_case(), min_size=1, max_size=25))
def test_vectorised_scorer_matches_the_plain_reference(cases: list[dict[str, str | None]]) -> None:
    scored = score_frame(FW, cases_frame(FW, cases)).scored
    assert scored["grade"].tolist() == [reference_grade(FW, c) for c in cases]


@given(a_case())
def test_not_applicable_and_blank_are_the_same_and_never_count_against(
    case: dict[str, str | None],
) -> None:
    as_blank = {k: (None if v == na_ids[k] else v) for k, v in case.items()}
    as_na = {k: (na_ids[k] if v is None else v) for k, v in case.items()}
    scored = score_frame(FW, cases_frame(FW, [case, as_blank, as_na])).scored
    assert len(set(scored["grade"])) == 1
    assert len(set(scored["score"])) == 1


@given(a_case(), st.data())
def test_a_better_answer_never_lowers_the_grade(
    case: dict[str, str | None], data: st.DataObject
) -> None:
    answered = [k for k, v in case.items() if v in answer_ids[k] and answer_ids[k].index(v) > 0]
    if not answered:
        return
    key = data.draw(st.sampled_from(answered))
    better = dict(case)
    better[key] = answer_ids[key][answer_ids[key].index(case[key]) - 1]  # type: ignore[arg-type]
    grades = score_frame(FW, cases_frame(FW, [case, better])).scored["grade"].tolist()
    order = ["good", "adequate", "inadequate"]
    assert order.index(grades[1]) <= order.index(grades[0])


@pytest.mark.parametrize("n", [0])
def test_empty_frame_scores_to_nothing(n: int) -> None:
    scored = score_frame(FW, cases_frame(FW, [])).scored
    assert len(scored) == n
    assert list(scored.columns) == scored_columns(FW)


def test_the_worked_example_in_docs_scoring_md(fw: Framework) -> None:
    from .conftest import ROOT

    answers: dict[str, str | None] = {
        "initial_contact.recognised": "yes",
        "initial_contact.prompt_attendance": "partly",
        "initial_contact.history_checked": "no",
        "initial_contact.child_seen": "yes",
        "initial_contact.crime_recorded": "not_applicable",
        **_stage(fw, "assessment_and_help", "yes"),
        **_stage(fw, "investigation", "yes"),
        "investigation.suspect_promptly": "no",
    }
    row = score_frame(fw, cases_frame(fw, [answers])).scored.iloc[0]
    assert (row["initial_contact.score"], row["assessment_and_help.score"]) == (70.0, 100.0)
    assert row["investigation.score"] == 71.4 and row["investigation.grade"] == "inadequate"
    assert row["score"] == 80.5 and row["grade"] == "adequate"
    doc = " ".join((ROOT / "docs" / "scoring.md").read_text(encoding="utf-8").split())
    quoted = " ".join(line.lstrip("> ") for line in row["reason"].splitlines())
    assert quoted in doc.replace("> ", "")
