"""The tool never opens a network connection, whatever it is asked to do."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from inspect_cli.cli import app

from .conftest import SAMPLES


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[tuple[object, ...]]:
    attempts: list[tuple[object, ...]] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise OSError("network use is not allowed in inspect-cli")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_every_command_works_offline(no_network: list[tuple[object, ...]], tmp_path: Path) -> None:
    runner = CliRunner()
    commands = [
        ["frameworks", "show", "ncpi-2014"],
        ["template", "ncpi-2014", "-o", str(tmp_path / "t.xlsx")],
        ["validate", str(SAMPLES)],
        ["score", str(SAMPLES), "-o", str(tmp_path / "s.xlsx")],
        ["report", "thematic", str(SAMPLES), "-o", str(tmp_path / "r.html")],
        ["report", "force", str(SAMPLES), "--force", "Force C", "-o", str(tmp_path / "f.xlsx")],
        ["moderate", str(SAMPLES), "-o", str(tmp_path / "m.html")],
        [
            "trend",
            f"2014={SAMPLES}",
            f"2016={SAMPLES.parent / 'sample_cases_2016'}",
            "-o",
            str(tmp_path / "t.json"),
        ],
    ]
    for command in commands:
        result = runner.invoke(app, command)
        assert result.exit_code == 0, (command, result.stderr)
    assert no_network == []
