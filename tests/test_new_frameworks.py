"""Every shipped framework works end to end: sane rules, a template that fills in,
validates and scores, and every report and moderation output on its cases.

Runs over ``shipped_frameworks()``, so a framework added to ``frameworks/`` is covered
without touching this file. The data are synthetic and built by filling the tool's own
template with openpyxl, as an auditor would in Excel.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from inspect_cli.cli import app
from inspect_cli.frameworks import Framework, resolve_framework, shipped_frameworks
from inspect_cli.sanity import check_sanity
from inspect_cli.template import CASES_SHEET, FIRST_DATA_ROW, GUIDANCE_SHEET, HEADER_ROW
from tests.helpers.cli import runner

SHIPPED = [info.id for info in shipped_frameworks()]
FORCES = ("Force P", "Force Q")
REPORT_FORMATS = ("json", "html", "xlsx")


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_the_new_frameworks_ship() -> None:
    assert {"ncpi-2014", "ncpi-2024", "missing-children-checklist"} <= set(SHIPPED)


@pytest.fixture(scope="module", params=SHIPPED)
def fw(request: pytest.FixtureRequest) -> Framework:
    return resolve_framework(request.param)


def test_sanity_properties_hold(fw: Framework) -> None:
    assert check_sanity(fw) == []


def test_frameworks_check_and_show(fw: Framework) -> None:
    info = next(i for i in shipped_frameworks() if i.id == fw.id)
    code, out, err = run("frameworks", "check", str(info.path))
    assert code == 0 and "OK" in out, err
    code, out, err = run("frameworks", "show", fw.id)
    assert code == 0, err
    assert all(stage.label in out for stage in fw.stages)
    code, out, err = run("frameworks", "show", fw.id, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["id"] == fw.id
    assert [s["id"] for s in data["stages"]] == [s.id for s in fw.stages]
    assert [t["id"] for t in data["force_topics"]] == [t.id for t in fw.force_topics]


def test_ncpi_2024_shape() -> None:
    fw = resolve_framework("ncpi-2024")
    assert [s.id for s in fw.stages] == [
        "initial_response",
        "risk_assessment_and_referral",
        "investigation",
    ]
    assert all(4 <= len(s.indicators) <= 7 for s in fw.stages)
    assert [t.id for t in fw.force_topics] == ["leadership", "partnership_working"]
    scale = fw.scale_by_id[fw.default_scale]
    assert [r.id for r in scale.responses] == [
        "outstanding",
        "good",
        "adequate",
        "requires_improvement",
        "inadequate",
    ]
    assert scale.scores() == (100, 75, 50, 25, 0)
    assert scale.not_applicable is not None
    assert all((t.scale or fw.default_scale) == scale.id for t in fw.force_topics)
    assert {g.id: g.counts_as for g in fw.case_grades} == {
        "outstanding": "good",
        "good": "good",
        "adequate": "adequate",
        "requires_improvement": "inadequate",
        "inadequate": "inadequate",
    }
    # Area ids are kept from 2014, so samples can be compared across the two.
    assert [a.id for a in fw.areas_of_practice] == [
        a.id for a in resolve_framework("ncpi-2014").areas_of_practice
    ]
    assert str(fw.reporting.serious_concern_share) == "1/3"


# --------------------------------------------------------------------------- filled template


def _column_ids(ws: Any) -> dict[str, int]:
    """Column id → 1-based column number, from the header notes of the template."""
    out: dict[str, int] = {}
    for cell in ws[HEADER_ROW + 1]:
        match = re.match(r"Column id: (\S+)", cell.comment.text)
        assert match, cell.comment.text
        out[match.group(1)] = cell.column
    return out


def _pick(fw: Framework, pattern: str, i: int, j: int) -> str:
    """An answer label for indicator ``j`` of case ``i``: best, middle, worst or a mix."""
    ref = fw.indicators[j]
    scale = ref.scale
    if pattern == "mixed":
        if scale.not_applicable is not None and (i + j) % 5 == 0 and j % len(fw.stages) != 0:
            return scale.not_applicable.label
        return scale.responses[(i + j) % len(scale.responses)].label
    return {"best": scale.best, "middle": scale.middle, "worst": scale.worst}[pattern].label


def _rows(fw: Framework) -> list[dict[str, str]]:
    """Twelve cases per force, each audited by the force and by inspectors."""
    patterns = ("best", "middle", "worst", "mixed")
    areas = fw.areas_of_practice
    rows = []
    for f, force in enumerate(FORCES):
        for i in range(12):
            case = f * 12 + i
            base = {
                "case_ref": f"{force[-1]}-{i + 1:03d}",
                "force": force,
                "area_of_practice": areas[case % len(areas)].label,
                "child_age": str(3 + case % 14),
                "looked_after": ("yes", "no", "unknown")[case % 3],
            }
            for audit, shift in (("self-assessment", 0), ("inspector", 1)):
                # Inspectors mark some cases lower than the force did, as in the method.
                pattern = patterns[(i + (shift if i % 3 == 0 else 0)) % len(patterns)]
                row = dict(base, audit_type=audit)
                row["overall_grade"] = fw.case_grades[(i + shift) % len(fw.case_grades)].label
                for j, ref in enumerate(fw.indicators):
                    row[ref.full_id] = _pick(fw, pattern, case, j)
                rows.append(row)
    return rows


@pytest.fixture(scope="module")
def filled(fw: Framework, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The framework's template, written by the CLI and filled in with openpyxl."""
    folder = tmp_path_factory.mktemp(f"cases-{fw.id}")
    blank = folder.parent / f"blank-{fw.id}.xlsx"
    code, _, err = run("template", fw.id, "-o", str(blank))
    assert code == 0, err
    wb = openpyxl.load_workbook(blank)
    ws = wb[CASES_SHEET]
    columns = _column_ids(ws)
    for i, row in enumerate(_rows(fw)):
        for column_id, value in row.items():
            cell = ws.cell(row=FIRST_DATA_ROW + 1 + i, column=columns[column_id], value=value)
            cell.data_type = "s"
    target = folder / "audit.xlsx"
    wb.save(target)
    return target


