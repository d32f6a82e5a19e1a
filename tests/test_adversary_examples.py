"""Adversarial review of case examples: vignettes that identify a child in forms the
checker first missed (look-alike characters, other date forms, national numbers,
titles, places, addresses, web handles), everyday report words it must still pass,
texts that would have taken quadratic time, and a clearance by no one."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.reports.identifying import find_identifying

from .helpers.builders import add_example_columns, case_table, set_cell, write_csv

Cli = Callable[..., Result]
NAMES = ("Jones", "Kayden Smith")


def _found(text: str) -> list[tuple[str, str]]:
    return [(f.kind, text[f.start : f.end]) for f in find_identifying(text, names=NAMES)]


@pytest.mark.parametrize(
    ("text", "kind", "piece"),
    [
        # Look-alikes: the name as a person reads it, positions as written.
        ("Jo\u200bnes was arrested.", "name", "Jo\u200bnes"),
        ("Jo\u00adnes was arrested.", "name", "Jo\u00adnes"),
        ("Kayden\u200b Smith was arrested.", "name", "Kayden\u200b Smith"),
        ("J\u043enes was arrested.", "name", "J\u043enes"),  # Cyrillic o
        ("\uff2a\uff4f\uff4e\uff45\uff53 was arrested.", "name", "\uff2a\uff4f\uff4e\uff45\uff53"),
        ("Seen on \uff11\uff12\uff0f\uff10\uff13\uff0f\uff12\uff10\uff11\uff14.", "date", None),
        ("Crime ref \uff23\uff32\uff11\uff12\uff13\uff14\uff15\uff16.", "reference", None),
        # Dates in other forms.
        ("Referral received 12-Mar-14 by the MASH.", "date", "12-Mar-14"),
        ("Referral received 12Mar2014 by the MASH.", "date", "12Mar2014"),
        ("She went missing in May '14 and was found.", "date", "May '14"),
        ("On Tuesday 3rd the officer visited.", "date", "Tuesday 3rd"),
        ("She disclosed on 3/5 to her teacher.", "date", "on 3/5"),
        ("She disclosed on the third of May.", "date", "third of May"),
        ("At 23:40 on Christmas Day 2014 she rang.", "date", "Christmas Day 2014"),
        ("Logged at 2014-05-03T10:00 by the desk.", "date", "2014-05-03"),
        # National numbers and registrations.
        ("NHS number 943 476 5919 was recorded.", "reference", "943 476 5919"),
        ("NHS 943-476-5919.", "reference", "943-476-5919"),
        ("The NI number QQ 12 34 56 C was checked.", "reference", "QQ 12 34 56 C"),
        ("NI QQ123456C checked.", "reference", "QQ123456C"),
        ("A silver car, registration AB12 CDE, was seen.", "reference", "AB12 CDE"),
        # People, places, addresses and online.
        ("Child A's mother, Mrs K., refused consent.", "person", "Mrs K"),
        ("Mr Hargreaves, the stepfather, was arrested.", "person", "Mr Hargreaves"),
        ("She attends St Mary's Catholic Primary School.", "place", None),
        ("She was taken to Royal Victoria Infirmary.", "place", "Royal Victoria Infirmary"),
        ("Officers attended 14 Acacia Avenue after a call.", "address", "14 Acacia Avenue"),
        ("He contacted her as @dee_xo_2001 on Instagram.", "online", "@dee_xo_2001"),
        ("Images were at https://example.com/dee2001 and removed.", "online", None),
        ("Her profile facebook.com/dee.smith.2001 was found.", "online", None),
        ("Mum's mobile 07700.900.123 was used.", "phone", "07700.900.123"),
    ],
)
def test_identifying_text_is_found(text: str, kind: str, piece: str | None) -> None:
    found = _found(text)
    assert found, text
    assert found[0][0] == kind, found
    if piece is not None:
        assert found[0][1] == piece, found


@pytest.mark.parametrize(
    "text",
    [
        "The S47 ABE interview took place within 2 days.",
        "The Head of School and The School nurse were told.",
        "She attended her Primary School and the GP Surgery. The Hospital was told.",
        "The Local Safeguarding Children Board reviewed it in the 2014/2015 review.",
        "Dr Barnardo's and the NSPCC were involved.",
        "She was taken to the Sexual Assault Referral Centre for a medical.",
        "The Children's Home manager reported her missing 5 times.",
        "The Friday visit was missed. On Monday officers returned.",
        "The 2nd interview and the 3rd visit were delayed.",
        "The Police and Criminal Evidence Act 1984 and the Children Act 1989 applied.",
        "Officers attended at 23:40; she rang 999 and 101; 3/4 of actions were done.",
    ],
)
def test_report_words_are_not_flagged(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    ["0" * 32000, "a." * 16000 + "com", "Aaa " * 8000, "St Mary " * 4000 + "x", "1 Aa " * 6000],
)
def test_a_long_cell_is_checked_in_time(text: str) -> None:
    """An Excel cell holds 32,767 characters: unbounded patterns took seconds to minutes."""
    start = time.perf_counter()
    find_identifying(text, names=NAMES)
    assert time.perf_counter() - start < 2


@pytest.mark.parametrize(
    "signer", ["\u200b", "\ufeff", "\u2060\u200d", "\u3164", "\u00ad", "-", "?", "n/a", "TBC"]
)
def test_a_clearance_by_no_one_publishes_nothing(
    cli: Cli, fw: Framework, tmp_path: Path, signer: str
) -> None:
    table = add_example_columns(case_table(fw, 1))
    for label, value in (
        ("Example", "concern"),
        ("Example text", "Plain words about the case."),
        ("Example status", "cleared"),
        ("Example cleared by", signer),
    ):
        set_cell(table, 2, label, value)
    path = write_csv(tmp_path / "c.csv", table)
    target = tmp_path / "pub.json"
    result = cli("examples", path, "--publish", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text("utf-8"))["counts"]["publishable"] == 0
    assert "names no one" in " ".join(result.stderr.split())


def test_another_cases_reference_is_found(cli: Cli, fw: Framework, tmp_path: Path) -> None:
    """A vignette naming a sibling's case: its reference is in the data, if not its own."""
    table = add_example_columns(case_table(fw, 2))
    set_cell(table, 2, "Case reference", "H-13-02311")
    set_cell(table, 3, "Case reference", "SIB7731")
    for label, value in (
        ("Example", "concern"),
        ("Example text", "Her brother's case (sib7731) was closed the same week."),
        ("Example status", "cleared"),
        ("Example cleared by", "A. Lead"),
    ):
        set_cell(table, 2, label, value)
    path = write_csv(tmp_path / "c.csv", table)
    target = tmp_path / "pub.json"
    result = cli("examples", path, "--publish", "-o", target)
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text("utf-8"))["counts"]["publishable"] == 0
    assert "a case or crime reference" in " ".join(result.stderr.split())


def test_a_reference_shaped_like_the_samples_is_found() -> None:
    assert _found("Linked to H-13-09168 in the same week.") == [("reference", "H-13-09168")]


def test_a_long_names_file_is_checked_in_time() -> None:
    """Each name was compiled for each example: 5,000 names cost 0.3 s an example."""
    names = tuple(f"Given{i:04d} Family{i % 97:02d}" for i in range(5000))
    text = "The girl was seen by the officer; her mother Given4321  family53 refused. " * 3
    start = time.perf_counter()
    for _ in range(50):
        found = find_identifying(text, names=names)
    assert time.perf_counter() - start < 2
    assert [(f.kind, text[f.start : f.end]) for f in found][:1] == [("name", "Given4321  family53")]


@pytest.mark.parametrize(
    "text",
    ["The case went to 2 Crown Court hearings.", "A Case Close summary was written."],
)
def test_court_and_close_are_not_addresses(text: str) -> None:
    assert _found(text) == []
