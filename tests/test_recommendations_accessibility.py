"""The pages with recommendations (the force report's section, the trend's re-inspection
view, and the published force report's list) pass axe-core's WCAG 2.2 AA rules, as
every other page does (tests/test_accessibility.py: skipped without axe-core or
chromium, except on CI)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from tests.helpers.browser import axe_check, axe_js, chromium, describe, with_axe

from .conftest import SAMPLES

REGISTER = ("--recommendations", SAMPLES / "recommendations.yaml")
PAGES: dict[str, tuple[str | Path, ...]] = {
    "force": ("report", "force", SAMPLES, "--force", "Force C", *REGISTER),
    "force-published": ("report", "force", SAMPLES, "--force", "Force C", "--publish", *REGISTER),
    "trend": (
        "trend",
        f"2014={SAMPLES}",
        f"2016={SAMPLES.parent / 'sample_cases_2016'}",
        *REGISTER,
    ),
}


@pytest.mark.parametrize("kind", PAGES)
def test_recommendation_pages_have_no_wcag_violations(
    kind: str, cli: Callable[..., Result], tmp_path: Path
) -> None:
    browser, axe = chromium(), axe_js()
    target = tmp_path / f"{kind}.html"
    result = cli(*PAGES[kind], "-o", target)
    assert result.exit_code == 0, result.stderr
    assert 'id="recommendations"' in target.read_text(encoding="utf-8") or kind == "trend"
    copy = tmp_path / "with-axe.html"
    copy.write_text(with_axe(target.read_text(encoding="utf-8"), axe), encoding="utf-8")
    outcome = axe_check(browser, tmp_path / "profile", copy)
    assert "color-contrast" in outcome["passes"] + [v["id"] for v in outcome["violations"]]
    assert not outcome["violations"], describe(outcome["violations"])
