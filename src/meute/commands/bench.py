"""``meute bench NAME``: run one of the benchmarks of :mod:`meute.benchmarks`."""

from __future__ import annotations

import importlib
import sys

BENCHMARKS = {
    "grouping": "meute.benchmarks.grouping",
    "rotation": "meute.benchmarks.rotation",
    "scale": "meute.benchmarks.scale",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] in {"-h", "--help"} or argv[0] not in BENCHMARKS:
        names = ", ".join(sorted(BENCHMARKS))
        print(f"usage: meute bench {{{names}}} [options]", file=sys.stderr)
        return 0 if argv and argv[0] in {"-h", "--help"} else 2
    module = importlib.import_module(BENCHMARKS[argv[0]])
    return int(module.main(argv[1:]) or 0)
