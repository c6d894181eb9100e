"""``meute rotation plan``: plan a speed meeting from the command line.

Example::

    meute rotation plan --players 60 --table-size 6 --rounds 8 --seconds 5 --seed 1 \\
        --wishes wishes.csv --conflicts competitors.csv --json plan.json --csv out/

Bad input (fewer participants than a table, zero rounds, unknown participants in a pair
file, a malformed CSV) prints a message and exits with code 2; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from meute.commands.arguments import SECONDS, SEED, bounded_int
from meute.matching.rotations import RotationInputError, RotationProblem, solve
from meute.matching.rotations.io import read_pairs, read_participants, write_csv
from meute.matching.stop import MaxRuntime


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meute rotation", description="Speed-meeting rotations.")
    sub = parser.add_subparsers(dest="command", required=True)
    plan = sub.add_parser("plan", help="plan the rounds of a speed meeting")
    plan.add_argument("--players", type=bounded_int(1, 100_000), help="number of participants, numbered 0..P-1")
    plan.add_argument("--participants", help="CSV of participant ids (first column)")
    plan.add_argument("--table-size", type=bounded_int(1, 10_000), required=True, help="seats per table")
    plan.add_argument("--rounds", type=bounded_int(1, 10_000), required=True, help="number of rounds")
    plan.add_argument("--wishes", help="CSV a,b[,weight] of pairs to seat together once")
    plan.add_argument("--conflicts", help="CSV a,b of pairs never to seat together")
    plan.add_argument("--seconds", type=SECONDS, default=10.0, help="time limit (default 10)")
    plan.add_argument("--seed", type=SEED, default=0, help="random seed (default 0)")
    plan.add_argument("--json", help="write the plan as JSON to this file")
    plan.add_argument("--csv", help="folder or file prefix for schedule.csv and tables.csv")
    return parser


def _problem(args: argparse.Namespace) -> RotationProblem:
    if args.participants:
        ids: list = read_participants(args.participants)
        if args.players is not None and args.players != len(ids):
            raise RotationInputError(f"--players {args.players} but {args.participants} names {len(ids)}.")
    elif args.players is None:
        raise RotationInputError("give --players or --participants.")
    elif args.players < 1:
        raise RotationInputError(f"--players must be positive, got {args.players}.")
    else:
        ids = list(range(args.players))
    if args.seconds <= 0:
        raise RotationInputError("--seconds must be positive.")
    wishes = read_pairs(args.wishes, ids, weighted=True) if args.wishes else []
    conflicts = read_pairs(args.conflicts, ids, weighted=False) if args.conflicts else []
    return RotationProblem(ids, args.table_size, args.rounds, wishes=wishes, conflicts=conflicts)


def main(argv: list[str]) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:  # argparse printed the message (an out-of-range number, a missing option)
        return int(exc.code or 0)
    try:
        problem = _problem(args)
    except RotationInputError as exc:
        print(f"meute rotation: error: {exc}", file=sys.stderr)
        return 2
    result = solve(problem, seed=args.seed, stop=MaxRuntime(args.seconds))
    payload = result.to_dict()
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(payload) + "\n", encoding="utf-8")
    if args.csv:
        write_csv(result, args.csv)
    print(
        f"{problem.n} participants, {problem.rounds} rounds: {result.repeats} repeated meetings "
        f"(lower bound {result.min_repeats}), "
        f"wishes met {result.wished_met}/{result.wished_total}, "
        f"people met per participant {result.met_min}-{result.met_max} ({result.runtime:.2f} s). "
        f"{result.message}"
    )
    return 0
