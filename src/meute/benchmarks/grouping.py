"""``meute bench grouping``: the grouping engine on MDGPLIB instances against best-known values.

For every instance and seed the engine runs for the literature's time limit (3 s for
n=120, 20 s for n=240, 120 s for n=480; 1 s for n <= 60), scaled by ``--time-scale``.
The table gives the best and average objective, the gaps to ``bkv_to_use`` (bkv.csv), the
average gap of the IMS reference runs (ims_reference_runs.csv, recomputed against the
same ``bkv_to_use``) and, on instances with n <= 60, a CP-SAT model given the same time.
"""

from __future__ import annotations

import argparse
import csv
import fnmatch
import math
import multiprocessing
import platform
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from meute.benchmarks import shared_bench_dir
from meute.commands.arguments import bounded_float, bounded_int


@dataclass(frozen=True)
class Run:
    instance: str
    seed: int
    objective: float
    seconds: float
    valid: bool
    cpu: float = 0.0


@dataclass
class MaxCpuTime:
    """Stop after ``seconds`` of CPU time of this process (the IMS reference runs used clock())."""

    seconds: float
    _start: float | None = None

    def __call__(self, best_objective: float) -> bool:
        if self._start is None:
            self._start = time.process_time()
        return time.process_time() - self._start >= self.seconds


def time_limit(n: int, scale: float = 1.0) -> float:
    """The literature's time limit for ``n`` elements (IMS defaults), times ``scale``."""
    base = 1.0 if n <= 60 else 3.0 if n <= 120 else 20.0 if n <= 240 else 120.0
    return base * scale


def _run(job: tuple[str, int, float, bool]) -> Run:
    from meute.matching.grouping import evaluate, read_mdgplib, solve, violations
    from meute.matching.stop import MaxRuntime

    path, seed, seconds, cpu_clock = job
    problem = read_mdgplib(path)
    start, cpu = time.perf_counter(), time.process_time()
    result = solve(problem, seed=seed, stop=MaxCpuTime(seconds) if cpu_clock else MaxRuntime(seconds))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    valid = result.feasible and not violations(problem, result.groups)
    valid = valid and abs(evaluate(problem, result.groups).objective - result.objective) < 1e-6
    return Run(Path(path).stem, seed, result.objective, elapsed, valid, cpu)


def _cpsat(path: Path, seconds: float) -> float:
    from meute.matching.grouping import read_mdgplib
    from meute.matching.grouping.cpsat import solve_cpsat

    return solve_cpsat(read_mdgplib(path), seconds).objective


def _csv(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as fh:
        return {row["instance"]: row for row in csv.DictReader(fh)}


def _select(folder: Path, pattern: str) -> list[Path]:
    paths = sorted((folder / "instances").glob("*.txt"))
    if not pattern:
        return paths
    wanted = [p.strip() for p in pattern.split(",") if p.strip()]
    return [p for p in paths if any(fnmatch.fnmatch(p.stem, w) or fnmatch.fnmatch(p.name, w) for w in wanted)]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meute bench grouping", description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="", help="comma-separated names or globs (default: all)")
    parser.add_argument("--seeds", type=bounded_int(1, 1000), default=5)
    parser.add_argument("--time-scale", type=bounded_float(0, 1000, low_open=True),
                        default=1.0, help="multiply the literature's time limits")
    parser.add_argument("--jobs", type=bounded_int(1, 1024),
                        default=1, help="parallel single-threaded runs (at most the core count)")
    parser.add_argument("--cpu-time", action="store_true", help="limits in CPU seconds instead of wall-clock")
    parser.add_argument("--no-cpsat", action="store_true", help="skip the CP-SAT comparison")
    parser.add_argument("--markdown", type=Path, help="also write the table to this Markdown file")
    return parser


def _row(path: Path, runs: list[Run], bkv: dict, ims: dict, cpsat: float | None, seconds: float) -> list[str]:
    name = path.stem
    best_known = float(bkv[name]["bkv_to_use"]) if name in bkv else float("nan")
    objs = [r.objective for r in runs]
    gaps = [100 * (best_known - o) / best_known for o in objs]
    ims_gap = ""
    if name in ims:
        ims_gap = f"{100 * (best_known - float(ims[name]['ims_avg'])) / best_known:.3f}"
    cp = _cpsat_cell(cpsat, best_known, seconds)
    row = [
        name, str(len(runs)), f"{seconds:g}", f"{max(objs):.3f}", f"{statistics.mean(objs):.3f}", f"{best_known:.3f}",
        f"{min(gaps):.3f}", f"{statistics.mean(gaps):.3f}", f"{statistics.median(gaps):.3f}", ims_gap,
        f"{statistics.mean(r.seconds for r in runs):.2f}", f"{statistics.mean(r.cpu for r in runs):.2f}",
        "yes" if all(r.valid for r in runs) else "NO", cp,
    ]  # fmt: skip
    return [cell.replace("nan", "n/a") for cell in row]


def _cpsat_cell(objective: float | None, best_known: float, seconds: float) -> str:
    if objective is None:
        return ""
    if math.isnan(objective):
        return f"no solution in {seconds:g} s"
    if math.isnan(best_known):
        return f"{objective:.3f}"
    return f"{objective:.3f} ({100 * (best_known - objective) / best_known:.3f})"


HEADER = [
    "instance", "seeds", "limit s", "best", "average", "best known", "best gap %", "avg gap %", "median gap %",
    "IMS avg gap %", "mean s", "mean CPU s", "valid", "CP-SAT same time (gap %)",
]  # fmt: skip


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    folder = shared_bench_dir() / "mdgp"
    paths = _select(folder, args.instances)
    if not paths:
        print(f"no instance matches {args.instances!r} in {folder / 'instances'}", file=sys.stderr)
        return 2
    bkv, ims = _csv(folder / "bkv.csv"), _csv(folder / "ims_reference_runs.csv")
    from meute.matching.grouping import read_mdgplib

    limits = {p: time_limit(read_mdgplib(p).n, args.time_scale) for p in paths}
    jobs = [(str(p), seed, limits[p], args.cpu_time) for p in paths for seed in range(args.seeds)]
    _run((str(paths[0]), 0, 0.0, False))  # compile/load the kernels before timing
    if args.jobs > 1:
        with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
            runs = pool.map(_run, jobs, chunksize=1)
    else:
        runs = [_run(job) for job in jobs]
    rows = []
    for p in paths:
        small = read_mdgplib(p).n <= 60
        cp = _cpsat(p, limits[p]) if small and not args.no_cpsat else None
        rows.append(_row(p, [r for r in runs if r.instance == p.stem], bkv, ims, cp, limits[p]))
    table = _markdown(rows)
    print(table)
    if args.markdown:
        args.markdown.write_text(_protocol(args) + "\n" + table + "\n")
    return 0 if all(r[12] == "yes" for r in rows) else 1


def _markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def _protocol(args: argparse.Namespace) -> str:
    return (
        f"Command: `meute bench grouping --seeds {args.seeds} --time-scale {args.time_scale:g} --jobs {args.jobs}"
        f"{' --cpu-time' if args.cpu_time else ''}`; "
        f"seeds 0-{args.seeds - 1}; Python {platform.python_version()} on {platform.machine()}, "
        f"{multiprocessing.cpu_count()} cores.\n"
    )
