"""Benchmarks that print tables (``meute bench NAME``); their figures go to docs/benchmarks.md.

The published instances live in the ``shared/bench`` folder beside the project checkout;
:func:`shared_bench_dir` finds it, or reads ``MEUTE_SHARED_DIR``.
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
