"""Agreement between raters, for any number of raters with missing ratings.

Percent agreement; Gwet's AC1 (nominal) and AC2 (weighted) and Fleiss' kappa (in
Gwet's form, which allows missing ratings), each with its standard error by Gwet's
linearisation and a 95% interval; Cohen's weighted kappa (statsmodels) for two
raters; Krippendorff's ordinal alpha (the ``krippendorff`` package); and Gwet's
benchmarking, which names the level whose cumulative membership probability first
passes 95% instead of reading a word off the point estimate.

Formulas: Gwet, *Handbook of Inter-Rater Reliability* (4th ed., 2014), ch. 2-4, as
implemented in the irrCAC package (``raw.py``, ``benchmark.py``); tests check them
against its published worked examples. Only numpy at import: scipy, statsmodels and
krippendorff load when a function needs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt

Counts = npt.NDArray[np.float64]
"""units × categories: how many raters put unit i in category k."""

LANDIS_KOCH: tuple[tuple[str, float], ...] = (
    # (level, lower bound), from the top level down; the top level ends at 1.
    ("almost perfect", 0.8),
    ("substantial", 0.6),
    ("moderate", 0.4),
    ("fair", 0.2),
    ("slight", 0.0),
    ("poor", -1.0),
)
ALTMAN: tuple[tuple[str, float], ...] = (
    ("very good", 0.8),
    ("good", 0.6),
    ("moderate", 0.4),
    ("fair", 0.2),
    ("poor", -1.0),
)
BENCHMARK_PROBABILITY = 0.95


@dataclass(frozen=True)
class Coefficient:
    """An agreement coefficient with its standard error and 95% interval."""

    name: str
    value: float | None  # None: not defined for these ratings
    se: float | None
    ci: tuple[float, float] | None
    observed: float | None  # p_a, the (weighted) observed agreement
    chance: float | None  # p_e, the agreement expected by chance
    units: int  # units rated by two or more raters


@dataclass(frozen=True)
class Benchmark:
    """Gwet's benchmark: the first level, from the top, whose cumulative membership
    probability reaches 95%."""

    scale: str
    level: str
    probability: float  # cumulative membership probability of ``level``
    cumulative: tuple[tuple[str, float], ...]  # every level, top down


def rating_counts(ratings: npt.ArrayLike, q: int) -> Counts:
    """units × raters category codes (0 to q-1; negative or NaN for missing) →
    units × categories counts."""
    codes = np.asarray(ratings, dtype=float)
    if codes.ndim != 2:
        raise ValueError("ratings must be units × raters")
    valid = ~np.isnan(codes) & (codes >= 0)
    counts = np.zeros((codes.shape[0], q))
    for k in range(q):
        counts[:, k] = (valid & (codes == k)).sum(axis=1)
    return counts


def identity_weights(q: int) -> npt.NDArray[np.float64]:
    return np.eye(q)


def linear_weights(q: int) -> npt.NDArray[np.float64]:
    """w_kl = 1 - |k - l| / (q - 1): a two-grade disagreement counts twice a one-grade one."""
    k = np.arange(q)
    return np.asarray(1 - np.abs(k[:, None] - k[None, :]) / max(q - 1, 1), dtype=float)


def percent_agreement(counts: Counts) -> float | None:
    """Share of agreeing rater pairs, averaged over units rated by two or more."""
    pa, _, _ = _observed(np.asarray(counts, dtype=float), identity_weights(counts.shape[1]))
    return pa


def _observed(
    counts: Counts, weights: npt.NDArray[np.float64]
) -> tuple[float | None, npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """p_a, each unit's p_a (0 where fewer than two ratings), and which units count."""
    r = counts.sum(axis=1)
    weighted = counts @ weights.T  # r*_ik = sum_l w_kl r_il
    pairs = r * (r - 1)
    two = r >= 2
    per_unit = np.where(two, (counts * (weighted - 1)).sum(axis=1) / np.where(two, pairs, 1), 0.0)
    if not two.any():
        return None, per_unit, two
    return float(per_unit[two].mean()), per_unit, two


def _shares(counts: Counts) -> npt.NDArray[np.float64]:
    """π_k: the mean over rated units of the share of each unit's ratings in category k."""
    r = counts.sum(axis=1)
    rated = counts[r > 0] / r[r > 0][:, None]
    return np.asarray(rated.mean(axis=0))


def gwet_ac(
    counts: Counts,
    weights: npt.NDArray[np.float64] | None = None,
    *,
    population: int | None = None,
) -> Coefficient:
    """Gwet's AC1 (identity weights) or AC2 (any other weights), Gwet 2014 ch. 4."""
    counts = _rated(counts)
    q = counts.shape[1]
    w = identity_weights(q) if weights is None else np.asarray(weights, dtype=float)
    name = "AC1" if np.array_equal(w, identity_weights(q)) else "AC2"
    if len(counts) == 0 or q < 2:
        return _undefined(name)
    pi = _shares(counts)
    t_w = w.sum() / (q * (q - 1))
    pe = float(t_w * (pi * (1 - pi)).sum())
    pe_unit = t_w * (counts @ (1 - pi)) / counts.sum(axis=1)
    return _coefficient(name, counts, w, pe, pe_unit, population)


