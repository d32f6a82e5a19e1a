"""The case examples report: every vignette an auditor wrote (the ``example`` columns),
grouped by stage, theme and area of practice for the report writer, each checked for
text that could identify a child (:mod:`inspect_cli.reports.identifying`).

A case example is a row whose ``example`` is effective practice or concern, or that
has ``example_text`` without a theme. Internal, it shows every example with its case,
auditor, clearance and the checker's findings. Published (``--publish``), it holds only
the examples a named person cleared (``example_status`` cleared and
``example_cleared_by`` given) that have a theme, a text and no finding, and never a
case reference, an auditor, who cleared it, where it came from or, with
``--anonymise``, a force's real name. A cleared example with findings is withheld, and
said so at its cell (``example-cleared-withheld``).

Vignette text never goes into any other report: :mod:`inspect_cli.reports.publish`
and the thematic and force reports never read the example columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

from inspect_cli import problems as P
from inspect_cli.fields import EXAMPLE_FIELD_IDS, EXAMPLE_FIELDS
from inspect_cli.identity import tidy_name
from inspect_cli.problems import Problem
from inspect_cli.reports.common import find_force, marking_for
from inspect_cli.reports.identifying import Finding, find_identifying, kinds_in, reference_keys

if TYPE_CHECKING:
    import pandas as pd

    from inspect_cli.provenance import Provenance
    from inspect_cli.score import ScoreResult

DEFAULT_TITLE = "Case examples"
THEMES = ("effective practice", "concern")
NO_THEME = "theme not given"
WHOLE_CASE = "The case as a whole"
"""The stage heading of examples with no ``example_stage``."""
Status = Literal["draft", "cleared"]
_LABELS = {f.id: f.label for f in EXAMPLE_FIELDS}


@dataclass(frozen=True)
class Vignette:
    """One case example. In a published report every field that names a case or a
    person is None, and ``findings`` is empty (an example with findings is left out)."""

    force: str
    """The force's name, or its pseudonym with --anonymise."""
    case_ref: str | None
    audit_type: str
    auditor: str | None
    text: str | None
    status: Status
    """cleared only when ``example_status`` is cleared and a person is named as clearing it."""
    cleared_by: str | None
    findings: tuple[Finding, ...]
    source: str | None
    """Where the case is: file, sheet and row."""
    theme: str | None = None
    """effective practice or concern; None when not given."""
    case_approved: bool = True
    """False when the inputs record review statuses and this reading is not approved:
    an example from a case nobody signed off is never published (the review rule,
    :mod:`inspect_cli.reports.review`)."""

    @property
    def publishable(self) -> bool:
        cleared = self.status == "cleared" and not self.findings and self.case_approved
        return cleared and bool(self.text) and self.theme is not None


@dataclass(frozen=True)
class ExampleGroup:
    stage_id: str | None
    stage: str
    """The stage's label, or :data:`WHOLE_CASE`."""
    theme: str
    """effective practice, concern, or :data:`NO_THEME`."""
    area_id: str
    area: str
    examples: tuple[Vignette, ...]


@dataclass(frozen=True)
class ExamplesMeta:
    title: str
    framework_id: str
    framework_version: str
    framework_title: str
    provenance: Provenance
    marking: str | None
    published: bool
    anonymised: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExamplesReport:
    meta: ExamplesMeta
    force: str | None
    """The force asked for (--force), or None for every force."""
    groups: tuple[ExampleGroup, ...]
    problems: tuple[Problem, ...]
    """The checker's and the clearance's warnings, each at its cell (they go to the
    terminal; a file holds them only when neither published nor anonymised, as they
    name files and sheets)."""

    @property
    def examples(self) -> tuple[Vignette, ...]:
        return tuple(v for g in self.groups for v in g.examples)

    def count(self, theme: str) -> int:
        return sum(len(g.examples) for g in self.groups if g.theme == theme)

    @property
    def cleared(self) -> int:
        return sum(v.status == "cleared" for v in self.examples)

    @property
    def with_findings(self) -> int:
        return sum(bool(v.findings) for v in self.examples)

    @property
    def publishable(self) -> int:
        return sum(v.publishable for v in self.examples)


def _text(value: Any) -> str | None:
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    text = str(value).strip()
    return text or None


