"""Suggestion-list benchmark: seed N members, compute text vectors, then time "people to meet".

    python bench/advisor.py --members 100000 [--databases sqlite,postgresql] [--requests 100]
        [--pg-name meute_bench] [--reuse DIR]

Each database runs in its own process on a fresh database (SQLite in a temporary folder;
PostgreSQL database ``meute_bench`` on MEUTE_BENCH_PG's server, dropped and re-created).
After ``bulk_seed`` (as ``meute seed``) the offers and needs are encoded and indexed
(``meute advisor-vectors``); then, for random members, the suggestion list (the query,
candidates from the nearest buckets, scoring, the ten leaders fetched) is timed alone and as
the full ``/meetings/`` page through Django's test client.

``--reuse DIR`` keeps the databases (SQLite in ``DIR``, PostgreSQL ``--pg-name``) and seeds
them only when they do not hold the members yet: timing the query before and after a change
on the same data.
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

from meute.benchmarks import fresh_postgres, postgres_url

ROOT = Path(__file__).resolve().parents[1]


def _row(label: str, values: list[float]) -> str:
    p95 = statistics.quantiles(values, n=20)[-1]
    return f"| {label:<34} | {len(values):>4} | {statistics.median(values):>9.1f} | {p95:>7.1f} |"


def _prepare(members: int) -> str:
    """Seed, encode and index (unless the database already holds them); a line of timings."""
    from django.core.management import call_command

    from meute.advisor import textmatch
    from meute.advisor.models import TextVectors
    from meute.advisor.vectors import rebuild_index, refresh_vectors
    from meute.members.bulkseed import bulk_seed
    from meute.members.models import Leader

    call_command("migrate", verbosity=0)
    if Leader.objects.count() >= members and TextVectors.objects.filter(model=textmatch.model_name()).exists():
        return f"{Leader.objects.count():,} members (database reused)"
    t0 = time.perf_counter()
    bulk_seed(members, seed=1)
    seeded = time.perf_counter() - t0
    t0 = time.perf_counter()
    refresh_vectors()
    encoded = time.perf_counter() - t0
    t0 = time.perf_counter()
    buckets = rebuild_index()
    indexed = time.perf_counter() - t0
    return (f"{members:,} members seeded in {seeded:.0f} s; vectors ({textmatch.model_name()}) "
            f"in {encoded:.0f} s; index of {buckets} buckets in {indexed:.0f} s")


def run_one(members: int, label: str, requests: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "meute.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client

    from meute.advisor.introductions import list_suggestions
    from meute.members.models import Leader

    settings.ALLOWED_HOSTS = ["testserver"]
    prepared = _prepare(members)
    rng = random.Random(7)
    ids = list(Leader.objects.values_list("pk", flat=True))
    sample = [Leader.objects.select_related("user").get(pk=pk).user for pk in rng.sample(ids, requests)]
    list_suggestions(sample[0])  # warm-up: model loaded, caches filled
    query, page, counts = [], [], []
    for user in sample:
        t0 = time.perf_counter()
        found = list_suggestions(user)
        query.append((time.perf_counter() - t0) * 1000)
        counts.append(len(found))
    client = Client()
    client.force_login(sample[0])
    client.get("/meetings/")  # warm-up: templates compiled
    for user in sample[: max(20, requests // 2)]:
        client.force_login(user)
        t0 = time.perf_counter()
        response = client.get("/meetings/")
        page.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200
    print(f"\n{label}: {prepared}; {statistics.mean(counts):.1f} suggestions per member on average")
    print(f"| {'measure':<34} | {'n':>4} | {'median ms':>9} | {'p95 ms':>7} |")
    print(f"|{'-' * 36}|{'-' * 6}|{'-' * 11}|{'-' * 9}|")
    print(_row("suggestion list (list_suggestions)", query))
    print(_row("/meetings/ page (test client)", page))


def _postgres(name: str, reuse: bool) -> str:
    if not reuse:
        return fresh_postgres(name)
    import psycopg
    from psycopg import sql

    admin = os.environ.get("MEUTE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return postgres_url(name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--pg-name", default="meute_bench", help="PostgreSQL database (dropped unless --reuse)")
    parser.add_argument("--reuse", type=Path, help="keep the databases; SQLite's in this folder")
    parser.add_argument("--run-one", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(args.members, args.run_one, args.requests)
        return 0
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
