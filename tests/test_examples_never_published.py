"""No case example's text, clearance or column ever reaches another report: published
(report thematic / force --publish, report publish) in every format, nor the internal
reports. Every case of three forces carries a cleared, marked vignette made of the
hostile payloads, so any trace of one in an output is found."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from inspect_cli.frameworks import Framework

from .helpers.builders import add_example_columns, case_table, set_cell, write_csv
from .helpers.payloads import FORMULA, HTML, MARKUP

Cli = Callable[..., Result]
MARK = "ZQXVIGNETTE"
SIGNED = "QZXCLEARER"


def _payload_forces(fw: Framework, folder: Path) -> Path:
    texts = [f"{MARK} {t}" for t in (*FORMULA, *HTML, *MARKUP)]
    folder.mkdir()
    for k, force in enumerate(("Force X", "Force Y", "Force Z")):
        table = add_example_columns(case_table(fw, 12, first=1 + 12 * k))
        for i in range(2, 14):
            set_cell(table, i, "Force", force)
            for label, value in (
                ("Example", "concern" if i % 2 else "effective practice"),
                ("Example text", texts[i % len(texts)]),
                ("Example stage", "Investigation"),
                ("Example status", "cleared"),
                ("Example cleared by", SIGNED),
            ):
                set_cell(table, i, label, value)
        write_csv(folder / f"force_{k}.csv", table)
    return folder


FORBIDDEN = (
    MARK,
    SIGNED,
    "Example text",
    "example_text",
    "Example status",
    "example_status",
    "effective practice",
    "cleared",
    "vignette",
)


def _texts(folder: Path) -> dict[str, str]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                out[path.name] = "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
        elif path.is_file():
            out[path.name] = path.read_text(encoding="utf-8-sig")
    return out


def _no_example_in(folder: Path) -> None:
    texts = _texts(folder)
    assert len(texts) >= 2
    for name, text in texts.items():
        for word in FORBIDDEN:
            assert word.casefold() not in text.casefold(), (name, word)
        if name.endswith(".json"):
            assert "examples" not in json.loads(text), name


@pytest.fixture(scope="module")
def payload_cases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from inspect_cli.frameworks import resolve_framework

    return _payload_forces(resolve_framework("ncpi-2014"), tmp_path_factory.mktemp("e") / "c")


def test_the_examples_are_there_to_leak(cli: Cli, payload_cases: Path, tmp_path: Path) -> None:
    """So that their absence below is not vacuous: every vignette is cleared and fit to
    publish, and the examples command publishes each one."""
    target = tmp_path / "published.json"
    result = cli("examples", payload_cases, "--publish", "-o", target)
    assert result.exit_code == 0, result.stderr
    data = json.loads(target.read_text(encoding="utf-8"))
    # 36 cleared, less the 9 whose payload holds a web address or an @handle (the
    # checker flags those: http://example.com/x, [link=http://x], @SUM(1,1)).
    assert data["counts"]["publishable"] == 27
    assert MARK in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
def test_report_publish_holds_no_example(
    cli: Cli, payload_cases: Path, tmp_path: Path, fmt: str
) -> None:
    result = cli("report", "publish", payload_cases, "-o", tmp_path / "out", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    _no_example_in(tmp_path / "out")


@pytest.mark.parametrize("fmt", ["json", "html", "xlsx", "csv"])
@pytest.mark.parametrize("publish", [True, False])
def test_no_report_holds_an_example(
    cli: Cli, payload_cases: Path, tmp_path: Path, fmt: str, publish: bool
) -> None:
    for args in (("force", "--force", "Force Z"), ("thematic",)):
        target = tmp_path / f"{args[0]}.{fmt}"
        extra = ["--publish"] if publish else []
        result = cli("report", *args, payload_cases, *extra, "-o", target)
        assert result.exit_code == 0, result.stderr
    _no_example_in(tmp_path)
