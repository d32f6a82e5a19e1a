#!/usr/bin/env python
"""Time inspect-cli against the fastest raw read of the same workbook (the floor).

    python bench/run.py [--sizes 1k 10k] [--runs 3] [--json bench/results/results.json]

Every measurement is a fresh subprocess, so wall time includes interpreter start-up
and imports, and peak RSS (``ru_maxrss`` from ``os.wait4``) is that child's alone.
Sizes: 1k, 10k, 100k (generated into bench/data/ by make_workbooks.py if missing) and
"sample" (the 8-force sample_cases/ folder). 100k is opt-in: it takes minutes.
"folder" is the shape a national thematic has: 43 force workbooks, 12,000 cases in all
(bench/data/folder-12k/, generated if missing); its floor reads them one after another.
"list-10k" and "list-100k" time ``inspect-cli sample`` on a case list of that many
candidate cases (also generated if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
FLOOR_RUNS = 3
SIZES = {
    "1k": 1_000,
    "10k": 10_000,
    "100k": 100_000,
    "sample": 0,
    "folder": 12_000,
    "list-10k": 10_000,
    "list-100k": 100_000,
}
CASE_LIST = "list-"  # sizes that are case lists for `inspect-cli sample`
PACKAGES = (
    "inspect-cli",
    "pandas",
    "pyarrow",
    "numpy",
    "fastexcel",
    "isal",
    "openpyxl",
    "xlsxwriter",
    "jinja2",
)

# The floor: read every sheet of every input as fast as this environment can, nothing else.
FLOOR_CODE = r"""
import csv, sys, time
from pathlib import Path
paths = []
for arg in map(Path, sys.argv[1:]):
    kids = sorted(arg.iterdir()) if arg.is_dir() else [arg]
    paths += [p for p in kids if p.suffix.lower() in (".xlsx", ".xlsm", ".csv")]
import fastexcel
import pyarrow  # fastexcel imports it on first use: keep that out of the read time
reader = "fastexcel load_sheet_eager -> Arrow"
start = time.perf_counter()
for p in paths:
    if p.suffix.lower() == ".csv":
        with p.open(encoding="utf-8-sig", newline="") as fh:
            list(csv.reader(fh))
    else:
        book = fastexcel.read_excel(str(p))
        for name in book.sheet_names:
            book.load_sheet_eager(name)
print(reader, time.perf_counter() - start, sep="\t")
"""


@dataclass
class Result:
    command: str
    size: str
    times: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    returncodes: list[int] = field(default_factory=list)
    stderr_tail: str = ""

    @property
    def median_s(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024

    @property
    def ok(self) -> bool:
        return not any(self.returncodes)


# Run as an installed tool runs: with its modules' compiled bytecode cached (an
# environment that sets PYTHONDONTWRITEBYTECODE would recompile them on every start).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str], cwd: Path) -> tuple[float, int, int, str, str]:
    """Wall seconds, the child's peak RSS (KiB), exit code, stdout and stderr."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            argv, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=CHILD_ENV
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return wall, usage.ru_maxrss, proc.returncode, *text


def cli_argv() -> list[str]:
    """The installed console script next to this interpreter, as a user would run it."""
    script = Path(sys.executable).with_name("inspect-cli")
    if script.exists():
        return [str(script)]
    found = shutil.which("inspect-cli")
    return [found] if found else [sys.executable, "-m", "inspect_cli"]


def commands(data: Path, out: Path, force: str) -> dict[str, list[str]]:
    cli, src = cli_argv(), str(data)
    return {
        "floor (raw read)": [sys.executable, "-c", FLOOR_CODE, src],
        "validate": [*cli, "validate", src],
        "score -o scored.xlsx": [*cli, "score", src, "-o", str(out / "scored.xlsx"), "--overwrite"],
        "score -o scored.csv": [*cli, "score", src, "-o", str(out / "scored.csv"), "--overwrite"],
        "report thematic -o x.html": [
            *cli, "report", "thematic", src, "-o", str(out / "x.html"), "--overwrite"
        ],
        "report thematic -o x.xlsx": [
            *cli, "report", "thematic", src, "-o", str(out / "x.xlsx"), "--overwrite"
        ],
        "report force": [*cli, "report", "force", src, "--force", force],
        "report force --all-forces": [
            *cli, "report", "force", src, "--all-forces", "-o", str(out / "all"), "--overwrite"
        ],
    }  # fmt: skip


