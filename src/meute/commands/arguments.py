"""Bounded argument types for the ``meute`` command line (no Django import: library commands start fast).

``--seconds 1e99`` or ``--members 99999999999999999999`` is refused by argparse with a message
and exit code 2, instead of overflowing a timer, a database column or the memory.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

SEED_MAX = 2**32 - 1  # what every random generator of meute accepts, and a PositiveIntegerField holds
SECONDS_MAX = 24 * 3600.0  # a day of computing


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type`` for a whole number in ``[low, high]``."""

    def parse(text: str) -> int:
        try:
            value = int(text) if len(text) <= 30 else None
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text[:30]!r} is not a whole number from {low} to {high}")
        return value

    return parse


def bounded_float(low: float, high: float, *, low_open: bool = False) -> Callable[[str], float]:
    """An argparse ``type`` for a finite number in ``[low, high]`` (``(low, high]`` when ``low_open``)."""

    def parse(text: str) -> float:
        try:
            value = float(text) if len(text) <= 30 else math.nan
        except ValueError:
            value = math.nan
        above_low = value > low if low_open else value >= low
        if not (math.isfinite(value) and above_low and value <= high):
            bracket = "(" if low_open else "["
            raise argparse.ArgumentTypeError(f"{text[:30]!r} is not a number in {bracket}{low:g}, {high:g}]")
        return value

    return parse


SEED = bounded_int(0, SEED_MAX)
SECONDS = bounded_float(0, SECONDS_MAX, low_open=True)
