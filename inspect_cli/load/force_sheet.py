"""The Force sheet of a case workbook: force-level judgements, one row per topic.

A framework's ``force_topics`` (leadership, partnership working, ...) are judged for
the force as a whole, from interviews, documents, statistics and the force's own
self-assessment, not case by case. A workbook records them on a sheet named ``Force``
(:func:`is_force_sheet`), which is therefore never read as a case sheet. Each row
gives a topic, the force's self-grade and the inspectors' grade (both on the topic's
scale) and evidence references (free text, internal only).

This module reads one sheet into :class:`ForceJudgement` rows and the problems found
at each cell; :mod:`inspect_cli.load.force_check` then resolves each row's force
against the workbook's cases and finds topics judged twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from inspect_cli import problems as P
from inspect_cli.frameworks import Framework, Scale
from inspect_cli.frameworks.models import ForceTopic, normalise_text, response_words
from inspect_cli.load.headers import HEADER_SEARCH_ROWS
from inspect_cli.load.inputs import Selection, sheet_key
from inspect_cli.load.values import as_text, is_blank
from inspect_cli.problems import Problem
from inspect_cli.read import RawFile, RawSheet, column_letter

FORCE_SHEET = "Force"
"""The sheet's name: matched ignoring case and spaces at the ends (as Excel names are)."""


@dataclass(frozen=True)
class ForceColumn:
    """One column of the Force sheet; ``id`` is public (docs/workbook-format.md)."""

    id: str
    label: str
    description: str


FORCE_COLUMNS: tuple[ForceColumn, ...] = (
    ForceColumn("force", "Force", "The force judged; blank: the workbook's only force."),
    ForceColumn("topic_id", "Topic id", "The topic's id in the framework (force_topics)."),
    ForceColumn("topic_label", "Topic", "The topic's name; read when Topic id is blank."),
    ForceColumn("self_grade", "Force's self-grade", "The force's own grade for the topic."),
    ForceColumn("inspector_grade", "Inspectors' grade", "The inspectors' grade for the topic."),
    ForceColumn(
        "evidence_interviews",
        "Evidence: interviews",
        "Interviews and focus groups relied on (internal only).",
    ),
    ForceColumn(
        "evidence_documents",
        "Evidence: documents",
        "Policies, plans and other documents relied on (internal only).",
    ),
    ForceColumn(
        "evidence_statistics",
        "Evidence: statistics",
        "Management information and statistics relied on (internal only).",
    ),
)
EVIDENCE_COLUMNS = ("evidence_interviews", "evidence_documents", "evidence_statistics")
_TOPIC_COLUMNS = ("topic_id", "topic_label")
_GRADE_COLUMNS = ("self_grade", "inspector_grade")


@dataclass(frozen=True)
class Evidence:
    """Where a judgement's evidence is to be found: free text, never published."""

    interviews: str = ""
    documents: str = ""
    statistics: str = ""


@dataclass(frozen=True)
class ForceJudgement:
    """One topic judged for one force, and where the row is."""

    file: str
    sheet: str
    row: int  # as Excel shows it
    force: str  # the force's name as the cases spell it, once resolved
    topic: str  # the topic's id
    self_grade: str | None  # response id on the topic's scale; None: not given
    inspector_grade: str | None
    evidence: Evidence = Evidence()

    def where(self) -> str:
        return f"{self.file}, sheet {self.sheet!r}, row {self.row}"


def topic_scale(fw: Framework, topic: ForceTopic) -> Scale:
    """The scale a topic is graded on (its own, or the framework's default)."""
    return fw.scale_by_id[topic.scale or fw.default_scale]


def is_force_sheet(sheet: RawSheet) -> bool:
    return bool(sheet.name) and sheet_key(sheet.name) == sheet_key(FORCE_SHEET)


def split_force_sheets(raw: RawFile, selection: Selection) -> tuple[list[RawSheet], list[RawSheet]]:
    """(Force sheets, the other sheets). A Force sheet skipped with --skip-sheet stays
    with the others, so the case loader reports it skipped; --sheet chooses case
    sheets only, so it never keeps a Force sheet from being read."""
    skip = {sheet_key(s) for s in selection.skip_sheets}
    force = [s for s in raw.sheets if is_force_sheet(s) and sheet_key(s.name) not in skip]
    return force, [s for s in raw.sheets if not any(s is f for f in force)]


def _match_header(cells: Sequence[object]) -> dict[str, int]:
    """Column id → sheet column index, for the cells of a candidate header row (a
    header is matched by column id, id with spaces, or label; the first of each wins)."""
    words = {}
    for col in FORCE_COLUMNS:
        for word in (col.id, col.id.replace("_", " "), col.label):
            words[normalise_text(word)] = col.id
    found: dict[str, int] = {}
    for j, cell in enumerate(cells):
        if is_blank(cell):
            continue
        field = words.get(normalise_text(as_text(cell)))
        if field is not None and field not in found:
            found[field] = j
    return found


def _find_header(sheet: RawSheet) -> tuple[int, dict[str, int]] | None:
    for i, cells in enumerate(sheet.head(HEADER_SEARCH_ROWS)):
        found = _match_header(cells)
        if found.keys() & set(_TOPIC_COLUMNS) and found.keys() & set(_GRADE_COLUMNS):
            return i, found
    return None