def sample_commands(data: Path, out: Path) -> dict[str, list[str]]:
    """`inspect-cli sample` on a case list: the workbook written, and the sample printed."""
    cli, src = cli_argv(), str(data)
    draw = ["--seed", "2026"]
    return {
        "floor (raw read)": [sys.executable, "-c", FLOOR_CODE, src],
        "sample -o sample.xlsx": [
            *cli, "sample", src, "--per-area", "5", *draw, "-o", str(out / "s.xlsx"), "--overwrite"
        ],
        "sample --total 200 (printed)": [*cli, "sample", src, "--total", "200", *draw],
    }  # fmt: skip


def workbook(size: str, data_dir: Path) -> tuple[Path, str]:
    """The input for a size (generated if missing) and a force to report on."""
    if size == "sample":
        return REPO / "sample_cases", "Force C"
    n = SIZES[size]
    if size == "folder":
        path = data_dir / f"folder-{n // 1000}k"
        if not path.exists():
            print(f"generating {path} ...", flush=True)
            gen = [sys.executable, str(BENCH / "make_workbooks.py"), "--cases", "--folders"]
            subprocess.run([*gen, str(n), "--out", str(data_dir)], check=True)
        return path, "Force 01"
    if size.startswith(CASE_LIST):
        path = data_dir / f"case-list-{size.removeprefix(CASE_LIST)}.xlsx"
        if not path.exists():
            print(f"generating {path} ...", flush=True)
            gen = [sys.executable, str(BENCH / "make_workbooks.py"), "--cases", "--case-lists"]
            subprocess.run([*gen, str(n), "--out", str(data_dir)], check=True)
        return path, ""
    path = data_dir / f"cases-{size}.xlsx"
    if not path.exists():
        print(f"generating {path} ...", flush=True)
        gen = [sys.executable, str(BENCH / "make_workbooks.py"), "--cases", str(n)]
        subprocess.run([*gen, "--out", str(data_dir)], check=True)
    return path, "Force 01"


def measure(name: str, size: str, argv: list[str], cwd: Path, results: dict[str, Result]) -> str:
    key = f"{name}|{size}"
    res = results.setdefault(key, Result(name, size))
    wall, rss, rc, stdout, stderr = run_once(argv, cwd)
    res.times.append(wall)
    res.rss_kib.append(rss)
    res.returncodes.append(rc)
    if rc:
        res.stderr_tail = stderr[-2000:]
    print(f"  {name:28} {size:>9}  {wall:8.3f} s  {rss / 1024:8.1f} MiB  rc={rc}", flush=True)
    return stdout


def machine() -> dict[str, object]:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if "model name" in line),
        platform.processor() or platform.machine(),
    )
    mem_kib = next(
        (int(line.split()[1]) for line in _lines("/proc/meminfo") if "MemTotal" in line), 0
    )
    versions: dict[str, str | None] = {}
    for pkg in PACKAGES:
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": round(mem_kib / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "load_average_start": os.getloadavg(),
    }


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def table(results: dict[str, Result], floor_reader: str) -> str:
    head = (
        f"{'command':28} {'size':>9} {'median s':>9} {'x floor':>8} {'peak MiB':>9} {'x floor':>8}"
    )
    lines = [f"floor = {floor_reader} (in a fresh process, like every command)", head]
    lines.append("-" * len(head))
    for res in results.values():
        floor = results.get(f"floor (raw read)|{res.size}")
        ratio = f"{res.median_s / floor.median_s:8.2f}" if floor else f"{'':8}"
        rss = f"{res.peak_mib / floor.peak_mib:8.2f}" if floor else f"{'':8}"
        flag = "" if res.ok else f"  FAILED rc={res.returncodes}"
        lines.append(
            f"{res.command:28} {res.size:>9} {res.median_s:9.3f} {ratio} {res.peak_mib:9.1f} {rss}{flag}"
        )
    growth = growth_ratios(results)
    if growth:
        lines += ["", "wall time 100k / 10k:"]
        lines += [f"  {name:40} {ratio:6.2f}" for name, ratio in growth.items()]
    return "\n".join(lines)


