"""``meute groups``: form peer groups from CSV files, solve MDGPLIB instances, generate data.

* ``meute groups mdgp INSTANCE --seconds S --seed K --json OUT``
* ``meute groups form candidates.csv --size 10-12 [--groups K] [--max-km KM] [--sponsors sponsors.csv]
  [--sponsor-capacity N] [--facilitators facilitators.csv] [--facilitator-capacity N]
  [--conflicts pairs.csv] [--balance women,repreneur] [--seconds S] [--seed K] --out groups.csv``
* ``meute groups generate --candidates N --seed K [--region CODE] [--departments 01,38] --out FILE``

Bad input (malformed files, unknown NAF codes or communes, duplicated ids, size bounds that
cannot hold) prints a message naming the line and exits with code 2, writing nothing. The
file formats are described in docs/algorithms/peer_groups.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import Counter
from pathlib import Path

from meute.commands.arguments import SECONDS, SEED, bounded_float, bounded_int
from meute.matching.grouping import (
    BalanceRule,
    CompetitorRule,
    GroupingInputError,
    GroupingProblem,
    LocalityRule,
    Result,
    find_competitors,
    haversine_km,
    merge_conflicts,
    naf_levels,
    read_mdgplib,
    resolve_bounds,
    solve,
)
from meute.matching.grouping.csvfiles import (
    CandidateRow,
    Facilitator,
    Sponsor,
    declared_competitors,
    read_candidates,
    read_conflicts,
    read_facilitators,
    read_sponsors,
)
from meute.matching.grouping.facilitators import FacilitatorCandidate, FacilitatorPlan, assign_facilitators
from meute.matching.grouping.sponsors import SponsorCandidate, SponsorPlan, assign_sponsors
from meute.matching.stop import MaxRuntime, deadline


class _Usage(Exception):
    """Bad input: message printed on stderr, exit code 2."""


def _size(text: str) -> tuple[int, int]:
    try:
        lo, _, hi = text.partition("-")
        bounds = (int(lo), int(hi or lo))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size {text!r} is not of the form 10-12") from None
    if bounds[0] < 1 or bounds[1] < bounds[0] or bounds[1] > 10_000:
        raise argparse.ArgumentTypeError(f"size {text!r}: need 1 <= min <= max <= 10000")
    return bounds


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meute groups", description="Peer-group formation (diverse groups).")
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("mdgp", help="solve an MDGPLIB instance")
    m.add_argument("instance", type=Path)
    m.add_argument("--seconds", type=SECONDS, default=3.0, help="time limit, counted from the command's start")
    m.add_argument("--seed", type=SEED, default=0)
    m.add_argument("--json", type=Path, required=True, help="output file")
    f = sub.add_parser("form", help="form peer groups from a candidates CSV file")
    f.add_argument("candidates", type=Path)
    f.add_argument("--size", type=_size, default=(10, 12), help="group size bounds, e.g. 10-12")
    f.add_argument("--groups", type=bounded_int(1, 100_000), help="number of groups (default: chosen from --size)")
    f.add_argument("--sponsors", type=Path)
    f.add_argument("--conflicts", type=Path)
    f.add_argument("--balance", default="", help="comma-separated tags to spread evenly")
    f.add_argument("--competitor-km", type=bounded_float(0, 20_000), default=30.0)
    f.add_argument("--radius", type=bounded_float(0, 20_000), default=25.0,
                   help="preferred distance to the meeting place, km (soft)")
    f.add_argument("--max-km", type=bounded_float(0, 20_000),
                   help="hard maximum distance to the meeting place, km (default: none)")
    f.add_argument("--sponsor-capacity", type=bounded_int(1, 100), default=2, help="groups per sponsor (default 2)")
    f.add_argument("--facilitators", type=Path, help="facilitators CSV file (id,name,commune,slots,capacity)")
    f.add_argument("--facilitator-capacity", type=bounded_int(1, 100), default=2,
                   help="groups per facilitator (default 2)")
    f.add_argument("--seconds", type=SECONDS,
                   help="time budget in seconds from the command's start (default: 1 + n/400)")
    f.add_argument("--seed", type=SEED, default=0)
    f.add_argument("--out", type=Path, required=True)
    f.add_argument("--quiet", action="store_true", help="no progress bar, no per-group summary")
    g = sub.add_parser("generate", help="write a realistic regional candidates CSV file")
    g.add_argument("--candidates", type=bounded_int(1, 1_000_000), required=True)
    g.add_argument("--seed", type=SEED, default=0)
    g.add_argument("--region", default="84",
                   help="INSEE region code (default 84, Auvergne-Rhône-Alpes), or 'all' for every commune of France")
    g.add_argument("--departments", default="",
                   help="comma-separated département codes of the region (default: all of them)")
    g.add_argument("--out", type=Path, required=True)
    return parser


def main(argv: list[str], started: float | None = None) -> int:
    """Run ``meute groups``; ``started`` (``time.perf_counter()``) is when the command
    started, from which the time budgets count (default: now)."""
    started = time.perf_counter() if started is None else started
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    args.started = started
    try:
        return {"mdgp": _mdgp, "form": _form, "generate": _generate}[args.command](args)
    except (GroupingInputError, _Usage) as exc:
        print(f"meute groups: {exc}", file=sys.stderr)
        return 2


def _budget(args: argparse.Namespace, seconds: float) -> MaxRuntime:
    """A wall-clock limit of ``seconds`` from the command's start (its clock started now)."""
    stop = MaxRuntime(max(0.0, seconds - (time.perf_counter() - args.started)))
    deadline(stop)
    return stop