def fleiss_kappa(
    counts: Counts,
    weights: npt.NDArray[np.float64] | None = None,
    *,
    population: int | None = None,
) -> Coefficient:
    """Fleiss' kappa, in Gwet's form for missing ratings (Gwet 2014 ch. 2-3)."""
    counts = _rated(counts)
    q = counts.shape[1]
    w = identity_weights(q) if weights is None else np.asarray(weights, dtype=float)
    if len(counts) == 0:
        return _undefined("Fleiss' kappa")
    pi = _shares(counts)
    pe = float((w * np.outer(pi, pi)).sum())
    pi_w = (w @ pi + w.T @ pi) / 2
    pe_unit = (counts @ pi_w) / counts.sum(axis=1)
    return _coefficient("Fleiss' kappa", counts, w, pe, pe_unit, population)


def _rated(counts: Counts) -> Counts:
    """Units with at least one rating; a unit nobody rated says nothing."""
    counts = np.asarray(counts, dtype=float)
    return np.asarray(counts[counts.sum(axis=1) > 0], dtype=float)


def _undefined(name: str) -> Coefficient:
    return Coefficient(name, None, None, None, None, None, 0)


def _coefficient(
    name: str,
    counts: Counts,
    w: npt.NDArray[np.float64],
    pe: float,
    pe_unit: npt.NDArray[np.float64],
    population: int | None,
) -> Coefficient:
    """(p_a - p_e) / (1 - p_e), and its variance by Gwet's linearisation."""
    pa, pa_unit, two = _observed(counts, w)
    n, n2 = len(counts), int(two.sum())
    if pa is None or pe >= 1:
        return Coefficient(name, None, None, None, pa, pe, n2)
    value = (pa - pe) / (1 - pe)
    unit = (n / n2) * (pa_unit - pe * two) / (1 - pe)
    unit = unit - 2 * (1 - value) * (pe_unit - pe) / (1 - pe)
    if n < 2:
        return Coefficient(name, value, None, None, pa, pe, n2)
    fpc = 1 - n / population if population else 1.0
    se = math.sqrt(max(fpc, 0.0) / (n * (n - 1)) * float(((unit - value) ** 2).sum()))
    return Coefficient(name, value, se, _interval(value, se, n - 1), pa, pe, n2)


def _interval(value: float, se: float, dof: int) -> tuple[float, float]:
    """95% interval with Student's t on n - 1 degrees of freedom (as Gwet and irrCAC)."""
    from scipy.stats import t

    half = float(t.ppf(0.975, dof)) * se
    return max(value - half, -1.0), min(value + half, 1.0)


def benchmark(
    value: float | None,
    se: float | None,
    scale: tuple[tuple[str, float], ...] = LANDIS_KOCH,
    name: str = "Landis-Koch",
) -> Benchmark | None:
    """Each level's membership probability under a normal law for the coefficient
    (truncated to [-1, 1]), added from the top level down; the level returned is the
    first whose running total reaches 95%. With no spread (a standard error of 0) the
    level is the one holding the value."""
    if value is None or se is None or math.isnan(value):
        return None
    uppers = [1.0] + [low for _, low in scale[:-1]]
    if se <= 0:
        held = next(i for i, (_, low) in enumerate(scale) if value >= low or i == len(scale) - 1)
        cumulative = tuple((lvl, 0.0 if i < held else 1.0) for i, (lvl, _) in enumerate(scale))
        return Benchmark(name, scale[held][0], 1.0, cumulative)
    cdf = NormalDist(value, se).cdf
    total = cdf(1.0) - cdf(-1.0)
    running, out = 0.0, []
    for (level, low), high in zip(scale, uppers, strict=True):
        running += (cdf(high) - cdf(low)) / total
        out.append((level, min(running, 1.0)))
    level, prob = next(((lvl, p) for lvl, p in out if p >= BENCHMARK_PROBABILITY - 1e-12), out[-1])
    return Benchmark(name, level, prob, tuple(out))


def cohen_weighted_kappa(
    confusion: npt.ArrayLike,
) -> tuple[float | None, float | None, tuple[float, float] | None]:
    """Cohen's kappa with linear weights for two raters (statsmodels): value, standard
    error, 95% interval; None where the table cannot measure it."""
    table = np.asarray(confusion, dtype=float)
    if table.sum() < 2:
        return None, None, None
    from statsmodels.stats.inter_rater import cohens_kappa

    with np.errstate(invalid="ignore", divide="ignore"):
        result = cohens_kappa(table, wt="linear")
    kappa = float(result.kappa)
    if math.isnan(kappa):
        return None, None, None
    se = float(result.std_kappa)
    low, high = float(result.kappa_low), float(result.kappa_upp)
    # statsmodels' normal-approximation interval is not clipped; kappa lies in [-1, 1].
    ci = None if math.isnan(low) or math.isnan(high) else (max(low, -1.0), min(high, 1.0))
    return kappa, None if math.isnan(se) else se, ci


def krippendorff_ordinal(ratings: npt.ArrayLike, q: int) -> float | None:
    """Krippendorff's alpha for ordinal data: units × raters codes (NaN or negative
    missing), every one of the q categories in the value domain."""
    codes = np.asarray(ratings, dtype=float).T  # the package wants raters × units
    codes = np.where(codes < 0, np.nan, codes)
    pairable = (~np.isnan(codes)).sum(axis=0) >= 2
    values = codes[:, pairable]
    if pairable.sum() < 1 or len(np.unique(values[~np.isnan(values)])) < 2:
        return None  # no disagreement is possible to measure: alpha is 0/0
    import krippendorff

    alpha = float(
        krippendorff.alpha(
            reliability_data=values,
            level_of_measurement="ordinal",
            value_domain=list(range(q)),
        )
    )
    return None if math.isnan(alpha) else alpha
