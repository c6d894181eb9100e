"""Directory search benchmark: seed N members, then time filtered search pages.

    python bench/directory.py --members 100000 [--databases sqlite,postgresql] [--requests 200]

Each database runs in its own process on a fresh database (SQLite in a temporary folder;
PostgreSQL database ``meute_bench`` on DATABASE_URL's server, dropped and re-created).
A member logs in and the full directory page (query, count, 25 rows, template) is fetched
through Django's test client; the table gives median and p95 per kind of search.
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

from meute.benchmarks import fresh_postgres

ROOT = Path(__file__).resolve().parents[1]


def _searches(rng: random.Random, names: list[str], networks: list[int]) -> list[tuple[str, dict]]:
    kinds = []
    for _ in range(40):
        kinds.append(("name", {"q": rng.choice(names)}))
        kinds.append(("NAF section + département", {"naf": rng.choice("CFGIJMNQ"), "department": rng.choice(
            ["16", "17", "19", "23", "24", "33", "40", "47", "64", "79", "86", "87"])}))
        kinds.append(("network", {"network": rng.choice(networks)}))
        kinds.append(("keyword + département", {"q": rng.choice(["conseil", "bati", "transport", "boulang"]),
                                                 "department": rng.choice(["33", "86", "64"])}))
        kinds.append(("expertise + network", {"expertise": rng.choice(["export", "RSE", "fiscalit"]),
                                               "network": rng.choice(networks)}))
    return kinds


def run_one(members: int, label: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    from meute.members.bulkseed import bulk_seed
    from meute.members.models import Leader, Network

    settings.ALLOWED_HOSTS = ["testserver"]  # no test instrumentation: templates render as when served
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    bulk_seed(members, seed=1)
    seeded = time.perf_counter() - started
    rng = random.Random(5)
    viewer = Leader.objects.order_by("id").first().user
    names = list(Leader.objects.order_by("?").values_list("user__last_name", flat=True)[:200])
    networks = list(Network.objects.values_list("id", flat=True))
    client = Client()
    client.force_login(viewer)
    client.get("/directory/")  # warm-up
    times: dict[str, list[float]] = {}
    for kind, params in _searches(rng, names, networks):
        t0 = time.perf_counter()
        response = client.get("/directory/", params)
        elapsed = (time.perf_counter() - t0) * 1000
        assert response.status_code == 200
        times.setdefault(kind, []).append(elapsed)
    every = [t for values in times.values() for t in values]
    times["all searches"] = every
    print(f"\n{label}: {members:,} members seeded in {seeded:.0f} s")
    print(f"| {'search':<28} | {'n':>4} | {'median ms':>9} | {'p95 ms':>7} |")
    print(f"|{'-' * 30}|{'-' * 6}|{'-' * 11}|{'-' * 9}|")
    for kind, values in times.items():
        p95 = statistics.quantiles(values, n=20)[-1]
        print(f"| {kind:<28} | {len(values):>4} | {statistics.median(values):>9.1f} | {p95:>7.1f} |")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--run-one", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(args.members, args.run_one)
        return 0
    for database in args.databases.split(","):
        env = dict(os.environ)
        with tempfile.TemporaryDirectory(prefix="meute-bench-") as tmp:
            env["MEUTE_DATA_DIR"] = tmp
            if database == "postgresql":
                env["DATABASE_URL"] = fresh_postgres()
            else:
                env.pop("DATABASE_URL", None)
            subprocess.run([sys.executable, __file__, "--members", str(args.members), "--run-one", database],
                           env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
