"""``meute warm-up``: compile the engines' numba kernels into their cache (run by ``make install``).

Prints how long each engine took and where the cache lives; a second run only loads the
kernels (``compiled now: none``). Exit code 1 if a kernel could not be cached.
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="meute warm-up", description="Compile the engines' kernels once.")
    parser.parse_args(argv)
    from meute.matching.warmup import compiled_now, dispatchers, warm_up

    timings = warm_up()
    compiled = compiled_now()
    places = sorted({str(d.stats.cache_path) for _name, d in dispatchers()})
    uncached = [name for name, d in dispatchers() if d.stats.cache_path is None]
    print(f"kernels ready: grouping {timings['grouping']:.1f} s, rotations {timings['rotations']:.1f} s; "
          f"compiled now: {len(compiled) or 'none'}; cache: {', '.join(places)}")
    if uncached:
        print(f"meute warm-up: not cacheable: {', '.join(uncached)}", file=sys.stderr)
        return 1
    return 0
