"""The identifying-text checker: what in a case example (vignette) could identify a
child, found before the example may be cleared for a published report.

A pure function of the text: :func:`find_identifying` returns each finding's kind and
position, never the text it found, so a finding can be reported anywhere (a problem
message, a published output's withheld note) without repeating what it flags.

It looks for dates in the common UK forms (12/03/2014, 12 March 2014, 12-Mar-14,
March 2014, May '14, 2014-03-12, Tuesday 3rd, "on 3/5"), case, crime and other reference
numbers (capital letters then digits, long runs of digits, NHS and National Insurance
numbers, vehicle registrations, and the case's own reference), names of people and
places from a list the user gives (and the forces' names), a title with a name
("Mrs K.", "Mr Hargreaves"), named schools and hospitals, street addresses, web
addresses and social media handles, ages given with an exact date ("aged 12 on
3 May"), UK phone numbers, postcodes and email addresses. It errs towards flagging: a
false alarm costs the report writer a second look, a miss can name a child. A clean
result is not a clearance: a person still reads every example before clearing it.

The text is read as a person sees it: invisible characters (a zero-width space
splitting a name) are dropped, full-width and other compatibility forms read as their
plain letters and digits, any script's digits as 0-9, and common Cyrillic and Greek
look-alike letters as the Latin letters they resemble; positions are still those of
the text as written.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from inspect_cli.identity import clean_text, skeleton

FindingKind = Literal[
    "email",
    "phone",
    "postcode",
    "date",
    "age_with_date",
    "reference",
    "name",
    "person",
    "place",
    "address",
    "online",
]

KIND_WORDS: dict[FindingKind, str] = {
    "email": "an email address",
    "phone": "a phone number",
    "postcode": "a postcode",
    "date": "a date",
    "age_with_date": "an age with an exact date",
    "reference": "a case or crime reference",
    "name": "a listed name of a person or place, or a force's name",
    "person": "a title with a name",
    "place": "a named school, hospital or similar place",
    "address": "a street address or street name",
    "online": "a web address or social media handle",
}
"""Each kind in words, for messages and outputs (never the text found)."""


@dataclass(frozen=True)
class Finding:
    kind: FindingKind
    start: int
    """The first character's position in the text (0-based)."""
    end: int
    """One past the last character's position."""

    def words(self) -> str:
        """'a date at character 34' (1-based, as a person counts)."""
        return f"{KIND_WORDS[self.kind]} at character {self.start + 1}"


