"""The thematic page in a real browser: headless chromium renders it, the payload stays text.

Skipped when chromium is not installed, except on CI (CI=true), where it must be.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from inspect_cli.aggregate import ThematicReport
from inspect_cli.render.html import render_thematic_html

PAYLOAD = '<script>alert(1)</script>" onmouseover="x'
TIMEOUT = 120
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "chromium is not installed (apt-get install chromium) so the browser test cannot run"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must install it")
    pytest.skip(message)


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def page(thematic: ThematicReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    forces = list(thematic.forces)
    forces[1] = replace(forces[1], label=PAYLOAD)  # Force B
    path = tmp_path_factory.mktemp("browser") / "thematic.html"
    path.write_text(render_thematic_html(replace(thematic, forces=tuple(forces))), encoding="utf-8")
    return path


def test_browser_renders_the_table_and_keeps_the_payload_as_text(
    page: Path, tmp_path: Path
) -> None:
    browser = _chromium()
    result = _run(browser, tmp_path / "profile", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    for text in ("Force C", "24 (21%)", "57 (50%)", "Total", "177 (31%)", "Not recorded"):
        assert text in dom, text
    assert "<script>alert" not in dom
    assert "<script" not in dom.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # the payload, shown as text


def test_browser_screenshot(page: Path, tmp_path: Path) -> None:
    browser = _chromium()
    shot = tmp_path / "thematic.png"
    result = _run(
        browser,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert shot.exists(), result.stderr[-2000:]
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert shot.stat().st_size > 10_000