def test_filled_template_validates_and_scores(fw: Framework, filled: Path, tmp_path: Path) -> None:
    code, out, err = run("validate", str(filled), "--framework", fw.id, "--format", "json")
    assert code == 0, out + err
    scored = tmp_path / "scored.json"
    code, _, err = run("score", str(filled), "--framework", fw.id, "-o", str(scored))
    assert code == 0, err
    text = scored.read_text(encoding="utf-8")
    assert "P-001" in text and "Q-012" in text
    for grade in ("good", "adequate", "inadequate"):
        assert f'"{grade}"' in text


@pytest.mark.parametrize("fmt", REPORT_FORMATS)
def test_reports_run_on_the_framework(
    fw: Framework, filled: Path, tmp_path: Path, fmt: str
) -> None:
    for args in (
        ("report", "thematic"),
        ("report", "force", "--force", FORCES[0]),
        ("moderate",),
    ):
        target = tmp_path / f"{'-'.join(a.replace(' ', '_') for a in args)}.{fmt}"
        code, _, err = run(*args, str(filled), "--framework", fw.id, "-o", str(target))
        assert code == 0, (args, err)
        assert target.stat().st_size > 200, args
        if fmt == "json":
            data = json.loads(target.read_text(encoding="utf-8"))
            assert data["framework"]["id"] == fw.id
            if args == ("moderate",):
                # Every case was audited by the force and by inspectors.
                assert {f["force"]: f["matched"] for f in data["forces"]} == dict.fromkeys(
                    FORCES, 12
                )


# --------------------------------------------------------------------------- force topics


def _topic_framework() -> Framework:
    fw = resolve_framework("ncpi-2024")
    assert fw.force_topics
    return fw


def test_frameworks_show_table_lists_force_topics() -> None:
    fw = _topic_framework()
    code, out, _ = run("frameworks", "show", fw.id)
    assert code == 0
    assert all(t.label in out for t in fw.force_topics)
    assert "Partnership working" in out


def test_template_guidance_lists_force_topics(tmp_path: Path) -> None:
    fw = _topic_framework()
    target = tmp_path / "t.xlsx"
    code, _, err = run("template", fw.id, "-o", str(target))
    assert code == 0, err
    ws = openpyxl.load_workbook(target)[GUIDANCE_SHEET]
    text = "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Partnership working" in text
