"""Moderation statistics against values worked out independently."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from inspect_cli.agreement import benchmark
from inspect_cli.cli import app
from inspect_cli.reports.coefficients import benchmark_words
from inspect_cli.reports.moderation import ordinal_alpha, sign_test, weighted_kappa
from tests.helpers.cli import runner

from .conftest import SAMPLES


def test_unweighted_kappa_textbook_example() -> None:
    # The classic 2×2 example (Wikipedia, "Cohen's kappa"): 50 proposals, two readers,
    # yes/yes 20, yes/no 5, no/yes 10, no/no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4.
    # With two categories linear weights change nothing, so the weighted kappa is 0.4 too.
    kappa, ci = weighted_kappa(np.array([[20, 5], [10, 15]]))
    assert kappa == pytest.approx(0.4, abs=1e-9)
    assert ci is not None and ci[0] < 0.4 < ci[1]


def test_linear_weighted_kappa_worked_by_hand() -> None:
    # Disagreement weights |i - j| / 2 on a 3×3 table of 75 cases:
    #   observed weighted disagreement  = sum(w * o) / n
    #   chance weighted disagreement    = sum(w * row_i * col_j) / n^2
    #   kappa_w = 1 - observed / chance
    table = np.array([[22, 2, 2], [3, 20, 4], [1, 5, 16]])
    n = table.sum()
    w = np.abs(np.subtract.outer(np.arange(3), np.arange(3))) / 2
    observed = (w * table).sum() / n
    chance = (w * np.outer(table.sum(1), table.sum(0))).sum() / n**2
    by_hand = 1 - observed / chance
    assert by_hand == pytest.approx(0.6926, abs=1e-4)
    kappa, _ = weighted_kappa(table)
    assert kappa == pytest.approx(by_hand, abs=5e-4)


def test_krippendorff_alpha_published_example() -> None:
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability": for two coders
    # with no missing data the ordinal alpha of perfectly agreeing ratings is 1, and
    # a reversal of two ranks lowers it below the exact agreement share.
    perfect = ordinal_alpha(np.array([0, 1, 2, 1, 0]), np.array([0, 1, 2, 1, 0]))
    assert perfect == 1.0
    mixed = ordinal_alpha(np.array([0, 1, 2, 1, 0, 2]), np.array([0, 2, 1, 1, 0, 2]))
    assert mixed is not None and 0 < mixed < 1


def test_sign_test_exact_values() -> None:
    # 7 higher, 0 lower: P(X >= 7 | n = 7, p = 1/2) = 1/128.
    assert sign_test(7, 0) == pytest.approx(1 / 128)
    # 6 higher, 4 lower: P(X >= 6 | n = 10) = (210 + 120 + 45 + 10 + 1) / 1024.
    assert sign_test(6, 4) == pytest.approx(386 / 1024)
    assert sign_test(0, 0) is None


@pytest.mark.parametrize(
    ("value", "se", "words"),
    [
        (None, 0.1, "not enough cases to say"),
        (-0.1, 0.05, "not shown to be better than chance (Landis-Koch benchmark)"),
        # 0.7 alone reads "substantial"; with SE 0.1 Gwet's benchmark says "moderate":
        # P(0.6 or more) is only 84%, P(0.4 or more) 99.9%.
        (0.7, 0.1, "at least moderate agreement (99.9% sure, Landis-Koch)"),
        (0.95, 0.02, "at least almost perfect agreement (over 99.9% sure, Landis-Koch)"),
    ],
)
def test_benchmark_words_not_read_off_the_point_estimate(
    value: float | None, se: float, words: str
) -> None:
    assert benchmark_words(benchmark(value, se)) == words


def test_moderate_json_contract_on_samples() -> None:
    result = runner.invoke(
        app, ["moderate", str(SAMPLES), "--format", "json", "--grade-source", "recorded"]
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    force = data["forces"][0]
    for key in (
        "force",
        "matched",
        "exact_agreement_pct",
        "weighted_kappa",
        "kappa_ci",
        "self_higher",
        "self_lower",
        "same",
        "confusion",
    ):
        assert key in force
    assert len(force["confusion"]) == 3 and all(len(r) == 3 for r in force["confusion"])
    overall = data["overall"]
    assert sum(map(sum, overall["confusion"])) == overall["matched"]
    assert overall["self_higher"] + overall["self_lower"] + overall["same"] == overall["matched"]
    # The sample generator marks self-assessments generously: forces grade themselves higher.
    assert overall["self_higher"] > overall["self_lower"]
    assert overall["sign_test_p"] < 0.05
    assert {u["audit_type"] for u in data["unmatched"]} == {"self-assessment", "inspector"}


def test_moderate_two_files_matched_across_files(tmp_path: Path) -> None:
    import csv

    src = (SAMPLES / "force_h.csv").read_text(encoding="utf-8-sig").splitlines()
    rows = list(csv.reader(src))
    audit = rows[0].index("Audit type")
    own = [rows[0]] + [r for r in rows[1:] if r and r[audit].lower().startswith("self")]
    insp = [rows[0]] + [r for r in rows[1:] if r and not r[audit].lower().startswith("self")]
    for name, part in (("self.csv", own), ("inspectors.csv", insp)):
        with open(tmp_path / name, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(part)
    result = runner.invoke(
        app,
        [
            "moderate",
            str(tmp_path / "self.csv"),
            str(tmp_path / "inspectors.csv"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["forces"][0]["force"] == "Force H" and data["forces"][0]["matched"] > 10


def test_moderate_terminal_and_unknown_force() -> None:
    result = runner.invoke(app, ["moderate", str(SAMPLES), "--force", "Force C"])
    assert result.exit_code == 0, result.stderr
    assert "Weighted kappa" in result.stdout and "Self-assessment (rows)" in result.stdout
    result = runner.invoke(app, ["moderate", str(SAMPLES), "--force", "Force Q"])
    assert result.exit_code == 2
