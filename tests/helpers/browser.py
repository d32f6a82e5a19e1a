"""Shared by several test modules (moved from tests/test_browser.py)."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "chromium is not installed (apt-get install chromium) so the browser test cannot run"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}; CI must install it")
    pytest.skip(message)


def run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [browser, *FLAGS, f"--user-data-dir={profile}", *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
        stdin=subprocess.DEVNULL,
    )


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


# --- axe-core (tests/test_accessibility.py) ---------------------------------------------

AXE_DIR = Path(__file__).resolve().parents[1] / "axe"  # package.json + package-lock.json
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
AXE_RESULT_ID = "inspect-axe-result"
CSP_META = re.compile(r'<meta http-equiv="Content-Security-Policy"[^>]*>')

# Runs once axe-core has loaded; writes what axe found into the DOM, which --dump-dom
# prints. An error inside axe is written too, so it fails the test rather than hiding.
_RUNNER = """
function inspectAxeOut(result) {
  var out = document.createElement('pre');
  out.id = 'RESULT_ID';
  out.textContent = JSON.stringify(result);
  document.body.appendChild(out);
}
axe.run(document, {runOnly: {type: 'tag', values: TAGS}}).then(
  function (r) {
    inspectAxeOut({
      violations: r.violations,
      passes: r.passes.map(function (rule) { return rule.id; })
    });
  },
  function (e) { inspectAxeOut({error: String(e)}); }
);
""".replace("RESULT_ID", AXE_RESULT_ID).replace("TAGS", json.dumps(list(AXE_TAGS)))


def axe_js() -> str:
    """axe.min.js: $INSPECT_AXE_JS, else what `npm ci --prefix tests/axe` installed, and
    of the version pinned there. Missing: skipped, except on CI (CI=true), where it fails."""
    pinned = json.loads((AXE_DIR / "package.json").read_text(encoding="utf-8"))
    version = pinned["dependencies"]["axe-core"]
    path = Path(os.environ.get("INSPECT_AXE_JS") or AXE_DIR / "node_modules/axe-core/axe.min.js")
    if not path.is_file():
        message = f"axe-core is not installed ({path} is missing; run `npm ci --prefix tests/axe`)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}; CI must install it")
        pytest.skip(message)
    text = path.read_text(encoding="utf-8")
    if not text.startswith(f"/*! axe v{version}\n"):
        pytest.fail(f"{path} is not axe-core {version}, the version pinned in {AXE_DIR}")
    # Inlined into a <script> element, so it must not contain the element's end tag.
    assert "</script" not in text.lower(), path
    return text


def with_axe(page: str, axe: str) -> str:
    """A test copy of a report: its Content-Security-Policy (which forbids every script)
    removed, and axe-core with the runner added at the end of the body."""
    page, removed = CSP_META.subn("", page)
    assert removed == 1, "the page should carry exactly one Content-Security-Policy"
    assert page.count("</body>") == 1
    scripts = f"<script>{axe}</script>\n<script>{_RUNNER}</script>\n"
    return page.replace("</body>", scripts + "</body>")


def axe_check(browser: str, profile: Path, page: Path) -> dict[str, Any]:
    """axe-core's result for a page made by with_axe: its violations and the ids of the
    rules that passed. One chromium process; virtual time lets axe's async run finish
    before the DOM is dumped."""
    result = run(
        browser,
        profile,
        "--window-size=1280,1024",
        "--virtual-time-budget=30000",
        "--dump-dom",
        page.as_uri(),
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found = re.search(rf'<pre id="{AXE_RESULT_ID}">(.*?)</pre>', result.stdout, re.S)
    assert found, f"axe-core wrote no result: {result.stderr[-2000:]}"
    outcome: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    assert "error" not in outcome, outcome
    return outcome


def describe(violations: list[dict[str, Any]]) -> str:
    """Each violation's rule, help text and failing elements, for the assertion message."""
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}): {rule['help']} [{rule['helpUrl']}]")
        for node in rule["nodes"]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(map(str, node['target']))}: {summary}")
    return "\n".join(lines)
