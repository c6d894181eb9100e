"""``meute bench scale``: the grouping engine's time limits and formation at a national scale.

Two tables:

* **Time limits kept.** After the kernels are loaded (``meute warm-up``), ``solve`` runs in
  this process on MDGPLIB instances (n=120, 240, 480) with a short wall-clock limit and on
  generated candidates of all of France (1,000 to 20,000) with that limit and with the
  command's default budget (1 + n/400 s); the overshoot is the call's whole duration
  (zones, matrices, first descents, final checks) minus the limit.
* **National formation.** For each size, ``meute groups generate --region all`` writes the
  candidates (communes of every département, drawn by population), then
  ``meute groups form FILE --size 10-12 --balance women,repreneur --quiet`` runs in its own
  process with its default budget (1 + n/400 s, counted from the command's start); the
  table gives its wall time, CPU time and peak memory, and the hard rules recounted from the
  output file by this benchmark: every candidate in exactly one group, sizes 10-12, no two
  members of a group sharing a NAF classe within 30 km or declared competitors.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from meute.benchmarks import shared_bench_dir
from meute.commands.arguments import bounded_float

FORM = ["--size", "10-12", "--balance", "women,repreneur", "--seed", "1", "--quiet"]
_CHILD = (
    "import json, resource, sys, time; t = time.perf_counter(); from meute.cli import main; "
    "rc = main(sys.argv[1:]); r = resource.getrusage(resource.RUSAGE_SELF); "
    "print(json.dumps({'rc': rc, 'cpu': r.ru_utime + r.ru_stime, 'rss_mb': r.ru_maxrss / 1024}), file=sys.stderr)"
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meute bench scale", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=bounded_float(0, 3600), default=1.0, help="seconds for the time-limit table")
    parser.add_argument("--limit-sizes", default="1000,5000,20000", help="generated sizes of the time-limit table")
    parser.add_argument("--sizes", default="5000,20000,50000", help="candidates of the national formation table")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-limits", action="store_true")
    parser.add_argument("--skip-national", action="store_true")
    return parser


def _generate(n: int, seed: int, folder: Path) -> Path:
    out = folder / f"france-{n}.csv"
    subprocess.run([sys.executable, "-m", "meute.cli", "groups", "generate", "--candidates", str(n), "--seed",
                    str(seed), "--region", "all", "--out", str(out)], check=True, capture_output=True)
    return out


def _candidates_problem(path: Path):
    from meute.commands.groups import _build_problem, _reference
    from meute.commands.groups import _parser as form_parser
    from meute.matching.grouping.csvfiles import read_candidates

    locate, check = _reference()
    rows = read_candidates(path, locate, check)
    return _build_problem(form_parser().parse_args(["form", str(path), *FORM[:4], "--out", "-"]), rows)


def limits_table(limit: float, sizes: list[int], seed: int) -> list[str]:
    from meute.matching.grouping import read_mdgplib, solve
    from meute.matching.stop import MaxRuntime
    from meute.matching.warmup import warm_up

    warm_up()
    folder = shared_bench_dir() / "mdgp" / "instances"
    cases = [(p.stem, limit, lambda p=p: read_mdgplib(p)) for p in
             (folder / "RanReal_n120_ds_01.txt", folder / "RanReal_n240_ds_01.txt", folder / "RanReal_n480_ds_01.txt")]
    tmp = Path(tempfile.mkdtemp(prefix="meute-scale-"))
    built: dict[int, object] = {}

    def france(n: int):
        if n not in built:
            built[n] = _candidates_problem(_generate(n, seed, tmp))
        return built[n]

    for n in sizes:  # each at the short limit and at the command's default budget
        cases += [(f"France, {n:,} candidates", seconds, lambda n=n: france(n)) for seconds in (limit, 1.0 + n / 400)]
    lines = ["| instance | limit s | whole call s | overshoot s | rounds | result |", "|---|---|---|---|---|---|"]
    for name, limit, load in cases:
        problem = load()
        start = time.perf_counter()
        result = solve(problem, seed=0, stop=MaxRuntime(limit))
        took = time.perf_counter() - start
        state = "valid" if result.feasible else f"no grouping ({result.infeasibility.rule})"
        lines.append(f"| {name} | {limit:g} | {took:.3f} | {took - limit:+.3f} | {result.iterations} | {state} |")
        print(lines[-1], flush=True)
    return lines


def recount(candidates: Path, groups: Path, competitor_km: float = 30.0) -> list[str]:
    """The hard rules the output file ``groups`` breaks, recounted from the two files alone."""
    from meute.matching.grouping import haversine_km, naf_levels
    from meute.territory.reference import commune

    with candidates.open(newline="", encoding="utf-8") as fh:
        cands = {r["id"]: r for r in csv.DictReader(fh)}
    members: dict[str, list[str]] = defaultdict(list)
    with groups.open(newline="", encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["role"] == "member":
                members[r["group"]].append(r["id"])
    found = []
    seated = [i for m in members.values() for i in m]
    if sorted(seated) != sorted(cands):
        found.append(f"{len(seated)} seats for {len(cands)} candidates (or duplicates)")
    found += [f"group {g} has {len(m)} members" for g, m in members.items() if not 10 <= len(m) <= 12]
    for g, m in members.items():
        for a, b in itertools.combinations(m, 2):
            x, y = cands[a], cands[b]
            if b in x["competitors"].split(";") or a in y["competitors"].split(";"):
                found.append(f"group {g}: {a} and {b} declared competitors")
            elif x["naf"] and y["naf"] and naf_levels(x["naf"]).classe == naf_levels(y["naf"]).classe:
                p, q = commune(x["commune"]), commune(y["commune"])
                if haversine_km(p.lat, p.lon, q.lat, q.lon) <= competitor_km:
                    found.append(f"group {g}: {a} and {b} compete")
    return found


def national_table(sizes: list[int], seed: int) -> list[str]:
    lines = ["| candidates | départements | groups | budget s | wall s | wall / budget | CPU s | peak RSS MB | "
             "hard violations (recounted) |", "|---|---|---|---|---|---|---|---|---|"]
    tmp = Path(tempfile.mkdtemp(prefix="meute-scale-"))
    for n in sizes:
        path = _generate(n, seed, tmp)
        out = tmp / f"groups-{n}.csv"
        budget = 1.0 + n / 400
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _CHILD, "groups", "form", str(path), *FORM, "--out", str(out)],
                              capture_output=True, text=True)
        wall = time.perf_counter() - start
        stats = json.loads(done.stderr.strip().splitlines()[-1])
        with path.open(newline="", encoding="utf-8") as fh:
            departments = len({r["commune"][:2] for r in csv.DictReader(fh)})
        if stats["rc"] != 0:
            broken, groups = [done.stderr.strip().splitlines()[0][:200]], 0
        else:
            broken = recount(path, out)
            with out.open(newline="", encoding="utf-8") as fh:
                groups = len({r["group"] for r in csv.DictReader(fh)})
        lines.append(f"| {n:,} | {departments} | {groups:,} | {budget:g} | {wall:.1f} | {wall / budget:.3f} | "
                     f"{stats['cpu']:.1f} | {stats['rss_mb']:.0f} | {len(broken)} {'; '.join(broken[:3])} |")
        print(lines[-1], flush=True)
    return lines


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    tables = []
    if not args.skip_limits:
        tables.append(limits_table(args.limit, [int(x) for x in args.limit_sizes.split(",") if x], args.seed))
    if not args.skip_national:
        tables.append(national_table([int(x) for x in args.sizes.split(",") if x], args.seed))
    print(f"\nPython {platform.python_version()}, {os.cpu_count()} cores, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    for lines in tables:
        print("\n" + "\n".join(lines))
    return 0
