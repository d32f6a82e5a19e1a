"""The identifying-text checker: each kind of finding, where it is, and the everyday
words of case examples it must not flag."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from inspect_cli.frameworks import resolve_framework
from inspect_cli.reports.identifying import (
    KIND_WORDS,
    Finding,
    find_identifying,
    kinds_in,
    names_from_text,
)


def found(
    text: str, names: Sequence[str] = (), case_ref: str | None = None
) -> list[tuple[str, str]]:
    findings = find_identifying(text, names=names, case_ref=case_ref)
    return [(f.kind, text[f.start : f.end]) for f in findings]


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("seen on 12/03/2014 by the team", "12/03/2014"),
        ("seen on 12.3.14 by the team", "12.3.14"),
        ("seen on 2014-03-12 at home", "2014-03-12"),
        ("seen on 12 March 2014 at home", "12 March 2014"),
        ("seen on the 12th of March at home", "12th of March"),
        ("seen on 3 May at home", "3 May"),
        ("seen on March 12th, 2014 at home", "March 12th, 2014"),
        ("first reported in March 2014", "March 2014"),
        ("first reported in sept 2013", "sept 2013"),
    ],
)
def test_dates_in_common_uk_forms(text: str, piece: str) -> None:
    assert found(text) == [("date", piece)]


@pytest.mark.parametrize(
    ("text", "piece"),
    [
        ("crime number CR123456 was logged", "CR123456"),
        ("the URN AB/12345/14 was logged", "AB/12345/14"),
        ("reference 42/12345/14 was logged", "42/12345/14"),
        ("occurrence 2014009876 was logged", "2014009876"),
        ("log URN-4421 was opened", "URN-4421"),
    ],
)
def test_case_and_crime_references(text: str, piece: str) -> None:
    assert found(text) == [("reference", piece)]


def test_the_cases_own_reference_whatever_its_shape() -> None:
    text = "As the notes on c-7 say, the child was seen."
    assert found(text) == []
    assert found(text, case_ref="C-7") == [("reference", "c-7")]
    assert found("Case C-77 was seen.", case_ref="C-7") == []  # whole words only


def test_listed_names_whole_words_any_case() -> None:
    names = ["Jane Smith", "Leeds", "Kent Police"]
    text = "jane  smith moved to LEEDS; KENT POLICE were told. Leedsbury is elsewhere."
    assert found(text, names=names) == [
        ("name", "jane  smith"),
        ("name", "LEEDS"),
        ("name", "KENT POLICE"),
    ]


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("the girl, aged 15, was seen on 14 March 2014", "aged 15, was seen on 14 March 2014"),
        ("aged 12 on 3 May the boy ran away", "aged 12 on 3 May"),
        ("on 3 May 2013, then 9 years old, he", "3 May 2013, then 9 years old"),
    ],
)
def test_ages_with_exact_dates(text: str, age: str) -> None:
    kinds = found(text)
    assert ("age_with_date", age) in kinds
    assert [k for k, _ in kinds].count("date") == 1  # the date is found as well


@pytest.mark.parametrize(
    ("text", "kind", "piece"),
    [
        ("call 07700 900123 today", "phone", "07700 900123"),
        ("call +44 20 7946 0000 today", "phone", "+44 20 7946 0000"),
        ("call (01632) 960123 today", "phone", "(01632) 960123"),
        ("lives at SW1A 1AA now", "postcode", "SW1A 1AA"),
        ("lives at ls1 4ap now", "postcode", "ls1 4ap"),
        ("lives at M1 1AE now", "postcode", "M1 1AE"),
        ("wrote to jo.bloggs+x@example.org.uk about it", "email", "jo.bloggs+x@example.org.uk"),
    ],
)
def test_phones_postcodes_and_emails(text: str, kind: str, piece: str) -> None:
    assert found(text) == [(kind, piece)]


@pytest.mark.parametrize(
    "text",
    [
        "The case was closed within 12 weeks, after 24 hours in custody.",
        "A 12-year-old girl with learning disabilities was seen by a 9 year old's school.",
        "The S47 enquiry and the Section 47 strategy discussion were held promptly.",
        "She may be at risk; the 2014 method and the 2014-15 plan say so.",
        "Initial contact, Assessment and help, Investigation, Decision making.",
        "Management of those posing a risk; Trusted adult; Police detention.",
        "The officer scored it 3/5, a 50-50 call, on day 2 of 3.",
        "aged 12, she was seen many times.",
        "PACE, CAIT and MASH officers met.",
    ],
)
def test_everyday_words_are_not_flagged(text: str) -> None:
    assert find_identifying(text) == []


def test_stage_labels_of_a_framework_are_not_flagged() -> None:
    fw = resolve_framework("ncpi-2014")
    for label in (*(s.label for s in fw.stages), *(a.label for a in fw.areas_of_practice)):
        assert find_identifying(f"An example about {label}.") == [], label


def test_positions_order_and_one_kind_per_stretch() -> None:
    text = "Call 07700 900123 or email a@b.co on 1/2/2014."
    findings = find_identifying(text)
    assert [f.kind for f in findings] == ["phone", "email", "date"]
    assert findings == sorted(findings, key=lambda f: f.start)
    assert findings[0] == Finding("phone", 5, 17)  # a phone number is not also a reference
    assert findings[0].words() == "a phone number at character 6"


def test_kinds_in_words() -> None:
    findings = [Finding("date", 0, 1), Finding("phone", 2, 3), Finding("date", 4, 5)]
    assert kinds_in(findings) == "a phone number and a date"
    assert kinds_in(findings[:1]) == KIND_WORDS["date"]


def test_names_file_lines() -> None:
    text = "\ufeff# people\nJane Smith\n\n  Leeds  \nJane Smith\n#\n"
    assert names_from_text(text.removeprefix("\ufeff")) == ("Jane Smith", "Leeds")