def _mdgp(args: argparse.Namespace) -> int:
    stop = _budget(args, args.seconds)
    problem = read_mdgplib(args.instance)
    result = solve(problem, seed=args.seed, stop=stop)
    if not result.feasible:
        raise _Usage(str(result.infeasibility))
    args.json.write_text(json.dumps({"objective": result.objective, "groups": result.groups}) + "\n")
    print(
        f"{args.instance.name}: objective {result.objective:.3f} in {result.runtime:.2f} s ({result.iterations} rounds)"
    )
    return 0


# ----------------------------------------------------------------------------- form


def _reference():
    from meute.naf.reference import normalise_naf
    from meute.territory.reference import commune

    def locate(code: str) -> tuple[float, float]:
        c = commune(code)
        if c.lat is None:
            raise LookupError(code)
        return c.lat, c.lon

    return locate, normalise_naf


def _build_problem(args: argparse.Namespace, rows: list[CandidateRow]) -> GroupingProblem:
    index = {r.candidate.id: k for k, r in enumerate(rows)}
    conflicts = declared_competitors(rows, index, args.candidates)
    if args.conflicts:
        conflicts += read_conflicts(args.conflicts, {**index, **_sponsor_ids(args)})
    conflicts = [c for c in conflicts if c.a < len(rows) and c.b < len(rows)]
    cands = tuple(r.candidate for r in rows)
    found = find_competitors(cands, CompetitorRule(max_km=args.competitor_km))
    bounds = resolve_bounds(len(rows), args.size, args.groups)
    locks = {k: r.lock for k, r in enumerate(rows) if r.lock is not None}
    bad = [r for r in rows if r.lock is not None and r.lock >= len(bounds)]
    if bad:
        raise _Usage(
            f"{args.candidates}, line {bad[0].line}: group {bad[0].lock + 1} does not exist ({len(bounds)} groups)."
        )
    tags = tuple(t.strip() for t in args.balance.split(",") if t.strip())
    if args.max_km is not None and not args.max_km > 0:
        raise _Usage("--max-km must be a positive number of km.")
    if args.sponsor_capacity < 0 or args.facilitator_capacity < 0:
        raise _Usage("capacities must be >= 0.")
    return GroupingProblem(
        bounds=bounds,
        candidates=cands,
        conflicts=merge_conflicts(conflicts, found),
        locks=locks,
        locality=LocalityRule(radius_km=args.radius, max_km=args.max_km),
        balance=BalanceRule(tags=tags),
    )


def _sponsor_ids(args: argparse.Namespace) -> dict[str, int]:
    """Sponsor ids may appear in the conflicts file; they map past the candidates."""
    if not args.sponsors:
        return {}
    locate, check = _reference()
    return {s.id: 10**9 + k for k, s in enumerate(read_sponsors(args.sponsors, locate, check, args.sponsor_capacity))}


def _declared_sponsor_pairs(args: argparse.Namespace, sponsors: list[Sponsor]) -> set[tuple[str, str]]:
    if not args.conflicts:
        return set()
    ids = {s.id for s in sponsors}
    with args.conflicts.open(newline="", encoding="utf-8-sig") as fh:
        return {(r["a"], r["b"]) for r in csv.DictReader(fh) if r.get("a") in ids or r.get("b") in ids}


