"""Every kind of HTML report passes axe-core's WCAG 2.2 AA rules in headless chromium.

axe-core comes from npm, pinned in tests/axe/ (`npm ci --prefix tests/axe`); the test is
skipped without it or without chromium, except on CI (CI=true), where both must be there.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from tests.helpers.browser import CSP_META, axe_check, axe_js, chromium, describe, with_axe

from .conftest import SAMPLES

ROUND_2 = SAMPLES.parent / "sample_cases_2016"
PUBLISH = ("--publish", "--suppress-below", "11")

# The recommendations register adds a section to the force reports and the trend's
# re-inspection view; each page is checked with it (the rest of the page is the same).
REGISTER = ("--recommendations", SAMPLES / "recommendations.yaml")

# Every HTML page the tool writes: internal and published reports, moderation, trend.
PAGES: dict[str, tuple[str | Path, ...]] = {
    "thematic": ("report", "thematic", SAMPLES),
    "force": ("report", "force", SAMPLES, "--force", "Force C", *REGISTER),
    "thematic-published": ("report", "thematic", SAMPLES, *PUBLISH),
    "force-published": ("report", "force", SAMPLES, "--force", "Force C", *PUBLISH, *REGISTER),
    "moderate": ("moderate", SAMPLES),
    "trend": ("trend", f"2014={SAMPLES}", f"2016={ROUND_2}", *REGISTER),
    "examples": ("examples", SAMPLES),
    "examples-published": ("examples", SAMPLES, "--publish"),
}

# A page that breaks two rules: an image without alt text, and text at 1.5:1 contrast
# (#999 on #bbb), under the same Content-Security-Policy as the reports.
BROKEN = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:">
<title>Broken on purpose</title>
</head>
<body>
<main>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
<p style="color: #999; background: #bbb">Hard to read</p>
</main>
</body>
</html>
"""


def _violations(page: str, tmp_path: Path) -> list[dict[str, Any]]:
    browser, axe = chromium(), axe_js()
    test_copy = tmp_path / "with-axe.html"
    test_copy.write_text(with_axe(page, axe), encoding="utf-8")
    outcome = axe_check(browser, tmp_path / "profile", test_copy)
    # axe really ran its rules on the page: contrast is checked on every report.
    assert "color-contrast" in outcome["passes"] + [v["id"] for v in outcome["violations"]]
    violations: list[dict[str, Any]] = outcome["violations"]
    return violations


@pytest.mark.parametrize("kind", PAGES)
def test_html_report_has_no_wcag_violations(
    kind: str, cli: Callable[..., Result], tmp_path: Path
) -> None:
    target = tmp_path / f"{kind}.html"
    result = cli(*PAGES[kind], "-o", target)
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    if REGISTER[0] in PAGES[kind]:  # the register's section is on the page checked
        assert 'id="recommendations"' in page or 'id="reinspection"' in page, kind
    violations = _violations(page, tmp_path)
    assert not violations, f"axe-core found in the {kind} report:\n{describe(violations)}"


def test_the_all_forces_index_has_no_wcag_violations(
    cli: Callable[..., Result], tmp_path: Path
) -> None:
    folder = tmp_path / "all"
    result = cli("report", "force", SAMPLES, "--all-forces", "-o", folder)
    assert result.exit_code == 0, result.stderr
    violations = _violations((folder / "index.html").read_text(encoding="utf-8"), tmp_path)
    assert not violations, f"axe-core found in the index:\n{describe(violations)}"


def test_a_broken_page_fails_the_check(tmp_path: Path) -> None:
    violations = _violations(BROKEN, tmp_path)
    assert {v["id"] for v in violations} >= {"image-alt", "color-contrast"}
    text = describe(violations)
    assert "image-alt" in text and "img" in text and "1.48" in text  # rule, element, ratio


def test_the_test_copy_drops_only_the_policy_and_adds_axe() -> None:
    copy = with_axe(BROKEN, "/* axe */")
    assert "Content-Security-Policy" not in copy
    assert "<script>/* axe */</script>" in copy and "axe.run(document" in copy
    added = copy[copy.index("<script>") : copy.index("</body>")]
    assert copy.replace(added, "") == CSP_META.sub("", BROKEN)  # nothing else changed
    with pytest.raises(AssertionError, match="exactly one Content-Security-Policy"):
        with_axe(copy, "/* axe */")
