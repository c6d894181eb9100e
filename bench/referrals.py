"""Referral suggestions benchmark: seed N members, compute text vectors, then time the suggestions.

    python bench/referrals.py --members 100000 [--databases postgresql] [--requests 100]
        [--pg-name meute_bench_referrals] [--reuse DIR]

As ``bench/advisor.py`` (same seeding, ``bulk_seed`` then ``refresh_vectors`` and
``rebuild_index``), on a fresh database per engine. For random members it times, each alone:
"who could serve what X is looking for" (X a member of one of their networks with a need:
``who_could_serve``), "whose need matches what I offer" (``whose_need_i_serve``), both
together as the suggestions page computes them, and the whole ``/referrals/suggestions/?for=X``
page through Django's test client. The baseline, in the same run on the same data, is the
advisor's "people to meet" (``list_suggestions``), which scores the same vectors.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))


def _row(label: str, values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[-1]
    return f"| {label:<44} | {len(values):>4} | {statistics.median(values):>9.1f} | {p95:>7.1f} |"


def _timed(fn, people) -> tuple[list[float], list[int]]:
    times, counts = [], []
    for args in people:
        t0 = time.perf_counter()
        found = fn(*args)
        times.append((time.perf_counter() - t0) * 1000)
        counts.append(len(found))
    return times, counts


def run_one(members: int, label: str, requests: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    import django

    django.setup()
    from advisor import _prepare
    from django.conf import settings
    from django.test import Client

    from meute.advisor.introductions import list_suggestions
    from meute.members.models import Leader, Membership
    from meute.referrals.suggestions import who_could_serve, whose_need_i_serve

    settings.ALLOWED_HOSTS = ["testserver"]
    prepared = _prepare(members)
    rng = random.Random(7)
    ids = list(Leader.objects.filter(in_directory=True).values_list("pk", flat=True))
    people = []
    for pk in rng.sample(ids, requests):
        user = Leader.objects.select_related("user").get(pk=pk).user
        network = Membership.objects.filter(leader_id=pk).values_list("network_id", flat=True).first()
        prospect = (Leader.objects.select_related("company").filter(
            memberships__network_id=network, in_directory=True).exclude(company__needs="").exclude(pk=pk)
            .order_by("?").first())
        people.append((user, prospect))
    who_could_serve(people[0][0], people[0][1].company.needs, prospect=people[0][1])  # warm-up
    serve, serve_n = _timed(lambda u, p: who_could_serve(u, p.company.needs, prospect=p), people)
    mine, mine_n = _timed(lambda u, _p: whose_need_i_serve(u), people)
    both, _n = _timed(lambda u, p: who_could_serve(u, p.company.needs, prospect=p) + whose_need_i_serve(u), people)
    base, _n = _timed(lambda u, _p: list_suggestions(u), people)
    client = Client()
    client.force_login(people[0][0])
    client.get(f"/referrals/suggestions/?for={people[0][1].pk}")  # warm-up: templates compiled
    page = []
    for user, prospect in people[: max(20, requests // 2)]:
        client.force_login(user)
        t0 = time.perf_counter()
        response = client.get(f"/referrals/suggestions/?for={prospect.pk}")
        page.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    print(f"\n{label}: {prepared}; on average {statistics.mean(serve_n):.1f} receivers suggested for X's need "
          f"and {statistics.mean(mine_n):.1f} needs matching the member's offer")
    print(f"| {'measure':<44} | {'n':>4} | {'median ms':>9} | {'p95 ms':>7} |")
    print(f"|{'-' * 46}|{'-' * 6}|{'-' * 11}|{'-' * 9}|")
    print(_row("who could serve X's need (who_could_serve)", serve))
    print(_row("whose need I serve (whose_need_i_serve)", mine))
    print(_row("both (the suggestions page's work)", both))
    print(_row("/referrals/suggestions/?for=X (test client)", page))
    print(_row("baseline: people to meet (list_suggestions)", base))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--databases", default="postgresql")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--pg-name", default="meute_bench_referrals",
                        help="PostgreSQL database (dropped unless --reuse)")
    parser.add_argument("--reuse", type=Path, help="keep the databases; SQLite's in this folder")
    parser.add_argument("--run-one", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(args.members, args.run_one, args.requests)
        return 0
    from advisor import _postgres

    for database in args.databases.split(","):
        env = dict(os.environ)
        with tempfile.TemporaryDirectory(prefix="meute-bench-") as tmp:
            env["MEUTE_DATA_DIR"] = str(args.reuse or tmp)
            if database == "postgresql":
                env["DATABASE_URL"] = _postgres(args.pg_name, bool(args.reuse))
            else:
                env.pop("DATABASE_URL", None)
            subprocess.run([sys.executable, __file__, "--members", str(args.members), "--requests",
                            str(args.requests), "--run-one", database], env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
