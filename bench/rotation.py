"""Run the rotation benchmark (same as ``meute bench rotation``)."""

import sys

from meute.benchmarks.rotation import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
