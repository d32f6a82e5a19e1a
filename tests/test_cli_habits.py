"""Command-line habits: global options anywhere, quiet broken pipes, completion, readable
help, `score --force`, `sample --audit-type`, terminal tables at 80 columns."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import typer.main

from inspect_cli.cli import app
from inspect_cli.cli.parsing import hoist_globals
from inspect_cli.frameworks import Framework
from tests.helpers.builders import Table, case_table, col, write_csv
from tests.helpers.cli import invoke, runner

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_cases"
GLOBALS = ("--debug", "-q", "--max-rows", "100000", "--max-columns=500")


def _commands() -> list[tuple[str, ...]]:
    """Every runnable command, as the words that name it."""
    root = typer.main.get_command(app)
    ctx = root.make_context("inspect-cli", ["--help"], resilient_parsing=True)
    paths: list[tuple[str, ...]] = []

    def walk(command: object, path: tuple[str, ...]) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands is None:
            paths.append(path)
            return
        for name, sub in subcommands.items():
            walk(sub, (*path, name))

    walk(root, ())
    del ctx
    return paths


COMMANDS = _commands()


def test_every_command_is_covered() -> None:
    assert ("report", "thematic") in COMMANDS and ("score",) in COMMANDS and len(COMMANDS) >= 12


# --------------------------------------------------------------------- global options


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_before_or_after_every_command(command: tuple[str, ...], where: str) -> None:
    args = [*GLOBALS, *command, "--help"] if where == "before" else [*command, *GLOBALS, "--help"]
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "Usage: inspect-cli " + " ".join(command) in result.output


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_limit_after_the_command_is_applied(where: str) -> None:
    limit: list[str | Path] = ["--max-rows", "5"]
    args = [*limit, "validate", SAMPLES] if where == "before" else ["validate", SAMPLES, *limit]
    result = invoke(*args)
    assert result.exit_code == 1
    assert "beyond the allowed sheet size" in result.output


def test_version_after_a_command() -> None:
    result = invoke("frameworks", "list", "--version")
    assert result.exit_code == 0 and result.stdout.startswith("inspect-cli ")


def test_hoisting_leaves_option_values_and_everything_after_double_dash() -> None:
    root = typer.main.get_command(app)
    ctx = root.make_context("inspect-cli", ["--help"], resilient_parsing=True)
    line = ["report", "thematic", "cases", "--title", "--debug", "-q", "--max-rows", "9"]
    assert hoist_globals(root, ctx, [*line, "--", "--debug"]) == [
        "-q",
        "--max-rows",
        "9",
        "report",
        "thematic",
        "cases",
        "--title",
        "--debug",
        "--",
        "--debug",
    ]
    # Before the command nothing moves; a root option's value is never a command name.
    assert hoist_globals(root, ctx, ["--max-rows", "score", "x"]) == ["--max-rows", "score", "x"]


def test_a_title_that_looks_like_a_global_option_stays_the_title() -> None:
    result = invoke("report", "thematic", SAMPLES, "--title", "--debug", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["title"] == "--debug"


# ------------------------------------------------------------------------ broken pipes


def _closed_pipe_run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the tool with stdout a pipe whose reader has already gone."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "inspect_cli", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            cwd=ROOT,
            timeout=120,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [
        ("report", "thematic", "sample_cases/"),  # a rich table
        ("score", "sample_cases/", "--format", "json"),  # JSON written directly
        ("frameworks", "show", "ncpi-2014"),
    ],
    ids=" ".join,
)
def test_a_reader_that_has_gone_ends_the_run_quietly(args: tuple[str, ...]) -> None:
    proc = _closed_pipe_run(*args)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    assert "error" not in proc.stderr.lower()


def test_head_reading_two_lines_then_closing() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "inspect_cli", "score", "sample_cases/", "--limit", "100000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = [proc.stdout.readline() for _ in range(2)]
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, stderr
    assert all(first) and "Traceback" not in stderr


def test_data_errors_still_exit_1_when_nobody_reads_stdout(tmp_path: Path, fw: Framework) -> None:
    table = case_table(fw, 2)
    table[1][col(table, "Area of practice")] = "Knitting"
    proc = _closed_pipe_run("score", str(write_csv(tmp_path / "bad.csv", table)))
    assert proc.returncode == 1 and "Knitting" in proc.stderr


# -------------------------------------------------------------------- shell completion


def test_completion_is_offered_and_completes_commands_and_options(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # typer finds the shell by walking up the process tree (shellingham), which an xdist
    # worker or a CI runner may not lead to: the shell is fixed here, as a user's is.
    monkeypatch.setattr("typer.completion._get_shell_name", lambda: "bash")
    shown = invoke("--show-completion")
    assert shown.exit_code == 0, (shown.output, shown.exception)
    assert "_INSPECT_CLI_COMPLETE" in shown.stdout
    env = {"_INSPECT_CLI_COMPLETE": "complete_bash", "COMP_CWORD": "1"}
    words = runner.invoke(app, [], prog_name="inspect-cli", env={**env, "COMP_WORDS": "x rep"})
    assert words.stdout.split() == ["report"]
    env |= {"COMP_WORDS": "x report thematic --aud", "COMP_CWORD": "3"}
    options = runner.invoke(app, [], prog_name="inspect-cli", env=env)
    assert options.stdout.split() == ["--audit-type"]


# ---------------------------------------------------------------------------- help


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda c: " ".join(c) or "root")
def test_help_metavars_are_meaningful(command: tuple[str, ...]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    usage = result.output.strip().splitlines()[0]
    assert "{" not in usage
    options = result.output.split("Options")[-1]
    assert not re.findall(r"<(?:bool|str|int|path|int range)>", options)


def test_format_and_numbers_show_their_values() -> None:
    text = invoke("report", "thematic", "--help").output
    assert "--format [table|html|xlsx|json|csv]" in re.sub(r"\s+", " ", text)
    assert re.search(r"--suppress-below\s+N", text) and re.search(r"--marking\s+TEXT", text)
    assert re.search(r"--output\s+-o\s+FILE", text)
    assert "Usage: inspect-cli report thematic [OPTIONS] INPUTS..." in text


@pytest.mark.parametrize("width", ["60", "200"])
def test_help_paragraphs_are_wrapped_by_typer(width: str) -> None:
    text = runner.invoke(app, ["moderate", "--help"], env={"COLUMNS": width}).output
    lines = [line.strip(" │") for line in text.splitlines()]
    # At 200 columns the paragraph is one line; at 60 no line is a hand-broken stub.
    if width == "200":
        assert any("reference, in one file or across files" in line for line in lines)
    else:
        assert not any(line.endswith("in one") for line in lines)
    assert max(len(line) for line in text.splitlines()) <= int(width)


# --------------------------------------------------------------------- score --force


def _two_forces(tmp_path: Path, fw: Framework) -> Path:
    table: Table = case_table(fw, 6)
    for i in range(1, 4):
        table[i][col(table, "Force")] = "Force Y"
    return write_csv(tmp_path / "two_forces.csv", table)


def test_score_force_keeps_only_that_force(tmp_path: Path, fw: Framework) -> None:
    source = _two_forces(tmp_path, fw)
    result = invoke("score", source, "--force", "  force y ", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    cases = data if isinstance(data, list) else data["cases"]  # the shape may grow a wrapper
    assert len(cases) == 3 and {c["force"] for c in cases} == {"Force Y"}


def test_score_force_unknown_is_a_usage_error(tmp_path: Path, fw: Framework) -> None:
    result = invoke("score", _two_forces(tmp_path, fw), "--force", "Force Q")
    assert result.exit_code == 2
    assert "no force 'Force Q'" in result.stderr and "Force X, Force Y" in result.stderr


def test_score_force_in_xlsx(tmp_path: Path, fw: Framework) -> None:
    target = tmp_path / "scored.xlsx"
    result = invoke("score", _two_forces(tmp_path, fw), "--force", "Force X", "-o", target)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target, read_only=True)
    values = {v for row in book.worksheets[0].iter_rows(values_only=True) for v in row}
    book.close()
    assert "Force X" in values and "Force Y" not in values


# ----------------------------------------------------------------- sample --audit-type


def _case_list(tmp_path: Path, fw: Framework) -> Path:
    table: Table = [["Case reference", "Area of practice", "Force"]]
    table += [[f"L{i:03d}", fw.areas_of_practice[0].label, "Force C"] for i in range(6)]
    return write_csv(tmp_path / "case_list.csv", table)


@pytest.mark.parametrize("given", [None, "inspector", "self-assessment"])
def test_sample_audit_type_is_written_on_every_drawn_case(
    tmp_path: Path, fw: Framework, given: str | None
) -> None:
    target = tmp_path / "sample.xlsx"
    extra: list[str | Path] = ["--audit-type", given] if given else []
    args: list[str | Path] = ["sample", _case_list(tmp_path, fw), "--total", "4", "--seed", "7"]
    args += ["-o", target]
    result = invoke(*args, *extra)
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target, read_only=True)
    rows = [r for r in book["Cases"].iter_rows(values_only=True)]
    book.close()
    header_at = next(i for i, r in enumerate(rows) if "Audit type" in r)
    column = rows[header_at].index("Audit type")
    written = [r[column] for r in rows[header_at + 1 :] if r[0]]
    assert written == [given or "self-assessment"] * 4


def test_sample_audit_type_rejects_all(tmp_path: Path, fw: Framework) -> None:
    result = invoke(
        "sample", _case_list(tmp_path, fw), "--total", "2", "--seed", "1", "--audit-type", "all"
    )
    assert result.exit_code == 2


# -------------------------------------------------------------- 43 forces, 80 columns


def test_43_forces_at_80_columns_fit_and_nothing_is_cut(tmp_path: Path, fw: Framework) -> None:
    names = [f"Force {i:02d} Police" for i in range(1, 44)]
    table: Table = case_table(fw, 2 * len(names))
    for i, name in enumerate(names * 2, start=1):
        table[i][col(table, "Force")] = name
    source = write_csv(tmp_path / "forces.csv", table)
    result = runner.invoke(app, ["report", "thematic", str(source)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    start = next(i for i, line in enumerate(lines) if line.startswith("Share of applicable"))
    stage_lines = lines[start:]
    for name in names:
        row = next(line for line in stage_lines if name in line)
        assert len(re.findall(r"\d+%|–", row)) == len(fw.stages), row
    for number, stage in enumerate(fw.stages, start=1):
        assert f"{number}  {stage.label}" in result.stdout


def test_a_few_forces_on_a_wide_terminal_keep_forces_as_columns() -> None:
    result = invoke("report", "thematic", SAMPLES)
    header = next(line for line in result.stdout.splitlines() if "Stage" in line)
    assert re.search(r"B\s.*C\s.*Total", header)


@pytest.mark.parametrize("width", ["80", "200"])
def test_frameworks_show_keeps_every_indicator_label_whole(fw: Framework, width: str) -> None:
    """The label is the column a reader needs: never cut or wrapped at 80 columns."""
    result = runner.invoke(app, ["frameworks", "show", fw.id], env={"COLUMNS": width})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= int(width) and "…" not in result.stdout
    for stage in fw.stages:
        for ind in stage.indicators:
            assert any(ind.label in line for line in lines), ind.label
            assert any(f"{stage.id}.{ind.id}" in line for line in lines)


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["report", "thematic"], "INPUTS..."),
        (["trend"], "ROUNDS..."),
        (["sample"], "INPUTS..."),
        (["frameworks", "check"], "FILE"),
    ],
)
def test_arguments_show_a_name_not_a_python_type(command: list[str], name: str) -> None:
    text = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "100"}).output
    assert f"[OPTIONS] {name}" in text and name in text.split("Arguments")[1]
    assert "<list" not in text and "Path]" not in text and "<" not in text.split("Arguments")[1]
