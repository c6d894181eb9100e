"""Geographic decomposition of large located instances.

Candidates are split by recursive coordinate bisection (along the wider of the
east-west/north-south spreads) together with the group indices, so that every zone holds
about ``zone_groups`` groups and a number of candidates those groups can hold. Locked
candidates follow their group. Each zone is then solved as an independent problem.
"""

from __future__ import annotations

import numpy as np

from meute.matching.grouping.problem import GroupingProblem

Zone = tuple[np.ndarray, np.ndarray]  # (candidate indices, group indices)


def plan_zones(problem: GroupingProblem, zone_groups: int, threshold: int) -> list[Zone]:
    everything = (np.arange(problem.n), np.arange(problem.n_groups))
    big = problem.n >= threshold and problem.n_groups > zone_groups > 0
    if not (big and problem.located):
        return [everything]
    lat = np.array([c.lat for c in problem.candidates])
    lon = np.array([c.lon for c in problem.candidates])
    xy = np.column_stack([lon * np.cos(np.radians(lat.mean())), lat])
    group_of = np.full(problem.n, -1)
    for i, g in problem.locks.items():
        group_of[i] = g
    zones: list[Zone] = []
    _split(problem, xy, group_of, *everything, zone_groups, zones)
    return zones


def _target(problem: GroupingProblem, n: int, ga: np.ndarray, gb: np.ndarray) -> int:
    b = np.array(problem.bounds, dtype=float)
    mid_a, mid_b = b[ga].mean(axis=1).sum(), b[gb].mean(axis=1).sum()
    target = round(n * mid_a / (mid_a + mid_b))
    low = max(int(b[ga, 0].sum()), n - int(b[gb, 1].sum()))
    high = min(int(b[ga, 1].sum()), n - int(b[gb, 0].sum()))
    return int(min(max(target, low), max(low, high)))


def _split(
    problem: GroupingProblem,
    xy: np.ndarray,
    group_of: np.ndarray,
    cands: np.ndarray,
    groups: np.ndarray,
    zone_groups: int,
    out: list[Zone],
) -> None:
    if len(groups) <= zone_groups:
        out.append((np.sort(cands), groups))
        return
    ga, gb = groups[: len(groups) // 2], groups[len(groups) // 2 :]
    locked_a = cands[np.isin(group_of[cands], ga)]
    locked_b = cands[np.isin(group_of[cands], gb)]
    free = cands[group_of[cands] < 0]
    n_a = _target(problem, len(cands), ga, gb)
    n_a = min(max(n_a, len(locked_a)), len(cands) - len(locked_b))
    spread = xy[free].max(axis=0) - xy[free].min(axis=0) if len(free) else np.zeros(2)
    order = free[np.argsort(xy[free, int(np.argmax(spread))], kind="stable")]
    take = n_a - len(locked_a)
    side_a = np.concatenate([locked_a, order[:take]])
    side_b = np.concatenate([locked_b, order[take:]])
    _split(problem, xy, group_of, side_a, ga, zone_groups, out)
    _split(problem, xy, group_of, side_b, gb, zone_groups, out)