class _Lookup:
    """The framework's topics and each topic's grades, by every spelling."""

    def __init__(self, fw: Framework) -> None:
        self.fw = fw
        self.topics = {
            normalise_text(w): t
            for t in fw.force_topics
            for w in (t.id, t.id.replace("_", " "), t.label)
        }
        self.grades = {
            t.id: {
                normalise_text(w): r.id
                for r in topic_scale(fw, t).responses
                for w in response_words(r)
            }
            for t in fw.force_topics
        }
        self.allowed_topics = (
            ", ".join(t.id for t in fw.force_topics) or "(none: the framework has no force topics)"
        )

    def allowed_grades(self, topic: ForceTopic) -> str:
        return ", ".join(r.label for r in topic_scale(self.fw, topic).responses)


@dataclass(frozen=True)
class ForceSheetRead:
    """What one file's Force sheets gave: judgements (forces as written), problems,
    and each sheet's columns, (file, sheet) → column id → index, to place a problem
    found later at its cell."""

    judgements: tuple[ForceJudgement, ...] = ()
    problems: tuple[Problem, ...] = ()
    columns: dict[tuple[str, str], dict[str, int]] = field(default_factory=dict)


def read_force_sheets(
    fw: Framework, raw: RawFile, file: str, selection: Selection
) -> tuple[RawFile, ForceSheetRead]:
    """``raw`` without its Force sheets (left for the case loader), and what they hold."""
    force, others = split_force_sheets(raw, selection)
    if not force:
        return raw, ForceSheetRead()
    judgements: list[ForceJudgement] = []
    problems: list[Problem] = []
    columns: dict[tuple[str, str], dict[str, int]] = {}
    for sheet in force:
        got, found, cols = read_force_sheet(fw, sheet, file)
        judgements.extend(got)
        problems.extend(found)
        columns[(file, sheet.name)] = cols
    rest = RawFile(raw.path, raw.sha256, raw.size, others, raw.notes)
    return rest, ForceSheetRead(tuple(judgements), tuple(problems), columns)


def read_force_sheet(
    fw: Framework, sheet: RawSheet, file: str
) -> tuple[list[ForceJudgement], list[Problem], dict[str, int]]:
    """The judgements of one Force sheet (forces as written) and every problem at its
    cells. A row in error is not loaded; a row with nothing but its topic (a template's
    row not yet filled in) is passed over."""
    problems: list[Problem] = []
    if not fw.force_topics:
        why = f"framework {fw.id} has no force-level topics"
        return [], [P.FORCE_SHEET_SKIPPED.at(file, sheet.name, name=sheet.name, why=why)], {}
    found = _find_header(sheet)
    if found is None:
        why = (
            "it has no header row of force-level columns (Topic id or Topic, and a grade) "
            f"in its first {HEADER_SEARCH_ROWS} rows"
        )
        return [], [P.FORCE_SHEET_SKIPPED.at(file, sheet.name, name=sheet.name, why=why)], {}
    header_row, columns = found
    if "inspector_grade" not in columns:
        col = next(c for c in FORCE_COLUMNS if c.id == "inspector_grade")
        problems.append(
            P.FORCE_COLUMN_MISSING.at(file, sheet.name, header_row + 1, label=col.label, id=col.id)
        )
        return [], problems, columns
    lookup = _Lookup(fw)
    labels = {c.id: c.label for c in FORCE_COLUMNS}
    judgements: list[ForceJudgement] = []
    for i, cells in enumerate(sheet.rows[header_row + 1 :], start=header_row + 1):
        text = {
            cid: as_text(cells[j]) if j < len(cells) and not is_blank(cells[j]) else ""
            for cid, j in columns.items()
        }
        row = i + 1

        def at(cid: str, kind: P.ProblemType, row: int = row, **params: str) -> Problem:
            return kind.at(
                file, sheet.name, row, column_letter(columns[cid]), labels[cid], **params
            )

        # An Excel error reads as a blank cell: said, and the row not loaded.
        errors = [
            (cid, sheet.error_cells[(i, j)])
            for cid, j in columns.items()
            if (i, j) in sheet.error_cells
        ]
        if errors:
            problems.extend(at(cid, P.EXCEL_ERROR, value=value) for cid, value in errors)
            continue
        if not any(text.get(cid) for cid in (*_GRADE_COLUMNS, *EVIDENCE_COLUMNS)):
            continue  # blank, or a template's topic (and force) not yet judged
        topic_cid = next((c for c in _TOPIC_COLUMNS if text.get(c)), None)
        if topic_cid is None:
            where = next(c for c in _TOPIC_COLUMNS if c in columns)
            problems.append(at(where, P.FORCE_TOPIC_BLANK))
            continue
        topic = lookup.topics.get(normalise_text(text[topic_cid]))
        if topic is None:
            problems.append(at(topic_cid, P.UNKNOWN_FORCE_TOPIC, allowed=lookup.allowed_topics))
            continue
        grades: dict[str, str | None] = {}
        for cid in _GRADE_COLUMNS:
            value = text.get(cid, "")
            grades[cid] = lookup.grades[topic.id].get(normalise_text(value)) if value else None
            if value and grades[cid] is None:
                problems.append(
                    at(
                        cid,
                        P.UNKNOWN_TOPIC_GRADE,
                        topic=topic.id,
                        allowed=lookup.allowed_grades(topic),
                    )
                )
        if any(text.get(cid) and grades[cid] is None for cid in _GRADE_COLUMNS):
            continue
        judgements.append(
            ForceJudgement(
                file=file,
                sheet=sheet.name,
                row=row,
                force=text.get("force", ""),
                topic=topic.id,
                self_grade=grades["self_grade"],
                inspector_grade=grades["inspector_grade"],
                evidence=Evidence(
                    text.get("evidence_interviews", ""),
                    text.get("evidence_documents", ""),
                    text.get("evidence_statistics", ""),
                ),
            )
        )
    return judgements, problems, columns