def example_rows(cases: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``cases`` that are case examples, every example column present."""
    cases = cases.reindex(columns=list(dict.fromkeys([*cases.columns, *EXAMPLE_FIELD_IDS])))
    theme = cases["example"].fillna("").astype(str)
    text = cases["example_text"].fillna("").astype(str).str.strip()
    return cases[theme.isin(THEMES) | (theme.eq("") & text.ne(""))]


_NO_ONE = frozenset(
    ("n/a", "na", "none", "nobody", "no one", "tbc", "tba", "unknown", "pending", "not yet", "x")
)
"""Placeholders typed where a name belongs: they clear nothing."""


def _named(value: str | None) -> str | None:
    """``value`` when it names someone: a letter once invisible characters are dropped
    (a zero-width space or a filler is blank), and not a placeholder ('n/a', 'tbc')."""
    if value is None:
        return None
    seen = tidy_name(value)
    if not any(ch.isalpha() for ch in seen) or seen.casefold() in _NO_ONE:
        return None
    return value


@dataclass(frozen=True)
class _Checked:
    vignette: Vignette
    stage_id: str | None
    area_id: str
    problems: tuple[Problem, ...]


Columns = Mapping[tuple[str, str | None, str], tuple[str, str]]
"""(file, sheet, field id) → (column letter, header as the sheet spells it)."""


def _check(
    row: Any,
    names: Sequence[str],
    refs: frozenset[str],
    shown: str,
    columns: Columns,
    approved: bool,
) -> _Checked:
    sheet = _text(row["source_sheet"])
    file = str(row["source_file"])
    where = {"file": file, "sheet": sheet, "row": int(row["source_row"])}

    def at(field_id: str) -> dict[str, Any]:
        letter, header = columns.get((file, sheet, field_id), (None, _LABELS[field_id]))
        return {**where, "column": letter, "header": header}

    theme, text = _text(row["example"]), _text(row["example_text"])
    case_ref = str(row["case_ref"])
    found = find_identifying(text, names=names, case_ref=case_ref, case_refs=refs) if text else []
    findings = tuple(found)
    problems = [P.EXAMPLE_MAY_IDENTIFY.at(**at("example_text"), what=f.words()) for f in findings]
    cleared_by = _named(_text(row["example_cleared_by"]))
    marked = _text(row["example_status"]) == "cleared"
    if marked and cleared_by is None:
        what = (
            f"the example is marked cleared, but {_LABELS['example_cleared_by']!r} is blank "
            "or names no one"
        )
        problems.append(P.EXAMPLE_INCOMPLETE.at(**at("example_cleared_by"), what=what))
    elif marked and findings:
        problems.append(
            P.EXAMPLE_CLEARED_WITHHELD.at(**at("example_status"), what=kinds_in(findings))
        )
    if theme is not None and text is None:
        what = (
            f"the case is marked as an example ({theme}), but {_LABELS['example_text']!r} is blank"
        )
        problems.append(P.EXAMPLE_INCOMPLETE.at(**at("example_text"), what=what))
    if theme is None:
        what = (
            f"the case has example text, but {_LABELS['example']!r} is blank: say whether it "
            "shows effective practice or a concern"
        )
        problems.append(P.EXAMPLE_INCOMPLETE.at(**at("example"), what=what))
    source = f"{where['file']}" + (f", sheet {sheet!r}" if sheet else "") + f", row {where['row']}"
    vignette = Vignette(
        force=shown,
        case_ref=case_ref,
        audit_type=str(row["audit_type"]),
        auditor=_text(row.get("auditor")),
        text=text,
        status="cleared" if marked and cleared_by is not None else "draft",
        cleared_by=cleared_by,
        findings=findings,
        source=source,
        theme=theme,
        case_approved=approved,
    )
    return _Checked(
        vignette, _text(row["example_stage"]), str(row["area_of_practice"]), tuple(problems)
    )


def published_vignette(v: Vignette) -> Vignette:
    """``v`` as a published or anonymised report shows it: nothing that names a case,
    a person or (through a file or sheet name) a force."""
    return replace(v, case_ref=None, auditor=None, cleared_by=None, source=None)


def build_examples(
    result: ScoreResult,
    provenance: Provenance,
    *,
    names: Sequence[str] = (),
    pseudonyms: Mapping[str, str] | None = None,
    force: str | None = None,
    publish: bool = False,
    title: str | None = None,
    marking: str | None = None,
) -> ExamplesReport:
    """Every case example of ``result`` (of ``force`` only, if given), checked against
    ``names`` (people and places) and every force's name; ``pseudonyms`` (real name →
    pseudonym) when anonymised; with ``publish``, only the examples fit to publish."""
    from inspect_cli.reports.publish import published_provenance
    from inspect_cli.reports.review import approved_rows

    fw = result.framework
    cases = result.cases
    forces = sorted(str(f) for f in cases["force"].dropna().unique())
    if force is not None:
        force = find_force(force, forces)
        cases = cases[cases["force"] == force]
    look_for = (*names, *forces)
    # Every case's reference, not only the example's own: a vignette may name a sibling's.
    refs = reference_keys(str(r) for r in result.cases["case_ref"].dropna().unique())
    pseudonyms = dict(pseudonyms or {})
    columns = {(c.file, c.sheet, c.field_id): (c.letter, c.header) for c in result.load.columns}
    statuses = approved_rows(result)
    approved = None if statuses is None else dict(zip(result.cases.index, statuses, strict=True))
    checked = [
        _check(
            row,
            look_for,
            refs,
            pseudonyms.get(str(row["force"]), str(row["force"])),
            columns,
            approved is None or approved[i],
        )
        for i, row in example_rows(cases).iterrows()
    ]
    stages = {s.id: i for i, s in enumerate(fw.stages)}
    stage_labels = {s.id: s.label for s in fw.stages}
    areas = {a.id: i for i, a in enumerate(fw.areas_of_practice)}
    area_labels = {a.id: a.label for a in fw.areas_of_practice}
    themes = {t: i for i, t in enumerate((*THEMES, NO_THEME))}
    buckets: dict[tuple[str | None, str, str], list[Vignette]] = {}
    for c in checked:
        v = c.vignette
        if publish and not v.publishable:
            continue
        key = (c.stage_id, v.theme or NO_THEME, c.area_id)
        # Anonymised too: a case reference, a name or a file name may name the force.
        hide = publish or bool(pseudonyms)
        buckets.setdefault(key, []).append(published_vignette(v) if hide else v)

    def order(key: tuple[str | None, str, str]) -> tuple[int, int, int]:
        stage, theme, area = key
        return (stages.get(stage or "", len(stages)), themes[theme], areas.get(area, len(areas)))

    groups = tuple(
        ExampleGroup(
            stage_id=key[0],
            stage=stage_labels.get(key[0] or "", WHOLE_CASE),
            theme=key[1],
            area_id=key[2],
            area=area_labels.get(key[2], key[2]),
            examples=tuple(sorted(bucket, key=lambda v: (v.force, v.case_ref or ""))),
        )
        for key, bucket in sorted(buckets.items(), key=lambda kv: order(kv[0]))
    )
    notes = [
        "Only examples cleared by a named person, with a theme, a text and nothing the "
        "checker flags, are included."
        if publish
        else "Internal: every example, with its case, clearance and what the checker "
        "found; only cleared examples with no finding go into a published output."
    ]
    if pseudonyms:
        notes.append(
            "Anonymised: forces shown by pseudonym; no case reference, auditor, who "
            "cleared an example or where it is (any of them may name the force)."
        )
    if provenance.left_out:
        notes.append(
            "Left out because of errors (--allow-partial): a case example in a row, sheet "
            "or file left out is not here; fix the errors (inspect-cli validate) and run again."
        )
    if publish or pseudonyms:
        provenance = published_provenance(provenance)  # a file name may name the force
    meta = ExamplesMeta(
        title=title or DEFAULT_TITLE + (f": {pseudonyms.get(force, force)}" if force else ""),
        framework_id=fw.id,
        framework_version=fw.version,
        framework_title=fw.title,
        provenance=provenance,
        marking=marking_for(marking, publish=publish),
        published=publish,
        anonymised=bool(pseudonyms),
        notes=tuple(notes),
    )
    problems = tuple(p for c in checked for p in c.problems)
    shown_force = pseudonyms.get(force, force) if force else None
    return ExamplesReport(meta, shown_force, groups, problems)
