"""Reader for MDGPLIB instance files.

Line 1: ``n G ss|ds a_1 b_1 ... a_G b_G``; then one line ``i j d_ij`` per pair (0-based,
i < j). Missing pairs count as distance 0. Every error names the line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from meute.matching.grouping.errors import InstanceFormatError
from meute.matching.grouping.problem import GroupingProblem


def _header(line: str, path: str) -> tuple[int, list[tuple[int, int]]]:
    parts = line.split()
    try:
        n, g = int(parts[0]), int(parts[1])
        kind = parts[2]
        nums = [int(x) for x in parts[3:]]
    except (IndexError, ValueError):
        raise InstanceFormatError(f"{path}, line 1: expected 'n G ss|ds a_1 b_1 ...'.") from None
    if kind not in {"ss", "ds"} or n < 1 or g < 1 or len(nums) != 2 * g:
        raise InstanceFormatError(f"{path}, line 1: expected 'n G ss|ds' and {2 * g} group bounds, got {len(nums)}.")
    return n, [(nums[2 * k], nums[2 * k + 1]) for k in range(g)]


def read_mdgplib(path: str | Path) -> GroupingProblem:
    """Read an MDGPLIB instance as a :class:`GroupingProblem` (matrix, no locality)."""
    name = str(path)
    try:
        lines = Path(path).read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InstanceFormatError(f"{name}: cannot read the file ({exc}).") from None
    if not lines or not lines[0].strip():
        raise InstanceFormatError(f"{name}, line 1: empty file.")
    n, bounds = _header(lines[0], name)
    d = np.zeros((n, n))
    for k, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = line.split()
        try:
            i, j, v = int(parts[0]), int(parts[1]), float(parts[2])
            if len(parts) != 3:
                raise ValueError
        except (IndexError, ValueError):
            raise InstanceFormatError(f"{name}, line {k}: expected 'i j d_ij'.") from None
        if not (0 <= i < n and 0 <= j < n) or i == j:
            raise InstanceFormatError(f"{name}, line {k}: index out of range 0-{n - 1}.")
        d[i, j] = d[j, i] = v
    expected = n * (n - 1) // 2
    given = int(np.count_nonzero(np.triu(d, 1)))
    if sum(1 for x in lines[1:] if x.strip()) < expected and given < expected:
        raise InstanceFormatError(
            f"{name}, line {len(lines) + 1}: truncated file, {sum(1 for x in lines[1:] if x.strip())}"
            f" of {expected} pair lines."
        )
    return GroupingProblem.from_matrix(d, bounds)
