from __future__ import annotations

import io
import json
from pathlib import Path

from rich.console import Console

from inspect_cli.cli import app
from inspect_cli.render.contracts import dumps, force_dict, thematic_dict
from inspect_cli.render.text.report import print_force, print_thematic
from inspect_cli.reports.force import ForceReport
from inspect_cli.reports.thematic import ThematicReport
from tests.helpers.cli import runner

from .conftest import SAMPLES
from .helpers.golden import assert_golden


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_thematic_json_contract() -> None:
    code, out, err = run(
        "report", "thematic", str(SAMPLES), "--format", "json", "--grade-source", "recorded"
    )
    assert code == 0, err
    data = json.loads(out)
    force = data["forces"][0]
    for key in (
        "force",
        "recorded",
        "good",
        "adequate",
        "inadequate",
        "total",
        "good_pct",
        "adequate_pct",
        "inadequate_pct",
    ):
        assert key in force
    assert force["force"] == "Force A" and force["recorded"] is False and force["good_pct"] is None
    assert data["total"]["total"] == 576
    findings = data["findings"]
    for key in (
        "good_pct_range",
        "inadequate_pct_range",
        "forces_at_least_75pct_adequate_or_better",
        "overall_inadequate_pct",
        "serious_concern",
    ):
        assert key in findings
    assert findings["inadequate_pct_range"] == [25, 50]
    assert isinstance(findings["forces_at_least_75pct_adequate_or_better"], int)


def test_force_report_json_and_unknown_force() -> None:
    code, out, err = run("report", "force", str(SAMPLES), "--force", "force c", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert data["force"] == "Force C"
    assert {d["grade"] for d in data["distribution"]} == {"good", "adequate", "inadequate"}
    assert data["cases"] and "reason" in data["cases"][0]
    code, _, err = run("report", "force", str(SAMPLES), "--force", "Force Z")
    assert code == 2 and "Force C" in err


def test_force_a_has_no_inspector_cases_but_has_self_assessment() -> None:
    code, _, err = run("report", "force", str(SAMPLES), "--force", "Force A")
    assert code == 2 and "self-assessment" in err
    code, out, err = run(
        "report", "force", str(SAMPLES), "--force", "Force A", "--audit-type", "self-assessment"
    )
    assert code == 0, err
    assert "Force A" in out


def test_every_format_writes_a_file(tmp_path: Path) -> None:
    for kind, extra in (("thematic", []), ("force", ["--force", "Force C"])):
        for ext in ("json", "csv", "html", "xlsx"):
            target = tmp_path / f"{kind}.{ext}"
            code, _, err = run("report", kind, str(SAMPLES), *extra, "-o", str(target))
            assert code == 0, (kind, ext, err)
            assert target.stat().st_size > 200
    assert (
        (tmp_path / "thematic.csv")
        .read_text(encoding="utf-8-sig")
        .startswith("# OFFICIAL-SENSITIVE\nforce,recorded,good")  # the marking line first
    )


def test_anonymise_writes_the_key_only_where_asked(tmp_path: Path) -> None:
    key = tmp_path / "key.csv"
    target = tmp_path / "anon.json"
    code, _, err = run(
        "report", "thematic", str(SAMPLES), "--anonymise", "--key-file", str(key), "-o", str(target)
    )
    assert code == 0, err
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["anonymised"] is True
    lines = key.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "pseudonym,force" and len(lines) == 9
    mapping = dict(line.split(",") for line in lines[1:])
    assert set(mapping.values()) == {f"Force {c}" for c in "ABCDEFGH"}
    assert [f["force"] for f in data["forces"]] == sorted(mapping)
    code, _, err = run("report", "thematic", str(SAMPLES), "--key-file", str(tmp_path / "k2.csv"))
    assert code == 2


def test_report_refuses_inputs_with_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("Case reference,Force\nC1,Force X\n", encoding="utf-8")
    code, _, _ = run("report", "thematic", str(bad), "-o", str(tmp_path / "x.html"))
    assert code == 1 and not (tmp_path / "x.html").exists()


def _render(fn: object, *args: object, **kwargs: object) -> str:
    console = Console(width=120, record=True, color_system=None, file=io.StringIO())
    fn(console, *args, **kwargs)  # type: ignore[operator]
    return console.export_text()


def test_terminal_thematic_golden(thematic: ThematicReport) -> None:
    assert_golden("thematic.txt", _render(print_thematic, thematic))


def test_terminal_force_golden(force_c: ForceReport) -> None:
    assert_golden("force_c.txt", _render(print_force, force_c, limit=5))


def test_json_goldens(thematic: ThematicReport, force_c: ForceReport) -> None:
    assert_golden("thematic.json", dumps(thematic_dict(thematic)))
    assert_golden("force_c.json", dumps(force_dict(force_c)))


def test_publish_hides_small_counts_and_every_case_reference(tmp_path: Path) -> None:
    target = tmp_path / "force-f.json"
    code, _, err = run(
        "report", "force", str(SAMPLES), "--force", "Force F", "--publish", "-o", str(target)
    )
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["published"] is True and data["suppression_threshold"] == 5
    assert data["cases"] == []
    assert "F-1" not in text  # no case reference of Force F survives
    assert data["marking"] is None
    hidden = [row for b in data["breakdowns"] for row in b["rows"] if row["suppressed"]]
    assert hidden
    for row in hidden:
        for field in row["suppressed"]:
            assert row[field] is None
    for b in data["breakdowns"]:
        for row in b["rows"]:
            for grade in ("good", "adequate", "inadequate"):
                if row[grade] is not None:
                    assert row[grade] == 0 or row[grade] >= 5
    assert any("shown as 'c'" in note for note in data["notes"])


def test_internal_reports_carry_a_marking(tmp_path: Path) -> None:
    code, out, _ = run("report", "thematic", str(SAMPLES), "--format", "json")
    assert code == 0 and json.loads(out)["marking"] == "OFFICIAL-SENSITIVE"
    code, out, _ = run(
        "report", "thematic", str(SAMPLES), "--format", "json", "--marking", "OFFICIAL"
    )
    assert code == 0 and json.loads(out)["marking"] == "OFFICIAL"
    code, out, _ = run("report", "thematic", str(SAMPLES))
    assert code == 0 and out.startswith("OFFICIAL-SENSITIVE")


def test_published_thematic_suppresses_a_small_force(tmp_path: Path) -> None:
    code, out, err = run(
        "report",
        "thematic",
        str(SAMPLES),
        "--publish",
        "--suppress-below",
        "20",
        "--format",
        "json",
    )
    assert code == 0, err
    data = json.loads(out)
    force_f = next(f for f in data["forces"] if f["force"] == "Force F")
    assert force_f["suppressed"]  # 35 cases, every grade count below 20
    for f in data["forces"]:
        for grade in ("good", "adequate", "inadequate"):
            value = f[grade]
            assert value is None or value == 0 or value >= 20