def _progress(seconds: float, quiet: bool):
    if quiet:
        return None, None
    from tqdm import tqdm

    bar = tqdm(total=round(seconds, 1), unit="s", file=sys.stderr, desc="searching", leave=False)
    start = time.perf_counter()

    def update(iteration: int, best: float) -> None:
        elapsed = min(round(time.perf_counter() - start, 1), bar.total)
        if elapsed > bar.n:
            bar.update(elapsed - bar.n)
            bar.set_postfix(best=f"{best:.0f}", rounds=iteration, refresh=False)

    return bar, update


def _form(args: argparse.Namespace) -> int:
    locate, check = _reference()
    rows = read_candidates(args.candidates, locate, check)
    # The budget counts from the start of the command: reading the files, finding the
    # competitors, building the matrices and the first descents are inside it.
    stop = _budget(args, args.seconds if args.seconds is not None else 1.0 + len(rows) / 400)
    problem = _build_problem(args, rows)
    sponsors = read_sponsors(args.sponsors, locate, check, args.sponsor_capacity) if args.sponsors else []
    facilitators = read_facilitators(args.facilitators, locate, args.facilitator_capacity) if args.facilitators else []
    bar, update = _progress(stop.remaining(), args.quiet)
    result = solve(problem, seed=args.seed, stop=stop, progress=update)
    if bar is not None:
        bar.close()
    if not result.feasible:
        print(f"meute groups: no valid grouping, {result.infeasibility}", file=sys.stderr)
        return 2 if result.iterations == 0 else 1
    fplan = _plan_facilitators(problem, result, facilitators)
    plan = _plan_sponsors(args, problem, result, sponsors, fplan.slots)
    _write_groups(args.out, rows, problem, result, sponsors, plan, facilitators, fplan)
    if not args.quiet:
        _summary(rows, problem, result, sponsors, plan, facilitators, fplan)
    elif result.left_out:
        print(f"{len(result.left_out)} candidate(s) left out (see the output file)", file=sys.stderr)
    return 0


def _plan_facilitators(problem: GroupingProblem, result: Result, facilitators: list[Facilitator]) -> FacilitatorPlan:
    cands = problem.candidates
    places = [(cands[m].lat, cands[m].lon) if m is not None and cands[m].located else None
              for m in result.meeting_places]
    lib = [FacilitatorCandidate(f.id, f.slots, f.lat, f.lon, f.capacity) for f in facilitators]
    if not facilitators:
        return FacilitatorPlan([None] * len(places), [None] * len(places))
    return assign_facilitators(places, lib)


def _plan_sponsors(
    args: argparse.Namespace, problem: GroupingProblem, result: Result, sponsors: list[Sponsor],
    slots: list[str | None],
) -> SponsorPlan:
    cands = problem.candidates
    groups = [[cands[i] for i in g] for g in result.groups]
    meets = [cands[m] if m is not None else None for m in result.meeting_places]
    lib = [SponsorCandidate(s.id, s.lat, s.lon, s.expertise, s.naf, s.capacity) for s in sponsors]
    if not sponsors:
        return SponsorPlan([[] for _ in groups])
    rule = CompetitorRule(max_km=args.competitor_km)
    return assign_sponsors(groups, meets, lib, competitors=rule, declared=_declared_sponsor_pairs(args, sponsors),
                           slots=slots)


def _km(problem: GroupingProblem, i: int, meet: int | None) -> str:
    a = problem.candidates[i]
    if meet is None or not a.located:
        return ""
    b = problem.candidates[meet]
    return f"{haversine_km(a.lat, a.lon, b.lat, b.lon):.1f}"


def _write_groups(
    out: Path,
    rows: list[CandidateRow],
    problem: GroupingProblem,
    result: Result,
    sponsors: list[Sponsor],
    plan: SponsorPlan,
    facilitators: list[Facilitator],
    fplan: FacilitatorPlan,
) -> None:
    cols = ("group", "role", "id", "name", "company", "naf", "commune", "km_to_meeting", "meeting_commune",
            "slot", "note")
    lines = []
    for g, members in enumerate(result.groups):
        meet = result.meeting_places[g]
        place = rows[meet].commune if meet is not None else ""
        slot = fplan.slots[g] or ""
        for i in members:
            r = rows[i]
            c = r.candidate
            lines.append(
                (g + 1, "member", c.id, c.name, r.company, c.naf or "", r.commune, _km(problem, i, meet), place,
                 slot, "")
            )
        if fplan.per_group[g] is not None:
            f = facilitators[fplan.per_group[g]]
            lines.append((g + 1, "facilitator", f.id, f.name, "", "", f.commune, "", place, slot, ""))
        for s in plan.per_group[g]:
            sp = sponsors[s]
            lines.append((g + 1, "sponsor", sp.id, sp.name, "", sp.naf or "", sp.commune, "", place, slot, ""))
    for x in result.left_out:
        r = rows[x.index]
        c = r.candidate
        radius = f"; nearest feasible radius {x.nearest_km:g} km" if x.nearest_km is not None else ""
        lines.append(("", "left_out", c.id, c.name, r.company, c.naf or "", r.commune, "", "", "",
                      f"{x.reason}{radius}"))
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(cols)
        writer.writerows(lines)
    tmp.replace(out)


