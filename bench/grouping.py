"""Run the grouping benchmark (same as ``meute bench grouping``): ``python bench/grouping.py --seeds 5``."""

from __future__ import annotations

import sys

from meute.benchmarks.grouping import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
