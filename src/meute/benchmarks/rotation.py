"""``meute bench rotation``: the rotation engine on Social Golfer instances and real events.

For each instance g-p-w (rows of ``sgp/known.csv``) the engine runs once per seed with a
time limit; the table gives how many seeds reached zero repeats, the median time to the
first repeat-free plan (over all seeds; a seed that fails counts as the limit), the
fewest repeats, and beside it one OR-Tools CP-SAT run of the same instance with the same
limit (feasibility model; minimising repeats for instances known to be impossible).
The real events are planned the same way (people numbered, uneven tables allowed).

The large-table events (tables of 8 or 10, 80 to 200 people) report, per row, the median
repeats over the seeds (and the range), the lower bound of the engine (counting), the
median run time, the largest overshoot of the time limit (construction phase included),
and a baseline measured in the same run: the local search alone (no construction).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from meute.benchmarks import shared_bench_dir
from meute.commands.arguments import SECONDS, bounded_int
from meute.matching.rotations import RotationProblem, SearchParams, solve
from meute.matching.stop import MaxRuntime

DONE_WHEN = ["5-3-7", "6-3-8", "7-3-10", "7-4-9", "8-3-10", "8-4-9", "9-3-13", "5-5-6", "7-7-8"]
IMPOSSIBLE = ["4-3-5", "6-6-4", "3-4-2", "5-4-6"]
EXTRA = ["4-4-5", "6-3-7", "8-4-10", "10-3-14", "8-8-9", "10-10-4"]
EVENTS = [("60 people, tables of 6, 8 rounds", 60, 6, 8, 0, 5.0),
          ("90 people, tables of 5, 10 rounds", 90, 5, 10, 0, 5.0),
          ("300 people, tables of 6, 10 rounds, 600 wishes", 300, 6, 10, 600, 60.0)]


LARGE = [(120, 8, 10), (80, 8, 10), (160, 8, 10), (200, 8, 10),
         (100, 10, 8), (100, 10, 10), (100, 10, 12), (200, 10, 8), (200, 10, 10), (200, 10, 12)]


@dataclass(frozen=True)
class LargeRow:
    people: int
    size: int
    rounds: int
    repeats: list[int]
    bound: int
    runtimes: list[float]
    limit: float
    method: str
    baseline: list[int] | None

    def overshoot(self) -> float:
        return max(t - self.limit for t in self.runtimes)


def bench_large(people: int, size: int, rounds: int, seeds: int, seconds: float, baseline: bool) -> LargeRow:
    problem = RotationProblem(people, size, rounds)
    results, _ = run_engine(problem, seeds, seconds)
    base = None
    if baseline:
        base = [r.repeats for r in run_engine(problem, seeds, seconds, SearchParams(constructions=False))[0]]
    return LargeRow(people, size, rounds, [r.repeats for r in results], results[0].min_repeats,
                    [r.runtime for r in results], seconds, results[0].method, base)


def _spread(values: list[int]) -> str:
    return f"{statistics.median(values):g} ({min(values)}–{max(values)})"


def large_markdown(rows: Sequence[LargeRow], title: str) -> str:
    head = ("| people | table | rounds | repeats, median (range) | lower bound | time, median |"
            " worst overshoot | local search alone, repeats | method (seed 0) |")
    lines = [f"### {title}", "", head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        base = _spread(r.baseline) if r.baseline else "-"
        lines.append(f"| {r.people} | {r.size} | {r.rounds} | {_spread(r.repeats)} | {r.bound} | "
                     f"{statistics.median(r.runtimes):.2f} s | {r.overshoot():+.3f} s | {base} | {r.method} |")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Row:
    name: str
    status: str
    found: int
    runs: int
    median: float | None
    best: int
    method: str
    cpsat: str
    extra: str = ""
    limit: float = 0.0


def _known(path: Path) -> dict[str, str]:
    with open(path, newline="", encoding="utf-8") as f:
        return {f"{r['g']}-{r['p']}-{r['w']}": r["status"] for r in csv.DictReader(f)}


def _people(name: str) -> int:
    g, p, _ = map(int, name.split("-"))
    return g * p


def _median(times: list[float | None], limit: float) -> float | None:
    values = [limit if t is None else t for t in times]
    m = statistics.median(values)
    return None if sum(t is None for t in times) * 2 > len(times) else m


def run_engine(
    problem: RotationProblem, seeds: int, seconds: float, params: SearchParams | None = None
) -> tuple[list, list[float | None]]:
    results = [solve(problem, seed=s, stop=MaxRuntime(seconds), params=params) for s in range(seeds)]
    return results, [r.time_to_zero_repeats for r in results]


def bench_instance(name: str, status: str, seeds: int, seconds: float, cpsat: bool,
                   params: SearchParams | None = None) -> Row:
    g, p, w = map(int, name.split("-"))
    results, times = run_engine(RotationProblem(g * p, p, w), seeds, seconds, params)
    best = min(r.repeats for r in results)
    cp = "-"
    if cpsat:
        from meute.matching.rotations.cpsat import cpsat_solve

        out = cpsat_solve(g, p, w, seconds=seconds, minimise=status == "impossible")
        found = "none" if out.repeats is None else f"{out.repeats} rep."
        cp = f"{found} ({out.status}, {out.seconds:.1f} s)"
    extra = "impossible, said so" if all(r.zero_repeat_possible is False for r in results) else ""
    return Row(name, status, sum(r.repeats == 0 for r in results), seeds, _median(times, seconds), best,
               results[0].method, cp, extra, seconds)


def event_wishes(n: int, count: int, seed: int = 2026) -> list[tuple[int, int]]:
    rng = random.Random(seed)
    wishes: set[tuple[int, int]] = set()
    while len(wishes) < count:
        a, b = rng.sample(range(n), 2)
        wishes.add((min(a, b), max(a, b)))
    return sorted(wishes)


def bench_event(label: str, n: int, size: int, rounds: int, wishes: int, seeds: int, seconds: float) -> Row:
    problem = RotationProblem(n, size, rounds, wishes=event_wishes(n, wishes))
    results, times = run_engine(problem, seeds, seconds)
    met = sorted(r.wished_met for r in results)
    extra = f"wishes met {met[len(met) // 2]}/{wishes} (median), total time median " \
            f"{statistics.median(r.runtime for r in results):.2f} s" if wishes else ""
    return Row(label, "", sum(r.repeats == 0 for r in results), seeds, _median(times, seconds),
               min(r.repeats for r in results), results[0].method, "-", extra, seconds)


def _fmt(row: Row) -> str:
    if row.status == "impossible":
        return "n/a"
    return f"> {row.limit:g} s" if row.median is None else f"{row.median:.3f} s"


def markdown(rows: Sequence[Row], title: str, cpsat: bool) -> str:
    head = "| instance | known | zero repeats | median time to zero | fewest repeats | method (seed 0) |"
    head += " CP-SAT (same limit) |" if cpsat else ""
    lines = [f"### {title}", "", head, "|" + "---|" * (head.count("|") - 1)]
    for r in rows:
        line = (f"| {r.name} | {r.status or '-'} | {r.found}/{r.runs} | {_fmt(r)} | "
                f"{r.best}{' (' + r.extra + ')' if r.extra else ''} | {r.method} |")
        lines.append(line + (f" {r.cpsat} |" if cpsat else ""))
    return "\n".join(lines) + "\n"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meute bench rotation", description=__doc__.splitlines()[0])
    parser.add_argument("--instances", default="default",
                        help="'default', 'done-when', 'all' (rows of known.csv with at most 100 people) "
                        "or a list such as 5-3-7,6-3-8")
    parser.add_argument("--seeds", type=bounded_int(1, 1000), default=5)
    parser.add_argument("--seconds", type=SECONDS, default=10.0)
    parser.add_argument("--no-cpsat", action="store_true", help="skip the CP-SAT runs")
    parser.add_argument("--no-events", action="store_true", help="skip the real-event instances")
    parser.add_argument("--local-search-only", action="store_true",
                        help="no constructions: greedy seating and tabu search only")
    parser.add_argument("--large", choices=["yes", "no", "only"], default="yes",
                        help="the large-table events (tables of 8 and 10, 80 to 200 people)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the local-search-only baseline of the large-table events")
    parser.add_argument("--markdown", help="also write the tables to this file")
    return parser


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    params = SearchParams(constructions=not args.local_search_only)
    known = _known(shared_bench_dir() / "sgp" / "known.csv")
    if args.instances == "default":
        names = DONE_WHEN + IMPOSSIBLE + EXTRA
    elif args.instances == "done-when":
        names = list(DONE_WHEN)
    elif args.instances == "all":
        names = [k for k in known if _people(k) <= 100]
    else:
        names = [x.strip() for x in args.instances.split(",") if x.strip()]
    solve(RotationProblem(18, 3, 3), seed=0, stop=MaxRuntime(0.5))  # compile the kernels
    started = time.strftime("%Y-%m-%d %H:%M")
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    text = ""
    if args.large != "no":
        large = []
        for people, size, rounds in LARGE:
            large.append(bench_large(people, size, rounds, args.seeds, args.seconds, not args.no_baseline))
            print(large[-1], file=sys.stderr, flush=True)
        text += large_markdown(large, f"Large tables ({args.seeds} seeds, {args.seconds:g} s each)") + "\n"
    if args.large == "only":
        names, args.no_events = [], True
    rows = []
    for name in names:
        status = known.get(name, "not in known.csv")
        rows.append(bench_instance(name, status, args.seeds, args.seconds, not args.no_cpsat, params))
        print(rows[-1], file=sys.stderr, flush=True)
    title = f"SGP instances ({args.seeds} seeds, {args.seconds:g} s each)"
    if args.local_search_only:
        title += ", local search only"
    if rows:
        text += markdown(rows, title, not args.no_cpsat)
    if not args.no_events:
        events = []
        for label, n, size, rounds, wishes, limit in EVENTS:
            events.append(bench_event(label, n, size, rounds, wishes, args.seeds, limit))
            print(events[-1], file=sys.stderr, flush=True)
        limits = ", ".join(f"{e[0]}: {e[5]:g} s" for e in EVENTS)
        text += "\n" + markdown(events, f"Real events ({args.seeds} seeds; limits {limits})", False)
    text = f"Run started {started}, load average {load} (1, 5, 15 min) at the start.\n\n" + text
    print(text)
    if args.markdown:
        Path(args.markdown).write_text(text, encoding="utf-8")
    return 0