def _commune_label(code: str) -> str:
    from meute.territory.reference import commune

    try:
        return f"{commune(code).name} ({code})" if code else "its first member's place"
    except (LookupError, ValueError):
        return code


def _summary(
    rows: list[CandidateRow], problem: GroupingProblem, result: Result, sponsors: list[Sponsor], plan: SponsorPlan,
    facilitators: list[Facilitator], fplan: FacilitatorPlan,
) -> None:
    where = {i: g for g, m in enumerate(result.groups) for i in m}
    apart = Counter()  # conflict pairs with a member in the group (each counted once per group)
    for c in problem.conflicts:
        ga, gb = where.get(c.a), where.get(c.b)
        apart.update({ga, gb} - {None})
    b = result.breakdown
    print(
        f"{len(result.groups)} groups, {problem.n} candidates, objective {result.objective:.1f} "
        f"(diversity {b.diversity:.1f}, locality penalty {b.locality_penalty:.1f}, "
        f"balance penalty {b.balance_penalty:.1f}), "
        f"{len(problem.conflicts)} conflict pairs checked, none shared; {result.runtime:.1f} s"
    )
    for g, members in enumerate(result.groups):
        meet = result.meeting_places[g]
        sections = Counter(naf_levels(problem.candidates[i].naf).section for i in members if problem.candidates[i].naf)
        kms = [float(k) for i in members if (k := _km(problem, i, meet))]
        kept = apart[g]
        acts = " ".join(f"{s}x{n}" for s, n in sections.most_common())
        dist = f"km to meeting place max {max(kms):.0f} / mean {sum(kms) / len(kms):.0f}" if kms else "no locations"
        place = _commune_label(rows[meet].commune) if meet is not None else "-"
        spons = ", ".join(sponsors[s].id for s in plan.per_group[g]) or "-"
        head = f"group {g + 1}: {len(members)} members, meeting at {place}; activities {acts}; {dist}"
        fac = facilitators[fplan.per_group[g]].id if fplan.per_group[g] is not None else "-"
        when = f"; slot {fplan.slots[g]}" if fplan.slots[g] else ""
        print(f"{head}; {kept} conflict pairs kept apart; sponsors {spons}; facilitator {fac}{when}")
    for note in plan.notes:
        print(f"sponsors: {note}")
    for note in fplan.notes:
        print(f"facilitators: {note}")
    for x in result.left_out:
        radius = f"; nearest feasible radius {x.nearest_km:g} km" if x.nearest_km is not None else ""
        print(f"left out: {problem.label(x.index)} ({rows[x.index].candidate.name}): {x.reason}{radius}")


# ------------------------------------------------------------------------- generate


def _generate(args: argparse.Namespace) -> int:
    from meute.matching.grouping.generator import COLUMNS, generate_candidates
    from meute.naf.reference import realistic_mix
    from meute.territory.reference import communes

    if args.candidates < 1:
        raise _Usage("--candidates must be positive.")
    wanted = {d.strip() for d in args.departments.split(",") if d.strip()}
    places = [
        (c.insee, c.lat, c.lon, c.population or 0)
        for c in communes().values()
        if args.region in ("all", c.region) and c.lat is not None and (not wanted or c.department in wanted)
    ]
    if not places:
        raise _Usage(f"unknown region code {args.region!r} or départements {args.departments!r} "
                     "(INSEE codes such as region 84, départements 01,38).")
    rows = generate_candidates(args.candidates, args.seed, places, realistic_mix())
    tmp = args.out.with_name(args.out.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    tmp.replace(args.out)
    print(f"wrote {len(rows)} candidates of region {args.region} to {args.out}")
    return 0