_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"
_SHORT_YEAR = r"(?:'\d{2})"
_ORDINALS = [
    *("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"),
    *("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth"),
    *("seventeenth", "eighteenth", "nineteenth"),
]
_DAY_WORD = "|".join(
    [rf"(?:twenty|thirty)[\s-]+(?:{'|'.join(_ORDINALS[:9])})", "twentieth", "thirtieth", *_ORDINALS]
)
_DATES = (
    # 12/03/2014, 12.3.14, 12-03-2014 (a time may follow: 2014-03-12T10:00)
    r"(?<![\w/.-])\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?![/.-]?\d)",
    # 2014-03-12, 2014/03/12
    rf"(?<![\w/.-]){_YEAR}[/.-]\d{{1,2}}[/.-]\d{{1,2}}(?![/.-]?\d)",
    # 12 March 2014, 12th of March, 3 May, 12-Mar-14, 12Mar2014, 3 May '14
    rf"\b{_DAY}[\s-]*(?:of\s+)?{_MONTH}(?:,?[\s-]*(?:{_YEAR}|{_SHORT_YEAR}|\d{{2}}(?!\d)))?\b",
    # March 12th, 2014; March 12
    rf"\b{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?\b",
    # March 2014, May '14
    rf"\b{_MONTH},?\s+(?:{_YEAR}\b|{_SHORT_YEAR}(?!\d))",
    # Tuesday 3rd, Friday the 9th
    rf"\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\s+(?:the\s+)?{_DAY}\b",
    # the third of May, twenty-first March
    rf"\b(?:{_DAY_WORD})\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?\b",
    # Christmas Day 2014, Bonfire Night: a day every reader can date
    r"\b(?:Christmas\s+(?:Eve|Day)|Boxing\s+Day|New\s+Year'?s\s+(?:Eve|Day)|Bonfire\s+Night"
    rf"|Easter\s+(?:Sunday|Monday)|Valentine'?s\s+Day|Hallowe'?en)\b(?:,?\s+{_YEAR}\b)?",
    # on 3/5, dated 03.05 (a day and month, no year)
    r"\b(?:on|dated|since|until|till)\s+(?:the\s+)?\d{1,2}[/.]\d{1,2}\b(?![/.]?\d)",
)
_DATE = re.compile("|".join(f"(?:{p})" for p in _DATES), re.IGNORECASE)
# Parts bounded as addresses are (64 before the @, 63 a label): unbounded, a long run of
# letters with no @ costs time quadratic in its length.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
# +44 7700 900123, 07700 900123, 020 7946 0000, (01632) 960123: checked for 10-11 digits.
_PHONE = re.compile(r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s().-]{7,14}\d(?!\w)")
_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
_REFERENCES = (
    r"\b[A-Z]{1,5}[/-]?\d{3,}(?:[/-][A-Z\d]+)*[A-Z]?\b",  # CR123456, AB/12345/14, URN-4421
    r"\b[A-Z]{1,5}[/-]?\d{2,}(?:[/-]\d{2,})+\b",  # H-13-02311
    r"\b(?!(?:19|20)\d{2}/(?:19|20)\d{2}\b)\d{2,}/\d{3,}(?:/\d+)*\b",  # 42/12345/14, not 2014/2015
    r"\b\d{6,}\b",  # a long run of digits
    r"\b\d{3}[ -]\d{3}[ -]\d{4}\b",  # an NHS number: 943 476 5919
    r"(?i:\b[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b)",  # a National Insurance number
    r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b",  # a vehicle registration: AB12 CDE
)
_REFERENCE = re.compile("|".join(f"(?:{p})" for p in _REFERENCES))
_TOKEN = re.compile(r"\w(?:[\w/.-]*\w)?")
"""A run that may be a case reference: word characters, with / . - inside."""
# A title and a name or initial: Mrs K., Mr Hargreaves (titles as written: 'miss' is a verb).
_PERSON = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof)\.?\s+(?!Barnardo's)[A-Z][\w'-]*(?:\.(?=\s|$))?"
)
# Words a capitalised run may start with that do not name a place ('The School').
# Words a capitalised run may start with that do not name a place ('The School',
# 'Primary School', 'Head of School', 'GP Surgery').
_NOT_A_NAME = (
    r"(?:The|A|An|Her|His|Their|Its|This|That|At|In|On|Of|To|From|Same|Another|Every|Each"
    r"|Head|Local|Primary|Secondary|High|Junior|Infants?|Nursery|Grammar|Special|Community"
    r"|Boarding|Residential|Sixth|Free|GP|General|Medical|Health|Dental|Children's|Care)"
)
_NAMED = rf"(?<![\w'-])(?!{_NOT_A_NAME}\b)[A-Z][\w'-]{{0,40}}(?:\s+(?:[A-Z][\w'-]{{0,40}}|of|the)){{0,5}}"
_PLACE = re.compile(
    rf"\b{_NAMED}\s+(?:School|Academy|College|Nursery|Hospital|Infirmary|Clinic|Surgery"
    r"|Health Centre|Medical Centre|Children's Home|Care Home|Pupil Referral Unit)\b"
)
# A street by name alone ('Acacia Avenue'), or after a house number, where words that
# also end other names may follow ('14 Oak Close'). 'Court' is neither: '2 Crown Court
# hearings'; nor is 'Close' alone: 'Case Close summary'.
_STREET = r"(?:Road|Rd|Street|Avenue|Ave|Lane|Crescent|Terrace|Gardens|Grove|Drive)"
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}[A-Za-z]?,?\s+(?:[A-Z][\w'-]*\s+){{1,3}}(?:{_STREET}|St|Ln|Close|Way|Place"
    rf"|Walk|Row|Square|Mews|Hill|View|Park)\b|\b{_NAMED}\s+{_STREET}\b(?!')"
)
_ONLINE = re.compile(
    r"\b(?:https?://|www\.)\S*[\w/]"
    r"|(?<![\w.-])[\w-]{1,63}(?:\.[\w-]{1,63}){0,8}\.(?:com|co\.uk|org\.uk|uk|org|net|io|me|tv|gg|ly)"
    r"(?:/\S*[\w/])?(?!\w)"
    r"|(?<![\w@])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,30}[A-Za-z0-9_])?"
)
_AGE = re.compile(
    r"\b(?:aged|age|turned|turning)\s+\d{1,2}\b|\b\d{1,2}[\s-]years?[\s-]old\b", re.IGNORECASE
)
_AGE_TO_DATE = 30
"""An age and a date at most this many characters apart are read as one exact date of
an age ("aged 12 on 3 May", "on 3 May, aged 12")."""


def _whole(text: str) -> re.Pattern[str]:
    """``text`` as a whole-word, case-insensitive pattern, any run of spaces matching any."""
    words = [re.escape(w) for w in text.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    """Every name as one whole-word pattern, longest first, compiled once per list: a
    names file may list thousands, and a report checks every example against them."""
    words = {tuple(_fold(n)[0].split()) for n in names} - {()}
    if not words:
        return re.compile(r"(?!)")  # matches nothing
    ordered = sorted(words, key=lambda w: (-len(" ".join(w)), w))
    alternatives = (r"\s+".join(re.escape(w) for w in name) for name in ordered)
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def names_from_text(text: str) -> tuple[str, ...]:
    """A names file: one name a line; blank lines and lines starting '#' are skipped."""
    lines = (line.strip() for line in text.splitlines())
    return tuple(dict.fromkeys(line for line in lines if line and not line.startswith("#")))


def _fold_char(ch: str) -> str:
    """One character as a person reads it: '' when invisible, its compatibility form
    (full-width A is A), any script's digit as 0-9, a Cyrillic or Greek look-alike as
    its Latin letter (keeping its case)."""
    if ch.isspace():
        return " " if ch not in "\n\r" else ch
    if ch in "\u2018\u2019":
        return "'"
    digit = unicodedata.decimal(ch, None)
    if digit is not None:
        return str(digit)
    piece = clean_text(ch)
    low = piece.lower()
    latin = skeleton(low)
    if latin != low:
        piece = latin.upper() if piece.isupper() else latin
    return piece


def _fold(text: str) -> tuple[str, list[int]]:
    """``text`` folded (:func:`_fold_char`), and each folded character's position in
    ``text`` (one more at the end, for a span's end)."""
    pieces: list[str] = []
    where: list[int] = []
    for i, ch in enumerate(text):
        piece = ch if ch.isascii() and ch.isprintable() else _fold_char(ch)
        pieces.append(piece)
        where.extend([i] * len(piece))
    where.append(len(text))
    return "".join(pieces), where


def _phones(text: str) -> Iterable[tuple[int, int]]:
    for m in _PHONE.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        national = digits[2:] if digits.startswith("44") else digits.removeprefix("0")
        if 9 <= len(national) <= 10:
            yield m.start(), m.end()


def _spans(pattern: re.Pattern[str], text: str) -> Iterable[tuple[int, int]]:
    return ((m.start(), m.end()) for m in pattern.finditer(text))


def reference_keys(refs: Iterable[str]) -> frozenset[str]:
    """Case references as :func:`find_identifying` looks them up (``case_refs``). A
    reference shorter than four characters ('12', 'A3') is left out: it would flag
    every '12 weeks' (the example's own reference is still looked for)."""
    keys = (_fold(r.strip())[0].casefold() for r in refs)
    return frozenset(key for key in keys if len(key) >= 4)


def find_identifying(
    text: str,
    *,
    names: Sequence[str] = (),
    case_ref: str | None = None,
    case_refs: Collection[str] = (),
) -> list[Finding]:
    """Everything in ``text`` that could identify a child, in text order.

    ``names``: people, places and forces to look for (whole words, any case);
    ``case_ref``: the case's own reference; ``case_refs``: every case's reference, as
    :func:`reference_keys` gives them (a vignette may name a sibling's case). A stretch of text is one finding, of the
    first kind (in :data:`KIND_WORDS` order) that matches it; an age with an exact
    date is found as well as the date in it."""
    found: list[Finding] = []
    original = text
    text, where = _fold(original)

    def add(kind: FindingKind, spans: Iterable[tuple[int, int]]) -> None:
        for start, end in spans:
            if not any(start < f.end and f.start < end for f in found):
                found.append(Finding(kind, start, end))

    add("email", _spans(_EMAIL, text))
    add("online", _spans(_ONLINE, text))
    add("phone", _phones(text))
    add("postcode", _spans(_POSTCODE, text))
    add("date", _spans(_DATE, text))
    if case_ref and case_ref.strip():
        add("reference", _spans(_whole(_fold(case_ref)[0]), text))
    if case_refs:
        tokens = _TOKEN.finditer(text)
        add("reference", (m.span() for m in tokens if m.group().casefold() in case_refs))
    add("reference", _spans(_REFERENCE, text))
    if names:
        add("name", _spans(_names_pattern(tuple(names)), text))
    add("person", _spans(_PERSON, text))
    add("place", _spans(_PLACE, text))
    add("address", _spans(_ADDRESS, text))
    dates = [f for f in found if f.kind == "date"]
    for start, end in _spans(_AGE, text):
        near = [d for d in dates if -_AGE_TO_DATE <= d.start - end <= _AGE_TO_DATE]
        near += [d for d in dates if 0 <= start - d.end <= _AGE_TO_DATE]
        if near:
            d = near[0]
            found.append(Finding("age_with_date", min(start, d.start), max(end, d.end)))
    # Back to positions in the text as written (the same when nothing was folded).
    spans = (replace(f, start=where[f.start], end=where[f.end - 1] + 1) for f in found)
    return sorted(spans, key=lambda f: (f.start, f.end, f.kind))


def kinds_in(findings: Iterable[Finding]) -> str:
    """'a date and a phone number': each kind found, once, in :data:`KIND_WORDS` order."""
    kinds = {f.kind for f in findings}
    words = [w for k, w in KIND_WORDS.items() if k in kinds]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
