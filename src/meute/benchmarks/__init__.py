"""Benchmarks that print tables (``meute bench NAME``); their figures go to docs/benchmarks.md.

The published instances live in the ``shared/bench`` folder beside the project checkout;
:func:`shared_bench_dir` finds it, or reads ``MEUTE_SHARED_DIR``. Database benchmarks get a
fresh PostgreSQL database from :func:`fresh_postgres`.
"""

from __future__ import annotations

import os
from pathlib import Path


def shared_bench_dir() -> Path:
    """The folder holding ``mdgp/`` and ``sgp/`` benchmark data."""
    env = os.environ.get("MEUTE_SHARED_DIR")
    if env:
        return Path(env) / "bench"
    for start in (Path.cwd(), Path(__file__).resolve()):
        for parent in (start, *start.parents):
            candidate = parent.parent / "shared" / "bench"
            if candidate.is_dir():
                return candidate
    raise FileNotFoundError(
        "Benchmark data not found: set MEUTE_SHARED_DIR to the folder that holds bench/."
    )


def fresh_postgres(name: str = "meute_bench") -> str:
    """Drop and re-create the ``name`` database (``meute_bench`` by default) on the server of
    ``MEUTE_BENCH_PG`` (default: the local cluster, user postgres); return its ``DATABASE_URL``."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"Not a database name: {name!r}")
    import psycopg

    admin = os.environ.get("MEUTE_BENCH_PG", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return admin.rsplit("/", 1)[0] + f"/{name}"
