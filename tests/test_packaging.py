"""The shipped data (frameworks/, templates/) is found from a wheel as well as a checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    (built,) = out.glob("inspect_cli-*.whl")
    return built


def test_wheel_ships_frameworks_schema_and_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "inspect_cli/_data/frameworks/ncpi-2014.yaml" in names
    assert "inspect_cli/_data/frameworks/framework.schema.json" in names
    assert any(n.startswith("inspect_cli/_data/templates/") for n in names)


def test_installed_wheel_resolves_its_own_data(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    code = (
        "import inspect_cli, inspect_cli.resources as r, inspect_cli.frameworks as f;"
        "print(inspect_cli.__file__); print(r.data_dir('frameworks'));"
        "print([i.id for i in f.shipped_frameworks()])"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    module_file, data, ids = proc.stdout.splitlines()
    assert module_file.startswith(str(target))
    assert Path(data) == target / "inspect_cli" / "_data" / "frameworks"
    assert "ncpi-2014" in ids
