"""Force-level judgements (issue 15, item 3): the Force sheet of a case workbook, its
problems, the template's Force sheet, the force and thematic report sections in every
format, and that no evidence (nor one force's topic grades) reaches a published output."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import openpyxl
import pytest
from rich.console import Console
from typer.testing import Result

from inspect_cli.frameworks import Framework, resolve_framework
from inspect_cli.load import LoadResult, Selection, load_cases
from inspect_cli.load.force_sheet import FORCE_COLUMNS
from inspect_cli.provenance import provenance_for
from inspect_cli.render.text.force_topics import print_force_topics, print_topics_summary
from inspect_cli.reports.force import force_report
from inspect_cli.reports.force_topics import published_summary, topics_summary
from inspect_cli.reports.thematic import thematic_report
from inspect_cli.score import score_cases
from inspect_cli.template import write_template

from .conftest import ROOT, SAMPLES
from .helpers.builders import Table, case_table, header, set_cell, valid_row, write_xlsx
from .helpers.golden import assert_golden
from .helpers.payloads import FORMULA, HTML, MARKUP

Cli = Callable[..., Result]
LABELS = [c.label for c in FORCE_COLUMNS]
SCHEMAS = ROOT / "docs" / "schemas"


def force_table(rows: Sequence[Sequence[Any]], labels: Sequence[str] = LABELS) -> Table:
    return [list(labels), *(list(r) for r in rows)]


JUDGED = [
    ["Force X", "leadership", "Leadership", "Good", "Adequate", "INT-01", "DOC-02", "STAT-03"],
    ["", "", "Inter-agency work", "adequate", "Adequate", "", "", ""],  # blank force, by name
    ["force  x", "workloads", "", "excellent", "poor", "", "", ""],  # spelling, aliases
    ["Force X", "management_information", "", "", "", "", "", ""],  # not judged: passed over
]


def workbook(tmp_path: Path, force_rows: Sequence[Sequence[Any]], name: str = "Force") -> Path:
    return write_xlsx(
        tmp_path / "w.xlsx",
        {"Cases": case_table(resolve_framework("ncpi-2014"), 3), name: force_table(force_rows)},
    )


def problems(load: LoadResult, *codes: str) -> list[Any]:
    return [p for p in load.problems if p.code in codes or not codes]


# --------------------------------------------------------------------------- loading


def test_the_force_sheet_is_read_as_judgements_not_cases(fw: Framework, tmp_path: Path) -> None:
    load = load_cases([workbook(tmp_path, JUDGED)], fw)
    assert load.ok and len(load.cases) == 3
    assert not [p for p in load.problems if p.severity != "note"], load.problems
    assert not problems(load, "not-case-sheet", "sheet-skipped", "no-case-sheet")
    got = {
        (j.topic, j.force, j.self_grade, j.inspector_grade, j.row) for j in load.force_judgements
    }
    assert got == {
        ("leadership", "Force X", "good", "adequate", 2),
        ("inter_agency_work", "Force X", "adequate", "adequate", 3),
        ("workloads", "Force X", "good", "inadequate", 4),
    }
    first = load.force_judgements[0]
    assert (first.evidence.interviews, first.evidence.documents) == ("INT-01", "DOC-02")


@pytest.mark.parametrize("name", ["force", " FORCE "])
def test_the_sheet_name_matches_ignoring_case_and_spaces(
    fw: Framework, tmp_path: Path, name: str
) -> None:
    load = load_cases([workbook(tmp_path, JUDGED, name)], fw)
    assert load.ok and len(load.force_judgements) == 3


def test_sheet_choice_reads_it_and_skip_sheet_leaves_it_out(fw: Framework, tmp_path: Path) -> None:
    path = workbook(tmp_path, JUDGED)
    chosen = load_cases([path], fw, selection=Selection(sheets=("Cases",)))
    assert chosen.ok and len(chosen.force_judgements) == 3
    skipped = load_cases([path], fw, selection=Selection(skip_sheets=("force",)))
    assert skipped.ok and not skipped.force_judgements
    assert [p.sheet for p in problems(skipped, "sheet-skipped")] == ["Force"]


@pytest.mark.parametrize(
    ("row", "code", "column"),
    [
        (["Force X", "Tom Smith leads", "", "Good", "Good"], "unknown-force-topic", "B"),
        (["Force X", "leadership", "", "Splendid Tom", "Good"], "unknown-topic-grade", "D"),
        (["Force X", "leadership", "", "Good", "Grand"], "unknown-topic-grade", "E"),
        (["Force X", "", "", "Good", "Good"], "force-topic-blank", "B"),
        (["Force Q", "leadership", "", "Good", "Good"], "force-topic-unknown-force", "A"),
    ],
)
def test_each_problem_is_located_and_repeats_no_value(
    fw: Framework, tmp_path: Path, row: list[str], code: str, column: str
) -> None:
    load = load_cases([workbook(tmp_path, [row])], fw)
    found = problems(load, code)
    assert len(found) == 1 and found[0].severity == "error", load.problems
    p = found[0]
    assert (p.file, p.sheet, p.row, p.column) == ("w.xlsx", "Force", 2, column)
    for value in ("Tom", "Splendid", "Grand", "Force Q"):
        assert value not in p.message
    assert not load.force_judgements and len(load.cases) == 3  # the cases still load


def test_a_topic_judged_twice_names_the_first(fw: Framework, tmp_path: Path) -> None:
    rows = [["Force X", "leadership", "", "Good", "Good"], ["", "Leadership", "", "", "Poor"]]
    load = load_cases([workbook(tmp_path, rows)], fw)
    (dupe,) = problems(load, "duplicate-force-topic")
    assert (dupe.row, dupe.column) == (3, "B") and "w.xlsx, sheet 'Force', row 2" in dupe.message
    assert [j.inspector_grade for j in load.force_judgements] == ["good"]


def test_a_topic_judged_in_two_workbooks(fw: Framework, tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        write_xlsx(
            tmp_path / name / f"{name}.xlsx",
            {
                "Cases": case_table(fw, 2, first=1 if name == "a" else 5),
                "Force": force_table([["", "workloads", "", "", "Good"]]),
            },
        )
    load = load_cases([tmp_path / "a" / "a.xlsx", tmp_path / "b" / "b.xlsx"], fw)
    (dupe,) = problems(load, "duplicate-force-topic")
    assert dupe.file == "b.xlsx" and "a.xlsx" in dupe.message


def test_a_blank_force_in_a_workbook_of_two_forces(fw: Framework, tmp_path: Path) -> None:
    cases = set_cell(case_table(fw, 2), 3, "Force", "Force Y")
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Cases": cases, "Force": force_table([["", "workloads", "", "", "Good"]])},
    )
    (p,) = problems(load_cases([path], fw), "force-topic-no-force")
    assert (p.row, p.column) == (2, "A") and "2 forces" in p.message


def test_no_inspectors_grade_column(fw: Framework, tmp_path: Path) -> None:
    labels = [label for label in LABELS if label != "Inspectors' grade"]
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "Cases": case_table(fw, 2),
            "Force": force_table([["Force X", "workloads", "", "Good"]], labels),
        },
    )
    (p,) = problems(load_cases([path], fw), "force-column-missing")
    assert (p.sheet, p.row) == ("Force", 1) and "inspector_grade" in p.message


def test_a_force_sheet_that_is_something_else_is_skipped_with_a_warning(
    fw: Framework, tmp_path: Path
) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx", {"Cases": case_table(fw, 2), "Force": [["Contacts"], ["DI Jones"]]}
    )
    load = load_cases([path], fw)
    (p,) = problems(load, "force-sheet-skipped")
    assert p.severity == "warning" and "no header row" in p.message and load.ok
    assert not problems(load, "not-case-sheet")


def test_a_framework_without_force_topics(tmp_path: Path) -> None:
    other = resolve_framework("missing-children-checklist")
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {"Cases": [header(other), valid_row_for(other)], "Force": force_table(JUDGED)},
    )
    (p,) = problems(load_cases([path], other), "force-sheet-skipped")
    assert "no force-level topics" in p.message


def valid_row_for(fw: Framework) -> list[Any]:
    return valid_row(fw, 1)


def test_the_force_register_maps_the_force_judged(fw: Framework, tmp_path: Path) -> None:
    register = tmp_path / "forces.csv"
    register.write_text("force,alias\nForce X,Exshire\n", encoding="utf-8")
    load = load_cases(
        [workbook(tmp_path, [["Exshire", "workloads", "", "", "Good"]])], fw, forces=register
    )
    assert [j.force for j in load.force_judgements] == ["Force X"], load.problems


# --------------------------------------------------------------------------- template


@pytest.mark.parametrize("framework", ["ncpi-2014", "ncpi-2024"])
def test_a_filled_in_template_loads_cleanly(tmp_path: Path, framework: str) -> None:
    fw = resolve_framework(framework)
    path = tmp_path / "t.xlsx"
    write_template(fw, path, force="Force X")
    book = openpyxl.load_workbook(path)
    assert "Force" in book.sheetnames
    cases, force = book["Cases"], book["Force"]
    labels = [c.value for c in cases[4]]
    for i in range(2):
        row = dict(zip(header(fw), valid_row(fw, i + 1), strict=True))
        row |= {ref.indicator.label: ref.scale.best.label for ref in fw.indicators}
        for j, label in enumerate(labels, start=1):
            if label in row and row[label] != "":
                cases.cell(5 + i, j, row[label])
    head = [c.value for c in force[4]]
    assert head == LABELS
    topics = [force.cell(r, 2).value for r in range(5, 5 + len(fw.force_topics))]
    assert topics == [t.id for t in fw.force_topics]
    grades = [
        r.label for r in fw.scale_by_id[fw.force_topics[0].scale or fw.default_scale].responses
    ]
    force.cell(5, 4, grades[0])
    force.cell(5, 5, grades[-1])
    force.cell(5, 6, "INT-01")
    book.save(path)
    load = load_cases([path], fw)
    assert load.ok and not [p for p in load.problems if p.severity != "note"], load.problems
    (judged,) = load.force_judgements
    scale = fw.scale_by_id[fw.force_topics[0].scale or fw.default_scale]
    assert (judged.force, judged.topic) == ("Force X", fw.force_topics[0].id)
    assert (judged.self_grade, judged.inspector_grade) == (scale.best.id, scale.worst.id)
    assert judged.evidence.interviews == "INT-01"


def test_the_template_offers_each_topics_scale(tmp_path: Path) -> None:
    fw = resolve_framework("ncpi-2014")
    path = tmp_path / "t.xlsx"
    write_template(fw, path)
    book = openpyxl.load_workbook(path)
    rules = book["Force"].data_validations.dataValidation
    cells = {str(cell) for rule in rules for cell in rule.sqref}
    assert {"D5", "E5", "D10", "E10"} <= cells
    assert all(rule.type == "list" and "Lists!" in rule.formula1 for rule in rules)
    columns = [[c.value for c in col][:4] for col in book["Lists"].iter_cols()]
    scale = ["List: Good / adequate / inadequate (topic grade) (force topics)"]
    assert [*scale, "Good", "Adequate", "Inadequate"] in columns


def test_a_framework_without_topics_has_no_force_sheet(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(resolve_framework("missing-children-checklist"), path)
    assert "Force" not in openpyxl.load_workbook(path).sheetnames


# --------------------------------------------------------------------------- reports


def _three_forces(fw: Framework, folder: Path, evidence: Sequence[str] = ("INT-01",)) -> Path:
    """Three force workbooks: every topic judged, self higher than inspectors in Force
    Y; evidence cells hold ``evidence`` in turn."""
    folder.mkdir()
    grades = ["Good", "Adequate", "Inadequate"]
    for k, force in enumerate(("Force X", "Force Y", "Force Z")):
        cases = case_table(fw, 12, first=1 + 12 * k)
        for i in range(2, 14):
            set_cell(cases, i, "Force", force)
        rows = []
        for n, topic in enumerate(fw.force_topics):
            inspector = grades[(n + k) % 3]
            own = grades[max((n + k) % 3 - 1, 0)] if force == "Force Y" else inspector
            text = evidence[(n + k) % len(evidence)]
            rows.append([force, topic.id, topic.label, own, inspector, text, text, text])
        write_xlsx(folder / f"force_{k}.xlsx", {"Cases": cases, "Force": force_table(rows)})
    return folder


def test_force_report_compares_self_with_inspectors(fw: Framework, tmp_path: Path) -> None:
    result = score_cases(load_cases([_three_forces(fw, tmp_path / "c")], fw))
    prov = provenance_for(fw, result.load, {"report": "force"})
    topics = force_report(result, prov, "Force Y").force_topics
    assert topics is not None and len(topics.topics) == len(fw.force_topics)
    by_id = {t.topic: t for t in topics.topics}
    assert by_id["leadership"].agreement == "self higher"  # Good / Adequate
    assert by_id["inter_agency_work"].agreement == "same"  # Good / Good (nothing better)
    assert (topics.compared, topics.same, topics.self_higher, topics.self_lower) == (6, 2, 4, 0)
    assert by_id["leadership"].evidence is not None
    anonymised = force_report(
        result,
        prov,
        "Force Y",
        names={"Force Y": "Force A", "Force X": "Force B", "Force Z": "Force C"},
    )
    assert anonymised.force_topics is not None
    assert all(t.evidence is None for t in anonymised.force_topics.topics)
    assert anonymised.force_topics.topics == tuple(
        t.__class__(**{**t.__dict__, "evidence": None}) for t in topics.topics
    )


def test_thematic_summary_counts_forces(fw: Framework, tmp_path: Path) -> None:
    result = score_cases(load_cases([_three_forces(fw, tmp_path / "c")], fw))
    summary = thematic_report(result, provenance_for(fw, result.load, {})).force_topics
    assert summary is not None and summary.forces == 3
    lead = summary.topics[0]
    assert [g.forces for g in lead.grades] == [1, 1, 1] and lead.graded == 3
    assert (lead.compared, lead.same, lead.self_higher) == (3, 2, 1)
    assert sum(t.self_higher or 0 for t in summary.topics) == 4


def test_published_summary_withholds_topics_of_few_forces(fw: Framework, tmp_path: Path) -> None:
    load = load_cases([_three_forces(fw, tmp_path / "c")], fw)
    two = [j for j in load.force_judgements if j.force != "Force Z" or j.topic != "workloads"]
    two = [j for j in two if not (j.topic == "workloads" and j.force == "Force Y")]
    shown = published_summary(topics_summary(fw, two))
    assert shown is not None and shown.published_minimum == 3
    workloads = next(t for t in shown.topics if t.topic == "workloads")
    assert workloads.withheld and {g.forces for g in workloads.grades} == {None}
    assert workloads.same is None
    assert not shown.topics[0].withheld and shown.topics[0].same == 2


def _console() -> Console:
    return Console(width=100, record=True, color_system=None, file=io.StringIO())


def test_every_format_has_the_sections(fw: Framework, tmp_path: Path, cli: Cli) -> None:
    folder = _three_forces(fw, tmp_path / "c")
    text = cli("report", "force", folder, "--force", "Force Y").stdout
    assert "Force-level judgements" in text and "Force graded itself higher" in text
    assert "Force-level judgements across forces" in cli("report", "thematic", folder).stdout
    for kind, args in (("force", ("--force", "Force Y")), ("thematic", ())):
        for fmt in ("html", "xlsx", "json"):
            target = tmp_path / f"{kind}.{fmt}"
            result = cli("report", kind, folder, *args, "-o", target)
            assert result.exit_code == 0, result.stderr
        data = json.loads((tmp_path / f"{kind}.json").read_text(encoding="utf-8"))
        schema = json.loads((SCHEMAS / f"report-{kind}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(data, schema)
        html = (tmp_path / f"{kind}.html").read_text(encoding="utf-8")
        assert 'id="force-topics"' in html
        assert "Force topics" in openpyxl.load_workbook(tmp_path / f"{kind}.xlsx").sheetnames
    force_json = json.loads((tmp_path / "force.json").read_text(encoding="utf-8"))
    assert force_json["force_judgements"]["topics"][0]["evidence"]["interviews"] == "INT-01"
    thematic_json = json.loads((tmp_path / "thematic.json").read_text(encoding="utf-8"))
    assert thematic_json["force_judgements_summary"]["forces"] == 3
    sheet = openpyxl.load_workbook(tmp_path / "force.xlsx")["Force topics"]
    assert "Evidence: interviews" in [c.value for row in sheet.iter_rows() for c in row]


def test_a_report_without_force_sheets_has_no_section(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    path = write_xlsx(tmp_path / "w.xlsx", case_table(fw, 3))
    data = json.loads(cli("report", "force", path, "--force", "Force X", "--format", "json").stdout)
    assert data["force_judgements"] is None
    thematic = json.loads(cli("report", "thematic", path, "--format", "json").stdout)
    assert thematic["force_judgements_summary"] is None


# --------------------------------------------------------------------------- never published

MARK = "ZQXEVID"
PAYLOADS = tuple(f"{MARK} {t}" for t in (*FORMULA, *HTML, *MARKUP))


@pytest.fixture(scope="module")
def payload_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    fw = resolve_framework("ncpi-2014")
    return _three_forces(fw, tmp_path_factory.mktemp("p") / "c", PAYLOADS)


def _texts(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[path.name] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.is_file():
            out[path.name] = path.read_text(encoding="utf-8-sig")
    return out


def test_the_internal_force_report_shows_evidence_inert(
    cli: Cli, payload_cases: Path, tmp_path: Path
) -> None:
    """So that the absence below is not vacuous; and the payloads stay text."""
    for fmt in ("html", "xlsx", "json"):
        cli("report", "force", payload_cases, "--force", "Force X", "-o", tmp_path / f"f.{fmt}")
    texts = _texts(tmp_path)
    assert all(MARK in t for t in texts.values())
    assert "<script>alert" not in texts["f.html"]
    assert "<f>" not in texts["f.xlsx"]  # no formula cell
    anonymised = cli(
        "report", "force", payload_cases, "--force", "Force X", "--anonymise", "--format", "json"
    )
    assert MARK not in anonymised.stdout


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
def test_no_published_output_holds_evidence_or_one_forces_grades(
    cli: Cli, payload_cases: Path, tmp_path: Path, fmt: str
) -> None:
    for args in (("force", "--force", "Force Z"), ("thematic",)):
        result = cli(
            "report", *args, payload_cases, "--publish", "-o", tmp_path / f"{args[0]}.{fmt}"
        )
        assert result.exit_code == 0, result.stderr
    result = cli("report", "publish", payload_cases, "-o", tmp_path / "out", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    texts = _texts(tmp_path)
    assert len(texts) >= 3
    for name, text in texts.items():
        assert MARK not in text, name
        assert "Evidence:" not in text and "evidence_interviews" not in text, name
        assert "Force graded itself higher" not in text, name  # one force's agreement
    if fmt == "json":
        force = json.loads((tmp_path / "force.json").read_text(encoding="utf-8"))
        assert force["force_judgements"] is None
        thematic = json.loads((tmp_path / "thematic.json").read_text(encoding="utf-8"))
        assert thematic["force_judgements_summary"]["published_minimum"] == 3
        assert thematic["force_judgements_summary"]["topics"][0]["graded"] == 3


# --------------------------------------------------------------------------- samples and goldens


def test_the_samples_have_force_sheets(fw: Framework) -> None:
    for folder in (SAMPLES, ROOT / "sample_cases_2016"):
        load = load_cases([folder], fw)
        forces = {j.force for j in load.force_judgements}
        assert forces == {f"Force {c}" for c in "ABCDEFG"}, folder
        assert not [
            p
            for p in load.problems
            if p.code.startswith(
                (
                    "force-topic",
                    "unknown-topic",
                    "unknown-force-topic",
                    "force-sheet",
                    "force-column",
                    "duplicate-force",
                )
            )
        ]


def test_terminal_force_topics_golden(sample_scored: Any, fixed_provenance: Any) -> None:
    report = force_report(sample_scored, fixed_provenance, "Force C")
    console = _console()
    print_force_topics(console, report.force_topics)
    assert_golden("force_topics.txt", console.export_text())


def test_terminal_force_topics_summary_golden(sample_scored: Any, fixed_provenance: Any) -> None:
    report = thematic_report(sample_scored, fixed_provenance)
    console = _console()
    print_topics_summary(console, report.force_topics)
    print_topics_summary(console, published_summary(report.force_topics))
    assert_golden("force_topics_summary.txt", console.export_text())


def test_an_error_refuses_the_report_unless_allow_partial(
    fw: Framework, tmp_path: Path, cli: Cli
) -> None:
    path = workbook(tmp_path, [["Force X", "leadership", "", "Good", "Bad"], JUDGED[2]])
    refused = cli("report", "force", path, "--force", "Force X", "--format", "json")
    assert refused.exit_code == 1 and "unknown-topic-grade" not in refused.stdout
    result = cli(
        "report", "force", path, "--force", "Force X", "--format", "json", "--allow-partial"
    )
    data = json.loads(result.stdout)
    (left,) = data["provenance"]["left_out"]
    assert (left["sheet"], left["row"], left["code"]) == ("Force", 2, "unknown-topic-grade")
    graded = {t["topic"]: t["inspector_grade"] for t in data["force_judgements"]["topics"]}
    assert graded["workloads"] == "inadequate" and graded["leadership"] is None


def test_an_excel_error_in_a_grade_is_an_error(fw: Framework, tmp_path: Path) -> None:
    sheets = {
        "Force": force_table([["Force X", "leadership", "", "Good", ""]]),
        "Cases": case_table(fw, 2),
    }
    path = write_xlsx(tmp_path / "w.xlsx", sheets, errors={"E2": "#N/A"})
    load = load_cases([path], fw)
    (p,) = problems(load, "excel-error")
    assert (p.sheet, p.row, p.column) == ("Force", 2, "E") and not load.force_judgements
