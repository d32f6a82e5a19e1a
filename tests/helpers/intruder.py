"""A determined reader of published reports: an integer-programming intruder.

Independent of the code it checks: it reads only the public JSON of reports (the
published ones, and for the truth the same reports made without ``--publish``),
writes down every fact a reader can take from them as linear equations and
inequalities over whole-number unknowns (counts, totals, the rounding interval of
every shown percentage, the ▲ flags), and asks HiGHS (``scipy.optimize.milp``) for
the smallest and largest value of each hidden count.

Reader knowledge beyond the figures: every split of a force's cases (by grade, by a
stage's grade or not applicable, by an indicator's worst / other / no answer, by a
breakdown's groups for each grade, by completeness, by delay) adds up to the force's
cases; detention answers add up to the cases the detention stage applied to.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

GRADES = ("good", "adequate", "inadequate")
DETENTION = "Police detention"
Json = Mapping[str, Any]


@dataclass(frozen=True)
class Hidden:
    where: str
    terms: tuple[int, ...]
    truth: int


@dataclass(frozen=True)
class Finding:
    where: str
    truth: int
    low: float
    high: float


@dataclass
class Intruder:
    variables: dict[tuple[Any, ...], int] = field(default_factory=dict)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    hidden: dict[str, Hidden] = field(default_factory=dict)
    contradictions: list[str] = field(default_factory=list)

    def v(self, *name: Any) -> int:
        return self.variables.setdefault(name, len(self.variables))

    def constrain(self, coefs: Mapping[int, float], low: float, high: float) -> None:
        self.rows.append((dict(coefs), low, high))

    def equal(self, left: Iterable[int], right: Iterable[int]) -> None:
        coefs: dict[int, float] = {}
        for i in left:
            coefs[i] = coefs.get(i, 0) + 1
        for i in right:
            coefs[i] = coefs.get(i, 0) - 1
        self.constrain(coefs, 0, 0)

    def figure(self, where: str, terms: Sequence[int], shown: Any, truth: Any) -> None:
        """A count: a fact when shown, a secret when hidden (the truth only to compare)."""
        if shown is not None:
            if truth is not None and shown != truth:
                self.contradictions.append(f"{where}: published {shown}, true {truth}")
            coefs: dict[int, float] = {}
            for i in terms:
                coefs[i] = coefs.get(i, 0) + 1
            self.constrain(coefs, shown, shown)
        elif truth is not None:
            self.hidden.setdefault(where, Hidden(where, tuple(terms), int(truth)))

    def share(self, part: Sequence[int], whole: Sequence[int], pct: Any) -> None:
        """A percentage rounded half up: pct - 0.5 <= 100 part / whole < pct + 0.5."""
        if pct is None:
            return
        coefs: dict[int, float] = {}
        for i in part:
            coefs[i] = coefs.get(i, 0) + 200
        for i in whole:
            coefs[i] = coefs.get(i, 0) - (2 * pct - 1)
        self.constrain(coefs, 0, np.inf)  # 200 part >= (2 pct - 1) whole
        coefs = {}
        for i in part:
            coefs[i] = coefs.get(i, 0) + 200
        for i in whole:
            coefs[i] = coefs.get(i, 0) - (2 * pct + 1)
        self.constrain(coefs, -np.inf, -1)  # 200 part < (2 pct + 1) whole

    def more_than_a_third(self, part: Sequence[int], whole: Sequence[int], flagged: bool) -> None:
        coefs: dict[int, float] = {}
        for i in part:
            coefs[i] = coefs.get(i, 0) + 3
        for i in whole:
            coefs[i] = coefs.get(i, 0) - 1
        if flagged:
            self.constrain(coefs, 1, np.inf)
        else:
            self.constrain(coefs, -np.inf, 0)

    # ------------------------------------------------------------------ solving

    def findings(self) -> list[Finding]:
        """Each hidden count's range over whole numbers. A linear programme answers
        first; where its best solution is already whole numbers, that is the integer
        answer too (the integer range lies inside the real one and reaches its end);
        otherwise the integer programme decides."""
        from scipy.optimize import Bounds, LinearConstraint, linprog, milp

        n = len(self.variables)
        a = np.zeros((len(self.rows), n))
        low = np.array([r[1] for r in self.rows], dtype=float)
        high = np.array([r[2] for r in self.rows], dtype=float)
        for k, (coefs, _, _) in enumerate(self.rows):
            for i, c in coefs.items():
                a[k, i] = c
        eq = low == high
        upper = np.isfinite(high) & ~eq
        lower = np.isfinite(low) & ~eq
        a_ub = np.vstack([a[upper], -a[lower]])
        b_ub = np.concatenate([high[upper], -low[lower]])
        constraint = LinearConstraint(a, low, high)
        integral = np.ones(n)

        def extreme(c: np.ndarray) -> float:
            lp = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a[eq], b_eq=low[eq], bounds=(0, None))
            if lp.status == 3:
                return -np.inf  # unbounded: no shown figure caps it
            assert lp.status == 0, lp.message
            if np.allclose(lp.x, np.round(lp.x), atol=1e-9):
                return float(round(lp.fun))
            ip = milp(c, constraints=constraint, integrality=integral, bounds=Bounds(0, np.inf))
            assert ip.status == 0, ip.message
            return float(round(ip.fun))

        out = []
        for h in self.hidden.values():
            c = np.zeros(n)
            for i in h.terms:
                c[i] += 1
            out.append(Finding(h.where, h.truth, extreme(c), -extreme(-c)))
        return out


# ---------------------------------------------------------------------- reports


def _cases(r: Intruder, force: str) -> list[int]:
    return [r.v("grade", force, g) for g in GRADES]


def _grade_row(
    r: Intruder,
    where: str,
    terms: Mapping[str, list[int]],
    pub: Json,
    true: Json,
    *,
    flags: bool = True,
) -> None:
    every = [i for g in GRADES for i in terms[g]]
    for g in GRADES:
        r.figure(f"{where} {g}", terms[g], pub.get(g), true.get(g))
        r.share(terms[g], every, pub.get(f"{g}_pct"))
    r.figure(f"{where} total", every, pub.get("total"), true.get("total"))
    # The ▲ flag of a force's row (breakdown groups are never flagged).
    if flags and "serious_concern" not in pub.get("suppressed", []) and pub.get("recorded"):
        r.more_than_a_third(terms["inadequate"], every, bool(pub.get("serious_concern")))


def _stage(r: Intruder, force: str, stage: str) -> dict[str, int]:
    parts = {g: r.v("stage", force, stage, g) for g in (*GRADES, "n/a")}
    r.equal(parts.values(), _cases(r, force))
    return parts


def _indicator(r: Intruder, force: str, ind: str) -> tuple[int, int]:
    worst, other, none = (r.v("ind", force, ind, k) for k in ("worst", "other", "none"))
    r.equal([worst, other, none], _cases(r, force))
    return worst, other


def read_thematic(r: Intruder, pub: Json, true: Json) -> None:
    forces = [row["force"] for row in true["forces"] if row["recorded"]]
    for p, t in zip(pub["forces"], true["forces"], strict=True):
        if t["recorded"]:
            f = t["force"]
            _grade_row(r, f, {g: [r.v("grade", f, g)] for g in GRADES}, p, t)
    totals = {g: [r.v("grade", f, g) for f in forces] for g in GRADES}
    _grade_row(r, "Total", totals, pub["total"], true["total"])
    if pub["findings"]["overall_inadequate_pct"] is not None:
        every = [i for g in GRADES for i in totals[g]]
        r.share(totals["inadequate"], every, pub["findings"]["overall_inadequate_pct"])
    labels = {s["id"]: s["label"] for s in true["stages"]}
    for p_row, t_row in zip(pub["stage_table"], true["stage_table"], strict=True):
        whose = forces if t_row["force"] == "Total" else [t_row["force"]]
        for p, t in zip(p_row["cells"], t_row["cells"], strict=True):
            stage = labels[t["stage"]]
            parts = [_stage(r, f, stage) for f in whose]
            inadequate = [s["inadequate"] for s in parts]
            applicable = [s[g] for s in parts for g in GRADES]
            where = f"stage {stage} {t_row['force']}"
            r.figure(f"{where} inadequate", inadequate, p["inadequate"], t["inadequate"])
            r.figure(f"{where} applicable", applicable, p["applicable"], t["applicable"])
            r.share(inadequate, applicable, p["inadequate_pct"])
    true_ind = {i["id"]: i for i in true["worst_indicators"]}
    for p in pub["worst_indicators"]:
        _indicator_figures(r, forces, f"indicator {p['id']}", p, true_ind[p["id"]])


def _indicator_figures(r: Intruder, forces: Sequence[str], where: str, p: Json, t: Json) -> None:
    pairs = [_indicator(r, f, p["id"]) for f in forces]
    worst = [w for w, _ in pairs]
    answered = [i for pair in pairs for i in pair]
    r.figure(f"{where} worst", worst, p["worst"], t["worst"])
    r.figure(f"{where} answered", answered, p["answered"], t["answered"])
    r.share(worst, answered, p["worst_pct"])


def read_force(r: Intruder, pub: Json, true: Json) -> None:
    f = true["force"]
    assert pub["force"] == f
    grade = {g: [r.v("grade", f, g)] for g in GRADES}
    _grade_row(r, f, grade, pub["overall"], true["overall"])
    cases = _cases(r, f)
    for d in pub["distribution"]:
        r.figure(f"{f} distribution {d['grade']}", grade[d["grade"]], d["count"], None)
        r.share(grade[d["grade"]], cases, d["pct"])
    true_stage = {s["label"]: s for s in true["by_stage"]}
    for p in pub["by_stage"]:
        t = true_stage[p["label"]]
        parts = _stage(r, f, p["label"])
        for g in GRADES:
            r.figure(f"{f} stage {p['label']} {g}", [parts[g]], p[g], t[g])
        applicable = [parts[g] for g in GRADES]
        r.figure(f"{f} stage {p['label']} applicable", applicable, p["applicable"], t["applicable"])
        r.share([parts["inadequate"]], applicable, p["inadequate_pct"])
    true_breakdowns = {b["title"]: b for b in true["breakdowns"]}
    for p in pub["breakdowns"]:  # a published report may leave some out
        _breakdown(r, f, p, true_breakdowns[p["title"]], true["overall"])
    true_ind = {i["id"]: i for i in true["failing_indicators"]}
    for p in pub["failing_indicators"]:
        _indicator_figures(r, [f], f"{f} indicator {p['id']}", p, true_ind[p["id"]])
    true_delay = {d["label"]: d for d in true["delays"]}
    for p in pub["delays"]:
        t = true_delay[p["label"]]
        parts = [r.v("delay", f, p["label"], k) for k in ("cases", "negative", "neither")]
        r.equal(parts, cases)
        r.figure(f"{f} delay {p['label']} cases", parts[:1], p["cases"], t["cases"])
        r.figure(f"{f} delay {p['label']} negative", parts[1:2], p["negative"], t["negative"])
    true_det = {d["indicator"]: d for d in true["detention"]}
    for p in pub["detention"]:
        t = true_det[p["indicator"]]
        stage = _stage(r, f, DETENTION)
        answers = {a: r.v("det", f, p["indicator"], a) for a in t["answers"]}
        r.equal(
            [*answers.values(), r.v("det", f, p["indicator"], "blank")], [stage[g] for g in GRADES]
        )
        r.figure(
            f"{f} detention {p['indicator']} applicable",
            [stage[g] for g in GRADES],
            p["applicable"],
            t["applicable"],
        )
        for a, var in answers.items():
            r.figure(f"{f} detention {p['indicator']} {a}", [var], p["answers"][a], t["answers"][a])
    true_comp = {c["label"]: c for c in true["completeness"]}
    for p in pub["completeness"]:
        t = true_comp[p["label"]]
        parts = [r.v("comp", f, p["label"], k) for k in ("missing", "present")]
        r.equal(parts, cases)
        r.figure(f"{f} completeness {p['label']} missing", parts[:1], p["missing"], t["missing"])
        r.figure(f"{f} completeness {p['label']} total", cases, p["total"], t["total"])
        r.share(parts[:1], cases, p["missing_pct"])


def _breakdown(r: Intruder, f: str, pub: Json, true: Json, overall: Json) -> None:
    """Published groups may merge typed values into 'Other': a published group's truth
    is the unpublished group of the same name, and one group left without (the
    merged one) is the force's count less the others'."""
    title = pub["title"]
    true_rows = {row["group"]: row for row in true["rows"]}
    groups = [row["group"] for row in pub["rows"]]
    keys = (*GRADES, "total")
    truth = {g: {k: true_rows[g][k] for k in keys} for g in groups if g in true_rows}
    unknown = [g for g in groups if g not in truth]
    if len(unknown) == 1:
        truth[unknown[0]] = {k: overall[k] - sum(t[k] for t in truth.values()) for k in keys}
    for g in GRADES:
        r.equal([r.v("bd", f, title, group, g) for group in groups], [r.v("grade", f, g)])
    for p in pub["rows"]:
        terms = {g: [r.v("bd", f, title, p["group"], g)] for g in GRADES}
        _grade_row(r, f"{f} {title} {p['group']}", terms, p, truth.get(p["group"], {}), flags=False)


def read_rules(r: Intruder, fw: Any) -> None:
    """A reader who knows the framework's grading rules (grades computed by them):
    a case with an inadequate stage is not good (a cap with at_least 1), and a
    limiting indicator's worst answer makes its stage inadequate."""
    caps = [c for c in fw.scoring.case.caps if c.at_least == 1 and c.grade == "inadequate"]
    stage_vars = [k for k in list(r.variables) if k[0] == "stage" and k[3] == "inadequate"]
    for _, f, stage, _ in stage_vars:
        for cap in caps:
            allowed = GRADES[GRADES.index(cap.cap) :]
            coefs = {r.v("stage", f, stage, "inadequate"): 1.0}
            for g in allowed:
                coefs[r.v("grade", f, g)] = coefs.get(r.v("grade", f, g), 0.0) - 1.0
            r.constrain(coefs, -np.inf, 0)  # stage inadequate <= cases graded cap or worse
    limiting = {ref.full_id: ref.stage.label for ref in fw.indicators if ref.indicator.limiting}
    if fw.scoring.stage.limiting_cap != "inadequate":
        return
    for key in [k for k in list(r.variables) if k[0] == "ind" and k[3] == "worst"]:
        _, f, ind, _ = key
        if ind in limiting:
            stage = _stage(r, f, limiting[ind])
            r.constrain({r.v(*key): 1.0, stage["inadequate"]: -1.0}, -np.inf, 0)


def audit(
    pairs: Iterable[tuple[str, Json, Json]], framework: Any = None
) -> tuple[Intruder, list[Finding]]:
    """Every (kind, published JSON, unpublished JSON) as one reader's knowledge; with
    ``framework``, the reader also applies its grading rules (computed grades)."""
    r = Intruder()
    for kind, pub, true in pairs:
        (read_thematic if kind == "thematic" else read_force)(r, pub, true)
    if framework is not None:
        read_rules(r, framework)
    return r, r.findings()


def breaches(findings: Sequence[Finding], threshold: int) -> list[str]:
    """Hidden counts pinned to one value, or small ones in a range narrower than the
    threshold, or a range that does not hold the truth (a contradiction)."""
    out = []
    for f in findings:
        width = f.high - f.low
        if not f.low <= f.truth <= f.high:
            out.append(f"{f.where}: true {f.truth} outside [{f.low}, {f.high}]")
        elif width == 0:
            out.append(f"{f.where}: pinned to {f.truth}")
        elif 0 < f.truth < threshold and width < threshold:
            out.append(f"{f.where}: small ({f.truth}) within [{f.low}, {f.high}]")
    return out
