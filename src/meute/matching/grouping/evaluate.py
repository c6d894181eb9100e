"""Independent evaluation of a grouping: objective terms, meeting places, hard-rule checks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from meute.matching.grouping.distances import km_matrix
from meute.matching.grouping.problem import GroupingProblem
from meute.matching.grouping.result import Breakdown


def pair_matrix(problem: GroupingProblem, idx: Sequence[int]) -> np.ndarray:
    """Diversity between the candidates ``idx`` (a sub-matrix)."""
    idx = np.asarray(idx, dtype=np.int64)
    if problem.distances is not None:
        return problem.distances[np.ix_(idx, idx)]
    return problem.features.matrix(idx)


def coordinates(problem: GroupingProblem, idx: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    lat, lon = problem.coordinates
    idx = np.asarray(idx, dtype=np.int64)
    return lat[idx], lon[idx]


def meeting_place(problem: GroupingProblem, members: Sequence[int]) -> int | None:
    """The member whose location minimises the total distance to the others (the medoid)."""
    if not members or not problem.located:
        return None
    km = km_matrix(*coordinates(problem, members))
    return int(members[int(np.argmin(km.sum(axis=1)))])


def locality_penalty(problem: GroupingProblem, members: Sequence[int], meet: int | None) -> float:
    rule = problem.locality
    if rule is None or meet is None or not problem.located:
        return 0.0
    lat, lon = coordinates(problem, [meet, *members])
    km = km_matrix(lat, lon)[0, 1:]
    return float(rule.weight * np.maximum(km - rule.radius_km, 0.0).sum())


def tag_matrix(problem: GroupingProblem) -> np.ndarray:
    """0/1 matrix: candidate x balanced tag."""
    tags = problem.balance.tags
    if problem.candidates is None or not tags:
        return np.zeros((problem.n, 0))
    return np.array([[t in c.tags for t in tags] for c in problem.candidates], dtype=float)


def balance_penalty(problem: GroupingProblem, groups: Sequence[Sequence[int]]) -> float:
    x = tag_matrix(problem)
    if x.shape[1] == 0:
        return 0.0
    share = x.mean(axis=0)
    pen = sum(float(((x[list(g)].sum(axis=0) - share * len(g)) ** 2).sum()) for g in groups)
    return problem.balance.weight * pen


def evaluate(problem: GroupingProblem, groups: Sequence[Sequence[int]]) -> Breakdown:
    """The objective of ``groups``, recomputed from scratch."""
    diversity = sum(float(np.triu(pair_matrix(problem, g), 1).sum()) for g in groups if g)
    loc = sum(locality_penalty(problem, g, meeting_place(problem, g)) for g in groups)
    return Breakdown(diversity, loc, balance_penalty(problem, groups))


def farthest_km(problem: GroupingProblem, members: Sequence[int], meet: int | None) -> float | None:
    """The largest distance from a member of ``members`` to the meeting place ``meet``."""
    if meet is None or not members or not problem.located:
        return None
    lat, lon = coordinates(problem, [meet, *members])
    return float(km_matrix(lat, lon)[0, 1:].max())


def violations(
    problem: GroupingProblem,
    groups: Sequence[Sequence[int]],
    left_out: Sequence[int] = (),
    bounds: Sequence[tuple[int, int]] | None = None,
) -> list[str]:
    """Every hard rule that ``groups`` breaks, as sentences (empty when valid).

    ``left_out``: candidates the hard distance kept out (then ``bounds``, when given, are the
    bounds of the groups actually formed)."""
    found = []
    bounds = tuple(bounds) if bounds is not None else problem.bounds
    seen = [i for g in groups for i in g] + list(left_out)
    if sorted(seen) != list(range(problem.n)):
        found.append("every candidate must be in exactly one group")
    if len(groups) != len(bounds):
        found.append(f"expected {len(bounds)} groups, got {len(groups)}")
    if left_out and problem.max_km is None:
        found.append("candidates may be left out only under a hard distance")
    for i in left_out:
        if i in problem.locks:
            found.append(f"{problem.label(i)} is locked but was left out")
    limit = problem.max_km
    if limit is not None:
        for g, members in enumerate(groups):
            far = farthest_km(problem, members, meeting_place(problem, members))
            if far is not None and far > limit + 1e-9:
                found.append(f"group {g} has a member {far:.1f} km from its meeting place (maximum {limit:g} km)")
    for g, (members, (lo, hi)) in enumerate(zip(groups, bounds, strict=False)):
        if not lo <= len(members) <= hi:
            found.append(f"group {g} has {len(members)} members, bounds {lo}-{hi}")
    where = {i: g for g, members in enumerate(groups) for i in members}
    for c in problem.conflicts:
        if where.get(c.a, -1) == where.get(c.b, -2):
            found.append(f"{problem.label(c.a)} and {problem.label(c.b)} share group {where[c.a]} ({c.reason})")
    for i, g in problem.locks.items():
        if where.get(i) != g:
            found.append(f"{problem.label(i)} is locked to group {g}")
    return found
