"""Referrals back (issue 15, item 1): the case-sheet columns, their problems, the
template, ``inspect-cli referrals`` in every format, the internal force report's
counts, and that nothing about a referral reaches a published output."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from rich.console import Console
from typer.testing import Result

from inspect_cli.frameworks import Framework
from inspect_cli.load import load_cases
from inspect_cli.provenance import provenance_for
from inspect_cli.render.text.referrals import print_referrals
from inspect_cli.reports.referrals import ReferralsReport, build_referrals
from inspect_cli.score import score_cases

from .conftest import ROOT, SAMPLES
from .helpers.builders import (
    Table,
    add_referral_columns,
    case_table,
    letter,
    set_cell,
    write_csv,
    write_xlsx,
)
from .helpers.golden import assert_golden
from .helpers.payloads import FORMULA, HTML, MARKUP

Cli = Callable[..., Result]
AS_OF = "2015-01-31"


def referred(fw: Framework, n: int = 5) -> Table:
    """``n`` cases: C0001 not referred back; C0002 to C0005 referred back, two answered
    and two outstanding."""
    table = add_referral_columns(case_table(fw, n))
    rows = {
        3: ("yes", "2014-06-10", "DI Public protection", "Child at risk now", "2014-06-20", "Seen"),
        4: ("Y", "2014-05-01", "Duty inspector", "outstanding", "", ""),
        5: ("yes", "2014-07-01", "", "Other", "", ""),
        6: ("TRUE", "01/04/2014", "Hub", "not_referred_csc", "2014-04-30", "Referred"),
    }
    labels = (
        "Referred back",
        "Referred on",
        "Referred to",
        "Referral reason",
        "Force response on",
        "Force action",
    )
    for row, values in rows.items():
        for label, value in zip(labels, values, strict=True):
            set_cell(table, row, label, value)
    set_cell(table, 2, "Referred back", "no")
    return table


def report_of(path: Path, fw: Framework, as_of: str = AS_OF, **kw: Any) -> ReferralsReport:
    load = load_cases([path], fw)
    assert load.ok, [p.message for p in load.errors]
    result = score_cases(load)
    provenance = provenance_for(fw, load, {"report": "referrals"})
    return build_referrals(result, provenance, as_of=dt.date.fromisoformat(as_of), **kw)


def problems_of(path: Path, fw: Framework) -> list[Any]:
    return [p for p in load_cases([path], fw).problems if p.severity == "error"]


# --------------------------------------------------------------------------- loading


def test_referral_columns_load_typed(fw: Framework, tmp_path: Path) -> None:
    load = load_cases([write_xlsx(tmp_path / "r.xlsx", referred(fw))], fw)
    assert load.ok
    cases = load.cases.set_index("case_ref")
    assert cases.loc["C0002", "referred_back"] == "yes"
    assert cases.loc["C0003", "referred_back"] == "yes"  # 'Y'
    assert str(cases.loc["C0005", "referred_on"])[:10] == "2014-04-01"  # day first
    assert cases.loc["C0003", "referral_reason"] == "investigation_outstanding"  # an alias
    assert cases.loc["C0005", "referral_reason"] == "not_referred_csc"  # an id
    assert cases.loc["C0001", "referred_back"] == "no"


def test_a_sheet_without_referral_columns_loads_as_before(fw: Framework, tmp_path: Path) -> None:
    table = add_referral_columns(case_table(fw, 2))
    for label in ("Referred back", "Referred on", "Referral reason", "Force response on"):
        j = table[0].index(label)
        for row in table:
            del row[j]
    load = load_cases([write_csv(tmp_path / "r.csv", table)], fw)
    assert load.ok and len(load.cases) == 2


@pytest.mark.parametrize(
    ("cells", "code", "column"),
    [
        (
            {"Referral reason": "Tom Smith at 4 Hill Rd"},
            "unknown-referral-reason",
            "Referral reason",
        ),
        ({"Referred back": "unknown"}, "invalid-value", "Referred back"),
        (
            {"Referred back": "no", "Referred on": "2014-06-01"},
            "referred-on-not-referred",
            "Referred on",
        ),
        ({"Referred on": "2014-06-01"}, "referred-on-not-referred", "Referred on"),
        ({"Referred back": "yes"}, "referral-date-missing", "Referred back"),
        (
            {
                "Referred back": "yes",
                "Referred on": "2014-06-10",
                "Force response on": "2014-06-09",
            },
            "response-before-referral",
            "Force response on",
        ),
    ],
)
def test_each_referral_problem_is_located(
    fw: Framework, tmp_path: Path, cells: dict[str, str], code: str, column: str
) -> None:
    table = add_referral_columns(case_table(fw, 3))
    for label, value in cells.items():
        set_cell(table, 3, label, value)
    errors = problems_of(write_xlsx(tmp_path / "r.xlsx", table), fw)
    assert [(p.code, p.file, p.sheet, p.row, p.column) for p in errors] == [
        (code, "r.xlsx", "Cases", 3, letter(table, column))
    ]
    message = errors[0].message
    assert "Tom Smith" not in message and "2014-06" not in message  # never echoed


def test_a_referral_without_its_date_column(fw: Framework, tmp_path: Path) -> None:
    table = set_cell(add_referral_columns(case_table(fw, 2)), 2, "Referred back", "yes")
    j = table[0].index("Referred on")
    for row in table:
        del row[j]
    errors = problems_of(write_csv(tmp_path / "r.csv", table), fw)
    assert [(p.code, p.row) for p in errors] == [("referral-date-missing", 2)]
    assert "no 'Referred on' column" in errors[0].message


def test_a_framework_without_reasons_accepts_none(fw: Framework, tmp_path: Path) -> None:
    bare = fw.model_copy(update={"referral_reasons": ()})
    table = set_cell(add_referral_columns(case_table(bare, 1)), 2, "Referral reason", "Other")
    errors = problems_of(write_csv(tmp_path / "r.csv", table), bare)
    assert [p.code for p in errors] == ["unknown-referral-reason"]
    assert "the framework lists none" in errors[0].message


def test_two_reasons_sharing_a_spelling_are_refused(fw: Framework) -> None:
    from inspect_cli.frameworks import ReferralReason, check_references

    twice = (*fw.referral_reasons, ReferralReason(id="again", label="Other"))
    found = check_references(fw.model_copy(update={"referral_reasons": twice}))
    assert any("referral reason word" in message for _, message in found)


# --------------------------------------------------------------------------- template


def test_template_has_the_referral_columns_with_drop_downs(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "audit.xlsx"
    assert cli("template", "ncpi-2014", "-o", target).exit_code == 0
    ws = openpyxl.load_workbook(target)["Cases"]
    headers = {c.value: c.column_letter for c in ws[4] if c.value}
    rules = {str(v.sqref).split(":")[0][:-1]: v for v in ws.data_validations.dataValidation}
    lists = openpyxl.load_workbook(target)["Lists"]
    listed = {lists.cell(1, j).value: j for j in range(1, lists.max_column + 1)}
    for label, kind in (
        ("Referred back", "list"),
        ("Referral reason", "list"),
        ("Referred on", "date"),
        ("Force response on", "date"),
    ):
        assert rules[headers[label]].type == kind, label
    reasons = [lists.cell(i, listed["List: referral reasons"]).value for i in range(2, 7)]
    assert reasons[0] == "Child at risk now" and "Other" in reasons
    yes_no = [lists.cell(i, listed["List: yes/no"]).value for i in range(2, 5)]
    assert yes_no == ["yes", "no", None]


# --------------------------------------------------------------------------- the report


def test_order_days_and_status(fw: Framework, tmp_path: Path) -> None:
    r = report_of(write_xlsx(tmp_path / "r.xlsx", referred(fw)), fw)
    got = [(x.case_ref, x.outstanding, x.days_waiting) for x in r.referrals]
    # outstanding first, oldest first; then answered, oldest first
    assert got == [
        ("C0003", True, (dt.date(2015, 1, 31) - dt.date(2014, 5, 1)).days),
        ("C0004", True, (dt.date(2015, 1, 31) - dt.date(2014, 7, 1)).days),
        ("C0005", False, 29),
        ("C0002", False, 10),
    ]
    assert (len(r.referrals), r.outstanding, r.answered) == (4, 2, 2)
    assert r.referrals[0].reason == "Investigation outstanding" and r.meta.marking


def test_as_of_before_a_response_or_a_referral(fw: Framework, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", referred(fw))
    r = report_of(path, fw, as_of="2014-06-15")
    by_ref = {x.case_ref: x for x in r.referrals}
    assert by_ref["C0002"].outstanding and by_ref["C0002"].days_waiting == 5  # answered on 20th
    assert by_ref["C0004"].days_waiting is None  # referred on 1 July, after the as-of date
    assert any("after the as-of date" in note for note in r.meta.notes)


def test_force_filter_and_unknown_force(fw: Framework, tmp_path: Path, cli: Cli) -> None:
    table = referred(fw)
    set_cell(table, 3, "Force", "Force Y")
    path = write_xlsx(tmp_path / "r.xlsx", table)
    r = report_of(path, fw, force="force y")
    assert r.force == "Force Y" and [x.case_ref for x in r.referrals] == ["C0002"]
    result = cli("referrals", path, "--force", "Force Q")
    assert result.exit_code == 2 and "Force Q" in result.stderr


def _run(cli: Cli, *args: object) -> Result:
    result = cli("referrals", *args)
    assert result.exit_code == 0, result.stderr
    return result


def test_every_format(fw: Framework, tmp_path: Path, cli: Cli) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", referred(fw))
    table = _run(cli, path, "--as-of", AS_OF).stdout
    assert table.startswith("OFFICIAL-SENSITIVE") and "C0003" in table
    assert table.index("C0003") < table.index("C0002")  # outstanding first
    data = json.loads(_run(cli, path, "--as-of", AS_OF, "--format", "json").stdout)
    assert data["marking"] == "OFFICIAL-SENSITIVE" and data["as_of"] == AS_OF
    assert [x["case_ref"] for x in data["referrals"]] == ["C0003", "C0004", "C0005", "C0002"]
    assert (data["referred_back"], data["outstanding"]) == (4, 2)
    _run(cli, path, "--as-of", AS_OF, "-o", tmp_path / "r.csv")
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "# OFFICIAL-SENSITIVE" and lines[1].startswith("status,force,case_ref")
    rows = list(csv.DictReader(io.StringIO("\n".join(lines[1:]))))
    assert [r["case_ref"] for r in rows] == ["C0003", "C0004", "C0005", "C0002"]
    assert rows[2]["days_waiting"] == "29" and rows[0]["status"] == "outstanding"
    _run(cli, path, "--as-of", AS_OF, "-o", tmp_path / "r.xlsx.out.xlsx")
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx.out.xlsx")
    ws = wb["Referrals"]
    assert (
        ws["A1"].value == "OFFICIAL-SENSITIVE" and "OFFICIAL-SENSITIVE" in ws.oddHeader.center.text
    )
    assert [c.value for c in ws[4]][:3] == ["Status", "Force", "Case reference"]
    assert ws["C5"].value == "C0003" and ws["E5"].is_date and ws["J5"].value == 275
    assert ws.page_setup.orientation == "landscape" and wb.sheetnames == ["Referrals", "Provenance"]


def test_marking_none_and_publish_refused(fw: Framework, tmp_path: Path, cli: Cli) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", referred(fw))
    data = json.loads(_run(cli, path, "--format", "json", "--marking", "none").stdout)
    assert data["marking"] is None
    refused = cli("referrals", path, "--publish", "-o", tmp_path / "p.json")
    assert refused.exit_code == 2 and "--publish" in refused.stderr
    assert not (tmp_path / "p.json").exists()
    bad = cli("referrals", path, "--as-of", "31/01/2015")
    assert bad.exit_code == 2 and "not a date" in bad.stderr
    assert cli("referrals", path, "--format", "csv").exit_code == 2  # csv needs -o


def test_payloads_stay_inert(fw: Framework, tmp_path: Path, cli: Cli) -> None:
    texts = [*FORMULA, *HTML, *MARKUP]
    table = add_referral_columns(case_table(fw, len(texts)))
    for i, text in enumerate(texts, start=2):
        for label, value in (
            ("Referred back", "yes"),
            ("Referred on", "2014-06-01"),
            ("Referred to", text),
            ("Force action", text),
            ("Force response on", "2014-06-02"),
        ):
            set_cell(table, i, label, value)
    path = write_csv(tmp_path / "p.csv", table)  # a CSV keeps '=1+1' as text
    wide = io.StringIO()
    print_referrals(Console(width=400, file=wide, color_system=None), report_of(path, fw), limit=0)
    assert all(text.strip() in wide.getvalue() for text in MARKUP)
    _run(cli, path, "--as-of", AS_OF, "-o", tmp_path / "p.out.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "p.out.xlsx")["Referrals"]
    cells = [c for row in ws.iter_rows(min_row=5) for c in row[5:9:3] if c.value]
    assert len(cells) == 2 * len(texts) and all(c.data_type == "s" for c in cells)
    assert {"=1+1", '=HYPERLINK("http://x/?"&A1,"y")', "@SUM(1,1)"} <= {c.value for c in cells}
    _run(cli, path, "--as-of", AS_OF, "-o", tmp_path / "p.out.csv")
    body = (tmp_path / "p.out.csv").read_text(encoding="utf-8-sig")
    assert "'=1+1" in body and ",=1+1" not in body


# --------------------------------------------------------------------------- never published


MARK = "ZQXREF"


def _payload_forces(fw: Framework, folder: Path) -> Path:
    """Three forces of 12 cases; every case referred back, its referral text holding
    payloads (marked, so any trace of it in an output is found)."""
    texts = [f"{MARK} {t}" for t in (*FORMULA, *HTML, *MARKUP)]
    folder.mkdir()
    for k, force in enumerate(("Force X", "Force Y", "Force Z")):
        table = add_referral_columns(case_table(fw, 12, first=1 + 12 * k))
        for i in range(2, 14):
            set_cell(table, i, "Force", force)
            for label, value in (
                ("Referred back", "yes"),
                ("Referred on", "2014-06-01"),
                ("Referred to", texts[i % len(texts)]),
                ("Referral reason", "Child at risk now"),
                ("Force action", texts[(i + 3) % len(texts)]),
                ("Force response on", "" if i % 2 else "2014-06-05"),
            ):
                set_cell(table, i, label, value)
        write_csv(folder / f"force_{k}.csv", table)
    return folder


def _texts(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[path.name] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.is_file():
            out[path.name] = path.read_text(encoding="utf-8-sig")
    return out


FORBIDDEN = (
    MARK,
    "Referred back",
    "referred_back",
    "Referral reason",
    "Child at risk now",
    "Force response on",
    "force_response_on",
    "Force action",
    "a child found at risk now",
    "inspect-cli referrals",
)


def _no_referral_in(folder: Path) -> None:
    texts = _texts(folder)
    assert len(texts) >= 2
    for name, text in texts.items():
        for word in FORBIDDEN:
            assert word not in text, (name, word)
        if name.endswith(".json"):
            assert "referrals" not in json.loads(text), name


@pytest.fixture(scope="module")
def payload_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from inspect_cli.frameworks import resolve_framework

    return _payload_forces(resolve_framework("ncpi-2014"), tmp_path_factory.mktemp("p") / "c")


def test_the_internal_force_report_counts_referrals(cli: Cli, payload_cases: Path) -> None:
    """So that their absence from published outputs below is not vacuous."""
    result = cli("report", "force", payload_cases, "--force", "Force Z", "--format", "json")
    assert json.loads(result.stdout)["referrals"] == {"referred_back": 12, "outstanding": 6}
    table = cli("report", "force", payload_cases, "--force", "Force Z").stdout
    assert "12 of these cases; 6 with no response" in table


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
def test_report_publish_holds_no_referral(
    cli: Cli, payload_cases: Path, tmp_path: Path, fmt: str
) -> None:
    result = cli("report", "publish", payload_cases, "-o", tmp_path / "out", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    _no_referral_in(tmp_path / "out")


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
def test_a_published_report_holds_no_referral(
    cli: Cli, payload_cases: Path, tmp_path: Path, fmt: str
) -> None:
    for args in (("force", "--force", "Force Z"), ("thematic",)):
        target = tmp_path / f"{args[0]}.{fmt}"
        result = cli("report", *args, payload_cases, "--publish", "-o", target)
        assert result.exit_code == 0, result.stderr
    _no_referral_in(tmp_path)


# --------------------------------------------------------------------------- samples and goldens


def test_the_samples_have_answered_and_outstanding_referrals(cli: Cli) -> None:
    for folder, as_of in ((SAMPLES, AS_OF), (ROOT / "sample_cases_2016", "2017-01-31")):
        data = json.loads(_run(cli, folder, "--as-of", as_of, "--format", "json").stdout)
        assert 0 < data["outstanding"] < data["referred_back"], folder
        assert {x["audit_type"] for x in data["referrals"]} == {"inspector"}
        assert data["referrals"][0]["outstanding"]


def _sample_report(fw: Framework, **kw: Any) -> ReferralsReport:
    return report_of(SAMPLES, fw, **kw)


def test_terminal_referrals_golden(fw: Framework) -> None:
    console = Console(width=200, record=True, color_system=None, file=io.StringIO())
    print_referrals(console, _sample_report(fw), limit=0)
    assert_golden("referrals.txt", console.export_text())


def test_terminal_referrals_narrow_golden(fw: Framework) -> None:
    console = Console(width=80, record=True, color_system=None, file=io.StringIO())
    print_referrals(console, _sample_report(fw, force="Force C"), limit=2)
    assert_golden("referrals_narrow.txt", console.export_text())


def test_errors_refuse_unless_allow_partial(fw: Framework, tmp_path: Path, cli: Cli) -> None:
    table = set_cell(referred(fw), 2, "Referred on", "2014-06-01")  # C0001: 'no' with a date
    path = write_xlsx(tmp_path / "r.xlsx", table)
    refused = cli("referrals", path, "--format", "json")
    assert refused.exit_code == 1 and "referred-on-not-referred" not in refused.stdout
    assert "Referred on" in refused.stderr and "row 2" in refused.stderr
    data = json.loads(_run(cli, path, "--format", "json", "--allow-partial").stdout)
    assert len(data["referrals"]) == 4 and any("Left out" in n for n in data["notes"])
    assert data["provenance"]["left_out"][0]["code"] == "referred-on-not-referred"