def growth_ratios(results: dict[str, Result]) -> dict[str, float]:
    out = {}
    for res in results.values():
        small = results.get(f"{res.command}|{res.size.replace('100k', '10k')}")
        if res.size.endswith("100k") and small:
            # A case list's floor is not the workbook's: name it apart.
            name = res.command if res.size == "100k" else f"{res.command} [{res.size}]"
            out[name] = res.median_s / small.median_s
    return out


# What the pipeline imports before it can load a case (pandas and pyarrow.compute):
# on its own, in a fresh process, it is a floor for any command of this design.
IMPORTS = "import pandas, pyarrow.compute"


def imports_line(results: dict[str, Result]) -> str:
    """The pipeline's imports alone, against each size's floor: a command that needs
    them cannot take less (docs/performance.md, "Why the folder targets are ruled out")."""
    imports = results.get(f"{IMPORTS}|-")
    if imports is None:
        return ""
    floors = [r for r in results.values() if r.command == "floor (raw read)"]
    ratios = "; ".join(
        f"{f.size}: {imports.median_s / f.median_s:.2f} x the floor's time, "
        f"{imports.peak_mib / f.peak_mib:.2f} x its peak memory"
        for f in floors
    )
    return (
        f"pandas + pyarrow.compute imports alone: {imports.median_s:.3f} s, "
        f"{imports.peak_mib:.1f} MiB ({ratios})"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", nargs="+", choices=list(SIZES), default=["1k", "10k"])
    parser.add_argument("--runs", type=int, default=3, help="runs per command (median)")
    parser.add_argument("--data", type=Path, default=BENCH / "data", help="workbook folder")
    parser.add_argument("--json", type=Path, help="also save the results here")
    args = parser.parse_args(argv)
    info = machine()
    print(f"{info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB; Python {info['python']}")
    results: dict[str, Result] = {}
    floor_reader, floor_read_s = "?", {}
    with tempfile.TemporaryDirectory(prefix="inspect-bench-") as tmp_name:
        tmp = Path(tmp_name)
        for size in args.sizes:
            data, force = workbook(size, args.data)
            if size.startswith(CASE_LIST):
                cmds = sample_commands(data, tmp)
            else:
                cmds = commands(data, tmp, force)
            print(f"{size}: {data}")
            reads = []
            # Rounds, so drift in machine load hits every command; the floor, the
            # denominator of every ratio and cheap, runs at least FLOOR_RUNS times.
            for round_no in range(max(args.runs, FLOOR_RUNS)):
                for name, cmd in cmds.items():
                    if round_no >= args.runs and not name.startswith("floor"):
                        continue
                    stdout = measure(name, size, cmd, tmp, results)
                    if name.startswith("floor") and "\t" in stdout:
                        floor_reader, seconds = stdout.strip().rsplit("\t", 1)
                        reads.append(float(seconds))
            floor_read_s[size] = statistics.median(reads) if reads else None
        for _ in range(args.runs):
            measure("inspect-cli --help", "-", [*cli_argv(), "--help"], tmp, results)
            measure("python -c pass", "-", [sys.executable, "-c", "pass"], tmp, results)
            measure(IMPORTS, "-", [sys.executable, "-c", IMPORTS], tmp, results)
    info["load_average_end"] = os.getloadavg()
    print()
    print(table(results, floor_reader))
    reads_text = ", ".join(f"{k} {v:.3f} s" for k, v in floor_read_s.items() if v is not None)
    print(f"\nfloor read time inside its process (no start-up, no imports): {reads_text}")
    print(imports_line(results))
    print(f"load average: start {info['load_average_start']}, end {info['load_average_end']}")
    failed = [r for r in results.values() if not r.ok]
    for res in failed:
        print(f"\n{res.command} ({res.size}) failed:\n{res.stderr_tail}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        rows = []
        for res in results.values():
            floor = results.get(f"floor (raw read)|{res.size}")
            row = asdict(res) | {"median_s": res.median_s, "peak_rss_mib": res.peak_mib}
            if floor:
                row["ratio_to_floor"] = res.median_s / floor.median_s
                row["rss_ratio_to_floor"] = res.peak_mib / floor.peak_mib
            rows.append(row)
        doc = {
            "machine": info,
            "runs": args.runs,
            "floor_reader": floor_reader,
            "floor_read_s": floor_read_s,
            "results": rows,
            "growth_100k_over_10k": growth_ratios(results),
        }
        args.json.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        print(f"saved {args.json}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
